import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PatternIndex } from '../pattern/index.js';
import { TelemetryReader } from './telemetry-reader.js';
import type { TelemetryEvent, TelemetryFormat } from './types.js';

const SAMPLES = fileURLToPath(new URL('../../../../shared/telemetry-samples/', import.meta.url));
const present = existsSync(SAMPLES);
if (!present) console.warn(`telemetry sample tests skipped: ${SAMPLES} is absent`);

function read(file: string, format: TelemetryFormat | 'auto' = 'auto'): { events: TelemetryEvent[]; reader: TelemetryReader } {
  const reader = new TelemetryReader(format);
  const events: TelemetryEvent[] = [];
  for (const line of readFileSync(`${SAMPLES}${file}`, 'utf8').split('\n')) events.push(...reader.push(line));
  events.push(...reader.end());
  return { events, reader };
}

function at(events: TelemetryEvent[], line: number): TelemetryEvent {
  const event = events.find((e) => e.line === line);
  if (event === undefined) throw new Error(`no event from line ${line}`);
  return event;
}

function ofType(event: TelemetryEvent, type: string): Array<Record<string, unknown>> {
  return event.observation.roots.filter((o) => o.type === type) as Array<Record<string, unknown>>;
}

function matches(event: TelemetryEvent, pattern: string): boolean {
  const index = new PatternIndex();
  index.add('indicator--x', pattern);
  return index.match(event.observation).length === 1;
}

describe.skipIf(!present)('normalisers on the shared telemetry samples', () => {
  it('reads every Suricata EVE line of surevego and skips only the stats record', () => {
    const { events, reader } = read('suricata/surevego-eve.json');
    expect(reader.format).toBe('suricata');
    expect(reader.stats.bad).toBe(0);
    expect(events).toHaveLength(265);
    expect(reader.stats.skipped).toBe(1);
  });

  it('takes hashes, host and URL from a Suricata fileinfo event', () => {
    const event = at(read('suricata/tenzir-fileinfo.json').events, 1);
    expect(ofType(event, 'file')[0]?.['hashes']).toEqual({
      MD5: '70041821acf87389e40ddcb092004184',
      'SHA-1': '10395ab3566395ca050232d2c1a0dbad69eb5fd2',
      'SHA-256': '2e4c462b3424afcc04f43429d5f001e4ef9a28143bfeefb9af2254b4df3a7c1a',
    });
    expect(matches(event, "[url:value = 'http://www.nmap.org/']")).toBe(true);
    expect(matches(event, "[network-traffic:src_ref.value = '74.207.254.18' AND network-traffic:dst_port = 1046]")).toBe(true);
    expect(event.observation.firstObserved).toBe(Date.parse('2011-08-12T14:59:22.181Z') + 0.05);
  });

  it('turns a Suricata TLS event into SNI, IPv6 addresses and a certificate with its SHA-1', () => {
    const event = at(read('suricata/fever-alertify_input.json').events, 3);
    expect(matches(event, "[domain-name:value = 'example.com']")).toBe(true);
    expect(matches(event, "[ipv6-addr:value = '2606:2800:220:1:248:1893:25c8:1946']")).toBe(true);
    expect(matches(event, "[x509-certificate:hashes.'SHA-1' = '7bb698386970363d2919cc5772846984ffd4a889']")).toBe(true);
  });

  it('links a Suricata DNS v2 answer to the queried name', () => {
    const event = at(read('suricata/fever-jsonparse_eve.json').events, 1);
    expect(matches(event, "[domain-name:value = 'test.test.local' AND domain-name:resolves_to_refs[*].value = '10.0.0.12']")).toBe(true);
  });

  it('puts the Suricata user agent in the http-request-ext', () => {
    const event = at(read('suricata/surevego-eve.json').events, 49);
    expect(event.eventType).toBe('alert');
    expect(matches(event, "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'Debian APT-HTTP/1.3 (1.4~beta3)']")).toBe(true);
  });

  it('reads the three Zeek JSON shapes: _path streaming and the Kafka wrapper', () => {
    const zui = read('zeek-json/zui-sample.ndjson');
    expect(zui.reader.stats.bad).toBe(0);
    const dns = zui.events.find((e) => e.eventType === 'dns' && ofType(e, 'domain-name')[0]?.['value'] === 'news.ycombinator.com');
    expect(dns).toBeDefined();
    const metron = read('zeek-json/metron-BroExampleOutput.json');
    expect(metron.reader.format).toBe('zeek-json');
    expect(metron.reader.stats.bad).toBe(0);
    expect(matches(at(metron.events, 6), "[email-addr:value = 'abullis@mail.csuchico.edu']")).toBe(true);
    expect(matches(at(metron.events, 6), "[domain-name:value = 'gabacentre.pw']")).toBe(true);
  });

  it('reads a Zeek x509 record with its serial and SAN names', () => {
    const x509 = read('zeek-json/zui-sample.ndjson').events.find((e) => e.eventType === 'x509');
    expect(x509 && matches(x509, "[x509-certificate:serial_number = '074FE902C6B7D619884E1CA1854D9178']")).toBe(true);
    expect(x509 && matches(x509, "[domain-name:value = 'news.ycombinator.com']")).toBe(true);
  });

  it('follows each Zeek TSV header block of a multi-log file', () => {
    const { events, reader } = read('zeek-tsv/zui-sample.zeektsv');
    expect(reader.format).toBe('zeek-tsv');
    expect(reader.stats.bad).toBe(0);
    const kinds = new Set(events.map((e) => e.eventType));
    // The weird row names no address (all `-`), so it has nothing to observe.
    expect([...kinds].sort()).toEqual(['conn', 'dns', 'files', 'ssl', 'x509']);
    expect(reader.stats.skipped).toBe(3);
    const files = events.filter((e) => e.eventType === 'files');
    expect(files.some((e) => matches(e, "[file:hashes.MD5 = 'd16bf2ff6647cb8bccce2594e9237e50']"))).toBe(true);
    expect(files.some((e) => matches(e, "[ipv4-addr:value = '209.216.230.240']"))).toBe(true);
  });

  it('reads Zeek TSV from Bro 2.2 with table[...] columns and (empty) sets', () => {
    const http = read('zeek-tsv/tenzir-http.log');
    expect(http.events).toHaveLength(40);
    const first = at(http.events, 9);
    expect(matches(first, "[url:value = 'http://www.uspto.gov/image/home_page/Kardas-239.png']")).toBe(true);
    expect(first.observation.firstObserved).toBeCloseTo(1258563306627.936, 3);
    const conn = read('zeek-tsv/tenzir-small_conn.log');
    expect(conn.events).toHaveLength(20);
    expect(matches(at(conn.events, 9), "[network-traffic:dst_ref.value = '192.168.1.1' AND network-traffic:protocols[*] = 'udp']")).toBe(true);
  });

  it('reads flattened ECS documents from Packetbeat', () => {
    const { events, reader } = read('ecs/packetbeat-http_basic_auth-expected.ndjson');
    expect(reader.format).toBe('ecs');
    expect(matches(at(events, 1), "[domain-name:value = 'www.example.com' AND domain-name:resolves_to_refs[*].value = '2606:2800:220:1:248:1893:25c8:1946']")).toBe(true);
    expect(matches(at(events, 2), "[url:value = 'http://www.example.com/']")).toBe(true);
    expect(matches(at(events, 2), "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'curl/7.37.1']")).toBe(true);
    const tls = read('ecs/packetbeat-tls_1_3-expected.ndjson').events;
    expect(matches(at(tls, 1), "[domain-name:value = 'play.google.com']")).toBe(true);
  });

  it('does not match values absent from the samples', () => {
    const { events } = read('suricata/surevego-eve.json');
    expect(events.some((e) => matches(e, "[domain-name:value = 'evil.example.net']"))).toBe(false);
    expect(events.some((e) => matches(e, "[ipv4-addr:value = '203.0.113.9']"))).toBe(false);
  });

  it('reads Sysmon and Security events from the OTRF Windows export', () => {
    const { events, reader } = read('windows/cmd_lsass_memory_dumpert_syscalls_2020-10-1822561997.json');
    expect(reader.format).toBe('windows');
    expect(reader.stats.bad).toBe(0);
    const created = events.find((e) => e.eventType === 'sysmon-1');
    expect(created && matches(created, "[process:image_ref.hashes.'SHA-256' = 'd286348de31501385a3a8f57a08af602722913c36aaa4aa9fcb9ee129a7680c0']")).toBe(true);
    expect(created && matches(created, "[process:command_line = 'Outflank-Dumpert.exe']")).toBe(true);
    expect(events.some((e) => matches(e, "[file:name = 'lsass.exe' AND file:parent_directory_ref.path = 'C:\\\\windows\\\\system32']"))).toBe(true);
    const wfp = events.find((e) => e.eventType === 'security-5156');
    expect(wfp && matches(wfp, "[network-traffic:dst_ref.value = '168.63.129.16' AND network-traffic:dst_port = 80 AND network-traffic:protocols[*] = 'tcp']")).toBe(true);
    // Sysmon's UtcTime, not TimeCreated (the exporting host's local time), dates the event.
    expect(created?.observation.firstObserved).toBe(Date.parse('2020-10-19T02:56:14.283Z'));
  });

  it('counts the lines of an unknown format as bad, with numbers, and goes on', () => {
    const { events, reader } = read('zeek-json/SOURCES.md');
    expect(events).toHaveLength(0);
    expect(reader.stats.bad).toBeGreaterThan(5);
    expect(reader.stats.badLines[0]).toEqual({ line: 1, reason: expect.stringContaining('unknown format') });
  });
});
