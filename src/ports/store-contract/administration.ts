import { describe, expect, it } from 'vitest';
import { A, at, B, expectCode, indicator, T0, type ContractContext } from './builders.js';

/** Collections and grants, users and tokens, status resources. */
export function administrationSections(ctx: ContractContext): void {
  describe('collections and grants', () => {
    it('creates, reads by id or alias, lists and deletes collections', async () => {
      const alpha = await ctx.store.getCollection('alpha');
      expect(alpha).toEqual({ id: A, title: 'Alpha', alias: 'alpha', mediaTypes: ['application/stix+json;version=2.1'], createdAt: T0 });
      expect(await ctx.store.getCollection(A)).toEqual(alpha);
      const beta = await ctx.store.getCollection(B);
      expect(beta?.alias).toBeUndefined();
      expect(beta?.description).toBeUndefined();
      await ctx.store.createCollection({ id: 'c3', title: 'Gamma', description: 'Third', mediaTypes: [], createdAt: at(1) });
      expect((await ctx.store.listCollections()).map((c) => c.id).sort()).toEqual([A, B, 'c3'].sort());
      expect((await ctx.store.getCollection('c3'))?.description).toBe('Third');
      expect(await ctx.store.deleteCollection('c3')).toBe(true);
      expect(await ctx.store.deleteCollection('c3')).toBe(false);
      expect(await ctx.store.getCollection('c3')).toBeUndefined();
    });

    it('refuses a second collection with the same id with ENTENTE_CONFLICT', async () => {
      await expectCode(ctx.store.createCollection({ id: A, title: 'Again', mediaTypes: [], createdAt: T0 }), 'ENTENTE_CONFLICT');
    });

    it('drops the objects and grants of a deleted collection', async () => {
      await ctx.write([indicator()], 0, B);
      await ctx.store.setGrant({ collectionId: B, principal: 'ann', canRead: true, canWrite: false });
      expect(await ctx.store.deleteCollection(B)).toBe(true);
      expect(await ctx.store.countObjects()).toBe(0);
      expect(await ctx.store.listGrants({ collectionId: B })).toEqual([]);
    });

    it('upserts grants and lists them by collection and principal', async () => {
      await ctx.store.setGrant({ collectionId: A, principal: 'ann', canRead: true, canWrite: false });
      await ctx.store.setGrant({ collectionId: B, principal: 'ann', canRead: true, canWrite: true });
      await ctx.store.setGrant({ collectionId: A, principal: 'bob', canRead: false, canWrite: true });
      await ctx.store.setGrant({ collectionId: A, principal: 'ann', canRead: true, canWrite: true });
      const sort = <T extends { collectionId: string; principal: string }>(g: ReadonlyArray<T>) =>
        [...g].sort((x, y) => `${x.collectionId}/${x.principal}`.localeCompare(`${y.collectionId}/${y.principal}`));
      expect(sort(await ctx.store.listGrants({ principal: 'ann' }))).toEqual([
        { collectionId: A, principal: 'ann', canRead: true, canWrite: true },
        { collectionId: B, principal: 'ann', canRead: true, canWrite: true },
      ]);
      expect(sort(await ctx.store.listGrants({ collectionId: A })).map((g) => g.principal)).toEqual(['ann', 'bob']);
      expect(await ctx.store.listGrants({ collectionId: A, principal: 'bob' })).toEqual([{ collectionId: A, principal: 'bob', canRead: false, canWrite: true }]);
      expect(await ctx.store.listGrants()).toHaveLength(3);
    });

    it('refuses a grant on a collection that does not exist', async () => {
      await expectCode(ctx.store.setGrant({ collectionId: 'nope', principal: 'ann', canRead: true, canWrite: false }), 'ENTENTE_COLLECTION_NOT_FOUND');
    });
  });

  describe('users and tokens', () => {
    const user = (name: string) => ({ name, passwordHash: `$scrypt$${name}`, roles: ['analyst'], createdAt: T0, disabled: false });

    it('creates, reads, lists, updates and deletes users', async () => {
      await ctx.store.createUser(user('ann'));
      await ctx.store.createUser(user('bob'));
      expect(await ctx.store.getUser('ann')).toEqual(user('ann'));
      expect((await ctx.store.listUsers()).map((u) => u.name).sort()).toEqual(['ann', 'bob']);
      expect(await ctx.store.updateUser('ann', { roles: ['admin', 'analyst'], disabled: true })).toBe(true);
      expect(await ctx.store.getUser('ann')).toEqual({ ...user('ann'), roles: ['admin', 'analyst'], disabled: true });
      expect(await ctx.store.updateUser('ann', { passwordHash: 'new' })).toBe(true);
      expect((await ctx.store.getUser('ann'))?.passwordHash).toBe('new');
      expect(await ctx.store.updateUser('zed', { disabled: true })).toBe(false);
      expect(await ctx.store.deleteUser('bob')).toBe(true);
      expect(await ctx.store.deleteUser('bob')).toBe(false);
      expect(await ctx.store.getUser('bob')).toBeUndefined();
    });

    it('refuses a second user with the same name with ENTENTE_CONFLICT', async () => {
      await ctx.store.createUser(user('ann'));
      await expectCode(ctx.store.createUser(user('ann')), 'ENTENTE_CONFLICT');
    });

    it('stores tokens, finds them by secret hash, touches, lists and deletes them', async () => {
      await ctx.store.createUser(user('ann'));
      await ctx.store.createUser(user('bob'));
      const token = { id: 'tok1', userName: 'ann', secretHash: 'ab'.repeat(32), description: 'CI', createdAt: T0, expiresAt: at(60) };
      await ctx.store.createToken(token);
      await ctx.store.createToken({ id: 'tok2', userName: 'bob', secretHash: 'cd'.repeat(32), description: '', createdAt: T0 });
      expect(await ctx.store.findTokenBySecretHash('ab'.repeat(32))).toEqual(token);
      expect(await ctx.store.findTokenBySecretHash('ef'.repeat(32))).toBeUndefined();
      await ctx.store.touchToken('tok1', at(5));
      expect((await ctx.store.findTokenBySecretHash('ab'.repeat(32)))?.lastUsedAt).toBe(at(5));
      expect((await ctx.store.listTokens('ann')).map((t) => t.id)).toEqual(['tok1']);
      expect((await ctx.store.listTokens()).map((t) => t.id).sort()).toEqual(['tok1', 'tok2']);
      expect(await ctx.store.deleteToken('tok2')).toBe(true);
      expect(await ctx.store.deleteToken('tok2')).toBe(false);
      await expectCode(ctx.store.createToken({ ...token, secretHash: '00' }), 'ENTENTE_CONFLICT');
    });

    it('removes the tokens of a deleted user', async () => {
      await ctx.store.createUser(user('ann'));
      await ctx.store.createToken({ id: 'tok1', userName: 'ann', secretHash: 'ab'.repeat(32), description: '', createdAt: T0 });
      await ctx.store.deleteUser('ann');
      expect(await ctx.store.listTokens()).toEqual([]);
      expect(await ctx.store.findTokenBySecretHash('ab'.repeat(32))).toBeUndefined();
    });
  });

  describe('status resources', () => {
    it('saves, reads back and updates a status resource', async () => {
      const status = {
        id: 'status-1', status: 'pending' as const, requestTimestamp: at(1), totalCount: 3,
        successCount: 1, successes: [{ id: 'indicator--x', version: at(1) }],
        failureCount: 1, failures: [{ id: 'malware--y', version: at(1), message: 'invalid' }],
        pendingCount: 1, pendings: [{ id: 'tool--z', version: at(1) }], owner: 'ann', collectionId: A,
      };
      await ctx.store.saveStatus(status);
      expect(await ctx.store.getStatus('status-1')).toEqual(status);
      const done = { ...status, status: 'complete' as const, successCount: 2, pendingCount: 0, pendings: [], successes: [...status.successes, { id: 'tool--z', version: at(1) }] };
      await ctx.store.saveStatus(done);
      expect(await ctx.store.getStatus('status-1')).toEqual(done);
      expect(await ctx.store.getStatus('status-2')).toBeUndefined();
    });

    it('lists status resources newest first, per owner, page by page', async () => {
      const make = (n: number, owner: string) => ({
        id: `status-${n}`, status: 'complete' as const, requestTimestamp: at(n % 3), totalCount: 0, successCount: 0, successes: [],
        failureCount: 0, failures: [], pendingCount: 0, pendings: [], owner, collectionId: A,
      });
      for (let n = 0; n < 7; n++) await ctx.store.saveStatus(make(n, n % 2 === 0 ? 'ann' : 'bob'));
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await ctx.store.listStatuses({ limit: 3, ...(cursor === undefined ? {} : { cursor }) });
        expect(page.statuses.length).toBeLessThanOrEqual(3);
        seen.push(...page.statuses.map((s) => s.id));
        cursor = page.next;
      } while (cursor !== undefined);
      // requestTimestamp descending, then id descending.
      expect(seen).toEqual(['status-5', 'status-2', 'status-4', 'status-1', 'status-6', 'status-3', 'status-0']);
      const anns = await ctx.store.listStatuses({ owner: 'ann', limit: 10 });
      expect(anns.statuses.map((s) => s.id)).toEqual(['status-2', 'status-4', 'status-6', 'status-0']);
      expect(anns.next).toBeUndefined();
      await expect(ctx.store.listStatuses({ limit: 1, cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'ENTENTE_INVALID_PARAMETER' });
    });
  });
}
