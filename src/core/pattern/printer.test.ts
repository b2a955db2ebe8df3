import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EntenteError } from '../errors.js';
import type { ComparisonExpression, Literal, ObjectPath, PatternExpression, PathStep, Qualifier } from './ast.js';
import { formatFloat } from './literals.js';
import { parsePattern } from './parse.js';
import { printPattern } from './printer.js';

const objectType = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/).filter((t) => !t.endsWith('-'));
const keyName = fc.oneof(fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/), fc.string({ maxLength: 8, unit: 'binary' }));
const step: fc.Arbitrary<PathStep> = fc.oneof(
  keyName.map((name) => ({ kind: 'key' as const, name })),
  fc.nat(20).map((index) => ({ kind: 'index' as const, index })),
  fc.constant({ kind: 'any' as const }),
);
const path: fc.Arbitrary<ObjectPath> =
  fc.tuple(keyName, fc.array(step, { maxLength: 3 }))
    .filter(([first, rest]) => first !== 'hashes' && !rest.some((s) => s.kind === 'key' && s.name === 'hashes'))
    .map(([first, rest]) => ({ objectType: 'T', steps: [{ kind: 'key' as const, name: first }, ...rest] }));

const timestamp = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2999-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
const literal: fc.Arbitrary<Literal> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }).map((value) => ({ kind: 'string' as const, value })),
  fc.maxSafeInteger().map((value) => ({ kind: 'int' as const, value: value === 0 ? 0 : value })),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => ({ kind: 'float' as const, value: Object.is(value, -0) ? 0 : value })),
  fc.boolean().map((value) => ({ kind: 'bool' as const, value })),
  fc.uint8Array({ maxLength: 10 }).map((b) => ({ kind: 'binary' as const, value: Buffer.from(b).toString('base64') })),
  fc.uint8Array({ maxLength: 10 }).map((b) => ({ kind: 'hex' as const, value: Buffer.from(b).toString('hex') })),
  timestamp.map((value) => ({ kind: 'timestamp' as const, value })),
);

const leaf: fc.Arbitrary<ComparisonExpression> = fc.oneof(
  fc.record({ path: path, operator: fc.constantFrom('=' as const, '!=' as const), negated: fc.boolean(), value: literal })
    .map((c) => ({ kind: 'comparison' as const, ...c })),
  fc.record({ path: path, operator: fc.constantFrom('<' as const, '<=' as const, '>' as const, '>=' as const), negated: fc.boolean(), value: literal })
    .filter((c) => c.value.kind !== 'bool').map((c) => ({ kind: 'comparison' as const, ...c })),
  fc.record({ path: path, operator: fc.constantFrom('LIKE' as const, 'MATCHES' as const), negated: fc.boolean(), value: fc.stringMatching(/^[a-z%_ ]{0,6}$/) })
    .map((c) => ({ kind: 'comparison' as const, ...c, value: { kind: 'string' as const, value: c.value } })),
  fc.record({ path: path, negated: fc.boolean(), values: fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }) })
    .map((c) => ({ kind: 'in' as const, ...c, values: c.values.map((value) => ({ kind: 'string' as const, value })) })),
  path.map((path) => ({ kind: 'exists' as const, path })),
  path.map((path) => ({ kind: 'exists' as const, path, negated: true as const })),
);

const comparison: fc.Arbitrary<ComparisonExpression> = fc.letrec((tie) => ({
  node: fc.oneof({ maxDepth: 3, withCrossShrink: true },
    leaf,
    fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), left: tie('node'), right: tie('node') })),
})).node as fc.Arbitrary<ComparisonExpression>;

/** Comparisons are generated for a placeholder type; one observation expression uses one type. */
function withType(node: ComparisonExpression, objectType: string): ComparisonExpression {
  switch (node.kind) {
    case 'and': case 'or': return { ...node, left: withType(node.left, objectType), right: withType(node.right, objectType) };
    default: return { ...node, path: { ...node.path, objectType } };
  }
}

const qualifier: fc.Arbitrary<Qualifier> = fc.oneof(
  fc.integer({ min: 1, max: 100000 }).map((seconds) => ({ kind: 'within' as const, seconds })),
  fc.double({ min: 0.001, max: 1e6, noNaN: true }).map((seconds) => ({ kind: 'within' as const, seconds })),
  fc.integer({ min: 1, max: 50 }).map((times) => ({ kind: 'repeats' as const, times })),
  fc.tuple(timestamp, timestamp).filter(([a, b]) => a < b).map(([start, stop]) => ({ kind: 'start-stop' as const, start, stop })),
);
const qualifiers = fc.uniqueArray(qualifier, { minLength: 1, maxLength: 3, selector: (q) => q.kind });

const pattern: fc.Arbitrary<PatternExpression> = fc.letrec((tie) => ({
  node: fc.oneof({ maxDepth: 3, withCrossShrink: true },
    fc.tuple(objectType, comparison).map(([type, expression]) => ({ kind: 'observation' as const, expression: withType(expression, type) })),
    fc.record({ kind: fc.constantFrom('observation-and' as const, 'observation-or' as const, 'followed-by' as const), left: tie('node'), right: tie('node') }),
    fc.record({ operand: tie('node'), qualifiers }).map((q) => ({ kind: 'qualified' as const, ...q }))),
})).node as fc.Arbitrary<PatternExpression>;

describe('printPattern', () => {
  it('round-trips: parsing the printed text gives the same tree', () => {
    fc.assert(fc.property(pattern, (ast) => {
      expect(parsePattern(printPattern(ast))).toEqual(ast);
    }), { numRuns: 300 });
  });

  it('is canonical: printing twice gives the same text', () => {
    fc.assert(fc.property(pattern, (ast) => {
      const text = printPattern(ast);
      expect(printPattern(parsePattern(text))).toBe(text);
    }), { numRuns: 200 });
  });

  it('prints only the parentheses precedence needs', () => {
    expect(printPattern(parsePattern("([a:x = 1] AND [a:x = 2]) OR ((([a:x = 3])))"))).toBe('[a:x = 1] AND [a:x = 2] OR [a:x = 3]');
    expect(printPattern(parsePattern("[a:x = 1] AND ([a:x = 2] OR [a:x = 3])"))).toBe('[a:x = 1] AND ([a:x = 2] OR [a:x = 3])');
    expect(printPattern(parsePattern("[(a:x = 1 OR a:y = 2) AND a:z = 3]"))).toBe('[(a:x = 1 OR a:y = 2) AND a:z = 3]');
    expect(printPattern(parsePattern("[ a:x='1'  AND  a:y!=2 ]\n WITHIN 5   SECONDS"))).toBe("[a:x = '1' AND a:y != 2] WITHIN 5 SECONDS");
  });

  it('quotes keys that are keywords or not plain names', () => {
    expect(printPattern(parsePattern("[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f' AND file:'AND' = 'it\\'s']")))
      .toBe("[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f' AND file:'AND' = 'it\\'s']");
  });
});

describe('formatFloat', () => {
  it('writes floats without exponent notation and they read back exactly', () => {
    expect(formatFloat(1e21)).toBe('1000000000000000000000.0');
    expect(formatFloat(1.5e-7)).toBe('0.00000015');
    expect(formatFloat(-2)).toBe('-2.0');
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => {
      expect(Number(formatFloat(v))).toBe(Object.is(v, -0) ? -0 : v);
    }));
  });
});

describe('parsePattern on arbitrary input', () => {
  const assertOnlyPatternErrors = (text: string): void => {
    try {
      parsePattern(text);
    } catch (error) {
      expect(error).toBeInstanceOf(EntenteError);
      expect((error as EntenteError).code).toBe('ENTENTE_PATTERN_INVALID');
      expect((error as EntenteError).details[0]?.path).toMatch(/^column \d+$/);
    }
  };

  it('throws nothing but ENTENTE_PATTERN_INVALID on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), assertOnlyPatternErrors), { numRuns: 2000 });
  });

  it('throws nothing but ENTENTE_PATTERN_INVALID on mutated valid patterns', () => {
    const mutated = fc.tuple(pattern.map(printPattern), fc.nat(), fc.nat(), fc.string({ maxLength: 3 }))
      .map(([text, at, len, insert]) => text.slice(0, at % (text.length + 1)) + insert + text.slice((at % (text.length + 1)) + (len % 4)));
    fc.assert(fc.property(mutated, assertOnlyPatternErrors), { numRuns: 500 });
  });
});
