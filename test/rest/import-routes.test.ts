import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle, importBundle, indicator, startRestNode, withoutId, type RestNode } from './rest-harness.js';

describe('REST import jobs', () => {
  let node: RestNode;
  beforeAll(async () => {
    node = await startRestNode();
  });
  afterAll(async () => node.close());

  it('imports a bundle, answers 201 with the job and its location, and stores the objects', async () => {
    const a = indicator();
    const res = await importBundle(node, 'alice', 'shared-intel', bundle(a, indicator()));
    expect(res.statusCode).toBe(201);
    const job = res.json();
    expect(job).toMatchObject({
      status: 'complete', collection: node.intelId, owner: 'alice', total: 2, succeeded: 2, failed: 0, pending: 0, failures: [],
      summary: { added: 2, duplicates: 0, rejected: 0, notWritten: 0 },
    });
    expect(res.headers['location']).toBe(`/api/v1/imports/${job.id}`);
    expect((await node.call('alice', { method: 'GET', url: `/api/v1/objects/${a['id']}` })).statusCode).toBe(200);
  });

  it('counts a re-import as duplicates, which succeed', async () => {
    const a = indicator();
    await importBundle(node, 'alice', 'shared-intel', bundle(a));
    const again = (await importBundle(node, 'alice', 'shared-intel', bundle(a))).json();
    expect(again).toMatchObject({ succeeded: 1, summary: { added: 0, duplicates: 1 } });
  });

  it('writes nothing from a bundle with an invalid object, and names the JSON path of each problem', async () => {
    const good = indicator();
    const res = await importBundle(node, 'alice', 'shared-intel', bundle(good, withoutId()));
    expect(res.statusCode).toBe(201);
    const job = res.json();
    expect(job.summary).toEqual({ added: 0, duplicates: 0, rejected: 1, notWritten: 1 });
    expect(job.failed).toBe(2);
    const rejected = job.failures.find((f: { errors: Array<{ path?: string }> }) => f.errors.some((e) => e.path === '$.objects[1].id'));
    expect(rejected).toBeDefined();
    expect((await node.call('alice', { method: 'GET', url: `/api/v1/objects/${good['id']}` })).statusCode).toBe(404);
  });

  it('writes the valid objects of a bundle when partial=true', async () => {
    const good = indicator();
    const job = (await importBundle(node, 'alice', 'shared-intel', bundle(good, withoutId()), '&partial=true')).json();
    expect(job.summary).toEqual({ added: 1, duplicates: 0, rejected: 1, notWritten: 0 });
    expect((await node.call('alice', { method: 'GET', url: `/api/v1/objects/${good['id']}` })).statusCode).toBe(200);
  });

  it('reads a job back for its owner and an admin, and hides it from anyone else', async () => {
    const posted = (await importBundle(node, 'alice', 'shared-intel', bundle(indicator(), withoutId()), '&partial=true')).json();
    const { summary: _summary, ...job } = posted;
    void _summary;
    const own = await node.call('alice', { method: 'GET', url: `/api/v1/imports/${posted.id}` });
    expect(own.statusCode).toBe(200);
    expect(own.json()).toEqual(job);
    expect(own.json().failures[0].errors[0]).toEqual({ path: '$.objects[1].id', message: expect.any(String) });
    expect((await node.call('admin', { method: 'GET', url: `/api/v1/imports/${posted.id}` })).statusCode).toBe(200);
    const other = await node.call('bob', { method: 'GET', url: `/api/v1/imports/${posted.id}` });
    expect(other.statusCode).toBe(404);
    expect((await node.call('alice', { method: 'GET', url: '/api/v1/imports/no-such-job' })).statusCode).toBe(404);
  });

  it('is the TAXII status resource of the same ingest', async () => {
    const job = (await importBundle(node, 'alice', 'shared-intel', bundle(indicator()))).json();
    const status = await node.call('alice', {
      method: 'GET', url: `/taxii2/default/status/${job.id}/`, headers: { accept: 'application/taxii+json;version=2.1' },
    });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({ id: job.id, status: 'complete', total_count: 1, success_count: 1 });
  });

  it('needs write access: 403 to a reader, 404 for a collection the caller cannot see', async () => {
    const reader = await importBundle(node, 'bob', 'shared-intel', bundle(indicator()));
    expect(reader.statusCode).toBe(403);
    expect(reader.json().error.code).toBe('ENTENTE_FORBIDDEN');
    const unseen = await importBundle(node, 'alice', 'secret', bundle(indicator()));
    expect(unseen.statusCode).toBe(404);
    expect(unseen.json().error.code).toBe('ENTENTE_COLLECTION_NOT_FOUND');
    expect((await importBundle(node, 'alice', 'nope', bundle(indicator()))).statusCode).toBe(404);
  });

  it('refuses malformed JSON with the line and column', async () => {
    const res = await node.call('alice', {
      method: 'POST', url: '/api/v1/imports?collection=shared-intel', headers: { 'content-type': 'application/json' }, payload: '{"type": "bundle",\n "objects": [}',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('ENTENTE_JSON_MALFORMED');
    expect(res.json().error.message).toMatch(/line 2/);
  });

  it('refuses what is not a bundle, naming the property', async () => {
    const notBundle = await importBundle(node, 'alice', 'shared-intel', { type: 'indicator', objects: [] });
    expect(notBundle.statusCode).toBe(400);
    expect(notBundle.json().error).toMatchObject({ code: 'ENTENTE_BAD_REQUEST', details: [{ path: '$.type' }] });
    const noObjects = await importBundle(node, 'alice', 'shared-intel', { type: 'bundle', id: 'bundle--x' });
    expect(noObjects.json().error.details).toEqual([{ path: '$.objects', message: 'is required' }]);
    const wrongType = await importBundle(node, 'alice', 'shared-intel', { type: 'bundle', objects: [1] });
    expect(wrongType.json().error.details[0].path).toBe('$.objects[0]');
  });

  it('refuses a missing collection parameter and a non-boolean flag', async () => {
    const missing = await node.call('alice', { method: 'POST', url: '/api/v1/imports', payload: bundle(indicator()) });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details).toEqual([{ path: 'collection', message: 'is required' }]);
    const flag = await importBundle(node, 'alice', 'shared-intel', bundle(indicator()), '&partial=perhaps');
    expect(flag.statusCode).toBe(400);
    expect(flag.json().error.details[0].path).toBe('partial');
  });

  it('refuses a body that is not JSON with 415', async () => {
    const res = await node.call('alice', { method: 'POST', url: '/api/v1/imports?collection=shared-intel', headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('ENTENTE_UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('REST import limits', () => {
  let node: RestNode;
  beforeAll(async () => {
    node = await startRestNode({ maxContentLength: 4096 });
  });
  afterAll(async () => node.close());

  it('refuses a body above the node\'s maximum content length with 413', async () => {
    const big = bundle(...Array.from({ length: 40 }, () => indicator()));
    const res = await importBundle(node, 'alice', 'shared-intel', big);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('ENTENTE_BODY_TOO_LARGE');
  });

  it('refuses JSON nested deeper than the limit, with the path where it went too deep', async () => {
    const deep = `{"type":"bundle","objects":[${'['.repeat(100)}${']'.repeat(100)}]}`;
    const res = await node.call('alice', { method: 'POST', url: '/api/v1/imports?collection=shared-intel', headers: { 'content-type': 'application/json' }, payload: deep });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('ENTENTE_JSON_TOO_DEEP');
    expect(res.json().error.details[0].path).toMatch(/^\$\.objects\[0\]/);
  });
});

describe('REST import job list', () => {
  let node: RestNode;
  beforeAll(async () => {
    node = await startRestNode();
  });
  afterAll(async () => node.close());

  it('lists the caller\'s jobs newest first, everyone\'s to an admin, with paging', async () => {
    const first = (await importBundle(node, 'alice', 'shared-intel', bundle(indicator()))).json();
    node.clock.advance(1000);
    const second = (await importBundle(node, 'alice', 'shared-intel', bundle(indicator()))).json();
    node.clock.advance(1000);
    const admins = (await importBundle(node, 'admin', 'secret', bundle(indicator()))).json();
    const page1 = (await node.call('alice', { method: 'GET', url: '/api/v1/imports?limit=1' })).json();
    expect(page1.jobs.map((j: { id: string }) => j.id)).toEqual([second.id]);
    const page2 = (await node.call('alice', { method: 'GET', url: `/api/v1/imports?limit=1&cursor=${encodeURIComponent(page1.next)}` })).json();
    expect(page2.jobs.map((j: { id: string }) => j.id)).toEqual([first.id]);
    const all = (await node.call('admin', { method: 'GET', url: '/api/v1/imports' })).json();
    expect(all.jobs.map((j: { id: string }) => j.id)).toEqual([admins.id, second.id, first.id]);
  });
});
