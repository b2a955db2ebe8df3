import { afterAll, describe, expect, it } from 'vitest';
import { IndicatorIndex } from '../../core/pattern/compact-iocs.js';
import { TelemetryReader } from '../../core/telemetry/index.js';
import { MatchPool, type BatchResult } from './match-pool.js';

const id = (n: number): string => `indicator--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const ts = '2026-11-25T12:00:00.000000+0000';

/** EVE lines; some name an IOC, some are bad. */
const lines = Array.from({ length: 3000 }, (_, i) => {
  if (i % 97 === 5) return '{"event_type": "dns", broken';
  if (i % 101 === 7) return JSON.stringify({ timestamp: ts, event_type: 'stats' });
  const dest = i % 50 === 0 ? `198.51.100.${i % 7}` : `10.${(i >> 8) & 255}.${i & 255}.1`;
  return i % 2 === 0
    ? JSON.stringify({ timestamp: ts, event_type: 'flow', src_ip: '192.0.2.1', dest_ip: dest, dest_port: i % 3 === 0 ? 4444 : 443, proto: 'TCP' })
    : JSON.stringify({ timestamp: ts, event_type: 'dns', src_ip: '192.0.2.1', dest_ip: '192.0.2.53', dns: { rrname: i % 40 === 1 ? 'Evil.Example.' : `host${i}.example`, rrtype: 'A' } });
});

function indexWith(general: boolean): { index: IndicatorIndex; patterns: Map<string, string> } {
  const patterns = new Map<string, string>();
  for (let n = 0; n < 7; n++) patterns.set(id(n), `[ipv4-addr:value = '198.51.100.${n}']`);
  patterns.set(id(10), "[domain-name:value = 'evil.example']");
  if (general) patterns.set('indicator--general', "[network-traffic:dst_port = 4444 AND network-traffic:dst_ref.value = '198.51.100.3']");
  const index = new IndicatorIndex();
  for (const [k, p] of patterns) index.add(k, p);
  index.compact();
  return { index, patterns };
}

/** What one thread finds: (line, ids) per matching event, and the counts. */
function alone(index: IndicatorIndex): { matches: Array<[number, string[]]>; events: number; bad: number } {
  const reader = new TelemetryReader('suricata');
  const matches: Array<[number, string[]]> = [];
  for (const line of lines) for (const e of reader.push(line)) {
    const ids = index.match(e.observation);
    if (ids.length > 0) matches.push([e.line, ids]);
  }
  return { matches, events: reader.stats.events, bad: reader.stats.bad };
}

const pools: MatchPool[] = [];
afterAll(async () => {
  for (const p of pools) await p.close();
});

describe('MatchPool', () => {
  it.each([false, true])('finds in batches on two workers what one thread finds (general patterns: %s)', async (general) => {
    const { index, patterns } = indexWith(general);
    const expected = alone(index);
    const pool = MatchPool.start(index, patterns, 2);
    pools.push(pool);
    const batches: Array<Promise<BatchResult>> = [];
    for (let at = 0; at < lines.length; at += 250) batches.push(pool.submit({ format: 'suricata', firstLine: at + 1, lines: lines.slice(at, at + 250) }));
    const results = await Promise.all(batches);
    expect(results.map((r) => r.seq)).toEqual(results.map((_, i) => i));
    expect(results.flatMap((r) => r.matches.map((m) => [m.line, m.ids]))).toEqual(expected.matches);
    expect(results.reduce((n, r) => n + r.events, 0)).toBe(expected.events);
    expect(results.reduce((n, r) => n + r.bad, 0)).toBe(expected.bad);
    expect(results.flatMap((r) => r.badLines.map((b) => b.line))).toEqual(lines.flatMap((l, i) => (l.includes('broken') ? [i + 1] : [])));
    expect(expected.matches.length).toBeGreaterThan(50);
    // The index's tables now live in shared memory and still answer on this thread.
    expect(alone(index)).toEqual(expected);
  });

  it('leaves out indicators removed before it started, simple or general', async () => {
    const { index, patterns } = indexWith(true);
    index.remove(id(3));
    index.remove('indicator--general');
    const expected = alone(index);
    const pool = MatchPool.start(index, patterns, 2);
    pools.push(pool);
    const result = await pool.submit({ format: 'suricata', firstLine: 1, lines });
    expect(result.matches.map((m) => [m.line, m.ids])).toEqual(expected.matches);
    expect(result.matches.flatMap((m) => m.ids)).not.toContain(id(3));
    expect(result.matches.flatMap((m) => m.ids)).not.toContain('indicator--general');
  });

  it('refuses a worker count that is not a whole number from 1', () => {
    const { index, patterns } = indexWith(false);
    expect(() => MatchPool.start(index, patterns, 0)).toThrow(/whole number/);
  });
});
