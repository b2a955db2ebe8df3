/**
 * Comparison semantics (STIX 2.1 sections 9.6.1 to 9.6.4): type compatibility, code point string
 * order, binary/hex/string conversions, LIKE, MATCHES and the CIDR set operators.
 */
import type { Comparison, ComparisonOperator, Literal } from './ast.js';
import { cidrContains, cidrKey, parseCidr } from './ip.js';
import {
  compareBytes, compareCodePoints, compareInstants, decodeBase64, decodeHex, latin1Bytes, literalBytes, parseTimestamp,
  type Instant,
} from './literals.js';
import type { PathValue } from './object-path.js';
import { compilePcre } from './regex.js';

const bytesCache = new WeakMap<Literal, Uint8Array | null>();
const instantCache = new WeakMap<Literal, Instant | null>();
const regexCache = new WeakMap<Comparison, { unicode?: RegExp | null; binary?: RegExp | null }>();

function cached<K extends object, V>(cache: WeakMap<K, V | null>, key: K, make: () => V | undefined): V | undefined {
  let value = cache.get(key);
  if (value === undefined) {
    value = make() ?? null;
    cache.set(key, value);
  }
  return value ?? undefined;
}

/** True for properties of the binary or hex type, recognised by their suffix (section 9.6.4). */
/**
 * Hash algorithms whose values are hexadecimal (STIX 2.1 hash-algorithm-ov and section 10.x):
 * `a1B2` and `A1b2` are the same digest, so they compare without regard to case. SSDEEP and
 * other encodings are compared as written.
 */
const HEX_HASH_NAMES = ['MD5', 'SHA-1', 'SHA-224', 'SHA-256', 'SHA-384', 'SHA-512', 'SHA3-224', 'SHA3-256', 'SHA3-384', 'SHA3-512', 'TLSH'];
// Both spellings in the set: this runs for every string value an observation offers the index.
const HEX_HASHES: ReadonlySet<string> = new Set([...HEX_HASH_NAMES, ...HEX_HASH_NAMES.map((n) => n.toLowerCase())]);

/** Whether a property holds a hexadecimal hash, compared without regard to case. */
export function isHexHash(property: string): boolean {
  return HEX_HASHES.has(property);
}

export function isBinaryProperty(property: string): boolean {
  return property.endsWith('_bin') || property.endsWith('_hex');
}

function propertyBytes(v: PathValue): Uint8Array | undefined {
  if (typeof v.value !== 'string') return undefined;
  if (v.property.endsWith('_bin')) return decodeBase64(v.value.replace(/[\r\n]/g, ''));
  if (v.property.endsWith('_hex')) return decodeHex(v.value);
  return latin1Bytes(v.value);
}

/** True when the value is the `value` of an ipv4-addr or ipv6-addr object. */
export function isIpValue(v: PathValue): boolean {
  return v.property === 'value' && (v.holderType === 'ipv4-addr' || v.holderType === 'ipv6-addr');
}

/**
 * Orders the property value against the constant: negative, zero, positive, or undefined when
 * the types are not comparable (section 9.6.1: then only != holds).
 */
export function order(literal: Literal, v: PathValue): number | undefined {
  switch (literal.kind) {
    case 'string': {
      if (typeof v.value !== 'string') return undefined;
      if (isBinaryProperty(v.property)) {
        const a = propertyBytes(v);
        const b = latin1Bytes(literal.value);
        return a === undefined || b === undefined ? undefined : compareBytes(a, b);
      }
      if (isIpValue(v)) {
        // 10.0.0.1 and 10.0.0.1/32 name the same address (section 6.4); equality follows that.
        const a = parseCidr(v.value);
        const b = parseCidr(literal.value);
        if (a !== undefined && b !== undefined && cidrKey(a) === cidrKey(b)) return 0;
      }
      if (isHexHash(v.property)) return compareCodePoints(v.value.toLowerCase(), literal.value.toLowerCase());
      return compareCodePoints(v.value, literal.value);
    }
    case 'int':
    case 'float':
      return typeof v.value === 'number' ? Math.sign(v.value - literal.value) : undefined;
    case 'bool':
      return typeof v.value === 'boolean' ? (v.value === literal.value ? 0 : 1) : undefined;
    case 'binary':
    case 'hex': {
      const b = cached(bytesCache, literal, () => literalBytes(literal));
      const a = propertyBytes(v);
      return a === undefined || b === undefined ? undefined : compareBytes(a, b);
    }
    case 'timestamp': {
      const b = cached(instantCache, literal, () => parseTimestamp(literal.value));
      const a = typeof v.value === 'string' ? parseTimestamp(v.value) : undefined;
      return a === undefined || b === undefined ? undefined : compareInstants(a, b);
    }
  }
}

/** The text LIKE and MATCHES look at: NFC-normalised strings, or binary data as U+0000..U+00FF. */
function matchText(v: PathValue): { text: string; binary: boolean } | undefined {
  if (typeof v.value !== 'string') return undefined;
  if (isBinaryProperty(v.property)) {
    const bytes = propertyBytes(v);
    return bytes === undefined ? undefined : { text: Buffer.from(bytes).toString('latin1'), binary: true };
  }
  return { text: v.value.normalize('NFC'), binary: false };
}

/** Regular expression equivalent of a LIKE pattern: % is any run, _ any one character. */
export function likeToRegExp(pattern: string, unicode: boolean): RegExp {
  let source = '';
  for (const ch of pattern.normalize('NFC')) {
    if (ch === '%') source += '[\\s\\S]*';
    else if (ch === '_') source += '[\\s\\S]';
    // `-` and `/` need no escape outside a class, and the `u` flag refuses escapes of them.
    else source += ch.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, unicode ? 'u' : '');
}

function regexFor(node: Comparison, binary: boolean): RegExp | undefined {
  let entry = regexCache.get(node);
  if (entry === undefined) {
    entry = {};
    regexCache.set(node, entry);
  }
  const slot = binary ? 'binary' : 'unicode';
  if (entry[slot] === undefined) {
    const pattern = node.value.kind === 'string' ? node.value.value : '';
    try {
      // Section 9.6: strings are compared after NFC normalisation, so the expression is normalised
      // as the value is; binary data is matched byte for byte.
      entry[slot] = node.operator === 'LIKE' ? likeToRegExp(pattern, !binary) : compilePcre(binary ? pattern : pattern.normalize('NFC'), !binary);
    } catch {
      entry[slot] = null;
    }
  }
  return entry[slot] ?? undefined;
}

/** Applies one operator (without NOT) to one value reached by the path. */
export function compareValue(node: Comparison, operator: ComparisonOperator, v: PathValue): boolean {
  switch (operator) {
    case 'LIKE':
    case 'MATCHES': {
      const target = matchText(v);
      const regex = target === undefined ? undefined : regexFor(node, target.binary);
      return target !== undefined && regex !== undefined && regex.test(target.text);
    }
    case 'ISSUBSET':
    case 'ISSUPERSET': {
      const a = typeof v.value === 'string' ? parseCidr(v.value) : undefined;
      const b = node.value.kind === 'string' ? parseCidr(node.value.value) : undefined;
      if (a === undefined || b === undefined) return false;
      return operator === 'ISSUBSET' ? cidrContains(b, a) : cidrContains(a, b);
    }
    default: {
      const c = order(node.value, v);
      if (c === undefined) return operator === '!=';
      switch (operator) {
        case '=': return c === 0;
        case '!=': return c !== 0;
        case '<': return c < 0;
        case '<=': return c <= 0;
        case '>': return c > 0;
        case '>=': return c >= 0;
      }
    }
  }
}
