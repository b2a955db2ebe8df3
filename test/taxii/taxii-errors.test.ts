import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, indicator, startNode, TAXII, type TestNode } from './node-harness.js';

let node: TestNode;
beforeAll(async () => {
  node = await startNode({ maxContentLength: 4096, maxJsonDepth: 16 });
});
afterAll(async () => node.close());

const ROOT = '/taxii2/default';
const objectsUrl = () => `${ROOT}/collections/${node.intelId}/objects/`;
type Headers = Record<string, string>;
const request = (method: 'GET' | 'POST' | 'DELETE', url: string, headers: Headers, payload?: string) =>
  node.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
const asAlice: Headers = { authorization: basic('alice'), accept: TAXII };
const postAs = (headers: Headers, payload: string) => request('POST', objectsUrl(), { 'content-type': TAXII, ...headers }, payload);

/** Every TAXII error carries the section 3.6.1 fields. */
function expectTaxiiError(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: number, code: string): Record<string, unknown> {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toBe(TAXII);
  const body = res.json() as Record<string, unknown>;
  expect(body).toMatchObject({ title: expect.any(String), description: expect.any(String), error_id: expect.any(String), error_code: code, http_status: String(status) });
  expect(body['details']).toMatchObject({ problems: expect.any(Array) });
  return body;
}

describe('TAXII authentication and authorisation', () => {
  it('answers 401 with both challenges when credentials are missing', async () => {
    const res = await request('GET', '/taxii2/', { accept: TAXII });
    expectTaxiiError(res, 401, 'ENTENTE_UNAUTHENTICATED');
    expect(res.headers['www-authenticate']).toEqual(['Basic realm="entente", charset="UTF-8"', 'Bearer realm="entente"']);
  });

  it('answers 401 to a wrong password and to an unknown token', async () => {
    const wrong = `Basic ${Buffer.from('alice:not-her-password').toString('base64')}`;
    expectTaxiiError(await request('GET', '/taxii2/', { authorization: wrong }), 401, 'ENTENTE_UNAUTHENTICATED');
    expectTaxiiError(await request('GET', '/taxii2/', { authorization: 'Bearer ent_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }), 401, 'ENTENTE_UNAUTHENTICATED');
  });

  it('accepts a bearer token until it expires', async () => {
    const { token } = await node.accounts.createToken('alice', { description: 'OpenCTI', expiresAt: '2026-01-02T00:00:00.000Z' });
    const res = await request('GET', `${ROOT}/collections/`, { authorization: `Bearer ${token}`, accept: TAXII });
    expect(res.statusCode).toBe(200);
    node.clock.set('2026-01-03T00:00:00.000Z');
    expectTaxiiError(await request('GET', `${ROOT}/collections/`, { authorization: `Bearer ${token}` }), 401, 'ENTENTE_UNAUTHENTICATED');
    node.clock.set('2026-01-01T00:00:00.000Z');
  });

  it('accepts the token under the Token scheme that taxii2-client TokenAuth sends', async () => {
    const { token } = await node.accounts.createToken('bob');
    expect((await request('GET', `${ROOT}/collections/`, { authorization: `Token ${token}` })).statusCode).toBe(200);
  });

  it('answers 403 to a reader that posts to a collection it can see', async () => {
    const res = await postAs({ authorization: basic('bob') }, JSON.stringify({ objects: [indicator()] }));
    expectTaxiiError(res, 403, 'ENTENTE_FORBIDDEN');
  });

  it('answers 404, as for a collection that does not exist, when the caller cannot see it', async () => {
    const hidden = await request('GET', `${ROOT}/collections/${node.intelId}/objects/`, { authorization: basic('carol') });
    const absent = await request('GET', `${ROOT}/collections/no-such-collection/objects/`, { authorization: basic('carol') });
    const hiddenBody = expectTaxiiError(hidden, 404, 'ENTENTE_COLLECTION_NOT_FOUND');
    const absentBody = expectTaxiiError(absent, 404, 'ENTENTE_COLLECTION_NOT_FOUND');
    expect(hiddenBody['description']).toBe(`No collection ${node.intelId}`);
    expect(absentBody['description']).toBe('No collection no-such-collection');
    expectTaxiiError(await request('GET', `${ROOT}/collections/${node.secretId}/`, { authorization: basic('alice') }), 404, 'ENTENTE_COLLECTION_NOT_FOUND');
  });

  it('hides a status resource from everyone but its poster and admins', async () => {
    const status = (await postAs(asAlice, JSON.stringify({ objects: [indicator()] }))).json() as { id: string };
    expect((await request('GET', `${ROOT}/status/${status.id}/`, asAlice)).statusCode).toBe(200);
    expect((await request('GET', `${ROOT}/status/${status.id}/`, { authorization: basic('admin') })).statusCode).toBe(200);
    expectTaxiiError(await request('GET', `${ROOT}/status/${status.id}/`, { authorization: basic('bob') }), 404, 'ENTENTE_NOT_FOUND');
  });
});

describe('TAXII media types', () => {
  it('answers 406 to an Accept for TAXII 2.0 only', async () => {
    const res = await request('GET', `${ROOT}/`, { authorization: basic('alice'), accept: 'application/vnd.oasis.taxii+json; version=2.0' });
    expectTaxiiError(res, 406, 'ENTENTE_NOT_ACCEPTABLE');
  });

  it('answers with the STIX media type to a client that asks only for it', async () => {
    const res = await request('GET', objectsUrl(), { authorization: basic('alice'), accept: 'application/stix+json;version=2.1' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/stix+json;version=2.1');
  });

  it('answers 415 to a text body and to a TAXII 2.0 body', async () => {
    const body = JSON.stringify({ objects: [indicator()] });
    expectTaxiiError(await postAs({ ...asAlice, 'content-type': 'text/plain' }, body), 415, 'ENTENTE_UNSUPPORTED_MEDIA_TYPE');
    expectTaxiiError(await postAs({ ...asAlice, 'content-type': 'application/taxii+json;version=2.0' }, body), 415, 'ENTENTE_UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('TAXII bad input', () => {
  it('answers 413 above max_content_length and says the limit', async () => {
    const objects = Array.from({ length: 20 }, () => indicator());
    const body = expectTaxiiError(await postAs(asAlice, JSON.stringify({ objects })), 413, 'ENTENTE_BODY_TOO_LARGE');
    expect(body['description']).toContain('4096 bytes');
    expect((await request('GET', `${ROOT}/`, asAlice)).json()).toMatchObject({ max_content_length: 4096 });
  });

  it('answers 400 to malformed JSON with the line and column', async () => {
    const body = expectTaxiiError(await postAs(asAlice, '{"objects": [\n  {"type": "indicator",,}\n]}'), 400, 'ENTENTE_JSON_MALFORMED');
    expect(body['description']).toMatch(/line 2, column \d+/);
  });

  it('answers 400 to nesting deeper than the limit, naming the path', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 20; i++) deep = { a: deep };
    const body = expectTaxiiError(await postAs(asAlice, JSON.stringify({ objects: [deep] })), 400, 'ENTENTE_JSON_TOO_DEEP');
    expect(JSON.stringify(body['details'])).toContain('$.objects[0]');
  });

  it('answers 400 when objects is not a list, naming $.objects', async () => {
    const body = expectTaxiiError(await postAs(asAlice, JSON.stringify({ objects: 'none' })), 400, 'ENTENTE_BAD_REQUEST');
    expect(body['details']).toEqual({ problems: [{ path: '$.objects', message: 'not a list' }] });
  });

  it('answers 400 to a bad filter, naming the parameter', async () => {
    const body = expectTaxiiError(await request('GET', `${objectsUrl()}?limit=0`, asAlice), 400, 'ENTENTE_INVALID_PARAMETER');
    expect(body['description']).toContain('limit');
    const version = expectTaxiiError(await request('GET', `${objectsUrl()}?match[version]=latest`, asAlice), 400, 'ENTENTE_INVALID_PARAMETER');
    expect(version['description']).toContain('match[version]');
  });

  it('answers 404 in the TAXII format for an unknown API root and an unknown path', async () => {
    expectTaxiiError(await request('GET', '/taxii2/nope/', asAlice), 404, 'ENTENTE_NOT_FOUND');
    expectTaxiiError(await request('GET', '/taxii2/default/elsewhere/', asAlice), 404, 'ENTENTE_NOT_FOUND');
  });
});

describe('TAXII status truth for mixed envelopes', () => {
  it('stores nothing of an envelope with an invalid object, and reports each object (atomic)', async () => {
    const good = indicator();
    const bad = indicator({ pattern: undefined, valid_from: undefined });
    const status = (await postAs(asAlice, JSON.stringify({ objects: [good, bad] }))).json() as Record<string, unknown> & { failures: Array<{ id: string; message: string }> };
    expect(status).toMatchObject({ total_count: 2, success_count: 0, failure_count: 2, pending_count: 0 });
    expect(status['successes']).toBeUndefined();
    expect(status.failures[1]).toMatchObject({ id: bad['id'] });
    expect(status.failures[1]?.message).toContain('$.objects[1]');
    expect(status.failures[0]?.message).toContain('not written');
    expect((await request('GET', `${objectsUrl()}${String(good['id'])}/`, asAlice)).statusCode).toBe(404);
  });

  it('rejects the second copy of one version in an envelope, naming the first', async () => {
    const once = indicator();
    const status = (await postAs(asAlice, JSON.stringify({ objects: [once, once] }))).json() as { failure_count: number; failures: Array<{ message: string }> };
    expect(status.failure_count).toBe(2);
    expect(status.failures[1]?.message).toContain('$.objects[1].id');
    expect(status.failures[1]?.message).toContain('$.objects[0]');
  });
});

describe('TAXII partial mode', () => {
  it('stores the valid objects and reports the invalid ones with their JSON paths', async () => {
    const partial = await startNode({ postMode: 'partial' });
    try {
      const good = indicator();
      const bad: Record<string, unknown> = { ...indicator(), created: 'yesterday' };
      const res = await partial.app.inject({
        method: 'POST', url: `${ROOT}/collections/${partial.intelId}/objects/`,
        headers: { authorization: basic('alice'), 'content-type': TAXII, accept: TAXII }, payload: JSON.stringify({ objects: [good, bad] }),
      });
      const status = res.json() as Record<string, unknown> & { successes: Array<{ id: string }>; failures: Array<{ id: string; message: string }> };
      expect(status).toMatchObject({ total_count: 2, success_count: 1, failure_count: 1 });
      expect(status.successes.map((s) => s.id)).toEqual([good['id']]);
      expect(status.failures[0]?.id).toBe(bad['id']);
      expect(status.failures[0]?.message).toContain('$.objects[1].created');
      expect(await partial.intel.count(partial.intelId)).toBe(1);
    } finally {
      await partial.close();
    }
  });
});
