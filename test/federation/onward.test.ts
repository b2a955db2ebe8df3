import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TLP2_MARKING_DEFINITIONS } from '../../src/core/labels/index.js';
import { readBatch, type OriginProof } from '../../src/core/federation/origin-proofs.js';
import type { Envelope } from '../../src/core/federation/envelope-types.js';
import { OriginProofService } from '../../src/services/federation/origin-proof-service.js';
import type { ReceiptResult } from '../../src/services/federation/receipts.js';
import { agree, link, MEMBERS, pin, removeDir, startMember, type CoalitionNode } from './coalition-nodes.js';

/**
 * Onward sharing on three nodes: France shares with Germany, Germany passes France's objects on
 * to Poland, and Poland verifies France's own signature on them with France's pinned key. A
 * proof that was tampered with, one made with a key not pinned for France and a pass-on France's
 * agreement does not allow are each refused and logged; an object Germany must redact cannot
 * carry France's signature and is not passed on.
 */
const [DEU_ID, , FRA_ID] = MEMBERS.map((m) => m.id) as [string, string, string];
const agreement = (onward: boolean) => `
agreement: onward-cti
title: Onward sharing (test)
status: active
parties: [FRA, DEU, POL]
valid: { from: 2026-01-01T00:00:00Z }
ceiling: { tlp: green }
ceilings:
  POL: { tlp: clear }
${onward ? 'onward:\n  DEU: [POL]\n' : ''}`;
const TLP = (level: keyof typeof TLP2_MARKING_DEFINITIONS) => TLP2_MARKING_DEFINITIONS[level].id;
let n = 0;
const indicator = (author: string, over: Record<string, unknown> = {}): Record<string, unknown> & { id: string } => {
  n++;
  return {
    type: 'indicator', spec_version: '2.1', id: `indicator--0f000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
    created: '2026-11-01T00:00:00.000Z', modified: '2026-11-01T00:00:00.000Z', name: `onward ${n}`, pattern: `[domain-name:value = 'relay-${n}.example.org']`,
    pattern_type: 'stix', valid_from: '2026-11-01T00:00:00.000Z', object_marking_refs: [TLP('clear')], created_by_ref: author, ...over,
  };
};

const logs: Array<Record<string, unknown>> = [];
const logger = pino({ level: 'warn' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
let fra: CoalitionNode;
let deu: CoalitionNode;
let pol: CoalitionNode;

const ingest = async (at: CoalitionNode, objects: ReadonlyArray<Record<string, unknown>>) => {
  const report = await at.node.intel.ingest(at.intelId, { objects }, { actor: { name: 'admin' } });
  expect(report.rejected).toBe(0);
};
const has = async (at: CoalitionNode, id: string) => (await at.node.store.getLatest(id)) !== undefined;
const proofOf = async (at: CoalitionNode, o: { id: string; modified?: unknown }): Promise<OriginProof> => {
  const [held] = await at.node.store.getOriginProofs([{ id: o.id, version: String(o.modified) }]);
  if (held === undefined) throw new Error(`no proof held for ${o.id}`);
  const { receivedFrom: _f, receivedAt: _a, ...proof } = held;
  return proof;
};
/** An envelope Germany seals to Poland by hand, with the proofs it chooses. */
const fromGermany = async (objects: ReadonlyArray<Record<string, unknown>>, proofs: ReadonlyArray<unknown>): Promise<Envelope> => {
  const signed = await deu.node.envelopes.sign({ content: { type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects }, expiresAt: new Date(Date.now() + 3600_000).toISOString() });
  return deu.node.envelopes.reseal({ ...signed, proofs }, ['POL']);
};
const resultFor = (results: ReadonlyArray<ReceiptResult>, id: string) => results.find((r) => r.id === id);
const logged = (reason: string, id: string) => logs.some((l) => JSON.stringify(l['refused'] ?? l['withheld'] ?? []).includes(id) && JSON.stringify(l).includes(reason));

beforeAll(async () => {
  [fra, deu, pol] = await Promise.all(['FRA', 'DEU', 'POL'].map((c) => startMember(c, undefined, 0, MEMBERS, logger))) as [CoalitionNode, CoalitionNode, CoalitionNode];
  await agree([fra, deu, pol], agreement(true));
  await link(fra, deu);
  await link(deu, pol);
  // Poland knows France's keys (checked out of band), though France does not push to it.
  await pin(pol, fra);
}, 60_000);
afterAll(async () => {
  for (const x of [fra, deu, pol]) {
    await x.close();
    removeDir(x.dir);
  }
});

describe('onward sharing keeps the origin\'s signature', () => {
  it('lets Poland verify France\'s signature on what Germany passed on, and records France as the origin', async () => {
    const french = indicator(FRA_ID);
    const german = indicator(DEU_ID);
    await ingest(fra, [french]);
    expect((await fra.node.federation.pushAll()).map((r) => [r.peer, r.sent, r.error])).toEqual([['DEU', 1, undefined]]);
    // An object that is not versioned (an SCO) is proven under the epoch as its version.
    const address = { type: 'ipv4-addr', spec_version: '2.1', id: 'ipv4-addr--0f26c055-6336-5bc5-b98d-13d6226742dd', value: '198.51.100.7', object_marking_refs: [TLP('clear')] };
    await ingest(deu, [german, address]);
    expect((await deu.node.federation.pushAll()).map((r) => [r.peer, r.sent, r.withheld, r.error])).toEqual([['POL', 3, 0, undefined]]);
    expect([await has(pol, french.id), await has(pol, german.id), await has(pol, address.id)]).toEqual([true, true, true]);

    // Poland holds France's proof, delivered by Germany, unchanged from what Germany received.
    const [held] = await pol.node.store.getOriginProofs([{ id: french.id, version: String(french.modified) }]);
    expect(held).toMatchObject({ origin: 'FRA', receivedFrom: 'DEU' });
    expect(held?.batch).toBe((await proofOf(deu, french)).batch);
    // Anyone with France's public key checks the batch signature: it is France's, not Germany's.
    const batch = readBatch(held?.batch ?? '');
    const key = (await fra.node.keys.ring.publicKeySet()).keys.find((k) => k.use === 'sig' && k.kid === batch.header.kid);
    expect(key).toBeDefined();
    expect(verify(null, Buffer.from(batch.signingInput), createPublicKey({ key: { ...key } as JsonWebKey, format: 'jwk' }), Buffer.from(batch.signature, 'base64url'))).toBe(true);
    // Germany's own object went under Germany's batch.
    expect(await pol.node.store.getOriginProofs([{ id: german.id, version: String(german.modified) }])).toMatchObject([{ origin: 'DEU', receivedFrom: 'DEU' }]);
  }, 60_000);

  it('refuses an onward object whose proof is missing, tampered with or made by a key not pinned for its origin, and logs each', async () => {
    const objects = [indicator(FRA_ID), indicator(FRA_ID), indicator(FRA_ID), indicator(FRA_ID)] as const;
    await ingest(fra, objects);
    await fra.node.federation.pushAll();
    const [missing, altered, badSignature, forged] = objects;
    const proofs = await Promise.all(objects.map((o) => proofOf(deu, o)));
    // Germany alters France's object (its proof no longer covers it), and breaks a batch signature.
    const alteredObject = { ...altered, name: 'altered on the way' };
    const [head, body, signature] = (proofs[2]?.batch ?? '').split('.') as [string, string, string];
    const flipped = `${head}.${body}.${signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`}`;
    // Germany signs a batch claiming to be France's with its own key.
    const forger = new OriginProofService({ organisation: 'FRA', keys: deu.node.keys.ring, peers: deu.node.keys.peers, clock: deu.node.clock, store: deu.node.store });
    const [forgedProof] = await forger.attest([forged]);
    const envelope = await fromGermany([missing, alteredObject, badSignature, forged], [proofs[1], { ...proofs[2], batch: flipped }, forgedProof]);
    const { receipt } = await pol.node.federation.receive(envelope, 'DEU');
    expect(receipt.results.map((r) => [r.id, r.outcome, r.reason])).toEqual([
      [missing.id, 'rejected', 'origin-proof-missing'],
      [altered.id, 'rejected', 'origin-proof-invalid'],
      [badSignature.id, 'rejected', 'origin-proof-invalid'],
      [forged.id, 'rejected', 'origin-proof-unknown-key'],
    ]);
    for (const o of objects) expect(await has(pol, o.id)).toBe(false);
    expect(logged('origin-proof-missing', missing.id)).toBe(true);
    expect(logged('origin-proof-invalid', altered.id)).toBe(true);
    expect(logged('origin-proof-invalid', badSignature.id)).toBe(true);
    expect(logged('origin-proof-unknown-key', forged.id)).toBe(true);
    // The same objects with France's proofs as they were go in.
    const honest = await pol.node.federation.receive(await fromGermany(objects, proofs), 'DEU');
    expect(honest.receipt.results.map((r) => r.outcome)).toEqual(['added', 'added', 'added', 'added']);
  }, 60_000);

  it('takes the sender\'s own data without another origin\'s proof, and an object of this node\'s own back', async () => {
    const german = indicator(DEU_ID);
    const polish = indicator(MEMBERS[1]?.id ?? '');
    const { receipt } = await pol.node.federation.receive(await fromGermany([german, polish], []), 'DEU');
    expect(receipt.results.map((r) => r.outcome)).toEqual(['added', 'added']);
  });

  it('does not pass on an object Germany must redact: France\'s signature cannot cover the redacted form', async () => {
    // Poland's ceiling is TLP:CLEAR, so Germany would strip the TLP:GREEN description.
    await deu.node.federation.pushAll();
    const marked = indicator(FRA_ID, { description: 'seen at a French operator', granular_markings: [{ marking_ref: TLP('green'), selectors: ['description'] }] });
    await ingest(fra, [marked]);
    await fra.node.federation.pushAll();
    expect(await deu.node.store.getLatest(marked.id)).toHaveProperty('description');
    const [report] = await deu.node.federation.pushAll();
    expect(report).toMatchObject({ peer: 'POL', sent: 0, withheld: 1 });
    expect(report?.error).toBeUndefined();
    expect(await has(pol, marked.id)).toBe(false);
    expect(logged('redacted-onward', marked.id)).toBe(true);
  }, 60_000);

  it('keeps the checks for a bundle carried offline: France\'s proof travels, and a tampered one is refused', async () => {
    const french = indicator(FRA_ID);
    await ingest(fra, [french]);
    await fra.node.federation.pushAll();
    const sealed = await deu.node.federation.seal({ content: { type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects: [await deu.node.store.getLatest(french.id)] }, recipients: ['POL'], expiresAt: new Date(Date.now() + 3600_000).toISOString() });
    const opened = await pol.node.federation.receive(sealed.envelope);
    expect(opened.receipt).toMatchObject({ sender: 'DEU', results: [{ id: french.id, outcome: 'added' }] });
    expect(await pol.node.store.getOriginProofs([{ id: french.id, version: String(french.modified) }])).toMatchObject([{ origin: 'FRA', receivedFrom: 'DEU' }]);

    const another = indicator(FRA_ID);
    await ingest(fra, [another]);
    await fra.node.federation.pushAll();
    const proof = await proofOf(deu, another);
    const signed = await deu.node.envelopes.sign({ content: { type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects: [{ ...another, name: 'changed on the media' }] }, expiresAt: new Date(Date.now() + 3600_000).toISOString() });
    const { receipt } = await pol.node.federation.receive(await deu.node.envelopes.reseal({ ...signed, proofs: [proof] }, ['POL']));
    expect(receipt.results).toEqual([{ id: another.id, version: another.modified, outcome: 'rejected', reason: 'origin-proof-invalid' }]);
  }, 60_000);

  it('passes nothing on where France\'s agreement does not allow it, and Poland refuses what a relay sends regardless', async () => {
    await deu.node.federation.pushAll();
    await agree([fra, deu, pol], agreement(false));
    const french = indicator(FRA_ID);
    await ingest(fra, [french]);
    await fra.node.federation.pushAll();
    expect(await has(deu, french.id)).toBe(true);
    const [report] = await deu.node.federation.pushAll();
    expect(report).toMatchObject({ peer: 'POL', sent: 0, withheld: 1 });
    expect(await has(pol, french.id)).toBe(false);
    // Germany sends it anyway, with France's valid proof: Poland reads France's agreement itself.
    const { receipt } = await pol.node.federation.receive(await fromGermany([french], [await proofOf(deu, french)]), 'DEU');
    expect(resultFor(receipt.results, french.id)).toMatchObject({ outcome: 'rejected', reason: 'onward-not-allowed' });
    expect(await has(pol, french.id)).toBe(false);
    expect(logs.some((l) => l['msg'] === 'refused objects a peer pushed' && JSON.stringify(l['refused']).includes('onward-not-allowed'))).toBe(true);
  }, 60_000);

  it('splits a large round into envelopes of at most 1,000 objects, each with its own batch', async () => {
    const many = Array.from({ length: 1_001 }, () => indicator(FRA_ID));
    await ingest(fra, many);
    const [report] = await fra.node.federation.pushAll();
    expect(report).toMatchObject({ peer: 'DEU', envelopes: 2, sent: 1_001, withheld: 0 });
    const proofs = await deu.node.store.getOriginProofs(many.map((o) => ({ id: o.id, version: String(o.modified) })));
    expect(proofs).toHaveLength(1_001);
    expect(new Set(proofs.map((p) => p.batch)).size).toBe(2);
  }, 120_000);
});
