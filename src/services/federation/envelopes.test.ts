import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { FlattenedSign, GeneralEncrypt, importJWK, type JWK } from 'jose';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { FileKeyRing } from '../../adapters/keys/file-key-ring.js';
import { FilePeerKeys } from '../../adapters/keys/file-peer-keys.js';
import { MemoryReplayGuard } from '../../adapters/keys/replay-guards.js';
import { ManualClock } from '../../adapters/system/manual-clock.js';
import type { Envelope, SignedContent } from '../../core/federation/envelope-types.js';
import { EnvelopeService } from './envelopes.js';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const root = mkdtempSync(join(tmpdir(), 'entente-envelopes-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface TestNode {
  readonly code: string;
  readonly keys: FileKeyRing;
  readonly peers: FilePeerKeys;
  readonly envelopes: EnvelopeService;
}

let clock: ManualClock;
let run = 0;

/** Nodes with their own key files, each having pinned the others' public keys as an operator would. */
async function coalition(...codes: string[]): Promise<Record<string, TestNode>> {
  run += 1;
  const nodes: Record<string, TestNode> = {};
  for (const code of codes) {
    const dir = join(root, `${run}-${code}`);
    const keys = new FileKeyRing({ dir, clock, kdfCost: 2 ** 10 });
    const peers = new FilePeerKeys(dir);
    nodes[code] = { code, keys, peers, envelopes: new EnvelopeService({ organisation: code, keys, peers, replay: new MemoryReplayGuard(clock), clock }) };
  }
  for (const node of Object.values(nodes)) await pinAll(node, Object.values(nodes));
  return nodes;
}

async function pinAll(node: TestNode, others: ReadonlyArray<TestNode>): Promise<void> {
  for (const other of others) {
    if (other.code === node.code) continue;
    const set = await other.keys.publicKeySet();
    await node.peers.pin({
      organisation: other.code,
      signing: set.keys.filter((k) => k.use === 'sig'),
      encryption: set.keys.filter((k) => k.use === 'enc'),
      pinnedAt: new Date(clock.now()).toISOString(),
    });
  }
}

function bundle(n = 2): Record<string, unknown> {
  return {
    type: 'bundle',
    id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
    objects: Array.from({ length: n }, (_, i) => ({
      type: 'indicator', spec_version: '2.1', id: `indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd${String(i).padStart(2, '0')}`,
      created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', name: `beacon ${i}`,
      pattern: `[ipv4-addr:value = '198.51.100.${i}']`, pattern_type: 'stix', valid_from: '2026-01-01T00:00:00Z',
    })),
  };
}

const inOneDay = (): string => new Date(clock.now() + DAY).toISOString();

async function refusal(run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await run();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

/** Flips one bit of a base64url member: the decoded bytes change, whatever the padding bits. */
function flip(value: string, byte = 0, bit = 0): string {
  const bytes = Buffer.from(value, 'base64url');
  const at = byte % bytes.length;
  bytes[at] = (bytes[at] as number) ^ (1 << bit);
  return bytes.toString('base64url');
}

function decodeJson(b64: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(b64, 'base64url').toString('utf8')) as Record<string, unknown>;
}

beforeEach(() => {
  clock = new ManualClock('2026-05-01T08:00:00.000Z');
});

describe('sealing and opening', () => {
  it('round-trips to one recipient: content, origin, signers and ids', async () => {
    const { DEU, POL } = await coalition('DEU', 'POL');
    const sealed = await DEU!.envelopes.seal({ content: bundle(), recipients: ['POL'], expiresAt: inOneDay() });
    const opened = await POL!.envelopes.open(JSON.parse(JSON.stringify(sealed.envelope)));
    expect(opened).toMatchObject({ id: sealed.id, origin: 'DEU', signers: ['DEU'], created: '2026-05-01T08:00:00.000Z', content: bundle() });
    expect(opened.openedWith).toBe((await POL!.keys.list()).find((k) => k.use === 'enc')?.kid);
    expect(decodeJson(sealed.envelope.protected)).toMatchObject({ enc: 'A256GCM', cty: 'entente-envelope+jws', envelope: sealed.id, origin: 'DEU' });
    const header = decodeJson(opened.signed.signatures[0]!.protected);
    expect(header).toMatchObject({ alg: 'EdDSA', typ: 'entente-envelope+jws', kid: (await DEU!.keys.signingKey()).kid, envelope: sealed.id, origin: 'DEU', signer: 'DEU' });
  });

  it('seals to three recipients at once, each opening with its own key', async () => {
    const nodes = await coalition('DEU', 'POL', 'FRA', 'ITA');
    const sealed = await nodes['DEU']!.envelopes.seal({ content: bundle(3), recipients: ['POL', 'FRA', 'ITA'], expiresAt: inOneDay() });
    expect(sealed.envelope.recipients.map((r) => r.header['alg'])).toEqual(['ECDH-ES+A256KW', 'ECDH-ES+A256KW', 'ECDH-ES+A256KW']);
    for (const code of ['POL', 'FRA', 'ITA']) {
      const opened = await nodes[code]!.envelopes.open(sealed.envelope);
      expect(opened.content.objects).toHaveLength(3);
      expect(opened.origin).toBe('DEU');
    }
  });

  it('signs the RFC 8785 canonical form of the content', async () => {
    const { DEU } = await coalition('DEU');
    const signed = await DEU!.envelopes.sign({ content: { objects: [], id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', type: 'bundle' }, expiresAt: inOneDay() });
    expect(Buffer.from(signed.payload, 'base64url').toString()).toBe('{"id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[],"type":"bundle"}');
  });

  it('refuses to seal to a peer whose keys are not pinned, or content that is not a bundle', async () => {
    const { DEU } = await coalition('DEU');
    expect(await refusal(() => DEU!.envelopes.seal({ content: bundle(), recipients: ['NLD'], expiresAt: inOneDay() }))).toBe('ENTENTE_PEER_KEYS_UNKNOWN');
    expect(await refusal(() => DEU!.envelopes.seal({ content: { type: 'indicator' }, recipients: ['DEU'], expiresAt: inOneDay() }))).toBe('ENTENTE_STIX_INVALID');
    expect(await refusal(() => DEU!.envelopes.seal({ content: bundle(), recipients: ['DEU'], expiresAt: '2026-05-01T07:00:00.000Z' }))).toBe('ENTENTE_INVALID_PARAMETER');
  });
});

describe('refusals', () => {
  it('a node not addressed cannot open the envelope', async () => {
    const { DEU, ITA } = await coalition('DEU', 'POL', 'ITA');
    const sealed = await DEU!.envelopes.seal({ content: bundle(), recipients: ['POL'], expiresAt: inOneDay() });
    expect(await refusal(() => ITA!.envelopes.open(sealed.envelope))).toBe('ENTENTE_ENVELOPE_NOT_FOR_US');
  });

  it('a recipient header naming a kid this node does not have is not for us', async () => {
    const { DEU, POL } = await coalition('DEU', 'POL');
    const { envelope } = await DEU!.envelopes.seal({ content: bundle(), recipients: ['POL'], expiresAt: inOneDay() });
    const renamed = { ...envelope, recipients: envelope.recipients.map((r) => ({ ...r, header: { ...r.header, kid: 'unknown-kid' } })) };
    expect(await refusal(() => POL!.envelopes.open(renamed))).toBe('ENTENTE_ENVELOPE_NOT_FOR_US');
  });

  it('tampered ciphertext, tag, iv, wrapped key or protected header: never opened', async () => {
    const { DEU, POL } = await coalition('DEU', 'POL');
    const { envelope } = await DEU!.envelopes.seal({ content: bundle(), recipients: ['POL'], expiresAt: inOneDay() });
    expect(await refusal(() => POL!.envelopes.open({ ...envelope, ciphertext: flip(envelope.ciphertext, 5) }))).toBe('ENTENTE_ENVELOPE_TAMPERED');
    const header = decodeJson(envelope.protected);
    const rerouted = Buffer.from(JSON.stringify({ ...header, origin: 'FRA' })).toString('base64url');
    expect(await refusal(() => POL!.envelopes.open({ ...envelope, protected: rerouted }))).toBe('ENTENTE_ENVELOPE_TAMPERED');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('ciphertext', 'tag', 'iv', 'encrypted_key'), fc.nat(), fc.integer({ min: 0, max: 7 }), async (member, byte, bit) => {
        const altered: Envelope = member === 'encrypted_key'
          ? { ...envelope, recipients: [{ ...envelope.recipients[0]!, encrypted_key: flip(envelope.recipients[0]!.encrypted_key, byte, bit) }] }
          : { ...envelope, [member]: flip(envelope[member], byte, bit) };
        expect(await refusal(() => POL!.envelopes.open(altered))).toBe('ENTENTE_ENVELOPE_TAMPERED');
      }),
      { numRuns: 40 },
    );
  });

  it('a relay that alters the signed content cannot reseal it without breaking the signature', async () => {
    const { DEU, POL, FRA } = await coalition('DEU', 'POL', 'FRA');
    const { envelope } = await DEU!.envelopes.seal({ content: bundle(), recipients: ['POL'], expiresAt: inOneDay() });
    const opened = await POL!.envelopes.open(envelope);
    const content = decodeJson(opened.signed.payload) as { objects: Array<Record<string, unknown>> };
    content.objects[0]!['name'] = 'benign';
    const forged: SignedContent = { ...opened.signed, payload: Buffer.from(JSON.stringify(content)).toString('base64url') };
    expect(await refusal(async () => FRA!.envelopes.open(await POL!.envelopes.reseal(forged, ['FRA'])))).toBe('ENTENTE_ENVELOPE_TAMPERED');
    const badSignature: SignedContent = { ...opened.signed, signatures: [{ ...opened.signed.signatures[0]!, signature: flip(opened.signed.signatures[0]!.signature, 9) }] };
    expect(await refusal(async () => FRA!.envelopes.open(await POL!.envelopes.reseal(badSignature, ['FRA'])))).toBe('ENTENTE_ENVELOPE_TAMPERED');
  });

  it('a seal whose headers disagree with the signed envelope id or origin is refused', async () => {
    const { DEU, POL } = await coalition('DEU', 'POL');
    const signed = await DEU!.envelopes.sign({ content: bundle(), expiresAt: inOneDay() });
    const polKey = (await POL!.keys.publicKeySet()).keys.find((k) => k.use === 'enc')!;
    const reseal = (header: Record<string, unknown>) => new GeneralEncrypt(Buffer.from(JSON.stringify(signed)))
      .setProtectedHeader({ enc: 'A256GCM', cty: 'entente-envelope+jws', ...header })
      .addRecipient(polKey as JWK).setUnprotectedHeader({ alg: 'ECDH-ES+A256KW', kid: polKey.kid as string }).done().encrypt();
    const id = decodeJson(signed.signatures[0]!.protected)['envelope'];
    expect(await refusal(async () => POL!.envelopes.open(await reseal({ envelope: id, origin: 'FRA' })))).toBe('ENTENTE_ENVELOPE_TAMPERED');
    expect(await refusal(async () => POL!.envelopes.open(await reseal({ envelope: '0b9ce2a4-3a8e-4e37-8a5b-6f0c2a1d9e11', origin: 'DEU' })))).toBe('ENTENTE_ENVELOPE_TAMPERED');
    expect((await POL!.envelopes.open(await reseal({ envelope: id, origin: 'DEU' }))).origin).toBe('DEU');
  });

  it('a signature by a key not pinned for the claimed origin is from an unknown signer', async () => {
    const { POL, ITA } = await coalition('DEU', 'POL', 'ITA');
    // ITA's keys, claiming to be DEU: the kid is ITA's, not pinned for DEU at POL.
    const impostor = new EnvelopeService({ organisation: 'DEU', keys: ITA!.keys, peers: ITA!.peers, replay: new MemoryReplayGuard(clock), clock });
    const { envelope } = await impostor.seal({ content: bundle(), recipients: ['POL'], expiresAt: inOneDay() });
    expect(await refusal(() => POL!.envelopes.open(envelope))).toBe('ENTENTE_ENVELOPE_UNKNOWN_SIGNER');
  });

  it("a signature naming the origin's real kid but made with another key does not verify", async () => {
    const { DEU, POL, ITA } = await coalition('DEU', 'POL', 'ITA');
    const signed = await DEU!.envelopes.sign({ content: bundle(), expiresAt: inOneDay() });
    const header = decodeJson(signed.signatures[0]!.protected);
    const wrongKey = await importJWK((await ITA!.keys.signingKey()).privateJwk as JWK, 'EdDSA');
    const forged = await new FlattenedSign(Buffer.from(signed.payload, 'base64url')).setProtectedHeader(header).sign(wrongKey);
    const envelope = await ITA!.envelopes.reseal({ payload: signed.payload, signatures: [{ protected: forged.protected!, signature: forged.signature }] }, ['POL']);
    expect(await refusal(() => POL!.envelopes.open(envelope))).toBe('ENTENTE_ENVELOPE_TAMPERED');
  });

  it('an expired envelope is refused', async () => {
    const { DEU, POL } = await coalition('DEU', 'POL');
    const { envelope } = await DEU!.envelopes.seal({ content: bundle(), recipients: ['POL'], expiresAt: new Date(clock.now() + HOUR).toISOString() });
    clock.advance(HOUR);
    expect(await refusal(() => POL!.envelopes.open(envelope))).toBe('ENTENTE_ENVELOPE_EXPIRED');
  });

  it('a replayed envelope is refused, also when a relay reseals it', async () => {
    const { DEU, POL, FRA } = await coalition('DEU', 'POL', 'FRA');
    const sealed = await DEU!.envelopes.seal({ content: bundle(), recipients: ['POL', 'FRA'], expiresAt: inOneDay() });
    await POL!.envelopes.open(sealed.envelope);
    expect(await refusal(() => POL!.envelopes.open(sealed.envelope))).toBe('ENTENTE_ENVELOPE_REPLAYED');
    const opened = await FRA!.envelopes.open(sealed.envelope);
    expect(await refusal(async () => POL!.envelopes.open(await FRA!.envelopes.reseal(opened.signed, ['POL'])))).toBe('ENTENTE_ENVELOPE_REPLAYED');
  });

  it('malformed input is refused with the JSON path of the problem', async () => {
    const { POL } = await coalition('POL');
    await expect(POL!.envelopes.open('text')).rejects.toMatchObject({ code: 'ENTENTE_ENVELOPE_MALFORMED', details: [{ path: '$' }] });
    await expect(POL!.envelopes.open({ protected: 'e30', iv: 'a', ciphertext: 'b', tag: 'c', recipients: [{ header: {} }] }))
      .rejects.toMatchObject({ code: 'ENTENTE_ENVELOPE_MALFORMED', details: [{ path: '$.recipients[0].header.kid' }] });
    await expect(POL!.envelopes.open({ protected: 'e30', iv: 'a', ciphertext: 'b', tag: 'c', recipients: [{ header: { kid: 'k' }, encrypted_key: 'x' }] }))
      .rejects.toMatchObject({ code: 'ENTENTE_ENVELOPE_MALFORMED', details: [{ path: '$.protected.enc' }] });
  });
});

describe('relaying, co-signing and rotation', () => {
  it("a relay reseals the same signed content to other recipients and the origin's signature still verifies", async () => {
    const { DEU, POL, FRA } = await coalition('DEU', 'POL', 'FRA');
    const sealed = await DEU!.envelopes.seal({ content: bundle(), recipients: ['POL'], expiresAt: inOneDay() });
    const atPol = await POL!.envelopes.open(sealed.envelope);
    const relayed = await POL!.envelopes.reseal(atPol.signed, ['FRA']);
    expect(decodeJson(relayed.protected)).toMatchObject({ envelope: sealed.id, origin: 'DEU' });
    const atFra = await FRA!.envelopes.open(relayed);
    expect(atFra).toMatchObject({ id: sealed.id, origin: 'DEU', signers: ['DEU'], content: bundle() });
    expect(atFra.signed).toEqual(atPol.signed);
  });

  it('co-signers add their signatures; the recipient verifies every one, the origin first', async () => {
    const { DEU, POL, FRA } = await coalition('DEU', 'POL', 'FRA');
    const signed = await DEU!.envelopes.sign({ content: bundle(), expiresAt: inOneDay() });
    const cosigned = await POL!.envelopes.cosign(signed);
    expect(cosigned.signatures).toHaveLength(2);
    expect(await POL!.envelopes.cosign(cosigned)).toEqual(cosigned);
    const opened = await FRA!.envelopes.open(await POL!.envelopes.reseal(cosigned, ['FRA']));
    expect(opened.signers).toEqual(['DEU', 'POL']);
    expect(decodeJson(cosigned.signatures[1]!.protected)).toMatchObject({ signer: 'POL', origin: 'DEU', envelope: decodeJson(signed.signatures[0]!.protected)['envelope'] });
    const withoutOrigin: SignedContent = { payload: cosigned.payload, signatures: [cosigned.signatures[1]!] };
    expect(await refusal(async () => FRA!.envelopes.open(await POL!.envelopes.reseal(withoutOrigin, ['FRA'])))).toBe('ENTENTE_ENVELOPE_UNKNOWN_SIGNER');
  });

  it('an envelope sealed to a rotated key opens during the overlap period and not after', async () => {
    const { DEU, POL } = await coalition('DEU', 'POL');
    const first = await DEU!.envelopes.seal({ content: bundle(), recipients: ['POL'], expiresAt: new Date(clock.now() + 30 * DAY).toISOString() });
    const second = await DEU!.envelopes.seal({ content: bundle(), recipients: ['POL'], expiresAt: new Date(clock.now() + 30 * DAY).toISOString() });
    await POL!.keys.rotate({ overlapMs: 7 * DAY });
    clock.advance(6 * DAY);
    expect((await POL!.envelopes.open(first.envelope)).id).toBe(first.id);
    clock.advance(2 * DAY);
    expect(await refusal(() => POL!.envelopes.open(second.envelope))).toBe('ENTENTE_ENVELOPE_NOT_FOR_US');
  });

  it("signatures by a peer's overlap key verify once the peer's new key set is pinned", async () => {
    const { DEU, POL } = await coalition('DEU', 'POL');
    const signedBefore = await DEU!.envelopes.sign({ content: bundle(), expiresAt: new Date(clock.now() + 30 * DAY).toISOString() });
    await DEU!.keys.rotate();
    await pinAll(POL!, [DEU!]);
    const old = await POL!.envelopes.open(await DEU!.envelopes.reseal(signedBefore, ['POL']));
    const fresh = await POL!.envelopes.open((await DEU!.envelopes.seal({ content: bundle(), recipients: ['POL'], expiresAt: inOneDay() })).envelope);
    expect([old.origin, fresh.origin]).toEqual(['DEU', 'DEU']);
    expect(decodeJson(old.signed.signatures[0]!.protected)['kid']).not.toBe(decodeJson(fresh.signed.signatures[0]!.protected)['kid']);
  });
});

describe('the release decision on sealing', () => {
  const onlyFirst = async (_code: string, objects: ReadonlyArray<Readonly<Record<string, unknown>>>) => objects.slice(0, 1);

  it('seals what every recipient may receive when they may all receive the same', async () => {
    const { DEU, POL, FRA } = await coalition('DEU', 'POL', 'FRA');
    const sealed = await DEU!.envelopes.seal({ content: bundle(3), recipients: ['POL', 'FRA'], expiresAt: inOneDay(), release: onlyFirst });
    expect((await FRA!.envelopes.open(sealed.envelope)).content.objects.map((o) => o['name'])).toEqual(['beacon 0']);
    expect(sealed.content.objects).toHaveLength(1);
    expect(POL).toBeDefined();
  });

  it('refuses when recipients may receive different objects, saying what each may not', async () => {
    const { DEU } = await coalition('DEU', 'POL', 'FRA');
    const release = async (code: string, objects: ReadonlyArray<Readonly<Record<string, unknown>>>) => (code === 'POL' ? objects : objects.slice(1));
    await expect(DEU!.envelopes.seal({ content: bundle(3), recipients: ['POL', 'FRA'], expiresAt: inOneDay(), release })).rejects.toMatchObject({
      code: 'ENTENTE_ENVELOPE_RELEASE_DIFFERS',
      details: [
        { path: 'POL', message: 'may receive every object as it is' },
        { path: 'FRA', message: 'may not receive 1 object(s) as they are: indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd00' },
      ],
    });
  });

  it('refuses to seal an envelope with nothing the recipients may receive', async () => {
    const { DEU } = await coalition('DEU', 'POL');
    expect(await refusal(() => DEU!.envelopes.seal({ content: bundle(), recipients: ['POL'], expiresAt: inOneDay(), release: async () => [] }))).toBe('ENTENTE_FORBIDDEN');
  });
});
