/**
 * Federation on loopback: a coalition of N nodes (default 10), each a full node in this process
 * with its own SQLite store, keys and HTTP server. One node (the origin) publishes indicators
 * under a multilateral agreement whose ceilings leave two members out of TLP:AMBER; it pushes
 * continuously (`entente start` does the same, here every 100 ms). Measured:
 *   - latency: for each indicator, the time from its ingest at the origin until every entitled
 *     node holds it (p50 / p99 over `--indicators` indicators, published one after another);
 *   - throughput: a burst of `--burst` objects until every entitled node holds all of them.
 *
 *   npx tsx bench/federation.ts [--nodes 10] [--indicators 100] [--burst 5000] [--interval 100]
 *
 * All nodes share the machine's 2 cores: the figures include every node's work.
 */
import { parseArgs } from 'node:util';
import { agree, link, members, removeDir, startMember, type CoalitionNode } from '../test/federation/coalition-nodes.js';
import { formatRate, median } from './lib/run-stats.js';

const { values: args } = parseArgs({
  options: {
    nodes: { type: 'string', default: '10' },
    indicators: { type: 'string', default: '100' },
    burst: { type: 'string', default: '5000' },
    interval: { type: 'string', default: '100' },
  },
});
const NODES = Number(args.nodes);
const INDICATORS = Number(args.indicators);
const BURST = Number(args.burst);
const INTERVAL = Number(args.interval);
const CODES = ['DEU', 'POL', 'FRA', 'NLD', 'EST', 'LTU', 'LVA', 'CZE', 'DNK', 'NOR', 'ITA', 'ESP'].slice(0, NODES);
const COALITION = members(CODES);
const LEFT_OUT = CODES.slice(-2);
const TLP_AMBER = 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82';

const AGREEMENT = `
agreement: coalition-cti
title: Coalition CTI exchange (benchmark)
status: active
parties: [${CODES.join(', ')}]
valid: { from: 2026-01-01T00:00:00Z }
ceiling: { tlp: amber }
ceilings:
${LEFT_OUT.map((c) => `  ${c}: { tlp: green }`).join('\n')}
`;

let serial = 0;
function indicator(): Record<string, unknown> & { id: string } {
  serial++;
  const tail = serial.toString(16).padStart(12, '0');
  return {
    type: 'indicator', spec_version: '2.1', id: `indicator--be000000-0000-4000-8000-${tail}`, created: '2026-11-25T00:00:00.000Z',
    modified: '2026-11-25T00:00:00.000Z', name: `benchmark indicator ${serial}`, pattern: `[domain-name:value = 'c2-${serial}.example.net']`,
    pattern_type: 'stix', valid_from: '2026-11-25T00:00:00.000Z', object_marking_refs: [TLP_AMBER], created_by_ref: COALITION[0]?.id,
  };
}

const percentile = (sorted: ReadonlyArray<number>, p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function until(condition: () => Promise<boolean>, timeoutMs = 60_000, pollMs = 5): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for replication');
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

async function main(): Promise<void> {
  process.stderr.write(`starting ${NODES} nodes...\n`);
  const nodes: CoalitionNode[] = [];
  for (const code of CODES) nodes.push(await startMember(code, undefined, 0, COALITION));
  const [origin, ...peers] = nodes as [CoalitionNode, ...CoalitionNode[]];
  const entitled = peers.filter((p) => !LEFT_OUT.includes(p.code));
  try {
    await agree(nodes, AGREEMENT);
    for (const peer of peers) await link(origin, peer);
    await origin.node.federation.start(INTERVAL, origin.node.changes);

    const latencies: number[] = [];
    for (let i = 0; i < INDICATORS; i++) {
      const object = indicator();
      const started = performance.now();
      const report = await origin.node.intel.ingest(origin.intelId, { objects: [object] }, { actor: { name: 'admin' } });
      if (report.added !== 1) throw new Error('the indicator was not stored');
      await until(async () => (await Promise.all(entitled.map((p) => p.node.store.getLatest(object.id)))).every((o) => o !== undefined));
      latencies.push(performance.now() - started);
      if ((i + 1) % 10 === 0) process.stderr.write(`\r  latency: ${i + 1}/${INDICATORS} indicators`);
    }
    process.stderr.write('\n');
    for (const left of peers.filter((p) => LEFT_OUT.includes(p.code))) {
      if ((await left.node.store.countObjects(left.intelId)) > 0) throw new Error(`${left.code} received TLP:AMBER data its ceiling forbids`);
    }

    const burst = Array.from({ length: BURST }, () => indicator());
    // CPU time of the whole process (every node's work) holds up on a loaded machine, where wall
    // time does not; counting the copies every 50 ms keeps the polling out of it.
    const cpuAtStart = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < burst.length; i += 500) await origin.node.intel.ingest(origin.intelId, { objects: burst.slice(i, i + 500) }, { actor: { name: 'admin' } });
    const expected = INDICATORS + BURST;
    await until(async () => (await Promise.all(entitled.map((p) => p.node.store.countObjects(p.intelId)))).every((n) => n >= expected), 600_000, 50);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuAtStart);

    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(`\nFederation, ${NODES} nodes on loopback in one process (${entitled.length} entitled, ${LEFT_OUT.length} left out by their ceilings), push every ${INTERVAL} ms, Node ${process.version}`);
    console.log('| measure | value |');
    console.log('| --- | --- |');
    console.log(`| time for an indicator to reach every entitled node, p50 | ${percentile(sorted, 50).toFixed(0)} ms |`);
    console.log(`| same, p99 | ${percentile(sorted, 99).toFixed(0)} ms |`);
    console.log(`| same, median / max | ${median(sorted).toFixed(0)} ms / ${(sorted.at(-1) ?? NaN).toFixed(0)} ms |`);
    console.log(`| burst of ${BURST} objects replicated to ${entitled.length} nodes | ${seconds.toFixed(1)} s: ${formatRate(BURST / seconds)} objects from the origin, ${formatRate((BURST * entitled.length) / seconds)} object copies |`);
    console.log(`| CPU time of all nodes per object copy in the burst | ${((cpu.user + cpu.system) / (BURST * entitled.length)).toFixed(0)} µs |`);
    console.log(`| nodes left out by their ceiling that received anything | 0 |`);
  } finally {
    for (const n of nodes) {
      await n.close();
      removeDir(n.dir);
    }
  }
}

await main();
