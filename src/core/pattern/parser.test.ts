import { describe, expect, it } from 'vitest';
import { EntenteError } from '../errors.js';
import { errorColumn } from './pattern-error.js';
import { parsePattern } from './parse.js';
import { printPattern } from './printer.js';

/** The column reported for an invalid pattern, and its message. */
function failure(text: string): { column: number | undefined; message: string } {
  try {
    parsePattern(text);
  } catch (error) {
    expect(error).toBeInstanceOf(EntenteError);
    const e = error as EntenteError;
    expect(e.code).toBe('ENTENTE_PATTERN_INVALID');
    return { column: errorColumn(e), message: e.message };
  }
  throw new Error(`expected ${text} to be rejected`);
}

describe('parsePattern: structure', () => {
  it('parses a comparison with a quoted dictionary key', () => {
    expect(parsePattern("[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']")).toEqual({
      kind: 'observation',
      expression: {
        kind: 'comparison', operator: '=', negated: false,
        path: { objectType: 'file', steps: [{ kind: 'key', name: 'hashes' }, { kind: 'key', name: 'SHA-256' }] },
        value: { kind: 'string', value: 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f' },
      },
    });
  });

  it('binds AND tighter than OR inside an observation expression', () => {
    const ast = parsePattern("[a:x = 1 OR a:y = 2 AND a:z = 3]");
    expect(ast.kind === 'observation' && ast.expression.kind).toBe('or');
    if (ast.kind === 'observation' && ast.expression.kind === 'or') expect(ast.expression.right.kind).toBe('and');
  });

  it('gives observation AND precedence over OR, and OR over FOLLOWEDBY', () => {
    const ast = parsePattern('[a:x = 1] FOLLOWEDBY [a:x = 2] OR [a:x = 3] AND [a:x = 4]');
    expect(ast.kind).toBe('followed-by');
    if (ast.kind !== 'followed-by') return;
    expect(ast.right.kind).toBe('observation-or');
    if (ast.right.kind === 'observation-or') expect(ast.right.right.kind).toBe('observation-and');
  });

  it('associates observation operators to the left', () => {
    const ast = parsePattern('[a:x = 1] FOLLOWEDBY [a:x = 2] FOLLOWEDBY [a:x = 3]');
    expect(ast.kind === 'followed-by' && ast.left.kind).toBe('followed-by');
  });

  it('applies a qualifier to the preceding observation expression only (section 9.5.2)', () => {
    const ast = parsePattern("[a:b = 'b'] FOLLOWEDBY [c:d = 'd'] REPEATS 5 TIMES");
    expect(ast.kind).toBe('followed-by');
    if (ast.kind === 'followed-by') expect(ast.right).toMatchObject({ kind: 'qualified', qualifiers: [{ kind: 'repeats', times: 5 }] });
  });

  it('applies a qualifier after parentheses to the whole group', () => {
    const ast = parsePattern("([a:b = 'b'] AND [c:d = 'd']) REPEATS 5 TIMES WITHIN 300.5 SECONDS");
    expect(ast).toMatchObject({ kind: 'qualified', operand: { kind: 'observation-and' }, qualifiers: [{ kind: 'repeats' }, { kind: 'within', seconds: 300.5 }] });
  });

  it('reads every literal type', () => {
    const values = (text: string): unknown => {
      const ast = parsePattern(`[x-custom:v IN (${text})]`);
      return ast.kind === 'observation' && ast.expression.kind === 'in' ? ast.expression.values : undefined;
    };
    expect(values("'it''s'".replace("''", "\\'"))).toEqual([{ kind: 'string', value: "it's" }]);
    expect(values("'a\\\\b'")).toEqual([{ kind: 'string', value: 'a\\b' }]);
    expect(values('-12, 0, 7')).toEqual([{ kind: 'int', value: -12 }, { kind: 'int', value: 0 }, { kind: 'int', value: 7 }]);
    expect(values('1.5, -.25, +3.0')).toEqual([{ kind: 'float', value: 1.5 }, { kind: 'float', value: -0.25 }, { kind: 'float', value: 3 }]);
    expect(values('.75, +.5')).toEqual([{ kind: 'float', value: 0.75 }, { kind: 'float', value: 0.5 }]);
    expect(values('true, false')).toEqual([{ kind: 'bool', value: true }, { kind: 'bool', value: false }]);
    expect(values("b'ABI='")).toEqual([{ kind: 'binary', value: 'ABI=' }]);
    expect(values("h'FFc3'")).toEqual([{ kind: 'hex', value: 'ffc3' }]);
    expect(values("t'2014-01-13T07:03:17.123Z'")).toEqual([{ kind: 'timestamp', value: '2014-01-13T07:03:17.123Z' }]);
    expect(values('')).toEqual([]);
  });

  it('reads list indexes, [*], reference chains and extension paths', () => {
    const ast = parsePattern("[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0 AND file:x[2].y_ref.value = 'a']");
    expect(ast).toMatchObject({ expression: { left: { path: { steps: [
      { kind: 'key', name: 'extensions' }, { kind: 'key', name: 'windows-pebinary-ext' }, { kind: 'key', name: 'sections' }, { kind: 'any' }, { kind: 'key', name: 'entropy' },
    ] } }, right: { path: { steps: [{ name: 'x' }, { kind: 'index', index: 2 }, { name: 'y_ref' }, { name: 'value' }] } } } });
  });

  it('reads NOT before every operator and EXISTS', () => {
    for (const op of ["= 'a'", "!= 'a'", '< 3', '<= 3', '> 3', '>= 3', "IN ('a')", "LIKE 'a%'", "MATCHES '^a'"]) {
      expect(parsePattern(`[file:name NOT ${op}]`)).toMatchObject({ expression: { negated: true } });
    }
    expect(parsePattern("[ipv4-addr:value NOT ISSUBSET '10.0.0.0/8']")).toMatchObject({ expression: { operator: 'ISSUBSET', negated: true } });
    expect(parsePattern('[EXISTS windows-registry-key:values]')).toMatchObject({ expression: { kind: 'exists' } });
    expect(parsePattern('[NOT EXISTS windows-registry-key:values]')).toMatchObject({ expression: { kind: 'exists', negated: true } });
  });

  it('reads == and <> as the STIX 2.1 grammar spellings of = and !=', () => {
    expect(printPattern(parsePattern("[file:name == 'a' AND file:size <> 3]"))).toBe("[file:name = 'a' AND file:size != 3]");
  });

  it('reads a decimal written without digits before the point, as a WITHIN duration too', () => {
    expect(parsePattern('[file:x = 1] WITHIN .25 SECONDS')).toMatchObject({ qualifiers: [{ kind: 'within', seconds: 0.25 }] });
  });

  it('takes ISSUBSET and ISSUPERSET on any property, custom ones included', () => {
    expect(parsePattern("[x-firewall-log:src_ip ISSUBSET '10.0.0.0/8']")).toMatchObject({ expression: { operator: 'ISSUBSET' } });
    expect(parsePattern("[x-firewall-log:rule.networks[*] NOT ISSUPERSET '2001:db8::1']")).toMatchObject({ expression: { negated: true } });
  });

  it('accepts any Unicode whitespace between tokens, including line feeds', () => {
    expect(parsePattern("\n[\tfile:name\u00a0=\r\n'x'\u2003]\n")).toMatchObject({ kind: 'observation' });
  });

  it('keeps binary line feeds out of the constant (section 9.2)', () => {
    expect(parsePattern("[artifact:payload_bin = b'AB\nI=']")).toMatchObject({ expression: { value: { kind: 'binary', value: 'ABI=' } } });
  });
});

describe('parsePattern: syntax errors carry the column and what was expected', () => {
  it.each([
    ['[file:name = ', 14, 'expected a constant'],
    ["[file:name = 'x'", 17, "expected AND, OR or ']'"],
    ["file:name = 'x'", 1, "expected '['"],
    ["[file:name === 'x']", 14, 'expected a constant'],
    ["[file:name ~ 'x']", 12, 'unexpected character'],
    ["[file:name = 'x] ", 14, 'unterminated string'],
    ["[file:name = 'a\\n']", 16, "invalid escape '\\n'"],
    ["[file:name = 'x'] AND", 22, "expected '['"],
    ["[file:name = 'x'] [file:name = 'y']", 19, 'expected AND, OR, FOLLOWEDBY'],
    ["[file:size = 007]", 14, 'leading zeros'],
    ["[file:size = 1.]", 16, 'digits after the decimal point'],
    ["[file:x = h'abc']", 11, 'invalid hex constant'],
    ["[file:x = b'AB=']", 11, 'invalid binary constant'],
    ["[file:x = t'2016-13-01T00:00:00Z']", 11, 'invalid timestamp'],
    ["[file:x = t'2016-01-01 00:00:00Z']", 11, 'invalid timestamp'],
    ["[file:parent-dir = 'x']", 7, "contains '-'"],
    ["[file:x[a] = 1]", 9, 'list index'],
    ["[file:x > true]", 11, 'cannot be ordered'],
    ["[file:x LIKE 5]", 14, 'LIKE takes a string'],
    ["[file:x = 1] WITHIN SECONDS", 21, 'number of seconds'],
    ["[file:x = 1] REPEATS 2.5 TIMES", 22, 'integer after REPEATS'],
    ["[file:x = 1] START '2016-01-01T00:00:00Z' STOP t'2016-01-02T00:00:00Z'", 20, "timestamp t'...' after START"],
    ['[file:x = 99999999999999999]', 11, 'outside the STIX integer range'],
    ["[file:x = 'a'", 14, "expected AND, OR or ']'"],
    ['', 1, "expected '['"],
  ])('%s fails at column %i', (text, column, message) => {
    const f = failure(text);
    expect(f.column).toBe(column);
    expect(f.message).toContain(message);
  });
});

describe('parsePattern: keywords are case-sensitive in STIX 2.1', () => {
  it.each([
    ["[file:name = 'x'] and [file:name = 'y']", 19, "'and' must be written AND"],
    ["[file:name = 'x'] Within 5 SECONDS", 19, "'Within' must be written WITHIN"],
    ["[file:name = 'x'] REPEATS 2 times", 29, "'times' must be written TIMES"],
    ["[file:name like 'x%']", 12, "'like' must be written LIKE"],
    ["[file:name NOT in ('x')]", 16, "'in' must be written IN"],
    ['[exists file:name]', 2, "'exists' must be written EXISTS"],
    ['[file:is_x = True]', 14, "'True' must be written true"],
  ])('%s fails at column %i', (text, column, message) => {
    const f = failure(text);
    expect(f.column).toBe(column);
    expect(f.message).toContain(message);
  });

  it('still reads lower-case words as object types and property names', () => {
    expect(printPattern(parsePattern("[network-traffic:start = 'x' AND network-traffic:in = 1]"))).toBe("[network-traffic:'start' = 'x' AND network-traffic:'in' = 1]");
  });
});

describe('parsePattern: semantic checks of section 9', () => {
  it.each([
    ["[file:x = 1] WITHIN 5 SECONDS WITHIN 6 SECONDS", 31, 'second WITHIN'],
    ["[file:x = 1] REPEATS 2 TIMES REPEATS 3 TIMES", 30, 'second REPEATS'],
    ["[file:x = 1] WITHIN 0 SECONDS", 14, 'positive number of seconds'],
    ["[file:x = 1] REPEATS 0 TIMES", 14, 'positive integer'],
    ["[file:x = 1] START t'2016-01-02T00:00:00Z' STOP t'2016-01-01T00:00:00Z'", 14, 'earlier than STOP'],
    ["[file:x = 1] START t'2016-01-01T00:00:00Z' STOP t'2016-01-01T00:00:00.000Z'", 14, 'earlier than STOP'],
    ["[file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879']", 20, 'expected 32 hexadecimal digits'],
    ["[file:hashes.'SHA-1' = 'zz']", 24, 'SHA-1 digest'],
    ["[file:hashes.'SHA-256' IN ('aec0')]", 28, 'SHA-256 digest'],
    ["[file:name MATCHES '(unclosed']", 20, 'does not compile'],
    ["[x-fw:src ISSUBSET 'example.com']", 20, 'not an IPv4 or IPv6'],
    ["[ipv4-addr:value ISSUBSET '10.0.0.0/33']", 27, 'not an IPv4 or IPv6'],
    ["[ipv4-addr:value ISSUPERSET '2001:db8::/32']", 29, 'IPv6 block but ipv4-addr'],
    ["[file:name = 'a' AND process:name = 'b']", 18, 'different object types'],
    ["[file:x IN ('a', 1)]", 18, 'mixes string and number'],
  ])('%s fails at column %i', (text, column, message) => {
    const f = failure(text);
    expect(f.column).toBe(column);
    expect(f.message).toContain(message);
  });

  it('accepts AND across types when a shared type remains (section 9.5)', () => {
    expect(() => parsePattern("[(a:x = 1 OR b:y = 2) AND a:z = 3]")).not.toThrow();
    expect(() => parsePattern("[(a:x = 1 AND a:y = 2) OR (b:m = 'Y' AND b:n = 'Z')]")).not.toThrow();
  });

  it('accepts the same qualifier again on an enclosing group', () => {
    expect(() => parsePattern('([a:x = 1] WITHIN 5 SECONDS) WITHIN 6 SECONDS')).not.toThrow();
  });

  it('accepts unknown hash algorithms and well-formed digests', () => {
    expect(() => parsePattern("[file:hashes.'x-custom' = 'abc' AND file:hashes.md5 = '001dd76872d80801692ff942308c64e6']")).not.toThrow();
  });
});

describe('parsePattern: limits for untrusted input', () => {
  it('refuses parentheses nested more than 100 deep, at the first one too many', () => {
    expect(failure(`${'('.repeat(5000)}[a:b = 1]${')'.repeat(5000)}`)).toMatchObject({ column: 101 });
    expect(failure(`[${'('.repeat(5000)}a:b = 1${')'.repeat(5000)}]`)).toMatchObject({ column: 102 });
    expect(() => parsePattern(`${'('.repeat(100)}[a:b = 1]${')'.repeat(100)}`)).not.toThrow();
  });

  it('refuses more than 1000 operands instead of exhausting the stack', () => {
    expect(failure(`[a:b = 1]${' AND [a:b = 1]'.repeat(5000)}`).message).toContain('more than 1000 operands');
    expect(failure(`[a:b = 1${' OR a:b = 1'.repeat(5000)}]`).message).toContain('more than 1000 operands');
    expect(() => parsePattern(`[a:b = 1]${' AND [a:b = 1]'.repeat(999)}`)).not.toThrow();
  });
});
