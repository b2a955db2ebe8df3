/**
 * Reads operators' own warninglists from JSON: Entente's format (`kind`, `entries`) or a MISP
 * warninglist as published in MISP/misp-warninglists (`type`, `list`, `matching_attributes`), so
 * that those lists load unchanged. Every problem is reported with its JSON path.
 */
import { EntenteError, type ErrorDetail } from '../errors.js';
import { parseJson } from '../json/parse-json.js';
import { parseCidr } from '../pattern/ip.js';
import { VALUE_TYPES, WARNINGLIST_KINDS, type ValueType, type Warninglist, type WarninglistKind } from './types.js';

type Json = Readonly<Record<string, unknown>>;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const HEX = /^[0-9a-fA-F]+$/;
const HASH_LENGTHS = new Set([32, 40, 64, 128]);
/** MISP attribute types that hold hashes: a `string` list matching only these is a hash list. */
const MISP_HASH_ATTRIBUTES = /^(?:filename\|)?(?:md5|sha1|sha256|sha512)$/;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parses a warninglist file: one list, or an array of lists. Throws ENTENTE_INVALID_PARAMETER
 * naming the file and listing each problem with its JSON path.
 */
export function parseWarninglists(text: string, source: string): Warninglist[] {
  const value = parseJson(text, { source });
  const details: ErrorDetail[] = [];
  const lists: Warninglist[] = [];
  const items = Array.isArray(value) ? value.map((v, i) => [v, `$[${i}]`] as const) : [[value, '$'] as const];
  for (const [item, path] of items) {
    const list = readList(item, path, details);
    if (list !== undefined) lists.push(list);
  }
  if (details.length > 0) {
    throw new EntenteError('ENTENTE_INVALID_PARAMETER', `${source}: ${details.length} problem(s) in the warninglist`, details);
  }
  return lists;
}

function readList(value: unknown, path: string, details: ErrorDetail[]): Warninglist | undefined {
  if (!isObject(value)) {
    details.push({ path, message: 'must be an object with name, kind and entries (or a MISP warninglist)' });
    return undefined;
  }
  const before = details.length;
  const name = value['name'];
  if (typeof name !== 'string' || name.trim() === '') details.push({ path: `${path}.name`, message: 'must be a non-empty string' });
  const description = value['description'] ?? '';
  if (typeof description !== 'string') details.push({ path: `${path}.description`, message: 'must be a string' });
  const misp = value['kind'] === undefined && value['type'] !== undefined;
  const kind = misp ? mispKind(value, path, details) : ownKind(value, path, details);
  const types = misp ? undefined : readTypes(value['types'], `${path}.types`, details);
  const entriesKey = misp ? 'list' : 'entries';
  const entries = value[entriesKey];
  if (!Array.isArray(entries)) {
    details.push({ path: `${path}.${entriesKey}`, message: 'must be an array of strings' });
  } else if (kind !== undefined) {
    entries.forEach((e, i) => checkEntry(kind, e, `${path}.${entriesKey}[${i}]`, details));
  }
  if (details.length > before || kind === undefined || typeof name !== 'string' || !Array.isArray(entries)) return undefined;
  // MISP list names are sentences; the reason shown needs a short token.
  const shortName = NAME.test(name) ? name : name.trim().toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 100) || 'unnamed';
  return {
    name: shortName,
    description: typeof description === 'string' && description !== '' ? description : name,
    kind,
    ...(types === undefined ? {} : { types }),
    entries: (entries as string[]).map((e) => e.trim()),
  };
}

function ownKind(value: Json, path: string, details: ErrorDetail[]): WarninglistKind | undefined {
  const kind = value['kind'];
  if (typeof kind === 'string' && (WARNINGLIST_KINDS as ReadonlyArray<string>).includes(kind)) return kind as WarninglistKind;
  details.push({ path: `${path}.kind`, message: `must be one of ${WARNINGLIST_KINDS.join(', ')}` });
  return undefined;
}

function mispKind(value: Json, path: string, details: ErrorDetail[]): WarninglistKind | undefined {
  const type = value['type'];
  if (type === 'cidr') return 'cidr';
  if (type === 'hostname') return 'domain-suffix';
  if (type === 'string') {
    const attributes = value['matching_attributes'];
    const hashOnly = Array.isArray(attributes) && attributes.length > 0
      && attributes.every((a) => typeof a === 'string' && MISP_HASH_ATTRIBUTES.test(a));
    return hashOnly ? 'hash' : 'exact';
  }
  details.push({
    path: `${path}.type`,
    message: type === 'substring' || type === 'regex'
      ? `MISP ${String(type)} lists are not supported (only cidr, hostname and string)`
      : 'must be cidr, hostname or string (MISP warninglist)',
  });
  return undefined;
}

function readTypes(value: unknown, path: string, details: ErrorDetail[]): ValueType[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) {
    details.push({ path, message: `must be a non-empty array of ${VALUE_TYPES.join(', ')}` });
    return undefined;
  }
  value.forEach((t, i) => {
    if (!(VALUE_TYPES as ReadonlyArray<unknown>).includes(t)) details.push({ path: `${path}[${i}]`, message: `must be one of ${VALUE_TYPES.join(', ')}` });
  });
  return value as ValueType[];
}

function checkEntry(kind: WarninglistKind, entry: unknown, path: string, details: ErrorDetail[]): void {
  if (typeof entry !== 'string' || entry.trim() === '') {
    details.push({ path, message: 'must be a non-empty string' });
    return;
  }
  const text = entry.trim();
  if (kind === 'cidr' && parseCidr(text) === undefined) details.push({ path, message: `"${text}" is not an IPv4 or IPv6 address or CIDR block` });
  if (kind === 'hash' && !(HEX.test(text) && HASH_LENGTHS.has(text.length))) {
    details.push({ path, message: `"${text.slice(0, 140)}" is not an MD5, SHA-1, SHA-256 or SHA-512 hash in hex` });
  }
  if (kind === 'domain-suffix' && /[\s/@:]/.test(text)) details.push({ path, message: `"${text.slice(0, 140)}" is not a domain name` });
}
