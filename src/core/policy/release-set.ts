/**
 * Keeps what is released a consistent graph (issue: "a relationship or sighting goes only with
 * its endpoints, a report's object_refs keeps only what is released"). Decisions are first made
 * per object; this pass then withholds relationships and sightings whose endpoints are withheld
 * and prunes references to withheld objects, until nothing changes.
 */
import { dropDanglingGranular } from './granular.js';
import { copyJson, stripRefsTo, type Json } from './redaction.js';
import type { ReleaseDecision } from './types.js';

export interface ReleaseItem {
  readonly object: Json;
  readonly decision: ReleaseDecision;
}

/** References that must resolve to a released object, or the object cannot go at all. */
const REQUIRED_REFS: Readonly<Record<string, ReadonlyArray<string>>> = {
  relationship: ['source_ref', 'target_ref'],
  sighting: ['sighting_of_ref'],
};
/** Containers whose `object_refs` may not end up empty (STIX 2.1 requires at least one entry). */
const CONTAINERS = new Set(['report', 'grouping', 'note', 'opinion', 'observed-data']);
/** Provenance and markings are not content: they stay whatever the recipient may see of them. */
const KEPT = new Set(['created_by_ref', 'object_marking_refs']);

/** The ids an object refers to through `*_ref` and `*_refs` (provenance and markings aside). */
export function referencesOf(object: Json): ReadonlyArray<string> {
  const out: string[] = [];
  // for...in rather than Object.entries: this runs for every object of every page read.
  for (const key in object) {
    const last = key.charCodeAt(key.length - 1);
    // Only keys ending in `_ref` (f) or `_refs` (s) can hold references.
    if ((last !== 102 && last !== 115) || KEPT.has(key)) continue;
    const value = object[key];
    if (key.endsWith('_ref')) {
      if (typeof value === 'string') out.push(value);
    } else if (key.endsWith('_refs') && Array.isArray(value)) {
      for (const v of value) if (typeof v === 'string') out.push(v);
    }
  }
  return out;
}

/** Ids referred to by the items that are not items themselves: the caller decides those. */
export function outsideReferences(items: ReadonlyArray<ReleaseItem>): ReadonlyArray<string> {
  const inside = new Set(items.map((i) => String(i.object['id'])));
  const out = new Set<string>();
  for (const item of items) for (const id of referencesOf(item.object)) if (!inside.has(id)) out.add(id);
  return [...out];
}

/**
 * The references on which an object's release depends: a relationship's or sighting's required
 * endpoints, and a container's `object_refs` (it may not go with none left). Other references
 * are only pruned.
 */
function dependenciesOf(object: Json): ReadonlyArray<string> {
  const type = String(object['type']);
  const out: string[] = [];
  for (const key of REQUIRED_REFS[type] ?? []) {
    const target = object[key];
    if (typeof target === 'string') out.push(target);
  }
  const refs = object['object_refs'];
  if (CONTAINERS.has(type) && Array.isArray(refs)) for (const r of refs) if (typeof r === 'string') out.push(r);
  return out;
}

/** What the graph rules read of an object beyond a read: its references and whether its own decision lets it go. */
export interface JudgedObject {
  /** The object as its decision would send it (at least its id, type and references). */
  readonly object: Json;
  /** Its own decision (labels, agreements, redaction) is not a denial. */
  readonly released: boolean;
}

/**
 * The graph rules applied to objects beyond a read, so that a reference to one of them is kept
 * exactly when the object would go if read itself. `reached` holds every object the walk reached
 * (undefined: this node does not hold it, which withholds nothing); an id never reached counts as
 * withheld. The largest set that obeys the rules is returned: an object goes when its own
 * decision lets it, its required endpoints go, and, for a container, one of its object_refs goes
 * (objects that refer to each other in a cycle go together, as they do within one read).
 */
function releasedByGraph(reached: ReadonlyMap<string, JudgedObject | undefined>): Set<string> {
  const released = new Set<string>();
  const rules: Array<[string, Json]> = [];
  for (const [id, judged] of reached) {
    if (judged === undefined) released.add(id);
    else if (judged.released) {
      released.add(id);
      if (dependenciesOf(judged.object).length > 0) rules.push([id, judged.object]);
    }
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const [id, object] of rules) {
      if (released.has(id) && !stands(object, released)) {
        released.delete(id);
        changed = true;
      }
    }
  }
  return released;
}

/** Whether an object whose own decision lets it go still goes, given what else goes (as `prune` decides). */
function stands(object: Json, released: ReadonlySet<string>): boolean {
  const type = String(object['type']);
  for (const key of REQUIRED_REFS[type] ?? []) {
    const target = object[key];
    if (typeof target === 'string' && !released.has(target)) return false;
  }
  const refs = object['object_refs'];
  if (!CONTAINERS.has(type) || !Array.isArray(refs) || refs.length === 0) return true;
  return refs.some((r) => typeof r !== 'string' || released.has(r));
}

/**
 * Objects the walk may reach past the references themselves (a large report's relationships
 * have twice as many endpoints); beyond this bound, what it has not reached counts as withheld:
 * a reference may then be removed that a read of its object would release, never the other way.
 */
const MAX_BEYOND = 50_000;

/**
 * Which of `ids` (references leaving a read) the recipient may receive. A reference is kept
 * exactly when its object would go if read itself: its own decision lets it, and so do the graph
 * rules, which depend on the objects it needs in turn (a relationship's endpoints, a report's
 * contents). The walk follows those, one round of look-ups per level, and `judge` decides each
 * round (objects this node does not hold are left out of its answer: they withhold nothing).
 */
export async function releasedBeyond(ids: ReadonlyArray<string>, judge: (ids: ReadonlyArray<string>) => Promise<ReadonlyMap<string, JudgedObject>>, bound = MAX_BEYOND): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const reached = new Map<string, JudgedObject | undefined>();
  // The references themselves are always decided; only the walk beyond them is bounded.
  let round = [...new Set(ids)];
  let budget = bound;
  while (round.length > 0) {
    const answers = await judge(round);
    for (const id of round) reached.set(id, answers.get(id));
    const next = new Set<string>();
    for (const id of round) {
      const j = answers.get(id);
      if (j?.released === true) for (const dep of dependenciesOf(j.object)) if (!reached.has(dep)) next.add(dep);
    }
    round = [...next].slice(0, budget);
    budget -= round.length;
  }
  const released = releasedByGraph(reached);
  return new Set(ids.filter((id) => released.has(id)));
}

/**
 * Returns the decisions made consistent, in the items' order. `releasedOutside` holds the ids,
 * among `outsideReferences(items)`, that the same recipient may receive.
 */
export function consistentRelease(items: ReadonlyArray<ReleaseItem>, releasedOutside: ReadonlySet<string>): ReadonlyArray<ReleaseDecision> {
  const decisions = items.map((i) => i.decision);
  const inside = new Set(items.map((i) => String(i.object['id'])));
  const released = new Set<string>();
  const refresh = (): void => {
    released.clear();
    decisions.forEach((d, i) => {
      if (d.outcome !== 'deny') released.add(String(items[i]?.object['id']));
    });
  };
  const isReleased = (id: string): boolean => (inside.has(id) ? released.has(id) : releasedOutside.has(id));
  // Only objects that refer to others can change here (most of a page refers to nothing).
  const referring: number[] = [];
  items.forEach((item, i) => {
    if (referencesOf(item.object).length > 0) referring.push(i);
  });
  if (referring.length === 0) return decisions;
  refresh();
  for (let changed = true; changed;) {
    changed = false;
    for (const i of referring) {
      const decision = decisions[i] as ReleaseDecision;
      if (decision.outcome === 'deny' || decision.object === undefined) continue;
      const next = prune(decision, decision.object, isReleased);
      if (next === decision) continue;
      decisions[i] = next;
      if (next.outcome === 'deny') changed = true;
    }
    if (changed) refresh();
  }
  return decisions;
}

function prune(decision: ReleaseDecision, object: Json, isReleased: (id: string) => boolean): ReleaseDecision {
  const type = String(object['type']);
  for (const key of REQUIRED_REFS[type] ?? []) {
    const target = object[key];
    if (typeof target === 'string' && !isReleased(target)) {
      return {
        outcome: 'deny', reason: 'endpoint-withheld',
        steps: [...decision.steps, { rule: 'graph', outcome: 'fail', detail: `its ${key} ${target} is not released to this recipient, so it does not go either` }],
      };
    }
  }
  const withheld = new Set(referencesOf(object).filter((id) => !isReleased(id)));
  if (withheld.size === 0) return decision;
  const copy = copyJson(object) as Record<string, unknown>;
  const removed = stripRefsTo(copy, withheld);
  dropDanglingGranular(copy);
  const steps = [...decision.steps, { rule: 'graph', outcome: 'redact' as const, detail: `removed references to ${withheld.size} object(s) not released to this recipient: ${removed.join(', ')}` }];
  const refs = copy['object_refs'];
  if (CONTAINERS.has(type) && object['object_refs'] !== undefined && (!Array.isArray(refs) || refs.length === 0)) {
    return { outcome: 'deny', reason: 'no-released-content', steps: [...steps, { rule: 'graph', outcome: 'fail', detail: `none of its object_refs is released to this recipient` }] };
  }
  return { ...decision, outcome: 'redact', object: copy, steps };
}
