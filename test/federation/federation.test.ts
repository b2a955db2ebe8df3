import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TLP2_MARKING_DEFINITIONS } from '../../src/core/labels/index.js';
import { agree, link, MEMBERS, removeDir, startMember, type CoalitionNode } from './coalition-nodes.js';

/**
 * Three sovereign nodes (Germany, Poland, France) on loopback, sharing under one multilateral
 * agreement with ceilings per party: what goes where, what is refused on arrival and why, and
 * recovery after a peer or the sender was down.
 */
const NATO = `
agreement: nato-cti
title: NATO CTI exchange (test)
status: active
parties: [DEU, POL, FRA]
valid: { from: 2026-01-01T00:00:00Z }
ceiling: { tlp: amber, classification: NATO RESTRICTED }
ceilings:
  FRA: { tlp: green }
`;
const TLP = (level: keyof typeof TLP2_MARKING_DEFINITIONS) => TLP2_MARKING_DEFINITIONS[level].id;
let n = 0;
const indicator = (tlp: keyof typeof TLP2_MARKING_DEFINITIONS, name = `indicator ${++n}`): Record<string, unknown> & { id: string } => ({
  type: 'indicator', spec_version: '2.1', id: `indicator--7e000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`,
  created: '2026-11-01T00:00:00.000Z', modified: '2026-11-01T00:00:00.000Z', name, pattern: `[domain-name:value = 'c2-${n}.example.org']`,
  pattern_type: 'stix', valid_from: '2026-11-01T00:00:00.000Z', object_marking_refs: [TLP(tlp)], created_by_ref: MEMBERS[0]?.id,
});

let deu: CoalitionNode;
let pol: CoalitionNode;
let fra: CoalitionNode;
const ingest = async (at: CoalitionNode, objects: ReadonlyArray<Record<string, unknown>>) => {
  const report = await at.node.intel.ingest(at.intelId, { objects }, { actor: { name: 'admin' } });
  expect(report.rejected).toBe(0);
};
const has = async (at: CoalitionNode, id: string) => (await at.node.store.getLatest(id)) !== undefined;

beforeAll(async () => {
  [deu, pol, fra] = await Promise.all(['DEU', 'POL', 'FRA'].map((c) => startMember(c))) as [CoalitionNode, CoalitionNode, CoalitionNode];
  await agree([deu, pol, fra], NATO);
  await link(deu, pol);
  await link(deu, fra);
}, 60_000);
afterAll(async () => {
  for (const x of [deu, pol, fra]) {
    await x.close();
    removeDir(x.dir);
  }
});

describe('federation between three nodes', () => {
  it('pushes to each peer exactly what the agreement lets it receive, proven by signed receipts', async () => {
    const green = indicator('green');
    const amber = indicator('amber');
    const red = indicator('red');
    await ingest(deu, [green, amber, red]);
    const reports = await deu.node.federation.pushAll();
    expect(reports.map((r) => [r.peer, r.sent, r.error])).toEqual([['FRA', 1, undefined], ['POL', 2, undefined]]);
    expect([await has(pol, green.id), await has(pol, amber.id), await has(pol, red.id)]).toEqual([true, true, false]);
    expect([await has(fra, green.id), await has(fra, amber.id), await has(fra, red.id)]).toEqual([true, false, false]);
    // What arrived is the origin's object, attributed to it and labelled as it was.
    expect(await pol.node.store.getLatest(amber.id)).toMatchObject({ created_by_ref: MEMBERS[0]?.id, object_marking_refs: [TLP('amber')] });
    const state = (await deu.node.federation.status()).find((s) => s.link.code === 'POL')?.state;
    expect(state).toMatchObject({ sentEnvelopes: 1, sentObjects: 2, failures: 0 });
    const ledger = await deu.node.store.getLedgerState();
    expect(ledger.size).toBeGreaterThan(0);
    const admin = (await deu.node.accounts.createToken('admin')).token;
    const peers = await fetch(`${deu.url}/api/v1/peers`, { headers: { authorization: `Bearer ${admin}` } });
    const listed = await peers.json() as Array<{ link: Record<string, unknown>; state: { sentObjects: number } }>;
    expect(listed.map((p) => [p.link['code'], p.state.sentObjects])).toEqual([['FRA', 1], ['POL', 2]]);
    expect(JSON.stringify(listed)).not.toContain('ent_');
    // The ledger over REST: a signed checkpoint, and a proof an auditor checks offline.
    const api = (path: string, method = 'GET') => fetch(`${deu.url}/api/v1${path}`, { method, headers: { authorization: `Bearer ${admin}` } });
    const checkpoint = await (await api('/ledger/checkpoints', 'POST')).json() as { treeSize: number; note: string };
    expect(checkpoint.note).toMatch(/^entente\/DEU\n\d+\n/);
    const proof = await (await api('/ledger/proofs/inclusion?entry=0')).json() as Record<string, unknown>;
    const { checkProofDocument, readProofDocument } = await import('../../src/core/ledger/index.js');
    expect(checkProofDocument(readProofDocument(proof)).holds).toBe(true);
    expect(await (await api('/ledger')).json()).toMatchObject({ origin: 'entente/DEU', checkpoint: { treeSize: checkpoint.treeSize } });
    const metrics = await (await fetch(`${deu.url}/metrics`)).text();
    expect(metrics).toMatch(/^entente_peer_sent_objects\{peer="POL"\} 2$/m);
    expect(metrics).toMatch(/^entente_peer_failures\{peer="FRA"\} 0$/m);
    expect(metrics).toMatch(/^entente_peer_last_success_timestamp_seconds\{peer="POL"\} \d+/m);
  }, 60_000);

  it('pushes as soon as something is stored, without waiting for the interval', async () => {
    await deu.node.federation.start(60_000, deu.node.changes);
    try {
      const green = indicator('green', 'pushed at once');
      await ingest(deu, [green]);
      const started = Date.now();
      while (!(await has(pol, green.id)) && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 20));
      expect(await has(pol, green.id)).toBe(true);
    } finally {
      await deu.node.federation.stop();
    }
  }, 60_000);

  it('sends nothing again once acknowledged, and sends new versions', async () => {
    const again = await deu.node.federation.pushAll();
    expect(again.every((r) => r.sent === 0 && r.envelopes === 0)).toBe(true);
    const green = indicator('green', 'to be revised');
    await ingest(deu, [green]);
    await deu.node.federation.pushAll();
    const revised = { ...green, modified: '2026-11-02T00:00:00.000Z', revoked: true };
    await ingest(deu, [revised]);
    await deu.node.federation.pushAll();
    expect(await pol.node.store.getLatest(green.id)).toMatchObject({ revoked: true, modified: '2026-11-02T00:00:00.000Z' });
  }, 60_000);

  it('pulls over TAXII as the fallback, with the sender\'s release decision and the receiver\'s checks', async () => {
    // France cannot be pushed to (say, behind a firewall): it pulls from Germany's TAXII server.
    await link(fra, deu);
    await deu.node.collections.grant(deu.intelId, 'node-fra', { canRead: true, canWrite: false });
    const green = indicator('green', 'pulled green');
    const amber = indicator('amber', 'pulled amber');
    await ingest(deu, [green, amber]);
    const pulled = await fra.node.federation.pull('DEU');
    expect(pulled.error).toBeUndefined();
    expect(pulled.refused).toBe(0);
    expect(await has(fra, green.id)).toBe(true);
    expect(await has(fra, amber.id)).toBe(false);
    // Pulling again brings nothing new.
    expect((await fra.node.federation.pull('DEU')).added).toBe(0);
  }, 60_000);

  it('refuses on arrival what a sender pushes above the ceiling, and says why in the receipt', async () => {
    const red = indicator('red');
    const sealed = await deu.node.envelopes.seal({ content: { type: 'bundle', id: 'bundle--7e000000-0000-4000-8000-0000000000aa', objects: [red] }, recipients: ['FRA'], expiresAt: '2030-01-01T00:00:00.000Z' });
    const receipt = await fra.node.federation.receive(sealed.envelope, 'DEU');
    expect(receipt.receipt.results).toEqual([{ id: red.id, version: red['modified'], outcome: 'rejected', reason: 'tlp-ceiling' }]);
    expect(await has(fra, red.id)).toBe(false);
  }, 60_000);

  it('refuses a tampered envelope, a replayed one and one from an account of no peer, over HTTP', async () => {
    const green = indicator('green');
    const sealed = await deu.node.envelopes.seal({ content: { type: 'bundle', id: 'bundle--7e000000-0000-4000-8000-0000000000bb', objects: [green] }, recipients: ['POL'], expiresAt: '2030-01-01T00:00:00.000Z' });
    const token = (await pol.node.accounts.createToken('node-deu')).token;
    const post = (body: unknown, bearer = token) => fetch(`${pol.url}/federation/v1/envelopes`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify(body) });
    const flipped = { ...sealed.envelope, ciphertext: `${sealed.envelope.ciphertext.slice(0, -4)}AAAA` };
    const tampered = await post(flipped);
    expect(tampered.status).toBe(422);
    expect((await tampered.json() as { error: { code: string } }).error.code).toBe('ENTENTE_ENVELOPE_TAMPERED');
    expect((await post(sealed.envelope)).status).toBe(200);
    const replay = await post(sealed.envelope);
    expect(replay.status).toBe(409);
    expect((await replay.json() as { error: { code: string } }).error.code).toBe('ENTENTE_ENVELOPE_REPLAYED');
    const admin = (await pol.node.accounts.createToken('admin')).token;
    expect((await post(sealed.envelope, admin)).status).toBe(403);
  }, 60_000);

  it('opens an envelope carried offline with exactly the online checks, the origin as the sender', async () => {
    const green = indicator('green');
    const red = indicator('red');
    const sealed = await deu.node.envelopes.seal({ content: { type: 'bundle', id: 'bundle--7e000000-0000-4000-8000-0000000000dd', objects: [green, red] }, recipients: ['FRA'], expiresAt: '2030-01-01T00:00:00.000Z' });
    const receipt = await fra.node.federation.receive(JSON.parse(JSON.stringify(sealed.envelope)));
    expect(receipt.receipt).toMatchObject({ sender: 'DEU', origin: 'DEU', receiver: 'FRA' });
    expect(receipt.receipt.results.map((r) => [r.id, r.outcome, r.reason])).toEqual([[green.id, 'added', undefined], [red.id, 'rejected', 'tlp-ceiling']]);
    await expect(fra.node.federation.receive(sealed.envelope)).rejects.toMatchObject({ code: 'ENTENTE_ENVELOPE_REPLAYED' });
  }, 60_000);

  it('refuses an envelope signed by a key not pinned for its origin', async () => {
    const green = indicator('green');
    // France signs and seals to Poland, which has not pinned any key of France's.
    const { readPublicKeySet } = await import('../../src/adapters/keys/index.js');
    const polSet = await readPublicKeySet(await pol.node.keys.ring.publicKeySet(), 'POL');
    await fra.node.keys.peers.pin({ organisation: 'POL', signing: polSet.signing, encryption: polSet.encryption, pinnedAt: '2026-01-01T00:00:00.000Z' });
    const sealed = await fra.node.envelopes.seal({ content: { type: 'bundle', id: 'bundle--7e000000-0000-4000-8000-0000000000cc', objects: [green] }, recipients: ['POL'], expiresAt: '2030-01-01T00:00:00.000Z' });
    await expect(pol.node.federation.receive(sealed.envelope, 'FRA')).rejects.toMatchObject({ code: 'ENTENTE_ENVELOPE_UNKNOWN_SIGNER' });
  }, 60_000);

  it('witnesses the sender\'s ledger: a checkpoint that follows from the last is kept, another history is caught as a fork', async () => {
    const { ledgerSigner, showCheckpoint } = await import('../../src/services/federation/witness.js');
    const { signCheckpoint } = await import('../../src/core/ledger/index.js');
    const witnessed = (await pol.node.store.getPeerState('DEU')) as { witnessed?: { treeSize: number } };
    const size = witnessed.witnessed?.treeSize ?? 0;
    expect(size).toBeGreaterThan(0);
    expect((await deu.node.federation.status()).find((x) => x.link.code === 'POL')?.state.witnessedByPeer).toBe(size);
    // The German ledger grows; the next checkpoint comes with the proof from what Poland saw.
    await ingest(deu, [indicator('green')]);
    await deu.node.federation.push('POL');
    const grown = (await deu.node.store.getLedgerState()).size;
    await expect(pol.node.federation.witnessCheckpoint(await showCheckpoint('DEU', deu.node.store, deu.node.keys.ring, undefined), 'DEU')).rejects.toMatchObject({ code: 'ENTENTE_LEDGER_PROOF_REQUIRED' });
    expect(await pol.node.federation.witnessCheckpoint(await showCheckpoint('DEU', deu.node.store, deu.node.keys.ring, size), 'DEU')).toMatchObject({ witnessedSize: grown });
    // Germany (or whoever holds its key) signs another root for the same size: a fork.
    const forged = signCheckpoint({ origin: 'entente/DEU', treeSize: grown, rootHash: new Uint8Array(32).fill(7) }, [await ledgerSigner('DEU', deu.node.keys.ring)]);
    await expect(pol.node.federation.witnessCheckpoint({ note: forged.note }, 'DEU')).rejects.toMatchObject({ code: 'ENTENTE_LEDGER_FORK' });
    const after = (await pol.node.store.getPeerState('DEU')) as { forks?: Array<{ treeSize: number; notes?: unknown[] }> };
    expect(after.forks).toHaveLength(1);
    expect(after.forks?.[0]).toMatchObject({ treeSize: grown, notes: [expect.any(String), forged.note] });
    // A checkpoint signed by a key not pinned for Germany is refused before any comparison.
    const stranger = signCheckpoint({ origin: 'entente/DEU', treeSize: grown, rootHash: new Uint8Array(32) }, [await ledgerSigner('DEU', fra.node.keys.ring)]);
    await expect(pol.node.federation.witnessCheckpoint({ note: stranger.note }, 'DEU')).rejects.toMatchObject({ code: 'ENTENTE_ENVELOPE_UNKNOWN_SIGNER' });
  }, 60_000);

  it('catches up after the peer was down, and after the sender restarted, with nothing lost or duplicated', async () => {
    const port = Number(new URL(pol.url).port);
    await pol.close();
    const during = [indicator('green'), indicator('amber')];
    await ingest(deu, during);
    const failed = (await deu.node.federation.push('POL'));
    expect(failed.error).toBeDefined();
    const backing = (await deu.node.federation.status()).find((s) => s.link.code === 'POL')?.state;
    expect(backing).toMatchObject({ failures: 1 });
    expect(backing?.nextAttempt).toBeDefined();
    // Poland comes back on the same address; Germany restarts from its data dir meanwhile.
    pol = await startMember('POL', pol.dir, port);
    const dir = deu.dir;
    await deu.close();
    deu = await startMember('DEU', dir);
    const retried = await deu.node.federation.push('POL');
    expect(retried).toMatchObject({ sent: 2, envelopes: 1 });
    for (const o of during) expect(await has(pol, o.id)).toBe(true);
    expect((await deu.node.federation.push('POL')).sent).toBe(0);
    const versions = await pol.node.store.listVersions({ collectionId: pol.intelId, ids: [during[0]?.id ?? ''], versions: ['all'], limit: 10 });
    expect(versions.objects).toHaveLength(1);
  }, 60_000);
});
