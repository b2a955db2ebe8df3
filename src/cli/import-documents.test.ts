import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { indicator, malware, startNode, type TestNode } from '../../test/taxii/node-harness.js';
import { importFile, OBJECTS_PER_INGEST, type Ingest } from './import-documents.js';

let node: TestNode;
beforeEach(async () => {
  node = await startNode();
});
afterEach(async () => node.close());

const actor = { name: 'operator' };

/** The node's ingest, counting the calls (each is one store transaction). */
function counted(): { ingest: Ingest; calls: Array<{ objects: number; partial: boolean }> } {
  const calls: Array<{ objects: number; partial: boolean }> = [];
  return {
    calls,
    ingest: async (input, { partial }) => {
      calls.push({ objects: Array.isArray(input) ? input.length : ((input as { objects?: unknown[] }).objects?.length ?? 0), partial });
      return node.intel.ingest(node.intelId, input, { actor, partial });
    },
  };
}

const ndjson = (objects: ReadonlyArray<unknown>): string => `${objects.map((o) => JSON.stringify(o)).join('\n')}\n`;

describe('importFile', () => {
  it('stores the lines of an NDJSON file of objects together, in one ingest', async () => {
    const objects = [indicator(), malware(), indicator()];
    const { ingest, calls } = counted();
    const result = await importFile('feed.ndjson', ndjson(objects), ingest, { partial: false });
    expect(result).toMatchObject({ status: 'imported', total: 3, added: 3, duplicates: 0, rejected: 0, errors: [] });
    expect(calls).toEqual([{ objects: 3, partial: true }]);
    expect(await node.intel.count(node.intelId)).toBe(3);
  });

  it('keeps each line atomic by itself: an invalid line is rejected with its line and path, the others are stored', async () => {
    const good = indicator();
    const bad = { ...malware(), created: 'yesterday' };
    const { ingest } = counted();
    const result = await importFile('feed.ndjson', ndjson([good, bad, malware()]), ingest, { partial: false });
    expect(result).toMatchObject({ status: 'partial', total: 3, added: 2, rejected: 1 });
    expect(result.errors.length).toBeGreaterThan(0);
    for (const error of result.errors) expect(error.path).toMatch(/^line 2: \$\.created/);
    expect(await node.intel.count(node.intelId)).toBe(2);
  });

  it('finds a line repeated in the same file already present, as it would line by line', async () => {
    const object = indicator();
    const { ingest, calls } = counted();
    const result = await importFile('feed.ndjson', ndjson([object, malware(), object]), ingest, { partial: false });
    expect(result).toMatchObject({ status: 'imported', total: 3, added: 2, duplicates: 1, rejected: 0 });
    expect(calls.map((c) => c.objects)).toEqual([2, 1]);
  });

  it('gives a bundle its own ingest, whole or not at all, between runs of objects', async () => {
    const bundle = { type: 'bundle', id: 'bundle--6f1b4a43-8c51-4a5e-9c1a-0d6b2f1f0a01', objects: [indicator(), { ...malware(), created: 'yesterday' }] };
    const { ingest, calls } = counted();
    const result = await importFile('mixed.ndjson', ndjson([indicator(), bundle, indicator()]), ingest, { partial: false });
    expect(calls).toEqual([{ objects: 1, partial: true }, { objects: 2, partial: false }, { objects: 1, partial: true }]);
    expect(result).toMatchObject({ status: 'partial', added: 2, rejected: 1 });
    expect(result.errors.some((e) => e.path?.startsWith('line 2: $.objects[1].created'))).toBe(true);
    expect(await node.intel.count(node.intelId)).toBe(2);
  });

  it('names the element of a JSON array of objects that was rejected', async () => {
    const { ingest, calls } = counted();
    const result = await importFile('list.json', JSON.stringify([indicator(), { type: 'indicator' }]), ingest, { partial: false });
    expect(calls).toEqual([{ objects: 2, partial: true }]);
    expect(result).toMatchObject({ status: 'partial', added: 1, rejected: 1 });
    expect(result.errors.every((e) => e.path?.startsWith('$[1]'))).toBe(true);
  });

  it(`sends at most ${OBJECTS_PER_INGEST} objects to one ingest`, async () => {
    const objects = Array.from({ length: OBJECTS_PER_INGEST + 2 }, () => indicator());
    const { ingest, calls } = counted();
    const result = await importFile('big.ndjson', ndjson(objects), ingest, { partial: false });
    expect(calls.map((c) => c.objects)).toEqual([OBJECTS_PER_INGEST, 2]);
    expect(result).toMatchObject({ status: 'imported', added: OBJECTS_PER_INGEST + 2 });
  });

  it('rejects an NDJSON line that is not JSON, with its line, and stores the others', async () => {
    const { ingest, calls } = counted();
    const result = await importFile('broken.ndjson', `${JSON.stringify(indicator())}\n{"type": \n${JSON.stringify(malware())}\n`, ingest, { partial: false });
    expect(result).toMatchObject({ status: 'partial', total: 3, added: 2, rejected: 1 });
    expect(result.errors).toEqual([{ path: 'line 2: $', message: expect.stringMatching(/broken\.ndjson:2/) }]);
    expect(calls).toEqual([{ objects: 2, partial: true }]);
  });

  it('rejects a whole file that is not JSON and stores nothing', async () => {
    const { ingest, calls } = counted();
    const result = await importFile('broken.json', `{"type": "bundle", "objects": [`, ingest, { partial: false });
    expect(result.status).toBe('rejected');
    expect(result.errors[0]?.message).toMatch(/broken\.json/);
    expect(calls).toEqual([]);
  });
});
