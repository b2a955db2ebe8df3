/**
 * The floor under SQLite ingest: what the SQL statements that store a new object cost on their
 * own, with every row prepared beforehand (JSON text, release facts, search text, edges, keys),
 * so no JavaScript of the write path is timed. It answers how fast the embedded store could
 * ingest if the write path's own code cost nothing.
 *
 *   npx tsx bench/ingest-floor.ts [--count 1000000] [--batch 5000] [--runs 3] [--parts all|each|objects,members,ids,search,edges]
 *
 * The file is created by the store's own migrations and opened with the store's settings (page
 * size, WAL, synchronous=NORMAL, cache, memory map), with the WAL checkpointed by a thread of its
 * own as a serving node does. Each object of the benchmark feed (bench/lib/synthetic-stix.ts,
 * fresh objects only) then costs the statements `writeBatch` runs for a new id and version:
 *
 *   ids      INSERT INTO ids                       (the id's key; the `ids_hash` index)
 *   objects  INSERT INTO objects                   (JSON text and release facts)
 *   members  INSERT INTO members                   (the membership row and its two indexes)
 *   search   INSERT INTO search_fts                (FTS5, when the object has searchable text)
 *   edges    INSERT INTO edges, one per reference  (and its two indexes)
 *
 * one transaction per batch, each batch's rows prepared just before it. Only the transactions are
 * timed: reported per 200,000 objects and in all, the wall rate and the CPU time of the whole
 * process per object (user + system of every thread, so the checkpoints that run meanwhile).
 * `--parts each` runs each part alone, then all together; the parts do not add up, because
 * together they share the page cache and the commit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../src/adapters/sqlite/index.js';
import { idHash } from '../src/adapters/sqlite/id-keys.js';
import { searchTextOf } from '../src/adapters/sqlite/object-text.js';
import { WalCheckpointer } from '../src/adapters/sqlite/wal-checkpointer.js';
import { edgesOf } from '../src/adapters/shared/object-edges.js';
import { releaseFactsOf } from '../src/core/policy/release-facts.js';
import { freshObject } from './lib/synthetic-stix.js';
import { median } from './lib/run-stats.js';

const PARTS = ['ids', 'objects', 'members', 'search', 'edges'] as const;
type Part = (typeof PARTS)[number];

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '5000' },
    runs: { type: 'string', default: '3' },
    parts: { type: 'string', default: 'all' },
  },
});
const count = Number(values.count);
const batchSize = Number(values.batch);
const runs = Number(values.runs);
if (![count, batchSize, runs].every((n) => Number.isInteger(n) && n > 0)) {
  console.error('--count, --batch and --runs take positive integers');
  process.exit(2);
}
function partsOf(text: string): Part[][] {
  if (text === 'all') return [[...PARTS]];
  if (text === 'each') return [...PARTS.map((p) => [p]), [...PARTS]];
  const chosen = text.split(',').map((p) => p.trim());
  const unknown = chosen.filter((p) => !(PARTS as ReadonlyArray<string>).includes(p));
  if (unknown.length > 0) {
    console.error(`--parts: unknown part ${unknown.join(', ')} (known: ${PARTS.join(', ')}, or all, or each)`);
    process.exit(2);
  }
  return [chosen as Part[]];
}
const plans = partsOf(values.parts);
const k = (n: number) => n.toLocaleString('en-US');
const WINDOW = 200_000;

/** One object's rows, as writeBatch would bind them for a new id and version. */
interface Prepared {
  readonly id: string;
  readonly type: string;
  readonly version: string;
  readonly spec: string;
  readonly json: string;
  readonly releaseKey: string;
  readonly releaseRefs: string | null;
  readonly text: string;
  readonly edges: ReadonlyArray<readonly [source: string, target: string, kind: string, label: string, via: string | null]>;
}

function prepare(n: number): Prepared {
  const object = freshObject(n) as { id: string; type: string; modified?: string; created?: string; spec_version?: string };
  const facts = releaseFactsOf(object as never);
  return {
    id: object.id, type: object.type,
    version: object.modified ?? object.created ?? '1970-01-01T00:00:00.000Z', spec: object.spec_version ?? '2.1',
    json: JSON.stringify(object), releaseKey: facts.key, releaseRefs: facts.refs ?? null, text: searchTextOf(object as never),
    edges: edgesOf(object as never).map((e) => [e.source, e.target, e.kind, e.label, e.via ?? null] as const),
  };
}

interface Window { readonly objects: number; readonly wallMs: number; readonly cpuMicros: number }

async function runOnce(parts: ReadonlyArray<Part>): Promise<Window[]> {
  const dir = mkdtempSync(join(tmpdir(), 'entente-bench-floor-'));
  const file = join(dir, 'store.db');
  const store = await openSqliteStore({ file });
  await store.migrate();
  await store.createCollection({ id: 'bench', title: 'Benchmark', mediaTypes: ['application/stix+json;version=2.1'], createdAt: '2026-01-01T00:00:00.000Z' });
  await store.close();
  // The store's connection settings (sqlite-store.ts); page size and WAL are the file's own.
  const db = new Database(file);
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  db.pragma('wal_autocheckpoint = 10000');
  db.pragma(`mmap_size = ${1024 * 2 ** 20}`);
  const checkpointer = new WalCheckpointer(file);
  const ckey = (db.prepare("SELECT ckey FROM collections WHERE id = 'bench'").get() as { ckey: number }).ckey;
  const insertId = db.prepare('INSERT INTO ids (ikey, hash, id) VALUES (?, ?, ?)');
  const insertObject = db.prepare('INSERT INTO objects (id, version, json, release_key, release_refs) VALUES (?, ?, ?, ?, ?)');
  const insertMember = db.prepare(`INSERT INTO members (ckey, date_added, seq, okey, id, type, version, spec_version, is_first, is_last, spec_latest, ikey)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, 1, 1, ?)`);
  const insertText = db.prepare('INSERT INTO search_fts (rowid, body) VALUES (?, ?)');
  const insertEdge = db.prepare('INSERT INTO edges (okey, n, source, target, kind, label, via, source_key, target_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const has = new Set(parts);
  // Keys are handed out as IdKeys does: on first sight of an id, its own or an edge's end, with
  // its `ids` row (the lookups that find known ids are the write path's, not timed here).
  const keys = new Map<string, number>();
  const keyOf = (id: string): number => {
    let key = keys.get(id);
    if (key === undefined) {
      key = keys.size + 1;
      keys.set(id, key);
      if (has.has('ids')) insertId.run(key, idHash(id), id);
    }
    return key;
  };
  const windows: Window[] = [];
  let windowMs = 0;
  let windowCpu = 0;
  let windowObjects = 0;
  try {
    for (let offset = 0; offset < count; offset += batchSize) {
      const end = Math.min(count, offset + batchSize);
      const rows: Prepared[] = [];
      for (let n = offset; n < end; n += 1) rows.push(prepare(n));
      const addedMillis = Date.parse('2026-01-01T00:00:00.000Z') + offset;
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      db.transaction(() => {
        for (let i = offset; i < end; i += 1) {
          const row = rows[i - offset] as Prepared;
          const ikey = keyOf(row.id);
          const okey = has.has('objects') ? Number(insertObject.run(row.id, row.version, row.json, row.releaseKey, row.releaseRefs).lastInsertRowid) : i + 1;
          if (has.has('members')) insertMember.run(ckey, addedMillis, i + 1, okey, row.id, row.type, row.version, row.spec, ikey);
          if (has.has('search') && row.text !== '') insertText.run(okey, row.text);
          if (has.has('edges')) {
            for (let n = 0; n < row.edges.length; n += 1) {
              const [source, target, kind, label, via] = row.edges[n]!;
              insertEdge.run(okey, n, source, target, kind, label, via, keyOf(source), keyOf(target));
            }
          }
        }
      }).immediate();
      const cpu = process.cpuUsage(c0);
      windowMs += performance.now() - t0;
      windowCpu += cpu.user + cpu.system;
      windowObjects += end - offset;
      if (windowObjects >= WINDOW || end === count) {
        windows.push({ objects: windowObjects, wallMs: windowMs, cpuMicros: windowCpu });
        windowMs = 0;
        windowCpu = 0;
        windowObjects = 0;
      }
    }
  } finally {
    await checkpointer.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return windows;
}

console.log(`ingest-floor: ${k(count)} objects, batches of ${k(batchSize)}, ${runs} run(s); SQL statements only, rows prepared beforehand`);
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
const summary: string[] = [];
for (const parts of plans) {
  const label = parts.length === PARTS.length ? 'all parts' : parts.join('+');
  const totals: Array<{ rate: number; cpu: number }> = [];
  for (let run = 1; run <= runs; run += 1) {
    const windows = await runOnce(parts);
    let done = 0;
    for (const w of windows) {
      done += w.objects;
      console.log(`  ${label} run ${run}: ${k(done).padStart(9)}  ${k(Math.round((w.objects * 1000) / w.wallMs)).padStart(8)}/s wall  ${(w.cpuMicros / w.objects).toFixed(1).padStart(5)} µs CPU per object`);
    }
    const wallMs = windows.reduce((s, w) => s + w.wallMs, 0);
    const cpuMicros = windows.reduce((s, w) => s + w.cpuMicros, 0);
    totals.push({ rate: (count * 1000) / wallMs, cpu: cpuMicros / count });
  }
  const rate = median(totals.map((t) => t.rate));
  const cpu = median(totals.map((t) => t.cpu));
  summary.push(`| ${label} | ${k(Math.round(rate))}/s | ${cpu.toFixed(1)} µs | ${k(Math.round(2e6 / cpu))}/s |`);
}
console.log(`\nmedian of ${runs} run(s) over ${k(count)} objects`);
console.log('| statements | wall rate | CPU per object (all threads) | bound on 2 cores if split perfectly |');
console.log('| --- | --- | --- | --- |');
for (const line of summary) console.log(line);
