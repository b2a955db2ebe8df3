/**
 * Object types and identifiers (STIX 2.1 sections 2.9 and 3.1): which types the specification
 * defines, in which category, and how an identifier `type--UUID` decomposes.
 */
import type { Category, RefTarget } from './rules/property-spec.js';

export const SDO_TYPES: ReadonlySet<string> = new Set([
  'attack-pattern', 'campaign', 'course-of-action', 'grouping', 'identity', 'incident', 'indicator',
  'infrastructure', 'intrusion-set', 'location', 'malware', 'malware-analysis', 'note', 'observed-data',
  'opinion', 'report', 'threat-actor', 'tool', 'vulnerability',
]);
export const SRO_TYPES: ReadonlySet<string> = new Set(['relationship', 'sighting']);
export const SCO_TYPES: ReadonlySet<string> = new Set([
  'artifact', 'autonomous-system', 'directory', 'domain-name', 'email-addr', 'email-message', 'file',
  'ipv4-addr', 'ipv6-addr', 'mac-addr', 'mutex', 'network-traffic', 'process', 'software', 'url',
  'user-account', 'windows-registry-key', 'x509-certificate',
]);
export const META_TYPES: ReadonlySet<string> = new Set(['marking-definition', 'language-content', 'extension-definition']);

/** The category of a type the specification defines; undefined for custom types (and `bundle`). */
export function categoryOf(type: string): Category | undefined {
  if (SDO_TYPES.has(type)) return 'sdo';
  if (SCO_TYPES.has(type)) return 'sco';
  if (SRO_TYPES.has(type)) return 'sro';
  if (META_TYPES.has(type)) return 'meta';
  return undefined;
}

/**
 * Type names (section 3.1): ASCII a–z, 0–9 and hyphen, 3 to 250 characters. Starting with a letter
 * and not doubling the hyphen keeps `type--UUID` unambiguous (the OASIS schema enforces the same).
 */
const TYPE_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*-?$/;

export function isValidTypeName(type: string): boolean {
  return type.length >= 3 && type.length <= 250 && TYPE_NAME.test(type);
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** `[a-z0-9-]+--` followed by the 36 characters of a UUID; hand-written because it runs for every reference. */
function splitIdentifier(id: string): { readonly type: string; readonly uuid: string } | undefined {
  const cut = id.length - 38;
  if (cut < 1 || id.charCodeAt(cut) !== 45 || id.charCodeAt(cut + 1) !== 45) return undefined;
  for (let i = 0; i < cut; i++) {
    const c = id.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45)) return undefined;
  }
  const uuid = id.slice(cut + 2);
  for (let i = 0; i < 36; i++) {
    const c = uuid.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23 ? c !== 45 : !isHex(c)) return undefined;
  }
  return { type: id.slice(0, cut), uuid };
}

export interface ParsedIdentifier {
  readonly type: string;
  readonly uuid: string;
  /** The UUID version nibble (1–5 for RFC 4122 UUIDs). */
  readonly version: number;
}

export type IdentifierProblem = 'format' | 'not-rfc4122';

/**
 * Splits `type--UUID`. The UUID MUST be RFC 4122-compliant (section 2.9): version 1 to 5 and the
 * `10xx` variant.
 */
export function parseIdentifier(id: string): ParsedIdentifier | IdentifierProblem {
  const parts = splitIdentifier(id);
  if (parts === undefined) return 'format';
  const version = Number.parseInt(parts.uuid.charAt(14), 16);
  if (version < 1 || version > 5 || !'89abAB'.includes(parts.uuid.charAt(19))) return 'not-rfc4122';
  return { type: parts.type, uuid: parts.uuid, version };
}

/** The type part of an identifier, or undefined when it is not one. */
export function typeOfId(id: string): string | undefined {
  const cut = id.indexOf('--');
  return cut > 0 ? id.slice(0, cut) : undefined;
}

/** Whether a reference target type is allowed; custom (unknown) types count as SDO or SCO. */
export function refAllows(target: RefTarget, type: string): boolean {
  if (type === 'bundle') return false;
  const category = categoryOf(type);
  switch (target) {
    case 'any':
      return true;
    case 'sdo':
      return category === 'sdo' || category === undefined;
    case 'sco':
      return category === 'sco' || category === undefined;
    case 'sdo-or-sco':
      return category === 'sdo' || category === 'sco' || category === undefined;
    case 'sco-or-sro':
      return category === 'sco' || category === 'sro' || category === undefined;
    default:
      return target.includes(type);
  }
}

/** Words for messages: `an SDO`, `identity or location`. */
export function describeTarget(target: RefTarget): string {
  switch (target) {
    case 'any':
      return 'any STIX object';
    case 'sdo':
      return 'an SDO';
    case 'sco':
      return 'an SCO';
    case 'sdo-or-sco':
      return 'an SDO or SCO';
    case 'sco-or-sro':
      return 'an SCO or SRO';
    default:
      return target.join(' or ');
  }
}
