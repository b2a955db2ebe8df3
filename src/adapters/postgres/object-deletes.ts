import type { DeleteQuery } from '../../ports/store.js';
import type { PgClient, PgDatabase } from './pg-pool.js';
import { SqlFilter, addVersionFilter } from './sql-filters.js';
import { lockObjectIds } from './write-locks.js';

/** Recomputes first/last of the given ids in one collection after rows left it. */
const REFLAG = `
  UPDATE members m SET is_first = (m.version = a.min_v), is_last = (m.version = a.max_v)
  FROM (SELECT id, min(version) AS min_v, max(version) AS max_v FROM members
        WHERE collection_id = $1 AND id = ANY($2::text[]) GROUP BY id) a
  WHERE m.collection_id = $1 AND m.id = a.id
    AND (m.is_first <> (m.version = a.min_v) OR m.is_last <> (m.version = a.max_v))`;

/**
 * Drops bodies (and their edges) that no collection holds any more, among the given
 * (id, version) pairs: bodies are shared between collections, so only the last holder frees them.
 */
export async function dropOrphans(client: PgClient, ids: ReadonlyArray<string>, versions: ReadonlyArray<string>): Promise<void> {
  if (ids.length === 0) return;
  await client.query(`
    WITH gone AS (
      DELETE FROM objects o USING unnest($1::text[], $2::text[]) AS g(id, version)
      WHERE o.id = g.id AND o.version = g.version
        AND NOT EXISTS (SELECT 1 FROM members m WHERE m.id = g.id AND m.version = g.version)
      RETURNING o.id, o.version)
    DELETE FROM edges e USING gone WHERE e.owner_id = gone.id AND e.owner_version = gone.version`, [ids, versions]);
}

/**
 * Removes the matching versions of one object from a collection (all versions when no
 * selector is given), then restores the first/last flags of what remains.
 */
export async function deleteObjects(db: PgDatabase, query: DeleteQuery): Promise<number> {
  return db.transaction('deleteObjects', async (client) => {
    await lockObjectIds(client, db.schema, query.collectionId, [query.id]);
    const filter = new SqlFilter();
    filter.add(`m.collection_id = ${filter.param(query.collectionId)}`);
    filter.add(`m.id = ${filter.param(query.id)}`);
    addVersionFilter(filter, 'm', query.versions ?? ['all']);
    if (query.specVersions !== undefined) filter.add(`m.spec_version = ANY(${filter.param(query.specVersions)}::text[])`);
    const removed = await client.query<{ version: string }>(`DELETE FROM members m ${filter.where()} RETURNING m.version`, filter.values);
    if (removed.rows.length === 0) return 0;
    await client.query(REFLAG, [query.collectionId, [query.id]]);
    await dropOrphans(client, removed.rows.map(() => query.id), removed.rows.map((row) => row.version));
    return removed.rows.length;
  });
}
