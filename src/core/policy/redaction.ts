/**
 * Redaction: what an agreement (or a granular marking) says must not leave with an object is
 * removed before it goes. Every function returns a new object and says what it removed; none
 * mutates its input. Whether the result is still a valid object is the caller's check.
 */
import { ENTENTE_LABEL_EXTENSION_ID } from '../labels/stix-definitions.js';
import { parseCidr, type Cidr } from '../pattern/ip.js';
import { TLP2_EXTENSION_ID } from '../stix/rules/marking-rules.js';
import { deterministicScoId } from '../stix/sco-id.js';
import type { RedactionRule } from './types.js';

export type Json = Readonly<Record<string, unknown>>;

/** Selector steps as in STIX granular markings (section 7.2.3.1): `a.b.[2].c`. */
function steps(selector: string): ReadonlyArray<string | number> {
  return selector.split('.').map((s) => {
    const m = /^\[(\d+)\]$/.exec(s);
    return m === null ? s : Number(m[1]);
  });
}

/** A deep copy of a JSON value (objects here always come from JSON). */
export function copyJson<T>(value: T): T {
  return structuredClone(value);
}

/**
 * Removes the content each selector names. List elements are removed highest index first, so
 * that several selectors into one list do not shift each other. Returns the selectors that
 * named something.
 */
export function removeSelected(object: Record<string, unknown>, selectors: ReadonlyArray<string>): ReadonlyArray<string> {
  const found: Array<{ readonly parent: unknown; readonly key: string | number; readonly selector: string }> = [];
  for (const selector of selectors) {
    const path = steps(selector);
    let parent: unknown = object;
    for (let i = 0; i < path.length - 1; i++) parent = child(parent, path[i] as string | number);
    const key = path[path.length - 1] as string | number;
    if (child(parent, key) !== undefined) found.push({ parent, key, selector });
  }
  // A total order: properties first, then list positions from the highest down, so that
  // removing one list element never shifts another still to be removed.
  found.sort((a, b) => {
    if (typeof a.key === 'number' && typeof b.key === 'number') return b.key - a.key;
    if (typeof a.key === 'number') return 1;
    if (typeof b.key === 'number') return -1;
    return 0;
  });
  const lists = new Set<unknown[]>();
  for (const { parent, key } of found) {
    if (Array.isArray(parent) && typeof key === 'number') {
      parent.splice(key, 1);
      lists.add(parent);
    } else if (isRecord(parent)) {
      delete parent[key as string];
    }
  }
  // STIX lists may not be empty: a list left with nothing goes as a whole.
  if ([...lists].some((l) => l.length === 0)) dropEmptyLists(object);
  return found.map((f) => f.selector);
}

function dropEmptyLists(value: unknown): void {
  if (Array.isArray(value)) {
    for (const v of value) dropEmptyLists(v);
  } else if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (Array.isArray(v) && v.length === 0) delete value[k];
      else dropEmptyLists(v);
    }
  }
}

function child(value: unknown, step: string | number): unknown {
  if (typeof step === 'number') return Array.isArray(value) ? value[step] : undefined;
  return isRecord(value) && Object.hasOwn(value, step) ? value[step] : undefined;
}

/** Extensions that carry labels are never stripped: the recipient needs them to honour the label. */
const LABEL_EXTENSIONS: ReadonlySet<string> = new Set([TLP2_EXTENSION_ID, ENTENTE_LABEL_EXTENSION_ID]);

export interface RedactionEffect {
  readonly rule: string;
  readonly removed: ReadonlyArray<string>;
}

/**
 * Applies one agreement redaction rule to `object`, a copy the caller owns. Only strip-properties
 * changes nested values (it needs a deep copy); the other rules only replace or delete top-level
 * properties, so a shallow copy of the input is enough for them.
 */
export function applyRedaction(object: Record<string, unknown>, rule: RedactionRule, context: { readonly victims: ReadonlySet<string>; readonly keepExtensions: ReadonlyArray<string> }): RedactionEffect {
  switch (rule.kind) {
    case 'strip-properties':
      return { rule: rule.kind, removed: removeSelected(object, rule.properties) };
    case 'strip-custom-properties':
      return { rule: rule.kind, removed: stripCustom(object, rule.keep, context.keepExtensions) };
    case 'strip-victim-identities':
      return { rule: rule.kind, removed: stripRefsTo(object, context.victims) };
    case 'generalise-addresses':
      return { rule: rule.kind, removed: generaliseAddresses(object, rule.ipv4Prefix, rule.ipv6Prefix) };
  }
}

function stripCustom(object: Record<string, unknown>, keep: ReadonlyArray<string>, keepExtensions: ReadonlyArray<string>): ReadonlyArray<string> {
  const removed: string[] = [];
  for (const key of Object.keys(object)) {
    if (key.startsWith('x_') && !keep.includes(key)) {
      delete object[key];
      removed.push(key);
    }
  }
  // A copy: the caller's object may share its extensions with the input (a shallow copy).
  const extensions = isRecord(object['extensions']) ? { ...object['extensions'] } : undefined;
  if (extensions !== undefined) {
    for (const key of Object.keys(extensions)) {
      const predefined = !key.startsWith('extension-definition--') && !key.startsWith('x-');
      if (predefined || LABEL_EXTENSIONS.has(key) || keepExtensions.includes(key) || keep.includes(key)) continue;
      delete extensions[key];
      removed.push(`extensions.${key}`);
    }
    if (Object.keys(extensions).length === 0) delete object['extensions'];
    else if (removed.some((r) => r.startsWith('extensions.'))) object['extensions'] = extensions;
  }
  return removed;
}

const SINGLE_REFS_KEPT = new Set(['created_by_ref']);
const LIST_REFS_KEPT = new Set(['object_marking_refs']);

/** Removes every reference to `ids` from `*_ref` and `*_refs` properties (top level). */
export function stripRefsTo(object: Record<string, unknown>, ids: ReadonlySet<string>): ReadonlyArray<string> {
  if (ids.size === 0) return [];
  const removed: string[] = [];
  for (const [key, value] of Object.entries(object)) {
    if (key.endsWith('_ref') && !SINGLE_REFS_KEPT.has(key) && typeof value === 'string' && ids.has(value)) {
      delete object[key];
      removed.push(key);
    } else if (key.endsWith('_refs') && !LIST_REFS_KEPT.has(key) && Array.isArray(value)) {
      const kept = value.filter((v) => !(typeof v === 'string' && ids.has(v)));
      if (kept.length === value.length) continue;
      removed.push(`${key} (${value.length - kept.length})`);
      if (kept.length === 0) delete object[key];
      else object[key] = kept;
    }
  }
  return removed;
}

/** The network `c` lies in, written as CIDR text. */
export function networkOf(c: Cidr, prefix: number): string {
  const width = c.version === 4 ? 32 : 128;
  const p = Math.min(prefix, c.prefix);
  const bits = (c.bits >> BigInt(width - p)) << BigInt(width - p);
  if (c.version === 4) {
    const n = Number(bits);
    return `${[24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.')}/${p}`;
  }
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((bits >> BigInt(i * 16)) & 0xffffn).toString(16));
  return `${groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::')}/${p}`;
}

const QUOTED = /'((?:[^'\\]|\\.)*)'/g;

/** Replaces addresses by their networks: ipv4-addr/ipv6-addr values and quoted literals in patterns. */
function generaliseAddresses(object: Record<string, unknown>, v4: number, v6: number): ReadonlyArray<string> {
  const removed: string[] = [];
  const general = (text: string): string | undefined => {
    const c = parseCidr(text);
    if (c === undefined) return undefined;
    const prefix = c.version === 4 ? v4 : v6;
    // A block already as wide as the prefix still loses its host bits (`198.51.100.7/24`).
    const network = networkOf(c, prefix);
    return parseCidr(network)?.bits === c.bits && c.prefix <= prefix ? undefined : network;
  };
  if ((object['type'] === 'ipv4-addr' || object['type'] === 'ipv6-addr') && typeof object['value'] === 'string') {
    const replaced = general(object['value']);
    if (replaced !== undefined) {
      object['value'] = replaced;
      // The deterministic id is a hash of the value: keeping it would let anyone recover the
      // address by hashing candidates, so the generalised object gets the id of its new value.
      const id = deterministicScoId(object['type'], object, ['value']);
      if (id !== undefined) object['id'] = id;
      removed.push('value');
    }
  }
  if (object['type'] === 'indicator' && typeof object['pattern'] === 'string') {
    let changed = false;
    const pattern = object['pattern'].replace(QUOTED, (whole, inner: string) => {
      const replaced = general(inner);
      if (replaced === undefined) return whole;
      changed = true;
      return `'${replaced}'`;
    });
    if (changed) {
      object['pattern'] = pattern;
      removed.push('pattern (addresses)');
    }
  }
  return removed;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
