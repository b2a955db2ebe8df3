import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { EntenteError } from '../errors.js';
import type { NoteSigner, NoteVerifier } from './signed-note.js';

/*
 * Ed25519 note keys (C2SP signed-note, signature type 0x01). node:crypto's sign and verify are
 * computation on keys already in memory (Ed25519 signing is deterministic, RFC 8032), so they
 * sit in the core beside the note format: an auditor's offline check needs nothing else. Where
 * keys come from (files, an HSM) is the KeyRing's business; these take a KeyObject.
 */

const ED25519_TYPE = 0x01;

/** The 32 raw bytes of an Ed25519 public key. */
export function rawPublicKey(key: KeyObject): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new RangeError('not an Ed25519 key');
  return Buffer.from(jwk.x, 'base64url');
}

function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new RangeError('an Ed25519 public key is 32 bytes');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' });
}

/** key ID = SHA-256(key name || 0x0A || 0x01 || public key)[:4], big-endian. */
export function ed25519KeyId(name: string, publicKey: Uint8Array): number {
  const digest = createHash('sha256').update(name, 'utf8').update(Uint8Array.of(0x0a, ED25519_TYPE)).update(publicKey).digest();
  return digest.readUInt32BE(0);
}

export function ed25519Signer(name: string, privateKey: KeyObject): NoteSigner {
  const keyId = ed25519KeyId(name, rawPublicKey(createPublicKey(privateKey)));
  return { name, keyId, sign: (message) => sign(null, message, privateKey) };
}

export function ed25519Verifier(name: string, publicKey: KeyObject | Uint8Array): NoteVerifier {
  const key = publicKey instanceof Uint8Array ? publicKeyFromRaw(publicKey) : publicKey;
  const keyId = ed25519KeyId(name, rawPublicKey(key));
  return { name, keyId, verify: (message, signature) => signature.length === 64 && verify(null, message, key, signature) };
}

/**
 * The verifier key as one printable string, `<name>+<key ID, 8 hex>+<base64(0x01 || key)>`, the
 * form Go's golang.org/x/mod/sumdb/note and the transparency-dev witnesses use to pin a log.
 */
export function formatVerifierKey(name: string, publicKey: KeyObject | Uint8Array): string {
  const raw = publicKey instanceof Uint8Array ? publicKey : rawPublicKey(publicKey);
  const id = ed25519KeyId(name, raw).toString(16).padStart(8, '0');
  return `${name}+${id}+${Buffer.concat([Uint8Array.of(ED25519_TYPE), raw]).toString('base64')}`;
}

export function parseVerifierKey(vkey: string): NoteVerifier {
  const bad = (why: string) => new EntenteError('ENTENTE_INVALID_PARAMETER', `Not a verifier key (<name>+<8 hex>+<base64>): ${why}`, [{ path: '$', message: why }]);
  const parts = vkey.trim().split('+');
  // Base64 may itself contain "+": the name and the ID are the first two fields.
  const [name, id] = parts;
  if (parts.length < 3 || name === undefined || name === '' || id === undefined || !/^[0-9a-f]{8}$/.test(id)) throw bad('expected name+keyid+key');
  const bytes = Buffer.from(parts.slice(2).join('+'), 'base64');
  if (bytes.length !== 33 || bytes[0] !== ED25519_TYPE) throw bad('the key is not an Ed25519 (type 0x01) public key');
  const verifier = ed25519Verifier(name, bytes.subarray(1));
  if (verifier.keyId !== Number.parseInt(id, 16)) throw bad('the key ID does not match the name and key');
  return verifier;
}
