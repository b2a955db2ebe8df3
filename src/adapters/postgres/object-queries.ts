import { EntenteError } from '../../core/errors.js';
import { storedFromJson, type LatestReleaseFacts, type ObjectPage, type ObjectQuery, type StixLike, type StoredObject } from '../../ports/store.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { normaliseTimestamp } from './object-facets.js';
import type { PgDatabase } from './pg-pool.js';
import { SqlFilter, addSpecVersionFilter, addVersionFilter } from './sql-filters.js';

interface MemberRow {
  readonly id: string;
  readonly type: string;
  readonly version: string;
  readonly spec_version: string;
  readonly date_added: string;
  readonly seq: string;
  readonly body: string;
  readonly release_key: string | null;
  readonly release_refs: string | null;
}

const SELECT_MEMBERS = `SELECT m.id, m.type, m.version, m.spec_version, m.date_added, m.seq, o.body, o.release_key, o.release_refs
  FROM members m JOIN objects o ON o.id = m.id AND o.version = m.version`;

/** The body is parsed only if read: a TAXII page sends the stored text on. */
function toStored(row: MemberRow): StoredObject {
  const fields = { id: row.id, type: row.type, version: row.version, specVersion: row.spec_version, dateAdded: row.date_added };
  return storedFromJson(fields, row.body, row.release_key === null ? undefined : factsOf(row.release_key, row.release_refs));
}

function factsOf(key: string, refs: string | null): NonNullable<StoredObject['release']> {
  return refs === null ? { key } : { key, refs };
}

function baseFilter(query: ObjectQuery): SqlFilter {
  const filter = new SqlFilter();
  filter.add(`m.collection_id = ${filter.param(query.collectionId)}`);
  if (query.ids !== undefined) filter.add(`m.id = ANY(${filter.param(query.ids)}::text[])`);
  if (query.types !== undefined) filter.add(`m.type = ANY(${filter.param(query.types)}::text[])`);
  if (query.addedAfter !== undefined) filter.add(`m.date_added > ${filter.param(normaliseTimestamp(query.addedAfter))}`);
  addSpecVersionFilter(filter, 'm', query.specVersions);
  return filter;
}

/**
 * The TAXII object listing, in date_added order (the order of seq). Keyset paging on seq: the
 * page after any cursor is an index range scan, never an OFFSET.
 */
export async function queryObjects(db: PgDatabase, query: ObjectQuery): Promise<ObjectPage> {
  const filter = baseFilter(query);
  addVersionFilter(filter, 'm', query.versions ?? ['last']);
  if (query.cursor !== undefined) {
    const [seq] = decodeCursor('objects', query.cursor);
    filter.add(`m.seq > ${filter.param(seq)}`);
  }
  const limit = filter.param(query.limit + 1);
  const rows = await db.query<MemberRow>('queryObjects', `${SELECT_MEMBERS} ${filter.where()} ORDER BY m.seq LIMIT ${limit}`, filter.values);
  if (rows.length === 0) await requireCollection(db, query.collectionId);
  return page(rows, query.limit, (last) => encodeCursor('objects', [last.seq]));
}

/**
 * Every version of the given objects, oldest first. The keyset is (version, seq), seq breaking
 * ties between objects that share a version timestamp.
 */
export async function listVersions(db: PgDatabase, query: ObjectQuery & { readonly ids: ReadonlyArray<string> }): Promise<ObjectPage> {
  const filter = baseFilter(query);
  addVersionFilter(filter, 'm', query.versions ?? ['all']);
  if (query.cursor !== undefined) {
    const [version, seq] = decodeCursor('versions', query.cursor);
    filter.add(`(m.version, m.seq) > (${filter.param(version)}, ${filter.param(seq)}::bigint)`);
  }
  const limit = filter.param(query.limit + 1);
  const rows = await db.query<MemberRow>('listVersions', `${SELECT_MEMBERS} ${filter.where()} ORDER BY m.version, m.seq LIMIT ${limit}`, filter.values);
  if (rows.length === 0) await requireCollection(db, query.collectionId);
  return page(rows, query.limit, (last) => encodeCursor('versions', [last.version, last.seq]));
}

/**
 * An empty listing of a collection that does not exist is an error, not an empty page; the
 * check costs a query only when a page comes back empty.
 */
async function requireCollection(db: PgDatabase, collectionId: string): Promise<void> {
  const found = await db.query('queryObjects', 'SELECT 1 FROM collections WHERE id = $1', [collectionId]);
  if (found.length === 0) throw new EntenteError('ENTENTE_COLLECTION_NOT_FOUND', `Collection ${collectionId} does not exist`);
}

function page(rows: ReadonlyArray<MemberRow>, limit: number, cursorOf: (last: MemberRow) => string): ObjectPage {
  if (rows.length <= limit) return { objects: rows.map(toStored) };
  const kept = rows.slice(0, limit);
  return { objects: kept.map(toStored), next: cursorOf(kept[kept.length - 1] as MemberRow) };
}

/** The latest version held in any of the collections (all when absent). */
export async function getLatest(db: PgDatabase, id: string, collectionIds?: ReadonlyArray<string>): Promise<StixLike | undefined> {
  const filter = new SqlFilter();
  filter.add(`m.id = ${filter.param(id)}`);
  if (collectionIds !== undefined) filter.add(`m.collection_id = ANY(${filter.param(collectionIds)}::text[])`);
  const rows = await db.query<{ body: string }>('getLatest',
    `SELECT o.body FROM members m JOIN objects o ON o.id = m.id AND o.version = m.version ${filter.where()}
     ORDER BY m.version DESC LIMIT 1`, filter.values);
  const row = rows[0];
  return row === undefined ? undefined : (JSON.parse(row.body) as StixLike);
}

/** `latestReleaseFacts` of the port: the newest version of each id across collections. */
export async function latestReleaseFacts(db: PgDatabase, ids: ReadonlyArray<string>): Promise<Map<string, LatestReleaseFacts>> {
  const out = new Map<string, LatestReleaseFacts>();
  if (ids.length === 0) return out;
  const rows = await db.query<{ id: string; type: string; version: string; release_key: string | null; release_refs: string | null }>('latestReleaseFacts',
    `SELECT DISTINCT ON (m.id) m.id, m.type, m.version, o.release_key, o.release_refs
     FROM members m JOIN objects o ON o.id = m.id AND o.version = m.version
     WHERE m.id = ANY($1::text[]) ORDER BY m.id, m.version DESC`, [[...new Set(ids)]]);
  for (const r of rows) out.set(r.id, r.release_key === null ? { type: r.type, version: r.version } : { type: r.type, version: r.version, release: factsOf(r.release_key, r.release_refs) });
  return out;
}

/** Versions held by one collection, or distinct stored versions across all of them. */
export async function countObjects(db: PgDatabase, collectionId?: string): Promise<number> {
  const rows = collectionId === undefined
    ? await db.query<{ n: string }>('countObjects', 'SELECT count(*) AS n FROM objects')
    : await db.query<{ n: string }>('countObjects', 'SELECT count(*) AS n FROM members WHERE collection_id = $1', [collectionId]);
  return Number(rows[0]?.n ?? 0);
}
