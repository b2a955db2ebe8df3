import type { PgClient } from './pg-pool.js';

/**
 * Serialises writers that touch the same object ids of a collection, so the is_first / is_last
 * flags computed from what a writer sees stay exact. Advisory locks, taken for the transaction:
 * a small write takes the collection's key shared plus one exclusive key per id bucket (sorted,
 * so two writers cannot deadlock); a large write takes the collection's key exclusively, which
 * costs one lock instead of thousands in the shared lock table.
 */
const BUCKETS = 64;
const WHOLE_COLLECTION = -1;
/** Above this many distinct buckets, one exclusive lock is cheaper and as good. */
const MAX_BUCKET_LOCKS = 8;

/** FNV-1a, 32 bits: stable across processes, which is all a lock key needs. */
function bucketOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % BUCKETS;
}

export async function lockObjectIds(client: PgClient, schema: string, collectionId: string, ids: ReadonlyArray<string>): Promise<void> {
  const key = 'entente:' + schema + ':' + collectionId;
  const buckets = [...new Set(ids.map(bucketOf))].sort((a, b) => a - b);
  if (buckets.length > MAX_BUCKET_LOCKS) {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1), $2)', [key, WHOLE_COLLECTION]);
    return;
  }
  await client.query('SELECT pg_advisory_xact_lock_shared(hashtext($1), $2)', [key, WHOLE_COLLECTION]);
  // Volatile functions in the target list run after ORDER BY, so the locks are taken in order.
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1), b) FROM unnest($2::int[]) AS u(b) ORDER BY b', [key, buckets]);
}
