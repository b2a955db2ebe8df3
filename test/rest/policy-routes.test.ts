import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionItemsOf, readLedgerEntry, type DecisionsV2Entry } from '../../src/core/ledger/index.js';
import { CLASSIFICATION_POLICIES, markingsForLabel, parseBanner, TLP2_MARKING_DEFINITIONS } from '../../src/core/labels/index.js';
import { indicator, malware, PASSWORDS, startRestNode, type RestNode } from './rest-harness.js';

const AGREEMENT = `
agreement: deu-pol
title: Germany - Poland bilateral exchange
status: draft
parties: [DEU, POL]
valid:
  from: 2026-01-01T00:00:00Z
ceiling:
  tlp: amber
  classification: NATO RESTRICTED
`;

const TLP = (level: keyof typeof TLP2_MARKING_DEFINITIONS) => TLP2_MARKING_DEFINITIONS[level].id;
const usGbrOnly = markingsForLabel(parseBanner('REL TO USA, GBR', { policies: CLASSIFICATION_POLICIES }), CLASSIFICATION_POLICIES);

let node: RestNode;
const green = indicator({ name: 'Green C2', object_marking_refs: [TLP('green')] });
const red = indicator({ name: 'Red C2', object_marking_refs: [TLP('red')] });
const withParagraph = malware({
  name: 'Paragraph malware', description: 'Seen at a US facility', object_marking_refs: [TLP('green')],
  granular_markings: [{ marking_ref: usGbrOnly.refs[0], selectors: ['description'] }],
});
const plUser = 'pl-liaison';

beforeAll(async () => {
  node = await startRestNode();
  const report = await node.intel.ingest(node.intelId, { objects: [...usGbrOnly.definitions, green, red, withParagraph] }, { actor: { name: 'admin' } });
  expect(report.rejected).toBe(0);
  await node.accounts.createUser(plUser, 'polish-password-1', ['analyst']);
  const grant = await node.call('admin', { method: 'PUT', url: `/api/v1/collections/${node.intelId}/grants/${plUser}`, payload: { read: true, write: false } });
  expect(grant.statusCode).toBe(200);
});
afterAll(async () => node.close());

const asPolish = (url: string) => node.app.inject({ method: 'GET', url, headers: { authorization: `Basic ${Buffer.from(`${plUser}:polish-password-1`).toString('base64')}` } });

describe('policy over REST', () => {
  it('lets a liaison officer add a party, and names what is wrong with a bad one', async () => {
    const bad = await node.call('bob', { method: 'POST', url: '/api/v1/organisations', payload: { code: 'POL', name: 'CERT Polska', kind: 'republic', country: 'Poland' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.map((d: { path: string }) => d.path)).toEqual(['kind', 'country']);
    const res = await node.call('bob', { method: 'POST', url: '/api/v1/organisations', payload: { code: 'POL', name: 'CERT Polska', kind: 'nation', country: 'POL' } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ code: 'POL', id: expect.stringMatching(/^identity--/) });
    expect((await node.call('alice', { method: 'POST', url: '/api/v1/organisations', payload: { code: 'FRA', name: 'ANSSI', kind: 'nation', country: 'FRA' } })).statusCode).toBe(403);
  });

  it('records an agreement, once, and reports a bad one with its line', async () => {
    const bad = await node.call('bob', { method: 'POST', url: '/api/v1/agreements', payload: { yaml: AGREEMENT.replace('[DEU, POL]', '[DEU, POL, XYZ]') } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error).toMatchObject({ code: 'ENTENTE_AGREEMENT_INVALID', details: [{ path: '$.parties[2]', message: expect.stringMatching(/^line 5, column 21: unknown party XYZ/) }] });
    const first = await node.call('bob', { method: 'POST', url: '/api/v1/agreements', payload: { yaml: AGREEMENT } });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ created: true, record: { agreement: { id: 'deu-pol', version: 1, status: 'draft' }, recordedBy: 'bob', change: 'created' } });
    const again = await node.call('bob', { method: 'POST', url: '/api/v1/agreements', payload: { yaml: AGREEMENT } });
    expect(again.statusCode).toBe(200);
    expect(again.json().created).toBe(false);
  });

  it('shows a partner\'s user nothing while the agreement is a draft, as if nothing existed', async () => {
    await node.call('admin', { method: 'PUT', url: `/api/v1/users/${plUser}/profile`, payload: { nationality: 'POL', organisation: 'POL', clearances: ['NATO SECRET'] } });
    const res = await asPolish(`/api/v1/objects/${green['id'] as string}`);
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('Green C2');
  });

  it('dry-runs the draft: what Poland would receive and why the rest would not go', async () => {
    const res = await node.call('bob', { method: 'POST', url: '/api/v1/agreements/simulate', payload: { id: 'deu-pol', party: 'POL' } });
    expect(res.statusCode).toBe(200);
    const { summary } = res.json();
    expect(summary.counts).toEqual({ allow: 1, redact: 1, deny: 2 });
    expect(summary.denials).toContainEqual({ reason: 'tlp-ceiling', count: 1, examples: [{ id: red['id'], detail: expect.stringContaining('TLP:RED is above the ceiling TLP:AMBER') }] });
    expect(summary.byType.indicator).toEqual({ allow: 1, redact: 0, deny: 1 });
    // The definition of REL TO USA, GBR would tell Poland what it is kept from: it goes where its label goes.
    expect(summary.byType['marking-definition']).toEqual({ allow: 0, redact: 0, deny: 1 });
    expect(summary.denials).toContainEqual(expect.objectContaining({ reason: 'releasability', count: 1, examples: [expect.objectContaining({ id: usGbrOnly.refs[0] })] }));
  });

  it('refuses to dry-run for someone who is not a party, or for the node itself, rather than answer "no agreement"', async () => {
    const stranger = await node.call('bob', { method: 'POST', url: '/api/v1/agreements/simulate', payload: { id: 'deu-pol', party: 'FRA' } });
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json().error.message).toMatch(/FRA is not a party to deu-pol: simulate for one of POL/);
    const itself = await node.call('bob', { method: 'POST', url: '/api/v1/agreements/simulate', payload: { id: 'deu-pol', party: 'DEU' } });
    expect(itself.statusCode).toBe(400);
    expect(itself.json().error.message).toMatch(/DEU is this node's own organisation/);
  });

  it('once active, releases within the ceilings and redacts the paragraph marked for fewer nations', async () => {
    const activate = await node.call('bob', { method: 'POST', url: '/api/v1/agreements/deu-pol/status', payload: { status: 'active' } });
    expect(activate.json()).toMatchObject({ created: true, record: { agreement: { version: 2, status: 'active' }, change: 'status draft -> active' } });
    expect(activate.json().record.source).toContain('status: active');
    expect((await asPolish(`/api/v1/objects/${green['id'] as string}`)).statusCode).toBe(200);
    expect((await asPolish(`/api/v1/objects/${red['id'] as string}`)).statusCode).toBe(404);
    const paragraph = await asPolish(`/api/v1/objects/${withParagraph['id'] as string}`);
    expect(paragraph.json()).not.toHaveProperty('description');
    expect(paragraph.json()).not.toHaveProperty('granular_markings');
    const search = await asPolish('/api/v1/search?q=C2');
    expect(search.json().hits.map((h: { id: string }) => h.id)).toEqual([green['id']]);
  });

  it('withholds a relationship whose endpoint the partner may not receive, not one whose endpoint this node does not hold', async () => {
    const rel = (target: string) => ({
      type: 'relationship', spec_version: '2.1', id: `relationship--6e000000-0000-4000-8000-${target.endsWith('1') ? '000000000001' : '000000000002'}`,
      created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', relationship_type: 'indicates',
      source_ref: green['id'], target_ref: target, object_marking_refs: [TLP('green')],
    });
    const toRed = rel(red['id'] as string);
    const toNowhere = { ...rel('malware--6e000000-0000-4000-8000-00000000ffff'), id: 'relationship--6e000000-0000-4000-8000-000000000001' };
    expect((await node.intel.ingest(node.intelId, { objects: [toRed, toNowhere] }, { actor: { name: 'admin' } })).rejected).toBe(0);
    expect((await asPolish(`/api/v1/objects/${toRed.id}`)).statusCode).toBe(404);
    expect((await asPolish(`/api/v1/objects/${toNowhere.id}`)).statusCode).toBe(200);
  });

  it('serves the TAXII collection to the partner filtered the same way', async () => {
    const res = await node.app.inject({
      method: 'GET', url: `/taxii2/default/collections/${node.intelId}/objects/`,
      headers: { accept: 'application/taxii+json;version=2.1', authorization: `Basic ${Buffer.from(`${plUser}:polish-password-1`).toString('base64')}` },
    });
    expect(res.statusCode).toBe(200);
    const ids = (res.json().objects as Array<{ id: string }>).map((o) => o.id);
    expect(ids).toContain(green['id']);
    expect(ids).not.toContain(red['id']);
    expect(res.body).not.toContain('Seen at a US facility');
  });

  it('lists in the TAXII manifest and versions only what the partner may receive', async () => {
    const taxii = (url: string) => node.app.inject({
      method: 'GET', url, headers: { accept: 'application/taxii+json;version=2.1', authorization: `Basic ${Buffer.from(`${plUser}:polish-password-1`).toString('base64')}` },
    });
    const base = `/taxii2/default/collections/${node.intelId}`;
    const manifest = await taxii(`${base}/manifest/`);
    expect(manifest.statusCode).toBe(200);
    const listed = (manifest.json().objects as Array<{ id: string }>).map((o) => o.id);
    expect(listed).toContain(green['id']);
    expect(listed).not.toContain(red['id']);
    expect((await taxii(`${base}/objects/${red['id'] as string}/versions/`)).statusCode).toBe(404);
    expect((await taxii(`${base}/objects/${red['id'] as string}/`)).statusCode).toBe(404);
    expect((await taxii(`${base}/objects/${green['id'] as string}/versions/`)).json()).toMatchObject({ versions: [green['modified']] });
  });

  it('logs every decision about data that left the node, with the agreement and the reason', async () => {
    const res = await node.call('bob', { method: 'GET', url: `/api/v1/decisions?recipient=user:${plUser}&object=${red['id'] as string}` });
    expect(res.statusCode).toBe(200);
    const records = res.json().records as Array<Record<string, unknown>>;
    expect(records.length).toBeGreaterThan(0);
    expect(records.at(-1)).toMatchObject({ outcome: 'deny', reason: 'tlp-ceiling', recipient: `user:${plUser}` });
    const allowed = await node.call('bob', { method: 'GET', url: `/api/v1/decisions?recipient=user:${plUser}&outcome=allow` });
    expect(allowed.json().records[0]).toMatchObject({ agreementId: 'deu-pol', agreementVersion: 2 });
    expect((await node.call('alice', { method: 'GET', url: '/api/v1/decisions' })).statusCode).toBe(403);
    // The same facts, and the agreement's changes, are in the ledger no party can rewrite.
    const size = (await node.store.getLedgerState()).size;
    const entries = (await node.store.readLedgerEntries(0, size)).map((e) => readLedgerEntry(JSON.parse(e.entry)));
    expect(new Set(entries.map((e) => e.kind))).toEqual(new Set(['agreement-change', 'decisions-v2']));
    const reads = entries.filter((e): e is DecisionsV2Entry => e.kind === 'decisions-v2' && e.recipient === `user:${plUser}` && e.channel === 'rest');
    expect(reads.map(decisionItemsOf)).toContainEqual([expect.objectContaining({ objectId: red['id'], outcome: 'deny', reason: 'tlp-ceiling' })]);
  });

  it('keeps every version and says what changed between two', async () => {
    await node.call('bob', { method: 'POST', url: '/api/v1/agreements', payload: { yaml: AGREEMENT.replace('status: draft', 'status: active').replace('tlp: amber', 'tlp: red') } });
    const versions = await node.call('bob', { method: 'GET', url: '/api/v1/agreements/deu-pol/versions' });
    expect(versions.json().map((r: { agreement: { version: number } }) => r.agreement.version)).toEqual([1, 2, 3]);
    const diff = await node.call('bob', { method: 'GET', url: '/api/v1/agreements/deu-pol/diff?from=2&to=3' });
    expect(diff.json()).toEqual([{ path: 'defaultCeiling.tlp', before: 'amber', after: 'red' }]);
    const compare = await node.call('bob', { method: 'POST', url: '/api/v1/agreements/deu-pol/compare', payload: { from: 2, to: 3, party: 'POL' } });
    // The red indicator now goes, and with it the relationship that was held back by it.
    expect(compare.json().outcomes).toEqual([
      { id: red['id'], type: 'indicator', before: 'deny', after: 'allow', reason: 'tlp-ceiling' },
      { id: 'relationship--6e000000-0000-4000-8000-000000000002', type: 'relationship', before: 'deny', after: 'allow', reason: 'endpoint-withheld' },
    ]);
  });

  it('refuses on intake an object whose marking the node does not know, with the path of the marking', async () => {
    const report = await node.intel.ingest(node.intelId, { objects: [indicator({ object_marking_refs: ['marking-definition--2b2b2b2b-0000-4000-8000-000000000001'] })] }, { actor: { name: 'admin' } });
    expect(report.results[0]).toMatchObject({ outcome: 'rejected', errors: [{ path: '$.objects[0].object_marking_refs[0]', code: 'label-refused', message: expect.stringContaining('not a marking-definition this node knows') }] });
  });

  it('refuses on intake a marking-definition whose name reads as another label than the one it carries', async () => {
    const [secret] = markingsForLabel(parseBanner('NATO SECRET', { policies: CLASSIFICATION_POLICIES }), CLASSIFICATION_POLICIES).definitions;
    const misnamed = { ...secret, name: 'TLP:CLEAR' };
    const report = await node.intel.ingest(node.intelId, { objects: [misnamed] }, { actor: { name: 'admin' } });
    expect(report.results[0]).toMatchObject({ outcome: 'rejected', errors: [{ path: '$.objects[0].name', code: 'label-refused', message: expect.stringMatching(/reads as TLP:CLEAR, but the definition carries NATO SECRET/) }] });
    // A free-text name, and the name Entente gives it, are both accepted.
    const described = await node.intel.ingest(node.intelId, { objects: [{ ...secret, name: 'Classified by the national authority' }] }, { actor: { name: 'admin' } });
    expect(described.rejected).toBe(0);
  });

  it('checks a profile and reads banners', async () => {
    const bad = await node.call('admin', { method: 'PUT', url: '/api/v1/users/alice/profile', payload: { clearances: ['NATO SORT-OF-SECRET'], nationality: 'Germany' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.map((d: { path: string }) => d.path)).toEqual(['nationality', 'clearances[0]']);
    const parsed = await node.call('alice', { method: 'POST', url: '/api/v1/labels/parse', payload: { banner: 'nato restricted//rel to nato' } });
    expect(parsed.json()).toMatchObject({ banner: 'NATO RESTRICTED // REL TO NATO', markings: { refs: [expect.stringMatching(/^marking-definition--/)] } });
    expect((await node.call('alice', { method: 'POST', url: '/api/v1/labels/parse', payload: { banner: 'NATO RESTRICTED // REL TO' } })).statusCode).toBe(422);
    // A bare level names no policy: refused alone, read with the policy the caller gives.
    expect((await node.call('alice', { method: 'POST', url: '/api/v1/labels/parse', payload: { banner: 'SECRET//REL TO USA, GBR' } })).statusCode).toBe(422);
    const us = await node.call('alice', { method: 'POST', url: '/api/v1/labels/parse', payload: { banner: 'SECRET//REL TO USA, GBR', defaultPolicy: 'USA' } });
    expect(us.statusCode).toBe(200);
    expect(us.json()).toMatchObject({ label: { classifications: [{ policy: 'USA', level: 'SECRET' }] }, banner: expect.stringMatching(/^SECRET \/\/ REL TO /) });
    expect(PASSWORDS.alice).toBeDefined();
  });
});
