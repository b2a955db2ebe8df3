import { TLP2_MARKING_DEFINITIONS, type MarkingResolver as ResolveMarking } from '../../core/labels/index.js';
import { TLP1_MARKING_IDS } from '../../core/stix/index.js';
import type { ObjectStore, StixLike } from '../../ports/store.js';

type Json = Readonly<Record<string, unknown>>;

/** The marking-definitions every node knows without storing them: TLP 2.0 as OASIS publishes them, and TLP 1.0 by id. */
const BUILT_IN: ReadonlyMap<string, Json> = new Map<string, Json>([
  ...Object.values(TLP2_MARKING_DEFINITIONS).map((d) => [d.id, d as unknown as Json] as const),
  ...Object.values(TLP1_MARKING_IDS).map((id) => [id, { type: 'marking-definition', id }] as const),
]);

/** Whether a marking-definition id is one of the built-in TLP markings. */
export function isBuiltInMarking(id: string): boolean {
  return BUILT_IN.has(id);
}

/** The marking-definition ids an object refers to, object-level and granular. */
export function markingRefsOf(object: Json): ReadonlyArray<string> {
  const out: string[] = [];
  const refs = object['object_marking_refs'];
  if (Array.isArray(refs)) for (const r of refs) if (typeof r === 'string') out.push(r);
  const granular = object['granular_markings'];
  if (Array.isArray(granular)) {
    for (const g of granular) {
      const ref = typeof g === 'object' && g !== null ? (g as Json)['marking_ref'] : undefined;
      if (typeof ref === 'string') out.push(ref);
    }
  }
  return out;
}

/**
 * Finds marking-definitions for label resolution: built-ins, then stored ones (cached: STIX
 * says marking-definitions are never versioned), then any given alongside the objects (a
 * bundle that brings its own markings).
 */
export class MarkingResolver {
  readonly #store: Pick<ObjectStore, 'getLatest'>;
  readonly #cache = new Map<string, Json>();

  constructor(store: Pick<ObjectStore, 'getLatest'>) {
    this.#store = store;
  }

  /** A synchronous resolver covering every marking `objects` refer to that exists anywhere. */
  async resolverFor(objects: ReadonlyArray<Json>, alongside: ReadonlyArray<Json> = []): Promise<ResolveMarking> {
    const local = new Map<string, Json>();
    for (const o of [...alongside, ...objects]) if (o['type'] === 'marking-definition' && typeof o['id'] === 'string') local.set(o['id'], o);
    const missing = new Set<string>();
    for (const o of objects) for (const id of markingRefsOf(o)) if (!BUILT_IN.has(id) && !local.has(id) && !this.#cache.has(id)) missing.add(id);
    await this.#load(missing);
    return (id) => BUILT_IN.get(id) ?? local.get(id) ?? this.#cache.get(id);
  }

  /** A synchronous resolver covering the given marking ids, from the built-ins and the store. */
  async resolverForRefs(ids: Iterable<string>): Promise<ResolveMarking> {
    const missing = new Set<string>();
    for (const id of ids) if (!BUILT_IN.has(id) && !this.#cache.has(id)) missing.add(id);
    await this.#load(missing);
    return (id) => BUILT_IN.get(id) ?? this.#cache.get(id);
  }

  async #load(ids: ReadonlySet<string>): Promise<void> {
    await Promise.all([...ids].map(async (id) => {
      const found = await this.#store.getLatest(id);
      if (found !== undefined && found.type === 'marking-definition') this.#cache.set(id, found as StixLike);
    }));
  }
}
