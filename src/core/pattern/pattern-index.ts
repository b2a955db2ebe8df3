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
import { patternRequirement, valueKeys, type KeySink, type RequiredKey, type WantedKeys } from './index-keys.js';
import { ipv4Network, networkBits, parseCidr, parseIpv4 } from './ip.js';
import type { Observation, StixObject } from './observations.js';
import { parsePattern } from './parse.js';

interface Posting {
  readonly id: string;
  readonly fragment?: string;
}

type Postings = Posting | Posting[];

interface Entry {
  readonly ast: PatternExpression;
  readonly keys: ReadonlyArray<RequiredKey> | undefined;
}

/**
 * One path step of the trie. The postings of the keys found at this path live here, split by
 * kind, so that an observation looks values up in small maps by the value itself, without
 * building and hashing long composite keys.
 */
interface TrieNode extends WantedKeys {
  readonly children: Map<string, TrieNode>;
  readonly present: Posting[];
  /** Exact string values, by the raw string. */
  readonly strings: Map<string, Postings>;
  /** Other exact values by canonical key (n:, B:, b:, ip:, t:). */
  readonly exacts: Map<string, Postings>;
  readonly suffixes: Map<string, Postings>;
  readonly networks: Map<string, Postings>;
  hasV: boolean;
  hasE: boolean;
  hasC: boolean;
  hasS: boolean;
}

const ANY = '[*]';
const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function newNode(): TrieNode {
  return {
    children: new Map(), present: [], strings: new Map(), exacts: new Map(), suffixes: new Map(), networks: new Map(),
    hasV: false, hasE: false, hasC: false, hasS: false,
  };
}

function addPosting(map: Map<string, Postings>, key: string, posting: Posting): void {
  const existing = map.get(key);
  if (existing === undefined) map.set(key, posting);
  else if (Array.isArray(existing)) existing.push(posting);
  else map.set(key, [existing, posting]);
}

function removePosting(map: Map<string, Postings>, key: string, id: string): void {
  const existing = map.get(key);
  if (existing === undefined) return;
  const rest = Array.isArray(existing) ? existing.filter((p) => p.id !== id) : existing.id === id ? [] : [existing];
  if (rest.length === 0) map.delete(key);
  else map.set(key, rest.length === 1 ? rest[0] as Posting : rest);
}

function refresh(node: TrieNode): void {
  node.hasV = node.present.length > 0;
  node.hasE = node.strings.size > 0 || node.exacts.size > 0;
  node.hasC = node.networks.size > 0;
  node.hasS = node.suffixes.size > 0;
}

export class PatternIndex {
  private readonly entries = new Map<string, Entry>();
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
      const node = this.node(k);
      switch (k.kind) {
        case 'V': node.present.push(posting); break;
        case 'E':
          if (k.value.startsWith('s:')) addPosting(node.strings, k.value.slice(2), posting);
          else addPosting(node.exacts, k.value, posting);
          break;
        case 'S': addPosting(node.suffixes, k.value, posting); break;
        case 'C': addPosting(node.networks, k.value, posting); break;
      }
      refresh(node);
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
      const node = this.node(k);
      switch (k.kind) {
        case 'V': {
          const at = node.present.findIndex((p) => p.id === id);
          if (at >= 0) node.present.splice(at, 1);
          break;
        }
        case 'E':
          if (k.value.startsWith('s:')) removePosting(node.strings, k.value.slice(2), id);
          else removePosting(node.exacts, k.value, id);
          break;
        case 'S': removePosting(node.suffixes, k.value, id); break;
        case 'C': removePosting(node.networks, k.value, id); break;
      }
      refresh(node);
      if (k.subsetPrefix !== undefined) {
        const p = `${k.subsetPrefix.version}/${k.subsetPrefix.prefix}`;
        const n = (this.subsetPrefixes.get(p) ?? 1) - 1;
        if (n === 0) this.subsetPrefixes.delete(p);
        else this.subsetPrefixes.set(p, n);
      }
    }
    return true;
  }

  /** The trie node of a key's type and path, created on first use. */
  private node(k: RequiredKey): TrieNode {
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
    return node;
  }

  /** Indicators worth evaluating on this observation: a superset of those that match. */
  candidates(observation: Observation): Set<string> {
    const sink = new CandidateSink(this.subsetPrefixes);
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
function walkObject(node: TrieNode, object: StixObject, holderType: string | undefined, observation: Observation, sink: KeySink<TrieNode>): void {
  const type = typeof object.type === 'string' ? object.type : holderType;
  for (const [name, child] of node.children) {
    if (name !== ANY && hasOwn(object, name)) walkValue(child, object[name], name, type, observation, sink);
  }
}

/** Emits what is wanted at this path, then descends: list items, references, nested objects. */
function walkValue(node: TrieNode, value: unknown, property: string, holderType: string | undefined, observation: Observation, sink: KeySink<TrieNode>): void {
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
class CandidateSink implements KeySink<TrieNode> {
  readonly found = new Set<string>();

  constructor(private readonly subsetPrefixes: ReadonlyMap<string, number>) {}

  present(node: TrieNode, text: string | undefined): void {
    for (const p of node.present) this.accept(p, text);
  }

  exactString(node: TrieNode, value: string): void {
    this.take(node.strings.get(value));
  }

  exact(node: TrieNode, valueKey: string): void {
    this.take(node.exacts.get(valueKey));
  }

  suffix(node: TrieNode, suffix: string): void {
    this.take(node.suffixes.get(suffix));
  }

  /** ISSUBSET: look the value's network up at every prefix length some block uses. */
  subset(node: TrieNode, text: string): void {
    const v4 = text.includes(':') ? undefined : parseIpv4(text);
    if (v4 !== undefined) {
      for (const p of this.subsetPrefixes.keys()) {
        const prefix = Number(p.slice(2));
        if (p.startsWith('4/') && prefix <= v4.prefix) this.take(node.networks.get(`4/${prefix}/${ipv4Network(v4, prefix)}`));
      }
      return;
    }
    const cidr = parseCidr(text);
    if (cidr === undefined) return;
    for (const p of this.subsetPrefixes.keys()) {
      const [version, prefixText] = p.split('/');
      const prefix = Number(prefixText);
      if (Number(version) !== cidr.version || prefix > cidr.prefix) continue;
      this.take(node.networks.get(`${cidr.version}/${prefix}/${networkBits(cidr, prefix).toString(16)}`));
    }
  }

  private take(hit: Postings | undefined): void {
    if (hit === undefined) return;
    if (!Array.isArray(hit)) this.accept(hit, undefined);
    else for (const p of hit) this.accept(p, undefined);
  }

  private accept(p: Posting, text: string | undefined): void {
    if (p.fragment === undefined || (text !== undefined && text.normalize('NFC').includes(p.fragment))) this.found.add(p.id);
  }
}
