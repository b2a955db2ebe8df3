import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EntenteError } from '../errors.js';
import { lineAndColumn, parseJson } from './parse-json.js';
import { locateSyntaxError } from './locate-syntax-error.js';

function failure(text: string, options?: Parameters<typeof parseJson>[1]): EntenteError {
  try {
    parseJson(text, options);
  } catch (error) {
    if (error instanceof EntenteError) return error;
    throw error;
  }
  throw new Error('parseJson accepted the text');
}

describe('parseJson', () => {
  it('returns the value of well-formed JSON', () => {
    expect(parseJson('{"a":[1,"x",null,true]}')).toEqual({ a: [1, 'x', null, true] });
  });

  it('ignores a leading byte order mark', () => {
    expect(parseJson('\uFEFF{"type":"bundle"}')).toEqual({ type: 'bundle' });
  });

  it('reports line and column of a fault V8 locates', () => {
    const error = failure('{\n  "a": 1\n  "b": 2\n}');
    expect(error.code).toBe('ENTENTE_JSON_MALFORMED');
    expect(error.message).toContain('line 3, column 3');
  });

  it('locates faults for which V8 gives no position (unexpected token)', () => {
    const error = failure('{\n  "a": 1,\n  "b": ]\n}');
    expect(error.message).toContain('line 3, column 8');
    expect(error.message).not.toContain('is not valid JSON');
  });

  it('reports a trailing comma in an array at the closing bracket', () => {
    expect(failure('[1,2,]').message).toContain('line 1, column 6');
  });

  it('reports truncated input at its end and names the source', () => {
    const error = failure('{"a": [1, 2', { source: 'feed.json' });
    expect(error.message).toContain('feed.json');
    expect(error.message).toContain('line 1, column 12');
  });

  it('reports an empty body as malformed', () => {
    expect(failure('').code).toBe('ENTENTE_JSON_MALFORMED');
  });

  it('refuses nesting beyond maxDepth with the path of the first container too deep', () => {
    const error = failure('{"objects":[{"x":{"y":[[1]]}}]}', { maxDepth: 4 });
    expect(error.code).toBe('ENTENTE_JSON_TOO_DEEP');
    expect(error.details[0]?.path).toBe('$.objects[0].x.y');
  });

  it('counts array positions and later keys when locating the container too deep', () => {
    expect(failure('{"a":[[1]],"b":[1,{"c":[[2]]}]}', { maxDepth: 4 }).details[0]?.path).toBe('$.b[1].c[0]');
  });

  it('accepts nesting exactly at maxDepth', () => {
    expect(parseJson('[[[1]]]', { maxDepth: 3 })).toEqual([[[1]]]);
  });

  it('ignores brackets inside strings when measuring depth', () => {
    expect(parseJson('{"a":"[[[[[[\\"{{{{"}', { maxDepth: 1 })).toEqual({ a: '[[[[[["{{{{' });
  });

  it('quotes keys that are not identifiers in the depth path', () => {
    expect(failure('{"x-y":{"a b":[]}}', { maxDepth: 2 }).details[0]?.path).toBe("$['x-y']['a b']");
  });

  it('survives a million levels of nesting without exhausting the stack', () => {
    const deep = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    const error = failure(deep);
    expect(error.code).toBe('ENTENTE_JSON_TOO_DEEP');
    expect(error.details[0]?.path).toBe(`$${'[0]'.repeat(64)}`);
  });

  it('round-trips any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
      expect(parseJson(JSON.stringify(value), { maxDepth: 100 })).toEqual(JSON.parse(JSON.stringify(value)));
    }));
  });

  it('measures the depth of any value, whatever its strings hold', () => {
    const depthOf = (v: unknown): number => (typeof v === 'object' && v !== null ? 1 + Math.max(0, ...Object.values(v).map(depthOf)) : 0);
    const text = fc.string({ unit: fc.constantFrom('[', '{', '"', '\\', 'a', ']', '}', '\u00e9') });
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(text, tie('node'), { maxKeys: 3 })),
    })).node;
    fc.assert(fc.property(value, (v) => {
      const json = JSON.stringify(v);
      const depth = depthOf(v);
      expect(parseJson(json, { maxDepth: depth })).toEqual(v);
      if (depth > 0) expect(failure(json, { maxDepth: depth - 1 }).code).toBe('ENTENTE_JSON_TOO_DEEP');
    }), { numRuns: 1000 });
  });

  it('only ever throws its two error codes, whatever the text', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', ':', ',', '1', 'a', ' ', '\n', '\\') }), (text) => {
      try {
        parseJson(text, { maxDepth: 3 });
      } catch (error) {
        expect(error).toBeInstanceOf(EntenteError);
        expect(['ENTENTE_JSON_MALFORMED', 'ENTENTE_JSON_TOO_DEEP']).toContain((error as EntenteError).code);
      }
    }));
  });
});

describe('locateSyntaxError', () => {
  it('finds nothing wrong in well-formed JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      expect(locateSyntaxError(JSON.stringify(value, null, 1))).toBeUndefined();
    }));
  });

  it('agrees with V8 on whether text is JSON', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', ':', ',', '1', '-', '.', 'e', 'true', 'null', ' ') }), (text) => {
      let v8 = true;
      try {
        JSON.parse(text);
      } catch {
        v8 = false;
      }
      expect(locateSyntaxError(text) === undefined).toBe(v8);
    }));
  });
});

describe('lineAndColumn', () => {
  it('counts lines from 1 and columns from 1', () => {
    expect(lineAndColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});
