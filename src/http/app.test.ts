import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EntenteError } from '../core/errors.js';
import { basic, startNode, type TestNode } from '../../test/taxii/node-harness.js';
import { buildHttpApp } from './app.js';
import { requirePrincipal } from './plugins/auth-plugin.js';

let node: TestNode;
let app: Awaited<ReturnType<typeof buildHttpApp>>;
beforeAll(async () => {
  node = await startNode();
  app = await buildHttpApp({
    intel: node.intel, accounts: node.accounts, collections: node.collections,
    config: { title: 'with extras', maxJsonDepth: 8 },
    extraPlugins: [
      async (area) => {
        area.get('/api/whoami', async (request) => ({ name: requirePrincipal(request).name }));
        area.post('/api/echo', async (request) => ({ body: request.body }));
        area.get('/api/broken', async () => {
          throw new Error('database password is hunter2');
        });
        area.get('/api/conflict', async () => {
          throw new EntenteError('ENTENTE_CONFLICT', 'Already there', [{ path: '$.name', message: 'taken' }]);
        });
      },
    ],
  });
});
afterAll(async () => {
  await app.close();
  await node.close();
});

describe('buildHttpApp', () => {
  it('gives extra plugins the authenticated principal', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/whoami', headers: { authorization: basic('bob') } });
    expect(res.json()).toEqual({ name: 'bob' });
  });

  it('answers 401 with challenges outside TAXII too, in the REST error body', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/whoami' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBeDefined();
    expect(res.json()).toMatchObject({ error: { code: 'ENTENTE_UNAUTHENTICATED' } });
  });

  it('parses JSON bodies of extra plugins with the depth limit', async () => {
    const ok = await app.inject({ method: 'POST', url: '/api/echo', headers: { 'content-type': 'application/json' }, payload: '{"a":[1]}' });
    expect(ok.json()).toEqual({ body: { a: [1] } });
    const deep = await app.inject({ method: 'POST', url: '/api/echo', headers: { 'content-type': 'application/json' }, payload: '[[[[[[[[[[1]]]]]]]]]]' });
    expect(deep.statusCode).toBe(400);
    expect(deep.json()).toMatchObject({ error: { code: 'ENTENTE_JSON_TOO_DEEP' } });
  });

  it('maps catalogue errors to their status with details, and hides the cause of internal ones', async () => {
    const conflict = await app.inject({ method: 'GET', url: '/api/conflict' });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json()).toEqual({ error: { code: 'ENTENTE_CONFLICT', message: 'Already there', details: [{ path: '$.name', message: 'taken' }] } });
    const broken = await app.inject({ method: 'GET', url: '/api/broken' });
    expect(broken.statusCode).toBe(500);
    expect(broken.body).not.toContain('hunter2');
  });

  it('refuses a body with __proto__ rather than stripping it', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/echo', headers: { 'content-type': 'application/json' }, payload: '{"a":[{"__proto__":{"admin":true}}]}' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'ENTENTE_BAD_REQUEST', details: [{ path: '$.a[0].__proto__' }] } });
    const escaped = await app.inject({ method: 'POST', url: '/api/echo', headers: { 'content-type': 'application/json' }, payload: '{"\\u005f_proto__":{}}' });
    expect(escaped.statusCode).toBe(400);
    const constructor = await app.inject({ method: 'POST', url: '/api/echo', headers: { 'content-type': 'application/json' }, payload: '{"constructor":{"prototype":{}}}' });
    expect(constructor.statusCode).toBe(400);
  });
});
