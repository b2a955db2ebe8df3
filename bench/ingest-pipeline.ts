/**
 * The whole intake path as `entente import` and TAXII POST run it: JSON text of a bundle →
 * parse with the depth limit → STIX validation of every object (patterns parsed) → dedup in the
 * batch → one store transaction. The store-only benchmarks (ingest-sqlite, ingest-postgres)
 * measure the last step alone; this one says what an analyst's import actually sustains.
 *
 *   npx tsx bench/ingest-pipeline.ts [--count 200000] [--batch 5000] [--runs 3] [--database-url postgres://…]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { openNode } from '../src/composition-root.js';
import { resolveConfig } from '../src/config/node-config.js';
import { parseJson } from '../src/core/json/parse-json.js';
import { setUpNode, DEFAULT_COLLECTION } from '../src/services/setup/node-setup.js';
import { streamObject } from './lib/synthetic-stix.js';
import { formatRate, median, progressLine } from './lib/run-stats.js';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '200000' },
    batch: { type: 'string', default: '5000' },
    runs: { type: 'string', default: '3' },
    'database-url': { type: 'string' },
  },
});
const COUNT = Number(args.count);
const BATCH = Number(args.batch);
const RUNS = Number(args.runs);

async function run(index: number): Promise<{ rate: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'entente-bench-pipeline-'));
  const schema = `bench_pipeline_${process.pid}_${index}`;
  const url = args['database-url'];
  const config = resolveConfig([{ source: 'bench', values: { dataDir: dir, database: url === undefined ? { sqliteFile: join(dir, 'entente.db') } : { url, schema } } }]);
  const node = await openNode(config, { logger: pino({ level: 'warn' }) });
  try {
    await setUpNode(node, { adminPassword: 'benchmark admin password' });
    const collection = (await node.collections.listAll()).find((c) => c.alias === DEFAULT_COLLECTION.alias)?.id ?? '';
    // Bundles are made as text first: the client's cost, not the node's.
    const texts: string[] = [];
    for (let from = 0; from < COUNT; from += BATCH) {
      const objects = Array.from({ length: Math.min(BATCH, COUNT - from) }, (_, i) => streamObject(from + i, BATCH));
      texts.push(JSON.stringify({ type: 'bundle', id: `bundle--00000000-0000-4000-8000-${String(from).padStart(12, '0')}`, objects }));
    }
    const progress = progressLine(`run ${index}`, COUNT);
    let done = 0;
    const t0 = performance.now();
    for (const text of texts) {
      const report = await node.intel.ingest(collection, parseJson(text), { actor: { name: 'bench' }, bulk: true });
      if (report.rejected > 0) throw new Error(`rejected: ${JSON.stringify(report.results.find((r) => r.outcome === 'rejected'))}`);
      done += report.total;
      progress(done, (done * 1000) / (performance.now() - t0));
    }
    const rate = (done * 1000) / (performance.now() - t0);
    return { rate };
  } finally {
    if (url !== undefined) {
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
    await node.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`intake pipeline (parse + validate + store), ${COUNT.toLocaleString('en-US')} objects in bundles of ${BATCH}, ${args['database-url'] === undefined ? 'SQLite' : 'PostgreSQL'}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'})`);
const rates: number[] = [];
for (let i = 1; i <= RUNS; i++) {
  const { rate } = await run(i);
  rates.push(rate);
  console.log(`run ${i}: ${formatRate(rate)} objects`);
}
console.log(`median of ${RUNS} runs: ${formatRate(median(rates))} objects through parse + validate + store`);
