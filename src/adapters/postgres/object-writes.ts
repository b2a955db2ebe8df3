import { EntenteError } from '../../core/errors.js';
import type { StixLike, WriteOptions, WriteResult } from '../../ports/store.js';
import type { PgClient, PgDatabase } from './pg-pool.js';
import { ensureStaging, forgetStaging, stageByCopy, stageByInsert, stageObject, type StagedObject } from './staging.js';
import { lockObjectIds } from './write-locks.js';

/** From this many objects a call goes through COPY even without the bulk hint. */
export const COPY_THRESHOLD = 500;

/**
 * Bodies are stored once per (id, version); edges are derived only when the body is new. Rows
 * go in (id, version) order: two writers inserting overlapping sets then wait on each other in
 * one direction only, which rules out a deadlock on the primary key.
 */
const MERGE_OBJECTS = `
  WITH new_objects AS (
    INSERT INTO objects (id, version, type, spec_version, body, search, release_key, release_refs)
    SELECT id, version, type, spec_version, body, search, release_key, release_refs FROM stage_objects
    ORDER BY id, version
    ON CONFLICT DO NOTHING
    RETURNING id, version)
  INSERT INTO edges (owner_id, owner_version, source, target, kind, label, via)
  SELECT e.owner_id, e.owner_version, e.source, e.target, e.kind, e.label, e.via
  FROM stage_edges e JOIN new_objects n ON n.id = e.owner_id AND n.version = e.owner_version`;

/**
 * Adds the memberships and keeps first/last exact, in one statement. A new row is first (last)
 * when it is the batch's minimum (maximum) for its id and below (above) every version already
 * in the collection; the rows it displaces lose the flag. A duplicate equals a stored version,
 * so it is never computed first or last, and only ids that had rows can displace anything
 * (the write locks keep "existing" exact). The LATERAL probes and `= ANY(ARRAY(…))` keep every
 * lookup on the primary key: a join would let the planner scan the whole collection once per
 * batch, which makes a long import quadratic. Every part of a statement reads the snapshot
 * taken before its inserts, so the final SELECT sees only rows that existed already: the
 * duplicates (rows the INSERT skipped), with the date_added they keep.
 */
const MERGE_MEMBERS = `
  WITH existing AS (
    SELECT s.id, x.min_v, x.max_v
    FROM (SELECT DISTINCT id FROM stage_objects) s
    CROSS JOIN LATERAL (
      SELECT min(m.version) AS min_v, max(m.version) AS max_v FROM members m
      WHERE m.id = s.id AND m.collection_id = $1) x
    WHERE x.min_v IS NOT NULL),
  batch AS (
    SELECT s.ord, s.id, s.version, s.type, s.spec_version,
      min(s.version) OVER (PARTITION BY s.id) AS batch_min, max(s.version) OVER (PARTITION BY s.id) AS batch_max
    FROM stage_objects s),
  flagged AS (
    SELECT b.ord, b.id, b.version, b.type, b.spec_version, e.id IS NOT NULL AS had_rows,
      b.version = b.batch_min AND (e.min_v IS NULL OR b.version < e.min_v) AS is_first,
      b.version = b.batch_max AND (e.max_v IS NULL OR b.version > e.max_v) AS is_last
    FROM batch b LEFT JOIN existing e ON e.id = b.id),
  inserted AS (
    INSERT INTO members (collection_id, id, version, type, spec_version, date_added, is_first, is_last)
    SELECT $1, id, version, type, spec_version, $2, is_first, is_last FROM flagged
    ORDER BY ord
    ON CONFLICT DO NOTHING
    RETURNING id, version),
  displaced AS (
    SELECT id, bool_or(is_first) AS new_first, bool_or(is_last) AS new_last FROM flagged
    WHERE had_rows AND (is_first OR is_last) GROUP BY id),
  demoted AS (
    UPDATE members m SET is_first = m.is_first AND NOT d.new_first, is_last = m.is_last AND NOT d.new_last
    FROM displaced d
    WHERE m.collection_id = $1 AND m.id = ANY(ARRAY(SELECT id FROM displaced)) AND m.id = d.id
      AND ((d.new_first AND m.is_first) OR (d.new_last AND m.is_last))
    RETURNING 1),
  not_inserted AS MATERIALIZED (
    SELECT s.ord, s.id, s.version FROM stage_objects s
    WHERE NOT EXISTS (SELECT 1 FROM inserted i WHERE i.id = s.id AND i.version = s.version))
  SELECT n.ord, d.date_added FROM not_inserted n
  CROSS JOIN LATERAL (
    SELECT m.date_added FROM members m
    WHERE m.id = n.id AND m.version = n.version AND m.collection_id = $1 LIMIT 1) d`;

/**
 * writeObjects: the whole call is one transaction. The collection row is key-share locked so
 * it cannot be deleted under the write; advisory locks serialise writers of the same ids.
 */
export async function writeObjects(
  db: PgDatabase, collectionId: string, objects: ReadonlyArray<StixLike>, options: WriteOptions,
): Promise<ReadonlyArray<WriteResult>> {
  if (objects.length === 0) return [];
  const rows = objects.map(stageObject);
  const useCopy = options.bulk === true || rows.length >= COPY_THRESHOLD;
  const duplicates = await db.transaction('writeObjects', async (client) => {
    try {
      return await mergeBatch(client, db.schema, collectionId, rows, useCopy, options.dateAdded);
    } catch (error) {
      forgetStaging(client);
      throw error;
    }
  });
  return rows.map((row, i): WriteResult => {
    const existing = duplicates.get(i);
    return existing === undefined
      ? { id: row.id, version: row.version, outcome: 'added', dateAdded: options.dateAdded }
      : { id: row.id, version: row.version, outcome: 'duplicate', dateAdded: existing };
  });
}

async function mergeBatch(
  client: PgClient, schema: string, collectionId: string, rows: ReadonlyArray<StagedObject>, useCopy: boolean, dateAdded: string,
): Promise<Map<number, string>> {
  await requireCollection(client, collectionId);
  // Staging touches only this session's temporary tables and the object merge needs no lock,
  // so a concurrent writer's COPY and object merge overlap this one's membership merge.
  await ensureStaging(client);
  if (useCopy) {
    await client.query(`SET LOCAL work_mem = '64MB'`);
    await stageByCopy(client, rows);
  } else {
    await stageByInsert(client, rows);
  }
  // Bodies need no lock (ON CONFLICT settles races); only the membership flags do.
  await client.query(MERGE_OBJECTS);
  await lockObjectIds(client, schema, collectionId, rows.map((r) => r.id));
  const result = await client.query<{ ord: number; date_added: string }>(MERGE_MEMBERS, [collectionId, dateAdded]);
  return new Map(result.rows.map((row) => [row.ord, row.date_added]));
}

async function requireCollection(client: PgClient, collectionId: string): Promise<void> {
  const found = await client.query('SELECT 1 FROM collections WHERE id = $1 FOR KEY SHARE', [collectionId]);
  if (found.rowCount === 0) {
    throw new EntenteError('ENTENTE_COLLECTION_NOT_FOUND', `Collection ${collectionId} does not exist`);
  }
}
