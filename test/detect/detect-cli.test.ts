import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle, indicator } from '../support/stix-builders.js';
import { REPO_ROOT, SHARED, runCli, tempDir } from '../support/cli.js';

const SAMPLES = join(SHARED, 'telemetry-samples');
const present = existsSync(SAMPLES);
if (!present) console.warn(`entente detect sample tests skipped: ${SAMPLES} is absent`);

const dir = tempDir('entente-detect-');
afterAll(() => dir.remove());

const eicarDomain = indicator({ pattern: "[domain-name:value = 'www.eicar.org']" });
const nmapSha256 = indicator({ pattern: "[file:hashes.'SHA-256' = '2e4c462b3424afcc04f43429d5f001e4ef9a28143bfeefb9af2254b4df3a7c1a']" });
const hackerNewsIp = indicator({ pattern: "[ipv4-addr:value = '209.216.230.240']" });
const revoked = indicator({ pattern: "[domain-name:value = 'www.eicar.org']", revoked: true });
const expired = indicator({ pattern: "[domain-name:value = 'www.eicar.org']", valid_until: '2020-01-01T00:00:00Z' });
const absent = indicator({ pattern: "[domain-name:value = 'never-seen.example']" });
const indicatorsFile = join(dir.path, 'indicators.json');

interface MatchLine { indicator: string; file: string; line: number; format: string; eventType: string; observed: string[]; event?: string }

function matchesOf(stdout: string): MatchLine[] {
  return stdout.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as MatchLine);
}

beforeAll(() => {
  writeFileSync(indicatorsFile, JSON.stringify(bundle([eicarDomain, nmapSha256, hackerNewsIp, revoked, expired, absent])));
});

describe.skipIf(!present)('entente detect on the shared samples', () => {
  it('reports matches of live indicators only, with file, line and what was observed', async () => {
    const result = await runCli(['detect', SAMPLES, '--indicators', indicatorsFile, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const found = matchesOf(result.stdout);
    const ids = new Set(found.map((m) => m.indicator));
    expect(ids).toEqual(new Set([eicarDomain['id'], nmapSha256['id'], hackerNewsIp['id']]));
    const eicar = found.find((m) => m.indicator === eicarDomain['id']);
    expect(eicar).toMatchObject({ line: 1, format: 'suricata', eventType: 'fileinfo' });
    expect(eicar?.file).toMatch(/suricata-verify-output-eve-fileinfo-eve\.json$/);
    expect(eicar?.observed).toContain('url http://www.eicar.org/download/eicar.com');
    const nmap = found.find((m) => m.indicator === nmapSha256['id']);
    expect(nmap?.file).toMatch(/tenzir-fileinfo\.json$/);
    // The same Hacker News address is seen in Zeek JSON and in Zeek TSV of the same capture.
    const formats = new Set(found.filter((m) => m.indicator === hackerNewsIp['id']).map((m) => m.format));
    expect(formats).toEqual(new Set(['zeek-json', 'zeek-tsv']));
    expect(result.stderr).toContain('4 indicators loaded (skipped: 1 revoked, 1 expired');
    expect(result.stderr).toMatch(/summary {2}\d+ events, \d+ matches, \d+ bad lines/);
  });

  it('prints a readable summary with matches per indicator', async () => {
    const result = await runCli(['detect', join(SAMPLES, 'suricata'), '--indicators', indicatorsFile]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`match ${String(eicarDomain['id'])}`);
    expect(result.stdout).toMatch(/summary {2}274 events, 2 matches, 0 bad lines/);
    expect(result.stdout).not.toContain(String(absent['id']));
  });
});

describe('entente detect on bad input', () => {
  it('counts bad lines with their numbers and reasons, and goes on', async () => {
    const file = join(dir.path, 'mixed-eve.json');
    const good = '{"timestamp":"2024-05-01T10:00:00.000000+0000","event_type":"dns","src_ip":"10.0.0.1","src_port":5353,"dest_ip":"10.0.0.53","dest_port":53,"proto":"UDP","dns":{"type":"query","rrname":"www.eicar.org","rrtype":"A"}}';
    writeFileSync(file, [good, 'this is not json', '{"timestamp":"2024-05-01T10:00:01Z","event_type":', '{"event_type":"dns"}', good].join('\n'));
    const result = await runCli(['detect', file, '--indicators', indicatorsFile, '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(matchesOf(result.stdout).map((m) => m.line)).toEqual([1, 5]);
    expect(matchesOf(result.stdout)[0]?.event).toBe(good);
    expect(result.stderr).toContain('2 events, 2 matches, 3 bad lines');
    expect(result.stderr).toContain(`${file}:2  not JSON`);
    expect(result.stderr).toContain(`${file}:3  not JSON`);
    expect(result.stderr).toContain(`${file}:4  suricata: timestamp missing or not ISO 8601`);
  });

  it('reads standard input with an explicit format', async () => {
    const tsv = ['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', '#path\tdns',
      '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tquery\tanswers',
      '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tvector[string]',
      '1714557600.5\tCx1\t10.0.0.1\t5353\t10.0.0.53\t53\tudp\twww.eicar.org\t209.216.230.240,(empty)',
      '1714557601.5\tCx2\t10.0.0.1\t5353\t10.0.0.53\t53\tudp\tonly-three-columns'].join('\n');
    const result = await runCli(['detect', '-', '--format', 'zeek-tsv', '--indicators', indicatorsFile, '--json'], { input: tsv });
    expect(result.code, result.stderr).toBe(0);
    expect(new Set(matchesOf(result.stdout).map((m) => m.indicator))).toEqual(new Set([eicarDomain['id'], hackerNewsIp['id']]));
    expect(result.stderr).toContain('-:9  zeek-tsv: 8 columns where #fields names 9');
  });

  it('exits 2 when an input or the indicators file does not exist', async () => {
    expect((await runCli(['detect', join(dir.path, 'nope.log'), '--indicators', indicatorsFile])).code).toBe(2);
    expect((await runCli(['detect', indicatorsFile, '--indicators', join(dir.path, 'nope.json')])).code).toBe(2);
  });

  it('uses the indicators of the node store when --indicators is absent', async () => {
    const dataDir = join(dir.path, 'node');
    expect((await runCli(['init', '--data-dir', dataDir], { env: { ENTENTE_ADMIN_PASSWORD: 'correct horse battery' } })).code).toBe(0);
    // valid_until before valid_from is refused by the store's validator, so the store gets live ones only.
    const storeFile = join(dir.path, 'store-indicators.json');
    writeFileSync(storeFile, JSON.stringify(bundle([eicarDomain, absent])));
    const imported = await runCli(['import', storeFile, '--data-dir', dataDir]);
    expect(imported.code, imported.stderr + imported.stdout).toBe(0);
    const file = join(dir.path, 'one.json');
    writeFileSync(file, '{"timestamp":"2024-05-01T10:00:00Z","event_type":"http","src_ip":"10.0.0.1","src_port":40000,"dest_ip":"10.0.0.2","dest_port":80,"proto":"TCP","http":{"hostname":"www.eicar.org","url":"/"}}\n');
    const result = await runCli(['detect', file, '--data-dir', dataDir, '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(matchesOf(result.stdout).map((m) => m.indicator)).toEqual([eicarDomain['id']]);
  });

  it('stops quietly when the reader of its output goes away (| head)', async () => {
    const file = join(dir.path, 'many.json');
    const line = '{"timestamp":"2024-05-01T10:00:00Z","event_type":"dns","src_ip":"10.0.0.1","dest_ip":"10.0.0.53","proto":"UDP","dns":{"rrname":"www.eicar.org"}}\n';
    writeFileSync(file, line.repeat(20_000));
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'entente.js'), 'detect', file, '--indicators', indicatorsFile, '--json'], { env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(0);
    expect(stderr).not.toContain('EPIPE');
    expect(stderr).toMatch(/summary {2}\d+ events/);
  }, 20_000);

  it('follows a growing file until interrupted', async () => {
    const file = join(dir.path, 'growing.json');
    writeFileSync(file, '');
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'entente.js'), 'detect', file, '--follow', '--indicators', indicatorsFile, '--json'], { env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' } });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise((r) => setTimeout(r, 1500));
    appendFileSync(file, '{"timestamp":"2024-05-01T10:00:00Z","event_type":"dns","src_ip":"10.0.0.1","dest_ip":"10.0.0.53","proto":"UDP","dns":{"rrname":"www.eicar.org"}}\n');
    for (let i = 0; i < 40 && !stdout.includes('"line":1'); i++) await new Promise((r) => setTimeout(r, 250));
    child.kill('SIGINT');
    expect(await closed).toBe(0);
    expect(matchesOf(stdout).map((m) => m.indicator)).toEqual([eicarDomain['id']]);
  }, 20_000);
});
