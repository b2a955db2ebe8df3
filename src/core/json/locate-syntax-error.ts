/**
 * Where JSON text first breaks RFC 8259, for the faults whose V8 message carries no position
 * (`Unexpected token '}', "..." is not valid JSON`). Iterative, so deep nesting cannot blow the
 * stack. Returns undefined when the text is well-formed.
 */
export function locateSyntaxError(text: string): number | undefined {
  const stack: number[] = [];
  let state: 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'colon' | 'after' = 'value';
  let i = 0;
  for (;;) {
    i = skipWhitespace(text, i);
    if (state === 'after' && stack.length === 0) return i === text.length ? undefined : i;
    if (i >= text.length) return text.length;
    const c = text.charCodeAt(i);
    switch (state) {
      case 'value':
      case 'valueOrClose':
        if (state === 'valueOrClose' && c === 93) {
          stack.pop();
          state = 'after';
          i++;
        } else if (c === 123 || c === 91) {
          stack.push(c);
          state = c === 123 ? 'keyOrClose' : 'valueOrClose';
          i++;
        } else {
          const end = scanScalar(text, i);
          if (end.error) return end.at;
          i = end.at;
          state = 'after';
        }
        break;
      case 'key':
      case 'keyOrClose':
        if (state === 'keyOrClose' && c === 125) {
          stack.pop();
          state = 'after';
          i++;
        } else if (c === 34) {
          const end = scanString(text, i);
          if (end.error) return end.at;
          i = end.at;
          state = 'colon';
        } else {
          return i;
        }
        break;
      case 'colon':
        if (c !== 58) return i;
        state = 'value';
        i++;
        break;
      case 'after': {
        const top = stack[stack.length - 1];
        if (c === 44) state = top === 123 ? 'key' : 'value';
        else if ((top === 123 && c === 125) || (top === 91 && c === 93)) stack.pop();
        else return i;
        i++;
        break;
      }
    }
  }
}

interface Scan {
  readonly error: boolean;
  readonly at: number;
}

function skipWhitespace(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
    i++;
  }
  return i;
}

function scanScalar(text: string, i: number): Scan {
  const c = text.charCodeAt(i);
  if (c === 34) return scanString(text, i);
  for (const literal of ['true', 'false', 'null']) {
    if (text.startsWith(literal, i)) return { error: false, at: i + literal.length };
  }
  const number = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
  if (number !== null && number[0] !== '-' && number[0] !== '') return { error: false, at: i + number[0].length };
  return { error: true, at: i };
}

function scanString(text: string, start: number): Scan {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) return { error: false, at: i + 1 };
    if (c < 32) return { error: true, at: i };
    if (c === 92) {
      const e = text[i + 1];
      if (e === undefined) return { error: true, at: text.length };
      if (e === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return { error: true, at: i + 1 };
        i += 5;
      } else if ('"\\/bfnrt'.includes(e)) {
        i++;
      } else {
        return { error: true, at: i + 1 };
      }
    }
  }
  return { error: true, at: text.length };
}
