/**
 * STIX 2.1 observed-data (section 4.14): bundles, arrays or objects, one per line (NDJSON) or
 * pretty-printed over many lines. Lines are gathered until the JSON value closes, tracking
 * brackets outside strings, so a large file is parsed document by document.
 */
import { isEntenteError } from '../errors.js';
import { readObservations } from '../pattern/index.js';
import type { LineDecoder, LineOutcome } from './types.js';

/** Above this a single document is refused rather than buffered. */
export const MAX_STIX_DOCUMENT_CHARS = 64 * 1024 * 1024;

export function stixDecoder(maxChars = MAX_STIX_DOCUMENT_CHARS): LineDecoder {
  let parts: string[] = [];
  let size = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let startLine = 0;
  let overflow = false;

  const reset = (): void => {
    parts = [];
    size = 0;
    depth = 0;
    inString = false;
    escaped = false;
    overflow = false;
  };

  const complete = (): LineOutcome => {
    const text = parts.join('\n');
    const line = startLine;
    reset();
    return decodeDocument(text, line);
  };

  return {
    format: 'stix',
    decode: (text, line) => {
      if (parts.length === 0) {
        const trimmed = text.trim();
        if (trimmed === '') return { kind: 'skipped', reason: 'blank' };
        if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return { kind: 'bad', line, reason: 'stix: not a JSON object or array' };
        startLine = line;
      }
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (inString) {
          if (escaped) escaped = false;
          else if (c === 0x5c) escaped = true;
          else if (c === 0x22) inString = false;
        } else if (c === 0x22) inString = true;
        else if (c === 0x7b || c === 0x5b) depth++;
        else if (c === 0x7d || c === 0x5d) depth--;
      }
      size += text.length + 1;
      if (!overflow) parts.push(text);
      if (size > maxChars && !overflow) {
        overflow = true;
        parts = [];
      }
      if (depth > 0) return { kind: 'skipped', reason: 'stix: document continues' };
      if (overflow) {
        const from = startLine;
        reset();
        return { kind: 'bad', line: from, reason: `stix: document longer than ${maxChars} characters` };
      }
      return complete();
    },
    finish: () => {
      if (parts.length === 0 && !overflow) return undefined;
      const from = startLine;
      reset();
      return { kind: 'bad', line: from, reason: 'stix: the document is not closed at the end of the input' };
    },
  };
}

function decodeDocument(text: string, line: number): LineOutcome {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { kind: 'bad', line, reason: `stix: not JSON: ${(error as Error).message}` };
  }
  try {
    const observations = readObservations(value);
    if (observations.length === 0) return { kind: 'skipped', reason: 'stix: no observed-data' };
    return { kind: 'events', events: observations.map((observation) => ({ line, format: 'stix' as const, eventType: 'observed-data', observation })) };
  } catch (error) {
    if (!isEntenteError(error)) throw error;
    const first = error.details[0];
    return { kind: 'bad', line, reason: `stix: ${first === undefined ? error.message : `${first.path ?? ''} ${first.message}`}` };
  }
}
