/**
 * The transparency ledger at a million entries (issue: "verifying a log of 1M entries takes
 * seconds"). Run: `npm run bench:ledger` (ENTRIES=n, RUNS=n, PROOFS=n override the sizes).
 * Per run, on a fresh embedded (SQLite) store: append ENTRIES release entries in batches of
 * 10,000 through the ledger API (canonical JSON, leaf hash, incremental tree, one transaction per
 * batch) and report entries/s; verify the whole log as `entente ledger verify` does (re-hash
 * every entry, recompute the root, compare with the checkpoint); load the leaf hashes into memory
 * and compute the tree's levels once, then generate and verify PROOFS inclusion proofs of spread
 * entries. Medians of RUNS runs.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openSqliteStore } from '../src/adapters/sqlite/sqlite-store.js';
import { checkInclusion, ed25519Signer, inclusionProof, type LedgerEntry } from '../src/core/ledger/index.js';
import { appendLedgerEntries, checkpointLedger, loadLedgerTree, verifyLedger } from '../src/ports/ledger-store.js';
import { formatRate, median, progressLine } from './lib/run-stats.js';

const ENTRIES = Number(process.env.ENTRIES ?? 1_000_000);
const RUNS = Number(process.env.RUNS ?? 3);
const PROOFS = Number(process.env.PROOFS ?? 1000);
const BATCH = 10_000;

const RECIPIENTS = ['peer:POL', 'peer:FRA', 'peer:NLD', 'peer:NATO', 'user:analyst-17'];
const T0 = Date.UTC(2026, 0, 1);

/** A realistic release entry (~330 bytes of canonical JSON): unique by object id and time. */
function entry(n: number): LedgerEntry {
  const iso = new Date(T0 + n * 37).toISOString();
  return {
    kind: 'release', at: iso, recipient: RECIPIENTS[n % RECIPIENTS.length] as string,
    objectId: `indicator--${(0x10000000 + n).toString(16)}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`, objectVersion: iso,
    outcome: n % 7 === 0 ? 'redact' : 'allow', agreementId: n % 2 === 0 ? 'nato-cti' : 'deu-pol-energy', agreementVersion: 1 + (n % 3),
    envelopeId: `env-${n.toString(36)}`,
  };
}

interface RunFigures {
  appendPerSecond: number;
  verifySeconds: number;
  loadSeconds: number;
  levelsSeconds: number;
  proofsPerSecond: number;
  checksPerSecond: number;
  megabytes: number;
}

async function run(index: number): Promise<RunFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'entente-ledger-bench-'));
  const file = join(dir, 'ledger.db');
  const store = await openSqliteStore({ file });
  try {
    await store.migrate();
    const report = progressLine(`run ${index + 1}: append`, ENTRIES);
    let started = performance.now();
    for (let from = 0; from < ENTRIES; from += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, ENTRIES - from) }, (_, i) => entry(from + i));
      await appendLedgerEntries(store, batch);
      report(from + batch.length, (from + batch.length) / ((performance.now() - started) / 1000));
    }
    const appendPerSecond = ENTRIES / ((performance.now() - started) / 1000);
    const keys = generateKeyPairSync('ed25519');
    await checkpointLedger(store, 'bench.example/ledger', [ed25519Signer('bench.example/ledger', keys.privateKey)]);

    started = performance.now();
    const verdict = await verifyLedger(store);
    const verifySeconds = (performance.now() - started) / 1000;
    if (!verdict.holds) throw new Error(`verify failed: ${verdict.reason ?? ''}`);

    started = performance.now();
    const tree = await loadLedgerTree(store, ENTRIES);
    const loadSeconds = (performance.now() - started) / 1000;
    // The first subtree read computes every level of the tree once (one node hash per leaf).
    started = performance.now();
    const root = tree.root();
    const levelsSeconds = (performance.now() - started) / 1000;
    const indexes = Array.from({ length: PROOFS }, (_, i) => Math.floor(((i * 2654435761) % 2 ** 32) / 2 ** 32 * ENTRIES));
    started = performance.now();
    const proofs = indexes.map((i) => inclusionProof(tree, i));
    const proofsPerSecond = PROOFS / ((performance.now() - started) / 1000);
    started = performance.now();
    proofs.forEach((path, n) => {
      const i = indexes[n] as number;
      if (!checkInclusion(tree.leaf(i), i, ENTRIES, path, root).holds) throw new Error(`proof of ${i} does not hold`);
    });
    const checksPerSecond = PROOFS / ((performance.now() - started) / 1000);
    await store.close();
    return { appendPerSecond, verifySeconds, loadSeconds, levelsSeconds, proofsPerSecond, checksPerSecond, megabytes: statSync(file).size / 2 ** 20 };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const runs: RunFigures[] = [];
for (let i = 0; i < RUNS; i += 1) {
  const figures = await run(i);
  runs.push(figures);
  console.log(`run ${i + 1}: append ${formatRate(figures.appendPerSecond)}, verify ${figures.verifySeconds.toFixed(2)} s, load leaves ${figures.loadSeconds.toFixed(2)} s, levels ${figures.levelsSeconds.toFixed(2)} s, `
    + `proofs ${formatRate(figures.proofsPerSecond)}, checks ${formatRate(figures.checksPerSecond)}, ${figures.megabytes.toFixed(0)} MB on disk`);
}
const m = (key: keyof RunFigures) => median(runs.map((r) => r[key]));
console.log(`\n${ENTRIES.toLocaleString('en-US')} entries, median of ${RUNS} runs:`);
console.log(`  append (batches of ${BATCH.toLocaleString('en-US')})  ${formatRate(m('appendPerSecond'))}`);
console.log(`  verify the whole log          ${m('verifySeconds').toFixed(2)} s`);
console.log(`  load leaf hashes for proofs   ${m('loadSeconds').toFixed(2)} s`);
console.log(`  compute the tree's levels     ${m('levelsSeconds').toFixed(2)} s`);
console.log(`  ${PROOFS.toLocaleString('en-US')} inclusion proofs        ${formatRate(m('proofsPerSecond'))}`);
console.log(`  ${PROOFS.toLocaleString('en-US')} proof checks            ${formatRate(m('checksPerSecond'))}`);
console.log(`  database size                 ${m('megabytes').toFixed(0)} MB`);
