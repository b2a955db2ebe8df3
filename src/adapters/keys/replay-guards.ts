import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../ports/clock.js';
import type { ReplayGuard } from '../../ports/key-ring.js';

/** Replay guard of one process: enough for a single node process and for tests. */
export class MemoryReplayGuard implements ReplayGuard {
  readonly #clock: Clock;
  readonly #seen = new Map<string, number>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  async remember(id: string, expiresAt: number): Promise<boolean> {
    const now = this.#clock.now();
    for (const [seen, until] of this.#seen) if (until <= now) this.#seen.delete(seen);
    if (this.#seen.has(id)) return false;
    this.#seen.set(id, expiresAt);
    return true;
  }

  get size(): number {
    return this.#seen.size;
  }
}

export const SEEN_ENVELOPES_FILE = 'seen-envelopes.json';

/**
 * Replay guard kept in `DATA_DIR/keys/seen-envelopes.json`, so that bundles opened offline, one
 * CLI run after another, are refused the second time. Checks within one process take turns; it
 * is not for several processes at once (a shared store table is the scaled-out answer).
 */
export class FileReplayGuard implements ReplayGuard {
  readonly #dir: string;
  readonly #clock: Clock;

  /** The check in progress: checks run one after another, since each reads and rewrites the file. */
  #turn: Promise<unknown> = Promise.resolve();

  constructor(dir: string, clock: Clock) {
    this.#dir = dir;
    this.#clock = clock;
  }

  remember(id: string, expiresAt: number): Promise<boolean> {
    // Two checks interleaved would both read the file before either wrote it: the same envelope
    // arriving twice at once would be accepted twice, and one of two ids would be forgotten.
    const answer = this.#turn.then(() => this.#remember(id, expiresAt));
    this.#turn = answer.catch(() => undefined);
    return answer;
  }

  async #remember(id: string, expiresAt: number): Promise<boolean> {
    const file = join(this.#dir, SEEN_ENVELOPES_FILE);
    let seen: Record<string, number> = {};
    try {
      seen = JSON.parse(await readFile(file, 'utf8')) as Record<string, number>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const now = this.#clock.now();
    const live = Object.fromEntries(Object.entries(seen).filter(([, until]) => until > now));
    if (live[id] !== undefined) return false;
    live[id] = expiresAt;
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(live)}\n`, { mode: 0o600 });
    await rename(temp, file);
    return true;
  }
}
