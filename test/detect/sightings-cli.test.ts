import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle, indicator } from '../support/stix-builders.js';
import { SHARED, runCli, tempDir } from '../support/cli.js';

/**
 * `entente detect --sightings` through the binary, on the shared sensor samples, as the German
 * node: Poland shared the EICAR domain (an agreement with Poland covers every type), France the
 * Hacker News address (no agreement with France).
 */
const SAMPLES = join(SHARED, 'telemetry-samples');
const present = existsSync(SAMPLES);
if (!present) console.warn(`entente detect --sightings tests skipped: ${SAMPLES} is absent`);

const POL_ID = 'identity--3d7b11bb-ab97-471c-bc54-db4564a4b75d';
const FRA_ID = 'identity--2d2c3805-89ca-4c94-b563-16efca5896c8';
const dir = tempDir('entente-sightings-cli-');
const data = join(dir.path, 'data');
const env = { ENTENTE_ADMIN_PASSWORD: 'sightings-cli-password' };
const cli = (...args: string[]) => runCli([...args, '--data-dir', data], { env });

const eicar = indicator({ pattern: "[domain-name:value = 'www.eicar.org']", created_by_ref: POL_ID });
const hackerNews = indicator({ pattern: "[ipv4-addr:value = '209.216.230.240']", created_by_ref: FRA_ID });

interface Report {
  created: number;
  updated: number;
  sightings: Array<{ id: string; indicatorId: string; count: number; producer?: string }>;
  offers: Array<{ code: string; offered: Array<{ outcome: string; evidence: number }>; withheld: Array<{ reason: string }> }>;
}

function finalReport(stderr: string): Report {
  const last = stderr.trimEnd().split('\n').pop() ?? '';
  return (JSON.parse(last) as { sightings: Report }).sightings;
}

beforeAll(async () => {
  if (!present) return;
  mkdirSync(data);
  writeFileSync(join(data, 'entente.yaml'), 'node:\n  name: cert-bund\n  organisation: DEU\n  country: DEU\n  kind: nation\n');
  expect((await runCli(['init', '--data-dir', data], { env })).code).toBe(0);
  const orgs = join(dir.path, 'organisations.yaml');
  writeFileSync(orgs, [
    'organisations:',
    `  - { code: POL, name: CERT Polska, kind: nation, country: POL, id: ${POL_ID} }`,
    `  - { code: FRA, name: CERT-FR, kind: nation, country: FRA, id: ${FRA_ID} }`,
  ].join('\n'));
  expect((await cli('orgs', 'import', orgs)).code).toBe(0);
  const agreement = join(dir.path, 'deu-pol.yaml');
  writeFileSync(agreement, 'agreement: deu-pol\ntitle: DEU-POL\nstatus: active\nparties: [DEU, POL]\nvalid: { from: 2026-01-01T00:00:00Z }\nceiling: { tlp: amber }\n');
  const submitted = await cli('agreements', 'submit', agreement);
  expect(submitted.code, submitted.stderr).toBe(0);
  const feed = join(dir.path, 'feed.json');
  writeFileSync(feed, JSON.stringify(bundle([eicar])));
  const imported = await cli('import', feed);
  expect(imported.code, imported.stderr + imported.stdout).toBe(0);
}, 120_000);
afterAll(() => dir.remove());

describe.skipIf(!present)('entente detect --sightings', () => {
  it('stores a sighting of an allied indicator, says it may go back to its producer, and makes a new version on a re-run', async () => {
    const first = await cli('detect', join(SAMPLES, 'suricata'), '--sightings');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/sightings {2}1 created, 0 updated in collection /);
    expect(first.stdout).toMatch(/producer\s+may go back\s+of them redacted\s+withheld\s+why withheld\nPOL\s+1\s+0\s+0/);

    const again = await cli('detect', join(SAMPLES, 'suricata'), '--sightings', '--json');
    expect(again.code, again.stderr).toBe(0);
    const report = finalReport(again.stderr);
    expect(report).toMatchObject({ created: 0, updated: 1 });
    expect(report.sightings[0]).toMatchObject({ indicatorId: eicar['id'], producer: 'POL' });
    expect(report.offers).toEqual([expect.objectContaining({ code: 'POL', withheld: [] })]);
    // The matches themselves still go to standard output as NDJSON.
    expect(JSON.parse(again.stdout.split('\n')[0] ?? '')).toMatchObject({ indicator: eicar['id'] });

    const listed = await cli('export', '--type', 'sighting');
    expect(listed.code, listed.stderr).toBe(0);
    const sightings = (JSON.parse(listed.stdout) as { objects: Array<{ id: string; count: number }> }).objects;
    expect(sightings.map((s) => s.id)).toEqual([report.sightings[0]?.id]);
    expect(sightings[0]?.count).toBe(report.sightings[0]?.count);
    // What the offer said may go back is what an export for Poland holds.
    const forPoland = await cli('export', '--type', 'sighting', '--for', 'POL');
    expect((JSON.parse(forPoland.stdout) as { objects: Array<{ id: string }> }).objects.map((s) => s.id)).toEqual([report.sightings[0]?.id]);
  }, 60_000);

  it('takes indicators from a file, still storing in the node, and withholds from a producer without an agreement', async () => {
    const file = join(dir.path, 'french.json');
    writeFileSync(file, JSON.stringify(bundle([hackerNews])));
    const result = await cli('detect', join(SAMPLES, 'zeek-json'), join(SAMPLES, 'zeek-tsv'), '--indicators', file, '--sightings', '--window', '1d', '--evidence', '1', '--json');
    expect(result.code, result.stderr).toBe(0);
    const report = finalReport(result.stderr);
    expect(report.created).toBeGreaterThan(0);
    expect(report.sightings.every((s) => s.producer === 'FRA')).toBe(true);
    expect(report.offers).toEqual([expect.objectContaining({ code: 'FRA', offered: [] })]);
    expect(new Set(report.offers[0]?.withheld.map((w) => w.reason))).toEqual(new Set(['no-agreement']));
    expect(result.stderr).toMatch(/FRA\s+0\s+0\s+\d+\s+no-agreement \d+/);
  }, 60_000);

  it('refuses a window or evidence count it cannot use, before reading anything', async () => {
    const bad = await cli('detect', join(SAMPLES, 'suricata'), '--sightings', '--window', 'soon');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--window: "soon" is not a window width');
    expect((await cli('detect', join(SAMPLES, 'suricata'), '--sightings', '--evidence', 'all')).stderr).toContain('--evidence: "all" is not a whole number');
  }, 60_000);
});
