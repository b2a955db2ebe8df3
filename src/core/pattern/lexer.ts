/**
 * Splits STIX pattern text into tokens (STIX 2.1 section 9). Columns are 1-based UTF-16 positions
 * so that errors can point at the offending character.
 */
import type { Literal } from './ast.js';
import { decodeBase64, parseTimestamp } from './literals.js';
import { patternError } from './pattern-error.js';

export type Punctuation = '[' | ']' | '(' | ')' | ':' | '.' | ',' | '*';
export type OperatorText = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Token =
  | { readonly kind: 'punct'; readonly text: Punctuation; readonly column: number }
  | { readonly kind: 'op'; readonly text: OperatorText; readonly column: number }
  /** Identifiers and keywords; keywords are recognised by the parser where the grammar expects them. */
  | { readonly kind: 'word'; readonly text: string; readonly column: number }
  | { readonly kind: 'literal'; readonly literal: Literal; readonly column: number }
  | { readonly kind: 'end'; readonly column: number };

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const WORD_START = /[A-Za-z_]/;
const WORD_PART = /[A-Za-z0-9_-]/;
const DIGIT = /[0-9]/;
// Section 9.4: any code point with WSpace=Y delimits tokens.
const SPACE = /\s/u;

/** Turns pattern text into tokens; throws ENTENTE_PATTERN_INVALID at the first lexical error. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    const column = i + 1;
    if (SPACE.test(c)) {
      i++;
    } else if (c === '.' && DIGIT.test(text[i + 1] ?? '')) {
      // A float may omit the digits before the point (`.5`); no path step starts with a digit.
      const { literal, end } = readNumber(text, i);
      tokens.push({ kind: 'literal', literal, column });
      i = end;
    } else if ('[]():.,*'.includes(c)) {
      tokens.push({ kind: 'punct', text: c as Punctuation, column });
      i++;
    } else if (c === '=' || c === '<' || c === '>' || c === '!') {
      const two = text.slice(i, i + 2);
      if (two === '!=' || two === '<=' || two === '>=') {
        tokens.push({ kind: 'op', text: two, column });
        i += 2;
      } else if (two === '==' || two === '<>') {
        // The STIX 2.1 grammar spells equality '=' or '==' and inequality '!=' or '<>'.
        tokens.push({ kind: 'op', text: two === '==' ? '=' : '!=', column });
        i += 2;
      } else if (c === '!') {
        throw patternError(column, "expected '!=' after '!'");
      } else {
        tokens.push({ kind: 'op', text: c as OperatorText, column });
        i++;
      }
    } else if (c === "'") {
      const { value, end } = readQuoted(text, i);
      tokens.push({ kind: 'literal', literal: { kind: 'string', value }, column });
      i = end;
    } else if ((c === 'b' || c === 'h' || c === 't') && text[i + 1] === "'") {
      const { value, end } = readQuoted(text, i + 1);
      tokens.push({ kind: 'literal', literal: prefixedLiteral(c, value, column), column });
      i = end;
    } else if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < text.length && WORD_PART.test(text[j] as string)) j++;
      tokens.push({ kind: 'word', text: text.slice(i, j), column });
      i = j;
    } else if (startsNumber(text, i)) {
      const { literal, end } = readNumber(text, i);
      tokens.push({ kind: 'literal', literal, column });
      i = end;
    } else {
      throw patternError(column, `unexpected character ${JSON.stringify(c)}`);
    }
  }
  tokens.push({ kind: 'end', column: text.length + 1 });
  return tokens;
}

/** Reads `'...'` starting at the quote; only \' and \\ are escapes (section 9.2, string). */
function readQuoted(text: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === "'") return { value, end: i + 1 };
    if (c === '\\') {
      const next = text[i + 1];
      if (next !== "'" && next !== '\\') {
        throw patternError(i + 1, next === undefined
          ? 'unterminated escape at the end of the pattern'
          : `invalid escape '\\${next}': only \\' and \\\\ may be escaped in a string`);
      }
      value += next;
      i += 2;
    } else {
      value += c;
      i++;
    }
  }
  throw patternError(start + 1, 'unterminated string: expected a closing apostrophe');
}

function prefixedLiteral(prefix: 'b' | 'h' | 't', body: string, column: number): Literal {
  if (prefix === 'h') {
    if (!/^(?:[0-9a-fA-F]{2})*$/.test(body)) {
      throw patternError(column, `invalid hex constant h'${body}': expected an even number of hexadecimal digits`);
    }
    return { kind: 'hex', value: body.toLowerCase() };
  }
  if (prefix === 'b') {
    // Section 9.2: line feeds in base64 data must be accepted and ignored.
    const compact = body.replace(/[\r\n]/g, '');
    if (decodeBase64(compact) === undefined) {
      throw patternError(column, `invalid binary constant b'${body}': expected padded base64 (RFC 4648)`);
    }
    return { kind: 'binary', value: compact };
  }
  if (parseTimestamp(body) === undefined) {
    throw patternError(column, `invalid timestamp t'${body}': expected YYYY-MM-DDTHH:MM:SS[.s]Z with a real date and time`);
  }
  return { kind: 'timestamp', value: body };
}

function startsNumber(text: string, i: number): boolean {
  let j = i;
  if (text[j] === '-' || text[j] === '+') j++;
  if (text[j] === '.') j++;
  return DIGIT.test(text[j] ?? '');
}

function readNumber(text: string, start: number): { literal: Literal; end: number } {
  let i = start;
  if (text[i] === '-' || text[i] === '+') i++;
  const intStart = i;
  while (DIGIT.test(text[i] ?? '')) i++;
  const intDigits = text.slice(intStart, i);
  if (text[i] === '.') {
    const fracStart = ++i;
    while (DIGIT.test(text[i] ?? '')) i++;
    if (i === fracStart) throw patternError(fracStart + 1, 'expected digits after the decimal point');
    const value = Number(text.slice(start, i));
    return { literal: { kind: 'float', value: Object.is(value, -0) ? 0 : value }, end: checkBoundary(text, i) };
  }
  if (intDigits.length > 1 && intDigits.startsWith('0')) {
    throw patternError(intStart + 1, `invalid integer '${intDigits}': leading zeros are not allowed`);
  }
  const value = Number(text.slice(start, i));
  if (Math.abs(value) > MAX_SAFE) {
    throw patternError(start + 1, `integer ${text.slice(start, i)} is outside the STIX integer range (section 2.10)`);
  }
  return { literal: { kind: 'int', value: Object.is(value, -0) ? 0 : value }, end: checkBoundary(text, i) };
}

function checkBoundary(text: string, end: number): number {
  const next = text[end];
  if (next !== undefined && WORD_PART.test(next)) {
    throw patternError(end + 1, `unexpected ${JSON.stringify(next)} directly after a number`);
  }
  return end;
}
