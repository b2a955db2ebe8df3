import { describe, expect, it } from 'vitest';
import { detectFormat } from './detect-format.js';
import { parseEventTime } from './event-time.js';
import { TelemetryReader, reasonKey } from './telemetry-reader.js';

const observed = {
  type: 'bundle', id: 'bundle--1',
  objects: [
    { type: 'observed-data', spec_version: '2.1', id: 'observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf', created: '2024-01-01T00:00:00Z', modified: '2024-01-01T00:00:00Z', first_observed: '2024-01-01T00:00:00Z', last_observed: '2024-01-01T00:01:00Z', number_observed: 1, object_refs: ['ipv4-addr--1'] },
    { type: 'ipv4-addr', id: 'ipv4-addr--1', value: '198.51.100.7' },
  ],
};

describe('format detection', () => {
  it('names each format from one telling line', () => {
    expect(detectFormat('{"timestamp":"2024-01-01T00:00:00Z","event_type":"dns"}')).toBe('suricata');
    expect(detectFormat('{"_path":"conn","ts":"2024-01-01T00:00:00Z"}')).toBe('zeek-json');
    expect(detectFormat('{"dns": {"ts":1402308259.609,"query":"x"}}')).toBe('zeek-json');
    expect(detectFormat('#separator \\x09')).toBe('zeek-tsv');
    expect(detectFormat('{"@timestamp":"2024-01-01T00:00:00Z","source":{"ip":"10.0.0.1"}}')).toBe('ecs');
    expect(detectFormat('{"source.ip":"10.0.0.1","event.kind":"event"}')).toBe('ecs');
    expect(detectFormat(JSON.stringify(observed))).toBe('stix');
    expect(detectFormat('{')).toBe('stix');
    expect(detectFormat('   ')).toBeUndefined();
    expect(detectFormat('<Event xmlns="…">')).toBe('unknown');
  });
});

describe('TelemetryReader', () => {
  it('reads a pretty-printed STIX bundle across lines and keeps its first line number', () => {
    const reader = new TelemetryReader('auto');
    const lines = ['', ...JSON.stringify(observed, null, 2).split('\n')];
    const events = lines.flatMap((l) => [...reader.push(l)]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ line: 2, format: 'stix', eventType: 'observed-data' });
    const window = events[0]?.observation;
    expect(window === undefined ? undefined : window.lastObserved - window.firstObserved).toBe(60_000);
  });

  it('reports a STIX document left open at the end, and invalid observed-data, by line', () => {
    const reader = new TelemetryReader('stix');
    reader.push(JSON.stringify({ ...observed, objects: [{ ...observed.objects[0], number_observed: 0 }] }));
    reader.push('{"type": "bundle",');
    reader.end();
    expect(reader.stats.badLines).toEqual([
      { line: 1, reason: 'stix: $.objects[0].number_observed must be an integer of at least 1' },
      { line: 2, reason: 'stix: the document is not closed at the end of the input' },
    ]);
  });

  it('keeps counting past bad lines and groups alike reasons', () => {
    const reader = new TelemetryReader('suricata');
    for (const l of ['{"event_type":"dns","timestamp":"2024-01-01T00:00:00Z","src_ip":"10.0.0.1"}', '{oops', '[1]', '{"x":1']) reader.push(l);
    expect(reader.stats).toMatchObject({ lines: 4, events: 1, bad: 3 });
    expect(Object.fromEntries(reader.stats.badByReason)).toEqual({ 'not JSON': 2, 'not a JSON object': 1 });
  });

  it('leaves out an application protocol Suricata failed to recognise', () => {
    const reader = new TelemetryReader('suricata');
    const [event] = reader.push('{"event_type":"flow","timestamp":"2024-01-01T00:00:00Z","src_ip":"10.0.0.1","dest_ip":"10.0.0.2","proto":"TCP","app_proto":"failed"}');
    expect(event?.observation.roots.find((o) => o.type === 'network-traffic')?.['protocols']).toEqual(['ipv4', 'tcp']);
  });

  it('keeps only as many bad lines as asked, but counts them all', () => {
    const reader = new TelemetryReader('ecs', { keepBadLines: 2 });
    for (let i = 0; i < 5; i++) reader.push('nope');
    expect(reader.stats.bad).toBe(5);
    expect(reader.stats.badLines.map((b) => b.line)).toEqual([1, 2]);
  });

  it('groups reasons that differ only by numbers or cell values', () => {
    expect(reasonKey('zeek-tsv: column 3 (ts) is not a valid time: abc')).toBe('zeek-tsv: column N (ts) is not a valid time');
    expect(reasonKey('stix: not JSON: Unexpected token } in JSON at position 12')).toBe('stix: not JSON');
  });
});

describe('event times', () => {
  it('reads the forms sensors write, keeping microseconds', () => {
    expect(parseEventTime('2017-01-30T16:12:26.985026+0100')).toBeCloseTo(Date.parse('2017-01-30T15:12:26.985Z') + 0.026, 6);
    expect(parseEventTime('2020-02-25T16:03:11.275550Z')).toBeCloseTo(Date.parse('2020-02-25T16:03:11.275Z') + 0.55, 6);
    expect(parseEventTime(1402307733.473)).toBeCloseTo(1402307733473, 3);
    expect(parseEventTime('2020-10-18 10:56:18.799')).toBe(Date.parse('2020-10-18T10:56:18.799Z'));
    expect(parseEventTime('yesterday')).toBeUndefined();
    expect(parseEventTime(-5)).toBeUndefined();
  });
});
