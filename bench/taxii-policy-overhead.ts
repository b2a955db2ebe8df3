/**
 * What the release decision adds to a TAXII page: the same pages of one store served by two
 * apps in this process, one as the node serves them (every object decided for the caller) and
 * one with no release gate, fetched alternately with `app.inject` so that noise hits both alike.
 * Each page's wall time and the CPU time of this process are taken; on a shared machine the CPU
 * time is the steadier figure.
 * Reported for an analyst of the node (clearance NATO SECRET) and for a partner's account (its
 * organisation's agreement decides, and every decision is logged), the partner also through a
 * gate that decides alike and prepares the log but does not write it (what deciding costs, apart
 * from storing the log).
 *
 *   npx tsx bench/taxii-policy-overhead.ts [--objects 20000] [--pages 400] [--runs 3] [--profile DIR]
 *
 * `--profile DIR` writes a V8 CPU profile per reader of an extra round of gated pages only
 * (`<reader>.cpuprofile`; open it in Chrome DevTools).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { buildNodeHttp, openNode, type NodeServices } from '../src/composition-root.js';
import { resolveConfig } from '../src/config/node-config.js';
import type { FastifyInstance } from 'fastify';
import { IntelService } from '../src/services/intel/index.js';
import { MarkingResolver } from '../src/services/policy/marking-resolver.js';
import { PolicyDirectory } from '../src/services/policy/policy-directory.js';
import { ReleaseService } from '../src/services/policy/release-service.js';
import { DEFAULT_COLLECTION, setUpNode } from '../src/services/setup/node-setup.js';
import { ingest } from './lib/ingest-loop.js';
import { median } from './lib/run-stats.js';

const { values: args } = parseArgs({ options: { objects: { type: 'string', default: '20000' }, pages: { type: 'string', default: '400' }, runs: { type: 'string', default: '3' }, profile: { type: 'string' } } });
const OBJECTS = Number(args.objects);
const PAGES = Number(args.pages);
const RUNS = Number(args.runs);

const dir = mkdtempSync(join(tmpdir(), 'entente-bench-overhead-'));
const config = resolveConfig([{ source: 'bench', values: { dataDir: dir, database: { sqliteFile: join(dir, 'entente.db') }, node: { organisation: 'DEU', country: 'DEU', kind: 'nation' }, log: { level: 'silent' } } }]);
const node = await openNode(config, { logger: pino({ level: 'silent' }), serving: true });
try {
  await setUpNode(node, { adminPassword: 'benchmark admin password' });
  const collection = (await node.collections.listAll()).find((c) => c.alias === DEFAULT_COLLECTION.alias);
  if (collection === undefined) throw new Error('no default collection');
  process.stderr.write(`seeding ${OBJECTS} objects...\n`);
  await ingest(node.store, { collectionId: collection.id, from: 0, count: OBJECTS, batchSize: 5_000, bulk: true });

  // An analyst of this node, and an account of a partner organisation under an agreement.
  await node.accounts.createUser('analyst', 'benchmark analyst password', ['analyst']);
  await node.policy.setProfile('analyst', { nationality: 'DEU', clearances: ['NATO SECRET'] });
  await node.policy.addOrganisation({ code: 'POL', name: 'CERT Polska', kind: 'nation', country: 'POL' });
  await node.policy.submitAgreement(`agreement: deu-pol\ntitle: bench\nstatus: active\nparties: [DEU, POL]\nvalid: { from: 2026-01-01T00:00:00Z }\nceiling: { tlp: amber }\n`, 'bench');
  await node.accounts.createUser('node-pol', 'benchmark partner password', ['analyst']);
  await node.policy.setProfile('node-pol', { nationality: 'POL', organisation: 'POL' });
  for (const user of ['analyst', 'node-pol']) await node.collections.grant(collection.id, user, { canRead: true, canWrite: false });

  const gated = await buildNodeHttp(node);
  const ungatedNode: NodeServices = { ...node, intel: new IntelService({ store: node.store, clock: node.clock, pageSizes: { default: 100, max: 10_000 } }) };
  const ungated = await buildNodeHttp(ungatedNode);
  const quiet = new Proxy(node.store, {
    get(target, property) {
      if (property === 'appendDecisions') return async () => undefined;
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const unloggedRelease = new ReleaseService({ store: quiet, clock: node.clock, node: node.release.node, directory: new PolicyDirectory(node.store, node.clock), markings: new MarkingResolver(node.store) });
  const unlogged = await buildNodeHttp({ ...node, intel: new IntelService({ store: node.store, clock: node.clock, pageSizes: { default: 100, max: 10_000 }, release: unloggedRelease }) });
  const tokens = { analyst: (await node.accounts.createToken('analyst')).token, partner: (await node.accounts.createToken('node-pol')).token };

  // The cursors of every page, walked once through the ungated app (same store, same keyset).
  const cursors: Array<string | undefined> = [undefined];
  const path = (next?: string) => `/taxii2/default/collections/${collection.id}/objects/?limit=100${next === undefined ? '' : `&next=${encodeURIComponent(next)}`}`;
  while (cursors.length < PAGES) {
    const res = await ungated.inject({ method: 'GET', url: path(cursors.at(-1)), headers: { authorization: `Bearer ${tokens.analyst}`, accept: 'application/taxii+json;version=2.1' } });
    const next = (JSON.parse(res.body) as { next?: string }).next;
    if (next === undefined) break;
    cursors.push(next);
  }
  console.log(`TAXII GET objects, limit=100, ${OBJECTS.toLocaleString('en-US')} objects, ${cursors.length} pages, in-process (app.inject), Node ${process.version}`);
  console.log('| reader | page without the release gate, wall (CPU) | page with it, wall (CPU) | added by the release decision, wall (CPU) |');
  console.log('| --- | --- | --- | --- |');
  // The partner's pages also through a gate that prepares the decision records and the ledger
  // entry but writes neither: what deciding costs, apart from storing the log.
  const readers: Array<[string, string, FastifyInstance]> = [['analyst', tokens.analyst, gated], ['partner, log prepared but not written', tokens.partner, unlogged], ['partner', tokens.partner, gated]];
  for (const [who, token, app] of readers) {
    // Per run, the median wall time and CPU time of this process per page (ms), with and without.
    const withGate: Cost[] = [];
    const without: Cost[] = [];
    for (let run = 0; run < RUNS; run++) {
      const a: Cost[] = [];
      const b: Cost[] = [];
      for (const cursor of cursors) {
        for (const [served, into] of [[ungated, b], [app, a]] as const) {
          const t = performance.now();
          const c = process.cpuUsage();
          const res = await served.inject({ method: 'GET', url: path(cursor), headers: { authorization: `Bearer ${token}`, accept: 'application/taxii+json;version=2.1' } });
          const used = process.cpuUsage(c);
          into.push({ wall: performance.now() - t, cpu: (used.user + used.system) / 1000 });
          if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${res.body.slice(0, 200)}`);
        }
      }
      withGate.push(medianCost(a));
      without.push(medianCost(b));
      process.stderr.write(`  ${who} run ${run + 1}: ${show(medianCost(b))} without, ${show(medianCost(a))} with\n`);
    }
    if (args.profile !== undefined) await profileGated(who.replace(/\W+/g, '-'), async () => {
      for (const cursor of cursors) await app.inject({ method: 'GET', url: path(cursor), headers: { authorization: `Bearer ${token}`, accept: 'application/taxii+json;version=2.1' } });
    });
    const w = medianCost(withGate);
    const o = medianCost(without);
    const added = (k: keyof Cost) => `${(w[k] - o[k]).toFixed(3)} ms (${(((w[k] - o[k]) / o[k]) * 100).toFixed(0)} %)`;
    console.log(`| ${who} | ${show(o)} | ${show(w)} | ${added('wall')}, CPU ${added('cpu')} |`);
  }
  await gated.close();
  await unlogged.close();
  await ungated.close();
} finally {
  await node.close();
  rmSync(dir, { recursive: true, force: true });
}

/** Runs `fetchPages` three times under the V8 profiler and writes the profile to `--profile DIR`. */
async function profileGated(who: string, fetchPages: () => Promise<void>): Promise<void> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  for (let i = 0; i < 3; i++) await fetchPages();
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  mkdirSync(args.profile as string, { recursive: true });
  writeFileSync(join(args.profile as string, `${who}.cpuprofile`), JSON.stringify(profile));
  process.stderr.write(`  profile of the gated pages: ${join(args.profile as string, `${who}.cpuprofile`)}\n`);
}

interface Cost {
  readonly wall: number;
  readonly cpu: number;
}

function medianCost(costs: ReadonlyArray<Cost>): Cost {
  return { wall: median(costs.map((c) => c.wall)), cpu: median(costs.map((c) => c.cpu)) };
}

function show(c: Cost): string {
  return `${c.wall.toFixed(3)} ms (${c.cpu.toFixed(3)})`;
}
