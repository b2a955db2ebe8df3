/**
 * Answers "is this value on a warninglist?" fast enough to run on every match: CIDR blocks by a
 * lookup per prefix length in use (at most 33 or 129 map probes, not a scan of the ranges),
 * domains by walking up their parent suffixes, exact values and hashes by one map probe.
 */
import { networkBits, parseCidr, parseIpv4, type Cidr } from '../pattern/ip.js';
import { DEFAULT_TYPES, type TypedValue, type ValueType, type Warninglist, type WarninglistHit } from './types.js';

interface Tables {
  /** Prefix length → network bits (as a number for IPv4, hex for IPv6) → hit. */
  readonly v4: Map<number, Map<number, WarninglistHit>>;
  readonly v6: Map<number, Map<string, WarninglistHit>>;
  readonly suffixes: Map<string, WarninglistHit>;
  readonly exact: Map<string, WarninglistHit>;
  readonly hashes: Map<string, WarninglistHit>;
}

function emptyTables(): Tables {
  return { v4: new Map(), v6: new Map(), suffixes: new Map(), exact: new Map(), hashes: new Map() };
}

/** `Example.COM.`, `*.example.com` and `.example.com` all name the suffix `example.com`. */
export function normaliseDomain(text: string): string {
  return text.trim().toLowerCase().replace(/^\*?\./, '').replace(/\.$/, '');
}

function setOnce<K>(map: Map<K, WarninglistHit>, key: K, hit: WarninglistHit): void {
  if (!map.has(key)) map.set(key, hit);
}

export class WarninglistMatcher {
  /** Tables per value type, so that a list applies only to the types it names. */
  readonly #byType = new Map<ValueType, Tables>();
  readonly #v4Prefixes = new Map<ValueType, number[]>();
  readonly #v6Prefixes = new Map<ValueType, number[]>();
  readonly lists: ReadonlyArray<Warninglist>;

  /** Lists are consulted in order: when two lists hold a value, the first one is the reason. */
  constructor(lists: ReadonlyArray<Warninglist>) {
    this.lists = lists;
    for (const list of lists) {
      for (const type of list.types ?? DEFAULT_TYPES[list.kind]) {
        let tables = this.#byType.get(type);
        if (tables === undefined) {
          tables = emptyTables();
          this.#byType.set(type, tables);
        }
        for (const entry of list.entries) add(tables, list, entry);
      }
    }
    for (const [type, tables] of this.#byType) {
      this.#v4Prefixes.set(type, [...tables.v4.keys()].sort((a, b) => a - b));
      this.#v6Prefixes.set(type, [...tables.v6.keys()].sort((a, b) => a - b));
    }
  }

  get size(): number {
    return this.lists.length;
  }

  /** The list and entry covering `value` read as `type`, or undefined when it is on none. */
  match(type: ValueType, value: string): WarninglistHit | undefined {
    const tables = this.#byType.get(type);
    if (tables === undefined) return undefined;
    const exact = tables.exact.get(value) ?? tables.exact.get(value.toLowerCase());
    if (exact !== undefined) return exact;
    switch (type) {
      case 'ipv4-addr':
      case 'ipv6-addr':
        return this.#address(type, tables, value);
      case 'domain-name':
        return suffixOf(tables, value);
      case 'email-addr': {
        const at = value.lastIndexOf('@');
        return at < 0 ? undefined : suffixOf(tables, value.slice(at + 1));
      }
      case 'url': {
        const host = urlHost(value);
        if (host === undefined) return undefined;
        return parseCidr(host) !== undefined ? this.#address(type, tables, host) : suffixOf(tables, host);
      }
      case 'file-hash':
        return tables.hashes.get(value.toLowerCase());
    }
  }

  /** `match` for a typed value. */
  matchValue(v: TypedValue): WarninglistHit | undefined {
    return this.match(v.type, v.value);
  }

  #address(type: ValueType, tables: Tables, text: string): WarninglistHit | undefined {
    const v4 = parseIpv4(text);
    if (v4 !== undefined) {
      // A block is covered when a listed block of the same or a shorter prefix holds it.
      for (const prefix of this.#v4Prefixes.get(type) ?? []) {
        if (prefix > v4.prefix) break;
        const hit = tables.v4.get(prefix)?.get(Math.floor(v4.bits / 2 ** (32 - prefix)));
        if (hit !== undefined) return hit;
      }
      return undefined;
    }
    const cidr = parseCidr(text);
    if (cidr === undefined || cidr.version !== 6) return undefined;
    for (const prefix of this.#v6Prefixes.get(type) ?? []) {
      if (prefix > cidr.prefix) break;
      const hit = tables.v6.get(prefix)?.get(networkBits(cidr, prefix).toString(16));
      if (hit !== undefined) return hit;
    }
    return undefined;
  }
}

function add(tables: Tables, list: Warninglist, entry: string): void {
  const hit: WarninglistHit = { list: list.name, entry };
  switch (list.kind) {
    case 'cidr': {
      const cidr = parseCidr(entry.trim()) as Cidr;
      if (cidr.version === 4) {
        const bits = Math.floor(Number(cidr.bits) / 2 ** (32 - cidr.prefix));
        let byNetwork = tables.v4.get(cidr.prefix);
        if (byNetwork === undefined) tables.v4.set(cidr.prefix, (byNetwork = new Map()));
        setOnce(byNetwork, bits, hit);
      } else {
        let byNetwork = tables.v6.get(cidr.prefix);
        if (byNetwork === undefined) tables.v6.set(cidr.prefix, (byNetwork = new Map()));
        setOnce(byNetwork, networkBits(cidr, cidr.prefix).toString(16), hit);
      }
      return;
    }
    case 'domain-suffix': setOnce(tables.suffixes, normaliseDomain(entry), hit); return;
    case 'exact': setOnce(tables.exact, entry, hit); setOnce(tables.exact, entry.toLowerCase(), hit); return;
    case 'hash': setOnce(tables.hashes, entry.trim().toLowerCase(), hit); return;
  }
}

/** Tries the name, then each parent (`a.b.example.com`, `b.example.com`, `example.com`, `com`). */
function suffixOf(tables: Tables, domain: string): WarninglistHit | undefined {
  if (tables.suffixes.size === 0) return undefined;
  let name = normaliseDomain(domain);
  for (;;) {
    const hit = tables.suffixes.get(name);
    if (hit !== undefined) return hit;
    const dot = name.indexOf('.');
    if (dot < 0) return undefined;
    name = name.slice(dot + 1);
  }
}

/** The host of an absolute URL, without port or IPv6 brackets; undefined when there is none. */
export function urlHost(url: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(url.trim());
  const host = m?.[1];
  if (host === undefined || host === '') return undefined;
  return host.startsWith('[') ? host.slice(1, -1) : host.toLowerCase();
}
