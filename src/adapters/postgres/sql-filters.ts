import type { VersionSelector } from '../../ports/store.js';
import { normaliseTimestamp } from './object-facets.js';

/** Collects WHERE conditions and their positional parameters. */
export class SqlFilter {
  readonly conditions: string[] = [];
  readonly values: unknown[] = [];

  /** Adds a parameter and returns its placeholder (`$n`). */
  param(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  add(condition: string): void {
    this.conditions.push(condition);
  }

  where(): string {
    return this.conditions.length === 0 ? '' : `WHERE ${this.conditions.join(' AND ')}`;
  }
}

/**
 * TAXII 2.1 match[version] (section 3.5.1): several values are OR-ed. first / last read the
 * flags kept on write; a timestamp matches that exact version at millisecond precision.
 */
export function addVersionFilter(filter: SqlFilter, alias: string, versions: ReadonlyArray<VersionSelector>): void {
  if (versions.length === 0 || versions.includes('all')) return;
  const parts = versions.map((selector) => {
    if (selector === 'last') return `${alias}.is_last`;
    if (selector === 'first') return `${alias}.is_first`;
    if (selector === 'all') return 'true';
    return `${alias}.version = ${filter.param(normaliseTimestamp(selector.at))}`;
  });
  filter.add(parts.length === 1 ? (parts[0] as string) : `(${parts.join(' OR ')})`);
}

/**
 * TAXII 2.1 match[spec_version]: the listed values, or when absent only the latest spec_version
 * held for each object in the collection.
 */
export function addSpecVersionFilter(filter: SqlFilter, alias: string, specVersions: ReadonlyArray<string> | undefined): void {
  if (specVersions !== undefined) {
    filter.add(`${alias}.spec_version = ANY(${filter.param(specVersions)}::text[])`);
    return;
  }
  filter.add(`NOT EXISTS (SELECT 1 FROM members sv WHERE sv.id = ${alias}.id AND sv.collection_id = ${alias}.collection_id
    AND sv.spec_version > ${alias}.spec_version)`);
}
