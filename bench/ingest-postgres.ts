/**
 * Ingest benchmark of the PostgreSQL Store adapter: N realistic STIX objects (default 1,000,000)
 * written in bulk batches with dedup on, into a fresh schema per run; prints progress, objects/s
 * per run and the median of the runs, and the size of the tables. Only the time inside
 * writeObjects counts for objects/s (the shared loop in bench/lib times it); wall time, object
 * generation included, is printed beside it.
 *
 *   npx tsx bench/ingest-postgres.ts [--count N] [--runs R] [--batch B] [--writers W] [--url postgres://…] [--keep]
 *
 * --writers W runs W ingest loops at once over consecutive slices of the stream, as W import
 * workers would; objects/s is then the whole count over the elapsed time.
 *
 * The URL defaults to ENTENTE_BENCH_PG_URL, then ENTENTE_TEST_PG_URL, then the local test server.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openPostgresStore } from '../src/adapters/postgres/index.js';
import { ingest } from './lib/ingest-loop.js';
import { formatRate, median } from './lib/run-stats.js';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '3' },
    batch: { type: 'string', default: '10000' },
    writers: { type: 'string', default: '1' },
    url: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const count = Number(args.count);
const runs = Number(args.runs);
const batchSize = Number(args.batch);
const writers = Number(args.writers);
const k = (n: number) => n.toLocaleString('en-US');
const url = args.url ?? process.env['ENTENTE_BENCH_PG_URL'] ?? process.env['ENTENTE_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
if (![count, runs, batchSize, writers].every((n) => Number.isInteger(n) && n > 0)) {
  console.error('--count, --runs, --batch and --writers take positive integers');
  process.exit(2);
}

interface RunResult {
  /** CPU time per object of this process and of the PostgreSQL backends, when measurable. */
  readonly cpu: { readonly nodeMicros: number; readonly serverMicros?: number };
  readonly storeRate: number;
  readonly wallRate: number;
  readonly added: number;
  readonly duplicates: number;
}

async function oneRun(run: number): Promise<RunResult> {
  const schema = `entente_bench_${randomBytes(4).toString('hex')}`;
  // The application name lets the run find its own backends to read their CPU time.
  const tag = `entente-bench-${schema}`;
  const store = await openPostgresStore({ url: withApplicationName(url, tag), schema, poolSize: writers });
  try {
    await store.migrate();
    await store.createCollection({ id: 'bench', title: 'Bench', mediaTypes: ['application/stix+json;version=2.1'], createdAt: '2026-01-01T00:00:00.000Z' });
    const cpuStart = process.cpuUsage();
    const share = Math.ceil(count / writers / batchSize) * batchSize;
    const started = performance.now();
    const parts = await Promise.all(Array.from({ length: writers }, (_, w) => {
      const from = w * share;
      const size = Math.max(0, Math.min(share, count - from));
      return ingest(store, {
        collectionId: 'bench', from, count: size, batchSize, bulk: true, every: Math.max(batchSize, Math.min(100_000, Math.floor(size / 5))),
        onProgress: (done, windowRate, overall) => console.log(`  run ${run}${writers > 1 ? ` writer ${w + 1}` : ''}: ${k(done).padStart(9)}  last window ${formatRate(windowRate).padStart(10)}  overall ${formatRate(overall).padStart(10)}`),
      });
    }));
    const elapsed = (performance.now() - started) / 1000;
    const nodeCpu = process.cpuUsage(cpuStart);
    const serverMicros = await backendCpuMicros(tag);
    const result = {
      added: parts.reduce((a, p) => a + p.added, 0),
      duplicates: parts.reduce((a, p) => a + p.duplicates, 0),
      storeSeconds: writers === 1 ? (parts[0]?.storeSeconds ?? elapsed) : elapsed,
      wallSeconds: elapsed,
    };
    const stored = await store.countObjects('bench');
    if (stored !== result.added) throw new Error(`count mismatch: ${stored} stored, ${result.added} reported added`);
    if (run === runs) await printSizes(schema);
    const cpu = { nodeMicros: (nodeCpu.user + nodeCpu.system) / count, ...(serverMicros === undefined ? {} : { serverMicros: serverMicros / count }) };
    return { cpu, storeRate: count / result.storeSeconds, wallRate: count / result.wallSeconds, added: result.added, duplicates: result.duplicates };
  } finally {
    await store.close();
    if (!args.keep) await dropSchema(schema);
  }
}

function withApplicationName(base: string, name: string): string {
  const parsed = new URL(base);
  parsed.searchParams.set('application_name', name);
  return parsed.toString();
}

/**
 * Total CPU time of this run's backends, read from /proc: only possible when the server runs
 * on this machine (Linux); undefined otherwise. Backends that the pool closed early are missed.
 */
async function backendCpuMicros(tag: string): Promise<number | undefined> {
  const pids = await withClient(async (client) => (await client.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE application_name = $1', [tag])).rows.map((r) => r.pid));
  let total = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      // utime + stime, in clock ticks of 1/100 s (USER_HZ on Linux).
      total += (Number(fields[11]) + Number(fields[12])) * (1_000_000 / 100);
    } catch {
      return undefined;
    }
  }
  return pids.length === 0 ? undefined : total;
}

async function withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function dropSchema(schema: string): Promise<unknown> {
  return withClient((client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
}

async function printSizes(schema: string): Promise<void> {
  const rows = await withClient(async (client) => (await client.query<{ name: string; total: string; heap: string }>(
    `SELECT c.relname AS name, pg_size_pretty(pg_total_relation_size(c.oid)) AS total, pg_size_pretty(pg_relation_size(c.oid)) AS heap
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind = 'r' AND c.relname IN ('objects', 'members', 'edges')
     ORDER BY pg_total_relation_size(c.oid) DESC`, [schema])).rows);
  console.log('table sizes (total with indexes / heap):', rows.map((r) => `${r.name} ${r.total} / ${r.heap}`).join(', '));
}

const version = await withClient(async (client) => (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? '?');
console.log(`PostgreSQL ingest: ${k(count)} objects in batches of ${k(batchSize)}, ${writers} writer(s), ${runs} run(s)`);
console.log(`machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, PostgreSQL ${version}`);
const results: RunResult[] = [];
for (let run = 1; run <= runs; run++) {
  const result = await oneRun(run);
  results.push(result);
  console.log(`run ${run}: ${formatRate(result.storeRate)} in writeObjects, ${formatRate(result.wallRate)} wall (generation included); ${k(result.added)} added, ${k(result.duplicates)} duplicates`);
  const server = result.cpu.serverMicros === undefined ? 'not measurable (remote server)' : `${result.cpu.serverMicros.toFixed(0)} µs`;
  console.log(`  CPU per object: node ${result.cpu.nodeMicros.toFixed(0)} µs (generation included), PostgreSQL backends ${server}`);
}
console.log(`median of ${runs}: ${formatRate(median(results.map((r) => r.storeRate)))} in writeObjects, ${formatRate(median(results.map((r) => r.wallRate)))} wall`);
