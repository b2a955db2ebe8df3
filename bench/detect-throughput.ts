/**
 * Telemetry matching end to end, from log lines: Suricata EVE lines (flow, dns, http, tls and
 * fileinfo events) read by the telemetry reader, turned into observations, and matched against
 * the index `entente detect` builds (`selectIndicators` over indicator objects with UUID ids) of
 * IOCs of a realistic mix (IPv4, IPv6, CIDR, domains, URLs, file hashes, e-mail addresses).
 * Reports, in one process: CPU time per event on one thread, split into reading and matching, for
 * the full path (every observation built) and the path `entente detect` takes (observations built
 * only where the compact index may match); events/s end to end with N worker threads sharing the
 * index, as `entente detect --workers N` runs (batches of lines, results taken in order); the
 * index's memory per IOC; and a naive loop over every pattern for the ratio (issue 5: >= 300k
 * events/s on 2 cores against 5M IOCs, <= 64 bytes per IOC).
 *
 *   node --expose-gc --import tsx bench/detect-throughput.ts [--iocs 1000000] [--events 200000] [--runs 3] [--naive 200] [--workers 2]
 *   (--expose-gc makes the memory figure exact; without it the heap is measured as it stands)
 */
import { parseArgs } from 'node:util';
import { matchPattern } from '../src/core/pattern/evaluator.js';
import { parsePattern } from '../src/core/pattern/parse.js';
import { IndicatorIndex } from '../src/core/pattern/index.js';
import { MatchPool, type BatchResult } from '../src/adapters/detect-workers/match-pool.js';
import { TelemetryReader, selectIndicators } from '../src/core/telemetry/index.js';
import { seededRandom } from './lib/seeded-random.js';
import { median } from './lib/run-stats.js';

const { values: args } = parseArgs({ options: { iocs: { type: 'string', default: '1000000' }, events: { type: 'string', default: '200000' }, runs: { type: 'string', default: '3' }, naive: { type: 'string', default: '200' }, workers: { type: 'string', default: '2' } } });
const IOCS = Number(args.iocs);
const EVENTS = Number(args.events);
const RUNS = Number(args.runs);
const NAIVE = Number(args.naive);
const WORKERS = Number(args.workers);
const { int, hex } = seededRandom(0xd7ec7);

const v4 = (): string => `${1 + int(223)}.${int(256)}.${int(256)}.${int(256)}`;
const v6 = (): string => `2001:db8:${hex(4)}:${hex(4)}::${hex(4)}`;
const domain = (): string => `${hex(10)}.${['com', 'net', 'org', 'ru', 'top', 'xyz'][int(6)]}`;

/** The n-th IOC as a STIX pattern, in the mix. */
function ioc(n: number): { pattern: string; value: string; kind: string } {
  switch (n % 10) {
    case 0: case 1: case 2: { const v = v4(); return { pattern: `[ipv4-addr:value = '${v}']`, value: v, kind: 'ipv4' }; }
    case 3: { const v = v6(); return { pattern: `[ipv6-addr:value = '${v}']`, value: v, kind: 'ipv6' }; }
    case 4: { const v = `${1 + int(223)}.${int(256)}.${int(256)}.0`; return { pattern: `[ipv4-addr:value ISSUBSET '${v}/24']`, value: v, kind: 'cidr' }; }
    case 5: case 6: { const v = domain(); return { pattern: `[domain-name:value = '${v}']`, value: v, kind: 'domain' }; }
    case 7: { const v = `http://${domain()}/${hex(8)}`; return { pattern: `[url:value = '${v}']`, value: v, kind: 'url' }; }
    case 8: { const v = hex(64); return { pattern: `[file:hashes.'SHA-256' = '${v}']`, value: v, kind: 'sha256' }; }
    default: { const v = `${hex(6)}@${domain()}`; return { pattern: `[email-addr:value = '${v}']`, value: v, kind: 'email' }; }
  }
}

/** Suricata EVE lines; one in 200 carries a value from the IOC set, the rest are benign. */
function eveLine(i: number, hits: ReadonlyArray<{ value: string; kind: string }>): string {
  const ts = '2026-11-25T12:00:00.000000+0000';
  const hit = i % 200 === 0 ? hits[int(hits.length)] : undefined;
  const src = v4();
  const dest = hit?.kind === 'ipv4' ? hit.value : v4();
  switch (i % 5) {
    case 0: return JSON.stringify({ timestamp: ts, event_type: 'flow', src_ip: src, src_port: 50000 + int(10000), dest_ip: dest, dest_port: 443, proto: 'TCP', flow: { pkts_toserver: 5, bytes_toserver: 900 } });
    case 1: return JSON.stringify({ timestamp: ts, event_type: 'dns', src_ip: src, dest_ip: '10.0.0.53', proto: 'UDP', dns: { type: 'query', rrname: hit?.kind === 'domain' ? hit.value : domain(), rrtype: 'A' } });
    case 2: return JSON.stringify({ timestamp: ts, event_type: 'http', src_ip: src, dest_ip: dest, dest_port: 80, proto: 'TCP', http: { hostname: domain(), url: `/${hex(8)}`, http_method: 'GET', status: 200 } });
    case 3: return JSON.stringify({ timestamp: ts, event_type: 'tls', src_ip: src, dest_ip: dest, dest_port: 443, proto: 'TCP', tls: { sni: domain(), version: 'TLS 1.3' } });
    default: return JSON.stringify({ timestamp: ts, event_type: 'fileinfo', src_ip: src, dest_ip: dest, proto: 'TCP', fileinfo: { filename: `${hex(6)}.exe`, sha256: hit?.kind === 'sha256' ? hit.value : hex(64), size: 1000 + int(100000) } });
  }
}

/** Heap plus typed arrays' backing stores (the compact index keeps its tables there). */
function heapMiB(): number {
  globalThis.gc?.();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 2 ** 20;
}

const sample: Array<{ value: string; kind: string }> = [];
const patterns: string[] = [];
/** Indicator objects as a feed gives them, made one at a time so that only the index stays. */
function* indicators(): Generator<Record<string, unknown>> {
  for (let n = 0; n < IOCS; n++) {
    const { pattern, value, kind } = ioc(n);
    if (n % 1000 === 0) sample.push({ value, kind });
    if (patterns.length < NAIVE) patterns.push(pattern);
    if ((n + 1) % 200_000 === 0) process.stderr.write(`\r  made ${(n + 1).toLocaleString('en-US')} IOCs`);
    yield {
      type: 'indicator', spec_version: '2.1', id: `indicator--${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`,
      created: '2026-11-25T00:00:00.000Z', modified: '2026-11-25T00:00:00.000Z', valid_from: '2026-11-25T00:00:00Z',
      pattern, pattern_type: 'stix',
    };
  }
}

/** Builds the index as `entente detect` does; the selection (pattern texts included) is measured, then dropped. */
function build(): { index: IndicatorIndex; seconds: number; withTexts: number } {
  const before = heapMiB();
  const t0 = performance.now();
  const selection = selectIndicators(indicators(), Date.parse('2026-11-25T12:00:00Z'));
  process.stderr.write('\n');
  const seconds = (performance.now() - t0) / 1000;
  return { index: selection.index, seconds, withTexts: ((heapMiB() - before) * 2 ** 20) / IOCS };
}

const before = heapMiB();
const { index, seconds: indexSeconds, withTexts } = build();
const perIoc = ((heapMiB() - before) * 2 ** 20) / IOCS;
const compactShare = index.simple.size / Math.max(1, index.size);
const lines = Array.from({ length: EVENTS }, (_, i) => eveLine(i, sample));

/** CPU µs per event of one pass over the lines: `fast` reads through pushFor (as entente detect), `match` matches what is read. */
function pass(fast: boolean, match: boolean, against: IndicatorIndex): { us: number; matches: number } {
  const reader = new TelemetryReader('suricata');
  let found = 0;
  const start = process.cpuUsage();
  for (const line of lines) {
    for (const event of fast ? reader.pushFor(line, against) : reader.push(line)) if (match) found += against.match(event.observation).length;
  }
  const cpu = process.cpuUsage(start);
  return { us: (cpu.user + cpu.system) / reader.stats.events, matches: found };
}

const empty = new IndicatorIndex();
const split = { fullRead: [] as number[], fullBoth: [] as number[], fastRead: [] as number[], fastBoth: [] as number[] };
let matches = 0;
for (let run = 0; run < RUNS; run++) {
  // Interleaved, so that a change in the machine's load touches every variant alike.
  split.fullRead.push(pass(false, false, index).us);
  const full = pass(false, true, index);
  split.fullBoth.push(full.us);
  split.fastRead.push(pass(true, false, empty).us);
  const fast = pass(true, true, index);
  split.fastBoth.push(fast.us);
  if (fast.matches !== full.matches) throw new Error(`the fast path found ${fast.matches} matches, the full path ${full.matches}`);
  matches = fast.matches;
  process.stderr.write(`  run ${run + 1}: full path ${full.us.toFixed(2)} µs/event, fast path ${fast.us.toFixed(2)} µs/event, ${matches} matches\n`);
}

/** Lines in batches of about 64 KiB, as entente detect reads them. */
const batches: string[][] = [];
for (let at = 0, size = 0, batch: string[] = []; at < lines.length; at++) {
  batch.push(lines[at] as string);
  size += (lines[at] as string).length + 1;
  if (size >= 64 * 1024 || at === lines.length - 1) {
    batches.push(batch);
    batch = [];
    size = 0;
  }
}
globalThis.gc?.();
const rssBefore = process.memoryUsage().rss;
const pool = MatchPool.start(index, new Map(), WORKERS);
const wallRates: number[] = [];
const cpuRates: number[] = [];
let poolMatches = 0;
for (let run = 0; run < RUNS + 1; run++) {
  const start = process.cpuUsage();
  const t = performance.now();
  const inFlight: Array<Promise<BatchResult>> = [];
  let events = 0;
  let found = 0;
  let firstLine = 1;
  const take = async (): Promise<void> => {
    const r = await (inFlight.shift() as Promise<BatchResult>);
    events += r.events;
    for (const m of r.matches) found += m.ids.length;
  };
  for (const batch of batches) {
    inFlight.push(pool.submit({ format: 'suricata', firstLine, lines: batch }));
    firstLine += batch.length;
    while (inFlight.length > 2 * WORKERS) await take();
  }
  while (inFlight.length > 0) await take();
  const seconds = (performance.now() - t) / 1000;
  const cpu = process.cpuUsage(start);
  if (found !== matches) throw new Error(`the workers found ${found} matches, one thread ${matches}`);
  poolMatches = found;
  // The first run starts the workers (module loading, index views): left out.
  if (run === 0) continue;
  wallRates.push(events / seconds);
  cpuRates.push(events / ((cpu.user + cpu.system) / 1e6));
  process.stderr.write(`  ${WORKERS} workers, run ${run}: ${Math.round(events / seconds).toLocaleString('en-US')} events/s (${seconds.toFixed(2)} s wall), ${Math.round(events / ((cpu.user + cpu.system) / 1e6)).toLocaleString('en-US')} per CPU-second\n`);
}
// After a GC: share() copies the tables into shared memory once and the old ones are then garbage.
globalThis.gc?.();
const rssGrowth = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
await pool.close();

// The naive baseline: every event tried against every pattern, on a slice so that it ends.
const parsed = patterns.map((p) => parsePattern(p));
const naiveReader = new TelemetryReader('suricata');
const naiveStart = process.cpuUsage();
let naiveEvents = 0;
for (const line of lines.slice(0, 2000)) {
  for (const event of naiveReader.push(line)) {
    naiveEvents++;
    for (const p of parsed) matchPattern(p, [event.observation]);
  }
}
const naiveCpu = process.cpuUsage(naiveStart);
// Scaled from NAIVE patterns to the whole IOC set: the loop is linear in the number of patterns.
const naiveRate = naiveEvents / ((naiveCpu.user + naiveCpu.system) / 1e6) / (IOCS / parsed.length);
const rate = median(wallRates);
const med = (xs: number[]): string => median(xs).toFixed(2);

console.log(`\nTelemetry matching from Suricata EVE lines, ${IOCS.toLocaleString('en-US')} IOCs (IPv4 30 %, IPv6 10 %, CIDR 10 %, domains 20 %, URLs 10 %, SHA-256 10 %, e-mail 10 %), ${EVENTS.toLocaleString('en-US')} events, Node ${process.version}, medians of ${RUNS}`);
console.log('| measure | value |');
console.log('| --- | --- |');
console.log(`| index build | ${indexSeconds.toFixed(1)} s (${Math.round(IOCS / indexSeconds).toLocaleString('en-US')} IOCs/s) |`);
console.log(`| memory per IOC (heap and typed arrays, index only, ids included) | ${perIoc.toFixed(0)} bytes (${(compactShare * 100).toFixed(0)} % of IOCs in the compact index) |`);
console.log(`| memory per IOC with the pattern texts kept for reports | ${withTexts.toFixed(0)} bytes |`);
console.log(`| one thread, full path: CPU µs per event, reading + matching | ${med(split.fullRead)} + ${(median(split.fullBoth) - median(split.fullRead)).toFixed(2)} = ${med(split.fullBoth)} |`);
console.log(`| one thread, entente detect's path: CPU µs per event, reading + matching | ${med(split.fastRead)} + ${(median(split.fastBoth) - median(split.fastRead)).toFixed(2)} = ${med(split.fastBoth)} (${Math.round(1e6 / median(split.fastBoth)).toLocaleString('en-US')} events per CPU-second) |`);
console.log(`| ${WORKERS} worker threads sharing the index, end to end | ${Math.round(rate).toLocaleString('en-US')} events/s (${Math.round(median(cpuRates)).toLocaleString('en-US')} per CPU-second, all threads; ${poolMatches} matches a run) |`);
console.log(`| resident memory added by starting ${WORKERS} workers (their runtimes included; the index is not copied) | ${rssGrowth.toFixed(0)} MiB |`);
console.log(`| naive loop over every pattern (extrapolated from ${parsed.length}) | ${naiveRate.toFixed(2)} events/s |`);
console.log(`| ratio (${WORKERS} workers to the naive loop on one thread) | ${Math.round(rate / naiveRate).toLocaleString('en-US')}× |`);
