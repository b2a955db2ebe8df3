/**
 * What the release decision reads of an object, kept beside its stored text so that a page can be
 * decided without parsing what it sends (issue 3: policy filtering adds less than 10 % to a TAXII
 * page).
 *
 * An object's release facts are two JSON texts made when it is written:
 * - `key`: every property a decision reads when it removes nothing: `type`, `created_by_ref`,
 *   `object_marking_refs`, `granular_markings`, `labels` (tags, for the scope) and `sectors`.
 *   Objects with the same key get the same decision (identities aside: see `projectedKey`), so a
 *   page decides each key once.
 * - `refs`: the object's other top-level `*_ref` / `*_refs` properties, which keep the released
 *   graph consistent (a relationship goes only with its endpoints), or undefined when it has none.
 *
 * A decision made from the facts alone stands only when nothing inside the object has to be
 * removed or checked (`decideProjected` says when); otherwise the caller decides the whole object.
 */
import type { Json } from './redaction.js';
import { referencesOf } from './release-set.js';

export interface ReleaseFacts {
  readonly key: string;
  readonly refs?: string;
}

/** The properties of `key`, in this order. */
const KEY_PROPERTIES = ['type', 'created_by_ref', 'object_marking_refs', 'granular_markings', 'labels', 'sectors'] as const;
/** Provenance and markings belong to the key, not to the graph. */
const KEY_REFS: ReadonlySet<string> = new Set(['created_by_ref', 'object_marking_refs']);

export function releaseFactsOf(object: Json): ReleaseFacts {
  const key: Record<string, unknown> = {};
  for (const name of KEY_PROPERTIES) if (object[name] !== undefined) key[name] = object[name];
  let refs: Record<string, unknown> | undefined;
  for (const name in object) {
    if (KEY_REFS.has(name) || !(name.endsWith('_ref') || name.endsWith('_refs'))) continue;
    (refs ??= {})[name] = object[name];
  }
  return refs === undefined ? { key: JSON.stringify(key) } : { key: JSON.stringify(key), refs: JSON.stringify(refs) };
}

/**
 * The object as far as the decision is concerned: id, the key's properties and the references.
 * Its `type` and references are those of the object, so the graph pass can run on it.
 */
export function projectionOf(id: string, facts: ReleaseFacts): Json {
  const key = JSON.parse(facts.key) as Record<string, unknown>;
  return facts.refs === undefined ? { id, ...key } : { id, ...key, ...(JSON.parse(facts.refs) as Record<string, unknown>) };
}

/**
 * The id and references of an object without its labelling properties: what the graph pass
 * reads. Cheaper than `projectionOf` for the objects whose key was already decided.
 */
export function graphProjectionOf(id: string, type: string, facts: ReleaseFacts): Json {
  return facts.refs === undefined ? { id, type } : { id, type, ...(JSON.parse(facts.refs) as Record<string, unknown>) };
}

/**
 * The cache key of an object's decision. A decision reads the id only for identities (victims,
 * and Entente's own identity), so theirs is decided one by one.
 */
export function projectedKey(id: string, type: string, facts: ReleaseFacts): string {
  return type === 'identity' ? `${id}\n${facts.key}` : facts.key;
}

const QUOTE = 34;
const COMMA = 44;
const COLON = 58;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;

/**
 * Adds to `into` the ids `refs` (an object's `refs` fact) refers to: the same ids as
 * `referencesOf(JSON.parse(refs))`, read straight from the text without building the object,
 * since every page reads the facts of every object it lists. Text not in the shape
 * `releaseFactsOf` writes (escapes, values other than strings) is parsed instead.
 */
export function addReferences(refs: string, into: Set<string>): void {
  if (refs.includes('\\') || !scanReferences(refs, into)) for (const id of referencesOf(JSON.parse(refs) as Json)) into.add(id);
}

/** Scans `{"a_ref":"id","b_refs":["id",…],…}`; false (having added nothing) at anything else. */
function scanReferences(text: string, into: Set<string>): boolean {
  const found: string[] = [];
  if (text.charCodeAt(0) !== OPEN_OBJECT) return false;
  let i = 1;
  if (text.charCodeAt(i) === CLOSE_OBJECT) return i === text.length - 1;
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return false;
    const keyEnd = text.indexOf('"', i + 1);
    if (keyEnd < 0 || text.charCodeAt(keyEnd + 1) !== COLON) return false;
    // A key ends in `_ref` (one id) or `_refs` (a list of ids).
    const list = text.endsWith('_refs', keyEnd);
    const single = !list && text.endsWith('_ref', keyEnd);
    i = keyEnd + 2;
    const first = text.charCodeAt(i);
    if (first === QUOTE) {
      const end = text.indexOf('"', i + 1);
      if (end < 0) return false;
      if (single) found.push(text.slice(i + 1, end));
      i = end + 1;
    } else if (first === OPEN_ARRAY) {
      i += 1;
      if (text.charCodeAt(i) === CLOSE_ARRAY) i += 1;
      else {
        for (;;) {
          if (text.charCodeAt(i) !== QUOTE) return false;
          const end = text.indexOf('"', i + 1);
          if (end < 0) return false;
          if (list) found.push(text.slice(i + 1, end));
          i = end + 1;
          const next = text.charCodeAt(i);
          i += 1;
          if (next === CLOSE_ARRAY) break;
          if (next !== COMMA) return false;
        }
      }
    } else {
      return false;
    }
    const after = text.charCodeAt(i);
    if (after === CLOSE_OBJECT) break;
    if (after !== COMMA) return false;
    i += 1;
  }
  if (i !== text.length - 1) return false;
  for (const id of found) into.add(id);
  return true;
}
