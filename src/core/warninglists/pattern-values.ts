/**
 * Which observable values a pattern names, and which values of an observation made a match:
 * the two questions warninglists put to a pattern. An indicator is suppressed only when every
 * comparison it makes is an equality (or IN, or ISSUBSET of an address block) on a value whose
 * type is known and that value is on a list; anything else (a LIKE, a port, a negation) cannot
 * be judged benign and keeps the indicator.
 */
import type { Comparison, ComparisonExpression, Exists, Literal, ObjectPath, PatternExpression, SetComparison } from '../pattern/index.js';
import type { Observation } from '../pattern/index.js';
import { compareValue } from '../pattern/compare.js';
import { parseCidr } from '../pattern/ip.js';
import { resolvePath } from '../pattern/object-path.js';
import type { WarninglistMatcher } from './matcher.js';
import type { TypedValue, ValueType, WarninglistHit } from './types.js';

const VALUE_OBJECTS: ReadonlySet<string> = new Set(['ipv4-addr', 'ipv6-addr', 'domain-name', 'url', 'email-addr']);
const REF = /_refs?$/;

type Leaf = Comparison | SetComparison | Exists;

/** The type of the values a path reaches, 'infer' when only the value can tell (after a reference). */
function pathType(path: ObjectPath): ValueType | 'infer' | undefined {
  const names = path.steps.map((s) => (s.kind === 'key' ? s.name : undefined));
  if (names.length === 2 && names[0] === 'hashes' && names[1] !== undefined) return 'file-hash';
  if (names.length === 1 && names[0] === 'value' && VALUE_OBJECTS.has(path.objectType)) return path.objectType as ValueType;
  if (names[names.length - 1] === 'value' && names.slice(0, -1).some((n) => n !== undefined && REF.test(n))) return 'infer';
  return undefined;
}

/** Reads a value's type from its shape, for values reached through a reference. */
export function inferType(value: string): ValueType | undefined {
  const cidr = parseCidr(value);
  if (cidr !== undefined) return cidr.version === 4 ? 'ipv4-addr' : 'ipv6-addr';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return 'url';
  if (/^[^@\s]+@[^@\s]+$/.test(value)) return 'email-addr';
  if (/^[a-z0-9_-]+(?:\.[a-z0-9_-]+)+\.?$/i.test(value)) return 'domain-name';
  return undefined;
}

function typed(path: ObjectPath, literal: Literal): TypedValue | undefined {
  if (literal.kind !== 'string') return undefined;
  const type = pathType(path);
  const resolved = type === 'infer' ? inferType(literal.value) : type;
  return resolved === undefined ? undefined : { type: resolved, value: literal.value };
}

function comparisonValues(node: ComparisonExpression, out: TypedValue[]): boolean {
  switch (node.kind) {
    case 'and':
    case 'or':
      return comparisonValues(node.left, out) && comparisonValues(node.right, out);
    case 'exists':
      return false;
    case 'in': {
      if (node.negated) return false;
      for (const literal of node.values) {
        const v = typed(node.path, literal);
        if (v === undefined) return false;
        out.push(v);
      }
      return true;
    }
    case 'comparison': {
      if (node.negated) return false;
      const v = typed(node.path, node.value);
      if (v === undefined) return false;
      const isBlock = node.operator === 'ISSUBSET' && (v.type === 'ipv4-addr' || v.type === 'ipv6-addr');
      if (node.operator !== '=' && !isBlock) return false;
      out.push(v);
      return true;
    }
  }
}

/**
 * Every value the pattern compares with, when all its comparisons are equalities (IN, or
 * ISSUBSET of an address block) on values of a known type; undefined otherwise.
 */
export function patternValues(pattern: PatternExpression): TypedValue[] | undefined {
  const out: TypedValue[] = [];
  const walk = (node: PatternExpression): boolean => {
    switch (node.kind) {
      case 'observation': return comparisonValues(node.expression, out);
      case 'qualified': return walk(node.operand);
      default: return walk(node.left) && walk(node.right);
    }
  };
  return walk(pattern) && out.length > 0 ? out : undefined;
}

/** The list that makes the whole indicator benign: every value it names is on one. */
export function indicatorWarninglisted(pattern: PatternExpression, matcher: WarninglistMatcher): WarninglistHit | undefined {
  const values = patternValues(pattern);
  if (values === undefined) return undefined;
  let first: WarninglistHit | undefined;
  for (const v of values) {
    const hit = matcher.matchValue(v);
    if (hit === undefined) return undefined;
    first ??= hit;
  }
  return first;
}

function collectComparisons(node: ComparisonExpression, out: Leaf[]): void {
  switch (node.kind) {
    case 'and':
    case 'or':
      collectComparisons(node.left, out);
      collectComparisons(node.right, out);
      return;
    default:
      out.push(node);
  }
}

function collectPattern(node: PatternExpression, out: Leaf[]): void {
  if (node.kind === 'observation') collectComparisons(node.expression, out);
  else if (node.kind === 'qualified') collectPattern(node.operand, out);
  else { collectPattern(node.left, out); collectPattern(node.right, out); }
}

/**
 * The observable values of one observation that satisfy some comparison of the pattern, with
 * their types (values of other types, such as ports, are left out; so are negated comparisons,
 * which are satisfied by what is absent).
 */
export function matchedValues(pattern: PatternExpression, observation: Observation): TypedValue[] {
  const comparisons: Leaf[] = [];
  collectPattern(pattern, comparisons);
  const out = new Map<string, TypedValue>();
  for (const c of comparisons) {
    if (c.kind === 'exists' || c.negated) continue;
    const type = pathType(c.path);
    if (type === undefined) continue;
    for (const root of observation.roots) {
      for (const pv of resolvePath(root, c.path, observation)) {
        if (typeof pv.value !== 'string') continue;
        const holds = c.kind === 'in'
          ? c.values.some((value) => compareValue({ kind: 'comparison', path: c.path, operator: '=', negated: false, value }, '=', pv))
          : compareValue(c, c.operator, pv);
        if (!holds) continue;
        const resolved = type === 'infer' ? (VALUE_OBJECTS.has(pv.holderType ?? '') ? pv.holderType as ValueType : inferType(pv.value)) : type;
        if (resolved !== undefined) out.set(`${resolved}\u0000${pv.value}`, { type: resolved, value: pv.value });
      }
    }
  }
  return [...out.values()];
}

/**
 * Why a match should not be reported: every observable value that made it is on a list (the
 * first such value and its list). Undefined when some matched value is not listed, or when no
 * value of a known type took part.
 */
export function matchWarninglisted(pattern: PatternExpression, observation: Observation, matcher: WarninglistMatcher): (WarninglistHit & { readonly value: string }) | undefined {
  const values = matchedValues(pattern, observation);
  let first: (WarninglistHit & { readonly value: string }) | undefined;
  for (const v of values) {
    const hit = matcher.matchValue(v);
    if (hit === undefined) return undefined;
    first ??= { ...hit, value: v.value };
  }
  return first;
}
