import * as crypto from 'node:crypto';

/**
 * RFC 9162 section 2.1.1 hashing with SHA-256: a leaf is hashed as SHA-256(0x00 || data) and an
 * interior node as SHA-256(0x01 || left || right). The distinct prefixes keep a leaf from ever
 * being passed off as an interior node (second-preimage resistance of the tree).
 *
 * node:crypto is computation, not I/O, so the pure core may use it.
 */
export const HASH_SIZE = 32;

/** A SHA-256 digest: 32 bytes. */
export type Hash = Uint8Array;

/** One-shot `crypto.hash` (Node >= 20.12) skips building a Hash object: about 30 % faster per call. */
const oneShot = (crypto as { hash?: (algorithm: string, data: Uint8Array, encoding: 'buffer') => Buffer }).hash;

function sha256(data: Uint8Array): Buffer {
  return oneShot !== undefined ? oneShot('sha256', data, 'buffer') : crypto.createHash('sha256').update(data).digest();
}

/** MTH({}) = SHA-256() (RFC 9162 section 2.1.1): the root of the empty tree. */
export const EMPTY_ROOT: Hash = sha256(new Uint8Array(0));

/** SHA-256(0x00 || data). */
export function leafHash(data: Uint8Array): Hash {
  const input = new Uint8Array(data.length + 1);
  input.set(data, 1);
  return sha256(input);
}

/** SHA-256(0x00 || UTF-8 of text): the leaf hash of an entry's canonical JSON, with one copy. */
export function leafHashOfText(text: string): Hash {
  const input = Buffer.allocUnsafe(1 + Buffer.byteLength(text, 'utf8'));
  input[0] = 0x00;
  input.write(text, 1, 'utf8');
  return sha256(input);
}

// The interior-node input is always 65 bytes; one scratch buffer avoids an allocation per node.
// Safe because sha256 copies nothing back into it and JavaScript runs one call at a time.
const scratch = new Uint8Array(1 + 2 * HASH_SIZE);
scratch[0] = 0x01;

/** SHA-256(0x01 || left || right). */
export function nodeHash(left: Hash, right: Hash): Hash {
  scratch.set(left, 1);
  scratch.set(right, 1 + HASH_SIZE);
  return sha256(scratch);
}

/** Constant-length byte comparison (these are public values, so timing does not matter). */
export function hashesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

/** The largest power of two strictly smaller than n (n >= 2): the split point k of RFC 9162 2.1.1. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function toHex(hash: Uint8Array): string {
  return Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString('hex');
}

export function toBase64(hash: Uint8Array): string {
  return Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString('base64');
}
