/**
 * One small, fully valid object of every STIX 2.1 type (no errors, no warnings, even in strict
 * mode), for tests here and elsewhere: builders with safe defaults rather than copied JSON blobs.
 */
import { deterministicScoId } from '../sco-id.js';

type Json = { readonly [k: string]: unknown };

export const IDENTITY_ID = 'identity--f431f809-377b-45e0-aa1c-6a4751cae5ff';
export const TLP_GREEN = 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da';
const CREATED = '2024-03-01T10:00:00.000Z';
const MODIFIED = '2024-03-02T10:00:00.000Z';

let counter = 0;
/** A fresh, valid UUIDv4 (deterministic sequence, so failures reproduce). */
export function uuid4(): string {
  counter += 1;
  const n = counter.toString(16).padStart(12, '0');
  return `6ba7b810-9dad-4a11-80b4-${n}`;
}

/** An SDO or SRO with its common properties. */
export function sdo(type: string, properties: Json): Json {
  return { type, spec_version: '2.1', id: `${type}--${uuid4()}`, created: CREATED, modified: MODIFIED, created_by_ref: IDENTITY_ID, ...properties };
}

/** An SCO whose id is the deterministic one. */
export function sco(type: string, properties: Json, contributing: ReadonlyArray<string> = []): Json {
  const body = { type, spec_version: '2.1', ...properties };
  const id = deterministicScoId(type, body, contributing) ?? `${type}--${uuid4()}`;
  return { ...body, id };
}

const IPV4 = sco('ipv4-addr', { value: '198.51.100.3' }, ['value']);
const DOMAIN = sco('domain-name', { value: 'example.com' }, ['value']);
const FILE = sco('file', { name: 'invoice.pdf', hashes: { 'SHA-256': 'a'.repeat(64) } }, ['hashes', 'name', 'extensions', 'parent_directory_ref']);
const ARTIFACT = sco('artifact', { mime_type: 'application/zip', payload_bin: 'UEsDBA==' }, ['hashes', 'payload_bin']);
const SOFTWARE = sco('software', { name: 'Word', vendor: 'Microsoft', version: '2019' }, ['name', 'cpe', 'swid', 'vendor', 'version']);
const EMAIL_ADDR = sco('email-addr', { value: 'jdoe@example.com' }, ['value']);
const USER = sco('user-account', { user_id: '1001', account_login: 'jdoe', account_type: 'unix' }, ['account_type', 'user_id', 'account_login']);
const TRAFFIC = sco('network-traffic', { src_ref: IPV4['id'], dst_port: 443, protocols: ['ipv4', 'tcp'] },
  ['start', 'end', 'src_ref', 'dst_ref', 'src_port', 'dst_port', 'protocols', 'extensions']);
const IDENTITY = { ...sdo('identity', { name: 'CERT-EU', identity_class: 'organization' }), id: IDENTITY_ID };
const INDICATOR = sdo('indicator', {
  name: 'C2 address', pattern: "[ipv4-addr:value = '198.51.100.3']", pattern_type: 'stix', valid_from: '2024-03-01T00:00:00Z',
  indicator_types: ['malicious-activity'], kill_chain_phases: [{ kill_chain_name: 'lockheed-martin-cyber-kill-chain', phase_name: 'command-and-control' }],
  object_marking_refs: [TLP_GREEN], external_references: [{ source_name: 'internal', url: 'https://intel.example.org/c2/1' }],
  granular_markings: [{ selectors: ['name'], marking_ref: TLP_GREEN }],
});
const MALWARE = sdo('malware', { name: 'Poison Ivy', is_family: true, malware_types: ['remote-access-trojan'], sample_refs: [FILE['id']] });
const OBSERVED = sdo('observed-data', { first_observed: '2024-03-01T00:00:00Z', last_observed: '2024-03-01T01:00:00Z', number_observed: 3, object_refs: [IPV4['id']] });

/** Every type the specification defines, one valid example each. */
export const VALID_OBJECTS: Readonly<Record<string, Json>> = {
  'attack-pattern': sdo('attack-pattern', { name: 'Spearphishing Attachment', external_references: [{ source_name: 'capec', external_id: 'CAPEC-163' }] }),
  campaign: sdo('campaign', { name: 'Operation Sand', first_seen: '2024-01-01T00:00:00Z', last_seen: '2024-02-01T00:00:00Z' }),
  'course-of-action': sdo('course-of-action', { name: 'Block the C2 address' }),
  grouping: sdo('grouping', { context: 'suspicious-activity', object_refs: [INDICATOR['id']] }),
  identity: IDENTITY,
  incident: sdo('incident', { name: 'Ransomware at a ministry' }),
  indicator: INDICATOR,
  infrastructure: sdo('infrastructure', { name: 'C2 server', infrastructure_types: ['command-and-control'] }),
  'intrusion-set': sdo('intrusion-set', { name: 'APT Sand', resource_level: 'government', primary_motivation: 'ideology' }),
  location: sdo('location', { country: 'BE', region: 'western-europe' }),
  malware: MALWARE,
  'malware-analysis': sdo('malware-analysis', { product: 'sandbox', result: 'malicious', sample_ref: FILE['id'], analysis_started: '2024-03-01T00:00:00Z', analysis_ended: '2024-03-01T00:05:00Z' }),
  note: sdo('note', { content: 'Seen again this week.', object_refs: [MALWARE['id']] }),
  'observed-data': OBSERVED,
  opinion: sdo('opinion', { opinion: 'agree', object_refs: [INDICATOR['id']] }),
  report: sdo('report', { name: 'Weekly report', published: '2024-03-02T00:00:00Z', object_refs: [INDICATOR['id'], MALWARE['id']], report_types: ['threat-report'] }),
  'threat-actor': sdo('threat-actor', { name: 'Sand Crew', threat_actor_types: ['nation-state'], sophistication: 'expert' }),
  tool: sdo('tool', { name: 'Mimikatz', tool_types: ['credential-exploitation'] }),
  vulnerability: sdo('vulnerability', { name: 'CVE-2021-44228', external_references: [{ source_name: 'cve', external_id: 'CVE-2021-44228' }] }),
  relationship: sdo('relationship', { relationship_type: 'indicates', source_ref: INDICATOR['id'], target_ref: MALWARE['id'] }),
  sighting: sdo('sighting', { sighting_of_ref: INDICATOR['id'], count: 2, observed_data_refs: [OBSERVED['id']], where_sighted_refs: [IDENTITY_ID],
    first_seen: '2024-03-01T00:00:00Z', last_seen: '2024-03-01T02:00:00Z' }),
  artifact: ARTIFACT,
  'autonomous-system': sco('autonomous-system', { number: 64496, name: 'Example AS' }, ['number']),
  directory: sco('directory', { path: 'C:\\Windows\\Temp' }, ['path']),
  'domain-name': DOMAIN,
  'email-addr': EMAIL_ADDR,
  'email-message': sco('email-message', { is_multipart: false, subject: 'Invoice', from_ref: EMAIL_ADDR['id'], to_refs: [EMAIL_ADDR['id']], body: 'See attached.' }, ['from_ref', 'subject', 'body']),
  file: FILE,
  'ipv4-addr': IPV4,
  'ipv6-addr': sco('ipv6-addr', { value: '2001:db8::1' }, ['value']),
  'mac-addr': sco('mac-addr', { value: '00:00:5e:00:53:01' }, ['value']),
  mutex: sco('mutex', { name: '__CLEANSWEEP__' }, ['name']),
  'network-traffic': TRAFFIC,
  process: sco('process', { pid: 1221, command_line: 'cmd.exe /c whoami', image_ref: FILE['id'], extensions: { 'windows-process-ext': { aslr_enabled: true } } }),
  software: SOFTWARE,
  url: sco('url', { value: 'https://example.com/payload.exe' }, ['value']),
  'user-account': USER,
  'windows-registry-key': sco('windows-registry-key', { key: 'HKEY_LOCAL_MACHINE\\Software\\Run', values: [{ name: 'updater', data: 'C:\\u.exe', data_type: 'REG_SZ' }] }, ['key', 'values']),
  'x509-certificate': sco('x509-certificate', { serial_number: '36:f7:d4:32:f4:ab:70:ea:d3:ce:98:6e:ea:99:93:49', issuer: 'CN=Example CA' }, ['hashes', 'serial_number']),
  'marking-definition': { type: 'marking-definition', spec_version: '2.1', id: 'marking-definition--d4b3f4d4-5a50-4a3d-8fb6-9e2e6c7b4a01', created: CREATED,
    definition_type: 'statement', definition: { statement: 'Copyright 2024, Example Corp' } },
  'language-content': sdo('language-content', { object_ref: INDICATOR['id'], object_modified: MODIFIED, contents: { fr: { name: 'Adresse C2' } } }),
  'extension-definition': sdo('extension-definition', { name: 'classification', schema: 'https://example.org/schema.json', version: '1.0.0', extension_types: ['property-extension'] }),
};
