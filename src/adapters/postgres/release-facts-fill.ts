import { releaseFactsOf } from '../../core/policy/release-facts.js';
import type { StixLike } from '../../ports/store.js';
import type { PgDatabase } from './pg-pool.js';

/** Rows per transaction. */
const BATCH = 5_000;

/**
 * Gives the versions stored before migration 8 their release facts (core/policy/release-facts.ts),
 * so that every version is released from its facts. Runs at start after the migrations, in
 * batches in (id, version) order, each its own transaction: stopping half-way loses nothing,
 * and the next start goes on where it stopped. Returns how many versions it filled.
 */
export async function fillReleaseFacts(db: PgDatabase): Promise<number> {
  let after: readonly [string, string] = ['', ''];
  let filled = 0;
  for (;;) {
    const rows = await db.query<{ id: string; version: string; body: string }>('fillReleaseFacts',
      `SELECT id, version, body FROM objects WHERE (id, version) > ($1, $2) AND release_key IS NULL ORDER BY id, version LIMIT ${BATCH}`, after);
    if (rows.length === 0) return filled;
    const facts = rows.map((r) => releaseFactsOf(JSON.parse(r.body) as StixLike));
    await db.transaction('fillReleaseFacts', async (client) => {
      await client.query(
        `UPDATE objects o SET release_key = u.k, release_refs = u.r
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(i, v, k, r)
         WHERE o.id = u.i AND o.version = u.v AND o.release_key IS NULL`,
        [rows.map((r) => r.id), rows.map((r) => r.version), facts.map((f) => f.key), facts.map((f) => f.refs ?? null)],
      );
    });
    filled += rows.length;
    const last = rows[rows.length - 1]!;
    after = [last.id, last.version];
  }
}
