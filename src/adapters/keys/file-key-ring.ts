import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint } from 'jose';
import { EntenteError } from '../../core/errors.js';
import { KEY_MANAGEMENT_ALG, SIGNATURE_ALG } from '../../core/federation/envelope-types.js';
import type { Clock } from '../../ports/clock.js';
import type { Jwk, KeyRing, KeyUse, NodeKey, PrivateNodeKey, PublicKeySet } from '../../ports/key-ring.js';
import { decryptBlob, deriveKey, encryptBlob, newKdfParams, type KdfParams, type SealedBlob } from './key-crypto.js';

export const KEY_FILE = 'node-keys.json';
export const MASTER_KEY_FILE = 'master.key';
export const DEFAULT_OVERLAP_MS = 7 * 24 * 60 * 60 * 1000;
const FORMAT = 'entente-keys/1';

/** One key as stored: the public half in clear, the private half encrypted; retired keys lose it. */
interface StoredKey {
  readonly kid: string;
  readonly use: KeyUse;
  readonly created: string;
  readonly rotatedAt?: string;
  readonly retiresAt?: string;
  readonly public: Jwk;
  readonly private?: SealedBlob;
}

interface KeyFile {
  readonly format: typeof FORMAT;
  /** What the derived key comes from, so a missing passphrase is reported as such rather than as a wrong one. */
  readonly protection: 'passphrase' | 'master-key';
  readonly kdf: KdfParams;
  readonly keys: ReadonlyArray<StoredKey>;
}

export interface FileKeyRingOptions {
  /** `DATA_DIR/keys`. */
  readonly dir: string;
  readonly clock: Clock;
  /** From `ENTENTE_KEY_PASSPHRASE`; when absent a random `master.key` (mode 0600) is used. */
  readonly passphrase?: string;
  /** scrypt cost for new key files (a power of two); lower only in tests. */
  readonly kdfCost?: number;
}

/**
 * The node's keys in `DATA_DIR/keys/node-keys.json`, private halves encrypted with AES-256-GCM
 * under a scrypt-derived key. Writes go to a temporary file renamed into place, so a crash
 * leaves the old or the new file, never half of one. Mutations within one process are
 * serialised; two processes rotating at the same instant could lose one rotation.
 */
export class FileKeyRing implements KeyRing {
  readonly #options: FileKeyRingOptions;
  #derived: { readonly salt: string; readonly key: Buffer } | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: FileKeyRingOptions) {
    this.#options = options;
  }

  get file(): string {
    return join(this.#options.dir, KEY_FILE);
  }

  ensure(): Promise<{ readonly created: boolean }> {
    return this.#serial(() => this.#create());
  }

  /** Checks the passphrase too, so a misconfigured node says so at its first look at its keys. */
  async list(): Promise<ReadonlyArray<NodeKey>> {
    const file = await this.#load();
    await this.#keyFor(file, false);
    const now = this.#options.clock.now();
    const rank = { current: 0, overlap: 1, retired: 2 } as const;
    return file.keys
      .map((k) => nodeKeyOf(k, now))
      .sort((a, b) => rank[a.state] - rank[b.state] || b.created.localeCompare(a.created) || a.use.localeCompare(b.use));
  }

  rotate(options: { readonly overlapMs?: number } = {}): Promise<ReadonlyArray<NodeKey>> {
    const overlapMs = options.overlapMs ?? DEFAULT_OVERLAP_MS;
    if (!Number.isFinite(overlapMs) || overlapMs < 0) throw new EntenteError('ENTENTE_INVALID_PARAMETER', `The overlap period must be a non-negative duration, not ${overlapMs}`);
    return this.#serial(async () => {
      const file = await this.#load();
      const key = await this.#keyFor(file, false);
      const now = this.#options.clock.now();
      const retiresAt = new Date(now + overlapMs).toISOString();
      const kept = file.keys.map((k) => (k.rotatedAt === undefined ? { ...k, rotatedAt: this.#now(), retiresAt } : k));
      await this.#write({ ...file, keys: [...(await newKeyPair(key, this.#now())), ...dropRetiredSecrets(kept, now)] }, false);
      return this.list();
    });
  }

  async signingKey(): Promise<PrivateNodeKey> {
    const file = await this.#load();
    const current = file.keys.find((k) => k.use === 'sig' && k.rotatedAt === undefined);
    if (current === undefined) throw new EntenteError('ENTENTE_KEYS_UNREADABLE', `${this.file} holds no current signing key`);
    return this.#unseal(file, current);
  }

  async decryptionKey(kid: string): Promise<PrivateNodeKey | undefined> {
    const file = await this.#load();
    const now = this.#options.clock.now();
    const entry = file.keys.find((k) => k.kid === kid && k.use === 'enc');
    if (entry === undefined || nodeKeyOf(entry, now).state === 'retired') return undefined;
    return this.#unseal(file, entry);
  }

  async publicKeySet(): Promise<PublicKeySet> {
    const keys = (await this.list()).filter((k) => k.state !== 'retired');
    return { keys: keys.map((k) => ({ ...k.publicJwk, kid: k.kid, use: k.use, alg: k.use === 'sig' ? SIGNATURE_ALG : KEY_MANAGEMENT_ALG })) };
  }

  async #unseal(file: KeyFile, entry: StoredKey): Promise<PrivateNodeKey> {
    if (entry.private === undefined) throw new EntenteError('ENTENTE_KEYS_UNREADABLE', `The private half of key ${entry.kid} was removed at its retirement`);
    const key = await this.#keyFor(file, false);
    const text = decryptBlob(key, entry.private, `${FORMAT}|${entry.kid}`);
    if (text === undefined) throw new EntenteError('ENTENTE_KEYS_UNREADABLE', `Key ${entry.kid} in ${this.file} does not decrypt: the file was altered`);
    return { kid: entry.kid, privateJwk: JSON.parse(text) as Jwk };
  }

  /** The derived key; checked against the first key's blob so a wrong passphrase fails here, clearly. */
  async #keyFor(file: KeyFile, creating: boolean): Promise<Buffer> {
    if (this.#derived?.salt === file.kdf.salt) return this.#derived.key;
    const { passphrase } = this.#options;
    const hasPassphrase = passphrase !== undefined && passphrase !== '';
    if (file.protection === 'passphrase' && !hasPassphrase) {
      throw new EntenteError('ENTENTE_KEYS_UNREADABLE', `The keys in ${this.file} are protected by a passphrase: set ENTENTE_KEY_PASSPHRASE`);
    }
    if (file.protection === 'master-key' && hasPassphrase) {
      throw new EntenteError('ENTENTE_KEYS_UNREADABLE', `The keys in ${this.file} are protected by ${MASTER_KEY_FILE}, not a passphrase: unset ENTENTE_KEY_PASSPHRASE`);
    }
    const secret = hasPassphrase ? passphrase : await this.#masterKey(creating);
    const key = await deriveKey(secret, file.kdf);
    const probe = file.keys.find((k) => k.private !== undefined);
    if (probe?.private !== undefined && decryptBlob(key, probe.private, `${FORMAT}|${probe.kid}`) === undefined) {
      throw new EntenteError(
        'ENTENTE_KEYS_UNREADABLE',
        hasPassphrase ? `Wrong ENTENTE_KEY_PASSPHRASE for ${this.file} (or the file was altered)` : `${join(this.#options.dir, MASTER_KEY_FILE)} does not open ${this.file} (or the file was altered)`,
      );
    }
    this.#derived = { salt: file.kdf.salt, key };
    return key;
  }

  async #masterKey(creating: boolean): Promise<Buffer> {
    const path = join(this.#options.dir, MASTER_KEY_FILE);
    try {
      return await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !creating) {
        throw new EntenteError('ENTENTE_KEYS_UNREADABLE', `Cannot read ${path}: ${(error as Error).message}`, [], { cause: error });
      }
    }
    await mkdir(this.#options.dir, { recursive: true, mode: 0o700 });
    const secret = Buffer.from(randomBytes(32).toString('base64url'));
    try {
      await writeFile(path, secret, { mode: 0o600, flag: 'wx' });
      return secret;
    } catch (error) {
      // Another process made it first: use theirs.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFile(path);
      throw error;
    }
  }

  async #read(): Promise<KeyFile | undefined> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new EntenteError('ENTENTE_KEYS_UNREADABLE', `Cannot read ${this.file}: ${(error as Error).message}`, [], { cause: error });
    }
    try {
      const file = JSON.parse(text) as KeyFile;
      if (file.format !== FORMAT || !Array.isArray(file.keys)) throw new Error(`not in the ${FORMAT} format`);
      return file;
    } catch (error) {
      throw new EntenteError('ENTENTE_KEYS_UNREADABLE', `${this.file} is not a key file: ${(error as Error).message}`, [], { cause: error });
    }
  }

  /** Keys are made at first use, so every command finds them. */
  async #load(): Promise<KeyFile> {
    const existing = await this.#read();
    if (existing !== undefined) return existing;
    await this.#create();
    return (await this.#read()) as KeyFile;
  }

  /** Not serialised itself (callers may already hold the queue); the exclusive create settles races. */
  async #create(): Promise<{ readonly created: boolean }> {
    if ((await this.#read()) !== undefined) return { created: false };
    const kdf = newKdfParams(this.#options.kdfCost);
    const protection = this.#options.passphrase === undefined || this.#options.passphrase === '' ? 'master-key' : 'passphrase';
    const key = await this.#keyFor({ format: FORMAT, protection, kdf, keys: [] }, true);
    const keys = await newKeyPair(key, this.#now());
    return { created: await this.#write({ format: FORMAT, protection, kdf, keys }, true) };
  }

  /** Says whether it wrote: an exclusive create loses to a file another process made first. */
  async #write(file: KeyFile, creating: boolean): Promise<boolean> {
    await mkdir(this.#options.dir, { recursive: true, mode: 0o700 });
    const text = `${JSON.stringify(file, null, 2)}\n`;
    if (creating) {
      try {
        await writeFile(this.file, text, { mode: 0o600, flag: 'wx' });
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw error;
      }
    }
    const temp = `${this.file}.${process.pid}.tmp`;
    await writeFile(temp, text, { mode: 0o600 });
    await chmod(temp, 0o600);
    await rename(temp, this.file);
    return true;
  }

  #serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(run, run);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #now(): string {
    return new Date(this.#options.clock.now()).toISOString();
  }
}

function nodeKeyOf(k: StoredKey, now: number): NodeKey {
  const state = k.rotatedAt === undefined ? 'current' : Date.parse(k.retiresAt ?? k.rotatedAt) > now ? 'overlap' : 'retired';
  return { kid: k.kid, use: k.use, publicJwk: k.public, created: k.created, state, ...(k.retiresAt === undefined ? {} : { retiresAt: k.retiresAt }) };
}

/** Past their overlap, private halves are deleted: what was sealed to them can no longer be opened. */
function dropRetiredSecrets(keys: ReadonlyArray<StoredKey>, now: number): StoredKey[] {
  return keys.map((k) => {
    if (nodeKeyOf(k, now).state !== 'retired' || k.private === undefined) return k;
    return Object.fromEntries(Object.entries(k).filter(([member]) => member !== 'private')) as unknown as StoredKey;
  });
}

/** A new Ed25519 signing key and X25519 key-agreement key (RFC 8037 OKP JWKs), kid = RFC 7638 thumbprint. */
async function newKeyPair(key: Buffer, created: string): Promise<StoredKey[]> {
  const pairs = [
    { use: 'sig' as const, pair: generateKeyPairSync('ed25519') },
    { use: 'enc' as const, pair: generateKeyPairSync('x25519') },
  ];
  return Promise.all(pairs.map(async ({ use, pair }) => {
    const publicJwk = pair.publicKey.export({ format: 'jwk' }) as Jwk;
    const privateJwk = pair.privateKey.export({ format: 'jwk' }) as Jwk;
    const kid = await calculateJwkThumbprint({ kty: publicJwk.kty, crv: publicJwk.crv as string, x: publicJwk.x as string }, 'sha256');
    const publicOnly: Jwk = { kty: publicJwk.kty, crv: publicJwk.crv as string, x: publicJwk.x as string };
    return { kid, use, created, public: publicOnly, private: encryptBlob(key, JSON.stringify(privateJwk), `${FORMAT}|${kid}`) };
  }));
}
