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
    const { documents, failures } = ndjsonDocuments(text, source);
    if (failures[0] !== undefined) throw failures[0].error;
    return documents;
  }
  const value = parseJson(text, { source });
  if (Array.isArray(value)) return value.map((v, i) => ({ path: `$[${i}]`, value: v }));
  return [{ path: '$', value }];
}

/** The documents of a file, and the NDJSON lines that could not be read (each with its line). */
export interface ReadDocuments {
  readonly documents: StixDocument[];
  readonly unreadable: ReadonlyArray<{ readonly path: string; readonly message: string }>;
}

/**
 * As readStixDocuments, except that an NDJSON line that is not JSON is reported and skipped
 * instead of failing the whole file: each line is a document of its own, as for an import.
 */
export function readStixDocumentsByLine(text: string, source: string): ReadDocuments {
  const trimmed = text.trimStart();
  if (trimmed === '' || !looksLikeNdjson(trimmed)) return { documents: readStixDocuments(text, source), unreadable: [] };
  const { documents, failures } = ndjsonDocuments(text, source);
  return { documents, unreadable: failures.map(({ path, error }) => ({ path, message: error.message })) };
}

/** Each non-blank line of an NDJSON text read on its own; a line that is not JSON is set aside with its error. */
function ndjsonDocuments(text: string, source: string): { documents: StixDocument[]; failures: Array<{ path: string; error: EntenteError }> } {
  const documents: StixDocument[] = [];
  const failures: Array<{ path: string; error: EntenteError }> = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const path = `line ${i + 1}: $`;
    try {
      documents.push({ path, value: parseJson(line, { source: `${source}:${i + 1}` }) });
    } catch (error) {
      if (!(error instanceof EntenteError)) throw error;
      failures.push({ path, error });
    }
  });
  return { documents, failures };
}

function looksLikeNdjson(text: string): boolean {
  const firstLineEnd = text.indexOf('\n');
  if (firstLineEnd < 0) return false;
  const first = text.slice(0, firstLineEnd).trim();
  const rest = text.slice(firstLineEnd + 1).trimStart();
  return first.startsWith('{') && first.endsWith('}') && rest.startsWith('{');
}
