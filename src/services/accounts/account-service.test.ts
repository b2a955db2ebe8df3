import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startNode, type TestNode } from '../../../test/taxii/node-harness.js';

let node: TestNode;
beforeEach(async () => {
  node = await startNode();
});
afterEach(async () => node.close());

describe('AccountService', () => {
  it('authenticates a user by password and returns its roles', async () => {
    expect(await node.accounts.authenticateBasic('alice', 'alice-password-1')).toEqual({ name: 'alice', roles: ['analyst'] });
    expect(await node.accounts.authenticateBasic('alice', 'alice-password-2')).toBeUndefined();
    expect(await node.accounts.authenticateBasic('nobody', 'alice-password-1')).toBeUndefined();
  });

  it('stores an scrypt hash, never the password', async () => {
    const user = await node.store.getUser('alice');
    expect(user?.passwordHash).toMatch(/^scrypt\$/);
    expect(user?.passwordHash).not.toContain('alice-password-1');
  });

  it('refuses a disabled user, even with a remembered login', async () => {
    expect(await node.accounts.authenticateBasic('alice', 'alice-password-1')).toBeDefined();
    await node.accounts.setDisabled('alice', true);
    expect(await node.accounts.authenticateBasic('alice', 'alice-password-1')).toBeUndefined();
  });

  it('forgets a remembered login when the password changes', async () => {
    expect(await node.accounts.authenticateBasic('alice', 'alice-password-1')).toBeDefined();
    await node.accounts.setPassword('alice', 'a-brand-new-password');
    expect(await node.accounts.authenticateBasic('alice', 'alice-password-1')).toBeUndefined();
    expect(await node.accounts.authenticateBasic('alice', 'a-brand-new-password')).toBeDefined();
  });

  it('issues a token shown once and stored only as its SHA-256', async () => {
    const created = await node.accounts.createToken('bob', { description: 'MISP' });
    expect(created.token).toMatch(/^ent_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const [stored] = await node.store.listTokens('bob');
    expect(stored?.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(created.token).not.toContain(stored?.secretHash);
    expect(JSON.stringify(await node.accounts.listTokens('bob'))).not.toContain('secretHash');
    expect(await node.accounts.authenticateBearer(created.token)).toEqual({ name: 'bob', roles: ['liaison'] });
  });

  it('refuses to issue a token that has already expired', async () => {
    await expect(node.accounts.createToken('bob', { expiresAt: '2020-01-01T00:00:00Z' })).rejects.toMatchObject({ code: 'ENTENTE_INVALID_PARAMETER', message: expect.stringMatching(/not in the future/) });
  });

  it('refuses an expired, a revoked and a tampered token', async () => {
    const expiring = await node.accounts.createToken('bob', { expiresAt: '2026-01-01T01:00:00Z' });
    node.clock.advance(2 * 3600_000);
    expect(await node.accounts.authenticateBearer(expiring.token)).toBeUndefined();
    const revoked = await node.accounts.createToken('bob');
    await node.accounts.revokeToken(revoked.info.id);
    expect(await node.accounts.authenticateBearer(revoked.token)).toBeUndefined();
    const other = await node.accounts.createToken('bob');
    expect(await node.accounts.authenticateBearer(`${other.token.slice(0, -1)}${other.token.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined();
  });

  it('refuses a short password, an unknown role and a second bootstrap', async () => {
    await expect(node.accounts.createUser('dave', 'short', ['analyst'])).rejects.toThrow(/at least 12 characters/);
    await expect(node.accounts.createUser('dave', 'long-enough-password', ['wizard'])).rejects.toThrow(/Unknown role "wizard"/);
    await expect(node.accounts.bootstrapAdmin('another-admin-password')).rejects.toMatchObject({ code: 'ENTENTE_CONFLICT' });
    await expect(node.accounts.createUser('alice', 'long-enough-password', ['analyst'])).rejects.toMatchObject({ code: 'ENTENTE_CONFLICT' });
  });
});
