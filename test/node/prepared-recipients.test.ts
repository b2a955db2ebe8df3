import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/adapters/system/manual-clock.js';
import { openNode, type NodeServices } from '../../src/composition-root.js';
import { resolveConfig } from '../../src/config/node-config.js';
import { CLASSIFICATION_POLICIES, markingsForLabel, parseBanner } from '../../src/core/labels/index.js';
import type { Reader } from '../../src/services/intel/release-gate.js';
import { setUpNode } from '../../src/services/setup/node-setup.js';

/**
 * A reader's prepared recipient, and the decisions made for it, are kept from one page to the
 * next. What they were made from can change between two pages without the directory changing:
 * the clock passes a label's expiry or an agreement's end, or a user's profile is edited. Each
 * must be seen by the very next page.
 */
const START = '2026-03-01T00:00:00.000Z';
const at = (ms: number): string => new Date(Date.parse(START) + ms).toISOString();
const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const uuid = (n: number): string => `5a1e0000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const indicator = (n: number, markings: ReadonlyArray<string>): Record<string, unknown> => ({
  type: 'indicator', spec_version: '2.1', id: `indicator--${uuid(n)}`, created: START, modified: START, name: `beacon ${n}`,
  pattern: `[domain-name:value = 'beacon-${n}.example']`, pattern_type: 'stix', valid_from: START, object_marking_refs: markings,
});

const dir = mkdtempSync(join(tmpdir(), 'entente-prepared-'));
const clock = new ManualClock(START);
let node: NodeServices;
let collectionId: string;
const ids = { open: '', expiring: '', secret: '' };

beforeAll(async () => {
  const config = resolveConfig([{ source: 'test', values: {
    dataDir: dir, database: { sqliteFile: join(dir, 'entente.db') }, node: { organisation: 'DEU', country: 'DEU', kind: 'nation' }, log: { level: 'silent' },
  } }]);
  node = await openNode(config, { logger: pino({ level: 'silent' }), clock });
  await setUpNode(node, { adminPassword: 'prepared recipients test password' });
  collectionId = (await node.collections.listAll()).find((c) => c.alias === 'intel')?.id ?? '';
  const policies = CLASSIFICATION_POLICIES;
  // Releasable until 500 ms after the start: the directory's own cache lives 2 s.
  const expiring = markingsForLabel(parseBanner(`TLP:GREEN // IEP EXPIRES=${at(500)}`, { policies }), policies, { created: START });
  const secret = markingsForLabel(parseBanner('NATO SECRET', { policies }), policies, { created: START });
  const objects = [indicator(1, [GREEN]), indicator(2, expiring.refs), indicator(3, secret.refs)];
  ids.open = objects[0]?.['id'] as string;
  ids.expiring = objects[1]?.['id'] as string;
  ids.secret = objects[2]?.['id'] as string;
  const bundle = { type: 'bundle', id: `bundle--${uuid(99)}`, objects: [...expiring.definitions, ...secret.definitions, ...objects].filter((o) => !(o.id as string).startsWith('marking-definition--bab4')) };
  expect((await node.intel.ingest(collectionId, bundle, { actor: { name: 'admin' } })).rejected).toBe(0);

  await node.policy.addOrganisation({ code: 'POL', name: 'CERT Polska', kind: 'nation', country: 'POL' });
  // In force for the first second only.
  await node.policy.submitAgreement(`agreement: deu-pol\ntitle: test\nstatus: active\nparties: [DEU, POL]\nvalid: { from: ${at(-1000)}, until: ${at(1000)} }\nceiling: { tlp: amber }\n`, 'test');
  for (const name of ['pl-reader', 'de-reader']) {
    await node.accounts.createUser(name, 'prepared recipients user password', ['analyst']);
    await node.collections.grant(collectionId, name, { canRead: true, canWrite: false });
  }
  await node.policy.setProfile('pl-reader', { nationality: 'POL', organisation: 'POL' });
  await node.policy.setProfile('de-reader', { nationality: 'DEU' });
}, 60_000);
afterAll(async () => {
  await node.close();
  rmSync(dir, { recursive: true, force: true });
});

const reader = (name: string): Reader => ({ audience: { kind: 'principal', principal: { name, roles: ['analyst'] } }, channel: 'taxii' });
async function seen(name: string): Promise<string[]> {
  const page = await node.intel.objects(collectionId, { types: ['indicator'] }, reader(name));
  return page.objects.map((o) => o.id).sort();
}

describe('prepared recipients kept between pages', () => {
  it('judges an expiring label at each page, and stops at the end of an agreement', async () => {
    clock.set(START);
    expect(await seen('pl-reader')).toEqual([ids.open, ids.expiring].sort());
    // Same page again: the kept decisions give the same answer.
    expect(await seen('pl-reader')).toEqual([ids.open, ids.expiring].sort());
    clock.set(at(600));
    expect(await seen('pl-reader')).toEqual([ids.open]);
    clock.set(at(1000));
    expect(await seen('pl-reader')).toEqual([]);
  });

  it('sees a profile edited through this node at the next page, both ways', async () => {
    clock.set(at(5000));
    expect(await seen('de-reader')).toEqual([ids.open, ids.expiring].sort());
    await node.policy.setProfile('de-reader', { clearances: ['NATO SECRET'] });
    expect(await seen('de-reader')).toEqual([ids.open, ids.expiring, ids.secret].sort());
    await node.policy.setProfile('de-reader', { clearances: [] });
    expect(await seen('de-reader')).toEqual([ids.open, ids.expiring].sort());
  });

  it('sees an agreement activated through this node at the next page', async () => {
    clock.set(at(6000));
    expect(await seen('pl-reader')).toEqual([]);
    await node.policy.submitAgreement(`agreement: deu-pol\ntitle: test\nstatus: active\nparties: [DEU, POL]\nvalid: { from: ${at(-1000)} }\nceiling: { tlp: amber }\n`, 'test');
    expect(await seen('pl-reader')).toEqual([ids.open]);
    await node.policy.setAgreementStatus('deu-pol', 'suspended', 'test');
    expect(await seen('pl-reader')).toEqual([]);
  });

  it('reads a page with more distinct labellings than a reader keeps decisions for, twice', async () => {
    clock.set(at(7000));
    const tagged = Array.from({ length: 4500 }, (_, n) => ({ ...indicator(1000 + n, [GREEN]), labels: [`campaign-${n}`] }));
    const bundle = { type: 'bundle', id: `bundle--${uuid(98)}`, objects: tagged };
    expect((await node.intel.ingest(collectionId, bundle, { actor: { name: 'admin' } })).rejected).toBe(0);
    for (let read = 0; read < 2; read++) {
      const page = await node.intel.objects(collectionId, { types: ['indicator'], limit: 5000 }, reader('de-reader'));
      expect(page.objects.length).toBe(4500 + 2);
    }
  });
});
