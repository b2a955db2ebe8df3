import type { StoredOriginProof } from '../../ports/origin-proof-store.js';
import type { PgDatabase } from './pg-pool.js';

/* Origin proofs (migration 7): one row per object version, the audit path as text[]. */

interface ProofRow {
  readonly object_id: string;
  readonly version: string;
  readonly origin: string;
  readonly batch: string;
  readonly leaf_index: number;
  readonly path: string[];
  readonly received_from: string;
  readonly received_at: string;
}

const COLUMNS = 'object_id, version, origin, batch, leaf_index, path, received_from, received_at';

const toProof = (r: ProofRow): StoredOriginProof => ({
  id: r.object_id, version: r.version, origin: r.origin, batch: r.batch, index: r.leaf_index, path: r.path,
  receivedFrom: r.received_from, receivedAt: r.received_at,
});

/** One statement over arrays (unnest), so one round trip and one transaction; the first proof of a version stays. */
export async function putOriginProofs(db: PgDatabase, proofs: ReadonlyArray<StoredOriginProof>): Promise<void> {
  if (proofs.length === 0) return;
  // A text[][] cannot hold rows of different lengths, so each path travels as its JSON text.
  await db.query('putOriginProofs',
    `INSERT INTO origin_proofs (${COLUMNS})
     SELECT u.object_id, u.version, u.origin, u.batch, u.leaf_index, ARRAY(SELECT json_array_elements_text(u.path::json)), u.received_from, u.received_at
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[])
       AS u(object_id, version, origin, batch, leaf_index, path, received_from, received_at)
     ON CONFLICT (object_id, version) DO NOTHING`,
    [proofs.map((p) => p.id), proofs.map((p) => p.version), proofs.map((p) => p.origin), proofs.map((p) => p.batch), proofs.map((p) => p.index),
      proofs.map((p) => JSON.stringify(p.path)), proofs.map((p) => p.receivedFrom), proofs.map((p) => p.receivedAt)]);
}

export async function getOriginProofs(db: PgDatabase, versions: ReadonlyArray<{ readonly id: string; readonly version: string }>): Promise<ReadonlyArray<StoredOriginProof>> {
  if (versions.length === 0) return [];
  return (await db.query<ProofRow>('getOriginProofs',
    `SELECT ${COLUMNS.split(', ').map((c) => `p.${c}`).join(', ')} FROM origin_proofs p
     JOIN unnest($1::text[], $2::text[]) AS v(object_id, version) ON p.object_id = v.object_id AND p.version = v.version`,
    [versions.map((v) => v.id), versions.map((v) => v.version)])).map(toProof);
}
