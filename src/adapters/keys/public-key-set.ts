import { calculateJwkThumbprint } from 'jose';
import { EntenteError, type ErrorDetail } from '../../core/errors.js';
import type { Jwk } from '../../ports/key-ring.js';

/** A peer's keys read from the JWK Set it handed over, each with its kid checked against its thumbprint. */
export interface ReadKeySet {
  readonly organisation?: string;
  readonly signing: ReadonlyArray<Jwk>;
  readonly encryption: ReadonlyArray<Jwk>;
}

const X_LENGTH = 43; // 32 bytes in unpadded base64url (RFC 8037 section 2)

/**
 * Reads a JWK Set of Ed25519 and X25519 public keys. Everything wrong is reported at once, with
 * its JSON path; a private key (`d`) is refused outright, since pinning one would mean it was sent.
 */
export async function readPublicKeySet(value: unknown, source: string): Promise<ReadKeySet> {
  const problems: ErrorDetail[] = [];
  const fail = (): EntenteError => new EntenteError('ENTENTE_BAD_REQUEST', `${source} is not a JWK Set of Ed25519 and X25519 public keys`, problems);
  if (value === null || typeof value !== 'object' || !Array.isArray((value as { keys?: unknown }).keys)) {
    problems.push({ path: '$.keys', message: 'must be an array of JWKs' });
    throw fail();
  }
  const set = value as { readonly keys: ReadonlyArray<unknown>; readonly organisation?: unknown };
  const signing: Jwk[] = [];
  const encryption: Jwk[] = [];
  for (const [i, raw] of set.keys.entries()) {
    const path = `$.keys[${i}]`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      problems.push({ path, message: 'must be a JSON object' });
      continue;
    }
    const jwk = raw as Record<string, unknown>;
    if ('d' in jwk) problems.push({ path: `${path}.d`, message: 'is a private key: never share it; export the public keys with entente keys export-public' });
    if (jwk['kty'] !== 'OKP') problems.push({ path: `${path}.kty`, message: 'must be "OKP" (RFC 8037)' });
    if (jwk['crv'] !== 'Ed25519' && jwk['crv'] !== 'X25519') problems.push({ path: `${path}.crv`, message: 'must be "Ed25519" or "X25519"' });
    if (typeof jwk['x'] !== 'string' || jwk['x'].length !== X_LENGTH || !/^[A-Za-z0-9_-]+$/.test(jwk['x'])) {
      problems.push({ path: `${path}.x`, message: 'must be a 32-byte public key in base64url' });
    }
    if (problems.some((p) => p.path?.startsWith(path) === true)) continue;
    const publicJwk = { kty: 'OKP', crv: jwk['crv'] as string, x: jwk['x'] as string };
    const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
    if (jwk['kid'] !== undefined && jwk['kid'] !== kid) {
      problems.push({ path: `${path}.kid`, message: `is not the key's RFC 7638 thumbprint (${kid})` });
      continue;
    }
    (publicJwk.crv === 'Ed25519' ? signing : encryption).push({ ...publicJwk, kid });
  }
  if (problems.length === 0 && signing.length === 0) problems.push({ path: '$.keys', message: 'holds no Ed25519 signing key' });
  if (problems.length === 0 && encryption.length === 0) problems.push({ path: '$.keys', message: 'holds no X25519 key-agreement key' });
  if (set.organisation !== undefined && typeof set.organisation !== 'string') problems.push({ path: '$.organisation', message: 'must be a string' });
  if (problems.length > 0) throw fail();
  return { ...(typeof set.organisation === 'string' ? { organisation: set.organisation } : {}), signing, encryption };
}
