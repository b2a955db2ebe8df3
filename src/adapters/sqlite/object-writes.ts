import { EntenteError } from '../../core/errors.js';
import { releaseFactsOf } from '../../core/policy/release-facts.js';
import { versionOf } from '../../ports/store.js';
import type { StixLike, WriteOptions, WriteResult } from '../../ports/store.js';
import { collectionKey } from './context.js';
import type { MemberRow, SqliteContext } from './context.js';
import { IdKeys } from './id-keys.js';
import { writeDerived } from './derived-rows.js';
import { millisTimestamp, normaliseTimestamp, timestampMillis } from './timestamps.js';

/** STIX 2.1 section 3.1: SCOs may omit spec_version, which then means 2.1. */
const DEFAULT_SPEC_VERSION = '2.1';

type Existing = Pick<MemberRow, 'okey' | 'ckey' | 'version' | 'spec_version' | 'date_added' | 'seq'>;

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
 * Writes one batch in one transaction (the caller wraps it). Per object: one claim of the id's
 * key; a new id has no memberships to read, a known one costs one indexed read of them, which
 * decides duplicate / shared object row / first-last-spec flags. A new version costs one objects
 * row, one membership row, its search row and its edges. Every index it touches is keyed by
 * integers that grow with the load, except the one `ids` entry of a new id.
 */
export function writeBatch(ctx: SqliteContext, collectionId: string, objects: ReadonlyArray<StixLike>, options: WriteOptions): WriteResult[] {
  const ckey = collectionKey(ctx, collectionId);
  if (ckey === undefined) throw new EntenteError('ENTENTE_COLLECTION_NOT_FOUND', `Collection ${collectionId} does not exist`);
  const addedMillis = timestampMillis(options.dateAdded, 'dateAdded');
  const dateAdded = millisTimestamp(addedMillis);
  const sequence = (ctx.sql.get("SELECT value FROM sequences WHERE name = 'members'").get() as { value: number }).value;
  let seq = sequence;
  const keys = new IdKeys(ctx);
  // Covered by the index: the versions of a long-lived object lie all over the clustered table.
  const existingOf = ctx.sql.get('SELECT okey, ckey, version, spec_version, date_added, seq FROM members INDEXED BY members_object WHERE ikey = ?');
  const insertObject = ctx.sql.get('INSERT INTO objects (id, version, json, release_key, release_refs) VALUES (?, ?, ?, ?, ?)');
  const insertMember = ctx.sql.get(`INSERT INTO members (ckey, date_added, seq, okey, id, type, version, spec_version, is_first, is_last, spec_latest, ikey)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  // Flags are cleared on the rows that hold them, by primary key: the rows are known from the
  // index read above, and touching only them spares a read of every older version.
  const clearFirst = ctx.sql.get('UPDATE members SET is_first = 0 WHERE ckey = ? AND date_added = ? AND seq = ?');
  const clearLast = ctx.sql.get('UPDATE members SET is_last = 0 WHERE ckey = ? AND date_added = ? AND seq = ?');
  const clearSpec = ctx.sql.get('UPDATE members SET spec_latest = 0 WHERE ckey = ? AND date_added = ? AND seq = ?');

  const results: WriteResult[] = [];
  for (let index = 0; index < objects.length; index += 1) {
    const object = objects[index]!;
    const version = normaliseTimestamp(versionOf(object), `objects[${index}].modified`);
    const spec = object.spec_version ?? DEFAULT_SPEC_VERSION;
    const { ikey, isNew } = keys.claim(object.id);
    const existing = isNew ? [] : existingOf.all(ikey) as Existing[];
    let okey: number | undefined;
    let duplicateOf: Existing | undefined;
    let isFirst = true;
    let isLast = true;
    let specLatest = true;
    let specNewest = true;
    // In this collection: the rows holding is_first / is_last (the oldest and newest version)
    // and the newest spec_version; spec_latest is held by every row of that spec_version.
    let first: Existing | undefined;
    let last: Existing | undefined;
    let topSpec: string | undefined;
    for (const row of existing) {
      if (row.version === version) {
        okey = row.okey;
        if (row.ckey === ckey) duplicateOf = row;
      }
      if (row.ckey !== ckey) continue;
      if (first === undefined || row.version < first.version) first = row;
      if (last === undefined || row.version > last.version) last = row;
      if (topSpec === undefined || row.spec_version > topSpec) topSpec = row.spec_version;
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
      const release = releaseFactsOf(object);
      okey = Number(insertObject.run(object.id, version, serialise(object, index), release.key, release.refs ?? null).lastInsertRowid);
      writeDerived(ctx, keys, okey, object);
    }
    if (first !== undefined && isFirst) clearFirst.run(ckey, first.date_added, first.seq);
    if (last !== undefined && isLast) clearLast.run(ckey, last.date_added, last.seq);
    if (last !== undefined && specNewest) {
      for (const row of existing) if (row.ckey === ckey && row.spec_version === topSpec) clearSpec.run(ckey, row.date_added, row.seq);
    }
    seq += 1;
    insertMember.run(ckey, addedMillis, seq, okey, object.id, object.type, version, spec, isFirst ? 1 : 0, isLast ? 1 : 0, specLatest ? 1 : 0, ikey);
    results.push({ id: object.id, version, outcome: 'added', dateAdded });
  }
  if (seq !== sequence) ctx.sql.get("UPDATE sequences SET value = ? WHERE name = 'members'").run(seq);
  keys.save();
  return results;
}
