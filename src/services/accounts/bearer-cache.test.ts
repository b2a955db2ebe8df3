import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startNode, TAXII, type TestNode } from '../../../test/taxii/node-harness.js';
import type { AccountStore, ApiToken } from '../../ports/store.js';
import { AccountService } from './account-service.js';
import { hashSecret, mintToken } from './api-token.js';

let node: TestNode;
beforeEach(async () => {
  node = await startNode();
});
afterEach(async () => node.close());

/** The token store with a count of token look-ups, to see when the service reads it. */
function countingStore(store: AccountStore): { readonly store: AccountStore; lookups: () => number } {
  let lookups = 0;
  const counting = Object.create(store) as AccountStore;
  counting.findTokenBySecretHash = (hash: string) => {
    lookups++;
    return store.findTokenBySecretHash(hash);
  };
  return { store: counting, lookups: () => lookups };
}

/** A token written straight into the store, as the CLI in another process would. */
async function tokenFromElsewhere(userName: string): Promise<{ readonly token: string; readonly id: string }> {
  const minted = mintToken();
  const record: ApiToken = { id: minted.id, userName, secretHash: hashSecret(minted.secret), description: 'cli', createdAt: '2026-01-01T00:00:00.000Z' };
  await node.store.createToken(record);
  return { token: minted.token, id: minted.id };
}

describe('AccountService bearer tokens remembered for a second', () => {
  it('reads a token from the store once per second, not once per request', async () => {
    const { store, lookups } = countingStore(node.store);
    const accounts = new AccountService({ store, clock: node.clock });
    const { token } = await accounts.createToken('bob');
    for (let i = 0; i < 5; i++) expect(await accounts.authenticateBearer(token)).toEqual({ name: 'bob', roles: ['liaison'] });
    expect(lookups()).toBe(1);
    node.clock.advance(1001);
    expect(await accounts.authenticateBearer(token)).toBeDefined();
    expect(lookups()).toBe(2);
  });

  it('refuses a token revoked through the service at once, though it was just used', async () => {
    const { token, info } = await node.accounts.createToken('bob');
    expect(await node.accounts.authenticateBearer(token)).toBeDefined();
    await node.accounts.revokeToken(info.id);
    expect(await node.accounts.authenticateBearer(token)).toBeUndefined();
  });

  it('applies a user disabled, deleted or given other roles through the service at once', async () => {
    const { token } = await node.accounts.createToken('bob');
    expect(await node.accounts.authenticateBearer(token)).toEqual({ name: 'bob', roles: ['liaison'] });
    await node.accounts.setRoles('bob', ['read-only']);
    expect(await node.accounts.authenticateBearer(token)).toEqual({ name: 'bob', roles: ['read-only'] });
    await node.accounts.setDisabled('bob', true);
    expect(await node.accounts.authenticateBearer(token)).toBeUndefined();
    await node.accounts.setDisabled('bob', false);
    expect(await node.accounts.authenticateBearer(token)).toBeDefined();
    await node.accounts.deleteUser('bob');
    expect(await node.accounts.authenticateBearer(token)).toBeUndefined();
  });

  it('sees a token revoked by another process within one second', async () => {
    const { token, id } = await tokenFromElsewhere('bob');
    expect(await node.accounts.authenticateBearer(token)).toBeDefined();
    await node.store.deleteToken(id);
    node.clock.advance(1001);
    expect(await node.accounts.authenticateBearer(token)).toBeUndefined();
  });

  it('sees a user disabled by another process within one second', async () => {
    const { token } = await node.accounts.createToken('bob');
    expect(await node.accounts.authenticateBearer(token)).toBeDefined();
    await node.store.updateUser('bob', { disabled: true });
    node.clock.advance(1001);
    expect(await node.accounts.authenticateBearer(token)).toBeUndefined();
  });

  it('never remembers a failure: a token unknown a moment ago holds once another process stores it', async () => {
    const minted = mintToken();
    expect(await node.accounts.authenticateBearer(minted.token)).toBeUndefined();
    await node.store.createToken({ id: minted.id, userName: 'bob', secretHash: hashSecret(minted.secret), description: 'cli', createdAt: '2026-01-01T00:00:00.000Z' });
    expect(await node.accounts.authenticateBearer(minted.token)).toBeDefined();
  });

  it('refuses a remembered token once it expires, and a wrong id with a remembered secret', async () => {
    const { token, info } = await node.accounts.createToken('bob', { expiresAt: '2026-01-01T00:00:00.500Z' });
    expect(await node.accounts.authenticateBearer(token)).toBeDefined();
    node.clock.advance(500);
    expect(await node.accounts.authenticateBearer(token)).toBeUndefined();
    const live = await node.accounts.createToken('bob');
    expect(await node.accounts.authenticateBearer(live.token)).toBeDefined();
    expect(await node.accounts.authenticateBearer(live.token.replace(live.info.id, info.id))).toBeUndefined();
  });

  it('does not remember a token read before a revocation that finished while the read was under way', async () => {
    const { token, info } = await node.accounts.createToken('bob');
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = Object.create(node.store) as AccountStore;
    // The user is read after the token: hold that read until the revocation is done.
    slow.getUser = async (name: string) => {
      const user = await node.store.getUser(name);
      await gate;
      return user;
    };
    const accounts = new AccountService({ store: slow, clock: node.clock });
    const inFlight = accounts.authenticateBearer(token);
    await accounts.revokeToken(info.id);
    release();
    // The request that began before the revocation may finish; the next one must not pass.
    await inFlight;
    expect(await accounts.authenticateBearer(token)).toBeUndefined();
  });

  it('answers 401 on TAXII to a token revoked through the service right after a page', async () => {
    const { token, info } = await node.accounts.createToken('alice');
    const page = () => node.app.inject({ method: 'GET', url: `/taxii2/default/collections/${node.intelId}/objects/`, headers: { accept: TAXII, authorization: `Bearer ${token}` } });
    expect((await page()).statusCode).toBe(200);
    await node.accounts.revokeToken(info.id);
    expect((await page()).statusCode).toBe(401);
  });
});
