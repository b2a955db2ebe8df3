import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EntenteError } from '../../core/errors.js';
import type { PeerKeyDirectory, PeerKeys } from '../../ports/key-ring.js';

export const PEERS_FILE = 'peers.json';
const FORMAT = 'entente-peers/1';

interface PeersFile {
  readonly format: typeof FORMAT;
  readonly peers: Readonly<Record<string, PeerKeys>>;
}

/**
 * Peers' pinned public keys in `DATA_DIR/keys/peers.json`. Public keys need no encryption, but
 * the file decides whom the node trusts, so it is written 0600 like the node's own keys. Kept
 * deliberately simple: one file read on each call (a handful of peers), atomic replacement.
 */
export class FilePeerKeys implements PeerKeyDirectory {
  readonly #dir: string;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(dir: string) {
    this.#dir = dir;
  }

  get file(): string {
    return join(this.#dir, PEERS_FILE);
  }

  async get(organisation: string): Promise<PeerKeys | undefined> {
    return (await this.#read()).peers[organisation];
  }

  async list(): Promise<ReadonlyArray<PeerKeys>> {
    return Object.values((await this.#read()).peers).sort((a, b) => (a.organisation < b.organisation ? -1 : 1));
  }

  pin(keys: PeerKeys): Promise<void> {
    return this.#serial(async () => {
      const file = await this.#read();
      await this.#write({ ...file, peers: { ...file.peers, [keys.organisation]: keys } });
    });
  }

  remove(organisation: string): Promise<boolean> {
    return this.#serial(async () => {
      const file = await this.#read();
      if (file.peers[organisation] === undefined) return false;
      await this.#write({ ...file, peers: Object.fromEntries(Object.entries(file.peers).filter(([code]) => code !== organisation)) });
      return true;
    });
  }

  async #read(): Promise<PeersFile> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { format: FORMAT, peers: {} };
      throw new EntenteError('ENTENTE_KEYS_UNREADABLE', `Cannot read ${this.file}: ${(error as Error).message}`, [], { cause: error });
    }
    let parsed: PeersFile;
    try {
      parsed = JSON.parse(text) as PeersFile;
    } catch (error) {
      throw new EntenteError('ENTENTE_KEYS_UNREADABLE', `${this.file} is not JSON: ${(error as Error).message}`, [], { cause: error });
    }
    if (parsed.format !== FORMAT || parsed.peers === null || typeof parsed.peers !== 'object') {
      throw new EntenteError('ENTENTE_KEYS_UNREADABLE', `${this.file} is not in the ${FORMAT} format`);
    }
    return parsed;
  }

  async #write(file: PeersFile): Promise<void> {
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const temp = `${this.file}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    await rename(temp, this.file);
  }

  #serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(run, run);
    this.#queue = next.catch(() => undefined);
    return next;
  }
}
