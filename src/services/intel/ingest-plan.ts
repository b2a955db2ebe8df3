import type { ErrorDetail } from '../../core/errors.js';
import { EntenteError } from '../../core/errors.js';
import { normaliseTimestamp, validateObject } from '../../core/stix/index.js';
import { UNVERSIONED, type StixLike } from '../../ports/store.js';

/** What became of one object of an ingest. */
export type IngestOutcome =
  /** Stored as a new version. */
  | 'added'
  /** The collection already held this (id, version): nothing to write, and a success for TAXII. */
  | 'duplicate'
  /** Invalid, a duplicate inside the batch, or refused by the label gate; `errors` says why. */
  | 'rejected'
  /** Valid, but not written because the batch was all-or-nothing and another object was rejected. */
  | 'not-written';

export interface ObjectResult {
  /** Position in the input's `objects` list. */
  readonly index: number;
  /** The object's id, or '' when it has none. */
  readonly id: string;
  /** `modified`, else `created`, else the unversioned epoch, at millisecond precision when valid. */
  readonly version: string;
  readonly outcome: IngestOutcome;
  readonly errors: ReadonlyArray<ErrorDetail>;
  readonly warnings: ReadonlyArray<ErrorDetail>;
}

/** One entry of the input as planned: accepted for writing, or rejected with reasons. */
export interface PlannedObject {
  readonly index: number;
  readonly id: string;
  readonly version: string;
  readonly object: unknown;
  readonly errors: ErrorDetail[];
  readonly warnings: ReadonlyArray<ErrorDetail>;
}

/**
 * The objects of an ingest and the JSON path prefix of each. Accepts a TAXII envelope or a STIX
 * bundle (`{ objects: [...] }`) or a bare array; anything else is refused with its path.
 */
export function objectsOf(input: unknown): { readonly objects: ReadonlyArray<unknown>; readonly base: string } {
  if (Array.isArray(input)) return { objects: input, base: '$' };
  if (input === null || typeof input !== 'object') {
    throw new EntenteError('ENTENTE_BAD_REQUEST', 'The body must be a TAXII envelope or a STIX bundle: a JSON object with an "objects" list', [
      { path: '$', message: 'not a JSON object' },
    ]);
  }
  const objects = (input as Record<string, unknown>)['objects'];
  if (objects === undefined) {
    // A STIX object sent bare would otherwise be an empty envelope, answered as a success.
    const type = (input as Record<string, unknown>)['type'];
    if (typeof type === 'string' && type !== 'bundle') {
      throw new EntenteError('ENTENTE_BAD_REQUEST', `The body is a single ${type} object, not a TAXII envelope: send {"objects": [...]}`, [
        { path: '$.objects', message: 'missing' },
      ]);
    }
    return { objects: [], base: '$.objects' };
  }
  if (!Array.isArray(objects)) {
    throw new EntenteError('ENTENTE_BAD_REQUEST', '"objects" must be a list of STIX objects', [{ path: '$.objects', message: 'not a list' }]);
  }
  return { objects, base: '$.objects' };
}

/** The (id, version) an input object is deduplicated by; empty id when it has none. */
export function versionKey(object: unknown): { readonly id: string; readonly version: string } {
  if (object === null || typeof object !== 'object') return { id: '', version: UNVERSIONED };
  const o = object as Record<string, unknown>;
  const id = typeof o['id'] === 'string' ? o['id'] : '';
  const raw = typeof o['modified'] === 'string' ? o['modified'] : typeof o['created'] === 'string' ? o['created'] : UNVERSIONED;
  try {
    return { id, version: normaliseTimestamp(raw) };
  } catch {
    return { id, version: raw };
  }
}

const detail = (i: { readonly path: string; readonly message: string; readonly code: string }): ErrorDetail => ({ path: i.path, message: i.message, code: i.code });

/**
 * Validates every object and marks repeats of the same (id, version) inside the batch: the first
 * stays, each later one is rejected naming the index of the first (STIX 2.1 section 3.6 makes an
 * object version unique by id and modified).
 */
export function planIngest(objects: ReadonlyArray<unknown>, base: string, strict: boolean): PlannedObject[] {
  const seen = new Map<string, number>();
  return objects.map((object, index) => {
    const path = `${base}[${index}]`;
    const result = validateObject(object, { strict }, path);
    const { id, version } = versionKey(object);
    const errors = result.errors.map(detail);
    if (id !== '') {
      const key = `${id}\u0000${version}`;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, index);
      else errors.push({ path: `${path}.id`, code: 'ENTENTE_STIX_DUPLICATE_ID', message: `${id} version ${version} already appears at ${base}[${first}]` });
    }
    return { index, id, version, object, errors, warnings: result.warnings.map(detail) };
  });
}

/** Narrows a planned object that passed every check. */
export function isStixLike(object: unknown): object is StixLike {
  return object !== null && typeof object === 'object' && typeof (object as Record<string, unknown>)['id'] === 'string' && typeof (object as Record<string, unknown>)['type'] === 'string';
}
