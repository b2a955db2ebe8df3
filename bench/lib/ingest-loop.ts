/**
 * The store-neutral ingest loop shared by the SQLite and PostgreSQL ingest benchmarks: writes
 * `count` stream objects in batches through the Store port and times only the store calls
 * (object generation is the client's cost, not the store's).
 */
import type { StixLike, Store } from '../../src/ports/store.js';
import { streamObject } from './synthetic-stix.js';

export interface IngestOptions {
  readonly collectionId: string;
  /** Stream positions [from, from + count). */
  readonly from: number;
  readonly count: number;
  readonly batchSize: number;
  readonly bulk: boolean;
  /** Called every `every` objects with the running totals. */
  readonly onProgress?: (done: number, windowRate: number, overallRate: number) => void;
  readonly every?: number;
}

export interface IngestResult {
  readonly objects: number;
  readonly added: number;
  readonly duplicates: number;
  /** Seconds spent inside writeObjects. */
  readonly storeSeconds: number;
  /** Seconds of the whole loop, generation included. */
  readonly wallSeconds: number;
}

const BASE_ADDED = Date.parse('2026-01-01T00:00:00.000Z');

export async function ingest(store: Store, options: IngestOptions): Promise<IngestResult> {
  const every = options.every ?? 100_000;
  let added = 0;
  let duplicates = 0;
  let storeMs = 0;
  let windowMs = 0;
  let windowObjects = 0;
  let nextReport = every;
  const wallStart = performance.now();
  for (let offset = 0; offset < options.count; offset += options.batchSize) {
    const size = Math.min(options.batchSize, options.count - offset);
    const batch: StixLike[] = new Array(size);
    for (let i = 0; i < size; i += 1) batch[i] = streamObject(options.from + offset + i, options.batchSize) as StixLike;
    // date_added advances a millisecond per batch so that ordering by it is meaningful.
    const dateAdded = new Date(BASE_ADDED + options.from + offset).toISOString();
    const t0 = performance.now();
    const results = await store.writeObjects(options.collectionId, batch, { dateAdded, bulk: options.bulk });
    const elapsed = performance.now() - t0;
    storeMs += elapsed;
    windowMs += elapsed;
    windowObjects += size;
    for (const r of results) if (r.outcome === 'added') added += 1; else duplicates += 1;
    const done = offset + size;
    if (options.onProgress !== undefined && (done >= nextReport || done === options.count)) {
      options.onProgress(done, (windowObjects * 1000) / windowMs, (done * 1000) / storeMs);
      windowMs = 0;
      windowObjects = 0;
      while (nextReport <= done) nextReport += every;
    }
  }
  return { objects: options.count, added, duplicates, storeSeconds: storeMs / 1000, wallSeconds: (performance.now() - wallStart) / 1000 };
}
