/**
 * Index keys shared by the two sides of `PatternIndex`: what a pattern requires
 * (`patternRequirement`) and what an observation offers (`observationKeys`). The invariant that
 * keeps the index sound: whenever a comparison can be true on a value, the key it requires is one
 * of the keys that value offers. Values that compare equal under section 9.6 (1 and 1.0, an
 * address with and without /32, a timestamp at different precisions, binary in base64 or hex)
 * therefore get one canonical key.
 */
import type { ComparisonExpression, Literal, ObjectPath, PatternExpression } from './ast.js';
import { isBinaryProperty, isHexHash } from './compare.js';
import { cidrKey, ipv4Key, networkBits, parseCidr, parseIpv4 } from './ip.js';
import { decodeBase64, decodeHex, latin1Bytes, literalBytes, parseTimestamp } from './literals.js';

/** Separator that cannot be confused with text in a type, path or value prefix. */
export const SEP = '\u0000';

/** One key a pattern can be found by, with an optional substring its value must contain. */
export interface RequiredKey {
  readonly key: string;
  /** The kind, type and path part of `key`: what an observation's value at that path offers. */
  readonly base: string;
  readonly kind: 'V' | 'E' | 'C' | 'S';
  /** The part of `key` after the base: the canonical value, suffix or network; '' for `V`. */
  readonly value: string;
  readonly type: string;
  /** The path's steps: property names, and `[*]` for any list step. */
  readonly steps: ReadonlyArray<string>;
  /** For LIKE/MATCHES: a literal fragment every matching value contains. */
  readonly fragment?: string;
  /** For ISSUBSET: the prefix length whose network the key names. */
  readonly subsetPrefix?: { readonly version: 4 | 6; readonly prefix: number };
}

/** Normalised text of a path: keys joined by '.', every list step written [*]. */
export function pathKey(path: ObjectPath): string {
  let text = '';
  for (const step of path.steps) {
    if (step.kind === 'key') text += text === '' ? step.name : `.${step.name}`;
    else text += '[*]';
  }
  return text;
}

function stepNames(path: ObjectPath): string[] {
  return path.steps.map((s) => (s.kind === 'key' ? s.name : '[*]'));
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** Canonical key of a literal compared with `=` on `path`; undefined when it cannot be keyed. */
function literalKey(literal: Literal, path: ObjectPath): string | undefined {
  const last = path.steps[path.steps.length - 1];
  const property = last?.kind === 'key' ? last.name : '';
  switch (literal.kind) {
    case 'string': {
      if (isBinaryProperty(property)) {
        const bytes = latin1Bytes(literal.value);
        return bytes === undefined ? undefined : `b:${hex(bytes)}`;
      }
      if (isHexHash(property)) return `s:${literal.value.toLowerCase()}`;
      const cidr = property === 'value' ? parseCidr(literal.value) : undefined;
      return cidr === undefined ? `s:${literal.value}` : `ip:${cidrKey(cidr)}`;
    }
    case 'int': case 'float': return `n:${literal.value}`;
    case 'bool': return `B:${literal.value}`;
    case 'timestamp': {
      const instant = parseTimestamp(literal.value);
      return instant === undefined ? undefined : `t:${instant.key}`;
    }
    case 'binary': case 'hex': {
      // Binary constants also equal plain strings through their code points; only binary
      // properties are keyed that way.
      const bytes = literalBytes(literal);
      return bytes === undefined || !isBinaryProperty(property) ? undefined : `b:${hex(bytes)}`;
    }
  }
}

/** The longest run of plain characters every match of a LIKE pattern contains. */
function likeFragment(pattern: string): string | undefined {
  const best = pattern.normalize('NFC').split(/[%_]/).reduce((a, b) => (b.length > a.length ? b : a), '');
  return best.length >= 3 ? best : undefined;
}

/** A literal run every match of a MATCHES expression contains; conservative, often none. */
function regexFragment(source: string): string | undefined {
  // Alternation and groups can make any run optional; only flat expressions are mined.
  if (source.includes('|') || source.includes('(')) return undefined;
  let best = '';
  let run = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (inClass) {
      if (c === '\\') i++;
      else if (c === ']') inClass = false;
      continue;
    }
    const next = source[i + 1];
    if (/[A-Za-z0-9 ]/.test(c) && !(next === '?' || next === '*' || next === '{')) {
      run += c;
      if (run.length > best.length) best = run;
      continue;
    }
    run = '';
    if (c === '\\') i++;
    else if (c === '[') inClass = true;
  }
  return best.length >= 3 ? best : undefined;
}

function leafRequirement(node: ComparisonExpression, type: string, path: ObjectPath): RequiredKey[] | undefined {
  // Every key is `<kind> SEP <type> SEP <path> [SEP <value>]`; its base stops after the path.
  const base = `${type}${SEP}${pathKey(path)}`;
  const keys = leafKeys(node, base, type, path);
  const steps = stepNames(path);
  return keys?.map((k) => ({
    ...k, base: k.key.slice(0, 2 + base.length), kind: k.key.charAt(0) as RequiredKey['kind'],
    value: k.key.slice(3 + base.length), type, steps,
  }));
}

type LeafKey = Omit<RequiredKey, 'base' | 'kind' | 'value' | 'type' | 'steps'>;

function leafKeys(node: ComparisonExpression, base: string, type: string, path: ObjectPath): LeafKey[] | undefined {
  switch (node.kind) {
    case 'exists':
      return node.negated === true ? undefined : [{ key: `V${SEP}${base}` }];
    case 'in': {
      if (node.negated) return undefined;
      const keys = node.values.map((v) => literalKey(v, path));
      return keys.every((k): k is string => k !== undefined) ? keys.map((k) => ({ key: `E${SEP}${base}${SEP}${k}` })) : undefined;
    }
    case 'comparison': {
      if (node.negated) return undefined;
      const value = node.value;
      switch (node.operator) {
        case '=': {
          const k = literalKey(value, path);
          return k === undefined ? undefined : [{ key: `E${SEP}${base}${SEP}${k}` }];
        }
        case 'LIKE': {
          if (value.kind !== 'string') return undefined;
          const suffix = /^%(\.[^%_]+)$/.exec(value.value.normalize('NFC'));
          if (suffix !== null && type === 'domain-name' && pathKey(path) === 'value') {
            return [{ key: `S${SEP}${base}${SEP}${suffix[1] as string}` }];
          }
          const fragment = isBinaryProperty(lastKey(path)) ? undefined : likeFragment(value.value);
          return [fragment === undefined ? { key: `V${SEP}${base}` } : { key: `V${SEP}${base}`, fragment }];
        }
        case 'MATCHES': {
          if (value.kind !== 'string') return undefined;
          const fragment = isBinaryProperty(lastKey(path)) ? undefined : regexFragment(value.value.normalize('NFC'));
          return [fragment === undefined ? { key: `V${SEP}${base}` } : { key: `V${SEP}${base}`, fragment }];
        }
        case 'ISSUBSET': {
          const block = value.kind === 'string' ? parseCidr(value.value) : undefined;
          if (block === undefined) return undefined;
          return [{
            key: `C${SEP}${base}${SEP}${block.version}/${block.prefix}/${networkBits(block, block.prefix).toString(16)}`,
            subsetPrefix: { version: block.version, prefix: block.prefix },
          }];
        }
        default:
          // Order comparisons, != and ISSUPERSET only require the path to hold a value.
          return [{ key: `V${SEP}${base}` }];
      }
    }
    case 'and': case 'or':
      return undefined;
  }
}

function lastKey(path: ObjectPath): string {
  const last = path.steps[path.steps.length - 1];
  return last?.kind === 'key' ? last.name : '';
}

/** Lower is more selective: exact keys beat "the path has a value" keys. */
function cost(keys: ReadonlyArray<RequiredKey>): number {
  return keys.reduce((sum, k) => sum + (k.key.startsWith('V') ? (k.fragment === undefined ? 50 : 5) : 1), 0);
}

function cheaper(a: RequiredKey[] | undefined, b: RequiredKey[] | undefined): RequiredKey[] | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return cost(b) < cost(a) ? b : a;
}

function union(a: RequiredKey[] | undefined, b: RequiredKey[] | undefined): RequiredKey[] | undefined {
  return a === undefined || b === undefined ? undefined : [...a, ...b];
}

function comparisonRequirement(node: ComparisonExpression): RequiredKey[] | undefined {
  switch (node.kind) {
    case 'and': return cheaper(comparisonRequirement(node.left), comparisonRequirement(node.right));
    case 'or': return union(comparisonRequirement(node.left), comparisonRequirement(node.right));
    default: return leafRequirement(node, node.path.objectType, node.path);
  }
}

/**
 * Keys of which any observation matching the pattern offers at least one; undefined when the
 * pattern cannot be narrowed this way (it is then evaluated against every observation).
 */
export function patternRequirement(node: PatternExpression): RequiredKey[] | undefined {
  switch (node.kind) {
    case 'observation': return comparisonRequirement(node.expression);
    case 'qualified': return patternRequirement(node.operand);
    case 'observation-or': return union(patternRequirement(node.left), patternRequirement(node.right));
    case 'observation-and':
    case 'followed-by': return cheaper(patternRequirement(node.left), patternRequirement(node.right));
  }
}

function keyOf(cidr: ReturnType<typeof parseCidr>): string | undefined {
  return cidr === undefined ? undefined : cidrKey(cidr);
}

/** What patterns want from the value at one path. */
export interface WantedKeys {
  readonly hasV: boolean;
  readonly hasE: boolean;
  readonly hasC: boolean;
  readonly hasS: boolean;
}

/** Receives the keys of an observation, per trie node `N` (the path they were found at). */
export interface KeySink<N> {
  /** `V`: the path holds a value; `text` for fragment checks. */
  present(node: N, text: string | undefined): void;
  /** `E` for a string value, by the value itself. */
  exactString(node: N, value: string): void;
  /** `E` for other canonical values (`n:`, `B:`, `b:`, `ip:`, `t:`). */
  exact(node: N, valueKey: string): void;
  /** `S`: one parent-domain suffix of a domain name, starting with '.'. */
  suffix(node: N, suffix: string): void;
  /** `C`: an address or block, for ISSUBSET lookups. */
  subset(node: N, value: string): void;
}

/**
 * Emits the keys the value at one path offers, limited to what patterns want there: `V` (the path
 * holds a value, with the text for fragment checks), exact keys for primitives, CIDR and domain
 * suffix keys for `value` properties.
 */
export function valueKeys<N extends WantedKeys>(node: N, value: unknown, property: string, holderType: string | undefined, sink: KeySink<N>): void {
  const binary = isBinaryProperty(property);
  if (node.hasV) sink.present(node, typeof value === 'string' && !binary ? value : undefined);
  const e = node.hasE;
  if (typeof value === 'string') {
    if (binary) {
      if (!e) return;
      const bytes = property.endsWith('_bin') ? decodeBase64(value.replace(/[\r\n]/g, '')) : decodeHex(value);
      if (bytes !== undefined) sink.exact(node, `b:${hex(bytes)}`);
      return;
    }
    if (e) sink.exactString(node, isHexHash(property) ? value.toLowerCase() : value);
    if (property === 'value') {
      const c = value.charCodeAt(0);
      // Only text starting like an address can parse as one; skips the parser for domains, URLs...
      const looksLikeIp = (e || node.hasC) && ((c >= 48 && c <= 57) || value.includes(':'));
      const v4 = looksLikeIp && !value.includes(':') ? parseIpv4(value) : undefined;
      const key = v4 !== undefined ? ipv4Key(v4) : looksLikeIp ? keyOf(parseCidr(value)) : undefined;
      if (key !== undefined) {
        if (e) sink.exact(node, `ip:${key}`);
        if (node.hasC) sink.subset(node, value);
      }
      if (node.hasS && holderType === 'domain-name') {
        const normal = value.normalize('NFC');
        for (let i = normal.indexOf('.'); i >= 0; i = normal.indexOf('.', i + 1)) sink.suffix(node, normal.slice(i));
      }
    } else if (node.hasC) {
      // ISSUBSET may name any property holding an address (a custom object's `src_ip`, say).
      sink.subset(node, value);
    }
    if (e && value.length >= 20 && value.charCodeAt(4) === 45 /* '-' */) {
      const instant = parseTimestamp(value);
      if (instant !== undefined) sink.exact(node, `t:${instant.key}`);
    }
  } else if (!e) {
    return;
  } else if (typeof value === 'number') {
    sink.exact(node, `n:${value}`);
  } else if (typeof value === 'boolean') {
    sink.exact(node, `B:${value}`);
  }
}
