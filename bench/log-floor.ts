/**
 * The floor under logging a partner's TAXII page: the least a page's decisions can cost to record
 * before the page is sent, measured part by part with nothing of the store's code around it.
 *
 *   npx tsx bench/log-floor.ts [--pages 3000] [--runs 5]
 *
 * Parts, each timed alone on pages of 100 decisions (bench/lib/decision-pages.ts):
 *   encode       the page's ledger entry in its compact form, its canonical text and leaf hash
 *                (decisionsEntryOf, encodeEntry, entryLeafHash), JavaScript only;
 *   commit       one SQLite transaction inserting one 100-byte row, as the store's file is set
 *                up (8 KiB pages, WAL, synchronous=NORMAL): the cost of any commit at all;
 *   commit leaf  one transaction inserting the page's leaf text (~9 KB) into a table with no index.
 * The store's real log (bench/decision-log.ts) does more than these: the leaf-hash and recipient
 * indexes, the tree state, the decision row. Reported: CPU µs of this process per page, median of
 * the runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { decisionsEntryOf } from '../src/core/ledger/decision-tuples.js';
import { encodeEntry, entryLeafHash } from '../src/core/ledger/entries.js';
import { decisionPage, PER_PAGE } from './lib/decision-pages.js';
import { median } from './lib/run-stats.js';

const { values: args } = parseArgs({ options: { pages: { type: 'string', default: '3000' }, runs: { type: 'string', default: '5' } } });
const PAGES = Number(args.pages);
const RUNS = Number(args.runs);
if (![PAGES, RUNS].every((n) => Number.isInteger(n) && n > 0)) {
  console.error('--pages and --runs take positive integers');
  process.exit(2);
}

function cpuMicrosPer(n: number, work: () => void): number {
  const c = process.cpuUsage();
  work();
  const used = process.cpuUsage(c);
  return (used.user + used.system) / n;
}

const base = Date.parse('2026-03-01T10:00:00.000Z');
const pages = Array.from({ length: PAGES }, (_, p) => decisionPage(p, new Date(base + p * 37).toISOString()));
const leaves = pages.map((records) => encodeEntry(decisionsEntryOf(records[0]!.at, records[0]!.recipient, records[0]!.channel, records)));
const leafBytes = median(leaves.map((text) => Buffer.byteLength(text)));

const results = { encode: [] as number[], commit: [] as number[], commitLeaf: [] as number[] };
for (let run = 1; run <= RUNS; run += 1) {
  process.stderr.write(`run ${run}/${RUNS}\n`);
  results.encode.push(cpuMicrosPer(PAGES, () => {
    for (const records of pages) {
      const first = records[0]!;
      entryLeafHash(decisionsEntryOf(first.at, first.recipient, first.channel, records));
    }
  }));
  const dir = mkdtempSync(join(tmpdir(), 'entente-bench-log-floor-'));
  try {
    const db = new Database(join(dir, 'floor.db'));
    db.pragma('page_size = 8192');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('wal_autocheckpoint = 10000');
    db.exec('CREATE TABLE small (k INTEGER PRIMARY KEY, body TEXT NOT NULL); CREATE TABLE leaves (k INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const small = db.prepare('INSERT INTO small (body) VALUES (?)');
    const leaf = db.prepare('INSERT INTO leaves (body) VALUES (?)');
    const row = 'x'.repeat(100);
    results.commit.push(cpuMicrosPer(PAGES, () => { for (let p = 0; p < PAGES; p += 1) db.transaction(() => small.run(row))(); }));
    results.commitLeaf.push(cpuMicrosPer(PAGES, () => { for (const text of leaves) db.transaction(() => leaf.run(text))(); }));
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const encode = median(results.encode);
const commitLeaf = median(results.commitLeaf);
console.log(`log floor: pages of ${PER_PAGE} decisions, leaf ${Math.round(leafBytes).toLocaleString('en-US')} bytes, ${PAGES} pages, median of ${RUNS} runs; ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
console.log('| part | CPU µs per page |');
console.log('| --- | --- |');
console.log(`| encode: compact entry, canonical text, leaf hash | ${encode.toFixed(1)} |`);
console.log(`| commit: one transaction of one 100-byte row | ${median(results.commit).toFixed(1)} |`);
console.log(`| commit leaf: one transaction of the leaf text | ${commitLeaf.toFixed(1)} |`);
console.log(`| floor: encode + commit leaf | ${(encode + commitLeaf).toFixed(1)} |`);
