import { EntenteError } from '../../core/errors.js';
import { versionOf } from '../../ports/store.js';
import type { StixLike, WriteOptions, WriteResult } from '../../ports/store.js';
import { collectionKey } from './context.js';
import type { MemberRow, SqliteContext } from './context.js';
import { edgesOf } from '../shared/object-edges.js';
import { searchTextOf } from './object-text.js';
import { millisTimestamp, normaliseTimestamp, timestampMillis } from './timestamps.js';

/** STIX 2.1 section 3.1: SCOs may omit spec_version, which then means 2.1. */
const DEFAULT_SPEC_VERSION = '2.1';

type Existing = Pick<MemberRow, 'okey' | 'ckey' | 'version' | 'spec_version' | 'date_added'>;

function serialise(object: StixLike, index: number): string {
  try {
    return JSON.stringify(object);
  } catch (error) {
    throw new EntenteError('ENTENTE_STIX_INVALID', `objects[${index}] cannot be stored as JSON`, [
      { path: `$.objects[${index}]`, message: error instanceof Error ? error.message : String(error) },
    ]);
  }
}

/**
 * Writes one batch in one transaction (the caller wraps it). Per object: one indexed lookup of
 * the id's memberships decides duplicate / shared object row / first-last-spec flags; a new
 * version costs one objects row, one FTS row, its edges and one membership row.
 */
export function writeBatch(ctx: SqliteContext, collectionId: string, objects: ReadonlyArray<StixLike>, options: WriteOptions): WriteResult[] {
  const ckey = collectionKey(ctx, collectionId);
  if (ckey === undefined) throw new EntenteError('ENTENTE_COLLECTION_NOT_FOUND', `Collection ${collectionId} does not exist`);
  const addedMillis = timestampMillis(options.dateAdded, 'dateAdded');
  const dateAdded = millisTimestamp(addedMillis);
  const sequence = (ctx.sql.get("SELECT value FROM sequences WHERE name = 'members'").get() as { value: number }).value;
  let seq = sequence;
  const existingOf = ctx.sql.get('SELECT okey, ckey, version, spec_version, date_added FROM members INDEXED BY members_object WHERE id = ?');
  const insertObject = ctx.sql.get('INSERT INTO objects (id, version, json) VALUES (?, ?, ?)');
  const insertText = ctx.sql.get('INSERT INTO search_fts (rowid, body) VALUES (?, ?)');
  const insertEdge = ctx.sql.get('INSERT INTO edges (okey, n, source, target, kind, label, via) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insertMember = ctx.sql.get(`INSERT INTO members (ckey, date_added, seq, okey, id, type, version, spec_version, is_first, is_last, spec_latest)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const clearFirst = ctx.sql.get('UPDATE members INDEXED BY members_object SET is_first = 0 WHERE id = ? AND ckey = ? AND is_first = 1');
  const clearLast = ctx.sql.get('UPDATE members INDEXED BY members_object SET is_last = 0 WHERE id = ? AND ckey = ? AND is_last = 1');
  const clearSpec = ctx.sql.get('UPDATE members INDEXED BY members_object SET spec_latest = 0 WHERE id = ? AND ckey = ? AND spec_latest = 1');

  const results: WriteResult[] = [];
  for (let index = 0; index < objects.length; index += 1) {
    const object = objects[index]!;
    const version = normaliseTimestamp(versionOf(object), `objects[${index}].modified`);
    const spec = object.spec_version ?? DEFAULT_SPEC_VERSION;
    const existing = existingOf.all(object.id) as Existing[];
    let okey: number | undefined;
    let duplicateOf: Existing | undefined;
    let isFirst = true;
    let isLast = true;
    let specLatest = true;
    let specNewest = true;
    let siblings = false;
    for (const row of existing) {
      if (row.version === version) {
        okey = row.okey;
        if (row.ckey === ckey) duplicateOf = row;
      }
      if (row.ckey !== ckey) continue;
      siblings = true;
      if (row.version < version) isFirst = false;
      if (row.version > version) isLast = false;
      if (row.spec_version > spec) specLatest = false;
      if (row.spec_version >= spec) specNewest = false;
    }
    if (duplicateOf !== undefined) {
      results.push({ id: object.id, version, outcome: 'duplicate', dateAdded: millisTimestamp(duplicateOf.date_added) });
      continue;
    }
    if (okey === undefined) {
      okey = Number(insertObject.run(object.id, version, serialise(object, index)).lastInsertRowid);
      const text = searchTextOf(object);
      if (text !== '') insertText.run(okey, text);
      const edges = edgesOf(object);
      for (let n = 0; n < edges.length; n += 1) {
        const e = edges[n]!;
        insertEdge.run(okey, n, e.source, e.target, e.kind, e.label, e.via ?? null);
      }
    }
    if (siblings) {
      if (isFirst) clearFirst.run(object.id, ckey);
      if (isLast) clearLast.run(object.id, ckey);
      if (specNewest) clearSpec.run(object.id, ckey);
    }
    seq += 1;
    insertMember.run(ckey, addedMillis, seq, okey, object.id, object.type, version, spec, isFirst ? 1 : 0, isLast ? 1 : 0, specLatest ? 1 : 0);
    results.push({ id: object.id, version, outcome: 'added', dateAdded });
  }
  if (seq !== sequence) ctx.sql.get("UPDATE sequences SET value = ? WHERE name = 'members'").run(seq);
  return results;
}
