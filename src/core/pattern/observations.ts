/**
 * Observations as the evaluator sees them: one Observed Data SDO (STIX 2.1 section 4.14) with its
 * time window, its count and the SCOs it may reach. Both forms are read: 2.1 `object_refs`
 * resolved against the SCOs given alongside, and the deprecated embedded `objects` dictionary.
 */
import { EntenteError, type ErrorDetail } from '../errors.js';
import { parseTimestamp } from './literals.js';

export type StixObject = Readonly<Record<string, unknown>>;

export interface Observation {
  readonly id: string;
  /** Milliseconds since the epoch (fractions kept) of first_observed and last_observed. */
  readonly firstObserved: number;
  readonly lastObserved: number;
  /** number_observed: how many observations this SDO stands for (REPEATS counts them). */
  readonly numberObserved: number;
  /** The SCOs an observation expression may start from. */
  readonly roots: ReadonlyArray<StixObject>;
  /** Follows a `_ref` value; undefined when the target is not part of this observation (section 9.7.4). */
  readonly resolve: (ref: string) => StixObject | undefined;
}

function isObject(value: unknown): value is StixObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads observed-data from a bundle, an array of bundles, an array of STIX objects, or one
 * observed-data object. SCOs referenced through `object_refs` are looked up among all objects
 * given. Throws ENTENTE_STIX_INVALID listing every malformed observed-data with its JSON path.
 */
export function readObservations(input: unknown): Observation[] {
  const objects: Array<{ object: StixObject; path: string }> = [];
  const collect = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => collect(v, `${path}[${i}]`));
    } else if (isObject(value) && value.type === 'bundle') {
      if (Array.isArray(value.objects)) value.objects.forEach((v, i) => collect(v, `${path}.objects[${i}]`));
    } else if (isObject(value)) {
      objects.push({ object: value, path });
    }
  };
  collect(input, '$');
  const byId = new Map<string, StixObject>();
  for (const { object } of objects) if (typeof object.id === 'string') byId.set(object.id, object);

  const details: ErrorDetail[] = [];
  const observations: Observation[] = [];
  for (const { object, path } of objects) {
    if (object.type !== 'observed-data') continue;
    const problems = details.length;
    const first = typeof object.first_observed === 'string' ? parseTimestamp(object.first_observed) : undefined;
    const last = typeof object.last_observed === 'string' ? parseTimestamp(object.last_observed) : undefined;
    if (first === undefined) details.push({ path: `${path}.first_observed`, message: 'must be a STIX timestamp' });
    if (last === undefined) details.push({ path: `${path}.last_observed`, message: 'must be a STIX timestamp' });
    if (first !== undefined && last !== undefined && last.key < first.key) {
      details.push({ path: `${path}.last_observed`, message: 'must not be earlier than first_observed' });
    }
    const count = object.number_observed;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
      details.push({ path: `${path}.number_observed`, message: 'must be an integer of at least 1' });
    }
    if (typeof object.id !== 'string') details.push({ path: `${path}.id`, message: 'must be an identifier' });
    let roots: StixObject[] = [];
    let resolve: (ref: string) => StixObject | undefined = () => undefined;
    if (Array.isArray(object.object_refs)) {
      const refs = new Set(object.object_refs.filter((r): r is string => typeof r === 'string'));
      roots = [...refs].map((r) => byId.get(r)).filter(isObject);
      resolve = (ref) => (refs.has(ref) ? byId.get(ref) : undefined);
    } else if (isObject(object.objects)) {
      const embedded = object.objects;
      roots = Object.values(embedded).filter(isObject);
      resolve = (ref) => (Object.prototype.hasOwnProperty.call(embedded, ref) && isObject(embedded[ref]) ? embedded[ref] : undefined);
    } else {
      details.push({ path: `${path}.object_refs`, message: 'observed-data needs object_refs (or the deprecated objects)' });
    }
    if (details.length > problems || first === undefined || last === undefined) continue;
    observations.push({
      id: object.id as string,
      firstObserved: first.epochMs,
      lastObserved: last.epochMs,
      numberObserved: count as number,
      roots,
      resolve,
    });
  }
  if (details.length > 0) {
    throw new EntenteError('ENTENTE_STIX_INVALID', `${details.length} problem(s) in the observed-data`, details);
  }
  return observations;
}
