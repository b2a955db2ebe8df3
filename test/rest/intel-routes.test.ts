import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle, importBundle, indicator, malware, relationship, startRestNode, type RestNode } from './rest-harness.js';

describe('REST intel routes', () => {
  let node: RestNode;
  const evil = malware({ name: 'Quasarstorm loader', description: 'Drops a backdoor' });
  const ind = indicator({ name: 'Quasarstorm C2 address' });
  const link = relationship(ind['id'] as string, 'indicates', evil['id'] as string);
  const hidden = indicator({ name: 'Quasarstorm secret source' });
  const v1 = malware({ name: 'Versioned family', modified: '2025-06-01T00:00:00.000Z' });
  const v2 = { ...v1, modified: '2025-07-01T00:00:00.000Z', description: 'second version' };

  beforeAll(async () => {
    node = await startRestNode();
    expect((await importBundle(node, 'alice', 'shared-intel', bundle(evil, ind, link, v1))).statusCode).toBe(201);
    expect((await importBundle(node, 'alice', 'shared-intel', bundle(v2))).statusCode).toBe(201);
    expect((await importBundle(node, 'admin', 'secret', bundle(hidden))).statusCode).toBe(201);
  });
  afterAll(async () => node.close());

  describe('GET /api/v1/search', () => {
    it('finds objects by prefix words, only in collections the caller can read', async () => {
      const asBob = await node.call('bob', { method: 'GET', url: '/api/v1/search?q=quasarstorm' });
      expect(asBob.statusCode).toBe(200);
      const ids = asBob.json().hits.map((h: { id: string }) => h.id).sort();
      expect(ids).toEqual([evil['id'], ind['id']].sort());
      const asAdmin = await node.call('admin', { method: 'GET', url: '/api/v1/search?q=quasar' });
      expect(asAdmin.json().hits.map((h: { id: string }) => h.id)).toContain(hidden['id']);
    });

    it('returns nothing to a caller with no readable collection, rather than searching everything', async () => {
      const res = await node.call('carol', { method: 'GET', url: '/api/v1/search?q=quasarstorm' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ hits: [] });
    });

    it('filters by type and by collection, and gives hits a title', async () => {
      const res = await node.call('alice', { method: 'GET', url: '/api/v1/search?q=quasarstorm&type=malware&collection=shared-intel' });
      expect(res.json().hits).toHaveLength(1);
      expect(res.json().hits[0]).toMatchObject({ id: evil['id'], type: 'malware', title: 'Quasarstorm loader' });
      expect(res.json().hits[0].object.description).toBe('Drops a backdoor');
    });

    it('pages with limit and cursor without repeating a hit', async () => {
      const first = await node.call('alice', { method: 'GET', url: '/api/v1/search?q=quasarstorm&limit=1' });
      expect(first.json().hits).toHaveLength(1);
      const next = first.json().next as string;
      expect(typeof next).toBe('string');
      const second = await node.call('alice', { method: 'GET', url: `/api/v1/search?q=quasarstorm&limit=1&cursor=${encodeURIComponent(next)}` });
      expect(second.json().hits).toHaveLength(1);
      expect(second.json().hits[0].id).not.toBe(first.json().hits[0].id);
    });

    it('answers 404 for a collection the caller cannot see, 400 with the parameter for bad input', async () => {
      const hiddenCollection = await node.call('bob', { method: 'GET', url: '/api/v1/search?q=x&collection=secret' });
      expect(hiddenCollection.statusCode).toBe(404);
      expect(hiddenCollection.json().error.code).toBe('ENTENTE_COLLECTION_NOT_FOUND');
      const missing = await node.call('bob', { method: 'GET', url: '/api/v1/search' });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().error).toMatchObject({ code: 'ENTENTE_INVALID_PARAMETER', details: [{ path: 'q', message: 'is required' }] });
      const badLimit = await node.call('bob', { method: 'GET', url: '/api/v1/search?q=x&limit=many' });
      expect(badLimit.statusCode).toBe(400);
      expect(badLimit.json().error.details[0].path).toBe('limit');
      const badType = await node.call('bob', { method: 'GET', url: '/api/v1/search?q=x&type=Not%20A%20Type' });
      expect(badType.json().error.details[0].path).toBe('type');
    });
  });

  describe('GET /api/v1/objects/{id}', () => {
    it('returns the latest version by default and a named version on request', async () => {
      const latest = await node.call('bob', { method: 'GET', url: `/api/v1/objects/${v1['id']}` });
      expect(latest.statusCode).toBe(200);
      expect(latest.json()).toMatchObject({ id: v1['id'], modified: '2025-07-01T00:00:00.000Z', description: 'second version' });
      const old = await node.call('bob', { method: 'GET', url: `/api/v1/objects/${v1['id']}?version=2025-06-01T00:00:00Z` });
      expect(old.statusCode).toBe(200);
      expect(old.json().modified).toBe('2025-06-01T00:00:00.000Z');
      expect(old.json().description).toBeUndefined();
    });

    it('answers 404 alike for an object that does not exist and one the caller cannot read', async () => {
      const unseen = await node.call('bob', { method: 'GET', url: `/api/v1/objects/${hidden['id']}` });
      const absent = await node.call('bob', { method: 'GET', url: '/api/v1/objects/indicator--00000000-0000-4000-8000-000000000000' });
      expect(unseen.statusCode).toBe(404);
      expect(absent.statusCode).toBe(404);
      expect(unseen.json().error.code).toBe('ENTENTE_NOT_FOUND');
      expect(unseen.json().error.message.replace(hidden['id'] as string, 'X')).toBe(absent.json().error.message.replace(/indicator--[0-9a-f-]+/, 'X'));
      expect((await node.call('admin', { method: 'GET', url: `/api/v1/objects/${hidden['id']}` })).statusCode).toBe(200);
      expect((await node.call('carol', { method: 'GET', url: `/api/v1/objects/${evil['id']}` })).statusCode).toBe(404);
    });

    it('refuses a malformed id or version with the parameter named', async () => {
      const badId = await node.call('bob', { method: 'GET', url: '/api/v1/objects/not-an-id' });
      expect(badId.statusCode).toBe(400);
      expect(badId.json().error).toMatchObject({ code: 'ENTENTE_INVALID_PARAMETER', details: [{ path: 'id' }] });
      const badVersion = await node.call('bob', { method: 'GET', url: `/api/v1/objects/${v1['id']}?version=yesterday` });
      expect(badVersion.statusCode).toBe(400);
      expect(badVersion.json().error.details[0].path).toBe('version');
      const unknownVersion = await node.call('bob', { method: 'GET', url: `/api/v1/objects/${v1['id']}?version=2020-01-01T00:00:00Z` });
      expect(unknownVersion.statusCode).toBe(404);
    });
  });

  describe('GET /api/v1/objects/{id}/versions', () => {
    it('lists every version oldest first with the collections that hold it', async () => {
      const res = await node.call('bob', { method: 'GET', url: `/api/v1/objects/${v1['id']}/versions` });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        id: v1['id'],
        versions: [
          { version: '2025-06-01T00:00:00.000Z', specVersion: '2.1', collections: [node.intelId] },
          { version: '2025-07-01T00:00:00.000Z', specVersion: '2.1', collections: [node.intelId] },
        ],
      });
    });

    it('answers 404 for an object the caller cannot read', async () => {
      expect((await node.call('bob', { method: 'GET', url: `/api/v1/objects/${hidden['id']}/versions` })).statusCode).toBe(404);
    });
  });

  describe('GET /api/v1/objects/{id}/neighbours', () => {
    it('returns nodes and edges around an object', async () => {
      const res = await node.call('bob', { method: 'GET', url: `/api/v1/objects/${evil['id']}/neighbours?depth=1` });
      expect(res.statusCode).toBe(200);
      const graph = res.json();
      expect(graph.nodes.map((n: { id: string }) => n.id).sort()).toEqual([evil['id'], ind['id']].sort());
      expect(graph.edges).toContainEqual(expect.objectContaining({ source: ind['id'], target: evil['id'], kind: 'relationship', label: 'indicates', via: link['id'] }));
      expect(graph.missing).toEqual([]);
    });

    it('follows the direction asked', async () => {
      const outgoing = await node.call('bob', { method: 'GET', url: `/api/v1/objects/${evil['id']}/neighbours?direction=out` });
      expect(outgoing.json().edges.filter((e: { kind: string }) => e.kind === 'relationship')).toEqual([]);
      const incoming = await node.call('bob', { method: 'GET', url: `/api/v1/objects/${evil['id']}/neighbours?direction=in` });
      expect(incoming.json().edges).toHaveLength(1);
    });

    it('refuses a depth other than 1 or 2 and hides objects the caller cannot read', async () => {
      const deep = await node.call('bob', { method: 'GET', url: `/api/v1/objects/${evil['id']}/neighbours?depth=3` });
      expect(deep.statusCode).toBe(400);
      expect(deep.json().error.details[0].path).toBe('depth');
      expect((await node.call('carol', { method: 'GET', url: `/api/v1/objects/${evil['id']}/neighbours` })).statusCode).toBe(404);
    });
  });

  it('asks for credentials before looking at the request', async () => {
    const res = await node.call(undefined, { method: 'GET', url: '/api/v1/search?limit=nonsense' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('ENTENTE_UNAUTHENTICATED');
    expect(res.headers['www-authenticate']).toBeDefined();
    const wrong = await node.app.inject({ method: 'GET', url: '/api/v1/search?q=x', headers: { authorization: `Basic ${Buffer.from('bob:wrong-password').toString('base64')}` } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.message).toMatch(/wrong password/);
  });

  it('answers an unknown REST route with a JSON 404', async () => {
    const res = await node.call('bob', { method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('ENTENTE_NOT_FOUND');
  });
});
