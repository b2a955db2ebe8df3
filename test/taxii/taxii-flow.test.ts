import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, indicator, malware, startNode, TAXII, type TestNode } from './node-harness.js';

let node: TestNode;
beforeAll(async () => {
  node = await startNode();
});
afterAll(async () => node.close());

const ROOT = '/taxii2/default';
const get = (url: string, user: 'admin' | 'alice' | 'bob' | 'carol' = 'alice') =>
  node.app.inject({ method: 'GET', url, headers: { authorization: basic(user), accept: TAXII } });
const post = (url: string, body: unknown, user: 'admin' | 'alice' | 'bob' | 'carol' = 'alice') =>
  node.app.inject({ method: 'POST', url, headers: { authorization: basic(user), accept: TAXII, 'content-type': TAXII }, payload: JSON.stringify(body) });
const objectsUrl = () => `${ROOT}/collections/${node.intelId}/objects/`;

describe('TAXII 2.1 discovery and collections', () => {
  it('serves discovery with absolute API root URLs and the default root', async () => {
    const res = await get('/taxii2/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(TAXII);
    expect(res.json()).toEqual({
      title: 'Entente test node', description: 'TAXII under test', contact: 'soc@example.org',
      default: 'http://localhost:80/taxii2/default/', api_roots: ['http://localhost:80/taxii2/default/'],
    });
  });

  it('serves the API root with the TAXII version and max_content_length', async () => {
    const res = await get(`${ROOT}/`);
    expect(res.json()).toEqual({ title: 'Default API root', versions: [TAXII], max_content_length: 10 * 1024 * 1024 });
  });

  it('lists only the collections the caller can see, with its rights on each', async () => {
    const alice = (await get(`${ROOT}/collections/`)).json();
    expect(alice.collections).toEqual([
      { id: node.intelId, title: 'Shared intel', description: 'Test collection', alias: 'shared-intel', can_read: true, can_write: true, media_types: ['application/stix+json;version=2.1'] },
    ]);
    const bob = (await get(`${ROOT}/collections/`, 'bob')).json();
    expect(bob.collections.map((c: { can_write: boolean }) => c.can_write)).toEqual([false]);
    expect((await get(`${ROOT}/collections/`, 'carol')).json()).toEqual({});
    expect((await get(`${ROOT}/collections/`, 'admin')).json().collections).toHaveLength(2);
  });

  it('serves one collection by id and by alias', async () => {
    expect((await get(`${ROOT}/collections/${node.intelId}/`)).json().id).toBe(node.intelId);
    expect((await get(`${ROOT}/collections/shared-intel/`)).json().id).toBe(node.intelId);
  });
});

describe('TAXII 2.1 objects: add, read, page, filter, delete', () => {
  const first = indicator({ id: 'indicator--11111111-1111-4111-8111-111111111111' });
  const second = { ...first, modified: '2025-07-01T00:00:00.000Z', name: 'Bad address, revised' };
  const third = { ...first, modified: '2025-08-01T00:00:00.000Z', name: 'Bad address, revised again' };
  const family = malware();
  const bulk = Array.from({ length: 23 }, () => indicator());

  it('accepts an envelope with 202 and a status resource that counts every object', async () => {
    const res = await post(objectsUrl(), { objects: [first, family] });
    expect(res.statusCode).toBe(202);
    expect(res.headers['content-type']).toBe(TAXII);
    const status = res.json();
    expect(status).toMatchObject({ status: 'complete', total_count: 2, success_count: 2, failure_count: 0, pending_count: 0, request_timestamp: '2026-01-01T00:00:00.000Z' });
    expect(status.successes).toEqual([
      { id: first['id'], version: '2025-06-01T00:00:00.000Z' },
      { id: family['id'], version: '2025-06-01T00:00:00.000Z' },
    ]);
    const polled = await get(`${ROOT}/status/${status.id}/`);
    expect(polled.statusCode).toBe(200);
    expect(polled.json()).toEqual(status);
  });

  it('stores later versions and a bulk envelope added at later times', async () => {
    node.clock.advance(60_000);
    expect((await post(objectsUrl(), { objects: [second] })).json().success_count).toBe(1);
    node.clock.advance(60_000);
    expect((await post(objectsUrl(), { objects: [third, ...bulk] })).json().success_count).toBe(24);
  });

  it('treats a re-posted version as a success that is already present', async () => {
    const status = (await post(objectsUrl(), { objects: [first] })).json();
    expect(status).toMatchObject({ total_count: 1, success_count: 1, failure_count: 0 });
    expect(status.successes[0].message).toBe('already present');
  });

  it('returns the latest version of each object by default, with the date-added headers', async () => {
    const res = await get(objectsUrl());
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.more).toBe(false);
    expect(body.objects).toHaveLength(25);
    expect(body.objects.find((o: { id: string }) => o.id === first['id']).modified).toBe('2025-08-01T00:00:00.000Z');
    expect(res.headers['x-taxii-date-added-first']).toBe('2026-01-01T00:00:00.000Z');
    expect(res.headers['x-taxii-date-added-last']).toBe('2026-01-01T00:02:00.000Z');
  });

  it('pages to the end with limit and next, each object once', async () => {
    const seen: string[] = [];
    let url = `${objectsUrl()}?limit=10`;
    const sizes: number[] = [];
    for (let i = 0; i < 10; i++) {
      const body = (await get(url)).json();
      sizes.push(body.objects.length);
      seen.push(...body.objects.map((o: { id: string }) => o.id));
      if (!body.more) {
        expect(body.next).toBeUndefined();
        break;
      }
      url = `${objectsUrl()}?limit=10&next=${encodeURIComponent(body.next)}`;
    }
    expect(sizes).toEqual([10, 10, 5]);
    expect(new Set(seen).size).toBe(25);
  });

  it('filters by match[type], match[id] (comma-separated) and added_after', async () => {
    const types = (await get(`${objectsUrl()}?match[type]=malware`)).json();
    expect(types.objects.map((o: { id: string }) => o.id)).toEqual([family['id']]);
    const ids = (await get(`${objectsUrl()}?match[id]=${first['id']},${family['id']}`)).json();
    expect(ids.objects.map((o: { id: string }) => o.id).sort()).toEqual([first['id'], family['id']].sort());
    const after = (await get(`${objectsUrl()}?added_after=2026-01-01T00:01:00.000Z`)).json();
    expect(after.objects).toHaveLength(24);
  });

  it('selects versions with match[version] first, last, all and a timestamp', async () => {
    const url = (v: string) => `${objectsUrl()}?match[id]=${first['id']}&match[version]=${v}`;
    const modifiedOf = async (v: string) => (await get(url(v))).json().objects.map((o: { modified: string }) => o.modified);
    expect(await modifiedOf('first')).toEqual(['2025-06-01T00:00:00.000Z']);
    expect(await modifiedOf('last')).toEqual(['2025-08-01T00:00:00.000Z']);
    expect(await modifiedOf('all')).toEqual(['2025-06-01T00:00:00.000Z', '2025-07-01T00:00:00.000Z', '2025-08-01T00:00:00.000Z']);
    expect(await modifiedOf('2025-07-01T00:00:00.000Z')).toEqual(['2025-07-01T00:00:00.000Z']);
    expect(await modifiedOf('first,last')).toEqual(['2025-06-01T00:00:00.000Z', '2025-08-01T00:00:00.000Z']);
  });

  it('filters by match[spec_version]', async () => {
    expect((await get(`${objectsUrl()}?match[spec_version]=2.1`)).json().objects).toHaveLength(25);
    expect((await get(`${objectsUrl()}?match[spec_version]=2.0`)).json()).toEqual({ more: false });
  });

  it('serves the manifest with one record per version and the same paging', async () => {
    const res = await get(`${ROOT}/collections/${node.intelId}/manifest/?match[id]=${first['id']}&match[version]=all`);
    expect(res.statusCode).toBe(200);
    expect(res.json().objects).toEqual([
      { id: first['id'], date_added: '2026-01-01T00:00:00.000Z', version: '2025-06-01T00:00:00.000Z', media_type: 'application/stix+json;version=2.1' },
      { id: first['id'], date_added: '2026-01-01T00:01:00.000Z', version: '2025-07-01T00:00:00.000Z', media_type: 'application/stix+json;version=2.1' },
      { id: first['id'], date_added: '2026-01-01T00:02:00.000Z', version: '2025-08-01T00:00:00.000Z', media_type: 'application/stix+json;version=2.1' },
    ]);
    const paged = (await get(`${ROOT}/collections/${node.intelId}/manifest/?limit=20`)).json();
    expect(paged.objects).toHaveLength(20);
    expect(paged.more).toBe(true);
  });

  it('serves one object and its versions, oldest first', async () => {
    const one = await get(`${objectsUrl()}${first['id']}/`);
    expect(one.json().objects.map((o: { modified: string }) => o.modified)).toEqual(['2025-08-01T00:00:00.000Z']);
    const versions = await get(`${objectsUrl()}${first['id']}/versions/`);
    expect(versions.json()).toEqual({ more: false, versions: ['2025-06-01T00:00:00.000Z', '2025-07-01T00:00:00.000Z', '2025-08-01T00:00:00.000Z'] });
    expect(versions.headers['x-taxii-date-added-first']).toBe('2026-01-01T00:00:00.000Z');
    const paged = (await get(`${objectsUrl()}${first['id']}/versions/?limit=2`)).json();
    expect(paged).toMatchObject({ more: true, versions: ['2025-06-01T00:00:00.000Z', '2025-07-01T00:00:00.000Z'] });
  });

  it('deletes the versions a filter selects, then the rest, then answers 404', async () => {
    const del = (query = '') => node.app.inject({ method: 'DELETE', url: `${objectsUrl()}${first['id']}/${query}`, headers: { authorization: basic('alice'), accept: TAXII } });
    expect((await del('?match[version]=first')).statusCode).toBe(200);
    expect((await get(`${objectsUrl()}${first['id']}/versions/`)).json().versions).toEqual(['2025-07-01T00:00:00.000Z', '2025-08-01T00:00:00.000Z']);
    expect((await del('?match[version]=all')).statusCode).toBe(200);
    expect((await get(`${objectsUrl()}${first['id']}/`)).statusCode).toBe(404);
    expect((await del()).statusCode).toBe(404);
  });

  it('clamps a limit above the server maximum instead of refusing it', async () => {
    const res = await get(`${objectsUrl()}?limit=999999`);
    expect(res.statusCode).toBe(200);
    expect(res.json().objects).toHaveLength(24);
  });
});
