/**
 * MATCHES takes a PCRE regular expression (STIX 2.1 section 9.6.1: search semantics, DOTALL,
 * no UNICODE flag for binary properties). JavaScript regular expressions share most PCRE syntax;
 * this module rewrites the common PCRE-only forms and rejects what JavaScript cannot express.
 */

const SYNTAX = new Set('^$\\.*+?()[]{}|/-');

/** A translated expression; `unicode` false is the variant for binary properties. */
export function compilePcre(source: string, unicode: boolean): RegExp {
  let flags = 's';
  let body = source;
  const inline = /^\(\?([imsx]+)\)/.exec(body);
  if (inline !== null) {
    for (const f of inline[1] as string) {
      if (f === 'x') throw new SyntaxError('the extended flag (?x) is not supported');
      if (!flags.includes(f)) flags += f;
    }
    body = body.slice(inline[0].length);
  }
  const translated = translate(body, unicode);
  checkBacktracking(translated);
  return new RegExp(translated, unicode ? `${flags}u` : flags);
}

/** A repetition bound above which a counted quantifier is treated as unbounded. */
const LARGE_REPEAT = 16;

/**
 * Refuses expressions whose matching time can grow exponentially with the input: a repeated
 * group that itself contains a repetition (`(a+)+`, `(\w+\s?)*`, `(?:x|y+){2,}`). Patterns come
 * from allies and are evaluated against every event of the node's sensors, and JavaScript
 * regular expressions backtrack without a time limit, so one such expression could stall
 * detection (the classic ReDoS). The rule is conservative: it also refuses some nested forms
 * that happen to be safe; those can always be written without the nesting. It does not see
 * overlapping alternatives under one repetition (`(a|a?)+`), the other, rarer, source.
 */
export function checkBacktracking(source: string): void {
  const groups: Array<{ repeats: boolean }> = [{ repeats: false }];
  let lastGroup: { repeats: boolean } | undefined;
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (c === '\\') {
      i += source[i + 1] === 'u' && source[i + 2] === '{' ? source.indexOf('}', i) + 1 : 2;
      lastGroup = undefined;
      continue;
    }
    if (c === '[') {
      i++;
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      i++;
      lastGroup = undefined;
      continue;
    }
    if (c === '(') {
      groups.push({ repeats: false });
      lastGroup = undefined;
      i++;
      continue;
    }
    if (c === ')') {
      // An unbalanced parenthesis is left for RegExp to report as the syntax error it is.
      if (groups.length === 1) return;
      lastGroup = groups.pop();
      const parent = groups[groups.length - 1];
      if (lastGroup !== undefined && parent !== undefined && lastGroup.repeats) parent.repeats = true;
      i++;
      continue;
    }
    const quantifier = /^(?:[*+]|\{(\d+)(,(\d*))?\})/.exec(source.slice(i, i + 12));
    if (quantifier !== null) {
      const upper = quantifier[0] === '*' || quantifier[0] === '+' ? Infinity : quantifier[2] === undefined ? Number(quantifier[1]) : quantifier[3] === '' ? Infinity : Number(quantifier[3]);
      if (upper > LARGE_REPEAT || upper === Infinity) {
        if (lastGroup?.repeats === true) {
          throw new SyntaxError(`a repeated group contains a repetition (near column ${i + 1}): matching could take exponential time; write it without the nesting`);
        }
        const current = groups[groups.length - 1];
        if (current !== undefined) current.repeats = true;
      }
      i += quantifier[0].length;
      if (source[i] === '?') i++;
      lastGroup = undefined;
      continue;
    }
    lastGroup = undefined;
    i++;
  }
}

function hexEscape(cp: number): string {
  return cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, '0')}`;
}

function translate(source: string, unicode: boolean): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (c === '(' && source.startsWith('(?P<', i)) {
      out += '(?<';
      i += 4;
    } else if (c === '(' && source.startsWith('(?P=', i)) {
      const end = source.indexOf(')', i);
      if (end < 0) throw new SyntaxError('unterminated (?P= back-reference');
      out += `\\k<${source.slice(i + 4, end)}>`;
      i = end + 1;
    } else if (c === '\\') {
      const n = source[i + 1];
      if (n === undefined) throw new SyntaxError('a backslash ends the expression');
      i += 2;
      if (n === 'A') out += '(?<![\\s\\S])';
      else if (n === 'z') out += '(?![\\s\\S])';
      else if (n === 'Z') out += '(?=\\n?(?![\\s\\S]))';
      else if (n === 'e') out += '\\x1b';
      else if (n === 'a') out += '\\x07';
      else if (n === 'Q') {
        const end = source.indexOf('\\E', i);
        const literal = end < 0 ? source.slice(i) : source.slice(i, end);
        for (const ch of literal) out += /[A-Za-z0-9]/.test(ch) ? ch : hexEscape(ch.codePointAt(0) as number);
        i = end < 0 ? source.length : end + 2;
      } else if (n === 'x' && source[i] === '{') {
        const end = source.indexOf('}', i);
        if (end < 0) throw new SyntaxError('unterminated \\x{...}');
        out += hexEscape(parseInt(source.slice(i + 1, end), 16));
        i = end + 1;
      } else if (/[A-Za-z0-9]/.test(n) || SYNTAX.has(n)) {
        out += `\\${n}`;
      } else {
        // PCRE lets any non-alphanumeric character be escaped; JavaScript's unicode mode does not.
        const cp = source.codePointAt(i - 1) as number;
        out += hexEscape(cp);
        if (cp > 0xffff) i++;
      }
    } else {
      out += c;
      i++;
    }
  }
  if (!unicode && /\\u\{/.test(out)) throw new SyntaxError('code points above U+FFFF cannot occur in binary data');
  return out;
}
