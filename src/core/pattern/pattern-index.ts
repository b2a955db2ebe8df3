/**
 * An index of many indicators' patterns (DESIGN.md: 1M equality-heavy patterns at >= 100k
 * observed-data/s per core). Patterns are compiled into the keys an observation must offer
 * (see index-keys.ts); an observation is flattened once into the keys it offers, and only the
 * indicators found that way are evaluated in full. Patterns that cannot be narrowed (only
 * negations, say) are evaluated for every observation.
 */
import type { PatternExpression } from './ast.js';
import { matchPattern, observationMatches } from './evaluator.js';
import { MAX_REF_HOPS, patternRequirement, SEP, valueKeys, type KeySink, type RequiredKey } from './index-keys.js';
import { networkBits, parseCidr } from './ip.js';
import type { Observation, StixObject } from './observations.js';
import { parsePattern } from './parse.js';

interface Posting {
  readonly id: string;
  readonly fragment?: string;
}

interface Entry {
  readonly ast: PatternExpression;
  readonly keys: ReadonlyArray<RequiredKey> | undefined;
}

/** The object type inside a key base `<kind> SEP <type> SEP <path>`. */
function typeOf(base: string): string {
  return base.slice(2, base.indexOf(SEP, 2));
}

function isRef(key: string): boolean {
  return key.endsWith('_ref') || key.endsWith('_refs');
}

export class PatternIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly postings = new Map<string, Posting | Posting[]>();
  private readonly always = new Set<string>();
  /** How many postings name each root object type: SCOs of other types are not walked. */
  private readonly types = new Map<string, number>();
  /** How many postings each key base (kind, type, path) has: observations skip the others. */
  private readonly bases = new Map<string, number>();
  /** Prefix lengths used by ISSUBSET blocks, with how many blocks use each. */
  private readonly subsetPrefixes = new Map<string, number>();

  /** Number of indicators held. */
  get size(): number {
    return this.entries.size;
  }

  /** Adds (or replaces) an indicator's pattern; throws ENTENTE_PATTERN_INVALID for bad text. */
  add(id: string, pattern: string | PatternExpression): void {
    const ast = typeof pattern === 'string' ? parsePattern(pattern) : pattern;
    if (this.entries.has(id)) this.remove(id);
    const keys = patternRequirement(ast);
    this.entries.set(id, { ast, keys });
    if (keys === undefined) {
      this.always.add(id);
      return;
    }
    for (const k of keys) {
      const posting: Posting = k.fragment === undefined ? { id } : { id, fragment: k.fragment };
      const existing = this.postings.get(k.key);
      if (existing === undefined) this.postings.set(k.key, posting);
      else if (Array.isArray(existing)) existing.push(posting);
      else this.postings.set(k.key, [existing, posting]);
      this.bases.set(k.base, (this.bases.get(k.base) ?? 0) + 1);
      const type = typeOf(k.base);
      this.types.set(type, (this.types.get(type) ?? 0) + 1);
      if (k.subsetPrefix !== undefined) {
        const p = `${k.subsetPrefix.version}/${k.subsetPrefix.prefix}`;
        this.subsetPrefixes.set(p, (this.subsetPrefixes.get(p) ?? 0) + 1);
      }
    }
  }

  /** Removes an indicator; false when it was not there. */
  remove(id: string): boolean {
    const entry = this.entries.get(id);
    if (entry === undefined) return false;
    this.entries.delete(id);
    this.always.delete(id);
    for (const k of entry.keys ?? []) {
      const existing = this.postings.get(k.key);
      if (existing === undefined) continue;
      const rest = Array.isArray(existing) ? existing.filter((p) => p.id !== id) : existing.id === id ? [] : [existing];
      const left = (this.bases.get(k.base) ?? 1) - 1;
      if (left === 0) this.bases.delete(k.base);
      else this.bases.set(k.base, left);
      const type = typeOf(k.base);
      const typeLeft = (this.types.get(type) ?? 1) - 1;
      if (typeLeft === 0) this.types.delete(type);
      else this.types.set(type, typeLeft);
      if (rest.length === 0) this.postings.delete(k.key);
      else this.postings.set(k.key, rest.length === 1 ? rest[0] as Posting : rest);
      if (k.subsetPrefix !== undefined) {
        const p = `${k.subsetPrefix.version}/${k.subsetPrefix.prefix}`;
        const n = (this.subsetPrefixes.get(p) ?? 1) - 1;
        if (n === 0) this.subsetPrefixes.delete(p);
        else this.subsetPrefixes.set(p, n);
      }
    }
    return true;
  }

  /** Indicators worth evaluating on this observation: a superset of those that match. */
  candidates(observation: Observation): Set<string> {
    // One sink object per call, no closures: this is the hot path of the index.
    const sink = new CandidateSink(this.postings, this.bases, this.subsetPrefixes);
    for (const id of this.always) sink.found.add(id);
    for (const root of observation.roots) {
      if (typeof root.type === 'string' && this.types.has(root.type)) flatten(root.type, root, '', 0, root.type, '', observation, sink);
    }
    return sink.found;
  }

  /** Ids of the indicators whose pattern matches this one observed-data, in insertion order. */
  match(observation: Observation): string[] {
    const out: string[] = [];
    for (const id of this.candidates(observation)) {
      const entry = this.entries.get(id) as Entry;
      const matched = entry.ast.kind === 'observation'
        ? observationMatches(entry.ast.expression, observation)
        : matchPattern(entry.ast, [observation]).matched;
      if (matched) out.push(id);
    }
    return out;
  }
}

/** Collects the indicators whose keys an observation offers. */
class CandidateSink implements KeySink {
  readonly found = new Set<string>();

  constructor(
    private readonly postings: ReadonlyMap<string, Posting | Posting[]>,
    private readonly bases: ReadonlyMap<string, number>,
    private readonly subsetPrefixes: ReadonlyMap<string, number>,
  ) {}

  wants(base: string): boolean {
    return this.bases.has(base);
  }

  emit(key: string, text?: string): void {
    if (key.charCodeAt(0) === 67 /* 'C' */) this.subset(key, text);
    else this.lookup(key, text);
  }

  private lookup(key: string, text?: string): void {
    const hit = this.postings.get(key);
    if (hit === undefined) return;
    if (!Array.isArray(hit)) {
      this.accept(hit, text);
      return;
    }
    for (const p of hit) this.accept(p, text);
  }

  private accept(p: Posting, text: string | undefined): void {
    if (p.fragment === undefined || (text !== undefined && text.normalize('NFC').includes(p.fragment))) this.found.add(p.id);
  }

  /** ISSUBSET: look the value's network up at every prefix length some block uses. */
  private subset(key: string, text: string | undefined): void {
    const cidr = text === undefined ? undefined : parseCidr(text);
    if (cidr === undefined) return;
    for (const p of this.subsetPrefixes.keys()) {
      const [version, prefixText] = p.split('/');
      const prefix = Number(prefixText);
      if (Number(version) !== cidr.version || prefix > cidr.prefix) continue;
      this.lookup(`${key}${SEP}${cidr.version}/${prefix}/${networkBits(cidr, prefix).toString(16)}`);
    }
  }
}

/** Walks an SCO (following references up to MAX_REF_HOPS) and emits the keys of every value. */
function flatten(
  type: string, value: unknown, path: string, hops: number, holderType: string | undefined, property: string,
  observation: Observation, sink: KeySink,
): void {
  if (path !== '') valueKeys(type, path, value, property, holderType, sink);
  if (Array.isArray(value)) {
    for (const element of value) {
      flatten(type, element, `${path}[*]`, hops, holderType, property, observation, sink);
      if (isRef(property) && typeof element === 'string' && hops < MAX_REF_HOPS) followRef(type, element, `${path}[*]`, hops, observation, sink);
    }
  } else if (typeof value === 'object' && value !== null) {
    const object = value as StixObject;
    const objectType = typeof object.type === 'string' ? object.type : holderType;
    for (const key of Object.keys(object)) {
      const child = object[key];
      const childPath = path === '' ? key : `${path}.${key}`;
      flatten(type, child, childPath, hops, objectType, key, observation, sink);
      if (isRef(key) && typeof child === 'string' && hops < MAX_REF_HOPS) followRef(type, child, childPath, hops, observation, sink);
    }
  }
}

function followRef(type: string, ref: string, path: string, hops: number, observation: Observation, sink: KeySink): void {
  const target = observation.resolve(ref);
  if (target === undefined) return;
  const targetType = typeof target.type === 'string' ? target.type : undefined;
  for (const key of Object.keys(target)) {
    const child = target[key];
    const childPath = `${path}.${key}`;
    flatten(type, child, childPath, hops + 1, targetType, key, observation, sink);
    if (isRef(key) && typeof child === 'string' && hops + 1 < MAX_REF_HOPS) followRef(type, child, childPath, hops + 1, observation, sink);
  }
}
