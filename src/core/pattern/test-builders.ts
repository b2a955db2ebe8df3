/** Small builders of observed-data for the pattern tests; defaults are valid STIX 2.1. */
import type { StixObject } from './observations.js';

let counter = 0;

function uuid(): string {
  counter += 1;
  return `00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
}

/** An SCO of `type` with the given properties and a fresh id. */
export function sco(type: string, properties: Record<string, unknown> = {}): StixObject {
  return { type, spec_version: '2.1', id: `${type}--${uuid()}`, ...properties };
}

export interface Window {
  readonly first?: string;
  readonly last?: string;
  readonly count?: number;
}

/** A 2.1 observed-data referencing `objects` through object_refs, followed by those SCOs. */
export function observed(objects: ReadonlyArray<StixObject>, window: Window = {}): StixObject[] {
  const first = window.first ?? '2024-01-01T00:00:00Z';
  return [{
    type: 'observed-data', spec_version: '2.1', id: `observed-data--${uuid()}`,
    created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z',
    first_observed: first, last_observed: window.last ?? first, number_observed: window.count ?? 1,
    object_refs: objects.map((o) => o.id),
  }, ...objects];
}

/** A deprecated-form observed-data embedding `objects` under their dictionary keys. */
export function embedded(objects: Record<string, Record<string, unknown>>, window: Window = {}): StixObject {
  const first = window.first ?? '2024-01-01T00:00:00Z';
  return {
    type: 'observed-data', spec_version: '2.1', id: `observed-data--${uuid()}`,
    created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z',
    first_observed: first, last_observed: window.last ?? first, number_observed: window.count ?? 1,
    objects,
  };
}
