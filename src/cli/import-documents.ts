import { isEntenteError, type ErrorDetail } from '../core/errors.js';
import { versionKey } from '../services/intel/index.js';
import { readStixDocumentsByLine, type StixDocument } from './stix-documents.js';

/** What `entente import` reports of one file. */
export interface FileResult {
  readonly file: string;
  readonly status: 'imported' | 'partial' | 'rejected';
  readonly total: number;
  readonly added: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly errors: ReadonlyArray<ErrorDetail>;
}

/** The part of an ingest report the import reads. */
export interface IngestTally {
  readonly total: number;
  readonly added: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly results: ReadonlyArray<{ readonly errors: ReadonlyArray<ErrorDetail>; readonly outcome: string }>;
}

/**
 * Stores one input (a bundle, or a list of objects) as one ingest. `partial` says whether its
 * valid objects are stored when others in it are rejected.
 */
export type Ingest = (input: unknown, options: { readonly partial: boolean }) => Promise<IngestTally>;

/** Most bare objects sent to one ingest (one transaction of the store). */
export const OBJECTS_PER_INGEST = 5_000;

/** An ingest the file needs: one bundle (a document), or a run of documents that are bare objects. */
type Unit =
  | { readonly kind: 'bundle'; readonly doc: StixDocument }
  | { readonly kind: 'objects'; readonly docs: ReadonlyArray<StixDocument> };

function isBareObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !('objects' in value);
}

/**
 * The ingests of a file's documents, in order. Each bundle is its own ingest, stored whole or not
 * at all. A document that is one bare object (an NDJSON line, an element of a JSON array) is atomic
 * by itself, so consecutive ones go to the store together, up to OBJECTS_PER_INGEST, each kept or
 * rejected on its own: one transaction per run instead of one per object. A run ends before an
 * object whose id and version it already holds, so a repeat is found already present, as it is
 * when each object is stored alone, rather than refused as a duplicate inside one batch.
 */
function unitsOf(documents: ReadonlyArray<StixDocument>): Unit[] {
  const units: Unit[] = [];
  let run: StixDocument[] = [];
  let keys = new Set<string>();
  const flush = (): void => {
    if (run.length > 0) units.push({ kind: 'objects', docs: run });
    run = [];
    keys = new Set();
  };
  for (const doc of documents) {
    if (!isBareObject(doc.value)) {
      flush();
      units.push({ kind: 'bundle', doc });
      continue;
    }
    const { id, version } = versionKey(doc.value);
    const key = `${id}\u0000${version}`;
    if (run.length === OBJECTS_PER_INGEST || (id !== '' && keys.has(key))) flush();
    run.push(doc);
    if (id !== '') keys.add(key);
  }
  flush();
  return units;
}

/** `$[k]…` of the k-th object of a run, as the path inside that object's own document. */
function pathInDocument(doc: StixDocument, path: string | undefined, k: number): string {
  const head = `$[${k}]`;
  const rest = path !== undefined && path.startsWith(head) ? path.slice(head.length) : '';
  return `${doc.path}${rest}`;
}

/** Prefixes a path inside a bundle with the bundle's place in the file. */
function pathInFile(doc: StixDocument, path: string | undefined): string {
  return doc.path === '$' ? (path ?? '$') : `${doc.path}${(path ?? '$').slice(1)}`;
}

/**
 * Imports every document of one file (text read from `file`), reporting per file: counts, and
 * every error with its place in the file (`line 12: $.pattern`, `$.objects[3].created`).
 */
export async function importFile(file: string, text: string, ingest: Ingest, options: { readonly partial: boolean }): Promise<FileResult> {
  const tally = { total: 0, added: 0, duplicates: 0, rejected: 0 };
  const errors: ErrorDetail[] = [];
  let documents: StixDocument[];
  try {
    const read = readStixDocumentsByLine(text, file);
    documents = read.documents;
    // An NDJSON line that is not JSON is one object rejected; the other lines still go.
    tally.total += read.unreadable.length;
    tally.rejected += read.unreadable.length;
    errors.push(...read.unreadable);
  } catch (error) {
    if (!isEntenteError(error)) throw error;
    return { file, status: 'rejected', ...tally, errors: [{ path: error.details[0]?.path ?? '$', message: error.message }] };
  }
  let anyWritten = false;
  for (const unit of unitsOf(documents)) {
    const first = unit.kind === 'bundle' ? unit.doc : (unit.docs[0] as StixDocument);
    try {
      const report = unit.kind === 'bundle'
        ? await ingest(unit.doc.value, { partial: options.partial })
        : await ingest(unit.docs.map((d) => d.value), { partial: true });
      tally.total += report.total;
      tally.added += report.added;
      tally.duplicates += report.duplicates;
      tally.rejected += report.rejected;
      if (report.added + report.duplicates > 0) anyWritten = true;
      report.results.forEach((r, k) => {
        if (r.outcome !== 'rejected') return;
        for (const e of r.errors) {
          const path = unit.kind === 'bundle' ? pathInFile(unit.doc, e.path) : pathInDocument(unit.docs[k] as StixDocument, e.path, k);
          errors.push({ ...e, path });
        }
      });
    } catch (error) {
      if (!isEntenteError(error)) throw error;
      errors.push(...(error.details.length > 0 ? error.details : [{ path: first.path, message: error.message }]));
    }
  }
  const status = errors.length === 0 ? 'imported' : anyWritten ? 'partial' : 'rejected';
  return { file, status, ...tally, errors };
}
