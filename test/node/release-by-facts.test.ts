import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundles, readDirectory, readYamlTexts } from '../../examples/coalition/example-files.js';
import { openNode, type NodeServices } from '../../src/composition-root.js';
import { resolveConfig } from '../../src/config/node-config.js';
import { referencesOf } from '../../src/core/policy/release-set.js';
import type { StoredObject } from '../../src/ports/store.js';
import type { Audience } from '../../src/services/intel/release-gate.js';
import { setUpNode } from '../../src/services/setup/node-setup.js';
import { checkProofDocument, decisionItemsOf, inclusionProof, proofDocumentJson, readLedgerEntry, readProofDocument } from '../../src/core/ledger/index.js';
import { loadLedgerTree } from '../../src/ports/ledger-store.js';

/**
 * Pages are released from the release facts stored beside each version, and the text of what
 * goes unchanged is sent as stored. This checks, on the coalition example (granular markings,
 * victims, custom properties, addresses to generalise, third-party data, references across
 * pages), that every audience receives exactly what deciding the whole objects gives, with the
 * same decisions logged, and that the objects released unchanged were never parsed.
 */
const directory = readDirectory();
const dir = mkdtempSync(join(tmpdir(), 'entente-facts-'));

/**
 * Open objects that refer to a secret one, so that the graph pass removes references from
 * objects released from their facts: a report keeps only its open reference, a relationship to
 * the secret indicator does not go.
 */
const T = '2026-11-01T00:00:00.000Z';
const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const SECRET = 'marking-definition--e6355619-2cc9-5c31-8a64-62f6a3d758fe';
const uuid = (n: number): string => `7e57fac7-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const base = (type: string, n: number, marking = GREEN): { readonly id: string } & Record<string, unknown> => ({ type, spec_version: '2.1', id: `${type}--${uuid(n)}`, created: T, modified: T, object_marking_refs: [marking] });
const secretIndicator = { ...base('indicator', 1, SECRET), name: 'secret beacon', pattern: "[domain-name:value = 'secret.example']", pattern_type: 'stix', valid_from: T };
const openIndicator = { ...base('indicator', 2), name: 'open beacon', pattern: "[domain-name:value = 'open.example']", pattern_type: 'stix', valid_from: T };
const family = { ...base('malware', 3), name: 'lynx loader', is_family: true };
const PRUNED = {
  type: 'bundle', id: `bundle--${uuid(9)}`, objects: [
    secretIndicator, openIndicator, family,
    { ...base('report', 4), name: 'beacons', published: T, object_refs: [secretIndicator.id, openIndicator.id] },
    { ...base('relationship', 5), relationship_type: 'indicates', source_ref: secretIndicator.id, target_ref: family.id },
    { ...base('relationship', 6), relationship_type: 'indicates', source_ref: openIndicator.id, target_ref: family.id },
    // Refers to a relationship that the graph pass withholds (its source is secret).
    { ...base('report', 7), name: 'beacon links', published: T, object_refs: [`relationship--${uuid(5)}`, openIndicator.id] },
    // Refers to a report that goes to no one who may not see the secret indicator (nothing of it would be left).
    { ...base('report', 8), name: 'digest', published: T, object_refs: [`report--${uuid(10)}`, openIndicator.id] },
    { ...base('report', 10), name: 'secret only', published: T, object_refs: [secretIndicator.id] },
    // Refers to a sighting of the secret indicator, which goes only with it.
    { ...base('sighting', 11), sighting_of_ref: secretIndicator.id, count: 3 },
    { ...base('report', 12), name: 'sightings', published: T, object_refs: [`sighting--${uuid(11)}`, openIndicator.id] },
    // Two reports that refer to each other go together.
    { ...base('report', 13), name: 'part one', published: T, object_refs: [`report--${uuid(14)}`] },
    { ...base('report', 14), name: 'part two', published: T, object_refs: [`report--${uuid(13)}`] },
    { ...base('report', 15), name: 'overview', published: T, object_refs: [`report--${uuid(16)}`, secretIndicator.id] },
    { ...base('report', 16), name: 'open part', published: T, object_refs: [openIndicator.id, secretIndicator.id] },
  ],
};
let node: NodeServices;
let collectionId: string;

beforeAll(async () => {
  const config = resolveConfig([{ source: 'test', values: {
    dataDir: dir, database: { sqliteFile: join(dir, 'entente.db') }, node: { organisation: 'DEU', country: 'DEU', kind: 'nation' }, log: { level: 'silent' },
  } }]);
  node = await openNode(config, { logger: pino({ level: 'silent' }) });
  await setUpNode(node, { adminPassword: 'release facts test password' });
  for (const o of directory) {
    const existing = (await node.policy.listOrganisations()).find((x) => x.code === o.code);
    if (existing === undefined) await node.policy.addOrganisation({ code: o.code, name: o.name, kind: o.kind, country: o.country, id: o.id, memberships: o.memberships, sectors: o.sectors });
    else await node.policy.updateOrganisation(o.code, { id: o.id, name: o.name, kind: o.kind, country: o.country, memberships: o.memberships, sectors: o.sectors });
  }
  for (const { text } of readYamlTexts('agreements')) await node.policy.submitAgreement(text, 'test');
  collectionId = (await node.collections.listAll()).find((c) => c.alias === 'intel')?.id ?? '';
  for (const { bundle } of readBundles()) expect((await node.intel.ingest(collectionId, bundle, { actor: { name: 'admin' } })).rejected).toBe(0);
  expect((await node.intel.ingest(collectionId, PRUNED, { actor: { name: 'admin' } })).rejected).toBe(0);
  for (const name of ['de-secret', 'de-none', 'pl-liaison']) await node.accounts.createUser(name, 'release facts user password', ['analyst']);
  await node.policy.setProfile('de-secret', { nationality: 'DEU', clearances: ['NATO SECRET', 'DEU GEHEIM'] });
  await node.policy.setProfile('de-none', { nationality: 'DEU' });
  await node.policy.setProfile('pl-liaison', { nationality: 'POL', organisation: 'POL', clearances: ['NATO RESTRICTED'] });
}, 60_000);
afterAll(async () => {
  await node.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A stored version that counts how often its object is parsed; with or without its release facts. */
function counted(s: StoredObject, withFacts: boolean, parses: { n: number }): StoredObject {
  const json = s.json as string;
  let parsed: StoredObject['object'] | undefined;
  return {
    id: s.id, type: s.type, version: s.version, specVersion: s.specVersion, dateAdded: s.dateAdded, json,
    ...(withFacts && s.release !== undefined ? { release: s.release } : {}),
    get object() {
      if (parsed === undefined) {
        parses.n += 1;
        parsed = JSON.parse(json) as StoredObject['object'];
      }
      return parsed;
    },
  };
}

async function pages(limit: number): Promise<ReadonlyArray<ReadonlyArray<StoredObject>>> {
  const out: StoredObject[][] = [];
  let cursor: string | undefined;
  do {
    const page = await node.store.queryObjects({ collectionId, limit, ...(cursor === undefined ? {} : { cursor }) });
    out.push([...page.objects]);
    cursor = page.next;
  } while (cursor !== undefined);
  return out;
}

const sent = (objects: ReadonlyArray<StoredObject>): unknown[] => objects.map((o) => [o.id, o.version, o.json === undefined ? o.object : JSON.parse(o.json)]);

/**
 * Who reads, the decision log's name for them, and whether some of what they receive goes
 * unparsed: an agreement that generalises addresses or strips custom properties must look inside
 * every object it covers (POL, NWE-GRID, and a POL user under POL's agreements).
 */
const CONTENT_RULES = new Set(['POL', 'NWE-GRID']);
const AUDIENCES: ReadonlyArray<[string, Audience, string | undefined, boolean]> = [
  ...directory.filter((o) => o.code !== 'DEU').map((o): [string, Audience, string, boolean] => [o.code, { kind: 'party', code: o.code }, `peer:${o.code}`, !CONTENT_RULES.has(o.code)]),
  ['analyst cleared NATO SECRET', { kind: 'principal', principal: { name: 'de-secret', roles: ['analyst'] } }, undefined, true],
  ['analyst without clearance', { kind: 'principal', principal: { name: 'de-none', roles: ['analyst'] } }, undefined, true],
  ['Polish liaison on this node', { kind: 'principal', principal: { name: 'pl-liaison', roles: ['analyst'] } }, 'user:pl-liaison', false],
];

describe('release from stored facts', () => {
  it('holds facts for every version of the example', async () => {
    const all = (await pages(1000)).flat();
    expect(all.length).toBeGreaterThan(30);
    expect(all.every((o) => o.release !== undefined)).toBe(true);
  });

  it('removes from what it releases unparsed the references to what it withholds', async () => {
    const [page] = await pages(1000);
    const out = await node.release.releaseStored({ kind: 'principal', principal: { name: 'de-none', roles: ['analyst'] } }, page ?? [], 'taxii');
    const ids = out.map((o) => o.id);
    expect(ids).not.toContain(secretIndicator.id);
    expect(ids).not.toContain(`relationship--${uuid(5)}`);
    expect(ids).toContain(`relationship--${uuid(6)}`);
    const report = out.find((o) => o.id === `report--${uuid(4)}`);
    expect(report?.object['object_refs']).toEqual([openIndicator.id]);
  });

  it('decides references between the objects of a page by the page, not by their latest versions elsewhere', async () => {
    const all = (await pages(1000)).flat();
    // A page where every object may go by its labels, one of them withheld by the graph pass.
    const page = [`relationship--${uuid(5)}`, `report--${uuid(7)}`].map((id) => all.find((o) => o.id === id) as StoredObject);
    const reader: Audience = { kind: 'principal', principal: { name: 'de-none', roles: ['analyst'] } };
    const byFacts = sent(await node.release.releaseStored(reader, page.map((s) => counted(s, true, { n: 0 })), 'taxii'));
    const byText = sent(await node.release.releaseStored(reader, page.map((s) => counted(s, false, { n: 0 })), 'taxii'));
    expect(byFacts).toEqual(byText);
    expect(byFacts.map((o) => (o as [string])[0])).toEqual([`report--${uuid(7)}`]);
    expect((byFacts[0] as [string, string, { object_refs: string[] }])[2].object_refs).toEqual([openIndicator.id]);
  });

  it('gives the definition of a label only to whom that label may go: its name says what the label protects', async () => {
    const DEFINITIONS = {
      noforn: 'marking-definition--ab31ed0f-b6c0-593b-8fd3-17f272a21baf',
      secretRelGbrUsa: SECRET,
      relGbrUsa: 'marking-definition--8afdab11-efc4-5ade-babb-ea1dd2836215',
      vsNfd: 'marking-definition--b445c0cc-6aa2-5f22-a595-7baf977950bc',
      restrictedRelNato: 'marking-definition--7660fad7-1694-5c7f-beea-b46f5d3c4730',
    };
    const receives = async (audience: Audience): Promise<Set<string>> => {
      const ids = new Set<string>();
      for (const limit of [1, 1000]) {
        const got = new Set<string>();
        for (const page of await pages(limit)) for (const o of await node.release.releaseStored(audience, page, 'taxii')) if (o.type === 'marking-definition') got.add(o.id);
        if (ids.size > 0) expect([...got].sort(), `limit ${limit}`).toEqual([...ids].sort());
        for (const id of got) ids.add(id);
      }
      return ids;
    };
    const pol = await receives({ kind: 'party', code: 'POL' });
    expect(pol.has(DEFINITIONS.noforn)).toBe(false);
    expect(pol.has(DEFINITIONS.secretRelGbrUsa)).toBe(false);
    expect(pol.has(DEFINITIONS.relGbrUsa)).toBe(false);
    // deu-pol-energy lets German VS-NfD go to Poland; no agreement with France does.
    expect(pol.has(DEFINITIONS.vsNfd)).toBe(true);
    expect(pol.has(DEFINITIONS.restrictedRelNato)).toBe(true);
    expect(pol.has(GREEN)).toBe(true);
    const fra = await receives({ kind: 'party', code: 'FRA' });
    expect(fra.has(DEFINITIONS.vsNfd)).toBe(false);
    expect(fra.has(DEFINITIONS.noforn)).toBe(false);
    expect(fra.has(DEFINITIONS.restrictedRelNato)).toBe(true);
    const cleared = await receives({ kind: 'principal', principal: { name: 'de-secret', roles: ['analyst'] } });
    expect(cleared.has(DEFINITIONS.noforn)).toBe(true);
    expect(cleared.has(DEFINITIONS.vsNfd)).toBe(true);
    const uncleared = await receives({ kind: 'principal', principal: { name: 'de-none', roles: ['analyst'] } });
    expect(uncleared.has(DEFINITIONS.noforn)).toBe(true);
    expect(uncleared.has(DEFINITIONS.secretRelGbrUsa)).toBe(false);
  });

  it.each(AUDIENCES)('gives %s one consistent graph over pages of any size: every reference kept is to an object it receives', async (_name, audience) => {
    const held = new Set((await pages(1000)).flat().map((o) => o.id));
    for (const limit of [1, 3, 1000]) {
      const released = new Map<string, StoredObject['object']>();
      for (const page of await pages(limit)) for (const o of await node.release.releaseStored(audience, page, 'taxii')) released.set(o.id, o.object);
      const dangling = [...released].flatMap(([id, object]) => referencesOf(object).filter((ref) => held.has(ref) && !released.has(ref)).map((ref) => `${id} -> ${ref}`));
      expect(dangling, `limit ${limit}`).toEqual([]);
    }
  });

  it('keeps a reference beyond the page only when its object would go if read itself', async () => {
    const all = (await pages(1000)).flat();
    const reader: Audience = { kind: 'principal', principal: { name: 'de-none', roles: ['analyst'] } };
    const alone = async (n: number, type = 'report'): Promise<StoredObject | undefined> => {
      const page = [all.find((o) => o.id === `${type}--${uuid(n)}`) as StoredObject];
      const byFacts = await node.release.releaseStored(reader, page.map((s) => counted(s, true, { n: 0 })), 'taxii');
      const byText = await node.release.releaseStored(reader, page.map((s) => counted(s, false, { n: 0 })), 'taxii');
      expect(sent(byFacts)).toEqual(sent(byText));
      return byFacts[0];
    };
    expect((await alone(7))?.object['object_refs']).toEqual([openIndicator.id]);
    expect(await alone(10)).toBeUndefined();
    expect((await alone(8))?.object['object_refs']).toEqual([openIndicator.id]);
    expect(await alone(11, 'sighting')).toBeUndefined();
    expect((await alone(12))?.object['object_refs']).toEqual([openIndicator.id]);
    expect((await alone(13))?.object['object_refs']).toEqual([`report--${uuid(14)}`]);
    expect((await alone(14))?.object['object_refs']).toEqual([`report--${uuid(13)}`]);
    // A report that refers to a report that goes keeps the reference.
    expect((await alone(15))?.object['object_refs']).toEqual([`report--${uuid(16)}`]);
  });

  it.each(AUDIENCES)('gives %s what deciding the whole objects gives, logs the same decisions, and parses no more', async (_name, audience, logged, fewer) => {
    for (const limit of [1, 7, 1000]) {
      const fast = { n: 0 };
      const slow = { n: 0 };
      const before = logged === undefined ? [] : (await node.store.queryDecisions({ recipient: logged, limit: 100_000 })).records;
      const byFacts: unknown[] = [];
      for (const page of await pages(limit)) byFacts.push(...sent(await node.release.releaseStored(audience, page.map((s) => counted(s, true, fast)), 'taxii')));
      const middle = logged === undefined ? [] : (await node.store.queryDecisions({ recipient: logged, limit: 100_000 })).records;
      const byText: unknown[] = [];
      for (const page of await pages(limit)) byText.push(...sent(await node.release.releaseStored(audience, page.map((s) => counted(s, false, slow)), 'taxii')));
      const after = logged === undefined ? [] : (await node.store.queryDecisions({ recipient: logged, limit: 100_000 })).records;

      expect(byFacts).toEqual(byText);
      const report = byFacts.find((o) => (o as [string])[0] === `report--${uuid(4)}`) as [string, string, { object_refs: string[] }] | undefined;
      if (report !== undefined) expect(report[2].object_refs).not.toContain(secretIndicator.id);
      const strip = ({ seq: _seq, at: _at, ...rest }: { seq: number; at: string }): unknown => rest;
      expect(middle.slice(before.length).map(strip)).toEqual(after.slice(middle.length).map(strip));
      if (logged !== undefined) expect(middle.length - before.length).toBeGreaterThan(30);
      // Deciding from the text parses every object; from the facts, only those whose decision looks inside.
      expect(slow.n).toBeGreaterThanOrEqual(byText.length);
      if (fewer) expect(fast.n).toBeLessThan(slow.n / 2);
      else expect(fast.n).toBeLessThanOrEqual(slow.n);
    }
  });

  it.each(AUDIENCES.filter(([, , logged]) => logged !== undefined))('records a page read by %s in one compact leaf whose proof proves each of its decisions', async (_name, audience, logged) => {
    const [page] = await pages(1000);
    const before = (await node.store.queryDecisions({ recipient: logged as string, limit: 100_000 })).records.length;
    await node.release.releaseStored(audience, page ?? [], 'taxii');
    const records = (await node.store.queryDecisions({ recipient: logged as string, limit: 100_000 })).records.slice(before);
    expect(records).toHaveLength(page?.length ?? 0);
    const { size } = await node.store.getLedgerState();
    const stored = await node.store.getLedgerEntry(size - 1);
    // What an ally is handed: the leaf text and its inclusion proof, nothing of this node's database.
    const tree = await loadLedgerTree(node.store, size);
    const entry = readLedgerEntry(JSON.parse(stored?.entry ?? 'null'));
    const proof = proofDocumentJson({ type: 'inclusion', treeSize: size, rootHash: tree.root(), leafIndex: size - 1, leafHash: tree.leaf(size - 1), path: inclusionProof(tree, size - 1), entry });
    expect(checkProofDocument(readProofDocument(JSON.parse(JSON.stringify(proof))))).toEqual({ holds: true });
    expect(entry).toMatchObject({ kind: 'decisions-v2', recipient: logged, channel: 'taxii' });
    if (entry.kind !== 'decisions-v2') return;
    expect(decisionItemsOf(entry)).toEqual(records.map((r) => ({
      objectId: r.objectId, objectVersion: r.objectVersion, outcome: r.outcome,
      ...(r.agreementId === undefined ? {} : { agreementId: r.agreementId, agreementVersion: r.agreementVersion }), ...(r.reason === undefined ? {} : { reason: r.reason }),
    })));
    expect(new Set(records.map((r) => r.outcome)).size).toBeGreaterThan(1);
  });
});
