import { EntenteError } from '../../core/errors.js';
import type { Collection, Grant } from '../../ports/store.js';
import { dropOrphans } from './object-deletes.js';
import type { PgDatabase } from './pg-pool.js';
import { SqlFilter } from './sql-filters.js';

interface CollectionRow {
  readonly id: string;
  readonly title: string;
  readonly description: string | null;
  readonly alias: string | null;
  readonly media_types: string[];
  readonly created_at: string;
}

function toCollection(row: CollectionRow): Collection {
  return {
    id: row.id,
    title: row.title,
    ...(row.description === null ? {} : { description: row.description }),
    ...(row.alias === null ? {} : { alias: row.alias }),
    mediaTypes: row.media_types,
    createdAt: row.created_at,
  };
}

/** Creates a collection; an id or alias already taken is ENTENTE_CONFLICT. */
export async function createCollection(db: PgDatabase, collection: Collection): Promise<void> {
  const rows = await db.query('createCollection',
    `INSERT INTO collections (id, title, description, alias, media_types, created_at)
     SELECT $1, $2, $3, $4, $5, $6
     WHERE NOT EXISTS (SELECT 1 FROM collections WHERE id = $1 OR alias = $1 OR id = $4 OR alias = $4)
     ON CONFLICT DO NOTHING RETURNING id`,
    [collection.id, collection.title, collection.description ?? null, collection.alias ?? null, collection.mediaTypes, collection.createdAt]);
  if (rows.length === 0) {
    throw new EntenteError('ENTENTE_CONFLICT', `A collection with id or alias ${collection.alias ?? collection.id} already exists`);
  }
}

export async function getCollection(db: PgDatabase, idOrAlias: string): Promise<Collection | undefined> {
  const rows = await db.query<CollectionRow>('getCollection',
    'SELECT * FROM collections WHERE id = $1 OR alias = $1 ORDER BY (id = $1) DESC LIMIT 1', [idOrAlias]);
  const row = rows[0];
  return row === undefined ? undefined : toCollection(row);
}

export async function listCollections(db: PgDatabase): Promise<ReadonlyArray<Collection>> {
  const rows = await db.query<CollectionRow>('listCollections', 'SELECT * FROM collections ORDER BY created_at, id');
  return rows.map(toCollection);
}

/**
 * Deletes a collection with its grants and memberships; bodies no other collection holds go
 * too. The collection row is deleted first, which waits for writers holding it key-shared.
 */
export async function deleteCollection(db: PgDatabase, id: string): Promise<boolean> {
  return db.transaction('deleteCollection', async (client) => {
    const found = await client.query('DELETE FROM collections WHERE id = $1 RETURNING id', [id]);
    if (found.rowCount === 0) return false;
    const removed = await client.query<{ id: string; version: string }>('DELETE FROM members WHERE collection_id = $1 RETURNING id, version', [id]);
    await dropOrphans(client, removed.rows.map((r) => r.id), removed.rows.map((r) => r.version));
    return true;
  });
}

/** Upserts a grant; a grant on a collection that does not exist is ENTENTE_COLLECTION_NOT_FOUND. */
export async function setGrant(db: PgDatabase, grant: Grant): Promise<void> {
  const rows = await db.query('setGrant',
    `INSERT INTO grants (collection_id, principal, can_read, can_write)
     SELECT id, $2, $3, $4 FROM collections WHERE id = $1
     ON CONFLICT (collection_id, principal) DO UPDATE SET can_read = EXCLUDED.can_read, can_write = EXCLUDED.can_write
     RETURNING 1`, [grant.collectionId, grant.principal, grant.canRead, grant.canWrite]);
  if (rows.length === 0) throw new EntenteError('ENTENTE_COLLECTION_NOT_FOUND', `Collection ${grant.collectionId} does not exist`);
}

export async function listGrants(db: PgDatabase, filter: { readonly collectionId?: string; readonly principal?: string } = {}): Promise<ReadonlyArray<Grant>> {
  const sql = new SqlFilter();
  if (filter.collectionId !== undefined) sql.add(`collection_id = ${sql.param(filter.collectionId)}`);
  if (filter.principal !== undefined) sql.add(`principal = ${sql.param(filter.principal)}`);
  const rows = await db.query<{ collection_id: string; principal: string; can_read: boolean; can_write: boolean }>('listGrants',
    `SELECT * FROM grants ${sql.where()} ORDER BY collection_id, principal`, sql.values);
  return rows.map((row) => ({ collectionId: row.collection_id, principal: row.principal, canRead: row.can_read, canWrite: row.can_write }));
}
