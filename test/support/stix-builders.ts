import { randomUUID } from 'node:crypto';

const T = '2026-01-01T00:00:00.000Z';

/** A valid STIX 2.1 indicator with safe defaults; override any property. */
export function indicator(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'indicator', spec_version: '2.1', id: `indicator--${randomUUID()}`, created: T, modified: T,
    name: 'Test indicator', pattern: "[ipv4-addr:value = '198.51.100.7']", pattern_type: 'stix', valid_from: T,
    ...overrides,
  };
}

export function malware(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'malware', spec_version: '2.1', id: `malware--${randomUUID()}`, created: T, modified: T, name: 'Test malware', is_family: true, ...overrides };
}

export function relationship(source: string, target: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'relationship', spec_version: '2.1', id: `relationship--${randomUUID()}`, created: T, modified: T,
    relationship_type: 'indicates', source_ref: source, target_ref: target, ...overrides,
  };
}

export function bundle(objects: ReadonlyArray<Record<string, unknown>>): Record<string, unknown> {
  return { type: 'bundle', id: `bundle--${randomUUID()}`, objects };
}
