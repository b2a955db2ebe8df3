import type { ObjectQuery, VersionSelector } from '../../ports/store.js';
import { idKeyParams, idKeysSql } from './id-keys.js';
import { placeholders } from './statements.js';
import { normaliseTimestamp, timestampMillis } from './timestamps.js';

/** SQL conditions on `members m` with their parameters, in order. */
export interface Conditions {
  readonly where: string[];
  readonly params: unknown[];
}

/**
 * The `match[version]` condition (TAXII 2.1 section 3.5.1): selectors are OR-ed; `all` lifts
 * the restriction; a timestamp selects the version whose `modified` equals it. Returns undefined
 * when every version qualifies.
 */
export function versionCondition(selectors: ReadonlyArray<VersionSelector>, params: unknown[]): string | undefined {
  const parts: string[] = [];
  const exact: string[] = [];
  for (const selector of selectors) {
    if (selector === 'all') return undefined;
    if (selector === 'first') parts.push('m.is_first = 1');
    else if (selector === 'last') parts.push('m.is_last = 1');
    else exact.push(normaliseTimestamp(selector.at, 'match[version]'));
  }
  if (exact.length > 0) {
    parts.push(`m.version IN (${placeholders(exact.length)})`);
    params.push(...exact);
  }
  return parts.length === 0 ? undefined : `(${parts.join(' OR ')})`;
}

/**
 * The TAXII filters shared by the object, manifest and versions listings. `spec_version` absent
 * means "the latest spec_version of each object" (TAXII 2.1 section 3.5.2), kept as a flag.
 * The collection is its key, or its id looked up inside the statement (one statement less).
 */
export function objectConditions(collection: number | { readonly id: string }, query: Omit<ObjectQuery, 'collectionId' | 'limit' | 'cursor' | 'types'>, defaultVersions: ReadonlyArray<VersionSelector>): Conditions {
  // With ids, the (ikey, ckey, version) index finds the few rows at once; without the unary `+`
  // the planner prefers the clustered (ckey, date_added) order and walks the collection.
  const key = typeof collection === 'number' ? '?' : '(SELECT ckey FROM collections WHERE id = ?)';
  const where = [query.ids !== undefined ? `+m.ckey = ${key}` : `m.ckey = ${key}`];
  const params: unknown[] = [typeof collection === 'number' ? collection : collection.id];
  if (query.ids !== undefined) {
    where.push(`m.ikey IN (${idKeysSql(query.ids.length)})`);
    params.push(...idKeyParams(query.ids));
  }
  const versions = query.versions !== undefined && query.versions.length > 0 ? query.versions : defaultVersions;
  const versionSql = versionCondition(versions, params);
  if (versionSql !== undefined) where.push(versionSql);
  if (query.specVersions !== undefined && query.specVersions.length > 0) {
    where.push(`m.spec_version IN (${placeholders(query.specVersions.length)})`);
    params.push(...query.specVersions);
  } else {
    where.push('m.spec_latest = 1');
  }
  if (query.addedAfter !== undefined) {
    where.push('m.date_added > ?');
    params.push(timestampMillis(query.addedAfter, 'added_after'));
  }
  return { where, params };
}
