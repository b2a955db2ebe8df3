import type { GraphEdge, Neighbourhood, NeighbourQuery, StixLike } from '../../ports/store.js';
import type { SqliteContext } from './context.js';
import { collectionFilter } from './object-queries.js';
import { ID_HASH_FUNCTION, idKeyParams, idKeysSql } from './id-keys.js';

/** Well below SQLite's bound-parameter limit, so a hub's neighbourhood never overflows it. */
const CHUNK = 500;

function chunks<T>(items: ReadonlyArray<T>): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** The latest version of each id present in the given collections (all when absent). */
function latestMany(ctx: SqliteContext, ids: ReadonlyArray<string>, collectionIds?: ReadonlyArray<string>): Map<string, StixLike> {
  const best = new Map<string, { version: string; json: string }>();
  for (const part of chunks(ids)) {
    const params = idKeyParams(part);
    const filter = collectionFilter(collectionIds, params);
    const rows = ctx.sql.get(`SELECT m.id, m.version, o.json FROM members m INDEXED BY members_object JOIN objects o ON o.okey = m.okey
      WHERE m.ikey IN (${idKeysSql(part.length)}) AND m.is_last = 1${filter}`).all(...params) as { id: string; version: string; json: string }[];
    for (const row of rows) {
      const seen = best.get(row.id);
      if (seen === undefined || row.version > seen.version) best.set(row.id, row);
    }
  }
  return new Map([...best].map(([id, row]) => [id, JSON.parse(row.json) as StixLike]));
}

/** Edges touching the given nodes, contributed by latest versions in the given collections. */
function edgesAround(ctx: SqliteContext, nodes: ReadonlyArray<string>, side: 'source' | 'target', collectionIds?: ReadonlyArray<string>): GraphEdge[] {
  const edges: GraphEdge[] = [];
  for (const part of chunks(nodes)) {
    const params = idKeyParams(part);
    const filter = collectionFilter(collectionIds, params);
    const rows = ctx.sql.get(`SELECT e.source, e.target, e.kind, e.label, e.via FROM edges e JOIN objects o ON o.okey = e.okey
      WHERE e.${side}_key IN (${idKeysSql(part.length)})
        AND EXISTS (SELECT 1 FROM ids i JOIN members m INDEXED BY members_object ON m.ikey = i.ikey
          WHERE i.hash = ${ID_HASH_FUNCTION}(o.id) AND i.id = o.id AND m.version = o.version AND m.is_last = 1${filter})`)
      .all(...params) as { source: string; target: string; kind: GraphEdge['kind']; label: string; via: string | null }[];
    for (const r of rows) edges.push(r.via === null ? { source: r.source, target: r.target, kind: r.kind, label: r.label } : { ...r, via: r.via });
  }
  return edges;
}

/**
 * Breadth-first walk to depth 1 or 2. Every node reached is returned as its latest version, or
 * listed in `missing` when no collection searched holds it (a dangling reference is still worth
 * showing an analyst). An unknown start yields nothing but itself as missing.
 */
export function neighbours(ctx: SqliteContext, query: NeighbourQuery): Neighbourhood {
  const start = latestMany(ctx, [query.id], query.collectionIds);
  if (!start.has(query.id)) return { objects: [], edges: [], missing: [query.id] };
  const direction = query.direction ?? 'both';
  const reached = new Set<string>([query.id]);
  const edges = new Map<string, GraphEdge>();
  let frontier: string[] = [query.id];
  for (let depth = 0; depth < query.depth && frontier.length > 0; depth += 1) {
    const found = [
      ...(direction !== 'in' ? edgesAround(ctx, frontier, 'source', query.collectionIds) : []),
      ...(direction !== 'out' ? edgesAround(ctx, frontier, 'target', query.collectionIds) : []),
    ];
    const next: string[] = [];
    for (const edge of found) {
      edges.set(`${edge.source}\u0000${edge.target}\u0000${edge.kind}\u0000${edge.label}\u0000${edge.via ?? ''}`, edge);
      for (const end of [edge.source, edge.target]) {
        if (!reached.has(end)) {
          reached.add(end);
          next.push(end);
        }
      }
    }
    frontier = next;
  }
  const others = [...reached].filter((id) => id !== query.id);
  const found = latestMany(ctx, others, query.collectionIds);
  const objects = [start.get(query.id)!, ...others.flatMap((id) => found.get(id) ?? [])];
  return { objects, edges: [...edges.values()], missing: others.filter((id) => !found.has(id)) };
}
