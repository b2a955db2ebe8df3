import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { basic, bundle, importBundle, indicator, startRestNode, type RestNode } from './rest-harness.js';

describe('REST administration routes', () => {
  let node: RestNode;
  beforeEach(async () => {
    node = await startRestNode();
  });
  afterEach(async () => node.close());

  describe('users', () => {
    it('lets an admin list, create, change and delete users, never showing a password hash', async () => {
      const list = await node.call('admin', { method: 'GET', url: '/api/v1/users' });
      expect(list.statusCode).toBe(200);
      expect(list.json().map((u: { name: string }) => u.name).sort()).toEqual(['admin', 'alice', 'bob', 'carol']);
      expect(list.body).not.toContain('scrypt');

      const created = await node.call('admin', { method: 'POST', url: '/api/v1/users', payload: { name: 'dave', password: 'dave-password-12', roles: ['liaison'] } });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toEqual({ name: 'dave', roles: ['liaison'], createdAt: '2026-01-01T00:00:00.000Z', disabled: false });
      expect(created.body).not.toContain('scrypt');
      const asDave = { authorization: `Basic ${Buffer.from('dave:dave-password-12').toString('base64')}` };
      expect((await node.app.inject({ method: 'GET', url: '/api/v1/collections', headers: asDave })).statusCode).toBe(200);

      const changed = await node.call('admin', { method: 'PATCH', url: '/api/v1/users/dave', payload: { roles: ['analyst', 'liaison'], disabled: true } });
      expect(changed.statusCode).toBe(200);
      expect(changed.json()).toMatchObject({ name: 'dave', roles: ['analyst', 'liaison'], disabled: true });

      expect((await node.call('admin', { method: 'DELETE', url: '/api/v1/users/dave' })).statusCode).toBe(204);
      expect((await node.call('admin', { method: 'DELETE', url: '/api/v1/users/dave' })).statusCode).toBe(404);
    });

    it('changes a password so that only the new one works', async () => {
      expect((await node.call('admin', { method: 'PATCH', url: '/api/v1/users/bob', payload: { password: 'a-brand-new-password' } })).statusCode).toBe(200);
      const old = await node.call('bob', { method: 'GET', url: '/api/v1/collections' });
      expect(old.statusCode).toBe(401);
      const fresh = await node.app.inject({ method: 'GET', url: '/api/v1/collections', headers: { authorization: basic('bob', 'a-brand-new-password') } });
      expect(fresh.statusCode).toBe(200);
    });

    it('refuses user administration to anyone but an admin', async () => {
      for (const request of [
        { method: 'GET', url: '/api/v1/users' },
        { method: 'POST', url: '/api/v1/users', payload: { name: 'eve', password: 'eve-password-123', roles: ['admin'] } },
        { method: 'PATCH', url: '/api/v1/users/alice', payload: { roles: ['admin'] } },
        { method: 'DELETE', url: '/api/v1/users/bob' },
      ] as const) {
        const res = await node.call('alice', request);
        expect(res.statusCode, `${request.method} ${request.url}`).toBe(403);
        expect(res.json().error.code).toBe('ENTENTE_FORBIDDEN');
      }
    });

    it('names the field of bad input: unknown role, short password, wrong type, unknown property', async () => {
      const role = await node.call('admin', { method: 'POST', url: '/api/v1/users', payload: { name: 'eve', password: 'eve-password-123', roles: ['emperor'] } });
      expect(role.statusCode).toBe(400);
      expect(role.json().error).toMatchObject({ code: 'ENTENTE_BAD_REQUEST', details: [{ path: '$.roles[0]' }] });
      const short = await node.call('admin', { method: 'POST', url: '/api/v1/users', payload: { name: 'eve', password: 'short', roles: ['analyst'] } });
      expect(short.json().error.details[0].path).toBe('$.password');
      const type = await node.call('admin', { method: 'PATCH', url: '/api/v1/users/bob', payload: { disabled: 'sometimes' } });
      expect(type.statusCode).toBe(400);
      expect(type.json().error.details[0].path).toBe('$.disabled');
      const empty = await node.call('admin', { method: 'PATCH', url: '/api/v1/users/bob', payload: {} });
      expect(empty.statusCode).toBe(400);
      const typo = await node.call('admin', { method: 'PATCH', url: '/api/v1/users/bob', payload: { disable: true } });
      expect(typo.statusCode).toBe(400);
      expect(typo.json().error).toMatchObject({ code: 'ENTENTE_BAD_REQUEST', details: [{ path: '$.disable', message: 'is not a known property' }] });
      expect((await node.call('admin', { method: 'GET', url: '/api/v1/users' })).json().find((u: { name: string }) => u.name === 'bob').disabled).toBe(false);
      const taken = await node.call('admin', { method: 'POST', url: '/api/v1/users', payload: { name: 'bob', password: 'bob-password-123', roles: ['analyst'] } });
      expect(taken.statusCode).toBe(409);
      expect(taken.json().error.code).toBe('ENTENTE_CONFLICT');
      expect((await node.call('admin', { method: 'PATCH', url: '/api/v1/users/nobody', payload: { disabled: true } })).statusCode).toBe(404);
    });

    it('keeps an admin from locking themselves out', async () => {
      expect((await node.call('admin', { method: 'DELETE', url: '/api/v1/users/admin' })).statusCode).toBe(409);
      expect((await node.call('admin', { method: 'PATCH', url: '/api/v1/users/admin', payload: { disabled: true } })).statusCode).toBe(409);
      expect((await node.call('admin', { method: 'PATCH', url: '/api/v1/users/admin', payload: { roles: ['analyst'] } })).statusCode).toBe(409);
    });
  });

  describe('tokens', () => {
    it('issues a token whose secret is shown once and works as a Bearer credential', async () => {
      const res = await node.call('alice', { method: 'POST', url: '/api/v1/tokens', payload: { description: 'OpenCTI connector' } });
      expect(res.statusCode).toBe(201);
      const { token, id } = res.json();
      expect(token).toMatch(new RegExp(`^ent_${id}_`));
      expect(res.headers['cache-control']).toBe('no-store');
      const listed = await node.call('alice', { method: 'GET', url: '/api/v1/tokens' });
      expect(listed.json()).toEqual([expect.objectContaining({ id, userName: 'alice', description: 'OpenCTI connector' })]);
      // The secret is what follows `ent_<id>_`; it may itself contain `_`.
      const secret = (token as string).slice(`ent_${id}_`.length);
      expect(secret).toHaveLength(43);
      expect(listed.body).not.toContain(secret);
      const viaBearer = await node.app.inject({ method: 'GET', url: '/api/v1/collections', headers: { authorization: `Bearer ${token}` } });
      expect(viaBearer.statusCode).toBe(200);

      expect((await node.call('alice', { method: 'DELETE', url: `/api/v1/tokens/${id}` })).statusCode).toBe(204);
      const revoked = await node.app.inject({ method: 'GET', url: '/api/v1/collections', headers: { authorization: `Bearer ${token}` } });
      expect(revoked.statusCode).toBe(401);
    });

    it('keeps users to their own tokens; an admin manages all', async () => {
      const alices = (await node.call('alice', { method: 'POST', url: '/api/v1/tokens', payload: {} })).json();
      await node.call('bob', { method: 'POST', url: '/api/v1/tokens', payload: {} });
      expect((await node.call('bob', { method: 'GET', url: '/api/v1/tokens' })).json()).toHaveLength(1);
      expect((await node.call('bob', { method: 'GET', url: '/api/v1/tokens?user=alice' })).statusCode).toBe(403);
      expect((await node.call('bob', { method: 'DELETE', url: `/api/v1/tokens/${alices.id}` })).statusCode).toBe(404);
      expect((await node.call('bob', { method: 'POST', url: '/api/v1/tokens', payload: { user: 'alice' } })).statusCode).toBe(403);
      expect((await node.call('admin', { method: 'GET', url: '/api/v1/tokens' })).json()).toHaveLength(2);
      expect((await node.call('admin', { method: 'GET', url: '/api/v1/tokens?user=alice' })).json()).toHaveLength(1);
      const forCarol = await node.call('admin', { method: 'POST', url: '/api/v1/tokens', payload: { user: 'carol', expiresAt: '2027-01-01T00:00:00Z' } });
      expect(forCarol.json()).toMatchObject({ userName: 'carol', expiresAt: '2027-01-01T00:00:00.000Z' });
      expect((await node.call('admin', { method: 'DELETE', url: `/api/v1/tokens/${alices.id}` })).statusCode).toBe(204);
      expect((await node.call('admin', { method: 'POST', url: '/api/v1/tokens', payload: { user: 'nobody' } })).statusCode).toBe(404);
    });

    it('refuses an expiry that is not a timestamp', async () => {
      const res = await node.call('alice', { method: 'POST', url: '/api/v1/tokens', payload: { expiresAt: 'next week' } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details[0].path).toBe('$.expiresAt');
    });
  });

  describe('collections', () => {
    it('lists only what the caller can see, with its rights', async () => {
      const bobs = (await node.call('bob', { method: 'GET', url: '/api/v1/collections' })).json();
      expect(bobs).toEqual([expect.objectContaining({ id: node.intelId, alias: 'shared-intel', canRead: true, canWrite: false })]);
      expect((await node.call('carol', { method: 'GET', url: '/api/v1/collections' })).json()).toEqual([]);
      expect((await node.call('admin', { method: 'GET', url: '/api/v1/collections' })).json()).toHaveLength(2);
    });

    it('lets an admin create a collection, grant a user, and delete it with its objects', async () => {
      const created = await node.call('admin', { method: 'POST', url: '/api/v1/collections', payload: { title: 'Exercise Locked Shields', alias: 'ls-2026' } });
      expect(created.statusCode).toBe(201);
      const { id } = created.json();
      expect(created.json()).toMatchObject({ title: 'Exercise Locked Shields', alias: 'ls-2026', canRead: true, canWrite: true });

      const grant = await node.call('admin', { method: 'PUT', url: `/api/v1/collections/ls-2026/grants/carol`, payload: { read: true, write: true } });
      expect(grant.statusCode).toBe(200);
      expect(grant.json()).toEqual({ collection: id, user: 'carol', read: true, write: true });
      expect((await node.call('admin', { method: 'GET', url: `/api/v1/collections/${id}/grants` })).json()).toEqual([grant.json()]);
      const o = indicator();
      expect((await importBundle(node, 'carol', 'ls-2026', bundle(o))).statusCode).toBe(201);
      expect((await node.call('carol', { method: 'GET', url: `/api/v1/objects/${o['id']}` })).statusCode).toBe(200);

      await node.call('admin', { method: 'PUT', url: `/api/v1/collections/${id}/grants/carol`, payload: { read: false, write: false } });
      expect((await node.call('carol', { method: 'GET', url: `/api/v1/objects/${o['id']}` })).statusCode).toBe(404);

      expect((await node.call('admin', { method: 'DELETE', url: `/api/v1/collections/${id}` })).statusCode).toBe(204);
      expect((await node.call('admin', { method: 'GET', url: `/api/v1/objects/${o['id']}` })).statusCode).toBe(404);
      expect((await node.call('admin', { method: 'DELETE', url: `/api/v1/collections/${id}` })).statusCode).toBe(404);
    });

    it('refuses collection administration to non-admins and names bad input', async () => {
      expect((await node.call('alice', { method: 'POST', url: '/api/v1/collections', payload: { title: 'Mine' } })).statusCode).toBe(403);
      expect((await node.call('alice', { method: 'DELETE', url: `/api/v1/collections/${node.intelId}` })).statusCode).toBe(403);
      expect((await node.call('alice', { method: 'PUT', url: `/api/v1/collections/${node.intelId}/grants/carol`, payload: { read: true, write: false } })).statusCode).toBe(403);
      const alias = await node.call('admin', { method: 'POST', url: '/api/v1/collections', payload: { title: 'X', alias: 'has spaces' } });
      expect(alias.statusCode).toBe(400);
      expect(alias.json().error.details[0].path).toBe('$.alias');
      const extra = await node.call('admin', { method: 'PUT', url: `/api/v1/collections/${node.intelId}/grants/carol`, payload: { read: true } });
      expect(extra.json().error.details).toEqual([{ path: '$.write', message: 'is required' }]);
      const taken = await node.call('admin', { method: 'POST', url: '/api/v1/collections', payload: { title: 'Again', alias: 'shared-intel' } });
      expect(taken.statusCode).toBe(409);
      expect((await node.call('admin', { method: 'PUT', url: `/api/v1/collections/${node.intelId}/grants/nobody`, payload: { read: true, write: false } })).statusCode).toBe(404);
      expect((await node.call('admin', { method: 'PUT', url: '/api/v1/collections/none/grants/carol', payload: { read: true, write: false } })).statusCode).toBe(404);
    });
  });
});
