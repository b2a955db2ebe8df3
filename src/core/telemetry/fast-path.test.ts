import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IndicatorIndex } from '../pattern/index.js';
import { isEventTime, parseEventTime } from './event-time.js';
import { TelemetryReader, type ReaderOptions } from './telemetry-reader.js';
import type { TelemetryEvent, TelemetryFormat } from './types.js';

const SAMPLES = fileURLToPath(new URL('../../../../shared/telemetry-samples/', import.meta.url));
const present = existsSync(SAMPLES);

interface Outcome {
  readonly matches: Array<{ line: number; ids: string[]; event: TelemetryEvent }>;
  readonly stats: unknown;
}

/** Reads the lines the full way (every observation built and matched) or through `pushFor`. */
function run(lines: ReadonlyArray<string>, format: TelemetryFormat | 'auto', index: IndicatorIndex, fast: boolean, options: ReaderOptions = {}): Outcome {
  const reader = new TelemetryReader(format, options);
  const matches: Outcome['matches'] = [];
  const take = (events: ReadonlyArray<TelemetryEvent>): void => {
    for (const event of events) {
      const ids = index.match(event.observation);
      if (ids.length > 0) matches.push({ line: event.line, ids, event });
    }
  };
  for (const line of lines) take(fast ? reader.pushFor(line, index) : reader.push(line));
  take(reader.end());
  const { stats } = reader;
  return { matches, stats: { ...stats, badByReason: [...stats.badByReason] } };
}

/** IOCs on some of the values the full path puts in observations, so that some events match and most do not. */
function indexOn(lines: ReadonlyArray<string>, format: TelemetryFormat | 'auto', every: number): IndicatorIndex {
  const index = new IndicatorIndex();
  const reader = new TelemetryReader(format);
  let n = 0;
  for (const line of lines) {
    for (const event of reader.push(line)) {
      for (const o of event.observation.roots) {
        if (n++ % every !== 0) continue;
        const id = `indicator--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
        if ((o.type === 'ipv4-addr' || o.type === 'ipv6-addr' || o.type === 'domain-name' || o.type === 'url' || o.type === 'email-addr') && typeof o.value === 'string') {
          index.add(id, `[${o.type}:value = '${o.value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`);
        } else if (o.type === 'file' && typeof o.hashes === 'object' && o.hashes !== null) {
          const [algo, digest] = Object.entries(o.hashes)[0] ?? [];
          if (typeof algo === 'string' && typeof digest === 'string') index.add(id, `[file:hashes.'${algo}' = '${digest.toUpperCase()}']`);
        }
      }
    }
  }
  index.add('indicator--00000000-0000-4000-8000-ffffffffffff', "[ipv4-addr:value ISSUBSET '10.0.0.0/8']");
  index.compact();
  return index;
}

function expectSame(lines: ReadonlyArray<string>, format: TelemetryFormat | 'auto', index: IndicatorIndex, options: ReaderOptions = {}): number {
  const full = run(lines, format, index, false, options);
  const fast = run(lines, format, index, true, options);
  expect(fast.stats).toEqual(full.stats);
  expect(fast.matches.map((m) => [m.line, m.ids])).toEqual(full.matches.map((m) => [m.line, m.ids]));
  // The evidence is the observation the full path builds, unchanged.
  fast.matches.forEach((m, i) => {
    const other = full.matches[i] as Outcome['matches'][number];
    expect(m.event.eventType).toBe(other.event.eventType);
    expect(m.event.observation.roots).toEqual(other.event.observation.roots);
    expect([m.event.observation.firstObserved, m.event.observation.lastObserved]).toEqual([other.event.observation.firstObserved, other.event.observation.lastObserved]);
  });
  return full.matches.length;
}

describe.skipIf(!present)('the fast path on the shared Suricata samples', () => {
  const dir = `${SAMPLES}suricata/`;
  const files = present ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
  it.each(files)('%s: same events, bad lines and matches as the full path', (file) => {
    const lines = readFileSync(`${dir}${file}`, 'utf8').split('\n');
    for (const every of [1, 3, 1000]) expectSame(lines, 'suricata', indexOn(lines, 'suricata', every));
    expectSame(lines, 'auto', indexOn(lines, 'suricata', 2));
  });

  it('finds matches there, so the comparison is not empty', () => {
    const lines = readFileSync(`${dir}surevego-eve.json`, 'utf8').split('\n');
    expect(expectSame(lines, 'suricata', indexOn(lines, 'suricata', 3))).toBeGreaterThan(10);
  });
});

describe.skipIf(!present)('the fast path on the shared Zeek JSON samples', () => {
  const dir = `${SAMPLES}zeek-json/`;
  const files = present ? readdirSync(dir).filter((f) => f.endsWith('.json') || f.endsWith('.ndjson')) : [];
  it.each(files)('%s: same events, bad lines and matches as the full path', (file) => {
    const lines = readFileSync(`${dir}${file}`, 'utf8').split('\n');
    let found = 0;
    for (const every of [1, 3, 1000]) found += expectSame(lines, 'zeek-json', indexOn(lines, 'zeek-json', every));
    expectSame(lines, 'auto', indexOn(lines, 'zeek-json', 2));
    expect(found).toBeGreaterThan(0);
  });
});

// Values drawn from small pools, half of them in the index, spelled in the ways sensors vary.
const addresses = ['198.51.100.7', '203.0.113.9', '10.1.2.3', '2001:db8::1', '2001:DB8:0:0::1', '2001:db8::2', '', '1.2.3', 'not-an-ip', '::ffff:198.51.100.7'];
const domains = ['evil.example', 'EVIL.example.', 'good.example', 'evil.example.', '.', '', '198.51.100.7', 'xn--bcher-kva.example', 'ÉVIL.example'];
const digests = ['D41D8CD98F00B204E9800998ECF8427E', 'd41d8cd98f00b204e9800998ecf8427e', 'd4:1d:8c', 'zz', '', 'a'.repeat(64), 'A'.repeat(40)];
const urls = ['/x', '/evil', 'http://evil.example/evil', 'https://good.example/', ''];
const times = ['2026-11-25T12:00:00.000000+0000', '2026-11-25T12:00:00Z', '2026-02-30T00:00:00+01:00', '2026-13-01T00:00:00Z', '2026-11-25 12:00:00', '1700000000.5', 'yesterday', '2026-11-25T24:00:00Z', '2026-11-25T12:00:00+2400'];

const IOC_INDEX = (() => {
  const index = new IndicatorIndex();
  const ioc = (n: number, pattern: string): void => index.add(`indicator--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, pattern);
  ioc(1, "[ipv4-addr:value = '198.51.100.7']");
  ioc(2, "[ipv6-addr:value = '2001:db8::1']");
  ioc(3, "[domain-name:value = 'evil.example']");
  ioc(4, "[url:value = 'http://evil.example/evil']");
  ioc(5, "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']");
  ioc(6, "[ipv4-addr:value ISSUBSET '203.0.113.0/24']");
  ioc(7, "[email-addr:value = 'a@evil.example']");
  ioc(8, "[file:hashes.'SHA-256' = '" + 'a'.repeat(64) + "']");
  ioc(9, "[url:value = 'https://evil.example/x']");
  ioc(10, "[domain-name:value = 'évil.example']");
  index.compact();
  return index;
})();

const pick = <T>(values: ReadonlyArray<T>): fc.Arbitrary<T> => fc.constantFrom(...values);
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });
const eveArb = fc.record({
  timestamp: fc.oneof(pick(times), fc.integer()),
  event_type: fc.oneof(pick(['flow', 'dns', 'http', 'tls', 'fileinfo', 'alert', 'stats', 'smtp']), fc.integer()),
  src_ip: maybe(fc.oneof(pick(addresses), fc.integer())),
  dest_ip: maybe(pick(addresses)),
  src_port: maybe(fc.oneof(fc.constantFrom(443, 80, 50000), fc.constant('443'))),
  dest_port: maybe(fc.constantFrom(443, 80, -1)),
  proto: maybe(pick(['TCP', 'UDP'])),
  http: maybe(fc.record({ hostname: maybe(fc.oneof(pick(domains), fc.integer())), url: maybe(pick(urls)), redirect: maybe(pick(urls)) }, { requiredKeys: [] })),
  dns: maybe(fc.record({
    rrname: maybe(pick(domains)), rrtype: maybe(pick(['A', 'AAAA', 'CNAME', 'TXT'])), rdata: maybe(fc.oneof(pick(addresses), pick(domains))),
    answers: maybe(fc.array(fc.oneof(fc.record({ rrtype: pick(['A', 'AAAA', 'CNAME', 'MX', 'TXT']), rdata: fc.oneof(pick(addresses), pick(domains)) }), fc.constant(null), fc.constant([])), { maxLength: 3 })),
    queries: maybe(fc.array(fc.oneof(fc.record({ rrname: pick(domains) }), fc.constant('x')), { maxLength: 2 })),
  }, { requiredKeys: [] })),
  tls: maybe(fc.record({ sni: maybe(pick(domains)), fingerprint: maybe(fc.constant('aa:bb')) }, { requiredKeys: [] })),
  fileinfo: maybe(fc.record({ md5: maybe(pick(digests)), sha1: maybe(pick(digests)), sha256: maybe(pick(digests)), filename: maybe(fc.constant('x.exe')) }, { requiredKeys: [] })),
  smtp: maybe(fc.record({ mail_from: pick(['<a@evil.example>', 'b@good.example']) })),
}, { requiredKeys: ['timestamp', 'event_type'] });

const lineArb = fc.oneof(
  { weight: 8, arbitrary: eveArb.map((r) => JSON.stringify(r)) },
  { weight: 1, arbitrary: eveArb.map((r) => `${JSON.stringify(r)}\r`) },
  { weight: 1, arbitrary: fc.oneof(fc.string(), fc.json(), fc.constant(''), fc.constant('{"event_type":"dns",'), fc.constant('[1]')) },
);

describe('the fast path on generated EVE lines', () => {
  it('gives the same events, bad lines, matches and evidence as the full path', () => {
    fc.assert(fc.property(fc.array(lineArb, { maxLength: 25 }), fc.constantFrom<TelemetryFormat | 'auto'>('suricata', 'auto'), (lines, format) => {
      expectSame(lines, format, IOC_INDEX);
    }), { numRuns: 400 });
  });

  it('is not taken while the index holds general patterns (they need the observation)', () => {
    const index = new IndicatorIndex();
    index.add('indicator--00000000-0000-4000-8000-000000000001', "[network-traffic:dst_port = 4444]");
    const line = JSON.stringify({ timestamp: times[0], event_type: 'flow', src_ip: '10.0.0.1', dest_ip: '10.0.0.2', dest_port: 4444, proto: 'TCP' });
    expect(expectSame([line], 'suricata', index)).toBe(1);
  });
});

const zeekArb = fc.record({
  _path: fc.oneof(pick(['conn', 'dns', 'http', 'ssl', 'files', 'x509', 'smtp', 'stats', 'weird']), fc.integer()),
  ts: fc.oneof(fc.constant(1700000000.25), pick(times), fc.constant(-1)),
  'id.orig_h': maybe(fc.oneof(pick(addresses), fc.integer())),
  'id.resp_h': maybe(pick(addresses)),
  'id.resp_p': maybe(fc.constantFrom(80, 443)),
  proto: maybe(pick(['tcp', 'udp'])),
  query: maybe(pick(domains)),
  answers: maybe(fc.oneof(fc.array(fc.oneof(pick(addresses), pick(domains), fc.integer()), { maxLength: 3 }), pick(domains))),
  host: maybe(fc.oneof(pick(domains), fc.constant('evil.example:8080'), fc.constant('198.51.100.7:80'))),
  uri: maybe(pick(['/evil', '/x'])),
  md5: maybe(pick(digests)),
  server_name: maybe(pick(domains)),
  email: maybe(fc.constant('a@evil.example')),
  sha256: maybe(pick(digests)),
  'san.dns': maybe(fc.array(pick(domains), { maxLength: 2 })),
}, { requiredKeys: ['ts'] });

describe('the fast path on generated Zeek JSON lines', () => {
  it('gives the same events, bad lines, matches and evidence as the full path', () => {
    const lines = fc.array(fc.oneof(
      { weight: 8, arbitrary: zeekArb.map((r) => JSON.stringify(r)) },
      { weight: 1, arbitrary: zeekArb.map((r) => JSON.stringify({ [String(r._path)]: r })) },
      { weight: 1, arbitrary: fc.oneof(fc.string(), fc.json(), fc.constant('{"id.orig_h": {"ts": 1}}')) },
    ), { maxLength: 25 });
    fc.assert(fc.property(lines, fc.constantFrom<TelemetryFormat | 'auto'>('zeek-json', 'auto'), (ls, format) => {
      expectSame(ls, format, IOC_INDEX);
    }), { numRuns: 400 });
  });

  it('does so for records without _path in a file named after its log', () => {
    const lines = fc.array(zeekArb.map(({ _path: _, ...r }) => JSON.stringify(r)), { maxLength: 25 });
    fc.assert(fc.property(lines, fc.constantFrom('conn', 'dns', 'http', 'ssl', 'files', 'stats'), (ls, zeekPath) => {
      expectSame(ls, 'zeek-json', IOC_INDEX, { zeekPath });
    }), { numRuns: 300 });
  });
});

describe.skipIf(!present)('the fast path on the shared ECS samples', () => {
  const dir = `${SAMPLES}ecs/`;
  const files = present ? readdirSync(dir).filter((f) => f.endsWith('.ndjson')) : [];
  it.each(files)('%s: same events, bad lines and matches as the full path', (file) => {
    const lines = readFileSync(`${dir}${file}`, 'utf8').split('\n');
    for (const every of [1, 3, 1000]) expectSame(lines, 'ecs', indexOn(lines, 'ecs', every));
    expectSame(lines, 'auto', indexOn(lines, 'ecs', 2));
  });
});

const ecsFields = fc.record({
  '@timestamp': maybe(fc.oneof(pick(times), fc.integer())),
  'source.ip': maybe(pick(addresses)),
  'client.ip': maybe(pick(addresses)),
  'destination.ip': maybe(fc.oneof(pick(addresses), fc.integer())),
  'destination.port': maybe(fc.constantFrom(53, 443)),
  'destination.domain': maybe(pick(domains)),
  'url.domain': maybe(fc.oneof(pick(domains), fc.constant('*.evil.example'))),
  'url.full': maybe(pick(['http://evil.example/evil', 'https://evil.example/x', 'evil.example/x', ''])),
  'dns.question.name': maybe(pick(domains)),
  'dns.resolved_ip': maybe(fc.array(pick(addresses), { maxLength: 2 })),
  'tls.server.x509.alternative_names': maybe(fc.array(pick(domains), { maxLength: 2 })),
  'file.hash.md5': maybe(pick(digests)),
  'process.hash.sha256': maybe(pick(digests)),
  'user.email': maybe(fc.constant('a@evil.example')),
  'event.dataset': maybe(fc.constant('network')),
}, { requiredKeys: [] });

/** Flattened (`"source.ip"`) or nested (`{"source": {"ip": …}}`) at random per field. */
function ecsDoc(fields: Record<string, unknown>, nest: ReadonlyArray<boolean>): string {
  const doc: Record<string, unknown> = {};
  Object.entries(fields).forEach(([k, v], i) => {
    if (v === undefined) return;
    const dot = k.indexOf('.');
    if (nest[i % nest.length] === true && dot > 0) {
      const head = (doc[k.slice(0, dot)] ??= {}) as Record<string, unknown>;
      if (typeof head === 'object' && head !== null) head[k.slice(dot + 1)] = v;
    } else doc[k] = v;
  });
  return JSON.stringify(doc);
}

describe('the fast path on generated ECS documents', () => {
  it('gives the same events, bad lines, matches and evidence as the full path', () => {
    const lines = fc.array(fc.oneof(
      { weight: 9, arbitrary: fc.tuple(ecsFields, fc.array(fc.boolean(), { minLength: 1, maxLength: 5 })).map(([f, n]) => ecsDoc(f, n)) },
      { weight: 1, arbitrary: fc.oneof(fc.string(), fc.json()) },
    ), { maxLength: 25 });
    fc.assert(fc.property(lines, (ls) => {
      expectSame(ls, 'ecs', IOC_INDEX);
    }), { numRuns: 400 });
  });
});

describe('isEventTime', () => {
  const shaped = fc.tuple(
    fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 14 }), fc.integer({ min: 0, max: 33 }), fc.constantFrom('T', ' '),
    fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 61 }),
    fc.constantFrom('', '.5', '.000000', '.', '.x'), fc.constantFrom('', 'Z', '+0000', '+01:00', '-2359', '+2400', '+01:60', '+1', 'z', ' '),
  ).map(([y, mo, d, t, h, mi, s, f, z]) => {
    const p = (n: number, w = 2): string => String(n).padStart(w, '0');
    return `${p(y, 4)}-${p(mo)}-${p(d)}${t}${p(h)}:${p(mi)}:${p(s)}${f}${z}`;
  });
  it('agrees with parseEventTime', () => {
    fc.assert(fc.property(fc.oneof(shaped, fc.string(), fc.double(), fc.constant('2026-11-25T12:00:00.000000+0000')), (value) => {
      expect(isEventTime(value)).toBe(parseEventTime(value) !== undefined);
    }), { numRuns: 3000 });
  });
});
