import type { DeleteQuery } from '../../ports/store.js';
import { collectionKey } from './context.js';
import type { MemberRow, SqliteContext } from './context.js';
import { versionCondition } from './object-filters.js';
import { placeholders } from './statements.js';
import { ID_HASH_FUNCTION, findIdKey } from './id-keys.js';

/** Removes an object row with its search text and edges once no collection holds it. */
export function dropIfOrphan(ctx: SqliteContext, okey: number): void {
  const held = ctx.sql.get(`SELECT 1 FROM objects o JOIN ids i ON i.hash = ${ID_HASH_FUNCTION}(o.id) AND i.id = o.id JOIN members m INDEXED BY members_object ON m.ikey = i.ikey AND m.version = o.version
    WHERE o.okey = ? LIMIT 1`).get(okey);
  if (held !== undefined) return;
  ctx.sql.get('DELETE FROM objects WHERE okey = ?').run(okey);
  ctx.sql.get('DELETE FROM search_fts WHERE rowid = ?').run(okey);
  ctx.sql.get('DELETE FROM edges WHERE okey = ?').run(okey);
}

/** Sets first / last / latest-spec flags of one object in one collection from what remains. */
export function recomputeFlags(ctx: SqliteContext, ckey: number, ikey: number): void {
  ctx.sql.get(`UPDATE members INDEXED BY members_object SET
      is_first = (version = (SELECT min(version) FROM members INDEXED BY members_object WHERE ikey = @ikey AND ckey = @ckey)),
      is_last = (version = (SELECT max(version) FROM members INDEXED BY members_object WHERE ikey = @ikey AND ckey = @ckey)),
      spec_latest = (spec_version = (SELECT max(spec_version) FROM members INDEXED BY members_object WHERE ikey = @ikey AND ckey = @ckey))
    WHERE ikey = @ikey AND ckey = @ckey`).run({ ikey, ckey });
}

/**
 * TAXII 2.1 section 5.8 (Delete An Object): without `match[version]` every version goes, and
 * without `match[spec_version]` every spec version goes, so the defaults here are "all" rather
 * than the listing defaults. The caller runs this inside a transaction.
 */
export function deleteObjects(ctx: SqliteContext, query: DeleteQuery): number {
  const ckey = collectionKey(ctx, query.collectionId);
  if (ckey === undefined) return 0;
  const ikey = findIdKey(ctx, query.id);
  if (ikey === undefined) return 0;
  const params: unknown[] = [ikey, ckey];
  const where = ['m.ikey = ?', 'm.ckey = ?'];
  const versionSql = versionCondition(query.versions ?? ['all'], params);
  if (versionSql !== undefined) where.push(versionSql);
  if (query.specVersions !== undefined && query.specVersions.length > 0) {
    where.push(`m.spec_version IN (${placeholders(query.specVersions.length)})`);
    params.push(...query.specVersions);
  }
  const rows = ctx.sql.get(`SELECT m.version, m.okey FROM members m INDEXED BY members_object WHERE ${where.join(' AND ')}`).all(...params) as Pick<MemberRow, 'version' | 'okey'>[];
  if (rows.length === 0) return 0;
  const remove = ctx.sql.get('DELETE FROM members INDEXED BY members_object WHERE ikey = ? AND ckey = ? AND version = ?');
  for (const row of rows) remove.run(ikey, ckey, row.version);
  for (const row of rows) dropIfOrphan(ctx, row.okey);
  recomputeFlags(ctx, ckey, ikey);
  return rows.length;
}
