/**
 * Common properties (sections 3.2 and 6.1) and the embedded types every object may carry:
 * external references (2.5), kill chain phases (2.6), granular markings (7.2.3).
 */
import type { IssueSink } from '../issues.js';
import type { JsonRecord, ObjectShape, PropertySpec } from './property-spec.js';
import { atLeastOne, bool, exclusive, hashes, int, list, object, ref, refs, str, strs } from './property-spec.js';

const CVE_ID = /^CVE-\d{4}-(0\d{3}|[1-9]\d{3,})$/;
const CAPEC_ID = /^CAPEC-\d+$/;

/** The OASIS schema ties `cve` and `capec` sources to the form of their identifiers. */
function checkKnownSources(value: JsonRecord, sink: IssueSink, path: string): void {
  const source = value['source_name'];
  const id = value['external_id'];
  if (typeof id !== 'string') return;
  if (source === 'cve' && !CVE_ID.test(id)) sink.error('invalid-external-id', `${path}.external_id`, `A cve external_id must look like CVE-2021-44228, not ${JSON.stringify(id)}`);
  if (source === 'capec' && !CAPEC_ID.test(id)) sink.error('invalid-external-id', `${path}.external_id`, `A capec external_id must look like CAPEC-163, not ${JSON.stringify(id)}`);
}

export const EXTERNAL_REFERENCE: ObjectShape = {
  name: 'external-reference',
  properties: { source_name: str, description: str, url: { kind: 'url' }, hashes, external_id: str },
  required: ['source_name'],
  constraints: [atLeastOne('description', 'url', 'external_id'), { kind: 'check', check: checkKnownSources }],
};

const LOWER_HYPHENATED = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Section 2.6: names SHOULD be lowercase with hyphens as word separators. */
function checkPhaseNames(value: JsonRecord, sink: IssueSink, path: string): void {
  for (const key of ['kill_chain_name', 'phase_name']) {
    const name = value[key];
    if (typeof name === 'string' && !LOWER_HYPHENATED.test(name)) {
      sink.warn('kill-chain-phase-format', `${path}.${key}`, `${key} should be lowercase with hyphens between words, not ${JSON.stringify(name)}`);
    }
  }
}

export const KILL_CHAIN_PHASE: ObjectShape = {
  name: 'kill-chain-phase',
  properties: { kill_chain_name: str, phase_name: str },
  required: ['kill_chain_name', 'phase_name'],
  constraints: [{ kind: 'check', check: checkPhaseNames }],
};

export const GRANULAR_MARKING: ObjectShape = {
  name: 'granular-marking',
  properties: { selectors: strs, marking_ref: ref(['marking-definition']), lang: { kind: 'lang' } },
  required: ['selectors'],
  constraints: [atLeastOne('marking_ref', 'lang'), exclusive('marking_ref', 'lang')],
};

export const killChainPhases: PropertySpec = list(object(KILL_CHAIN_PHASE));
export const externalReferences: PropertySpec = list(object(EXTERNAL_REFERENCE));
export const granularMarkings: PropertySpec = list(object(GRANULAR_MARKING));
export const markingRefs: PropertySpec = refs(['marking-definition']);
/** Checked by dedicated code (identity, version, extensions); listed so they count as known. */
const special: PropertySpec = { kind: 'any' };

/** Common properties of SDOs and SROs (section 3.2). */
export const SDO_COMMON: Readonly<Record<string, PropertySpec>> = {
  type: special,
  spec_version: special,
  id: special,
  created_by_ref: ref(['identity']),
  created: { kind: 'timestamp', millis: true },
  modified: { kind: 'timestamp', millis: true },
  revoked: bool,
  labels: strs,
  confidence: int(0, 100),
  lang: { kind: 'lang' },
  external_references: externalReferences,
  object_marking_refs: markingRefs,
  granular_markings: granularMarkings,
  extensions: special,
};

export const SDO_COMMON_REQUIRED = ['type', 'spec_version', 'id', 'created', 'modified'];

/** Common properties of SCOs (section 6.1). */
export const SCO_COMMON: Readonly<Record<string, PropertySpec>> = {
  type: special,
  spec_version: special,
  id: special,
  object_marking_refs: markingRefs,
  granular_markings: granularMarkings,
  defanged: bool,
  extensions: special,
};

export const SCO_COMMON_REQUIRED = ['type', 'id'];
