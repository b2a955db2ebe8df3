import { EntenteError } from '../../core/errors.js';
import { normaliseTimestamp } from '../../core/stix/index.js';
import type { VersionSelector } from '../../ports/store.js';

/** The TAXII 2.1 filters (section 3.5) and paging parameters, parsed and checked. */
export interface ObjectFilters {
  readonly ids?: ReadonlyArray<string>;
  readonly types?: ReadonlyArray<string>;
  readonly versions?: ReadonlyArray<VersionSelector>;
  readonly specVersions?: ReadonlyArray<string>;
  /** Normalised to millisecond precision (truncating keeps "strictly after" exact, since date_added has ms precision). */
  readonly addedAfter?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

/** The parameter names of section 3.5, as they appear in URLs. */
export type FilterParameter = 'match[id]' | 'match[type]' | 'match[version]' | 'match[spec_version]' | 'added_after' | 'limit' | 'next';

/** Which parameters each TAXII endpoint supports (sections 5.3 to 5.8). */
export const ENDPOINT_FILTERS = {
  objects: ['match[id]', 'match[type]', 'match[version]', 'match[spec_version]', 'added_after', 'limit', 'next'],
  manifest: ['match[id]', 'match[type]', 'match[version]', 'match[spec_version]', 'added_after', 'limit', 'next'],
  object: ['match[version]', 'match[spec_version]', 'added_after', 'limit', 'next'],
  deleteObject: ['match[version]', 'match[spec_version]'],
  versions: ['match[spec_version]', 'added_after', 'limit', 'next'],
} as const satisfies Record<string, ReadonlyArray<FilterParameter>>;

const STIX_ID = /^[a-z0-9][a-z0-9-]*[a-z0-9]--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const STIX_TYPE = /^[a-z0-9][a-z0-9-]*[a-z0-9]$/;
const SPEC_VERSION = /^\d+\.\d+$/;
const MAX_VALUES = 1000;

function invalid(parameter: string, message: string): EntenteError {
  return new EntenteError('ENTENTE_INVALID_PARAMETER', `Parameter ${parameter}: ${message}`, [{ path: parameter, message }]);
}

/**
 * The values of one parameter: a query string may repeat it, and section 3.5.1 lets one value
 * hold a comma-separated list; both are accepted and OR-ed.
 */
function valuesOf(raw: unknown, parameter: string): string[] {
  const items = Array.isArray(raw) ? raw : [raw];
  const values = items.flatMap((item) => {
    if (typeof item !== 'string') throw invalid(parameter, 'must be a string');
    return item.split(',').map((v) => v.trim());
  });
  if (values.some((v) => v === '')) throw invalid(parameter, 'contains an empty value');
  if (values.length > MAX_VALUES) throw invalid(parameter, `lists more than ${MAX_VALUES} values`);
  return values;
}

function single(raw: unknown, parameter: string): string {
  if (Array.isArray(raw)) throw invalid(parameter, 'may be given only once');
  if (typeof raw !== 'string' || raw === '') throw invalid(parameter, 'must be a non-empty string');
  return raw;
}

function timestamp(value: string, parameter: string): string {
  try {
    return normaliseTimestamp(value);
  } catch {
    throw invalid(parameter, `${JSON.stringify(value.slice(0, 64))} is not a timestamp such as 2026-01-31T12:00:00.000Z`);
  }
}

function parseVersion(value: string): VersionSelector {
  if (value === 'first' || value === 'last' || value === 'all') return value;
  return { at: timestamp(value, 'match[version]') };
}

/**
 * Parses TAXII filter parameters from a query string. Parameters the endpoint does not support
 * and unknown parameters are ignored (a TAXII server ignores what it does not understand);
 * a supported one with a bad value throws ENTENTE_INVALID_PARAMETER naming it.
 */
export function parseTaxiiFilters(query: Readonly<Record<string, unknown>>, supported: ReadonlyArray<FilterParameter>): ObjectFilters {
  const has = (p: FilterParameter): boolean => supported.includes(p) && query[p] !== undefined;
  const filters: { -readonly [K in keyof ObjectFilters]: ObjectFilters[K] } = {};
  if (has('match[id]')) {
    filters.ids = valuesOf(query['match[id]'], 'match[id]').map((v) => {
      if (!STIX_ID.test(v)) throw invalid('match[id]', `${JSON.stringify(v.slice(0, 80))} is not a STIX identifier (type--uuid)`);
      return v;
    });
  }
  if (has('match[type]')) {
    filters.types = valuesOf(query['match[type]'], 'match[type]').map((v) => {
      if (!STIX_TYPE.test(v) || v.length > 250) throw invalid('match[type]', `${JSON.stringify(v.slice(0, 80))} is not a STIX type name`);
      return v;
    });
  }
  if (has('match[version]')) filters.versions = valuesOf(query['match[version]'], 'match[version]').map(parseVersion);
  if (has('match[spec_version]')) {
    filters.specVersions = valuesOf(query['match[spec_version]'], 'match[spec_version]').map((v) => {
      if (!SPEC_VERSION.test(v)) throw invalid('match[spec_version]', `${JSON.stringify(v.slice(0, 20))} is not a version such as 2.1`);
      return v;
    });
  }
  if (has('added_after')) filters.addedAfter = timestamp(single(query['added_after'], 'added_after'), 'added_after');
  if (has('limit')) {
    const raw = single(query['limit'], 'limit');
    if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw invalid('limit', `${JSON.stringify(raw.slice(0, 20))} is not a positive integer`);
    filters.limit = Number(raw);
  }
  if (has('next')) {
    const raw = single(query['next'], 'next');
    if (raw.length > 2048) throw invalid('next', 'is longer than any cursor this server hands out');
    filters.cursor = raw;
  }
  return filters;
}
