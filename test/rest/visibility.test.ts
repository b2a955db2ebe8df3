import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle, importBundle, indicator, malware, relationship, startRestNode, type RestNode } from './rest-harness.js';

/**
 * The security invariant at the REST boundary: nothing from a collection the caller cannot read
 * reaches it, neither as an object, a later version, a search hit nor a graph node or edge.
 */
describe('REST reads never leak what the caller cannot read', () => {
  let node: RestNode;
  const shared = malware({ name: 'Borealis dropper' });
  const secretNewer = { ...shared, modified: '2025-09-01T00:00:00.000Z', description: 'attributed to unit 00000 (secret)' };
  const secretIndicator = indicator({ name: 'Borealis secret beacon' });
  const secretLink = relationship(secretIndicator['id'] as string, 'indicates', shared['id'] as string);
  // Relationships to objects the node does not hold: one the reader may read, one it may not.
  const lonely = malware({ name: 'Lonely loader' });
  const NEVER_STORED = 'attack-pattern--0f0e0d0c-0000-4000-8000-000000000001';
  const SECRETLY_NAMED = 'tool--0f0e0d0c-0000-4000-8000-000000000002';
  const dangling = relationship(lonely['id'] as string, 'uses', NEVER_STORED);
  const secretDangling = relationship(lonely['id'] as string, 'uses', SECRETLY_NAMED);

  beforeAll(async () => {
    node = await startRestNode();
    expect((await importBundle(node, 'alice', 'shared-intel', bundle(shared, lonely, dangling))).statusCode).toBe(201);
    expect((await importBundle(node, 'admin', 'secret', bundle(secretNewer, secretIndicator, secretLink, secretDangling))).statusCode).toBe(201);
  });
  afterAll(async () => node.close());

  it('gives a reader the latest version it can read, not a newer one held elsewhere', async () => {
    const asBob = (await node.call('bob', { method: 'GET', url: `/api/v1/objects/${shared['id']}` })).json();
    expect(asBob.modified).toBe('2025-06-01T00:00:00.000Z');
    expect(JSON.stringify(asBob)).not.toContain('unit 00000');
    const asAdmin = (await node.call('admin', { method: 'GET', url: `/api/v1/objects/${shared['id']}` })).json();
    expect(asAdmin.modified).toBe('2025-09-01T00:00:00.000Z');
  });

  it('lists only readable versions, and 404s a named version held elsewhere', async () => {
    const versions = (await node.call('bob', { method: 'GET', url: `/api/v1/objects/${shared['id']}/versions` })).json();
    expect(versions.versions.map((v: { version: string }) => v.version)).toEqual(['2025-06-01T00:00:00.000Z']);
    const named = await node.call('bob', { method: 'GET', url: `/api/v1/objects/${shared['id']}?version=2025-09-01T00:00:00.000Z` });
    expect(named.statusCode).toBe(404);
  });

  it('finds no hit from an unreadable collection, even for words only its version contains', async () => {
    const secretWords = (await node.call('bob', { method: 'GET', url: '/api/v1/search?q=unit%2000000' })).json();
    expect(secretWords.hits).toEqual([]);
    const beacon = (await node.call('bob', { method: 'GET', url: '/api/v1/search?q=borealis' })).json();
    expect(beacon.hits.map((h: { id: string }) => h.id)).toEqual([shared['id']]);
    expect(JSON.stringify(beacon)).not.toContain('unit 00000');
  });

  it('shows no node or edge that comes from an unreadable collection in the graph', async () => {
    const graph = (await node.call('bob', { method: 'GET', url: `/api/v1/objects/${shared['id']}/neighbours?depth=2` })).json();
    expect(graph.nodes.map((n: { id: string }) => n.id)).toEqual([shared['id']]);
    expect(graph.edges).toEqual([]);
    const body = JSON.stringify(graph);
    expect(body).not.toContain(secretIndicator['id']);
    expect(body).not.toContain(secretLink['id']);
    const asAdmin = (await node.call('admin', { method: 'GET', url: `/api/v1/objects/${shared['id']}/neighbours` })).json();
    expect(asAdmin.edges).toHaveLength(1);
  });

  it('shows an edge to an object the node does not hold only when the relationship naming it may be read', async () => {
    const graph = (await node.call('bob', { method: 'GET', url: `/api/v1/objects/${lonely['id']}/neighbours` })).json();
    expect(graph.edges).toEqual([expect.objectContaining({ source: lonely['id'], target: NEVER_STORED, via: dangling['id'] })]);
    expect(graph.missing).toEqual([NEVER_STORED]);
    expect(JSON.stringify(graph)).not.toContain(SECRETLY_NAMED);
    const asAdmin = (await node.call('admin', { method: 'GET', url: `/api/v1/objects/${lonely['id']}/neighbours` })).json();
    expect(asAdmin.missing.sort()).toEqual([NEVER_STORED, SECRETLY_NAMED].sort());
  });
});
