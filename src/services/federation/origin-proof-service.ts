/**
 * Origin proofs on the federation paths (see core/federation/origin-proofs.ts for what is
 * signed). Sending: this node signs one batch over the objects it originates in an envelope, and
 * passes on unchanged the proof it holds for each object another node originated; an object of
 * another origin with no proof that covers it as it goes (never received with one, or redacted
 * on the way) is withheld. Receiving: an onward object, one whose origin is neither the sender
 * nor this node, is taken only with a proof that verifies against its origin's pinned key.
 */
import { createPrivateKey, createPublicKey, sign, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { isEntenteError } from '../../core/errors.js';
import {
  batchTree, checkObjectInBatch, objectLeaf, ORIGIN_BATCH_TYPE, proofVersionOf, readBatch, readOriginProof,
  type OriginBatch, type OriginProof, type OriginProofFailure,
} from '../../core/federation/origin-proofs.js';
import { SIGNATURE_ALG } from '../../core/federation/envelope-types.js';
import { canonicalJson } from '../../core/stix/canonical-json.js';
import { stixNow, type Clock } from '../../ports/clock.js';
import type { Jwk, KeyRing, PeerKeyDirectory } from '../../ports/key-ring.js';
import type { OriginProofStore, StoredOriginProof } from '../../ports/origin-proof-store.js';

type StixObject = Readonly<Record<string, unknown>>;

/** The organisation (code) that originated an object, from its `created_by_ref`; undefined when the directory does not know the author. */
export type OriginOf = (object: StixObject) => string | undefined;

/** Why an object was not sent: no proof of its origin held, or the proof does not cover it as released (redacted). */
export type WithheldReason = 'origin-proof-unavailable' | 'redacted-onward';

export interface ProvenContent {
  readonly objects: ReadonlyArray<StixObject>;
  readonly proofs: ReadonlyArray<OriginProof>;
  readonly withheld: ReadonlyArray<{ readonly id: string; readonly origin: string; readonly reason: WithheldReason }>;
}

/** The outcome of checking one received object: fine, or refused with the reason and what was wrong. */
export type ProofCheck = { readonly ok: true; readonly proof?: OriginProof } | { readonly ok: false; readonly reason: OriginProofFailure; readonly detail: string };

export interface OriginProofServiceDeps {
  readonly organisation: string;
  readonly keys: KeyRing;
  readonly peers: PeerKeyDirectory;
  readonly clock: Clock;
  readonly store: OriginProofStore;
}

export class OriginProofService {
  readonly #deps: OriginProofServiceDeps;
  readonly #keyObjects = new Map<string, KeyObject>();

  constructor(deps: OriginProofServiceDeps) {
    this.#deps = deps;
  }

  /**
   * The objects that may go to `recipients` with a proof of origin each: this node's own in one
   * new batch, other origins' with the proof held for them. An object of another origin goes
   * without a proof only to that origin alone (its own data coming back).
   */
  async prove(recipients: ReadonlyArray<string>, objects: ReadonlyArray<StixObject>, originOf: OriginOf): Promise<ProvenContent> {
    const me = this.#deps.organisation;
    const foreign = objects.filter((o) => { const origin = originOf(o); return origin !== undefined && origin !== me; });
    const held = foreign.length === 0 ? [] : await this.#deps.store.getOriginProofs(foreign.map((o) => ({ id: String(o['id']), version: proofVersionOf(o) })));
    const byVersion = new Map(held.map((p) => [`${p.id}|${p.version}`, p]));
    const kept: StixObject[] = [];
    const own: StixObject[] = [];
    const passed: OriginProof[] = [];
    const withheld: Array<ProvenContent['withheld'][number]> = [];
    for (const o of objects) {
      const origin = originOf(o);
      if (origin === undefined || origin === me) {
        own.push(o);
        kept.push(o);
        continue;
      }
      const proof = byVersion.get(`${String(o['id'])}|${proofVersionOf(o)}`);
      if (proof !== undefined && proof.origin === origin && this.#covers(proof, o)) {
        const { receivedFrom: _from, receivedAt: _at, ...asSigned } = proof;
        passed.push(asSigned);
        kept.push(o);
      } else if (recipients.length === 1 && recipients[0] === origin) {
        kept.push(o);
      } else {
        withheld.push({ id: String(o['id']), origin, reason: proof === undefined ? 'origin-proof-unavailable' : 'redacted-onward' });
      }
    }
    return { objects: kept, proofs: [...(await this.attest(own)), ...passed], withheld };
  }

  /** Signs one batch over the objects as their origin; one proof per object, in order. */
  async attest(objects: ReadonlyArray<StixObject>): Promise<ReadonlyArray<OriginProof>> {
    if (objects.length === 0) return [];
    const tree = batchTree(objects.map((o) => objectLeaf(o)));
    const key = await this.#deps.keys.signingKey();
    const origin = this.#deps.organisation;
    const body: OriginBatch = { origin, root: Buffer.from(tree.root).toString('base64url'), size: objects.length, created: stixNow(this.#deps.clock) };
    const head = Buffer.from(JSON.stringify({ alg: SIGNATURE_ALG, typ: ORIGIN_BATCH_TYPE, kid: key.kid, origin })).toString('base64url');
    const input = `${head}.${Buffer.from(canonicalJson(body)).toString('base64url')}`;
    const signature = sign(null, Buffer.from(input), this.#keyObject(`private:${key.kid}`, key.privateJwk, true)).toString('base64url');
    const batch = `${input}.${signature}`;
    return objects.map((o, index) => ({ id: String(o['id']), version: proofVersionOf(o), origin, batch, index, path: tree.pathOf(index) }));
  }

  /**
   * Checks each received object against the proofs that came with it. An object whose origin is
   * the sender, this node or outside the directory needs none (the sender vouches for it), but a
   * proof given for it must hold all the same. Each batch's signature is verified once.
   */
  async check(sender: string, objects: ReadonlyArray<StixObject>, rawProofs: unknown, originOf: OriginOf): Promise<ReadonlyArray<ProofCheck>> {
    const proofs = new Map<string, OriginProof | Error>();
    if (Array.isArray(rawProofs)) {
      rawProofs.forEach((raw: unknown, i) => {
        try {
          const p = readOriginProof(raw, `$.proofs[${i}]`);
          proofs.set(`${p.id}|${p.version}`, p);
        } catch (error) {
          if (!isEntenteError(error)) throw error;
          const r = raw as { id?: unknown; version?: unknown } | null;
          if (typeof r?.id === 'string' && typeof r.version === 'string') proofs.set(`${r.id}|${r.version}`, error);
        }
      });
    }
    const batches = new Map<string, Promise<{ batch: OriginBatch } | { failure: Exclude<ProofCheck, { ok: true }> }>>();
    const results: ProofCheck[] = [];
    for (const o of objects) {
      const origin = originOf(o) ?? sender;
      const proof = proofs.get(`${String(o['id'])}|${proofVersionOf(o)}`);
      const vouched = origin === sender || origin === this.#deps.organisation;
      if (proof === undefined) {
        results.push(vouched ? { ok: true } : { ok: false, reason: 'origin-proof-missing', detail: `${String(o['id'])} was originated by ${origin} and came from ${sender} without ${origin}'s proof` });
        continue;
      }
      if (proof instanceof Error) {
        results.push({ ok: false, reason: 'origin-proof-invalid', detail: proof.message });
        continue;
      }
      if (proof.origin !== origin) {
        results.push({ ok: false, reason: 'origin-proof-invalid', detail: `${proof.id} was originated by ${origin}, its proof names ${proof.origin}` });
        continue;
      }
      let pending = batches.get(proof.batch);
      if (pending === undefined) {
        pending = this.#verifyBatch(proof.batch, origin);
        batches.set(proof.batch, pending);
      }
      const verified = await pending;
      if ('failure' in verified) {
        results.push(verified.failure);
        continue;
      }
      const inBatch = checkObjectInBatch(proof, verified.batch, o);
      results.push(inBatch.holds ? { ok: true, proof } : { ok: false, reason: 'origin-proof-invalid', detail: `${proof.id}: ${inBatch.reason ?? ''}` });
    }
    return results;
  }

  /** Keeps the proofs of objects taken in, with who delivered them. */
  async keep(proofs: ReadonlyArray<OriginProof>, receivedFrom: string): Promise<void> {
    if (proofs.length === 0) return;
    const receivedAt = stixNow(this.#deps.clock);
    await this.#deps.store.putOriginProofs(proofs.map((p): StoredOriginProof => ({ ...p, receivedFrom, receivedAt })));
  }

  /** Whether a held proof covers the object as it is about to go (not redacted since). */
  #covers(proof: OriginProof, object: StixObject): boolean {
    try {
      return checkObjectInBatch(proof, readBatch(proof.batch).body, object).holds;
    } catch {
      return false;
    }
  }

  async #verifyBatch(jws: string, origin: string): Promise<{ batch: OriginBatch } | { failure: Exclude<ProofCheck, { ok: true }> }> {
    let read;
    try {
      read = readBatch(jws);
    } catch (error) {
      return { failure: { ok: false, reason: 'origin-proof-invalid', detail: (error as Error).message } };
    }
    if (read.header.origin !== origin) return { failure: { ok: false, reason: 'origin-proof-invalid', detail: `the batch is signed for ${read.header.origin}, the object was originated by ${origin}` } };
    const jwk = (await this.#signingKeysOf(origin)).find((k) => k.kid === read.header.kid);
    if (jwk === undefined) return { failure: { ok: false, reason: 'origin-proof-unknown-key', detail: `the batch names key ${read.header.kid}, which is not pinned for ${origin}` } };
    let holds: boolean;
    try {
      holds = verify(null, Buffer.from(read.signingInput), this.#keyObject(`public:${read.header.kid}`, jwk, false), Buffer.from(read.signature, 'base64url'));
    } catch {
      holds = false;
    }
    return holds ? { batch: read.body } : { failure: { ok: false, reason: 'origin-proof-invalid', detail: `the batch signature does not verify against ${origin}'s key ${read.header.kid}: the proof was altered` } };
  }

  /** The origin's pinned signing keys (this node's own for its own data), none once the pinning expired. */
  async #signingKeysOf(organisation: string): Promise<ReadonlyArray<Jwk>> {
    if (organisation === this.#deps.organisation) return (await this.#deps.keys.publicKeySet()).keys.filter((k) => k.use === 'sig');
    const peer = await this.#deps.peers.get(organisation);
    if (peer === undefined || (peer.validUntil !== undefined && Date.parse(peer.validUntil) <= this.#deps.clock.now())) return [];
    return peer.signing;
  }

  /** Keys are imported once: a JWK's kid is its thumbprint, so the kid names exactly one key. */
  #keyObject(name: string, jwk: Jwk, isPrivate: boolean): KeyObject {
    let key = this.#keyObjects.get(name);
    if (key === undefined) {
      const input = { key: { ...jwk } as JsonWebKey, format: 'jwk' as const };
      key = isPrivate ? createPrivateKey(input) : createPublicKey(input);
      this.#keyObjects.set(name, key);
    }
    return key;
  }
}

/** Who originated an object, by its `created_by_ref`, from the directory's identities. */
export function originsFrom(byIdentity: ReadonlyMap<string, { readonly code: string }>): OriginOf {
  return (object) => {
    const author = object['created_by_ref'];
    return typeof author === 'string' ? byIdentity.get(author)?.code : undefined;
  };
}
