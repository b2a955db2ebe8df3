import type { GraphEdge, StixLike } from '../../ports/store.js';

/*
 * The graph edges one object version contributes, as the port defines them. Pure and
 * engine-neutral. Only top-level `_ref`/`_refs` properties count (STIX 2.1 section 3.1 names
 * references by these suffixes); `created_by_ref` and `object_marking_refs` are provenance and
 * handling, not intelligence relations, so they would tie every object to a few hubs.
 */

const NOT_EDGES = new Set(['created_by_ref', 'object_marking_refs']);
const RELATIONSHIP_ENDS = new Set(['source_ref', 'target_ref']);
const SIGHTING_REFS = new Set(['sighting_of_ref', 'observed_data_refs', 'where_sighted_refs']);

function refsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** Edges derived from one object: relationship SRO ends, sighting refs, embedded refs. */
export function edgesOf(object: StixLike): GraphEdge[] {
  const edges: GraphEdge[] = [];
  const isRelationship = object.type === 'relationship';
  const isSighting = object.type === 'sighting';
  if (isRelationship) {
    const source = object['source_ref'];
    const target = object['target_ref'];
    const label = object['relationship_type'];
    if (typeof source === 'string' && typeof target === 'string') {
      edges.push({ source, target, kind: 'relationship', label: typeof label === 'string' ? label : 'related-to', via: object.id });
    }
  }
  for (const [key, value] of Object.entries(object)) {
    if (!(key.endsWith('_ref') || key.endsWith('_refs')) || NOT_EDGES.has(key)) continue;
    if (isRelationship && RELATIONSHIP_ENDS.has(key)) continue;
    const sighting = isSighting && SIGHTING_REFS.has(key);
    for (const target of refsOf(value)) {
      edges.push(sighting
        ? { source: object.id, target, kind: 'sighting', label: key, via: object.id }
        : { source: object.id, target, kind: 'ref', label: key });
    }
  }
  return edges;
}
