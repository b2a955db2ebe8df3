import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/adapters/system/manual-clock.js';
import { openNode, type NodeServices } from '../../src/composition-root.js';
import { resolveConfig } from '../../src/config/node-config.js';
import type { DetectionMatch } from '../../src/core/sightings/index.js';
import { validateObject } from '../../src/core/stix/validate.js';
import { TelemetryReader } from '../../src/core/telemetry/index.js';
import { SightingService } from '../../src/services/detection/sighting-service.js';
import { OPERATOR } from '../../src/services/intel/release-gate.js';
import { setUpNode } from '../../src/services/setup/node-setup.js';
import { tempDir } from '../support/cli.js';
import { indicator } from '../support/stix-builders.js';

/**
 * The sighting service on a real node (SQLite in a temporary directory): the German node sees
 * indicators that Poland, France and the Netherlands shared, and its own, in its sensor logs.
 */
const POL = { code: 'POL', name: 'CERT Polska', kind: 'nation', country: 'POL', id: 'identity--3d7b11bb-ab97-471c-bc54-db4564a4b75d' };
const FRA = { code: 'FRA', name: 'CERT-FR', kind: 'nation', country: 'FRA', id: 'identity--2d2c3805-89ca-4c94-b563-16efca5896c8' };
const NLD = { code: 'NLD', name: 'NCSC-NL', kind: 'nation', country: 'NLD', id: 'identity--1ce6c6ac-6ef9-4224-9cb0-9911d8d9f168' };

/** An active agreement between DEU and one party, covering the given types (all when empty). */
function agreement(id: string, party: string, types: ReadonlyArray<string>): string {
  return [
    `agreement: ${id}`, `title: ${id}`, 'status: active', `parties: [DEU, ${party}]`, 'valid: { from: 2026-01-01T00:00:00Z }',
    ...(types.length === 0 ? [] : [`scope: { types: [${types.join(', ')}] }`]), 'ceiling: { tlp: amber }',
  ].join('\n');
}

const dir = tempDir('entente-sightings-');
const clock = new ManualClock('2026-12-01T08:00:00.000Z');
let node: NodeServices;
let service: SightingService;
let collectionId: string;

const polIndicator = indicator({ pattern: "[domain-name:value = 'pol.example']", created_by_ref: POL.id });
const fraIndicator = indicator({ pattern: "[domain-name:value = 'fra.example']", created_by_ref: FRA.id });
const nldIndicator = indicator({ pattern: "[domain-name:value = 'nld.example']", created_by_ref: NLD.id });
const ownIndicator = indicator({ pattern: "[domain-name:value = 'own.example']" });
const strangerIndicator = indicator({ pattern: "[domain-name:value = 'vendor.example']", created_by_ref: 'identity--0a0b0c0d-0000-4000-8000-000000000001' });
const fileIndicator = indicator({ pattern: "[domain-name:value = 'file.example']", created_by_ref: POL.id });

function dnsMatch(indicatorId: string, time: string, client = '10.0.0.1'): DetectionMatch {
  const line = JSON.stringify({ timestamp: time, event_type: 'dns', src_ip: client, src_port: 53000, dest_ip: '10.0.0.53', dest_port: 53, proto: 'UDP', dns: { type: 'query', rrname: 'x.example', rrtype: 'A' } });
  const [event] = new TelemetryReader('suricata').push(line);
  if (event === undefined) throw new Error('no event');
  return { indicatorId, observation: event.observation, sensor: 'eve.json' };
}

beforeAll(async () => {
  const config = resolveConfig([{ source: 'test', values: {
    dataDir: dir.path, database: { sqliteFile: join(dir.path, 'entente.db') }, node: { name: 'cert-bund', organisation: 'DEU', country: 'DEU', kind: 'nation' },
  } }]);
  node = await openNode(config, { clock, logger: pino({ level: 'silent' }) });
  await setUpNode(node, { adminPassword: 'sightings test password' });
  collectionId = (await node.collections.listAll()).find((c) => c.alias === 'intel')?.id ?? '';
  for (const org of [POL, FRA, NLD]) await node.policy.addOrganisation(org);
  await node.policy.submitAgreement(agreement('deu-pol', 'POL', []), 'test');
  await node.policy.submitAgreement(agreement('deu-fra', 'FRA', ['indicator']), 'test');
  await node.policy.submitAgreement(agreement('deu-nld', 'NLD', ['indicator', 'sighting', 'identity']), 'test');
  const own = (await node.policy.listOrganisations()).find((o) => o.code === 'DEU');
  const stored = [polIndicator, fraIndicator, nldIndicator, { ...ownIndicator, created_by_ref: own?.id }, strangerIndicator];
  const ingested = await node.intel.ingest(collectionId, stored, { actor: { name: 'test' } });
  expect(ingested.rejected, JSON.stringify(ingested.results)).toBe(0);
  service = new SightingService(node);
}, 60_000);
afterAll(async () => {
  await node.close();
  dir.remove();
});

describe('SightingService.record', () => {
  it('stores a sighting of an allied indicator and offers it back to its producer when an agreement covers sightings', async () => {
    const report = await service.record([
      dnsMatch(String(polIndicator['id']), '2026-11-30T10:05:00Z'), dnsMatch(String(polIndicator['id']), '2026-11-30T10:35:00Z', '10.0.0.2'),
    ]);
    expect(report).toMatchObject({ collectionId, created: 1, updated: 0, notOffered: [] });
    const [recorded] = report.sightings;
    expect(recorded).toMatchObject({ indicatorId: polIndicator['id'], status: 'created', count: 2, producer: 'POL', firstSeen: '2026-11-30T10:05:00.000Z' });
    const stored = await node.intel.latest(recorded?.id ?? '', [collectionId], OPERATOR);
    expect(stored).toMatchObject({ type: 'sighting', sighting_of_ref: polIndicator['id'], count: 2 });
    expect(validateObject(stored).errors).toEqual([]);
    for (const ref of stored?.['observed_data_refs'] as string[]) {
      const od = await node.intel.latest(ref, [collectionId], OPERATOR);
      expect(od?.type).toBe('observed-data');
      for (const sco of od?.['object_refs'] as string[]) expect(await node.intel.latest(sco, [collectionId], OPERATOR)).toBeDefined();
    }
    // The node's identity, which the sighting names as where it was seen, is stored alongside.
    const own = (await node.policy.listOrganisations()).find((o) => o.code === 'DEU');
    expect(stored?.['where_sighted_refs']).toEqual([own?.id]);
    expect(await node.intel.latest(own?.id ?? '', [collectionId], OPERATOR)).toMatchObject({ type: 'identity' });
    expect(report.offers).toEqual([{
      code: 'POL', organisationId: POL.id, withheld: [],
      offered: [{ id: recorded?.id, outcome: 'allow', agreement: { id: 'deu-pol', version: 1 }, evidence: 2, changes: [] }],
    }]);
  });

  it('makes a new version of the same sighting when a later run sees more of the window, not a duplicate', async () => {
    clock.advance(3_600_000);
    const report = await service.record([dnsMatch(String(polIndicator['id']), '2026-11-30T10:55:00Z', '10.0.0.3')]);
    expect(report).toMatchObject({ created: 0, updated: 1 });
    const [recorded] = report.sightings;
    expect(recorded).toMatchObject({ status: 'updated', count: 3, firstSeen: '2026-11-30T10:05:00.000Z', lastSeen: '2026-11-30T10:55:00.000Z', modified: '2026-12-01T09:00:00.000Z' });
    const versions = await node.intel.versions(collectionId, recorded?.id ?? '', {}, OPERATOR);
    expect(versions.objects.map((o) => o.version)).toEqual(['2026-12-01T08:00:00.000Z', '2026-12-01T09:00:00.000Z']);
    const latest = await node.intel.latest(recorded?.id ?? '', [collectionId], OPERATOR);
    expect(latest?.['observed_data_refs']).toHaveLength(3);
    expect(report.offers[0]?.offered[0]).toMatchObject({ id: recorded?.id, outcome: 'allow', evidence: 3 });
  });

  it('withholds a sighting from a producer whose agreement does not cover sightings, and redacts evidence one does not cover', async () => {
    const report = await service.record([
      dnsMatch(String(fraIndicator['id']), '2026-11-30T12:00:00Z'), dnsMatch(String(nldIndicator['id']), '2026-11-30T12:00:00Z'),
    ]);
    const fra = report.offers.find((o) => o.code === 'FRA');
    expect(fra?.offered).toEqual([]);
    expect(fra?.withheld).toEqual([{ id: report.sightings.find((s) => s.producer === 'FRA')?.id, reason: 'out-of-scope', detail: expect.stringContaining('sighting is not among the types in scope') }]);
    const nld = report.offers.find((o) => o.code === 'NLD');
    expect(nld?.withheld).toEqual([]);
    expect(nld?.offered).toEqual([expect.objectContaining({ outcome: 'redact', evidence: 0, changes: [expect.stringContaining('removed references to 1 object(s)')] })]);
  });

  it('offers nobody the sightings of its own indicators, of authors outside the directory, or of indicators it does not hold', async () => {
    const fileOnly = dnsMatch(String(fileIndicator['id']), '2026-11-30T13:00:00Z');
    const report = await service.record([
      dnsMatch(String(ownIndicator['id']), '2026-11-30T13:00:00Z'), dnsMatch(String(strangerIndicator['id']), '2026-11-30T13:00:00Z'), fileOnly,
    ]);
    const reasons = new Map(report.notOffered.map((n) => [report.sightings.find((s) => s.id === n.id)?.indicatorId, n.reason]));
    expect(reasons).toEqual(new Map([[ownIndicator['id'], 'own-indicator'], [strangerIndicator['id'], 'producer-unknown'], [fileIndicator['id'], 'indicator-unknown']]));
    expect(report.offers).toEqual([]);
    // Given the indicator (an indicators file), its producer is known and decided for.
    clock.advance(1000);
    const again = await service.record([fileOnly], { indicators: new Map([[String(fileIndicator['id']), fileIndicator]]) });
    expect(again.offers).toEqual([expect.objectContaining({ code: 'POL', offered: [expect.objectContaining({ outcome: 'allow' })] })]);
  });

  it('leaves a sighting held as revoked as it is', async () => {
    const first = await service.record([dnsMatch(String(polIndicator['id']), '2026-11-30T22:00:00Z')]);
    const id = first.sightings[0]?.id ?? '';
    const held = await node.intel.latest(id, [collectionId], OPERATOR);
    clock.advance(1000);
    await node.intel.ingest(collectionId, [{ ...held, modified: '2026-12-01T12:00:00.000Z', revoked: true }], { actor: { name: 'analyst' } });
    const again = await service.record([dnsMatch(String(polIndicator['id']), '2026-11-30T22:30:00Z')]);
    expect(again).toMatchObject({ created: 0, updated: 0, revoked: [id], sightings: [] });
    expect(await node.intel.latest(id, [collectionId], OPERATOR)).toMatchObject({ revoked: true, count: 1 });
  });

  it('writes to the collection it is told, and refuses one that does not exist', async () => {
    const other = await node.collections.create({ title: 'Sightings', alias: 'sightings' });
    const report = await service.record([dnsMatch(String(polIndicator['id']), '2026-11-30T20:00:00Z')], { collection: 'sightings', windowMs: 86_400_000, evidence: 1 });
    expect(report.collectionId).toBe(other.id);
    expect(await node.intel.latest(report.sightings[0]?.id ?? '', [other.id], OPERATOR)).toBeDefined();
    await expect(service.record([], { collection: 'nope' })).rejects.toThrow(/No collection nope for the sightings/);
  });
});
