import type { StixLike } from '../../ports/store.js';
import { edgesOf } from '../shared/object-edges.js';
import type { SqliteContext } from './context.js';
import { IdKeys } from './id-keys.js';
import { searchTextOf } from './object-text.js';

/*
 * What an object row derives: its search text (FTS5) and its graph edges. A normal write derives
 * them at once. A bulk write records the object key in `pending_index` instead, in the same
 * transaction, so a call that returned is durable with its pending rows and a crash leaves them
 * for the next flush. The flush derives them in key order in large transactions and runs before
 * every search and neighbour query and when the store opens or closes, so neither ever misses an
 * object that was written. Objects deleted before the flush take their pending row with them
 * (object-deletes.ts).
 */

/** Rows derived per transaction: bounds the memory of one flush and the write lock it holds. */
const FLUSH_CHUNK = 20_000;

/** Writes the search text and the edges of one stored object row. */
export function writeDerived(ctx: SqliteContext, keys: IdKeys, okey: number, object: StixLike): void {
  const text = searchTextOf(object);
  if (text !== '') ctx.sql.get('INSERT INTO search_fts (rowid, body) VALUES (?, ?)').run(okey, text);
  const edges = edgesOf(object);
  if (edges.length === 0) return;
  const insertEdge = ctx.sql.get('INSERT INTO edges (okey, n, source, target, kind, label, via, source_key, target_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  for (let n = 0; n < edges.length; n += 1) {
    const e = edges[n]!;
    insertEdge.run(okey, n, e.source, e.target, e.kind, e.label, e.via ?? null, keys.keyOf(e.source), keys.keyOf(e.target));
  }
}

/** True when some object rows still wait for their search text and edges. */
export function hasPendingIndex(ctx: SqliteContext): boolean {
  return ctx.sql.get('SELECT 1 FROM pending_index LIMIT 1').get() !== undefined;
}

/**
 * Derives every pending object row, in IMMEDIATE transactions of FLUSH_CHUNK rows (so two
 * processes flushing at once derive a row once). Returns how many rows were derived.
 */
export function flushPendingIndex(ctx: SqliteContext): number {
  const take = ctx.sql.get(`SELECT p.okey, o.json FROM pending_index p JOIN objects o ON o.okey = p.okey
    ORDER BY p.okey LIMIT ${FLUSH_CHUNK}`);
  const done = ctx.sql.get('DELETE FROM pending_index WHERE okey <= ?');
  const chunk = ctx.db.transaction((): number => {
    const rows = take.raw(true).all() as [okey: number, json: string][];
    const keys = new IdKeys(ctx);
    for (const [okey, json] of rows) writeDerived(ctx, keys, okey, JSON.parse(json) as StixLike);
    keys.save();
    const last = rows[rows.length - 1];
    if (last !== undefined) done.run(last[0]);
    return rows.length;
  });
  let total = 0;
  for (let n = chunk.immediate(); n > 0; n = chunk.immediate()) total += n;
  return total;
}
