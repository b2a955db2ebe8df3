/**
 * Turns a pattern AST back into canonical text: keywords in upper case, single spaces, and only
 * the parentheses that precedence requires (section 9.5.3), so `parse(print(ast))` equals `ast`.
 */
import type { ComparisonExpression, Literal, ObjectPath, PatternExpression, Qualifier } from './ast.js';
import { formatFloat } from './literals.js';

const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEYWORDS = new Set([
  'AND', 'OR', 'NOT', 'FOLLOWEDBY', 'LIKE', 'MATCHES', 'ISSUPERSET', 'ISSUBSET', 'EXISTS', 'LAST', 'IN',
  'START', 'STOP', 'SECONDS', 'TRUE', 'FALSE', 'WITHIN', 'REPEATS', 'TIMES',
]);

const OBSERVATION_PRECEDENCE = { 'followed-by': 1, 'observation-or': 2, 'observation-and': 3 } as const;
const OBSERVATION_KEYWORD = { 'followed-by': 'FOLLOWEDBY', 'observation-or': 'OR', 'observation-and': 'AND' } as const;

/** Canonical text of a pattern. */
export function printPattern(node: PatternExpression): string {
  return printObservation(node, 0);
}

function printObservation(node: PatternExpression, minPrecedence: number): string {
  switch (node.kind) {
    case 'observation':
      return `[${printComparison(node.expression, 0)}]`;
    case 'qualified': {
      const operand = node.operand.kind === 'observation'
        ? printObservation(node.operand, 0)
        : `(${printObservation(node.operand, 0)})`;
      return [operand, ...node.qualifiers.map(printQualifier)].join(' ');
    }
    default: {
      const precedence = OBSERVATION_PRECEDENCE[node.kind];
      const text = `${printObservation(node.left, precedence)} ${OBSERVATION_KEYWORD[node.kind]} ${printObservation(node.right, precedence + 1)}`;
      return precedence < minPrecedence ? `(${text})` : text;
    }
  }
}

function printQualifier(q: Qualifier): string {
  switch (q.kind) {
    case 'within': return `WITHIN ${Number.isInteger(q.seconds) ? String(q.seconds) : formatFloat(q.seconds)} SECONDS`;
    case 'repeats': return `REPEATS ${q.times} TIMES`;
    case 'start-stop': return `START t'${q.start}' STOP t'${q.stop}'`;
  }
}

function printComparison(node: ComparisonExpression, minPrecedence: number): string {
  switch (node.kind) {
    case 'and':
    case 'or': {
      const precedence = node.kind === 'and' ? 2 : 1;
      const text = `${printComparison(node.left, precedence)} ${node.kind.toUpperCase()} ${printComparison(node.right, precedence + 1)}`;
      return precedence < minPrecedence ? `(${text})` : text;
    }
    case 'exists':
      return `${node.negated === true ? 'NOT ' : ''}EXISTS ${printPath(node.path)}`;
    case 'in':
      return `${printPath(node.path)} ${node.negated ? 'NOT ' : ''}IN (${node.values.map(printLiteral).join(', ')})`;
    case 'comparison':
      return `${printPath(node.path)} ${node.negated ? 'NOT ' : ''}${node.operator} ${printLiteral(node.value)}`;
  }
}

/** Canonical text of an object path; keys that are not plain names, or are keywords, are quoted. */
export function printPath(path: ObjectPath): string {
  let text = `${path.objectType}:`;
  path.steps.forEach((step, i) => {
    if (step.kind === 'key') {
      const bare = BARE_KEY.test(step.name) && !KEYWORDS.has(step.name.toUpperCase());
      text += `${i === 0 ? '' : '.'}${bare ? step.name : quote(step.name)}`;
    } else {
      text += step.kind === 'any' ? '[*]' : `[${step.index}]`;
    }
  });
  return text;
}

function quote(value: string): string {
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/** Canonical text of a constant. */
export function printLiteral(literal: Literal): string {
  switch (literal.kind) {
    case 'string': return quote(literal.value);
    case 'int': return String(literal.value);
    case 'float': return formatFloat(literal.value);
    case 'bool': return literal.value ? 'true' : 'false';
    case 'binary': return `b'${literal.value}'`;
    case 'hex': return `h'${literal.value}'`;
    case 'timestamp': return `t'${literal.value}'`;
  }
}
