/**
 * Semantic rules of STIX 2.1 section 9 that the grammar alone does not enforce.
 */
import type { Comparison, ComparisonExpression, Literal, PatternExpression, Qualifier, SetComparison } from './ast.js';
import { parseCidr } from './ip.js';
import { parseTimestamp } from './literals.js';
import { patternError } from './pattern-error.js';
import type { Positions } from './parser.js';
import { compilePcre } from './regex.js';

/** Hex digest lengths of the hash-algorithm-ov entries with a fixed size (section 10.7). */
const HASH_LENGTHS: Readonly<Record<string, number>> = {
  'MD5': 32, 'SHA-1': 40, 'SHA-256': 64, 'SHA-512': 128, 'SHA3-256': 64, 'SHA3-512': 128,
  // Common spellings without the hyphen, as found in the wild (e.g. file:hashes.SHA256).
  'SHA1': 40, 'SHA256': 64, 'SHA512': 128,
};

/** Throws ENTENTE_PATTERN_INVALID for the first rule the pattern breaks. */
export function checkPattern(ast: PatternExpression, positions: Positions): void {
  const at = (node: object, fallback = 1): number => positions.get(node) ?? fallback;
  const visit = (node: PatternExpression): void => {
    switch (node.kind) {
      case 'observation':
        checkComparisons(node.expression, positions, at(node));
        return;
      case 'qualified':
        node.qualifiers.forEach((q) => checkQualifier(q, at(q, at(node))));
        visit(node.operand);
        return;
      default:
        visit(node.left);
        visit(node.right);
    }
  };
  visit(ast);
}

function checkQualifier(q: Qualifier, column: number): void {
  if (q.kind === 'within' && !(q.seconds > 0)) {
    throw patternError(column, `WITHIN needs a positive number of seconds, not ${q.seconds} (section 9.5.1)`);
  }
  if (q.kind === 'repeats' && !(q.times > 0)) {
    throw patternError(column, `REPEATS needs a positive integer, not ${q.times} (section 9.5.1)`);
  }
  if (q.kind === 'start-stop') {
    const start = parseTimestamp(q.start);
    const stop = parseTimestamp(q.stop);
    if (start !== undefined && stop !== undefined && !(start.key < stop.key)) {
      throw patternError(column, `START t'${q.start}' must be earlier than STOP t'${q.stop}'`);
    }
  }
}

/** The object types a comparison expression can be satisfied by; AND keeps only shared ones. */
function checkComparisons(node: ComparisonExpression, positions: Positions, fallback: number): ReadonlySet<string> {
  const at = (n: object): number => positions.get(n) ?? fallback;
  switch (node.kind) {
    case 'and': {
      const left = checkComparisons(node.left, positions, fallback);
      const right = checkComparisons(node.right, positions, fallback);
      const shared = new Set([...left].filter((t) => right.has(t)));
      if (shared.size === 0) {
        throw patternError(at(node), `AND joins comparisons on different object types (${[...left].join(', ')} and ${[...right].join(', ')}); `
          + 'section 9.5 requires all operands of AND to be satisfiable by the same object: use OR, or separate observation expressions');
      }
      return shared;
    }
    case 'or':
      return new Set([...checkComparisons(node.left, positions, fallback), ...checkComparisons(node.right, positions, fallback)]);
    case 'exists':
      return new Set([node.path.objectType]);
    case 'in':
      checkSet(node, positions, at(node));
      node.values.forEach((v) => checkHash(node, v, positions.get(v) ?? at(node)));
      return new Set([node.path.objectType]);
    case 'comparison':
      checkComparison(node, positions, at(node));
      return new Set([node.path.objectType]);
  }
}

function checkComparison(node: Comparison, positions: Positions, column: number): void {
  const valueColumn = positions.get(node.value) ?? column;
  if (node.operator === '=' || node.operator === '!=') checkHash(node, node.value, valueColumn);
  if (node.operator === 'MATCHES' && node.value.kind === 'string') {
    try {
      compilePcre(node.value.value, true);
    } catch (error) {
      throw patternError(valueColumn, `the regular expression does not compile: ${(error as Error).message}`);
    }
  }
  if ((node.operator === 'ISSUBSET' || node.operator === 'ISSUPERSET') && node.value.kind === 'string') {
    // The grammar lets these operators name any path (custom objects carry addresses too); a
    // value that is not an address or block simply does not satisfy them (section 9.6.1).
    const cidr = parseCidr(node.value.value);
    if (cidr === undefined) {
      throw patternError(valueColumn, `'${node.value.value}' is not an IPv4 or IPv6 address or CIDR block`);
    }
    const last = node.path.steps[node.path.steps.length - 1];
    const ipValue = node.path.steps.length === 1 && last?.kind === 'key' && last.name === 'value';
    const expected = !ipValue ? cidr.version : node.path.objectType === 'ipv4-addr' ? 4 : node.path.objectType === 'ipv6-addr' ? 6 : cidr.version;
    if (cidr.version !== expected) {
      throw patternError(valueColumn, `'${node.value.value}' is an IPv${cidr.version} block but ${node.path.objectType} holds IPv${expected} addresses`);
    }
  }
}

function checkSet(node: SetComparison, positions: Positions, column: number): void {
  const family = (l: Literal): string => (l.kind === 'int' || l.kind === 'float' ? 'number' : l.kind);
  const first = node.values[0];
  for (const v of node.values) {
    if (first !== undefined && family(v) !== family(first)) {
      throw patternError(positions.get(v) ?? column, `the set of IN mixes ${family(first)} and ${family(v)} constants; section 9.6.1 requires one type`);
    }
  }
}

function checkHash(node: Comparison | SetComparison, value: Literal, column: number): void {
  const steps = node.path.steps;
  const alg = steps[steps.length - 1];
  const parent = steps[steps.length - 2];
  if (alg?.kind !== 'key' || parent?.kind !== 'key' || parent.name !== 'hashes' || value.kind !== 'string') return;
  const expected = HASH_LENGTHS[alg.name.toUpperCase()];
  if (expected === undefined) return;
  if (value.value.length !== expected || !/^[0-9a-fA-F]*$/.test(value.value)) {
    throw patternError(column, `'${value.value}' is not a valid ${alg.name} digest: expected ${expected} hexadecimal digits`);
  }
}
