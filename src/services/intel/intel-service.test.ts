import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indicator, malware, startNode, type TestNode } from '../../../test/taxii/node-harness.js';
import { IntelService } from './intel-service.js';
import { OPERATOR } from './release-gate.js';

let node: TestNode;
beforeAll(async () => {
  node = await startNode();
});
afterAll(async () => node.close());

const actor = { name: 'alice' };

describe('IntelService.ingest', () => {
  it('writes nothing when one object is invalid, and says why with its path', async () => {
    const report = await node.intel.ingest(node.intelId, { objects: [indicator(), { type: 'indicator', id: 'indicator--x' }] }, { actor });
    expect(report).toMatchObject({ total: 2, added: 0, rejected: 1, notWritten: 1 });
    expect(report.results[1]?.errors.every((e) => e.path?.startsWith('$.objects[1]'))).toBe(true);
    expect(await node.intel.count(node.intelId)).toBe(0);
  });

  it('writes the valid objects in partial mode', async () => {
    const report = await node.intel.ingest(node.intelId, [indicator(), { type: 'malware' }], { actor, partial: true });
    expect(report).toMatchObject({ total: 2, added: 1, rejected: 1, notWritten: 0 });
    expect(report.results[1]?.errors[0]?.path?.startsWith('$[1]')).toBe(true);
    expect(await node.intel.count(node.intelId)).toBe(1);
  });

  it('reports a version already stored as a duplicate', async () => {
    const object = malware();
    await node.intel.ingest(node.intelId, { objects: [object] }, { actor });
    const again = await node.intel.ingest(node.intelId, { objects: [object] }, { actor });
    expect(again.results.map((r) => r.outcome)).toEqual(['duplicate']);
  });

  it('refuses an unknown collection', async () => {
    await expect(node.intel.ingest('nope', { objects: [] }, { actor })).rejects.toMatchObject({ code: 'ENTENTE_COLLECTION_NOT_FOUND' });
  });

  it('consults the label gate and reports its refusal', async () => {
    const gated = new IntelService({
      store: node.store, clock: node.clock,
      labelGate: { check: async (objects) => objects.map((o) => (o['name'] === 'unlabelled' ? { kind: 'reject' as const, message: 'no label and no default label' } : { kind: 'accept' as const })) },
    });
    const report = await gated.ingest(node.intelId, { objects: [indicator({ name: 'unlabelled' })] }, { actor });
    expect(report.results[0]).toMatchObject({ outcome: 'rejected', errors: [{ path: '$.objects[0]', message: 'no label and no default label' }] });
  });
});

describe('IntelService reads', () => {
  it('exports every object of a collection page by page', async () => {
    const collection = await node.collections.create({ title: 'Export' });
    await node.intel.ingest(collection.id, { objects: Array.from({ length: 7 }, () => indicator()) }, { actor });
    const pages: number[] = [];
    for await (const page of node.intel.exportBundle({ collectionId: collection.id, pageSize: 3 }, OPERATOR)) pages.push(page.length);
    expect(pages).toEqual([3, 3, 1]);
  });

  it('clamps the limit to the server maximum', async () => {
    await node.intel.ingest(node.intelId, { objects: Array.from({ length: 5 }, () => indicator()) }, { actor });
    const small = new IntelService({ store: node.store, clock: node.clock, pageSizes: { default: 2, max: 4 } });
    expect((await small.objects(node.intelId, {}, OPERATOR)).objects).toHaveLength(2);
    expect((await small.objects(node.intelId, { limit: 100 }, OPERATOR)).objects).toHaveLength(4);
  });

  it('refuses an empty search and a depth other than 1 or 2', async () => {
    await expect(node.intel.search({ text: '  ' }, OPERATOR)).rejects.toMatchObject({ code: 'ENTENTE_INVALID_PARAMETER' });
    await expect(node.intel.neighbours({ id: 'malware--x', depth: 3 as 1 }, OPERATOR)).rejects.toMatchObject({ code: 'ENTENTE_INVALID_PARAMETER' });
  });

  it('finds ingested objects by name', async () => {
    await node.intel.ingest(node.intelId, { objects: [malware({ name: 'Sandworm dropper' })] }, { actor });
    const page = await node.intel.search({ text: 'sandworm', collectionIds: [node.intelId] }, OPERATOR);
    expect(page.hits.map((h) => h.title)).toContain('Sandworm dropper');
  });
});
