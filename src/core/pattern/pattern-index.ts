/**
 * An index of many indicators' patterns (DESIGN.md: 1M equality-heavy patterns at >= 100k
 * observed-data/s per core). Patterns are compiled into the keys an observation must offer
 * (see index-keys.ts); an observation is flattened once into the keys it offers, and only the
 * indicators found that way are evaluated in full. Patterns that cannot be narrowed (only
 * negations, say) are evaluated for every observation.
 */
import type { PatternExpression } from './ast.js';
import { matchPattern, observationMatches } from './evaluator.js';
import { MAX_REF_HOPS, patternRequirement, SEP, valueKeys, type RequiredKey } from './index-keys.js';
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

const REF = /_refs?$/;

export class PatternIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly postings = new Map<string, Posting | Posting[]>();
  private readonly always = new Set<string>();
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
    const found = new Set<string>(this.always);
    const lookup = (key: string, text?: string): void => {
      const hit = this.postings.get(key);
      if (hit === undefined) return;
      for (const p of Array.isArray(hit) ? hit : [hit]) {
        if (p.fragment === undefined || (text !== undefined && text.normalize('NFC').includes(p.fragment))) found.add(p.id);
      }
    };
    const emit = (key: string, text?: string): void => {
      if (key.charCodeAt(0) === 67 /* 'C' */) this.emitSubset(key, text, lookup);
      else lookup(key, text);
    };
    for (const root of observation.roots) {
      if (typeof root.type === 'string') flatten(root.type, root, '', 0, root.type, '', observation, emit);
    }
    return found;
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

  /** ISSUBSET: look the value's network up at every prefix length some block uses. */
  private emitSubset(key: string, text: string | undefined, lookup: (key: string) => void): void {
    const cidr = text === undefined ? undefined : parseCidr(text);
    if (cidr === undefined) return;
    for (const p of this.subsetPrefixes.keys()) {
      const [version, prefixText] = p.split('/');
      const prefix = Number(prefixText);
      if (Number(version) !== cidr.version || prefix > cidr.prefix) continue;
      lookup(`${key}${SEP}${cidr.version}/${prefix}/${networkBits(cidr, prefix).toString(16)}`);
    }
  }
}

/** Walks an SCO (following references up to MAX_REF_HOPS) and emits the keys of every value. */
function flatten(
  type: string, value: unknown, path: string, hops: number, holderType: string | undefined, property: string,
  observation: Observation, emit: (key: string, text?: string) => void,
): void {
  if (path !== '') valueKeys(type, path, value, property, holderType, emit);
  if (Array.isArray(value)) {
    for (const element of value) {
      flatten(type, element, `${path}[*]`, hops, holderType, property, observation, emit);
      if (REF.test(property) && typeof element === 'string' && hops < MAX_REF_HOPS) followRef(type, element, `${path}[*]`, hops, observation, emit);
    }
  } else if (typeof value === 'object' && value !== null) {
    const object = value as StixObject;
    const objectType = typeof object.type === 'string' ? object.type : holderType;
    for (const key of Object.keys(object)) {
      const child = object[key];
      const childPath = path === '' ? key : `${path}.${key}`;
      flatten(type, child, childPath, hops, objectType, key, observation, emit);
      if (REF.test(key) && typeof child === 'string' && hops < MAX_REF_HOPS) followRef(type, child, childPath, hops, observation, emit);
    }
  }
}

function followRef(type: string, ref: string, path: string, hops: number, observation: Observation, emit: (key: string, text?: string) => void): void {
  const target = observation.resolve(ref);
  if (target === undefined) return;
  const targetType = typeof target.type === 'string' ? target.type : undefined;
  for (const key of Object.keys(target)) {
    const child = target[key];
    const childPath = `${path}.${key}`;
    flatten(type, child, childPath, hops + 1, targetType, key, observation, emit);
    if (REF.test(key) && typeof child === 'string' && hops + 1 < MAX_REF_HOPS) followRef(type, child, childPath, hops + 1, observation, emit);
  }
}
