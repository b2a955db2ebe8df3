/** Type-specific ways to break valid objects, for the mutation tests. */
import type { RefTarget } from '../rules/property-spec.js';

export type Json = { readonly [k: string]: unknown };

/** One broken object and the error expected: its rule code and JSON path. */
export interface Break {
  readonly object: Json;
  readonly code: string;
  readonly path: string;
}

const UUID = '9a1c3f5e-7b2d-4e6f-8a0b-1c2d3e4f5a6b';

/** An identifier of a type the target does not admit (undefined when every type is admitted). */
export function BAD_TARGET(target: RefTarget): string | undefined {
  switch (target) {
    case 'any':
      return undefined;
    case 'sdo':
    case 'sdo-or-sco':
      return `relationship--${UUID}`;
    case 'sco':
    case 'sco-or-sro':
      return `indicator--${UUID}`;
    default:
      return target.includes('x509-certificate') ? `mutex--${UUID}` : `x509-certificate--${UUID}`;
  }
}

type Partial = Omit<Break, 'object'> & { readonly object: Json };

/** Breaks merged into a valid object of the type (keys set to undefined are removed by the validator's view). */
export const SPECIFIC_BREAKS: Readonly<Record<string, ReadonlyArray<Partial>>> = {
  indicator: [
    { object: { pattern: "[ipv4-addr:value = '198.51.100.3'" }, code: 'invalid-pattern', path: '$.pattern' },
    { object: { pattern: 'not a pattern' }, code: 'invalid-pattern', path: '$.pattern' },
    { object: { valid_from: '2024-03-01T00:00:00Z', valid_until: '2024-03-01T00:00:00Z' }, code: 'invalid-time-order', path: '$.valid_until' },
    { object: { valid_from: '2024-03-01T00:00:00Z', valid_until: '2024-02-01T00:00:00Z' }, code: 'invalid-time-order', path: '$.valid_until' },
  ],
  campaign: [{ object: { first_seen: '2024-03-01T00:00:00Z', last_seen: '2024-02-01T00:00:00Z' }, code: 'invalid-time-order', path: '$.last_seen' }],
  relationship: [
    { object: { relationship_type: 'Related To' }, code: 'invalid-relationship-type', path: '$.relationship_type' },
    { object: { start_time: '2024-03-01T00:00:00Z', stop_time: '2024-03-01T00:00:00Z' }, code: 'invalid-time-order', path: '$.stop_time' },
  ],
  sighting: [
    { object: { count: 1_000_000_000 }, code: 'out-of-range', path: '$.count' },
    { object: { count: -1 }, code: 'out-of-range', path: '$.count' },
    { object: { first_seen: '2024-03-02T00:00:00Z', last_seen: '2024-03-01T00:00:00Z' }, code: 'invalid-time-order', path: '$.last_seen' },
  ],
  'observed-data': [
    { object: { number_observed: 0 }, code: 'out-of-range', path: '$.number_observed' },
    { object: { number_observed: 1_000_000_000 }, code: 'out-of-range', path: '$.number_observed' },
    { object: { first_observed: '2024-03-02T00:00:00Z', last_observed: '2024-03-01T00:00:00Z' }, code: 'invalid-time-order', path: '$.last_observed' },
    { object: { objects: { 0: { type: 'ipv4-addr', value: '10.0.0.1' } } }, code: 'mutually-exclusive', path: '$.objects' },
    { object: { object_refs: undefined }, code: 'required-property', path: '$.object_refs' },
    { object: { object_refs: [`relationship--${UUID}`] }, code: 'invalid-ref-type', path: '$.object_refs' },
  ],
  location: [
    { object: { latitude: 50.8 }, code: 'dependent-property', path: '$.longitude' },
    { object: { latitude: 91, longitude: 4.3 }, code: 'out-of-range', path: '$.latitude' },
    { object: { precision: 10 }, code: 'dependent-property', path: '$.precision' },
    { object: { region: undefined, country: undefined }, code: 'required-property', path: '$' },
  ],
  malware: [{ object: { is_family: true, name: undefined }, code: 'required-property', path: '$.name' }],
  'malware-analysis': [{ object: { result: undefined, analysis_sco_refs: undefined }, code: 'required-property', path: '$' }],
  opinion: [{ object: { opinion: 'maybe' }, code: 'invalid-enum', path: '$.opinion' }],
  'network-traffic': [
    { object: { is_active: true, end: '2024-03-01T00:00:00Z' }, code: 'dependent-property', path: '$.end' },
    { object: { src_port: 65536 }, code: 'out-of-range', path: '$.src_port' },
    { object: { src_ref: undefined, dst_ref: undefined }, code: 'required-property', path: '$' },
    { object: { start: '2024-03-02T00:00:00Z', end: '2024-03-01T00:00:00Z' }, code: 'invalid-time-order', path: '$.end' },
  ],
  'email-message': [
    { object: { is_multipart: true }, code: 'dependent-property', path: '$.body' },
    { object: { body: undefined, is_multipart: false, body_multipart: [{ body: 'x' }] }, code: 'dependent-property', path: '$.body_multipart' },
  ],
  artifact: [
    { object: { url: 'https://example.com/a.zip' }, code: 'mutually-exclusive', path: '$.url' },
    { object: { payload_bin: undefined, url: 'https://example.com/a.zip' }, code: 'dependent-property', path: '$.hashes' },
    { object: { payload_bin: 'not base64!' }, code: 'invalid-format', path: '$.payload_bin' },
    { object: { decryption_key: 'secret' }, code: 'dependent-property', path: '$.encryption_algorithm' },
  ],
  file: [
    { object: { name: undefined, hashes: undefined }, code: 'required-property', path: '$' },
    { object: { size: -1 }, code: 'out-of-range', path: '$.size' },
    { object: { extensions: { 'archive-ext': { comment: 'x' } } }, code: 'required-property', path: "$.extensions['archive-ext'].contains_refs" },
    { object: { extensions: { 'socket-ext': { address_family: 'AF_INET' } } }, code: 'invalid-extension', path: "$.extensions['socket-ext']" },
    { object: { extensions: { 'not an extension': { a: 1 } } }, code: 'invalid-extension-key', path: "$.extensions['not an extension']" },
    { object: { extensions: { [`extension-definition--${UUID}`]: { extension_type: 'new-thing' } } }, code: 'invalid-enum', path: `$.extensions['extension-definition--${UUID}'].extension_type` },
  ],
  'ipv4-addr': [{ object: { value: '10.0.0.256' }, code: 'invalid-format', path: '$.value' }],
  'ipv6-addr': [{ object: { value: '2001:db8:::1' }, code: 'invalid-format', path: '$.value' }],
  'mac-addr': [{ object: { value: '00-00-5E-00-53-01' }, code: 'invalid-format', path: '$.value' }],
  process: [
    { object: { extensions: { 'windows-process-ext': { integrity_level: 'extreme' } } }, code: 'invalid-enum', path: "$.extensions['windows-process-ext'].integrity_level" },
    { object: { extensions: { 'windows-process-ext': {} } }, code: 'required-property', path: "$.extensions['windows-process-ext']" },
  ],
  'windows-registry-key': [{ object: { values: [{ name: 'x', data_type: 'REG_STRING' }] }, code: 'invalid-enum', path: '$.values[0].data_type' }],
  'marking-definition': [
    { object: { definition: { text: 'no statement' } }, code: 'required-property', path: '$.definition.statement' },
    { object: { definition_type: 'tlp', definition: { tlp: 'green' } }, code: 'invalid-tlp-marking', path: '$.id' },
    { object: { definition_type: undefined }, code: 'required-property', path: '$.definition_type' },
  ],
  'extension-definition': [
    { object: { extension_properties: ['x_rank'] }, code: 'dependent-property', path: '$.extension_properties' },
    { object: { created_by_ref: undefined }, code: 'required-property', path: '$.created_by_ref' },
  ],
  'language-content': [
    { object: { contents: { 'not a language': { name: 'x' } } }, code: 'invalid-format', path: "$.contents['not a language']" },
    { object: { contents: { de: 'Name' } }, code: 'invalid-type', path: '$.contents.de' },
  ],
  'user-account': [{ object: { account_created: 'yesterday' }, code: 'invalid-timestamp', path: '$.account_created' }],
};
