import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCallback, type ScryptOptions } from 'node:crypto';
import { promisify } from 'node:util';
import { EntenteError } from '../../core/errors.js';

const scrypt = promisify(scryptCallback) as (secret: string | Buffer, salt: Buffer, length: number, options: ScryptOptions) => Promise<Buffer>;

/** scrypt parameters, stored beside the keys so they can be raised later without breaking old files. */
export interface KdfParams {
  readonly name: 'scrypt';
  readonly salt: string;
  /** CPU/memory cost (a power of two), block size and parallelism (RFC 7914). */
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** AES-256-GCM output, base64url. */
export interface SealedBlob {
  readonly iv: string;
  readonly tag: string;
  readonly ciphertext: string;
}

/** 2^15 with r = 8 costs 32 MiB and about 0.1 s: once per process, since the derived key is kept. */
export const DEFAULT_KDF_COST = 2 ** 15;

export function newKdfParams(cost: number = DEFAULT_KDF_COST): KdfParams {
  return { name: 'scrypt', salt: randomBytes(16).toString('base64url'), N: cost, r: 8, p: 1 };
}

/** Derives the 256-bit key that encrypts private keys from a passphrase or the master key file's content. */
export async function deriveKey(secret: string | Buffer, params: KdfParams): Promise<Buffer> {
  if (params.name !== 'scrypt' || !Number.isInteger(params.N) || params.N < 2 || params.N > 2 ** 20 || params.r > 32 || params.p > 16) {
    throw new EntenteError('ENTENTE_KEYS_UNREADABLE', `The key file names key-derivation parameters this node does not accept (${params.name}, N=${params.N})`);
  }
  return scrypt(secret, Buffer.from(params.salt, 'base64url'), 32, { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 });
}

/** Encrypts with AES-256-GCM; `aad` binds the blob to its entry (the kid) so blobs cannot be swapped between entries. */
export function encryptBlob(key: Buffer, plaintext: string, aad: string): SealedBlob {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { iv: iv.toString('base64url'), tag: cipher.getAuthTag().toString('base64url'), ciphertext: ciphertext.toString('base64url') };
}

/** Decrypts a blob; `undefined` when the key is wrong or the blob or its entry was altered (GCM cannot tell which). */
export function decryptBlob(key: Buffer, blob: SealedBlob, aad: string): string | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(blob.iv, 'base64url'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(blob.tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(blob.ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
