/**
 * What logging one TAXII page of release decisions costs: pages of 100 decisions as a partner's
 * read produces them (one recipient, channel and time per page, 3-6 distinct explanations among
 * the 100, a few redactions and denials) appended through the Store port, then the ledger leaf
 * of that page through recordLedgerEntries, each in its own transaction; alternately with those,
 * pages written as ReleaseService writes them, decisions and leaf in one transaction
 * (recordDecisions). Reported per page: wall µs and CPU µs of this process (process.cpuUsage)
 * for each part, median of the runs.
 *
 *   npx tsx bench/decision-log.ts [--pages 2000] [--warm 1000] [--runs 5] [--engine sqlite|postgres|both] [--url postgres://…] [--entry v2|v1]
 *
 * The leaf is the `decisions-v2` entry the node writes (--entry v2, the default) or the original
 * `decisions` form (--entry v1), to compare the two on the same code; its size is reported.
 *
 * Each run opens a fresh store (a temporary SQLite file, opened as a serving node opens it, with
 * WAL checkpoints from a thread of their own; a fresh PostgreSQL schema, dropped at the end), appends --warm pages so the indexes are not empty, then times --pages pages.
 * PostgreSQL is skipped with a note when no URL is given (--url, ENTENTE_BENCH_PG_URL or
 * ENTENTE_TEST_PG_URL). Progress goes to stderr, the table to stdout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openPostgresStore } from '../src/adapters/postgres/index.js';
import { openSqliteStore } from '../src/adapters/sqlite/sqlite-store.js';
import { decisionsEntryOf } from '../src/core/ledger/decision-tuples.js';
import { encodeEntry, type LedgerEntry } from '../src/core/ledger/entries.js';
import { recordDecisions, recordLedgerEntries } from '../src/ports/ledger-store.js';
import type { DecisionRecord } from '../src/ports/policy-store.js';
import type { Store } from '../src/ports/store.js';
import { decisionPage, PER_PAGE } from './lib/decision-pages.js';
import { median } from './lib/run-stats.js';

const { values: args } = parseArgs({
  options: {
    pages: { type: 'string', default: '2000' },
    warm: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '5' },
    engine: { type: 'string', default: 'both' },
    url: { type: 'string' },
    entry: { type: 'string', default: 'v2' },
  },
});
const PAGES = Number(args.pages);
const WARM = Number(args.warm);
const RUNS = Number(args.runs);
if (args.entry !== 'v1' && args.entry !== 'v2') throw new Error(`--entry must be v1 or v2, not ${args.entry}`);
const url = args.url ?? process.env['ENTENTE_BENCH_PG_URL'] ?? process.env['ENTENTE_TEST_PG_URL'];

interface Timing { wall: number; cpu: number }
interface RunResult { append: Timing; ledger: Timing; together: Timing; leafBytes: number }

/** The page's ledger entry, as the node writes it (v2) or in the original form (v1). */
function entryOf(records: ReadonlyArray<DecisionRecord>): LedgerEntry {
  const first = records[0] as DecisionRecord;
  if (args.entry === 'v2') return decisionsEntryOf(first.at, first.recipient, first.channel, records);
  return {
    kind: 'decisions', at: first.at, recipient: first.recipient, channel: first.channel,
    decisions: records.map((r) => ({ objectId: r.objectId, objectVersion: r.objectVersion, outcome: r.outcome, agreementId: 'deu-pol', agreementVersion: 1, ...(r.reason === undefined ? {} : { reason: r.reason }) })),
  };
}

async function timed(work: () => Promise<void>, into: Timing): Promise<void> {
  const c = process.cpuUsage();
  const t = performance.now();
  await work();
  into.wall += performance.now() - t;
  const used = process.cpuUsage(c);
  into.cpu += (used.user + used.system) / 1000;
}

async function runOnce(store: Store, label: string): Promise<RunResult> {
  await store.migrate();
  const base = Date.parse('2026-03-01T10:00:00.000Z');
  const stamp = (p: number) => new Date(base + p * 37).toISOString();
  for (let p = 0; p < WARM; p++) await store.appendDecisions(decisionPage(p, stamp(p)));
  const append: Timing = { wall: 0, cpu: 0 };
  const ledger: Timing = { wall: 0, cpu: 0 };
  const together: Timing = { wall: 0, cpu: 0 };
  let leafBytes = 0;
  const pages = Array.from({ length: PAGES }, (_, p) => decisionPage(WARM + p, stamp(WARM + p)));
  for (let p = 0; p < PAGES; p++) {
    const records = pages[p] as DecisionRecord[];
    const entry = entryOf(records);
    leafBytes += Buffer.byteLength(encodeEntry(entry));
    if (p % 2 === 0) {
      await timed(() => store.appendDecisions(records), append);
      await timed(() => recordLedgerEntries(store, [entry]), ledger);
    } else {
      await timed(() => recordDecisions(store, records, [entry]), together);
    }
    if ((p + 1) % 500 === 0) process.stderr.write(`  ${label}: ${p + 1}/${PAGES} pages\n`);
  }
  const half = { separate: Math.ceil(PAGES / 2), together: Math.floor(PAGES / 2) };
  const per = (t: Timing, n: number): Timing => ({ wall: (t.wall * 1000) / n, cpu: (t.cpu * 1000) / n });
  return { append: per(append, half.separate), ledger: per(ledger, half.separate), together: per(together, half.together), leafBytes: leafBytes / PAGES };
}

async function sqliteRun(run: number): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'entente-bench-decisions-'));
  const store = await openSqliteStore({ file: join(dir, 'entente.db'), backgroundCheckpoints: true });
  try {
    return await runOnce(store, `sqlite run ${run}`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresRun(run: number, pgUrl: string): Promise<RunResult> {
  const schema = `entente_bench_${randomBytes(6).toString('hex')}`;
  const store = await openPostgresStore({ url: pgUrl, schema, poolSize: 4 });
  try {
    return await runOnce(store, `postgres run ${run}`);
  } finally {
    await store.close();
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => client.end());
  }
}

const engines: Array<[string, (run: number) => Promise<RunResult>]> = [];
if (args.engine !== 'postgres') engines.push(['SQLite', sqliteRun]);
if (args.engine !== 'sqlite') {
  if (url === undefined) process.stderr.write('no PostgreSQL URL (--url, ENTENTE_BENCH_PG_URL, ENTENTE_TEST_PG_URL): PostgreSQL skipped\n');
  else engines.push(['PostgreSQL', (run) => postgresRun(run, url)]);
}
const f = (n: number) => n.toFixed(0);
console.log(`Decision log, pages of ${PER_PAGE} decisions, ${PAGES} timed pages after ${WARM} warm-up pages, median of ${RUNS} runs, ${args.entry === 'v2' ? 'decisions-v2' : 'decisions'} leaves, Node ${process.version}`);
console.log('| engine | appendDecisions µs/page (CPU µs) | ledger leaf µs/page (CPU µs) | both, separately µs/page | both in one transaction µs/page (CPU µs) | leaf bytes/page |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const [name, runner] of engines) {
  const results: RunResult[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const r = await runner(run);
    results.push(r);
    process.stderr.write(`${name} run ${run}: append ${f(r.append.wall)} µs (CPU ${f(r.append.cpu)}), ledger ${f(r.ledger.wall)} µs (CPU ${f(r.ledger.cpu)}), together ${f(r.together.wall)} µs (CPU ${f(r.together.cpu)})\n`);
  }
  const m = (pick: (r: RunResult) => number) => median(results.map(pick));
  console.log(`| ${name} | ${f(m((r) => r.append.wall))} (${f(m((r) => r.append.cpu))}) | ${f(m((r) => r.ledger.wall))} (${f(m((r) => r.ledger.cpu))}) | ${f(m((r) => r.append.wall + r.ledger.wall))} | ${f(m((r) => r.together.wall))} (${f(m((r) => r.together.cpu))}) | ${f(m((r) => r.leafBytes))} |`);
}
