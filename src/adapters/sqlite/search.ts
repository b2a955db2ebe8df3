import type { SearchHit, SearchPage, SearchQuery, StixLike } from '../../ports/store.js';
import type { SqliteContext } from './context.js';
import { decodeSearchCursor, encodeSearchCursor } from './cursor.js';
import { collectionFilter } from './object-queries.js';
import { titleOf } from '../../core/stix/index.js';
import { ftsQueryOf } from './object-text.js';
import { LIMIT_PARAM, placeholders } from './statements.js';
import { ID_HASH_FUNCTION } from './id-keys.js';
import { EntenteError } from '../../core/errors.js';

/**
 * Full-text search on the FTS5 index, newest stored version first (keyset on the object key:
 * ranking by relevance cannot be paged without OFFSET). A hit must be the latest version of its
 * object in at least one collection searched, so superseded wording is not found.
 */
export function search(ctx: SqliteContext, query: SearchQuery): SearchPage {
  if (!Number.isInteger(query.limit) || query.limit < 1) throw new EntenteError('ENTENTE_INVALID_PARAMETER', `limit must be a positive integer, got ${query.limit}`);
  const match = ftsQueryOf(query.text);
  if (match === undefined) return { hits: [] };
  const params: unknown[] = [match];
  let cursorSql = '';
  if (query.cursor !== undefined) {
    cursorSql = ' AND f.rowid < ?';
    params.push(decodeSearchCursor(query.cursor));
  }
  let memberSql = '';
  if (query.types !== undefined && query.types.length > 0) {
    memberSql += ` AND m.type IN (${placeholders(query.types.length)})`;
    params.push(...query.types);
  }
  memberSql += collectionFilter(query.collectionIds, params);
  const sql = `SELECT o.okey, o.version, o.json FROM search_fts f JOIN objects o ON o.okey = f.rowid
    WHERE search_fts MATCH ?${cursorSql}
      AND EXISTS (SELECT 1 FROM ids i JOIN members m INDEXED BY members_object ON m.ikey = i.ikey
        WHERE i.hash = ${ID_HASH_FUNCTION}(o.id) AND i.id = o.id AND m.version = o.version AND m.is_last = 1${memberSql})
    ORDER BY f.rowid DESC ${LIMIT_PARAM}`;
  const rows = ctx.sql.get(sql).all(...params, query.limit + 1) as { okey: number; version: string; json: string }[];
  const page = rows.slice(0, query.limit);
  const hits: SearchHit[] = page.map((row) => {
    const object = JSON.parse(row.json) as StixLike;
    return { id: object.id, type: object.type, version: row.version, title: titleOf(object), object };
  });
  const last = page[page.length - 1];
  return rows.length > query.limit && last !== undefined ? { hits, next: encodeSearchCursor(last.okey) } : { hits };
}
