/**
 * TAXII 2.1 GET objects through HTTP on loopback over a large store: pages/s at limit=100 with
 * several keep-alive clients, and the latency of late pages (page 10,000) against early ones,
 * which keyset paging must keep equal. The server runs as `entente start` in its own process,
 * as in production; this process only seeds the store and plays the clients.
 *
 *   npx tsx bench/taxii-pages.ts [--objects 1000000] [--seconds 10] [--clients 8] [--runs 3] [--keep DIR] [--profile DIR]
 *
 * `--keep DIR` seeds the store there once and reuses it; `--profile DIR` writes a V8 CPU profile
 * of the server process there when it stops (open it in Chrome DevTools).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/load-config.js';
import { openNode } from '../src/composition-root.js';
import { setUpNode, DEFAULT_COLLECTION } from '../src/services/setup/node-setup.js';
import { ingest } from './lib/ingest-loop.js';
import { formatRate, median, progressLine } from './lib/run-stats.js';

const { values: args } = parseArgs({
  options: {
    objects: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '10' },
    clients: { type: 'string', default: '8' },
    runs: { type: 'string', default: '3' },
    keep: { type: 'string' },
    profile: { type: 'string' },
  },
});
const OBJECTS = Number(args.objects);
const SECONDS = Number(args.seconds);
const CLIENTS = Number(args.clients);
const RUNS = Number(args.runs);
const LIMIT = 100;
const PORT = 18_000 + Math.floor(Math.random() * 1000);

const dataDir = args.keep ?? mkdtempSync(join(tmpdir(), 'entente-bench-taxii-'));
const seeded = args.keep !== undefined && existsSync(join(dataDir, 'entente.db'));

async function seed(): Promise<{ collection: string; token: string }> {
  const config = loadConfig({ flags: { dataDir }, env: {} });
  const node = await openNode(config, { logger: (await import('pino')).pino({ level: 'warn' }) });
  try {
    await setUpNode(node, { adminPassword: 'benchmark admin password' });
    const collection = (await node.collections.listAll()).find((c) => c.alias === DEFAULT_COLLECTION.alias);
    if (collection === undefined) throw new Error('no default collection');
    const present = await node.store.countObjects(collection.id);
    if (present < OBJECTS) {
      const progress = progressLine('seeding', OBJECTS - present);
      await ingest(node.store, {
        collectionId: collection.id, from: present, count: OBJECTS - present, batchSize: 5_000, bulk: true,
        onProgress: (done, _w, overall) => progress(done, overall), every: 50_000,
      });
    }
    const token = await node.accounts.createToken('admin', { description: 'benchmark' });
    return { collection: collection.id, token: token.token };
  } finally {
    await node.close();
  }
}

function startServer(): Promise<ChildProcess> {
  const profiling = args.profile === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${args.profile}`];
  const child = spawn(process.execPath, [...profiling, 'bin/entente.js', 'start', '--data-dir', dataDir, '--port', String(PORT)], {
    env: { ...process.env, ENTENTE_LOG_LEVEL: 'warn', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => { if (d.toString().includes('is running')) resolve(child); });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });

function get(path: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: PORT, path, agent, headers: { accept: 'application/taxii+json;version=2.1', authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const pagePath = (collection: string, next?: string) =>
  `/taxii2/default/collections/${collection}/objects/?limit=${LIMIT}${next === undefined ? '' : `&next=${encodeURIComponent(next)}`}`;

async function main(): Promise<void> {
  console.log(`TAXII GET objects, limit=${LIMIT}, ${OBJECTS.toLocaleString('en-US')} objects, ${CLIENTS} clients, ${cpus().length} cores (${cpus()[0]?.model ?? '?'})`);
  const { collection, token } = await seed();
  if (seeded) console.log('store reused from', dataDir);
  const server = await startServer();
  try {
    // Walk every page once, keeping each page's cursor and latency.
    const cursors: Array<string | undefined> = [undefined];
    const walkMs: number[] = [];
    const pages = Math.ceil(OBJECTS / LIMIT);
    const progress = progressLine('walking pages', pages);
    const walkStart = performance.now();
    let seen = 0;
    for (let i = 0; ; i++) {
      const t0 = performance.now();
      const res = await get(pagePath(collection, cursors[i]), token);
      walkMs.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`page ${i + 1}: HTTP ${res.status} ${res.body.slice(0, 200)}`);
      const envelope = JSON.parse(res.body) as { objects?: unknown[]; next?: string; more?: boolean };
      seen += envelope.objects?.length ?? 0;
      progress(i + 1, ((i + 1) * 1000) / (performance.now() - walkStart));
      if (envelope.next === undefined) break;
      cursors.push(envelope.next);
    }
    console.log(`walked ${cursors.length.toLocaleString('en-US')} pages, ${seen.toLocaleString('en-US')} objects, one client: ${formatRate((cursors.length * 1000) / (performance.now() - walkStart))} pages`);

    // Early against late pages, sampled alternately so that noise hits both alike.
    const sample = Math.min(200, Math.floor(cursors.length / 4));
    const early: number[] = [];
    const late: number[] = [];
    for (let i = 0; i < sample; i++) {
      for (const [bucket, index] of [[early, i], [late, cursors.length - sample + i]] as const) {
        const t0 = performance.now();
        await get(pagePath(collection, cursors[index]), token);
        bucket.push(performance.now() - t0);
      }
    }
    console.log(`median latency: pages 1-${sample}: ${median(early).toFixed(2)} ms; pages ${cursors.length - sample + 1}-${cursors.length}: ${median(late).toFixed(2)} ms (ratio ${(median(late) / median(early)).toFixed(2)})`);

    // Throughput: CLIENTS concurrent keep-alive clients fetching random pages.
    const rates: number[] = [];
    for (let run = 1; run <= RUNS; run++) {
      let done = 0;
      const until = performance.now() + SECONDS * 1000;
      const t0 = performance.now();
      await Promise.all(Array.from({ length: CLIENTS }, async () => {
        while (performance.now() < until) {
          const res = await get(pagePath(collection, cursors[Math.floor(Math.random() * cursors.length)]), token);
          if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
          done++;
        }
      }));
      const rate = (done * 1000) / (performance.now() - t0);
      rates.push(rate);
      console.log(`run ${run}: ${formatRate(rate)} pages (${done.toLocaleString('en-US')} pages in ${SECONDS} s)`);
    }
    console.log(`median of ${RUNS} runs: ${formatRate(median(rates))} pages of ${LIMIT} (target >= 2,000/s)`);
  } finally {
    server.kill('SIGTERM');
    agent.destroy();
    if (args.keep === undefined) rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
