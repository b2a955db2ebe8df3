import { EntenteError } from '../errors.js';
import { pathIndex, pathKey } from './json-path.js';
import { locateSyntaxError } from './locate-syntax-error.js';

export interface ParseJsonOptions {
  /** Deepest nesting of objects and arrays accepted; the top-level container is depth 1. */
  readonly maxDepth?: number;
  /** Named in messages, e.g. a file name or `request body`. */
  readonly source?: string;
}

const DEFAULT_MAX_DEPTH = 64;

/**
 * Parses untrusted JSON text. Malformed text throws `ENTENTE_JSON_MALFORMED` with the line and
 * column of the fault; nesting deeper than `maxDepth` throws `ENTENTE_JSON_TOO_DEEP` with the JSON
 * path of the first container too deep, so that later recursive code never meets such a value.
 */
export function parseJson(input: string, options: ParseJsonOptions = {}): unknown {
  // A UTF-8 byte order mark, as editors on Windows write it: RFC 8259 lets a parser ignore it.
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const where = options.source === undefined ? '' : ` in ${options.source}`;
  // Depth first, on the text: a hostile document never gets built into a million nested arrays.
  if (maxDepthOf(text, maxDepth) > maxDepth) {
    const path = tooDeepPath(text, maxDepth);
    throw new EntenteError(
      'ENTENTE_JSON_TOO_DEEP',
      `JSON${where} nests deeper than ${maxDepth} levels at ${path}`,
      [{ path, message: `nesting deeper than ${maxDepth} levels` }],
    );
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    const reported = cause instanceof Error ? cause.message : String(cause);
    const position = reportedPosition(reported, text) ?? locateSyntaxError(text) ?? text.length;
    const { line, column } = lineAndColumn(text, position);
    const reason = describe(reported);
    throw new EntenteError(
      'ENTENTE_JSON_MALFORMED',
      `Malformed JSON${where} at line ${line}, column ${column}: ${reason}`,
      [{ path: '$', message: `line ${line}, column ${column}: ${reason}` }],
      { cause },
    );
  }
}

/** V8 says `... in JSON at position 12` for most faults, or `Unexpected end of JSON input`. */
function reportedPosition(message: string, text: string): number | undefined {
  const match = /at position (\d+)/.exec(message);
  if (match?.[1] !== undefined) return Math.min(Number(match[1]), text.length);
  if (/end of JSON input/.test(message)) return text.length;
  return undefined;
}

/** V8's message without its position and without the echo of the input, which may be long. */
function describe(message: string): string {
  return message
    .replace(/, (?:\.\.\.)?".*is not valid JSON$/s, '')
    .replace(/\s*in JSON at position \d+.*$/s, '')
    .replace(/\s*\(line \d+ column \d+\)$/, '');
}

/** One-based line and column (in UTF-16 code units) of `position`; lines end at `\n`. */
export function lineAndColumn(text: string, position: number): { readonly line: number; readonly column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < position && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: position - lineStart + 1 };
}

/** Deepest nesting of the (well-formed) text, stopping early once beyond `limit`; no recursion. */
function maxDepthOf(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      // Most of a STIX document is inside strings: jump to the closing quote rather than step
      // through each character (a quote preceded by an odd run of backslashes is escaped).
      let end = text.indexOf('"', i + 1);
      while (end !== -1 && escaped(text, end, i)) end = text.indexOf('"', end + 1);
      if (end === -1) return max;
      i = end;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      depth--;
    }
  }
  return max;
}

/** Whether the quote at `at` is escaped: an odd number of backslashes before it, after `start`. */
function escaped(text: string, at: number, start: number): boolean {
  let backslashes = 0;
  for (let k = at - 1; k > start && text.charCodeAt(k) === 92 /* \ */; k--) backslashes++;
  return backslashes % 2 === 1;
}

interface Frame {
  readonly container: 'object' | 'array';
  key: string | undefined;
  index: number;
  expectKey: boolean;
}

/**
 * The JSON path of the first container nested deeper than `limit`, found by a second, slower scan
 * of the text that tracks keys and indices (only run once the document is known to be too deep).
 */
function tooDeepPath(text: string, limit: number): string {
  const frames: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const top = frames[frames.length - 1];
    if (c === 34 /* " */) {
      const start = i;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34) break;
      }
      if (top?.container === 'object' && top.expectKey) {
        top.key = decodeKey(text.slice(start, i + 1));
        top.expectKey = false;
      }
    } else if (c === 123 || c === 91) {
      if (frames.length === limit) return pathOf(frames);
      frames.push({ container: c === 123 ? 'object' : 'array', key: undefined, index: 0, expectKey: c === 123 });
    } else if (c === 125 || c === 93) {
      frames.pop();
    } else if (c === 44 /* , */ && top !== undefined) {
      if (top.container === 'array') top.index++;
      else top.expectKey = true;
    }
  }
  return '$';
}

function decodeKey(literal: string): string {
  try {
    return String(JSON.parse(literal));
  } catch {
    return literal.slice(1, -1);
  }
}

function pathOf(frames: ReadonlyArray<Frame>): string {
  let path = '$';
  for (const frame of frames) {
    path = frame.container === 'array' ? pathIndex(path, frame.index) : pathKey(path, frame.key ?? '');
  }
  return path;
}
