import type { GraphEdge, Neighbourhood, NeighbourQuery, StixLike } from '../../ports/store.js';
import type { PgDatabase } from './pg-pool.js';

interface Latest {
  readonly version: string;
  readonly body: string;
}

interface EdgeRow {
  readonly owner_id: string;
  readonly owner_version: string;
  readonly source: string;
  readonly target: string;
  readonly kind: GraphEdge['kind'];
  readonly label: string;
  readonly via: string | null;
}

/** Latest version of each id among the visible collections (all when absent). */
async function latestOf(db: PgDatabase, ids: ReadonlyArray<string>, collectionIds: ReadonlyArray<string> | undefined): Promise<Map<string, Latest>> {
  if (ids.length === 0) return new Map();
  const rows = await db.query<{ id: string; version: string; body: string }>('neighbours',
    `SELECT DISTINCT ON (m.id) m.id, m.version, o.body
     FROM members m JOIN objects o ON o.id = m.id AND o.version = m.version
     WHERE m.id = ANY($1::text[]) AND ($2::text[] IS NULL OR m.collection_id = ANY($2::text[]))
     ORDER BY m.id, m.version DESC`, [ids, collectionIds ?? null]);
  return new Map(rows.map((row) => [row.id, { version: row.version, body: row.body }]));
}

/**
 * Neighbours by expanding one hop at a time (two set-wise queries per hop: edges touching the
 * frontier, then the latest version of their owners and ends). An edge counts only while the
 * version that produced it is the latest visible version of its owner, so an edge dropped by a
 * newer version, or held only in a collection the caller cannot see, is not followed.
 */
export async function neighbours(db: PgDatabase, query: NeighbourQuery): Promise<Neighbourhood> {
  const direction = query.direction ?? 'both';
  const known = await latestOf(db, [query.id], query.collectionIds);
  const reached = new Set<string>([query.id]);
  const edges = new Map<string, GraphEdge>();
  let frontier = [query.id];
  for (let hop = 0; hop < query.depth && frontier.length > 0; hop++) {
    const candidates = await db.query<EdgeRow>('neighbours',
      `SELECT owner_id, owner_version, source, target, kind, label, via FROM edges
       WHERE ($2 <> 'in' AND source = ANY($1::text[])) OR ($2 <> 'out' AND target = ANY($1::text[]))`, [frontier, direction]);
    const owners = await latestOf(db, [...new Set(candidates.map((e) => e.owner_id))].filter((id) => !known.has(id)), query.collectionIds);
    for (const [id, latest] of owners) known.set(id, latest);
    const next: string[] = [];
    for (const row of candidates) {
      if (known.get(row.owner_id)?.version !== row.owner_version) continue;
      const edge: GraphEdge = row.via === null
        ? { source: row.source, target: row.target, kind: row.kind, label: row.label }
        : { source: row.source, target: row.target, kind: row.kind, label: row.label, via: row.via };
      edges.set(`${edge.kind}|${edge.source}|${edge.target}|${edge.label}|${edge.via ?? ''}`, edge);
      for (const end of [row.source, row.target]) {
        if (!reached.has(end)) {
          reached.add(end);
          next.push(end);
        }
      }
    }
    const ends = await latestOf(db, next.filter((id) => !known.has(id)), query.collectionIds);
    for (const [id, latest] of ends) known.set(id, latest);
    frontier = next;
  }
  const objects: StixLike[] = [];
  const missing: string[] = [];
  for (const id of reached) {
    const latest = known.get(id);
    if (latest === undefined) missing.push(id);
    else objects.push(JSON.parse(latest.body) as StixLike);
  }
  return { objects, edges: [...edges.values()], missing };
}
