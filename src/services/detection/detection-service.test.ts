import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryBus } from '../../adapters/bus/memory-bus.js';
import { ManualClock } from '../../adapters/system/manual-clock.js';
import { eventually } from '../../ports/bus.contract.js';
import { changeFeedOn, telemetryQueueOn, type TelemetryBatch } from '../../ports/bus.js';
import { DetectionService, type DetectionMatch, type DetectionServiceDeps, type IndicatorSource } from './detection-service.js';

const A = 'indicator--11111111-1111-4111-8111-111111111111';
const B = 'indicator--22222222-2222-4222-8222-222222222222';

const indicator = (id: string, pattern: string, over: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'indicator', spec_version: '2.1', id, created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', pattern, pattern_type: 'stix', valid_from: '2026-01-01T00:00:00Z', ...over,
});

/** A store stand-in: the latest version of each object by id. */
function memoryIndicators(...initial: Record<string, unknown>[]): IndicatorSource & { put(o: Record<string, unknown>): void } {
  const objects = new Map(initial.map((o) => [String(o['id']), o]));
  return {
    put: (o) => void objects.set(String(o['id']), o),
    all: async function* () { yield [...objects.values()]; },
    latest: async (id) => objects.get(id),
  };
}

const dns = (dest: string, name = 'x.example'): string =>
  JSON.stringify({ timestamp: '2026-01-01T00:00:00.000000+0000', event_type: 'dns', src_ip: '10.0.0.1', src_port: 5353, dest_ip: dest, dest_port: 53, proto: 'UDP', dns: { type: 'query', rrname: name, rrtype: 'A' } });

let bus = new MemoryBus();
const running: DetectionService[] = [];
beforeEach(() => {
  bus = new MemoryBus();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
  await bus.close();
});

async function worker(source: IndicatorSource, matches: DetectionMatch[], over: { onMatch?: (m: DetectionMatch) => Promise<void>; durable?: string; screen?: DetectionServiceDeps['screen'] } = {}): Promise<DetectionService> {
  const service = new DetectionService({
    queue: telemetryQueueOn(bus), changes: changeFeedOn(bus), indicators: source, clock: new ManualClock('2026-06-01T00:00:00.000Z'),
    onMatch: over.onMatch ?? (async (m) => void matches.push(m)), durable: over.durable ?? `d${Math.random().toString(36).slice(2)}`,
    ...(over.screen === undefined ? {} : { screen: over.screen }),
  });
  await service.start();
  running.push(service);
  return service;
}

describe('DetectionService', () => {
  it('matches the lines of a batch and reports each match with its source line', async () => {
    const matches: DetectionMatch[] = [];
    const service = await worker(memoryIndicators(indicator(A, "[ipv4-addr:value = '198.51.100.7']")), matches);
    const batch: TelemetryBatch = { format: 'suricata', source: 'eve.json', firstLine: 101, lines: [dns('192.0.2.1'), dns('198.51.100.7'), 'not json'] };
    await telemetryQueueOn(bus).publish(batch);
    await eventually(() => service.stats.batches === 1, 'the batch');
    expect(matches).toEqual([expect.objectContaining({ indicator: A, source: 'eve.json', line: 102, format: 'suricata', eventType: 'dns', event: dns('198.51.100.7') })]);
    expect(service.stats).toMatchObject({ events: 2, matches: 1, badLines: 1 });
  });

  it('suppresses a match the screen (warninglists) rejects, and counts it', async () => {
    const matches: DetectionMatch[] = [];
    const { WarninglistGuard, WarninglistMatcher, BUILTIN_WARNINGLISTS } = await import('../../core/warninglists/index.js');
    const guard = new WarninglistGuard(new WarninglistMatcher(BUILTIN_WARNINGLISTS));
    const service = await worker(memoryIndicators(indicator(A, "[ipv4-addr:value = '8.8.8.8']"), indicator(B, "[ipv4-addr:value = '203.0.114.9']")), matches, {
      screen: (id, pattern, observation) => guard.screenMatch(id, pattern, observation) !== undefined,
    });
    await telemetryQueueOn(bus).publish({ format: 'suricata', source: 'eve.json', firstLine: 1, lines: [dns('8.8.8.8'), dns('203.0.114.9')] });
    await eventually(() => service.stats.batches === 1, 'the batch');
    expect(matches.map((m) => m.indicator)).toEqual([B]);
    expect(service.stats).toMatchObject({ matches: 1, suppressed: 1 });
  });

  it('reads the Zeek TSV header sent with a batch and counts lines after it', async () => {
    const matches: DetectionMatch[] = [];
    const service = await worker(memoryIndicators(indicator(A, "[ipv4-addr:value = '198.51.100.7']")), matches);
    const header = ['#separator \\x09', '#path\tconn', '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto', '#types\ttime\tstring\taddr\tport\taddr\tport\tenum'];
    await telemetryQueueOn(bus).publish({ format: 'zeek-tsv', source: 'conn.log', firstLine: 50, header, zeekPath: 'conn', lines: ['1700000000.0\tC1\t10.0.0.1\t1234\t198.51.100.7\t80\ttcp'] });
    await eventually(() => service.stats.batches === 1, 'the batch');
    expect(matches.map((m) => [m.indicator, m.line, m.format])).toEqual([[A, 50, 'zeek-tsv']]);
  });

  it('takes indicators added, revoked and deleted from the change feed without a restart', async () => {
    const matches: DetectionMatch[] = [];
    const store = memoryIndicators(indicator(A, "[ipv4-addr:value = '198.51.100.7']"));
    const service = await worker(store, matches);
    const feed = changeFeedOn(bus);
    const queue = telemetryQueueOn(bus);
    const send = async (line: string): Promise<void> => {
      const before = service.stats.batches;
      await queue.publish({ format: 'suricata', source: 's', firstLine: 1, lines: [line] });
      await eventually(() => service.stats.batches > before, 'the batch');
    };
    const changed = async (id: string, version: string): Promise<void> => {
      const before = service.stats.indexChanges;
      await feed.publish({ kind: 'write', collectionId: 'c', at: version, objects: [{ id, type: 'indicator', version }] });
      await eventually(() => service.stats.indexChanges > before, 'the index change');
    };
    store.put(indicator(B, "[domain-name:value = 'evil.example']"));
    await changed(B, '2026-01-01T00:00:00.000Z');
    await send(dns('192.0.2.1', 'evil.example'));
    expect(matches.map((m) => m.indicator)).toEqual([B]);
    store.put(indicator(B, "[domain-name:value = 'evil.example']", { modified: '2026-02-01T00:00:00.000Z', revoked: true }));
    await changed(B, '2026-02-01T00:00:00.000Z');
    await send(dns('192.0.2.1', 'evil.example'));
    expect(matches).toHaveLength(1);
    expect(service.indicatorCount).toBe(1);
  });

  it('shares batches between workers of one durable name, each batch handled once', async () => {
    const matches: DetectionMatch[] = [];
    const source = memoryIndicators(indicator(A, "[ipv4-addr:value = '198.51.100.7']"));
    const one = await worker(source, matches, { durable: 'shared' });
    const two = await worker(source, matches, { durable: 'shared' });
    for (let i = 0; i < 20; i++) await telemetryQueueOn(bus).publish({ format: 'suricata', source: `batch-${i}`, firstLine: 1, lines: [dns('198.51.100.7')] });
    await eventually(() => one.stats.batches + two.stats.batches === 20, 'all batches');
    expect(new Set(matches.map((m) => m.source)).size).toBe(20);
    expect(matches).toHaveLength(20);
    expect(one.stats.batches).toBeGreaterThan(0);
    expect(two.stats.batches).toBeGreaterThan(0);
  });

  it('sends a batch back to the queue when reporting a match fails', async () => {
    let calls = 0;
    const service = await worker(memoryIndicators(indicator(A, "[ipv4-addr:value = '198.51.100.7']")), [], {
      onMatch: async () => {
        calls++;
        if (calls === 1) throw new Error('output full');
      },
    });
    await telemetryQueueOn(bus).publish({ format: 'suricata', source: 's', firstLine: 1, lines: [dns('198.51.100.7')] });
    await eventually(() => service.stats.batches === 1, 'the batch handled on its second delivery', 5_000);
    expect(calls).toBe(2);
  });
});
