import type { StixLike } from '../../ports/store.js';
import { edgesOf } from '../shared/object-edges.js';
import type { SqliteContext } from './context.js';
import type { IdKeys } from './id-keys.js';
import { searchTextOf } from './object-text.js';

/** Writes what a stored object row derives: its search text (FTS5) and its graph edges. */
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
