import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.js';
import { bundle, indicator } from '../support/stix-builders.js';

/** Warninglists in `entente detect`, through the binary. */
const dir = tempDir('entente-warninglists-');
afterAll(() => dir.remove());

const resolver = indicator({ pattern: "[ipv4-addr:value = '8.8.8.8']" });
const wide = indicator({ pattern: "[ipv4-addr:value ISSUBSET '8.8.0.0/16']" });
const c2 = indicator({ pattern: "[domain-name:value = 'c2.badactor.ru']" });
const indicatorsFile = join(dir.path, 'indicators.json');
const logFile = join(dir.path, 'eve.json');
const ownList = join(dir.path, 'own.json');

const dns = (dest: string, name: string): string => JSON.stringify({
  timestamp: '2026-05-01T10:00:00.000000+0000', event_type: 'dns', src_ip: '10.0.0.1', src_port: 5353, dest_ip: dest, dest_port: 53, proto: 'UDP',
  dns: { type: 'query', rrname: name, rrtype: 'A' },
});

beforeAll(() => {
  writeFileSync(indicatorsFile, JSON.stringify(bundle([resolver, wide, c2])));
  writeFileSync(logFile, `${[dns('8.8.8.8', 'c2.badactor.ru'), dns('8.8.8.8', 'www.eicar.org'), dns('8.8.1.1', 'www.eicar.org')].join('\n')}\n`);
  writeFileSync(ownList, JSON.stringify({ name: 'partner-sinkhole', description: 'Domains our partner sinkholed', kind: 'domain-suffix', entries: ['badactor.ru'] }));
});

interface MatchLine { indicator: string; line: number }
const matchesOf = (stdout: string): MatchLine[] => stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as MatchLine);

describe('entente detect with warninglists', () => {
  it('suppresses indicators made only of benign values at load, and matches only on benign values, with the list', async () => {
    const result = await runCli(['detect', logFile, '--indicators', indicatorsFile, '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`1 indicators suppressed by warninglists (not matched)`);
    expect(result.stderr).toContain(`warninglisted ${String(resolver['id'])}: public-dns-resolvers (8.8.8.8)`);
    expect(result.stderr).toContain('2 indicators loaded');
    // The wide block matches 8.8.8.8 (benign, suppressed) and 8.8.1.1 (reported); the C2 domain matches on line 1.
    expect(matchesOf(result.stdout).map((m) => [m.indicator, m.line])).toEqual([[c2['id'], 1], [wide['id'], 3]]);
    expect(result.stderr).toMatch(/summary {2}3 events, 2 matches, 0 bad lines/);
    expect(result.stderr).toMatch(/suppressed\s+warninglist\n2\s+public-dns-resolvers/);
    expect(result.stderr).toContain(`${String(wide['id'])}  8.8.8.8  public-dns-resolvers`);
  });

  it('turns the built-in lists off with --no-warninglists', async () => {
    const result = await runCli(['detect', logFile, '--indicators', indicatorsFile, '--json', '--no-warninglists']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('suppressed');
    expect(matchesOf(result.stdout).map((m) => m.line)).toEqual([1, 1, 1, 2, 2, 3]);
  });

  it('applies the operator\'s own lists, and says what is wrong in a bad one', async () => {
    const result = await runCli(['detect', logFile, '--indicators', indicatorsFile, '--json', '--no-warninglists', '--warninglist', ownList]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`warninglisted ${String(c2['id'])}: partner-sinkhole (badactor.ru)`);
    expect(matchesOf(result.stdout).map((m) => m.indicator)).not.toContain(c2['id']);
    const bad = join(dir.path, 'bad.json');
    writeFileSync(bad, JSON.stringify({ name: 'x', kind: 'cidr', entries: ['10.0.0.0/40'] }));
    const refused = await runCli(['detect', logFile, '--indicators', indicatorsFile, '--warninglist', bad]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('$.entries[0]');
    expect(refused.stderr).toContain('"10.0.0.0/40" is not an IPv4 or IPv6 address or CIDR block');
  });
});
