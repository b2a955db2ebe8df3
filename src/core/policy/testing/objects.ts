/** STIX objects and labels for policy tests, with safe defaults. */
import { randomUUID } from 'node:crypto';
import { CLASSIFICATION_POLICIES } from '../../labels/classification-policies.js';
import { parseBanner } from '../../labels/banner.js';
import { combineLabels } from '../../labels/label-algebra.js';
import type { ObjectLabels } from '../../labels/types.js';

const T = '2026-01-01T00:00:00.000Z';

export type Obj = Record<string, unknown> & { readonly id: string; readonly type: string };

export function indicator(over: Record<string, unknown> = {}): Obj {
  return {
    type: 'indicator', spec_version: '2.1', id: `indicator--${randomUUID()}`, created: T, modified: T,
    name: 'C2 address', pattern: "[ipv4-addr:value = '198.51.100.7']", pattern_type: 'stix', valid_from: T, ...over,
  } as Obj;
}

export function identity(over: Record<string, unknown> = {}): Obj {
  return { type: 'identity', spec_version: '2.1', id: `identity--${randomUUID()}`, created: T, modified: T, name: 'Stadtwerke', identity_class: 'organization', ...over } as Obj;
}

export function relationship(source: string, target: string, type = 'indicates'): Obj {
  return { type: 'relationship', spec_version: '2.1', id: `relationship--${randomUUID()}`, created: T, modified: T, relationship_type: type, source_ref: source, target_ref: target } as Obj;
}

export function report(refs: ReadonlyArray<string>): Obj {
  return { type: 'report', spec_version: '2.1', id: `report--${randomUUID()}`, created: T, modified: T, name: 'Campaign report', published: T, object_refs: [...refs] } as Obj;
}

/** Object labels from a banner, with optional granular parts `{ selector: banner }`. */
export function labelled(banner: string, granular: Readonly<Record<string, string>> = {}): ObjectLabels {
  const read = (b: string) => parseBanner(b, { policies: CLASSIFICATION_POLICIES, defaultPolicy: 'NATO' });
  const object = read(banner);
  return {
    object,
    granular: Object.entries(granular).map(([selector, b]) => ({ selectors: [selector], label: combineLabels([object, read(b)], CLASSIFICATION_POLICIES) })),
    defaulted: false,
  };
}
