import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/** The namespace of deterministic SCO identifiers (section 2.9). */
export const SCO_ID_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

const NAMESPACE_BYTES = Buffer.from(SCO_ID_NAMESPACE.replace(/-/g, ''), 'hex');
const HASH_PREFERENCE = ['MD5', 'SHA-1', 'SHA-256', 'SHA-512'];

/** RFC 4122 section 4.3: SHA-1 of namespace and name, version 5, variant 10xx. */
export function uuidV5(name: string, namespace: Buffer = NAMESPACE_BYTES): string {
  const digest = createHash('sha1').update(namespace).update(name, 'utf8').digest();
  digest[6] = ((digest[6] ?? 0) & 0x0f) | 0x50;
  digest[8] = ((digest[8] ?? 0) & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Only one hash contributes: MD5, then SHA-1, SHA-256, SHA-512, else the first one given. */
function chooseOneHash(hashes: unknown): unknown {
  if (hashes === null || typeof hashes !== 'object' || Array.isArray(hashes)) return hashes;
  const record = hashes as { readonly [k: string]: unknown };
  const key = HASH_PREFERENCE.find((k) => record[k] !== undefined) ?? Object.keys(record)[0];
  return key === undefined ? undefined : { [key]: record[key] };
}

/**
 * The deterministic identifier of an SCO (section 2.9): UUIDv5 in the STIX namespace of the
 * RFC 8785 serialisation of its ID contributing properties. Undefined when none is present, in
 * which case the specification asks for a UUIDv4.
 */
export function deterministicScoId(type: string, object: { readonly [k: string]: unknown }, contributing: ReadonlyArray<string>): string | undefined {
  const picked: Record<string, unknown> = {};
  for (const property of contributing) {
    const value = property === 'hashes' ? chooseOneHash(object[property]) : object[property];
    if (value !== undefined) picked[property] = value;
  }
  if (Object.keys(picked).length === 0) return undefined;
  return `${type}--${uuidV5(canonicalJson(picked))}`;
}
