/**
 * STIX pattern evaluation at scale (DESIGN.md target: 1M equality-heavy patterns,
 * >= 100k observed-data/s per core). Run: `npx tsx bench/pattern-eval.ts` (PATTERNS=n and
 * OBSERVATIONS=n override the sizes). Prints the rate through PatternIndex and, in the same run,
 * the rate of a naive loop over every pattern, and their ratio. Single-threaded: one core.
 */
import { performance } from 'node:perf_hooks';
import { observationMatches, PatternIndex, readObservations, type Observation, type PatternExpression } from '../src/core/pattern/index.js';
import { parsePattern } from '../src/core/pattern/parse.js';
import { seededRandom } from './lib/seeded-random.js';

const PATTERNS = Number(process.env.PATTERNS ?? 1_000_000);
const OBSERVATIONS = Number(process.env.OBSERVATIONS ?? 200_000);
const NAIVE_MS = Number(process.env.NAIVE_MS ?? 5000);

const { int, hex } = seededRandom(0x5eed);
const ip = (): string => `${1 + int(223)}.${int(256)}.${int(256)}.${int(256)}`;
const domain = (): string => `${hex(8)}.${['com', 'net', 'org', 'ru', 'cn'][int(5)]}`;

/** Indicator values, kept so that some observations hit them. */
const known = { md5: [] as string[], sha256: [] as string[], ip: [] as string[], domain: [] as string[] };

function patternText(i: number): string {
  const r = i % 100;
  if (r < 40) { const v = hex(32); known.md5.push(v); return `[file:hashes.MD5 = '${v}']`; }
  if (r < 60) { const v = hex(64); known.sha256.push(v); return `[file:hashes.'SHA-256' = '${v}']`; }
  if (r < 80) { const v = ip(); known.ip.push(v); return `[ipv4-addr:value = '${v}']`; }
  if (r < 90) { const v = domain(); known.domain.push(v); return `[domain-name:value = '${v}']`; }
  if (r < 94) return `[url:value = 'http://${domain()}/${hex(6)}']`;
  if (r < 96) return `[network-traffic:dst_ref.value = '${ip()}' AND network-traffic:dst_port = ${int(65536)}]`;
  if (r < 97) return `[ipv4-addr:value ISSUBSET '${int(224)}.${int(256)}.${int(256)}.0/24']`;
  if (r < 98) return `[domain-name:value LIKE '%.${domain()}']`;
  if (r < 99) return `[file:name = '${hex(6)}.exe' AND file:size IN (${int(100000)}, ${int(100000)})]`;
  return `[file:hashes.MD5 = '${hex(32)}'] FOLLOWEDBY [process:name = '${hex(5)}.exe']`;
}

function pick<T>(list: ReadonlyArray<T>, fallback: T): T {
  return list.length === 0 ? fallback : (list[int(list.length)] as T);
}

/** One observed-data with one or two SCOs; about 1 in 50 carries a known indicator value. */
function observedData(i: number): unknown[] {
  const hit = int(50) === 0;
  const id = (type: string, n: number): string => `${type}--00000000-0000-4000-8000-${(i * 4 + n).toString(16).padStart(12, '0')}`;
  const od = (refs: string[]) => ({
    type: 'observed-data', spec_version: '2.1', id: id('observed-data', 0), created: '2024-01-01T00:00:00Z', modified: '2024-01-01T00:00:00Z',
    first_observed: '2024-01-01T00:00:00Z', last_observed: '2024-01-01T00:00:00Z', number_observed: 1, object_refs: refs,
  });
  switch (i % 4) {
    case 0: {
      const file = { type: 'file', id: id('file', 1), name: `${hex(6)}.exe`, size: int(100000),
        hashes: { MD5: hit ? pick(known.md5, hex(32)) : hex(32), 'SHA-256': hit ? pick(known.sha256, hex(64)) : hex(64) } };
      return [od([file.id]), file];
    }
    case 1: {
      const addr = { type: 'ipv4-addr', id: id('ipv4-addr', 1), value: hit ? pick(known.ip, ip()) : ip() };
      return [od([addr.id]), addr];
    }
    case 2: {
      const name = { type: 'domain-name', id: id('domain-name', 1), value: hit ? pick(known.domain, domain()) : `www.${domain()}` };
      return [od([name.id]), name];
    }
    default: {
      const addr = { type: 'ipv4-addr', id: id('ipv4-addr', 1), value: ip() };
      const traffic = { type: 'network-traffic', id: id('network-traffic', 2), dst_ref: addr.id, dst_port: 443, protocols: ['ipv4', 'tcp'] };
      return [od([traffic.id, addr.id]), traffic, addr];
    }
  }
}

/** CPU milliseconds of this process: on a shared machine, rates per CPU second are rates per core. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function rate(count: number, ms: number): string {
  return `${Math.round((count / ms) * 1000).toLocaleString('en')}/s`;
}

const t0 = performance.now();
const asts: PatternExpression[] = [];
for (let i = 0; i < PATTERNS; i++) asts.push(parsePattern(patternText(i)));
const tParsed = performance.now();
const index = new PatternIndex();
asts.forEach((ast, i) => index.add(`indicator--${i}`, ast));
const tIndexed = performance.now();
console.log(`patterns:      ${PATTERNS.toLocaleString('en')} parsed in ${((tParsed - t0) / 1000).toFixed(1)} s (${rate(PATTERNS, tParsed - t0)}), indexed in ${((tIndexed - tParsed) / 1000).toFixed(1)} s`);
console.log(`heap:          ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MiB with the index and the parsed patterns`);

const observations: Observation[] = [];
for (let i = 0; i < OBSERVATIONS; i++) observations.push(...readObservations(observedData(i)));

// Warm up, then measure the index.
for (let i = 0; i < Math.min(5000, observations.length); i++) index.match(observations[i] as Observation);
const tIndex0 = performance.now();
const cIndex0 = cpuMs();
let matches = 0;
for (const o of observations) matches += index.match(o).length;
const indexMs = performance.now() - tIndex0;
const indexCpu = cpuMs() - cIndex0;
const indexRate = (observations.length / indexCpu) * 1000;
console.log(`index:         ${observations.length.toLocaleString('en')} observed-data in ${(indexMs / 1000).toFixed(2)} s wall = ${rate(observations.length, indexMs)}; ${(indexCpu / 1000).toFixed(2)} s CPU = ${rate(observations.length, indexCpu)} per core (${matches.toLocaleString('en')} matches)`);

// Naive loop: every pattern evaluated on every observation, for as many as fit in ~5 s.
const simple = asts.map((a) => (a.kind === 'observation' ? a.expression : undefined));
const tNaive0 = performance.now();
const cNaive0 = cpuMs();
let naiveCount = 0;
let naiveMatches = 0;
while (naiveCount < observations.length && performance.now() - tNaive0 < NAIVE_MS) {
  const o = observations[naiveCount] as Observation;
  for (const expression of simple) if (expression !== undefined && observationMatches(expression, o)) naiveMatches++;
  naiveCount++;
}
const naiveCpu = cpuMs() - cNaive0;
const naiveRate = (naiveCount / naiveCpu) * 1000;
console.log(`naive loop:    ${naiveCount} observed-data in ${(naiveCpu / 1000).toFixed(2)} s CPU = ${naiveRate.toFixed(2)}/s per core (${naiveMatches} matches)`);
console.log(`ratio:         index is ${Math.round(indexRate / naiveRate).toLocaleString('en')}x the naive loop (CPU time); target >= 100,000 observed-data/s per core: ${indexRate >= 100_000 ? 'met' : 'NOT met'}`);
console.log(`load average:  ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')} on ${(await import('node:os')).cpus().length} cores`);
