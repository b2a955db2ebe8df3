import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indicator, malware, startNode, type TestNode } from '../../../test/taxii/node-harness.js';
import type { ChangeFeed, IntelChange, PublishAck } from '../../ports/bus.js';
import { IntelService } from './intel-service.js';

let node: TestNode;
beforeAll(async () => {
  node = await startNode();
});
afterAll(async () => node.close());

const actor = { name: 'alice' };

/** A feed that records what it is given, or fails every publish. */
function recordingFeed(fail = false): ChangeFeed & { readonly published: IntelChange[] } {
  const published: IntelChange[] = [];
  return {
    published,
    publish: async (change): Promise<PublishAck> => {
      if (fail) throw new Error('bus down');
      published.push(change);
      return { seq: published.length, duplicate: false };
    },
    subscribe: () => Promise.reject(new Error('not used')),
  };
}

describe('IntelService change feed', () => {
  it('publishes one change per write naming each added object, after it is stored', async () => {
    const feed = recordingFeed();
    const intel = new IntelService({ store: node.store, clock: node.clock, changes: feed });
    const a = indicator();
    const b = malware();
    const report = await intel.ingest(node.intelId, { objects: [a, b] }, { actor });
    expect(feed.published).toEqual([{
      kind: 'write', collectionId: node.intelId, at: report.requestedAt,
      objects: [{ id: a['id'], type: 'indicator', version: a['modified'] }, { id: b['id'], type: 'malware', version: b['modified'] }],
    }]);
    expect(await node.store.getLatest(String(a['id']))).toBeDefined();
  });

  it('publishes nothing for duplicates or a rejected batch, and a delete as its own change', async () => {
    const feed = recordingFeed();
    const intel = new IntelService({ store: node.store, clock: node.clock, changes: feed });
    const a = indicator();
    await intel.ingest(node.intelId, { objects: [a] }, { actor });
    await intel.ingest(node.intelId, { objects: [a] }, { actor });
    await intel.ingest(node.intelId, { objects: [indicator(), { type: 'indicator' }] }, { actor });
    expect(feed.published).toHaveLength(1);
    await intel.deleteObject(node.intelId, String(a['id']));
    expect(feed.published[1]).toMatchObject({ kind: 'delete', objects: [{ id: a['id'], type: 'indicator', version: '*' }] });
  });

  it('keeps the write when the publish fails, counting and reporting the lost change', async () => {
    const lost: IntelChange[] = [];
    const intel = new IntelService({ store: node.store, clock: node.clock, changes: recordingFeed(true), onChangeLost: (_e, c) => lost.push(c) });
    const a = indicator();
    const report = await intel.ingest(node.intelId, { objects: [a] }, { actor });
    expect(report.added).toBe(1);
    expect(intel.changesLost).toBe(1);
    expect(lost[0]?.objects[0]?.id).toBe(a['id']);
    expect(await node.store.getLatest(String(a['id']))).toBeDefined();
  });
});
