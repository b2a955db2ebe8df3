import type { StoredOriginProof } from '../../ports/origin-proof-store.js';
import type { SqliteContext } from './context.js';

/* Origin proofs (migration 7): one row per object version, the audit path as JSON text. */

interface ProofRow {
  readonly object_id: string;
  readonly version: string;
  readonly origin: string;
  readonly batch: string;
  readonly leaf_index: number;
  readonly path: string;
  readonly received_from: string;
  readonly received_at: string;
}

const COLUMNS = 'object_id, version, origin, batch, leaf_index, path, received_from, received_at';
/** Versions looked up per statement: well under SQLite's limit of host parameters. */
const CHUNK = 400;

const toProof = (r: ProofRow): StoredOriginProof => ({
  id: r.object_id, version: r.version, origin: r.origin, batch: r.batch, index: r.leaf_index, path: JSON.parse(r.path) as string[],
  receivedFrom: r.received_from, receivedAt: r.received_at,
});

/** Run inside the caller's transaction; the first proof of a version stays. */
export function putOriginProofs(ctx: SqliteContext, proofs: ReadonlyArray<StoredOriginProof>): void {
  const insert = ctx.sql.get(`INSERT INTO origin_proofs (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (object_id, version) DO NOTHING`);
  for (const p of proofs) insert.run(p.id, p.version, p.origin, p.batch, p.index, JSON.stringify(p.path), p.receivedFrom, p.receivedAt);
}

export function getOriginProofs(ctx: SqliteContext, versions: ReadonlyArray<{ readonly id: string; readonly version: string }>): StoredOriginProof[] {
  const found: StoredOriginProof[] = [];
  for (let i = 0; i < versions.length; i += CHUNK) {
    const chunk = versions.slice(i, i + CHUNK);
    const rows = ctx.sql.get(`SELECT ${COLUMNS} FROM origin_proofs WHERE (object_id, version) IN (VALUES ${chunk.map(() => '(?, ?)').join(', ')})`)
      .all(...chunk.flatMap((v) => [v.id, v.version])) as ProofRow[];
    found.push(...rows.map(toProof));
  }
  return found;
}
