/** Rule table of the STIX Cyber-observable Objects (section 6). */
import type { IssueSink } from '../issues.js';
import type { JsonRecord, ObjectShape, TypeRule } from './property-spec.js';
import {
  atLeastOne, bool, closed, dict, exclusive, hashes, hex, int, list, object, open, order, ref, refs, str, strs, ts,
} from './property-spec.js';
import * as V from './vocabularies.js';

const IPV4_CIDR = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\/(?:3[0-2]|[12]?\d))?$/;
const MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/;

const IPV4_PLAIN = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;

/** IPv6 (RFC 4291 text forms, embedded IPv4 included) with an optional CIDR suffix. */
export function isIpv6(value: string): boolean {
  const [address = '', prefix, ...rest] = value.split('/');
  if (rest.length > 0) return false;
  if (prefix !== undefined && !/^(?:12[0-8]|1[01]\d|[1-9]?\d)$/.test(prefix)) return false;
  let text = address;
  const lastColon = text.lastIndexOf(':');
  if (lastColon < 0) return false;
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!IPV4_PLAIN.test(tail)) return false;
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const all = [...groups(halves[0] ?? ''), ...groups(halves[1] ?? '')];
  if (!all.every((g) => HEX_GROUP.test(g))) return false;
  return halves.length === 2 ? all.length < 8 : all.length === 8;
}

function checkFormat(property: string, test: (v: string) => boolean, what: string) {
  return (value: JsonRecord, sink: IssueSink, path: string): void => {
    const v = value[property];
    if (typeof v === 'string' && !test(v)) sink.error('invalid-format', `${path}.${property}`, `${property} must be ${what}, not ${JSON.stringify(v.slice(0, 80))}`);
  };
}

/** Section 6.5: body only when not multipart, body_multipart only when multipart. */
function checkMultipart(value: JsonRecord, sink: IssueSink, path: string): void {
  if (value['is_multipart'] === true && value['body'] !== undefined) sink.error('dependent-property', `${path}.body`, 'body must not be present when is_multipart is true (use body_multipart)');
  if (value['is_multipart'] === false && value['body_multipart'] !== undefined) sink.error('dependent-property', `${path}.body_multipart`, 'body_multipart must not be present when is_multipart is false');
}

/** Section 6.12: an active flow has no end. */
function checkActive(value: JsonRecord, sink: IssueSink, path: string): void {
  if (value['is_active'] === true && value['end'] !== undefined) sink.error('dependent-property', `${path}.end`, 'end must not be present when is_active is true');
}

const MIME_PART: ObjectShape = {
  name: 'email-mime-part-type',
  properties: { body: str, body_raw_ref: ref(['artifact', 'file']), content_type: str, content_disposition: str },
  constraints: [atLeastOne('body', 'body_raw_ref'), exclusive('body', 'body_raw_ref')],
};

const REGISTRY_VALUE: ObjectShape = {
  name: 'windows-registry-value-type',
  properties: { name: str, data: str, data_type: closed('windows-registry-datatype-enum', V.WINDOWS_REGISTRY_DATATYPE_ENUM) },
};

const X509_V3_EXTENSIONS: ObjectShape = {
  name: 'x509-v3-extensions-type',
  properties: {
    basic_constraints: str, name_constraints: str, policy_constraints: str, key_usage: str, extended_key_usage: str,
    subject_key_identifier: str, authority_key_identifier: str, subject_alternative_name: str, issuer_alternative_name: str,
    subject_directory_attributes: str, crl_distribution_points: str, inhibit_any_policy: str,
    private_key_usage_period_not_before: ts, private_key_usage_period_not_after: ts, certificate_policies: str, policy_mappings: str,
  },
};

const fileTimes = { ctime: ts, mtime: ts, atime: ts };
const addressRefs = { resolves_to_refs: refs(['mac-addr']), belongs_to_refs: refs(['autonomous-system']) };
const addressDeprecations = {
  resolves_to_refs: 'resolves_to_refs is deprecated in STIX 2.1: use a resolves-to relationship',
  belongs_to_refs: 'belongs_to_refs is deprecated in STIX 2.1: use a belongs-to relationship',
};

export const SCO_RULES: Readonly<Record<string, TypeRule>> = {
  artifact: {
    category: 'sco', name: 'artifact', idContributing: [['hashes', 'payload_bin']],
    constraints: [atLeastOne('payload_bin', 'url'), exclusive('payload_bin', 'url'), { kind: 'requires', property: 'url', requires: ['hashes'] },
      { kind: 'requires', property: 'decryption_key', requires: ['encryption_algorithm'] }],
    properties: {
      mime_type: str, payload_bin: { kind: 'binary' }, url: { kind: 'url' }, hashes,
      encryption_algorithm: closed('encryption-algorithm-enum', V.ENCRYPTION_ALGORITHM_ENUM), decryption_key: str,
    },
  },
  'autonomous-system': { category: 'sco', name: 'autonomous-system', required: ['number'], idContributing: [['number']], properties: { number: int(0), name: str, rir: str } },
  directory: {
    category: 'sco', name: 'directory', required: ['path'], idContributing: [['path']],
    properties: { path: str, path_enc: str, ...fileTimes, contains_refs: refs(['file', 'directory']) },
  },
  'domain-name': {
    category: 'sco', name: 'domain-name', required: ['value'], idContributing: [['value']],
    deprecated: { resolves_to_refs: 'resolves_to_refs is deprecated in STIX 2.1: use a resolves-to relationship' },
    properties: { value: str, resolves_to_refs: refs(['ipv4-addr', 'ipv6-addr', 'domain-name']) },
  },
  'email-addr': { category: 'sco', name: 'email-addr', required: ['value'], idContributing: [['value']], properties: { value: str, display_name: str, belongs_to_ref: ref(['user-account']) } },
  'email-message': {
    category: 'sco', name: 'email-message', required: ['is_multipart'], idContributing: [['from_ref', 'subject', 'body']],
    constraints: [{ kind: 'check', check: checkMultipart }],
    properties: {
      is_multipart: bool, date: ts, content_type: str, from_ref: ref(['email-addr']), sender_ref: ref(['email-addr']),
      to_refs: refs(['email-addr']), cc_refs: refs(['email-addr']), bcc_refs: refs(['email-addr']), message_id: str, subject: str,
      received_lines: strs, additional_header_fields: dict, body: str, body_multipart: list(object(MIME_PART)), raw_email_ref: ref(['artifact']),
    },
  },
  file: {
    category: 'sco', name: 'file', extensions: ['archive-ext', 'ntfs-ext', 'pdf-ext', 'raster-image-ext', 'windows-pebinary-ext'],
    idContributing: [['hashes', 'name', 'extensions', 'parent_directory_ref'], ['hashes', 'name', 'extensions']],
    constraints: [atLeastOne('hashes', 'name')],
    properties: {
      hashes, size: int(0), name: str, name_enc: str, magic_number_hex: hex, mime_type: str, ...fileTimes,
      parent_directory_ref: ref(['directory']), contains_refs: refs('sco'), content_ref: ref(['artifact']),
    },
  },
  'ipv4-addr': {
    category: 'sco', name: 'ipv4-addr', required: ['value'], idContributing: [['value']], deprecated: addressDeprecations,
    constraints: [{ kind: 'check', check: checkFormat('value', (v) => IPV4_CIDR.test(v), 'an IPv4 address or CIDR block') }],
    properties: { value: str, ...addressRefs },
  },
  'ipv6-addr': {
    category: 'sco', name: 'ipv6-addr', required: ['value'], idContributing: [['value']], deprecated: addressDeprecations,
    constraints: [{ kind: 'check', check: checkFormat('value', isIpv6, 'an IPv6 address or CIDR block') }],
    properties: { value: str, ...addressRefs },
  },
  'mac-addr': {
    category: 'sco', name: 'mac-addr', required: ['value'], idContributing: [['value']],
    constraints: [{ kind: 'check', check: checkFormat('value', (v) => MAC.test(v), 'a lowercase colon-delimited MAC-48 address') }],
    properties: { value: str },
  },
  mutex: { category: 'sco', name: 'mutex', required: ['name'], idContributing: [['name']], properties: { name: str } },
  'network-traffic': {
    category: 'sco', name: 'network-traffic', required: ['protocols'], extensions: ['http-request-ext', 'icmp-ext', 'socket-ext', 'tcp-ext'],
    idContributing: [
      ['start', 'end', 'src_ref', 'dst_ref', 'src_port', 'dst_port', 'protocols', 'extensions'],
      ['start', 'src_ref', 'dst_ref', 'src_port', 'dst_port', 'protocols'],
    ],
    constraints: [atLeastOne('src_ref', 'dst_ref'), order('start', 'end'), { kind: 'check', check: checkActive }],
    properties: {
      start: ts, end: ts, is_active: bool, src_ref: ref(['ipv4-addr', 'ipv6-addr', 'mac-addr', 'domain-name']),
      dst_ref: ref(['ipv4-addr', 'ipv6-addr', 'mac-addr', 'domain-name']), src_port: int(0, 65535), dst_port: int(0, 65535),
      protocols: strs, src_byte_count: int(0), dst_byte_count: int(0), src_packets: int(0), dst_packets: int(0), ipfix: dict,
      src_payload_ref: ref(['artifact']), dst_payload_ref: ref(['artifact']), encapsulates_refs: refs(['network-traffic']),
      encapsulated_by_ref: ref(['network-traffic']),
    },
  },
  process: {
    category: 'sco', name: 'process', extensions: ['windows-process-ext', 'windows-service-ext'],
    constraints: [atLeastOne('is_hidden', 'pid', 'created_time', 'cwd', 'command_line', 'environment_variables', 'opened_connection_refs',
      'creator_user_ref', 'image_ref', 'parent_ref', 'child_refs', 'extensions')],
    properties: {
      is_hidden: bool, pid: int(), created_time: ts, cwd: str, command_line: str, environment_variables: dict,
      opened_connection_refs: refs(['network-traffic']), creator_user_ref: ref(['user-account']), image_ref: ref(['file']),
      parent_ref: ref(['process']), child_refs: refs(['process']),
    },
  },
  software: {
    category: 'sco', name: 'software', required: ['name'], idContributing: [['name', 'cpe', 'swid', 'vendor', 'version'], ['name', 'cpe', 'vendor', 'version']],
    properties: { name: str, cpe: str, swid: str, languages: strs, vendor: str, version: str },
  },
  url: { category: 'sco', name: 'url', required: ['value'], idContributing: [['value']], properties: { value: str } },
  'user-account': {
    category: 'sco', name: 'user-account', extensions: ['unix-account-ext'], idContributing: [['account_type', 'user_id', 'account_login']],
    constraints: [atLeastOne('user_id', 'credential', 'account_login', 'account_type', 'display_name', 'is_service_account', 'is_privileged',
      'can_escalate_privs', 'is_disabled', 'account_created', 'account_expires', 'credential_last_changed', 'account_first_login',
      'account_last_login', 'extensions')],
    properties: {
      user_id: str, credential: str, account_login: str, account_type: open('account-type-ov', V.ACCOUNT_TYPE_OV), display_name: str,
      is_service_account: bool, is_privileged: bool, can_escalate_privs: bool, is_disabled: bool, account_created: ts,
      account_expires: ts, credential_last_changed: ts, account_first_login: ts, account_last_login: ts,
    },
  },
  'windows-registry-key': {
    category: 'sco', name: 'windows-registry-key', idContributing: [['key', 'values']],
    constraints: [atLeastOne('key', 'values', 'modified_time', 'creator_user_ref', 'number_of_subkeys')],
    properties: { key: str, values: list(object(REGISTRY_VALUE)), modified_time: ts, creator_user_ref: ref(['user-account']), number_of_subkeys: int(0) },
  },
  'x509-certificate': {
    category: 'sco', name: 'x509-certificate', idContributing: [['hashes', 'serial_number']],
    constraints: [atLeastOne('is_self_signed', 'hashes', 'version', 'serial_number', 'signature_algorithm', 'issuer', 'validity_not_before',
      'validity_not_after', 'subject', 'subject_public_key_algorithm', 'subject_public_key_modulus', 'subject_public_key_exponent',
      'x509_v3_extensions'), order('validity_not_before', 'validity_not_after')],
    properties: {
      is_self_signed: bool, hashes, version: str, serial_number: str, signature_algorithm: str, issuer: str, validity_not_before: ts,
      validity_not_after: ts, subject: str, subject_public_key_algorithm: str, subject_public_key_modulus: str,
      subject_public_key_exponent: int(), x509_v3_extensions: object(X509_V3_EXTENSIONS),
    },
  },
};
