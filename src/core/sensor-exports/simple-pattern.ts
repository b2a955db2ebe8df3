/**
 * Reduces a STIX pattern to the plain values a sensor can look for. Only a pattern that is an OR
 * of equality (or IN) comparisons on the value of an address, domain, URL or mailbox, or on a
 * file hash, says "any of these values is bad" and so means the same as a blocklist; anything
 * else (AND, qualifiers, LIKE, negation, other properties) would be widened or narrowed by the
 * export and is refused with the reason.
 */
import { printPath, type ComparisonExpression, type Literal, type ObjectPath, type PatternExpression } from '../pattern/index.js';
import { networkBits, parseCidr, type Cidr } from '../pattern/ip.js';
import type { ExportType, ExportValue } from './types.js';

export type Reduction = { readonly values: ReadonlyArray<ExportValue> } | { readonly reason: string };

const HASHES: Readonly<Record<string, { type: ExportType; length: number }>> = {
  'MD5': { type: 'md5', length: 32 },
  'SHA-1': { type: 'sha1', length: 40 },
  'SHA-256': { type: 'sha256', length: 64 },
};
const HASH_HOLDERS: ReadonlySet<string> = new Set(['file', 'artifact']);
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
const URL_SHAPE = /^[a-z][a-z0-9+.-]*:\/\/[^\s/?#]+[^\s]*$/i;

class NotExpressible extends Error {}

/** The values of a pattern, or why it cannot be exported. */
export function reducePattern(pattern: PatternExpression): Reduction {
  const values: ExportValue[] = [];
  try {
    walk(pattern, values);
  } catch (error) {
    if (error instanceof NotExpressible) return { reason: error.message };
    throw error;
  }
  return { values: dedupe(values) };
}

function walk(node: PatternExpression, out: ExportValue[]): void {
  switch (node.kind) {
    case 'observation': comparisons(node.expression, out); return;
    case 'observation-or': walk(node.left, out); walk(node.right, out); return;
    case 'qualified': throw new NotExpressible('qualifiers (WITHIN, REPEATS, START/STOP) have no equivalent in a list');
    default: throw new NotExpressible(`${node.kind === 'followed-by' ? 'FOLLOWEDBY' : 'AND'} between observations needs correlation`);
  }
}

function comparisons(node: ComparisonExpression, out: ExportValue[]): void {
  switch (node.kind) {
    case 'or': comparisons(node.left, out); comparisons(node.right, out); return;
    case 'and': throw new NotExpressible('AND inside an observation narrows the match');
    case 'exists': throw new NotExpressible('EXISTS names no value');
    case 'in':
      if (node.negated) throw new NotExpressible('NOT IN names what is not bad');
      for (const literal of node.values) out.push(valueOf(node.path, literal, false));
      return;
    case 'comparison':
      if (node.negated) throw new NotExpressible(`NOT ${node.operator} names what is not bad`);
      if (node.operator === '=') { out.push(valueOf(node.path, node.value, false)); return; }
      if (node.operator === 'ISSUBSET') { out.push(valueOf(node.path, node.value, true)); return; }
      throw new NotExpressible(`operator ${node.operator} has no equivalent in a list`);
  }
}

function valueOf(path: ObjectPath, literal: Literal, subset: boolean): ExportValue {
  const where = printPath(path);
  if (literal.kind !== 'string') throw new NotExpressible(`${where} is compared with a ${literal.kind} constant`);
  const text = literal.value.trim();
  const names = path.steps.map((s) => (s.kind === 'key' ? s.name : '*'));
  const property = names.join('.');
  if (subset && !((path.objectType === 'ipv4-addr' || path.objectType === 'ipv6-addr') && property === 'value')) {
    throw new NotExpressible(`ISSUBSET on ${where} has no equivalent in a list`);
  }
  if ((path.objectType === 'ipv4-addr' || path.objectType === 'ipv6-addr') && property === 'value') {
    const cidr = parseCidr(text);
    if (cidr === undefined || cidr.version !== (path.objectType === 'ipv4-addr' ? 4 : 6)) throw new NotExpressible(`"${text}" is not a valid ${path.objectType} value`);
    const full = cidr.version === 4 ? 32 : 128;
    if (cidr.prefix === full) return { type: cidr.version === 4 ? 'ipv4' : 'ipv6', value: formatAddress(cidr) };
    return { type: 'cidr', value: `${formatAddress(networkOf(cidr))}/${cidr.prefix}` };
  }
  if (path.objectType === 'domain-name' && property === 'value') {
    const domain = text.toLowerCase().replace(/\.$/, '');
    if (!DOMAIN.test(domain)) throw new NotExpressible(`"${text}" is not a domain name`);
    return { type: 'domain', value: domain };
  }
  if (path.objectType === 'url' && property === 'value') {
    if (!URL_SHAPE.test(text)) throw new NotExpressible(`"${text}" is not an absolute URL`);
    return { type: 'url', value: text };
  }
  if (path.objectType === 'email-addr' && property === 'value') {
    const at = text.lastIndexOf('@');
    if (at <= 0 || !DOMAIN.test(text.slice(at + 1).toLowerCase()) || /\s/.test(text)) throw new NotExpressible(`"${text}" is not an e-mail address`);
    // The local part may be case-sensitive (RFC 5321 section 2.4); the domain is not.
    return { type: 'email', value: `${text.slice(0, at)}@${text.slice(at + 1).toLowerCase()}` };
  }
  if (HASH_HOLDERS.has(path.objectType) && names.length === 2 && names[0] === 'hashes') {
    const hash = HASHES[names[1] as string];
    if (hash === undefined) throw new NotExpressible(`hash ${names[1]} is not one sensors check (MD5, SHA-1, SHA-256)`);
    if (text.length !== hash.length || !/^[0-9a-f]+$/i.test(text)) throw new NotExpressible(`"${text}" is not a ${names[1]} hash`);
    return { type: hash.type, value: text.toLowerCase() };
  }
  throw new NotExpressible(`${where} is not a property sensors look for`);
}

function dedupe(values: ReadonlyArray<ExportValue>): ExportValue[] {
  const seen = new Map<string, ExportValue>();
  for (const v of values) seen.set(`${v.type} ${v.value}`, v);
  return [...seen.values()];
}

function networkOf(c: Cidr): Cidr {
  const width = c.version === 4 ? 32n : 128n;
  const shift = width - BigInt(c.prefix);
  return { ...c, bits: networkBits(c, c.prefix) << shift };
}

/** Dotted quad, or RFC 5952 text (lower case, longest run of zero groups as `::`). */
export function formatAddress(c: Cidr): string {
  if (c.version === 4) {
    const n = Number(c.bits);
    return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((c.bits >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
