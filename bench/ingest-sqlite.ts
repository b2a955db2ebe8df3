/**
 * Ingest benchmark for the embedded store (DESIGN.md target: >= 50k objects/s sustained with
 * dedup on, >= 100k/s bulk). Usage:
 *   npx tsx bench/ingest-sqlite.ts [--count N] [--batch N] [--runs N] [--bulk] [--dir PATH]
 * Each run starts from an empty file, ingests the stream in batches, prints a line per 100k,
 * then re-sends a slice to show dedup. The summary gives the median of the runs. The store is
 * opened as a serving node opens it (WAL checkpoints from a thread of their own).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openSqliteStore } from '../src/adapters/sqlite/index.js';
import { ingest } from './lib/ingest-loop.js';
import { formatRate, median } from './lib/run-stats.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '3' },
    bulk: { type: 'boolean', default: false },
    dir: { type: 'string' },
  },
});
const count = Number(values.count);
const batchSize = Number(values.batch);
const runs = Number(values.runs);
const bulk = values.bulk;
if (![count, batchSize, runs].every((n) => Number.isInteger(n) && n > 0)) {
  console.error('--count, --batch and --runs take positive integers');
  process.exit(2);
}
const slice = Math.min(100_000, Math.floor(count / 10));
const k = (n: number) => n.toLocaleString('en-US');

console.log(`ingest-sqlite: ${k(count)} objects, batches of ${k(batchSize)}, ${runs} run(s), ${bulk ? 'bulk' : 'normal'} mode`);
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);

const rates: number[] = [];
const dedupRates: number[] = [];
for (let run = 1; run <= runs; run += 1) {
  const dir = mkdtempSync(join(values.dir ?? tmpdir(), 'entente-bench-'));
  const file = join(dir, 'store.db');
  const store = await openSqliteStore({ file, backgroundCheckpoints: true });
  try {
    await store.migrate();
    await store.createCollection({ id: 'bench', title: 'Benchmark', mediaTypes: ['application/stix+json;version=2.1'], createdAt: '2026-01-01T00:00:00.000Z' });
    const result = await ingest(store, {
      collectionId: 'bench', from: 0, count, batchSize, bulk,
      onProgress: (done, windowRate, overall) => console.log(`  run ${run}: ${k(done).padStart(9)}  last window ${formatRate(windowRate).padStart(10)}  overall ${formatRate(overall).padStart(10)}`),
    });
    const rate = result.objects / result.storeSeconds;
    rates.push(rate);
    const replay = await ingest(store, { collectionId: 'bench', from: 0, count: slice, batchSize, bulk });
    const dedupRate = replay.objects / replay.storeSeconds;
    dedupRates.push(dedupRate);
    const size = statSync(file).size + (statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0);
    console.log(`  run ${run}: ${formatRate(rate)} sustained (${result.storeSeconds.toFixed(1)} s in the store, ${result.wallSeconds.toFixed(1)} s wall), `
      + `${k(result.added)} added, ${k(result.duplicates)} duplicates; re-sent ${k(slice)}: ${k(replay.duplicates)} duplicates, `
      + `${formatRate(dedupRate)}; ${k(await store.countObjects())} stored versions, ${(size / 2 ** 20).toFixed(0)} MiB on disk`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log(`median of ${runs}: ${formatRate(median(rates))} ingest, ${formatRate(median(dedupRates))} re-sent duplicates (${bulk ? 'bulk' : 'normal'} mode)`);
