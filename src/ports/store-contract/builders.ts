import { expect } from 'vitest';
import type { ErrorCode } from '../../core/errors.js';
import type { ObjectPage, ObjectQuery, StixLike, Store, StoredObject, WriteResult } from '../store.js';

/** What every section of the contract works on: the fresh store of the current test. */
export interface ContractContext {
  readonly store: Store;
  /** An object query on collection A with limit 100, overridden as given. */
  q(over?: Partial<ObjectQuery>): ObjectQuery;
  /** Writes into a collection (A by default) with date_added `minute` minutes after T0. */
  write(objects: ReadonlyArray<StixLike>, minute?: number, collectionId?: string): Promise<ReadonlyArray<WriteResult>>;
}

export const A = 'coll-a';
export const B = 'coll-b';

// ---------------------------------------------------------------------------------------------
// Builders: small objects with safe defaults; ids are deterministic so failures are readable.

let serial = 0;
export function newId(type: string): string {
  serial += 1;
  return `${type}--00000000-0000-4000-8000-${serial.toString(16).padStart(12, '0')}`;
}
export const T0 = '2024-01-01T00:00:00.000Z';
/** A timestamp `n` minutes after T0, ms precision. */
export function at(n: number): string {
  return new Date(Date.parse(T0) + n * 60_000).toISOString();
}

export function indicator(over: Record<string, unknown> = {}): StixLike {
  return {
    type: 'indicator', spec_version: '2.1', id: newId('indicator'), created: T0, modified: T0,
    name: 'Generic indicator', pattern: "[ipv4-addr:value = '203.0.113.1']", pattern_type: 'stix',
    valid_from: T0, ...over,
  } as StixLike;
}
export function sdo(type: string, over: Record<string, unknown> = {}): StixLike {
  return { type, spec_version: '2.1', id: newId(type), created: T0, modified: T0, name: `A ${type}`, ...over } as StixLike;
}
export function sco(type: string, over: Record<string, unknown>): StixLike {
  return { type, spec_version: '2.1', id: newId(type), ...over } as StixLike;
}
export function relationship(source: string, target: string, relationshipType: string, over: Record<string, unknown> = {}): StixLike {
  return sdo('relationship', { relationship_type: relationshipType, source_ref: source, target_ref: target, name: undefined, ...over });
}
export function versionsOf(base: StixLike, modified: ReadonlyArray<string>): StixLike[] {
  return modified.map((m) => ({ ...base, modified: m }));
}

export async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code });
}

export const ids = (page: ObjectPage): string[] => page.objects.map((o) => o.id);
export const plain = (o: StoredObject) => ({ id: o.id, type: o.type, version: o.version, specVersion: o.specVersion, dateAdded: o.dateAdded, object: o.object });
export const versions = (page: ObjectPage): string[] => page.objects.map((o) => o.version);

/** Follows `next` until it is absent, failing if the adapter loops. */
export async function allPages(fetch: (cursor: string | undefined) => Promise<ObjectPage>): Promise<StoredObject[]> {
  const out: StoredObject[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 1000; guard += 1) {
    const page = await fetch(cursor);
    out.push(...page.objects);
    if (page.next === undefined) return out;
    cursor = page.next;
  }
  throw new Error('pagination did not end');
}

