/**
 * Matching on several cores: worker threads that share the compact index's tables through
 * SharedArrayBuffers (memory per IOC unchanged, nothing copied per worker) and match batches of
 * log lines. Results come back per batch; the caller takes them in the order it submitted the
 * batches, so output does not depend on which worker was faster.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { IndicatorIndex } from '../../core/pattern/compact-iocs.js';
import type { TelemetryFormat } from '../../core/telemetry/index.js';
import type { BatchRequest, BatchResult, WorkerReply, WorkerSetup } from './match-protocol.js';

export type { BatchMatch, BatchResult } from './match-protocol.js';

/** Formats whose lines stand alone (no header, no multi-line documents), so batches can go anywhere. */
export const POOL_FORMATS: ReadonlySet<TelemetryFormat> = new Set(['suricata', 'zeek-json', 'ecs']);

/** Workers when none is asked for: one per CPU, at most 8. */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

interface Pending {
  readonly resolve: (result: BatchResult) => void;
  readonly reject: (error: Error) => void;
  readonly worker: number;
}

export class MatchPool {
  private readonly pending = new Map<number, Pending>();
  private readonly load: number[];
  private seq = 0;
  private failure: Error | undefined;

  private constructor(private readonly workers: ReadonlyArray<Worker>) {
    this.load = workers.map(() => 0);
    workers.forEach((worker, n) => {
      worker.on('message', (reply: WorkerReply) => this.settle(n, reply));
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (this.load[n] !== 0) this.fail(new Error(`matching worker ${n + 1} stopped (exit code ${code}) with batches in hand`));
      });
    });
  }

  /**
   * Moves the index's compact tables into shared memory and starts `size` workers on them. The
   * index must not change while the pool runs. `patterns` gives the general patterns' texts.
   */
  static start(index: IndicatorIndex, patterns: ReadonlyMap<string, string>, size: number): MatchPool {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`worker count must be a whole number from 1, not ${size}`);
    const general = index.generalIndicators().map((id): [string, string] => [id, patterns.get(id) ?? '']);
    const missing = general.find(([, pattern]) => pattern === '');
    if (missing !== undefined) throw new Error(`no pattern text for ${missing[0]}, a general pattern of the index`);
    const setup: WorkerSetup = { simple: index.simple.share(), general };
    return new MatchPool(Array.from({ length: size }, () => spawn(setup)));
  }

  get size(): number {
    return this.workers.length;
  }

  /** Hands a batch to the least busy worker. */
  submit(batch: Omit<BatchRequest, 'seq'>): Promise<BatchResult> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const seq = this.seq++;
    let worker = 0;
    for (let n = 1; n < this.load.length; n++) if ((this.load[n] as number) < (this.load[worker] as number)) worker = n;
    this.load[worker] = (this.load[worker] as number) + 1;
    return new Promise<BatchResult>((resolve, reject) => {
      this.pending.set(seq, { resolve, reject, worker });
      (this.workers[worker] as Worker).postMessage({ ...batch, seq } satisfies BatchRequest);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private settle(worker: number, reply: WorkerReply): void {
    const seq = reply.kind === 'result' ? reply.result.seq : reply.seq;
    const p = this.pending.get(seq);
    if (p === undefined) return;
    this.pending.delete(seq);
    this.load[worker] = (this.load[worker] as number) - 1;
    if (reply.kind === 'result') p.resolve(reply.result);
    else p.reject(new Error(`matching worker ${worker + 1}: ${reply.message}`));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
    this.load.fill(0);
  }
}

/** The worker script beside this module; from TypeScript sources (tests, benchmarks) it is loaded through tsx. */
function spawn(setup: WorkerSetup): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./match-worker.js', here), { workerData: setup });
  const target = new URL('./match-worker.ts', here).href;
  // import.meta.resolve is missing under vitest; require's resolution names the CommonJS twin of the ESM entry.
  const tsx = typeof import.meta.resolve === 'function'
    ? import.meta.resolve('tsx/esm/api')
    : pathToFileURL(createRequire(here).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); })`, { eval: true, workerData: setup });
}
