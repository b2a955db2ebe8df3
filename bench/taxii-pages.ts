/**
 * TAXII 2.1 GET objects through HTTP on loopback over a large store: pages/s at limit=100 with
 * several keep-alive clients, and the latency of late pages (page 10,000) against early ones,
 * which keyset paging must keep equal. The server runs as `entente start` in its own process,
 * as in production; this process only seeds the store and plays the clients.
 *
 *   npx tsx bench/taxii-pages.ts [--objects 1000000] [--seconds 10] [--clients 8] [--runs 3] [--workers N] [--keep DIR] [--profile DIR] [--client raw|node]
 *
 * `--keep DIR` seeds the store there once and reuses it; `--profile DIR` writes a V8 CPU profile
 * of the server process there when it stops (open it in Chrome DevTools). `--client node` plays
 * the throughput clients through node:http, decoding every body, as the benchmark did before.
 * `--workers N` runs the server as `entente start --workers N` (N serving processes); the server
 * CPU then counts the primary and every worker.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/load-config.js';
import { openNode } from '../src/composition-root.js';
import { setUpNode, DEFAULT_COLLECTION } from '../src/services/setup/node-setup.js';
import { ingest } from './lib/ingest-loop.js';
import { KeepAliveGet } from './lib/keep-alive-get.js';
import { formatRate, median, progressLine } from './lib/run-stats.js';

const { values: args } = parseArgs({
  options: {
    objects: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '10' },
    clients: { type: 'string', default: '8' },
    runs: { type: 'string', default: '3' },
    keep: { type: 'string' },
    profile: { type: 'string' },
    // `node`: the throughput clients use node:http and read every body as text, as before.
    client: { type: 'string', default: 'raw' },
    workers: { type: 'string', default: '1' },
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
  const child = spawn(process.execPath, [...profiling, 'bin/entente.js', 'start', '--data-dir', dataDir, '--port', String(PORT), '--workers', String(args.workers)], {
    env: { ...process.env, ENTENTE_LOG_LEVEL: 'warn', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => { if (d.toString().includes('is running')) resolve(child); });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });

const headersFor = (token: string) => ({ accept: 'application/taxii+json;version=2.1', authorization: `Bearer ${token}` });

function get(path: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: PORT, path, agent, headers: headersFor(token) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The throughput phase through node:http (`--client node`): status and body length. */
function getLength(path: string, headers: Record<string, string>): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: PORT, path, agent, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes: Buffer.byteLength(body) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * CPU time in ms (user, system) of a process and its children (a server's worker processes),
 * from /proc on Linux; undefined elsewhere.
 */
function processCpuMs(pid: number | undefined): { readonly user: number; readonly system: number } | undefined {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return undefined;
  // Fields 14 and 15 (utime, stime) in clock ticks of 10 ms, counted after the command name's closing parenthesis.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const own = { user: Number(fields[11]) * 10, system: Number(fields[12]) * 10 };
  const childrenFile = `/proc/${pid}/task/${pid}/children`;
  const children = existsSync(childrenFile) ? readFileSync(childrenFile, 'utf8').trim().split(/\s+/).filter((c) => c !== '').map(Number) : [];
  return children.reduce((sum, child) => {
    const c = processCpuMs(child);
    return c === undefined ? sum : { user: sum.user + c.user, system: sum.system + c.system };
  }, own);
}

/** `total µs (system s µs)` per page. */
const perPage = (userMs: number, systemMs: number, pages: number): string =>
  `${(((userMs + systemMs) * 1000) / pages).toFixed(0)} µs (system ${((systemMs * 1000) / pages).toFixed(0)})`;

const pagePath = (collection: string, next?: string) =>
  `/taxii2/default/collections/${collection}/objects/?limit=${LIMIT}${next === undefined ? '' : `&next=${encodeURIComponent(next)}`}`;

async function main(): Promise<void> {
  console.log(`TAXII GET objects, limit=${LIMIT}, ${OBJECTS.toLocaleString('en-US')} objects, ${CLIENTS} clients, ${String(args.workers)} serving process(es), ${cpus().length} cores (${cpus()[0]?.model ?? '?'})`);
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

    // Throughput: CLIENTS concurrent keep-alive clients fetching random pages. Each counts a page
    // when it is a 200 with its whole body; it does not decode it (the walk above parsed every page
    // once): decoding ~80 KB per page through node:http cost the load generator, which shares the
    // cores with the server, about a quarter of the server's CPU per page.
    const rates: number[] = [];
    const serverCpu: number[] = [];
    const clientCpu: number[] = [];
    const headerLines = Object.entries(headersFor(token)).map(([name, value]) => `${name}: ${value}\r\n`).join('');
    const connections = await Promise.all(Array.from({ length: CLIENTS }, () => KeepAliveGet.open('127.0.0.1', PORT)));
    const headers = headersFor(token);
    const fetchPage = args.client === 'node'
      ? (_connection: KeepAliveGet, path: string) => getLength(path, headers)
      : (connection: KeepAliveGet, path: string) => connection.get(path, headerLines);
    for (let run = 1; run <= RUNS; run++) {
      let done = 0;
      const until = performance.now() + SECONDS * 1000;
      const server0 = processCpuMs(server.pid);
      const client0 = process.cpuUsage();
      const t0 = performance.now();
      await Promise.all(connections.map(async (connection) => {
        while (performance.now() < until) {
          const res = await fetchPage(connection, pagePath(collection, cursors[Math.floor(Math.random() * cursors.length)]));
          if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
          // Every page here holds objects: at least `{"more":…,"objects":[…]}`.
          if (res.bytes < 30) throw new Error(`page of ${res.bytes} bytes`);
          done++;
        }
      }));
      const rate = (done * 1000) / (performance.now() - t0);
      const client = process.cpuUsage(client0);
      const server1 = processCpuMs(server.pid);
      rates.push(rate);
      clientCpu.push((client.user + client.system) / done);
      const serverRun = server0 === undefined || server1 === undefined ? undefined : { user: server1.user - server0.user, system: server1.system - server0.system };
      if (serverRun !== undefined) serverCpu.push(((serverRun.user + serverRun.system) * 1000) / done);
      console.log(`run ${run}: ${formatRate(rate)} pages (${done.toLocaleString('en-US')} pages in ${SECONDS} s); CPU per page: server ${serverRun === undefined ? '?' : perPage(serverRun.user, serverRun.system, done)}, load generator ${perPage(client.user / 1000, client.system / 1000, done)}`);
    }
    for (const connection of connections) connection.close();
    if (serverCpu.length > 0) console.log(`median CPU per page: server ${median(serverCpu).toFixed(0)} µs, load generator ${median(clientCpu).toFixed(0)} µs`);
    console.log(`median of ${RUNS} runs: ${formatRate(median(rates))} pages of ${LIMIT} (target >= 2,000/s)`);
  } finally {
    server.kill('SIGTERM');
    agent.destroy();
    if (args.keep === undefined) rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
