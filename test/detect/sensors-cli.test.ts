import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRules } from '../../src/core/sensor-exports/index.js';
import { REPO_ROOT, runCli, tempDir } from '../support/cli.js';
import { bundle, indicator } from '../support/stix-builders.js';

/**
 * `entente sensors export` through the binary, on the German node of the coalition example:
 * what the operator exports, and what an export for Poland (through the release decision) leaves out.
 */
const EXAMPLE = join(REPO_ROOT, 'examples', 'coalition');
const DEU = 'identity--df266b57-8cf3-40bc-a148-cae3d5492a01';
const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const RED = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';
const dir = tempDir('entente-sensors-cli-');
const data = join(dir.path, 'data');
const env = { ENTENTE_ADMIN_PASSWORD: 'sensors-admin-password' };
const cli = (...args: string[]) => runCli([...args, '--data-dir', data], { env });

const energy = { created_by_ref: DEU, labels: ['sector:energy'] };
const domain = indicator({ ...energy, name: 'Grid updater C2', pattern: "[domain-name:value = 'grid-update.badactor.ru']", object_marking_refs: [GREEN] });
const hash = indicator({ ...energy, name: 'Loader', pattern: `[file:hashes.'SHA-256' = '${'ab'.repeat(32)}']`, object_marking_refs: [GREEN] });
const redIp = indicator({ ...energy, name: 'Source we protect', pattern: "[ipv4-addr:value = '185.220.101.77']", object_marking_refs: [RED] });
const resolver = indicator({ ...energy, name: 'Resolver', pattern: "[ipv4-addr:value = '8.8.8.8']", object_marking_refs: [GREEN] });
const like = indicator({ ...energy, name: 'Any .ru', pattern: "[domain-name:value LIKE '%.ru']", object_marking_refs: [GREEN] });
const bundleFile = join(dir.path, 'indicators.json');

interface Summary { indicators: number; values: Record<string, number>; notExpressible: { count: number }; warninglisted: { count: number; byList: Record<string, number> }; files: string[]; rules: number }

beforeAll(async () => {
  mkdirSync(data);
  copyFileSync(join(EXAMPLE, 'nodes', 'DEU.yaml'), join(data, 'entente.yaml'));
  expect((await runCli(['init', '--data-dir', data], { env })).code).toBe(0);
  expect((await cli('orgs', 'import', join(EXAMPLE, 'organisations.yaml'))).code).toBe(0);
  const agreements = ['nato-cti', 'eu-cti', 'deu-pol-energy'].map((f) => join(EXAMPLE, 'agreements', `${f}.yaml`));
  expect((await cli('agreements', 'submit', ...agreements)).code).toBe(0);
  writeFileSync(bundleFile, JSON.stringify(bundle([domain, hash, redIp, resolver, like])));
  const imported = await cli('import', bundleFile);
  expect(imported.code, imported.stderr + imported.stdout).toBe(0);
}, 120_000);
afterAll(() => dir.remove());

describe('entente sensors export', () => {
  it('exports what the operator holds as blocklists, leaving out warninglisted values and inexpressible patterns', async () => {
    const out = join(dir.path, 'operator');
    const result = await cli('sensors', 'export', '--format', 'blocklist', '--out', out, '--json');
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as Summary;
    expect(summary).toMatchObject({ indicators: 3, notExpressible: { count: 1 }, warninglisted: { count: 1, byList: { 'public-dns-resolvers': 1 } } });
    expect(readFileSync(join(out, 'ipv4.txt'), 'utf8')).toBe('185.220.101.77\n');
    expect(readFileSync(join(out, 'domain.txt'), 'utf8')).toBe('grid-update.badactor.ru\n');
    expect(readFileSync(join(out, 'sha256.txt'), 'utf8')).toBe(`${'ab'.repeat(32)}\n`);
  }, 60_000);

  it('exports for Poland only what the agreements let it receive, and logs each decision on the sensor-export channel', async () => {
    const out = join(dir.path, 'pol');
    const result = await cli('sensors', 'export', '--format', 'suricata', '--for', 'POL', '--out', out, '--json');
    expect(result.code, result.stderr).toBe(0);
    const rules = readFileSync(join(out, 'entente.rules'), 'utf8');
    expect(checkRules(rules).problems).toEqual([]);
    expect(rules).toContain('dns.query; content:"grid-update.badactor.ru"');
    expect(rules).not.toContain('185.220.101.77');
    expect(rules).not.toContain(String(redIp['id']));
    expect(readFileSync(join(out, 'entente-sha256.list'), 'utf8')).toContain(String(hash['id']));
    const decisions = JSON.parse((await cli('decisions', 'list', '--recipient', 'peer:POL', '--channel', 'sensor-export', '--limit', '100', '--json')).stdout) as { records: Array<{ outcome: string; channel: string; objectId?: string }> };
    expect(decisions.records.length).toBeGreaterThan(0);
    expect(decisions.records.every((r) => r.channel === 'sensor-export')).toBe(true);
    expect(decisions.records.map((r) => r.outcome)).toContain('deny');
    const blocklist = await cli('sensors', 'export', '--format', 'blocklist', '--type', 'ipv4', '--for', 'POL');
    expect(blocklist.code, blocklist.stderr).toBe(0);
    expect(blocklist.stdout).toBe('');
  }, 60_000);

  it('writes a Zeek Intel file from a bundle without a node, and datasets into a directory', async () => {
    const zeek = await runCli(['sensors', 'export', '--format', 'zeek', '--indicators', bundleFile, '--source', 'cert-bund']);
    expect(zeek.code, zeek.stderr).toBe(0);
    const lines = zeek.stdout.split('\n');
    expect(lines[0]).toBe('#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url');
    expect(lines).toContain(`grid-update.badactor.ru\tIntel::DOMAIN\tcert-bund\tGrid updater C2 [${String(domain['id'])}]\t-`);
    expect(zeek.stderr).toMatch(/warninglisted 1 {2}public-dns-resolvers/);
    const out = join(dir.path, 'datasets');
    const datasets = await runCli(['sensors', 'export', '--format', 'suricata-datasets', '--indicators', bundleFile, '--out', out, '--sid-base', '5000000', '--sid-range', '1000']);
    expect(datasets.code, datasets.stderr).toBe(0);
    expect(readFileSync(join(out, 'entente-domain.lst'), 'utf8')).toBe(`${Buffer.from('grid-update.badactor.ru').toString('base64')}\n`);
    const parsed = checkRules(readFileSync(join(out, 'entente.rules'), 'utf8'));
    expect(parsed.problems).toEqual([]);
    expect(parsed.rules.every((r) => { const sid = Number(r.options.find((o) => o.name === 'sid')?.value); return sid >= 5_000_000 && sid < 5_001_000; })).toBe(true);
  }, 60_000);

  it('refuses bad options with exit 2 and says which', async () => {
    const party = await cli('sensors', 'export', '--format', 'zeek', '--for', 'XYZ');
    expect(party.code).toBe(2);
    const type = await runCli(['sensors', 'export', '--format', 'blocklist', '--type', 'ipv4,ip', '--indicators', bundleFile]);
    expect(type.code).toBe(2);
    expect(type.stderr).toContain('--type: ip is not one of');
    const dirless = await runCli(['sensors', 'export', '--format', 'suricata', '--indicators', bundleFile]);
    expect(dirless.code).toBe(2);
    expect(dirless.stderr).toContain('--out');
  }, 60_000);
});
