import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle, indicator } from '../support/stix-builders.js';
import { SHARED, runCli, tempDir } from '../support/cli.js';

const SAMPLES = join(SHARED, 'telemetry-samples');
const dir = tempDir('entente-detect-workers-');
afterAll(() => dir.remove());

const indicators = [
  indicator({ pattern: "[domain-name:value = 'www.eicar.org']" }),
  indicator({ pattern: "[file:hashes.'SHA-256' = '2e4c462b3424afcc04f43429d5f001e4ef9a28143bfeefb9af2254b4df3a7c1a']" }),
  indicator({ pattern: "[ipv4-addr:value = '209.216.230.240']" }),
  indicator({ pattern: "[ipv4-addr:value ISSUBSET '198.51.100.0/24']" }),
  indicator({ pattern: "[domain-name:value = 'evil.example']" }),
  // A general pattern: every worker compiles it.
  indicator({ pattern: "[network-traffic:dst_port = 4444 AND network-traffic:protocols[*] = 'tcp']" }),
];
const indicatorsFile = join(dir.path, 'indicators.json');
const big = join(dir.path, 'eve.json');

beforeAll(() => {
  writeFileSync(indicatorsFile, JSON.stringify(bundle(indicators)));
  // Several read chunks' worth of lines, so that many batches go to the workers; a few bad lines among them.
  const lines: string[] = [];
  for (let i = 0; i < 12_000; i++) {
    const ts = `2024-05-01T10:${String(Math.floor(i / 600) % 60).padStart(2, '0')}:00.000000+0000`;
    if (i % 997 === 3) lines.push('{"event_type": "dns", not json');
    else if (i % 3 === 0) lines.push(JSON.stringify({ timestamp: ts, event_type: 'flow', src_ip: '10.0.0.1', src_port: 40000, dest_ip: i % 89 === 0 ? '198.51.100.9' : `10.1.${(i >> 8) & 255}.${i & 255}`, dest_port: i % 701 === 0 ? 4444 : 443, proto: 'TCP' }));
    else lines.push(JSON.stringify({ timestamp: ts, event_type: 'dns', src_ip: '10.0.0.1', dest_ip: '10.0.0.53', proto: 'UDP', dns: { type: 'query', rrname: i % 211 === 0 ? 'EVIL.example.' : `h${i}.example.net`, rrtype: 'A' } }));
  }
  writeFileSync(big, `${lines.join('\n')}\n`);
});

describe('entente detect --workers', () => {
  it('prints the same matches, in the same order, and the same summary on 1, 2 or 3 workers', async () => {
    const inputs = existsSync(SAMPLES) ? [big, SAMPLES] : [big];
    const runs = await Promise.all(['1', '2', '3'].map((n) => runCli(['detect', ...inputs, '--indicators', indicatorsFile, '--json', '--workers', n])));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const [one, two, three] = runs.map((r) => ({ stdout: r.stdout, summary: r.stderr.slice(r.stderr.indexOf('summary')) }));
    expect(one?.stdout.split('\n').length).toBeGreaterThan(40);
    expect(one?.summary).toMatch(/summary {2}\d+ events, \d+ matches, 1[23] bad lines/);
    expect(two).toEqual(one);
    expect(three).toEqual(one);
  });

  it('refuses a count that is not a whole number from 1 to 64', async () => {
    for (const n of ['0', 'two', '65']) {
      const r = await runCli(['detect', big, '--indicators', indicatorsFile, '--workers', n]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--workers/);
    }
  });
});
