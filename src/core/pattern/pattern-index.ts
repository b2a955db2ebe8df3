/**
 * An index of many indicators' patterns (DESIGN.md: 1M equality-heavy patterns at >= 100k
 * observed-data/s per core). Patterns are compiled into the keys an observation must offer
 * (see index-keys.ts). The paths those keys name form a trie per object type, so an observation
 * is walked only along paths some pattern uses (following references where a path does), and
 * only the indicators found through its keys are evaluated in full. Patterns that cannot be
 * narrowed (only negations, say) are evaluated for every observation.
 */
import type { PatternExpression } from './ast.js';
import { matchPattern, observationMatches } from './evaluator.js';
import { patternRequirement, SEP, valueKeys, type KeySink, type RequiredKey, type WantedKeys } from './index-keys.js';
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

/** One path step of the trie; `wanted` holds the key bases some pattern uses at this path. */
interface TrieNode extends WantedKeys {
  readonly children: Map<string, TrieNode>;
  /** How many required keys use each base here, so that removal can clear them. */
  readonly uses: Map<string, number>;
}

const ANY = '[*]';
const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function newNode(): TrieNode {
  return { children: new Map(), uses: new Map(), vKey: undefined, eBase: undefined, cBase: undefined, sBase: undefined };
}

export class PatternIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly postings = new Map<string, Posting | Posting[]>();
  private readonly always = new Set<string>();
  private readonly roots = new Map<string, TrieNode>();
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
      this.want(k, 1);
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
      this.want(k, -1);
      if (k.subsetPrefix !== undefined) {
        const p = `${k.subsetPrefix.version}/${k.subsetPrefix.prefix}`;
        const n = (this.subsetPrefixes.get(p) ?? 1) - 1;
        if (n === 0) this.subsetPrefixes.delete(p);
        else this.subsetPrefixes.set(p, n);
      }
    }
    return true;
  }

  /** Records (delta 1) or forgets (delta -1) that a key base is wanted at its path. */
  private want(k: RequiredKey, delta: 1 | -1): void {
    let node: TrieNode | undefined = this.roots.get(k.type);
    if (node === undefined) {
      node = newNode();
      this.roots.set(k.type, node);
    }
    for (const step of k.steps) {
      let child: TrieNode | undefined = node.children.get(step);
      if (child === undefined) {
        child = newNode();
        node.children.set(step, child);
      }
      node = child;
    }
    const n = (node.uses.get(k.base) ?? 0) + delta;
    if (n <= 0) node.uses.delete(k.base);
    else node.uses.set(k.base, n);
    const value = n > 0 ? k.base : undefined;
    switch (k.base.charAt(0)) {
      case 'V': node.vKey = value; break;
      case 'E': node.eBase = value; break;
      case 'C': node.cBase = value; break;
      case 'S': node.sBase = value; break;
    }
  }

  /** Indicators worth evaluating on this observation: a superset of those that match. */
  candidates(observation: Observation): Set<string> {
    const sink = new CandidateSink(this.postings, this.subsetPrefixes);
    for (const id of this.always) sink.found.add(id);
    for (const root of observation.roots) {
      const node = typeof root.type === 'string' ? this.roots.get(root.type) : undefined;
      if (node !== undefined) walkObject(node, root, root.type as string, observation, sink);
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

/** Follows the trie's children into an object (an SCO, a dictionary or a dereferenced object). */
function walkObject(node: TrieNode, object: StixObject, holderType: string | undefined, observation: Observation, sink: KeySink): void {
  const type = typeof object.type === 'string' ? object.type : holderType;
  for (const [name, child] of node.children) {
    if (name !== ANY && hasOwn(object, name)) walkValue(child, object[name], name, type, observation, sink);
  }
}

/** Emits what is wanted at this path, then descends: list items, references, nested objects. */
function walkValue(node: TrieNode, value: unknown, property: string, holderType: string | undefined, observation: Observation, sink: KeySink): void {
  if (value === undefined || value === null) return;
  valueKeys(node, value, property, holderType, sink);
  if (node.children.size === 0) return;
  if (Array.isArray(value)) {
    const items = node.children.get(ANY);
    if (items !== undefined) for (const item of value) walkValue(items, item, property, holderType, observation, sink);
  } else if (typeof value === 'string') {
    // A reference is followed only when the path continues past it (section 9.7.4).
    const target = property.endsWith('_ref') || property.endsWith('_refs') ? observation.resolve(value) : undefined;
    if (target !== undefined) walkObject(node, target, undefined, observation, sink);
  } else if (typeof value === 'object') {
    walkObject(node, value as StixObject, holderType, observation, sink);
  }
}

/** Collects the indicators whose keys an observation offers. */
class CandidateSink implements KeySink {
  readonly found = new Set<string>();

  constructor(
    private readonly postings: ReadonlyMap<string, Posting | Posting[]>,
    private readonly subsetPrefixes: ReadonlyMap<string, number>,
  ) {}

  emit(key: string, text?: string): void {
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
  subset(cBase: string, text: string): void {
    const cidr = parseCidr(text);
    if (cidr === undefined) return;
    for (const p of this.subsetPrefixes.keys()) {
      const [version, prefixText] = p.split('/');
      const prefix = Number(prefixText);
      if (Number(version) !== cidr.version || prefix > cidr.prefix) continue;
      this.emit(`${cBase}${SEP}${cidr.version}/${prefix}/${networkBits(cidr, prefix).toString(16)}`);
    }
  }
}
