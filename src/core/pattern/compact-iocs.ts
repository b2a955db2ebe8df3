/**
 * A compact index for simple IOCs: patterns that are one observation expression made only of
 * `=` or IN (or an OR of them) on `ipv4-addr:value`, `ipv6-addr:value`, `domain-name:value`,
 * `url:value`, `email-addr:value` or `file:hashes.<hex algorithm>`, and ISSUBSET of a block on an
 * address value. Millions of these are the bulk of an IOC feed; PatternIndex spends about a
 * kilobyte on each, this index about 40 bytes, so the rest (anything else) stays in PatternIndex.
 *
 * Every value an IOC names becomes a 64-bit key (hash of the slot, the kind and the canonical
 * value: the address bits for `=` on an address, so `10.0.0.1` meets `10.0.0.1/32` and an IPv6
 * address meets its zero-compressed spelling; the lower-cased text for hex hashes; the network
 * bits and prefix length for a block). Keys live in one open-addressing table of 32-bit words
 * (hi, lo, handle + 1), sized to a load of 0.7 by `compact()`: about 17 bytes a key, one probe
 * run per lookup, and updates need no sorted merge. A handle names the indicator: ids of the form `indicator--<uuid>` are kept as 16
 * raw bytes, other ids in a side map.
 *
 * Hits are NOT verified against the original value: a value that does not match shares a key
 * with one of N stored keys with probability about N / 2^64 (5M keys: about 3e-13 per lookup).
 * The hash is fixed and not cryptographic, so someone who can choose observed values and knows
 * the IOC set could craft such a collision; the cost is a false report, never a missed match.
 *
 * Updates are applied at once: `add` inserts keys (the table doubles when it fills), `remove`
 * marks the handle removed so its keys stop matching; `compact()` (run by itself when removed
 * handles pile up) drops them, frees their handles and trims the tables.
 */
import type { ComparisonExpression, Literal, ObjectPath, PatternExpression } from './ast.js';
import { isHexHash } from './compare.js';
import { parseCidr, parseIpv4, type Cidr } from './ip.js';
import type { Observation, StixObject } from './observations.js';
import { parsePattern } from './parse.js';
import { PatternIndex } from './pattern-index.js';

// Two 32-bit lanes (FNV-1a and a multiply-xorshift lane) mixed by murmur3's finaliser.
let outHi = 0;
let outLo = 0;

function fmix(x: number): number {
  let h = x ^ (x >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function finish(a: number, b: number, n: number): void {
  outHi = fmix(a ^ Math.imul(b ^ n, 0x27d4eb2f));
  outLo = fmix(b ^ Math.imul(a + n, 0x165667b1));
}

function hashText(seed: number, s: string): void {
  let a = seed ^ 0x811c9dc5;
  let b = Math.imul(seed, 0x9e3779b1) ^ 0x1b873593;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 13;
  }
  finish(a, b, s.length);
}

let laneA = 0;
let laneB = 0;

function mixWord(w: number): void {
  laneA = Math.imul(laneA ^ w, 0x01000193);
  laneA ^= laneA >>> 15;
  laneB = Math.imul(laneB ^ w, 0x5bd1e995);
  laneB ^= laneB >>> 13;
}

/** Unrolled rather than looped over an array: this runs for every address an observation offers. */
/**
 * `hashText(seed, s.slice(0, end).toLowerCase())` without the copies for ASCII text (every digest
 * and domain an event carries).
 */
function hashLowerText(seed: number, s: string, end: number = s.length): void {
  let a = seed ^ 0x811c9dc5;
  let b = Math.imul(seed, 0x9e3779b1) ^ 0x1b873593;
  for (let i = 0; i < end; i++) {
    let c = s.charCodeAt(i);
    if (c >= 128) {
      hashText(seed, s.slice(0, end).toLowerCase());
      return;
    }
    if (c >= 65 && c <= 90) c += 32;
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 13;
  }
  finish(a, b, end);
}

function hashWords(seed: number, w0: number, w1: number, w2: number, w3: number, w4: number): void {
  laneA = seed ^ 0x811c9dc5;
  laneB = Math.imul(seed, 0x9e3779b1) ^ 0x1b873593;
  mixWord(w0);
  mixWord(w1);
  mixWord(w2);
  mixWord(w3);
  mixWord(w4);
  finish(laneA, laneB, 5);
}

const TEXT = 0x1000_0001;
const ADDRESS = 0x2000_0002;
const BLOCK = 0x3000_0003;

/** A slot's seed: the type and path an IOC compares, so equal values on different paths differ. */
function tagOf(slot: string): number {
  hashText(0x5eed, slot);
  return outLo;
}

const IP_TYPES: ReadonlySet<string> = new Set(['ipv4-addr', 'ipv6-addr']);
const TEXT_TYPES: ReadonlySet<string> = new Set(['domain-name', 'url', 'email-addr']);
/** Seeds of the `<type>:value` slots, computed once. */
const VALUE_TAGS: ReadonlyMap<string, number> = new Map([...IP_TYPES, ...TEXT_TYPES].map((t) => [t, tagOf(`${t}:value`)]));
const valueTag = (type: string): number => VALUE_TAGS.get(type) as number;
const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
const V4_WIDTH = 2 ** 32;

/** Hashes an address or the network of a block: version, prefix and up to 128 bits as words. */
function hashCidr(seed: number, c: Cidr, prefix: number): void {
  const width = c.version === 4 ? 32 : 128;
  const net = c.bits >> BigInt(width - prefix);
  hashWords(seed ^ c.version, prefix, Number(net >> 96n), Number((net >> 64n) & 0xffffffffn), Number((net >> 32n) & 0xffffffffn), Number(net & 0xffffffffn));
}

/** Same key as `hashCidr` for an IPv4 address or block given as plain numbers. */
function hashV4(seed: number, bits: number, prefix: number): void {
  hashWords(seed ^ 4, prefix, 0, 0, 0, prefix === 0 ? 0 : Math.floor(bits / 2 ** (32 - prefix)) >>> 0);
}

/** `parseIpv4(text).bits` for a plain dotted quad (no block), without a match object; -1 for anything else. */
function dottedQuad(text: string): number {
  let bits = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++digits > 3) return -1;
      octet = octet * 10 + (c - 48);
    } else if (c === 46 && digits > 0 && dots < 3) {
      if (octet > 255) return -1;
      bits = bits * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else return -1;
  }
  return dots === 3 && digits > 0 && octet <= 255 ? bits * 256 + octet : -1;
}

export interface Key {
  readonly hi: number;
  readonly lo: number;
  /** For a block: where it is looked up from (type, version, prefix length). */
  readonly block?: { readonly type: string; readonly version: 4 | 6; readonly prefix: number };
}

/** The key of `path = literal`, or undefined when that comparison is not for this index. */
function equalityKey(path: ObjectPath, literal: Literal): Key | undefined {
  if (literal.kind !== 'string') return undefined;
  const [first, second, ...rest] = path.steps;
  if (first?.kind !== 'key' || rest.length > 0) return undefined;
  if (second === undefined && first.name === 'value') {
    if (TEXT_TYPES.has(path.objectType)) {
      hashText(valueTag(path.objectType) ^ TEXT, literal.value);
      return { hi: outHi, lo: outLo };
    }
    if (!IP_TYPES.has(path.objectType)) return undefined;
    // Equal addresses are equal whatever their spelling (compare.ts); blocks compared with `=` are rare and left out.
    const c = parseCidr(literal.value);
    if (c === undefined || c.prefix !== (c.version === 4 ? 32 : 128)) return undefined;
    hashCidr(valueTag(path.objectType) ^ ADDRESS, c, c.prefix);
    return { hi: outHi, lo: outLo };
  }
  if (path.objectType !== 'file' || first.name !== 'hashes' || second?.kind !== 'key' || !isHexHash(second.name)) return undefined;
  hashText(tagOf(`file:hashes.${second.name}`) ^ TEXT, literal.value.toLowerCase());
  return { hi: outHi, lo: outLo };
}

function collectKeys(node: ComparisonExpression, out: Key[]): boolean {
  switch (node.kind) {
    case 'or': return collectKeys(node.left, out) && collectKeys(node.right, out);
    case 'in': {
      if (node.negated) return false;
      for (const v of node.values) {
        const k = equalityKey(node.path, v);
        if (k === undefined) return false;
        out.push(k);
      }
      return true;
    }
    case 'comparison': {
      if (node.negated) return false;
      if (node.operator === '=') {
        const k = equalityKey(node.path, node.value);
        if (k !== undefined) out.push(k);
        return k !== undefined;
      }
      const [first, ...rest] = node.path.steps;
      if (node.operator !== 'ISSUBSET' || !IP_TYPES.has(node.path.objectType) || node.value.kind !== 'string') return false;
      if (first?.kind !== 'key' || first.name !== 'value' || rest.length > 0) return false;
      const c = parseCidr(node.value.value);
      if (c === undefined) return false;
      hashCidr(valueTag(node.path.objectType) ^ BLOCK, c, c.prefix);
      out.push({ hi: outHi, lo: outLo, block: { type: node.path.objectType, version: c.version, prefix: c.prefix } });
      return true;
    }
    default: return false;
  }
}

/** The keys of a simple IOC (see the file comment); undefined for any other pattern. */
export function simpleIocKeys(pattern: PatternExpression): ReadonlyArray<Key> | undefined {
  if (pattern.kind !== 'observation') return undefined;
  const out: Key[] = [];
  return collectKeys(pattern.expression, out) ? out : undefined;
}

const UUID_ID = /^indicator--([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})([0-9a-f]{8})$/;
const FREE = 0;
const LIVE_UUID = 1;
const LIVE_OTHER = 2;
const REMOVED = 3;
const LOAD = 0.7;
const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

/**
 * A CompactIocIndex's tables in SharedArrayBuffers (see `share`), to be posted to worker threads:
 * typed arrays over shared memory cross without a copy, the few other fields are small.
 */
export interface SharedCompactIocs {
  readonly keys: Uint32Array;
  readonly keyCapacity: number;
  readonly ids: Uint32Array;
  readonly state: Uint8Array;
  readonly uuids: Uint32Array;
  readonly otherIds: ReadonlyArray<readonly [number, string]>;
  readonly blockPrefixes: ReadonlyArray<readonly [string, { readonly v4: ReadonlyArray<number>; readonly v6: ReadonlyArray<number> }]>;
  readonly live: number;
  readonly handles: number;
}

function inSharedMemory<T extends Uint32Array | Uint8Array>(array: T): T {
  if (array.buffer instanceof SharedArrayBuffer) return array;
  const shared = new SharedArrayBuffer(array.byteLength);
  const copy = (array instanceof Uint8Array ? new Uint8Array(shared) : new Uint32Array(shared)) as T;
  copy.set(array);
  return copy;
}

export class CompactIocIndex {
  /** (hi, lo, handle + 1) per slot; handle word 0 is an empty slot. */
  private keys: Uint32Array = new Uint32Array(3 * 16);
  private keyCapacity = 16;
  private keyCount = 0;
  /** handle + 1 per slot, found by the id's hash. */
  private ids: Uint32Array = new Uint32Array(16);
  private idCount = 0;
  /** Per handle: FREE, LIVE_UUID, LIVE_OTHER or REMOVED (keys still in the table). */
  private state: Uint8Array = new Uint8Array(16);
  private uuids: Uint32Array = new Uint32Array(4 * 16);
  private readonly otherIds = new Map<number, string>();
  private handles = 0;
  private readonly free: number[] = [];
  private live = 0;
  private removed = 0;
  /** Slots compared with a hex hash, by algorithm name; the seed of their keys. */
  private readonly hashTags = new Map<string, number>();
  /** Prefix lengths of blocks, ascending, per address type and version; only grows (an unused length costs one lookup). */
  private readonly blockPrefixes = new Map<string, { v4: number[]; v6: number[] }>();
  private readonly found: number[] = [];

  /** Set on views made by `fromShared`: they only read. */
  private readOnly = false;

  /**
   * Moves the tables into shared memory (copied once; the old ones are then garbage, so memory
   * per IOC stays the same) and returns them for `fromShared` in other threads. Changes made
   * here afterwards are not for those views: share once the index is loaded and compacted.
   */
  share(): SharedCompactIocs {
    this.keys = inSharedMemory(this.keys);
    this.ids = inSharedMemory(this.ids);
    this.state = inSharedMemory(this.state);
    this.uuids = inSharedMemory(this.uuids);
    return {
      keys: this.keys, keyCapacity: this.keyCapacity, ids: this.ids, state: this.state, uuids: this.uuids,
      otherIds: [...this.otherIds], blockPrefixes: [...this.blockPrefixes].map(([t, p]) => [t, { v4: [...p.v4], v6: [...p.v6] }]),
      live: this.live, handles: this.handles,
    };
  }

  /** A read-only view of an index shared by `share` (in another thread): it matches, it does not change. */
  static fromShared(shared: SharedCompactIocs): CompactIocIndex {
    const view = new CompactIocIndex();
    view.keys = shared.keys;
    view.keyCapacity = shared.keyCapacity;
    view.ids = shared.ids;
    view.state = shared.state;
    view.uuids = shared.uuids;
    for (const [h, id] of shared.otherIds) view.otherIds.set(h, id);
    for (const [t, p] of shared.blockPrefixes) view.blockPrefixes.set(t, { v4: [...p.v4], v6: [...p.v6] });
    view.live = shared.live;
    view.handles = shared.handles;
    view.readOnly = true;
    return view;
  }

  private assertWritable(): void {
    if (this.readOnly) throw new Error('this compact index is a read-only view of a shared one');
  }

  /** Number of indicators held. */
  get size(): number {
    return this.live;
  }

  /**
   * Adds (or replaces) an indicator when its pattern is a simple IOC; returns false, changing
   * nothing, for any other pattern. Throws ENTENTE_PATTERN_INVALID for bad text.
   */
  add(id: string, pattern: string | PatternExpression): boolean {
    const keys = simpleIocKeys(typeof pattern === 'string' ? parsePattern(pattern) : pattern);
    if (keys === undefined) return false;
    this.assertWritable();
    this.remove(id);
    const handle = this.newHandle(id);
    for (const k of keys) {
      this.insertKey(k.hi, k.lo, handle);
      if (k.block !== undefined) {
        let byVersion = this.blockPrefixes.get(k.block.type);
        if (byVersion === undefined) {
          byVersion = { v4: [], v6: [] };
          this.blockPrefixes.set(k.block.type, byVersion);
        }
        const prefixes = k.block.version === 4 ? byVersion.v4 : byVersion.v6;
        if (!prefixes.includes(k.block.prefix)) {
          prefixes.push(k.block.prefix);
          prefixes.sort((a, b) => a - b);
        }
      }
    }
    return true;
  }

  /** Removes an indicator; false when it was not there. */
  remove(id: string): boolean {
    const handle = this.findHandle(id);
    if (handle === undefined) return false;
    this.assertWritable();
    this.state[handle] = REMOVED;
    this.otherIds.delete(handle);
    this.live--;
    this.removed++;
    if (this.removed > 1024 && this.removed > this.live / 4) this.compact();
    return true;
  }

  /** Drops removed indicators' keys and trims the tables to a load of 0.7. */
  compact(): void {
    this.assertWritable();
    for (let h = 0; h < this.handles; h++) {
      if (this.state[h] === REMOVED) {
        this.state[h] = FREE;
        this.free.push(h);
      }
    }
    this.removed = 0;
    this.rehashKeys(Math.ceil(this.countLiveKeys() / LOAD) + 1);
    this.rehashIds(Math.ceil(this.live / LOAD) + 1);
    this.state = this.state.slice(0, Math.max(this.handles, 1));
    this.uuids = this.uuids.slice(0, 4 * Math.max(this.handles, 1));
  }

  /** Ids of the indicators matching this observation, each once, in handle order. */
  match(observation: Observation): string[] {
    const found = this.found;
    found.length = 0;
    for (const root of observation.roots) this.lookUpRoot(root);
    if (found.length === 0) return [];
    if (found.length > 1) found.sort((a, b) => a - b);
    const out: string[] = [];
    for (let i = 0; i < found.length; i++) if (i === 0 || found[i] !== found[i - 1]) out.push(this.idOf(found[i] as number));
    return out;
  }

  /**
   * True when some indicator held names this address: an IPv6 address when the text has a `:`,
   * IPv4 otherwise, as telemetry types them. With the `has…` siblings, this lets a reader ask
   * about the values an event carries without building its observation; `match` then gives the ids.
   */
  hasAddress(value: string): boolean {
    this.found.length = 0;
    this.lookUpAddress(value.includes(':') ? 'ipv6-addr' : 'ipv4-addr', value);
    return this.found.length > 0;
  }

  /** True when some indicator names this `domain-name`, `url` or `email-addr` value, as given. */
  hasText(type: 'domain-name' | 'url' | 'email-addr', value: string): boolean {
    this.found.length = 0;
    hashText(valueTag(type) ^ TEXT, value);
    this.probe(outHi, outLo);
    return this.found.length > 0;
  }

  /** True when some indicator names this domain once lower-cased and without its root dot (how telemetry spells it). */
  hasDomain(value: string): boolean {
    this.found.length = 0;
    hashLowerText(valueTag('domain-name') ^ TEXT, value, value.endsWith('.') ? value.length - 1 : value.length);
    this.probe(outHi, outLo);
    return this.found.length > 0;
  }

  /** True when some indicator names this digest (compared lower-cased) under a hex hash algorithm (`SHA-256`, …). */
  hasHash(algorithm: string, value: string): boolean {
    this.found.length = 0;
    if (!isHexHash(algorithm)) return false;
    hashLowerText(this.hashTag(algorithm) ^ TEXT, value);
    this.probe(outHi, outLo);
    return this.found.length > 0;
  }

  /** True when the indicator is held here. */
  has(id: string): boolean {
    return this.findHandle(id) !== undefined;
  }

  private hashTag(algorithm: string): number {
    let tag = this.hashTags.get(algorithm);
    if (tag === undefined) {
      tag = tagOf(`file:hashes.${algorithm}`);
      this.hashTags.set(algorithm, tag);
    }
    return tag;
  }

  private lookUpRoot(root: StixObject): void {
    const type = root.type;
    if (typeof type !== 'string') return;
    if (TEXT_TYPES.has(type)) {
      const value = hasOwn(root, 'value') ? root.value : undefined;
      if (typeof value !== 'string') return;
      hashText(valueTag(type) ^ TEXT, value);
      this.probe(outHi, outLo);
    } else if (IP_TYPES.has(type)) {
      const value = hasOwn(root, 'value') ? root.value : undefined;
      if (typeof value === 'string') this.lookUpAddress(type, value);
    } else if (type === 'file' && hasOwn(root, 'hashes')) {
      const hashes = root.hashes;
      if (typeof hashes !== 'object' || hashes === null || Array.isArray(hashes)) return;
      for (const algo of Object.keys(hashes)) {
        const value = (hashes as Record<string, unknown>)[algo];
        if (typeof value !== 'string' || !isHexHash(algo)) continue;
        hashLowerText(this.hashTag(algo) ^ TEXT, value);
        this.probe(outHi, outLo);
      }
    }
  }

  private lookUpAddress(type: string, value: string): void {
    const slot = valueTag(type);
    const blocks = this.blockPrefixes.get(type);
    if (!value.includes(':')) {
      const quad = dottedQuad(value);
      const v4 = quad >= 0 ? { bits: quad, prefix: 32 } : value.includes('/') ? parseIpv4(value) : undefined;
      if (v4 === undefined) return;
      if (v4.prefix === 32) {
        hashV4(slot ^ ADDRESS, v4.bits, 32);
        this.probe(outHi, outLo);
      }
      for (const p of blocks?.v4 ?? []) {
        if (p > v4.prefix) break;
        hashV4(slot ^ BLOCK, v4.bits, p);
        this.probe(outHi, outLo);
      }
      return;
    }
    const c = parseCidr(value);
    if (c === undefined) return;
    if (c.prefix === (c.version === 4 ? 32 : 128)) {
      hashCidr(slot ^ ADDRESS, c, c.prefix);
      this.probe(outHi, outLo);
    }
    for (const p of (c.version === 4 ? blocks?.v4 : blocks?.v6) ?? []) {
      if (p > c.prefix) break;
      hashCidr(slot ^ BLOCK, c, p);
      this.probe(outHi, outLo);
    }
  }

  /** Collects the live handles stored under (hi, lo). */
  private probe(hi: number, lo: number): void {
    const keys = this.keys;
    const cap = this.keyCapacity;
    let i = Math.floor((lo / V4_WIDTH) * cap);
    for (;;) {
      const h = keys[3 * i + 2] as number;
      if (h === 0) return;
      if (keys[3 * i] === hi && keys[3 * i + 1] === lo) {
        const s = this.state[h - 1];
        if (s === LIVE_UUID || s === LIVE_OTHER) this.found.push(h - 1);
      }
      i = i + 1 === cap ? 0 : i + 1;
    }
  }

  private insertKey(hi: number, lo: number, handle: number): void {
    if (this.keyCount + 1 > this.keyCapacity * 0.8) this.rehashKeys(this.keyCapacity * 2);
    place(this.keys, this.keyCapacity, hi, lo, handle + 1);
    this.keyCount++;
  }

  private countLiveKeys(): number {
    let n = 0;
    for (let i = 0; i < this.keyCapacity; i++) {
      const h = this.keys[3 * i + 2] as number;
      if (h !== 0 && this.state[h - 1] !== FREE) n++;
    }
    return n;
  }

  /** Rebuilds the key table at `capacity`, dropping keys of freed handles. */
  private rehashKeys(capacity: number): void {
    const old = this.keys;
    const oldCapacity = this.keyCapacity;
    this.keys = new Uint32Array(3 * capacity);
    this.keyCapacity = capacity;
    this.keyCount = 0;
    for (let i = 0; i < oldCapacity; i++) {
      const h = old[3 * i + 2] as number;
      if (h === 0 || this.state[h - 1] === FREE) continue;
      place(this.keys, capacity, old[3 * i] as number, old[3 * i + 1] as number, h);
      this.keyCount++;
    }
  }

  private newHandle(id: string): number {
    // Grown before the new handle is live, or the rebuild would place it twice.
    if (this.idCount + 1 > this.ids.length * 0.8) this.rehashIds(this.ids.length * 2);
    const reused = this.free.pop();
    const handle = reused ?? this.handles++;
    if (handle >= this.state.length) {
      const state = new Uint8Array(this.state.length * 2);
      state.set(this.state);
      this.state = state;
      const uuids = new Uint32Array(this.uuids.length * 2);
      uuids.set(this.uuids);
      this.uuids = uuids;
    }
    const m = UUID_ID.exec(id);
    if (m === null) {
      this.state[handle] = LIVE_OTHER;
      this.otherIds.set(handle, id);
    } else {
      this.state[handle] = LIVE_UUID;
      const w = (i: number): number => parseInt(m[i] as string, 16);
      this.uuids.set([w(1), w(2) * 0x10000 + w(3), w(4) * 0x10000 + w(5), w(6)], 4 * handle);
    }
    this.live++;
    hashText(0, id);
    placeId(this.ids, outLo, handle + 1);
    this.idCount++;
    return handle;
  }

  private findHandle(id: string): number | undefined {
    hashText(0, id);
    const cap = this.ids.length;
    for (let i = Math.floor((outLo / V4_WIDTH) * cap); ; i = i + 1 === cap ? 0 : i + 1) {
      const h = this.ids[i] as number;
      if (h === 0) return undefined;
      const s = this.state[h - 1];
      if ((s === LIVE_UUID || s === LIVE_OTHER) && this.idOf(h - 1) === id) return h - 1;
    }
  }

  /** Rebuilds the id table at `capacity` from the live handles. */
  private rehashIds(capacity: number): void {
    this.ids = new Uint32Array(capacity);
    this.idCount = 0;
    for (let h = 0; h < this.handles; h++) {
      const s = this.state[h];
      if (s !== LIVE_UUID && s !== LIVE_OTHER) continue;
      hashText(0, this.idOf(h));
      placeId(this.ids, outLo, h + 1);
      this.idCount++;
    }
  }

  private idOf(handle: number): string {
    if (this.state[handle] !== LIVE_UUID) return this.otherIds.get(handle) as string;
    const u = this.uuids;
    const b = 4 * handle;
    const w1 = u[b + 1] as number;
    const w2 = u[b + 2] as number;
    return `indicator--${hex(u[b] as number, 8)}-${hex(w1 >>> 16, 4)}-${hex(w1 & 0xffff, 4)}-${hex(w2 >>> 16, 4)}-${hex(w2 & 0xffff, 4)}${hex(u[b + 3] as number, 8)}`;
  }
}

function place(keys: Uint32Array, capacity: number, hi: number, lo: number, handlePlusOne: number): void {
  let i = Math.floor((lo / V4_WIDTH) * capacity);
  while (keys[3 * i + 2] !== 0) i = i + 1 === capacity ? 0 : i + 1;
  keys[3 * i] = hi;
  keys[3 * i + 1] = lo;
  keys[3 * i + 2] = handlePlusOne;
}

function placeId(ids: Uint32Array, lo: number, handlePlusOne: number): void {
  const capacity = ids.length;
  let i = Math.floor((lo / V4_WIDTH) * capacity);
  while (ids[i] !== 0) i = i + 1 === capacity ? 0 : i + 1;
  ids[i] = handlePlusOne;
}

/**
 * Simple IOCs in a CompactIocIndex, every other pattern in a PatternIndex, behind the one
 * `match(observation)` contract: the ids of the matching indicators (the compact index's first).
 */
export class IndicatorIndex {
  readonly general = new PatternIndex();
  /** Ids of the indicators held in `general` through `add`. */
  private readonly generalIds = new Set<string>();

  /** `simple` may be a view of a shared index (`CompactIocIndex.fromShared`), for a worker thread. */
  constructor(readonly simple: CompactIocIndex = new CompactIocIndex()) {}

  /** Number of indicators held. */
  get size(): number {
    return this.simple.size + this.general.size;
  }

  /** Adds (or replaces) an indicator's pattern; throws ENTENTE_PATTERN_INVALID for bad text. */
  add(id: string, pattern: string | PatternExpression): void {
    const ast = typeof pattern === 'string' ? parsePattern(pattern) : pattern;
    if (this.simple.add(id, ast)) {
      this.general.remove(id);
      this.generalIds.delete(id);
    } else {
      this.simple.remove(id);
      this.general.add(id, ast);
      this.generalIds.add(id);
    }
  }

  /** Ids of the indicators that are not simple IOCs (held in `general`). */
  generalIndicators(): string[] {
    return [...this.generalIds];
  }

  /** Removes an indicator; false when it was not there. */
  remove(id: string): boolean {
    const a = this.simple.remove(id);
    this.generalIds.delete(id);
    return this.general.remove(id) || a;
  }

  /** Trims the compact index after a bulk load or many removals. */
  compact(): void {
    this.simple.compact();
  }

  match(observation: Observation): string[] {
    const out = this.simple.match(observation);
    if (this.general.size === 0) return out;
    for (const id of this.general.match(observation)) out.push(id);
    return out;
  }
}
