/**
 * Evaluation of a pattern over a set of observations (STIX 2.1 sections 9.4 to 9.6).
 *
 * Each observation expression yields bindings: which observations it used (with how many of each
 * SDO's `number_observed`), and the time bounds needed by the qualifiers. Times follow the
 * "some placement exists" reading of observed-data windows (section 9.1: when within
 * [first_observed, last_observed] the observations happened is not defined):
 * - FOLLOWEDBY holds when the right side can be placed at or after the left side;
 * - WITHIN x holds when a window of at most x seconds touches every interval (ends included);
 * - START/STOP holds when every interval meets [start, stop).
 */
import type { ComparisonExpression, PatternExpression, Qualifier } from './ast.js';
import { compareValue } from './compare.js';
import { parseTimestamp } from './literals.js';
import { resolvePath } from './object-path.js';
import type { Observation, StixObject } from './observations.js';
import { parsePattern } from './parse.js';

/** Upper bound on bindings kept per node, so that AND/REPEATS over many observations stay bounded. */
const MAX_BINDINGS = 10_000;

interface Binding {
  /** Observation index → units of its number_observed used. */
  readonly uses: ReadonlyMap<number, number>;
  readonly maxFirst: number;
  readonly minLast: number;
}

export interface MatchResult {
  readonly matched: boolean;
  /** Ids of the observed-data that took part in a match, in input order. */
  readonly observedDataIds: ReadonlyArray<string>;
}

/** True when the comparison expression holds with `root` as the starting SCO (section 9.5). */
export function testExpression(node: ComparisonExpression, root: StixObject, observation: Observation): boolean {
  switch (node.kind) {
    case 'and': return testExpression(node.left, root, observation) && testExpression(node.right, root, observation);
    case 'or': return testExpression(node.left, root, observation) || testExpression(node.right, root, observation);
    case 'exists': {
      // NOT EXISTS speaks of objects of the path's type only, like every other comparison.
      if (root.type !== node.path.objectType) return false;
      return (resolvePath(root, node.path, observation).length > 0) !== (node.negated === true);
    }
    case 'in': {
      const values = resolvePath(root, node.path, observation);
      if (values.length === 0) return false;
      const any = values.some((v) => node.values.some((value) => compareValue({ kind: 'comparison', path: node.path, operator: '=', negated: false, value }, '=', v)));
      return node.negated ? !any : any;
    }
    case 'comparison': {
      const values = resolvePath(root, node.path, observation);
      if (values.length === 0) return false;
      const any = values.some((v) => compareValue(node, node.operator, v));
      return node.negated ? !any : any;
    }
  }
}

/** True when some SCO of the observation satisfies the observation expression's comparisons. */
export function observationMatches(expression: ComparisonExpression, observation: Observation): boolean {
  return observation.roots.some((root) => testExpression(expression, root, observation));
}

/**
 * Evaluates a pattern (text or AST) over observations. Text is parsed first and may throw
 * ENTENTE_PATTERN_INVALID.
 */
export function matchPattern(pattern: PatternExpression | string, observations: ReadonlyArray<Observation>): MatchResult {
  const ast = typeof pattern === 'string' ? parsePattern(pattern) : pattern;
  const bindings = evaluate(ast, observations);
  const used = new Set<number>();
  for (const b of bindings) for (const i of b.uses.keys()) used.add(i);
  const ids = [...used].sort((a, b) => a - b).map((i) => (observations[i] as Observation).id);
  return { matched: bindings.length > 0, observedDataIds: [...new Set(ids)] };
}

function evaluate(node: PatternExpression, observations: ReadonlyArray<Observation>): Binding[] {
  switch (node.kind) {
    case 'observation': {
      const out: Binding[] = [];
      observations.forEach((o, i) => {
        if (observationMatches(node.expression, o)) {
          out.push({ uses: new Map([[i, 1]]), maxFirst: o.firstObserved, minLast: o.lastObserved });
        }
      });
      return out;
    }
    case 'observation-or':
      return dedupe([...evaluate(node.left, observations), ...evaluate(node.right, observations)]);
    case 'observation-and':
    case 'followed-by': {
      const left = evaluate(node.left, observations);
      if (left.length === 0) return [];
      const right = evaluate(node.right, observations);
      const out: Binding[] = [];
      for (const l of left) {
        for (const r of right) {
          if (node.kind === 'followed-by' && !(l.maxFirst <= r.minLast)) continue;
          const merged = merge(l, r, observations);
          if (merged !== undefined) out.push(merged);
          if (out.length >= MAX_BINDINGS) return dedupe(out);
        }
      }
      return dedupe(out);
    }
    case 'qualified': {
      let bindings = evaluate(node.operand, observations);
      for (const q of node.qualifiers) bindings = qualify(q, bindings, observations);
      return bindings;
    }
  }
}

function qualify(q: Qualifier, bindings: Binding[], observations: ReadonlyArray<Observation>): Binding[] {
  switch (q.kind) {
    case 'within':
      return bindings.filter((b) => Math.max(0, b.maxFirst - b.minLast) <= q.seconds * 1000);
    case 'start-stop': {
      const start = (parseTimestamp(q.start) as { epochMs: number }).epochMs;
      const stop = (parseTimestamp(q.stop) as { epochMs: number }).epochMs;
      return bindings.filter((b) => b.maxFirst < stop && b.minLast >= start);
    }
    case 'repeats':
      return repeat(bindings, q.times, observations);
  }
}

/** Section 9.5.1: `a REPEATS n TIMES` is `a AND a ...` n times, each on different observations. */
function repeat(bindings: Binding[], times: number, observations: ReadonlyArray<Observation>): Binding[] {
  const out: Binding[] = [];
  const walk = (from: number, depth: number, acc: Binding | undefined): void => {
    if (out.length >= MAX_BINDINGS) return;
    if (depth === times) {
      if (acc !== undefined) out.push(acc);
      return;
    }
    for (let i = from; i < bindings.length && out.length < MAX_BINDINGS; i++) {
      const b = bindings[i] as Binding;
      const next = acc === undefined ? b : merge(acc, b, observations);
      if (next !== undefined) walk(i, depth + 1, next);
    }
  };
  walk(0, 0, undefined);
  return dedupe(out);
}

function merge(a: Binding, b: Binding, observations: ReadonlyArray<Observation>): Binding | undefined {
  const uses = new Map(a.uses);
  for (const [i, n] of b.uses) {
    const total = (uses.get(i) ?? 0) + n;
    if (total > (observations[i] as Observation).numberObserved) return undefined;
    uses.set(i, total);
  }
  return { uses, maxFirst: Math.max(a.maxFirst, b.maxFirst), minLast: Math.min(a.minLast, b.minLast) };
}

function dedupe(bindings: Binding[]): Binding[] {
  const seen = new Set<string>();
  return bindings.filter((b) => {
    const key = [...b.uses].sort((x, y) => x[0] - y[0]).map(([i, n]) => `${i}x${n}`).join(',');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
