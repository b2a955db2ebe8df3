import type { SearchHit, SearchPage, SearchQuery, StixLike } from '../../ports/store.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { titleOf } from '../../core/stix/index.js';
import { searchWords } from './object-facets.js';
import type { PgDatabase } from './pg-pool.js';
import { SqlFilter } from './sql-filters.js';

/**
 * Full-text search on the `search` tsvector (GIN). Words of the query are cut exactly as the
 * documents were, and each becomes a prefix term (`word:*`) AND-ed with the others. Only the
 * latest version of each object among the searched collections can be a hit; hits come in id
 * order, which gives a stable keyset for paging.
 */
export async function search(db: PgDatabase, query: SearchQuery): Promise<SearchPage> {
  const words = [...new Set(searchWords(query.text))];
  if (words.length === 0) return { hits: [] };
  const filter = new SqlFilter();
  filter.add(`o.search @@ ${filter.param(words.map((w) => `'${w}':*`).join(' & '))}::tsquery`);
  const inCollections = query.collectionIds === undefined ? '' : ` AND m.collection_id = ANY(${filter.param(query.collectionIds)}::text[])`;
  filter.add(`EXISTS (SELECT 1 FROM members m WHERE m.id = o.id AND m.version = o.version${inCollections})`);
  filter.add(`NOT EXISTS (SELECT 1 FROM members m WHERE m.id = o.id AND m.version > o.version${inCollections})`);
  if (query.types !== undefined) filter.add(`o.type = ANY(${filter.param(query.types)}::text[])`);
  if (query.cursor !== undefined) {
    const [afterId] = decodeCursor('search', query.cursor);
    filter.add(`o.id > ${filter.param(afterId)}`);
  }
  const limit = filter.param(query.limit + 1);
  const rows = await db.query<{ id: string; type: string; version: string; body: string }>('search',
    `SELECT o.id, o.type, o.version, o.body FROM objects o ${filter.where()} ORDER BY o.id LIMIT ${limit}`, filter.values);
  const hits = rows.slice(0, query.limit).map((row): SearchHit => {
    const object = JSON.parse(row.body) as StixLike;
    return { id: row.id, type: row.type, version: row.version, title: titleOf(object), object };
  });
  const last = hits[hits.length - 1];
  return rows.length > query.limit && last !== undefined ? { hits, next: encodeCursor('search', [last.id]) } : { hits };
}
