import { describe, expect, it } from 'vitest';
import { TelemetryReader } from './telemetry-reader.js';
import type { TelemetryEvent } from './types.js';

const HEADER = ['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', '#path\tfiles',
  '#fields\tts\tfuid\ttx_hosts\trx_hosts\tfilename\tmd5\tsha256\ttotal_bytes\tlocal_orig',
  '#types\ttime\tstring\tset[addr]\tset[addr]\tstring\tstring\tstring\tcount\tbool'];

function run(lines: ReadonlyArray<string>): { events: TelemetryEvent[]; reader: TelemetryReader } {
  const reader = new TelemetryReader('auto');
  const events = lines.flatMap((l) => [...reader.push(l)]);
  return { events, reader };
}

const file = (event: TelemetryEvent | undefined): Record<string, unknown> | undefined =>
  event?.observation.roots.find((o) => o.type === 'file') as Record<string, unknown> | undefined;

describe('Zeek TSV header handling', () => {
  it('detects the format from #separator and reads typed columns, sets and escapes', () => {
    const { events, reader } = run([...HEADER, '1714557600.25\tF1\t198.51.100.7,198.51.100.8\t10.0.0.1\tevil\\x09name.exe\tD41D8CD98F00B204E9800998ECF8427E\t-\t1024\tT']);
    expect(reader.format).toBe('zeek-tsv');
    expect(events).toHaveLength(1);
    expect(file(events[0])).toEqual({ type: 'file', id: expect.any(String), name: 'evil\tname.exe', size: 1024, hashes: { MD5: 'd41d8cd98f00b204e9800998ecf8427e' } });
    const ips = events[0]?.observation.roots.filter((o) => o.type === 'ipv4-addr').map((o) => o.value);
    expect(ips).toEqual(['198.51.100.7', '198.51.100.8', '10.0.0.1']);
    expect(events[0]?.observation.firstObserved).toBe(1714557600250);
  });

  it('treats (empty) as an empty set and - as an absent value', () => {
    const { events } = run([...HEADER, '1714557600\tF1\t(empty)\t(empty)\t-\t-\t-\t-\t-']);
    expect(events).toHaveLength(0);
  });

  it('uses a separator other than tab when the header says so', () => {
    const { events } = run(['#separator \\x7c', '#set_separator|;', '#path|dns', '#fields|ts|id.orig_h|id.resp_h|query|answers', '#types|time|addr|addr|string|vector[string]', '1714557600|10.0.0.1|10.0.0.53|Example.COM.|192.0.2.1;192.0.2.2']);
    const names = events[0]?.observation.roots.filter((o) => o.type === 'domain-name');
    expect(names?.map((o) => o.value)).toEqual(['example.com']);
    expect(names?.[0]?.['resolves_to_refs']).toHaveLength(2);
  });

  it('reports rows with the wrong column count, bad typed values and rows before #fields, by line', () => {
    const { events, reader } = run(['#separator \\x09', '1714557600\tF1', ...HEADER, '1714557600\tF1', 'yesterday\tF1\t-\t-\t-\t-\t-\t-\t-', '1714557600\tF1\t-\t-\tok.exe\t-\t-\t-\tmaybe']);
    expect(events).toHaveLength(0);
    expect(reader.stats.badLines).toEqual([
      { line: 2, reason: 'zeek-tsv: data row before any #fields header' },
      { line: 10, reason: 'zeek-tsv: 2 columns where #fields names 9' },
      { line: 11, reason: 'zeek-tsv: column 1 (ts) is not a valid time: yesterday' },
      { line: 12, reason: 'zeek-tsv: column 9 (local_orig) is not a valid bool: maybe' },
    ]);
    expect([...reader.stats.badByReason.keys()]).toContain('zeek-tsv: N columns where #fields names N');
  });

  it('takes the log name from the caller when the header has no #path', () => {
    const reader = new TelemetryReader('zeek-tsv', { zeekPath: 'dns' });
    const events = ['#fields\tts\tquery', '#types\ttime\tstring', '1714557600\tbad.example'].flatMap((l) => [...reader.push(l)]);
    expect(events[0]?.eventType).toBe('dns');
  });
});
