import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type TestNode } from '../../../test/taxii/node-harness.js';

let node: TestNode;
beforeAll(async () => {
  node = await startNode();
});
afterAll(async () => node.close());

const who = (name: string, roles: string[] = ['analyst']) => ({ name, roles });

describe('CollectionService', () => {
  it('gives admin every right without grants', async () => {
    expect(await node.collections.rights(who('admin', ['admin']), node.secretId)).toEqual({ canRead: true, canWrite: true });
  });

  it('gives others the rights of their grants only', async () => {
    expect(await node.collections.rights(who('alice'), node.intelId)).toEqual({ canRead: true, canWrite: true });
    expect(await node.collections.rights(who('bob'), node.intelId)).toEqual({ canRead: true, canWrite: false });
    expect(await node.collections.rights(who('carol'), node.intelId)).toEqual({ canRead: false, canWrite: false });
  });

  it('refuses a grant to a user that does not exist', async () => {
    await expect(node.collections.grant(node.intelId, 'nobody', { canRead: true, canWrite: false })).rejects.toMatchObject({ code: 'ENTENTE_NOT_FOUND', details: [{ path: 'user' }] });
  });

  it('caps the read-only role at reading whatever was granted', async () => {
    await node.accounts.createUser('erin', 'erin has a long password', ['read-only']);
    await node.collections.grant(node.intelId, 'erin', { canRead: true, canWrite: true });
    expect(await node.collections.rights(who('erin', ['read-only']), node.intelId)).toEqual({ canRead: true, canWrite: false });
  });

  it('lists only what the caller can see', async () => {
    expect((await node.collections.listVisible(who('carol'))).map((v) => v.collection.id)).toEqual([]);
    expect((await node.collections.listVisible(who('bob'))).map((v) => v.collection.id)).toEqual([node.intelId]);
    expect(await node.collections.readableIds(who('admin', ['admin']))).toHaveLength(2);
  });

  it('resolves by alias, 404 for an invisible collection, 403 for a missing right', async () => {
    expect((await node.collections.resolve(who('bob'), 'shared-intel', 'read')).collection.id).toBe(node.intelId);
    await expect(node.collections.resolve(who('carol'), node.intelId, 'read')).rejects.toMatchObject({ code: 'ENTENTE_COLLECTION_NOT_FOUND', status: 404 });
    await expect(node.collections.resolve(who('bob'), node.intelId, 'write')).rejects.toMatchObject({ code: 'ENTENTE_FORBIDDEN', status: 403 });
  });

  it('refuses a taken alias and an id that is not URL-safe', async () => {
    await expect(node.collections.create({ title: 'Again', alias: 'shared-intel' })).rejects.toMatchObject({ code: 'ENTENTE_CONFLICT' });
    await expect(node.collections.create({ title: 'Bad', id: 'a/b' })).rejects.toMatchObject({ code: 'ENTENTE_INVALID_PARAMETER' });
  });

  it('deletes a collection, after which it cannot be resolved', async () => {
    const doomed = await node.collections.create({ title: 'Doomed' });
    await node.collections.delete(doomed.id);
    await expect(node.collections.resolve(who('admin', ['admin']), doomed.id)).rejects.toMatchObject({ code: 'ENTENTE_COLLECTION_NOT_FOUND' });
  });
});
