import type { Collection, Grant } from '../../ports/store.js';
import type { SqliteContext } from './context.js';
import { dropIfOrphan } from './object-deletes.js';

interface CollectionRow {
  readonly id: string;
  readonly title: string;
  readonly description: string | null;
  readonly alias: string | null;
  readonly media_types: string;
  readonly created_at: string;
}

function toCollection(row: CollectionRow): Collection {
  return {
    id: row.id, title: row.title,
    ...(row.description !== null ? { description: row.description } : {}),
    ...(row.alias !== null ? { alias: row.alias } : {}),
    mediaTypes: JSON.parse(row.media_types) as string[], createdAt: row.created_at,
  };
}

const COLUMNS = 'id, title, description, alias, media_types, created_at';

export function createCollection(ctx: SqliteContext, c: Collection): void {
  ctx.sql.get(`INSERT INTO collections (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`)
    .run(c.id, c.title, c.description ?? null, c.alias ?? null, JSON.stringify(c.mediaTypes), c.createdAt);
}

/** By id first, then by alias, so an alias can never shadow another collection's id. */
export function getCollection(ctx: SqliteContext, idOrAlias: string): Collection | undefined {
  const row = ctx.sql.get(`SELECT ${COLUMNS} FROM collections WHERE id = @key OR alias = @key ORDER BY id = @key DESC LIMIT 1`).get({ key: idOrAlias }) as CollectionRow | undefined;
  return row === undefined ? undefined : toCollection(row);
}

export function listCollections(ctx: SqliteContext): Collection[] {
  return (ctx.sql.get(`SELECT ${COLUMNS} FROM collections ORDER BY created_at, id`).all() as CollectionRow[]).map(toCollection);
}

/** Drops the collection, its memberships and grants, and object rows no other collection holds. */
export function deleteCollection(ctx: SqliteContext, id: string): boolean {
  const row = ctx.sql.get('SELECT ckey FROM collections WHERE id = ?').get(id) as { ckey: number } | undefined;
  if (row === undefined) return false;
  const okeys = (ctx.sql.get('SELECT DISTINCT okey FROM members WHERE ckey = ?').all(row.ckey) as { okey: number }[]).map((r) => r.okey);
  ctx.sql.get('DELETE FROM members WHERE ckey = ?').run(row.ckey);
  for (const okey of okeys) dropIfOrphan(ctx, okey);
  ctx.sql.get('DELETE FROM collections WHERE ckey = ?').run(row.ckey);
  return true;
}

export function setGrant(ctx: SqliteContext, g: Grant): void {
  ctx.sql.get(`INSERT INTO grants (collection_id, principal, can_read, can_write) VALUES (?, ?, ?, ?)
    ON CONFLICT (collection_id, principal) DO UPDATE SET can_read = excluded.can_read, can_write = excluded.can_write`)
    .run(g.collectionId, g.principal, g.canRead ? 1 : 0, g.canWrite ? 1 : 0);
}

export function listGrants(ctx: SqliteContext, filter: { readonly collectionId?: string; readonly principal?: string } = {}): Grant[] {
  const rows = ctx.sql.get(`SELECT collection_id, principal, can_read, can_write FROM grants
    WHERE (@c IS NULL OR collection_id = @c) AND (@p IS NULL OR principal = @p) ORDER BY collection_id, principal`)
    .all({ c: filter.collectionId ?? null, p: filter.principal ?? null }) as { collection_id: string; principal: string; can_read: number; can_write: number }[];
  return rows.map((r) => ({ collectionId: r.collection_id, principal: r.principal, canRead: r.can_read === 1, canWrite: r.can_write === 1 }));
}
