import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Checkpoints the WAL from a thread of its own, so that the writes on the main thread (a TAXII
 * page's decision log, an import's batches) only append to the WAL and never wait while a
 * checkpoint copies pages into the database file and syncs it.
 *
 * The thread holds its own connection to the file and runs a PASSIVE checkpoint every
 * `everyMs`: it copies the frames no reader still needs, without waiting for readers or writers
 * (sqlite.org/c3ref/wal_checkpoint_v2.html), and the next write transaction starts the WAL
 * again from its beginning once everything was copied. The main connection keeps its automatic
 * checkpoint as a backstop; with this thread keeping up, the WAL rarely grows to it.
 */
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage(String(error && error.message ? error.message : error));
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export class WalCheckpointer {
  readonly #worker: Worker;
  readonly #exited: Promise<void>;

  /** `onError` hears a checkpoint that failed (the main connection's own checkpoint still runs). */
  constructor(file: string, options: { readonly everyMs?: number; readonly onError?: (message: string) => void } = {}) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(SOURCE, { eval: true, workerData: { file, driver, everyMs: options.everyMs ?? 250 } });
    // The node's lifetime is the main thread's: an idle checkpointer keeps nothing alive.
    this.#worker.unref();
    this.#worker.on('message', (message) => options.onError?.(String(message)));
    this.#worker.on('error', (error) => options.onError?.(error.message));
    this.#exited = new Promise((resolve) => this.#worker.once('exit', () => resolve()));
  }

  /** Stops the thread and closes its connection; resolves once it has exited. */
  async stop(): Promise<void> {
    // Held until it has exited: an unreferenced thread would let the process end meanwhile.
    this.#worker.ref();
    this.#worker.postMessage('stop');
    await this.#exited;
  }
}
