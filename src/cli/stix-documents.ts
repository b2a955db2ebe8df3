import { EntenteError } from '../core/errors.js';
import { parseJson } from '../core/json/parse-json.js';

/** One STIX document found in a file: a bundle, or a bare object; the path locates it in the file. */
export interface StixDocument {
  readonly path: string;
  readonly value: unknown;
}

/**
 * Reads a file as STIX: one JSON bundle or object, a JSON array of them, or NDJSON (one per line,
 * paths then say `line N`). Malformed text raises ENTENTE_JSON_MALFORMED with line and column.
 */
export function readStixDocuments(text: string, source: string): StixDocument[] {
  const trimmed = text.trimStart();
  if (trimmed === '') throw new EntenteError('ENTENTE_BAD_REQUEST', `${source}: the file is empty`);
  if (looksLikeNdjson(trimmed)) {
    return text.split('\n').flatMap((line, i) => (line.trim() === '' ? [] : [{ path: `line ${i + 1}: $`, value: parseJson(line, { source: `${source}:${i + 1}` }) }]));
  }
  const value = parseJson(text, { source });
  if (Array.isArray(value)) return value.map((v, i) => ({ path: `$[${i}]`, value: v }));
  return [{ path: '$', value }];
}

function looksLikeNdjson(text: string): boolean {
  const firstLineEnd = text.indexOf('\n');
  if (firstLineEnd < 0) return false;
  const first = text.slice(0, firstLineEnd).trim();
  const rest = text.slice(firstLineEnd + 1).trimStart();
  return first.startsWith('{') && first.endsWith('}') && rest.startsWith('{');
}
