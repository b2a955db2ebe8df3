import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startNode, TAXII, type TestNode } from '../../../test/taxii/node-harness.js';
import type { AccountStore, CollectionStore } from '../../ports/store.js';
import { CollectionService } from './collection-service.js';

let node: TestNode;
beforeEach(async () => {
  node = await startNode();
});
afterEach(async () => node.close());

const who = (name: string, roles: string[] = ['analyst']) => ({ name, roles });

describe('CollectionService collections and grants remembered for a second', () => {
  it('reads a collection and a grant from the store once per second, not once per request', async () => {
    let reads = 0;
    const counting = Object.create(node.store) as CollectionStore & Pick<AccountStore, 'getUser'>;
    counting.getCollection = (idOrAlias: string) => {
      reads++;
      return node.store.getCollection(idOrAlias);
    };
    counting.listGrants = (filter) => {
      reads++;
      return node.store.listGrants(filter);
    };
    const collections = new CollectionService({ store: counting, clock: node.clock });
    for (let i = 0; i < 5; i++) expect((await collections.resolve(who('bob'), node.intelId, 'read')).canRead).toBe(true);
    expect(reads).toBe(2);
    node.clock.advance(1001);
    await collections.resolve(who('bob'), node.intelId, 'read');
    expect(reads).toBe(4);
  });

  it('applies a grant removed through the service at once, though the collection was just read', async () => {
    expect((await node.collections.resolve(who('bob'), node.intelId, 'read')).canRead).toBe(true);
    await node.collections.grant(node.intelId, 'bob', { canRead: false, canWrite: false });
    await expect(node.collections.resolve(who('bob'), node.intelId, 'read')).rejects.toMatchObject({ code: 'ENTENTE_COLLECTION_NOT_FOUND' });
  });

  it('applies a grant given through the service at once, though its absence was just read', async () => {
    await expect(node.collections.resolve(who('carol'), node.intelId, 'read')).rejects.toMatchObject({ code: 'ENTENTE_COLLECTION_NOT_FOUND' });
    await node.collections.grant(node.intelId, 'carol', { canRead: true, canWrite: false });
    expect((await node.collections.resolve(who('carol'), node.intelId, 'read')).canRead).toBe(true);
  });

  it('refuses a collection deleted through the service at once, though it was just read', async () => {
    const doomed = await node.collections.create({ title: 'Doomed', alias: 'doomed' });
    expect((await node.collections.resolve(who('admin', ['admin']), 'doomed')).collection.id).toBe(doomed.id);
    await node.collections.delete(doomed.id);
    await expect(node.collections.resolve(who('admin', ['admin']), 'doomed')).rejects.toMatchObject({ code: 'ENTENTE_COLLECTION_NOT_FOUND' });
  });

  it('sees a grant removed by another process within one second', async () => {
    expect((await node.collections.resolve(who('bob'), node.intelId, 'read')).canRead).toBe(true);
    await node.store.setGrant({ collectionId: node.intelId, principal: 'bob', canRead: false, canWrite: false });
    node.clock.advance(1001);
    await expect(node.collections.resolve(who('bob'), node.intelId, 'read')).rejects.toMatchObject({ code: 'ENTENTE_COLLECTION_NOT_FOUND' });
  });

  it('sees a collection created by another process at once (an absent collection is not remembered)', async () => {
    await expect(node.collections.resolve(who('admin', ['admin']), 'late')).rejects.toMatchObject({ code: 'ENTENTE_COLLECTION_NOT_FOUND' });
    await node.store.createCollection({ id: 'late', title: 'Late', mediaTypes: ['application/stix+json;version=2.1'], createdAt: '2026-01-01T00:00:00.000Z' });
    expect((await node.collections.resolve(who('admin', ['admin']), 'late')).collection.id).toBe('late');
  });

  it('answers 404 on TAXII to a reader whose grant was removed through the service right after a page', async () => {
    const { token } = await node.accounts.createToken('bob');
    const page = () => node.app.inject({ method: 'GET', url: `/taxii2/default/collections/${node.intelId}/objects/`, headers: { accept: TAXII, authorization: `Bearer ${token}` } });
    expect((await page()).statusCode).toBe(200);
    await node.collections.grant(node.intelId, 'bob', { canRead: false, canWrite: false });
    expect((await page()).statusCode).toBe(404);
  });
});
