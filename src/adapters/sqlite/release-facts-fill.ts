import type { Database } from 'better-sqlite3';
import { releaseFactsOf } from '../../core/policy/release-facts.js';
import type { StixLike } from '../../ports/store.js';

/** Rows per transaction: short enough that a reader never waits long for the write lock. */
const BATCH = 5_000;

/**
 * Gives the versions stored before migration 8 their release facts (core/policy/release-facts.ts),
 * so that every version is released from its facts. Runs at start after the migrations, in
 * batches in rowid order, each its own transaction: stopping half-way loses nothing, and the next
 * start goes on where it stopped. Returns how many versions it filled.
 */
export function fillReleaseFacts(db: Database): number {
  const read = db.prepare<[number, number], { okey: number; json: string }>(
    'SELECT okey, json FROM objects WHERE okey > ? AND release_key IS NULL ORDER BY okey LIMIT ?');
  const update = db.prepare('UPDATE objects SET release_key = ?, release_refs = ? WHERE okey = ?');
  let after = 0;
  let filled = 0;
  for (;;) {
    const rows = read.all(after, BATCH);
    if (rows.length === 0) return filled;
    db.transaction(() => {
      for (const row of rows) {
        const facts = releaseFactsOf(JSON.parse(row.json) as StixLike);
        update.run(facts.key, facts.refs ?? null, row.okey);
      }
    }).immediate();
    filled += rows.length;
    after = rows[rows.length - 1]!.okey;
  }
}
