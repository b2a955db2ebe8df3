import { randomUUID } from 'node:crypto';
import { FlattenedSign, GeneralEncrypt, flattenedDecrypt, flattenedVerify, importJWK, type FlattenedJWE, type JWK } from 'jose';
import { EntenteError, isEntenteError } from '../../core/errors.js';
import {
  CONTENT_ENCRYPTION_ALG, KEY_MANAGEMENT_ALG, SIGNATURE_ALG, SIGNED_CONTENT_TYPE, decodeProtectedHeader, isEnvelopeId, isOrganisationCode,
  parseBundleContent, parseEnvelope, parseSealHeader, parseSignatureHeader, parseSignedContent,
  type BundleContent, type Envelope, type OpenedEnvelope, type SignatureHeader, type SignedContent,
} from '../../core/federation/envelope-types.js';
import { canonicalJson } from '../../core/stix/canonical-json.js';
import { stixNow, type Clock } from '../../ports/clock.js';
import type { Jwk, KeyRing, PeerKeyDirectory, ReplayGuard } from '../../ports/key-ring.js';

type StixObject = Readonly<Record<string, unknown>>;

/** What one recipient may receive of the objects: the release decision, given by the caller. */
export type ReleaseFilter = (recipient: string, objects: ReadonlyArray<StixObject>) => Promise<ReadonlyArray<StixObject>>;

export interface SignInput {
  /** A STIX bundle. */
  readonly content: unknown;
  /** STIX timestamp after which the envelope is refused. */
  readonly expiresAt: string;
  /** A UUID; one is made when absent. */
  readonly id?: string;
}

export interface SealInput extends SignInput {
  /** Organisation codes; each must have pinned keys (or be this node). */
  readonly recipients: ReadonlyArray<string>;
  /**
   * Applied per recipient before signing. When the recipients may not all receive the same
   * objects the seal is refused (ENTENTE_ENVELOPE_RELEASE_DIFFERS): one envelope carries one
   * content, so the operator seals one envelope per recipient instead.
   */
  readonly release?: ReleaseFilter;
  /**
   * Applied to what every recipient may receive, before signing: the objects that go with a
   * proof of their origin, and those proofs (see origin-proof-service.ts).
   */
  readonly prove?: (recipients: ReadonlyArray<string>, objects: ReadonlyArray<StixObject>) => Promise<{ readonly objects: ReadonlyArray<StixObject>; readonly proofs: ReadonlyArray<unknown> }>;
}

export interface SealedEnvelope {
  readonly id: string;
  readonly envelope: Envelope;
  /** The content as signed (after the release filter). */
  readonly content: BundleContent;
}

/** The signed content after every signature verified against pinned keys. */
export interface VerifiedContent {
  readonly header: SignatureHeader;
  readonly signers: ReadonlyArray<string>;
  readonly content: BundleContent;
}

export interface EnvelopeServiceDeps {
  /** This node's organisation code: the origin of what it signs. */
  readonly organisation: string;
  readonly keys: KeyRing;
  readonly peers: PeerKeyDirectory;
  readonly replay: ReplayGuard;
  readonly clock: Clock;
}

const VERIFY_OPTIONS = { algorithms: [SIGNATURE_ALG] };
const DECRYPT_OPTIONS = { keyManagementAlgorithms: [KEY_MANAGEMENT_ALG], contentEncryptionAlgorithms: [CONTENT_ENCRYPTION_ALG] };

/**
 * Signs content as this node (JWS, general JSON, EdDSA) and seals it to recipients (JWE, general
 * JSON, ECDH-ES+A256KW per recipient, A256GCM); opens what peers sealed to this node with every
 * check in a fixed order: shape, addressed to us, decryption, signatures against pinned keys,
 * expiry, replay. The signature is over the content, not the seal, so a relay can reseal the
 * same signed content to other recipients and the origin's signature still verifies.
 */
export class EnvelopeService {
  readonly #deps: EnvelopeServiceDeps;

  constructor(deps: EnvelopeServiceDeps) {
    this.#deps = deps;
  }

  /** Signs a bundle as the origin. */
  async sign(input: SignInput): Promise<SignedContent> {
    const content = contentOf(input.content);
    const id = input.id ?? randomUUID();
    if (!isEnvelopeId(id)) throw new EntenteError('ENTENTE_INVALID_PARAMETER', `The envelope id must be a UUID, not ${id}`);
    const now = this.#deps.clock.now();
    const expires = Date.parse(input.expiresAt);
    if (Number.isNaN(expires) || expires <= now) throw new EntenteError('ENTENTE_INVALID_PARAMETER', `The expiry must be a time in the future, not ${input.expiresAt}`);
    const payload = new TextEncoder().encode(canonicalJson(content));
    const signature = await this.#signature(payload, { envelope: id, origin: this.#deps.organisation, expires: new Date(expires).toISOString() });
    return { payload: Buffer.from(payload).toString('base64url'), signatures: [signature] };
  }

  /** Adds this node's signature to signed content after verifying the signatures already on it. */
  async cosign(signed: SignedContent): Promise<SignedContent> {
    const verified = await this.verify(signed);
    if (verified.signers.includes(this.#deps.organisation)) return signed;
    const { envelope, origin, expires } = verified.header;
    const signature = await this.#signature(Buffer.from(signed.payload, 'base64url'), { envelope, origin, expires });
    return { payload: signed.payload, signatures: [...signed.signatures, signature] };
  }

  /** Applies the release filter, signs as origin and seals to the recipients. */
  async seal(input: SealInput): Promise<SealedEnvelope> {
    let content = contentOf(input.content);
    const recipients = recipientsOf(input.recipients);
    if (input.release !== undefined) content = { ...content, objects: await releasedToAll(content, recipients, input.release) };
    let proofs: ReadonlyArray<unknown> | undefined;
    if (input.prove !== undefined) {
      const proven = await input.prove(recipients, content.objects);
      if (proven.objects.length === 0) throw new EntenteError('ENTENTE_FORBIDDEN', `None of the ${content.objects.length} object(s) can go to ${recipients.join(', ')} with a proof of its origin`);
      content = { ...content, objects: proven.objects };
      proofs = proven.proofs;
    }
    const id = input.id ?? randomUUID();
    const signed = await this.sign({ content, expiresAt: input.expiresAt, id });
    return { id, envelope: await this.reseal(proofs === undefined || proofs.length === 0 ? signed : { ...signed, proofs }, recipients), content };
  }

  /** Seals signed content (this node's or a peer's) to recipients, leaving its signatures intact. */
  async reseal(signed: SignedContent, recipientCodes: ReadonlyArray<string>): Promise<Envelope> {
    const header = originHeader(parseSignedContent(signed));
    const jwe = new GeneralEncrypt(new TextEncoder().encode(JSON.stringify(signed))).setProtectedHeader({
      enc: CONTENT_ENCRYPTION_ALG, cty: SIGNED_CONTENT_TYPE, envelope: header.envelope, origin: header.origin,
    });
    for (const code of recipientsOf(recipientCodes)) {
      const key = await this.#encryptionKeyOf(code);
      jwe.addRecipient(await importJWK(key as JWK, KEY_MANAGEMENT_ALG)).setUnprotectedHeader({ alg: KEY_MANAGEMENT_ALG, kid: key.kid as string });
    }
    return parseEnvelope(await jwe.encrypt());
  }

  /** Verifies every signature against the signer's pinned keys; the origin's must be among them. */
  async verify(value: SignedContent): Promise<VerifiedContent> {
    const signed = parseSignedContent(value);
    const headers = signed.signatures.map((s, i) => parseSignatureHeader(decodeProtectedHeader(s.protected, `$.signatures[${i}].protected`), `$.signatures[${i}].protected`));
    const first = headers[0] as SignatureHeader;
    const signers: string[] = [];
    for (const [i, header] of headers.entries()) {
      if (header.envelope !== first.envelope || header.origin !== first.origin) {
        throw new EntenteError('ENTENTE_ENVELOPE_TAMPERED', `Signature ${i} is for envelope ${header.envelope} of ${header.origin}, signature 0 for ${first.envelope} of ${first.origin}`);
      }
      const jwk = (await this.#signingKeysOf(header.signer)).find((k) => k.kid === header.kid);
      if (jwk === undefined) {
        throw new EntenteError('ENTENTE_ENVELOPE_UNKNOWN_SIGNER', `Signature ${i} names key ${header.kid}, which is not pinned for ${header.signer}`, [{ path: `$.signatures[${i}].protected.kid`, message: 'not a pinned key of the signer' }]);
      }
      const sig = signed.signatures[i] as SignedContent['signatures'][number];
      try {
        await flattenedVerify({ payload: signed.payload, protected: sig.protected, signature: sig.signature }, await importJWK(jwk as JWK, SIGNATURE_ALG), VERIFY_OPTIONS);
      } catch (error) {
        throw new EntenteError('ENTENTE_ENVELOPE_TAMPERED', `Signature ${i} (${header.signer}, key ${header.kid}) does not verify: the content or the signature was altered`, [], { cause: error });
      }
      signers.push(header.signer);
    }
    const header = originHeader(signed);
    let content: unknown;
    try {
      content = JSON.parse(Buffer.from(signed.payload, 'base64url').toString('utf8'));
    } catch {
      throw new EntenteError('ENTENTE_ENVELOPE_MALFORMED', 'The signed payload is not JSON');
    }
    const ordered = [header.origin, ...signers.filter((s) => s !== header.origin)];
    return { header, signers: [...new Set(ordered)], content: parseBundleContent(content, '$.payload') };
  }

  /** Opens an envelope sealed to this node; every refusal is an EntenteError naming the failed check. */
  async open(value: unknown): Promise<OpenedEnvelope> {
    const envelope = parseEnvelope(value);
    const seal = parseSealHeader(decodeProtectedHeader(envelope.protected, '$.protected'));
    let recipient: { readonly index: number; readonly kid: string; readonly jwk: Jwk } | undefined;
    for (const [index, r] of envelope.recipients.entries()) {
      const key = await this.#deps.keys.decryptionKey(r.header.kid);
      if (key !== undefined) {
        recipient = { index, kid: key.kid, jwk: key.privateJwk };
        break;
      }
    }
    if (recipient === undefined) throw new EntenteError('ENTENTE_ENVELOPE_NOT_FOR_US', `Envelope ${seal.envelope} from ${seal.origin} is not sealed to a current or overlap key of this node`);
    const entry = envelope.recipients[recipient.index] as Envelope['recipients'][number];
    let plaintext: Uint8Array;
    try {
      const flattened: FlattenedJWE = {
        protected: envelope.protected, iv: envelope.iv, ciphertext: envelope.ciphertext, tag: envelope.tag,
        encrypted_key: entry.encrypted_key, header: entry.header,
        ...(envelope.aad === undefined ? {} : { aad: envelope.aad }),
        ...(envelope.unprotected === undefined ? {} : { unprotected: envelope.unprotected }),
      };
      plaintext = (await flattenedDecrypt(flattened, await importJWK(recipient.jwk as JWK, KEY_MANAGEMENT_ALG), DECRYPT_OPTIONS)).plaintext;
    } catch (error) {
      throw new EntenteError('ENTENTE_ENVELOPE_TAMPERED', `Envelope ${seal.envelope} from ${seal.origin} does not decrypt: its ciphertext, headers or key were altered`, [], { cause: error });
    }
    let inner: unknown;
    try {
      inner = JSON.parse(new TextDecoder().decode(plaintext));
    } catch {
      throw new EntenteError('ENTENTE_ENVELOPE_MALFORMED', `Envelope ${seal.envelope}: the sealed content is not JSON`);
    }
    const signed = parseSignedContent(inner);
    const verified = await this.verify(signed);
    const { header } = verified;
    if (header.envelope !== seal.envelope || header.origin !== seal.origin) {
      throw new EntenteError('ENTENTE_ENVELOPE_TAMPERED', `The seal names envelope ${seal.envelope} of ${seal.origin}, the signed content ${header.envelope} of ${header.origin}`);
    }
    const expires = Date.parse(header.expires);
    if (expires <= this.#deps.clock.now()) throw new EntenteError('ENTENTE_ENVELOPE_EXPIRED', `Envelope ${header.envelope} from ${header.origin} expired at ${header.expires}`);
    if (!(await this.#deps.replay.remember(header.envelope, expires))) {
      throw new EntenteError('ENTENTE_ENVELOPE_REPLAYED', `Envelope ${header.envelope} from ${header.origin} was already opened`);
    }
    return {
      id: header.envelope, origin: header.origin, signers: verified.signers, created: header.created, expires: header.expires,
      content: verified.content, signed, openedWith: recipient.kid,
    };
  }

  async #signature(payload: Uint8Array, fields: Pick<SignatureHeader, 'envelope' | 'origin' | 'expires'>): Promise<SignedContent['signatures'][number]> {
    const key = await this.#deps.keys.signingKey();
    const header: SignatureHeader = {
      alg: SIGNATURE_ALG, typ: SIGNED_CONTENT_TYPE, kid: key.kid, ...fields, signer: this.#deps.organisation, created: stixNow(this.#deps.clock),
    };
    const jws = await new FlattenedSign(payload).setProtectedHeader({ ...header }).sign(await importJWK(key.privateJwk as JWK, SIGNATURE_ALG));
    return { protected: jws.protected as string, signature: jws.signature };
  }

  /** This node's own keys verify its own signatures (an envelope relayed back to its origin). */
  async #signingKeysOf(organisation: string): Promise<ReadonlyArray<Jwk>> {
    if (organisation === this.#deps.organisation) return (await this.#deps.keys.publicKeySet()).keys.filter((k) => k.use === 'sig');
    const peer = await this.#deps.peers.get(organisation);
    if (peer === undefined || (peer.validUntil !== undefined && Date.parse(peer.validUntil) <= this.#deps.clock.now())) return [];
    return peer.signing;
  }

  async #encryptionKeyOf(organisation: string): Promise<Jwk> {
    if (organisation === this.#deps.organisation) {
      const own = (await this.#deps.keys.publicKeySet()).keys.find((k) => k.use === 'enc');
      if (own !== undefined) return own;
    }
    const peer = await this.#deps.peers.get(organisation);
    const key = peer?.encryption[0];
    if (peer === undefined || key === undefined) throw new EntenteError('ENTENTE_PEER_KEYS_UNKNOWN', `No keys are pinned for ${organisation}: pin them with entente keys pin ${organisation} FILE`);
    if (peer.validUntil !== undefined && Date.parse(peer.validUntil) <= this.#deps.clock.now()) {
      throw new EntenteError('ENTENTE_PEER_KEYS_UNKNOWN', `The keys pinned for ${organisation} were valid until ${peer.validUntil}: pin its current keys`);
    }
    return key;
  }
}

function contentOf(value: unknown): BundleContent {
  try {
    return parseBundleContent(value);
  } catch (error) {
    if (isEntenteError(error)) throw new EntenteError('ENTENTE_STIX_INVALID', `Only a STIX bundle can be sealed: ${error.message}`, error.details);
    throw error;
  }
}

function recipientsOf(codes: ReadonlyArray<string>): ReadonlyArray<string> {
  const unique = [...new Set(codes)];
  if (unique.length === 0) throw new EntenteError('ENTENTE_INVALID_PARAMETER', 'An envelope needs at least one recipient');
  const bad = unique.filter((c) => !isOrganisationCode(c));
  if (bad.length > 0) throw new EntenteError('ENTENTE_INVALID_PARAMETER', `Not organisation codes: ${bad.join(', ')}`);
  return unique;
}

/** The signature the origin made: the one the envelope's identity, origin and expiry are read from. */
function originHeader(signed: SignedContent): SignatureHeader {
  const headers = signed.signatures.map((s, i) => parseSignatureHeader(decodeProtectedHeader(s.protected, `$.signatures[${i}].protected`), `$.signatures[${i}].protected`));
  const origin = headers.find((h) => h.signer === h.origin);
  if (origin === undefined) throw new EntenteError('ENTENTE_ENVELOPE_UNKNOWN_SIGNER', `No signature is by the origin ${headers[0]?.origin ?? ''}`);
  return origin;
}

/** The objects every recipient may receive, identical for all; otherwise what each may not receive. */
async function releasedToAll(content: BundleContent, recipients: ReadonlyArray<string>, release: ReleaseFilter): Promise<ReadonlyArray<StixObject>> {
  const all = content.objects.map((o) => canonicalJson(o));
  const results = await Promise.all(recipients.map(async (code) => ({ code, objects: await release(code, content.objects) })));
  const shapes = results.map((r) => r.objects.map((o) => canonicalJson(o)));
  const first = results[0] as (typeof results)[number];
  const withheld = results.map((r, i) => {
    const kept = new Set(shapes[i]);
    return { code: r.code, count: all.filter((o) => !kept.has(o)).length, ids: content.objects.filter((_o, j) => !kept.has(all[j] as string)).map((o) => String(o['id'])) };
  });
  const same = shapes.every((s) => s.length === shapes[0]?.length && s.every((o, j) => o === shapes[0]?.[j]));
  if (!same) {
    throw new EntenteError(
      'ENTENTE_ENVELOPE_RELEASE_DIFFERS',
      `${recipients.join(', ')} may not all receive the same objects: seal one envelope per recipient`,
      withheld.map((w) => ({ path: w.code, message: w.count === 0 ? 'may receive every object as it is' : `may not receive ${w.count} object(s) as they are: ${w.ids.slice(0, 10).join(', ')}${w.ids.length > 10 ? ', …' : ''}` })),
    );
  }
  if (first.objects.length === 0) {
    throw new EntenteError('ENTENTE_FORBIDDEN', `None of the ${content.objects.length} object(s) may be released to ${recipients.join(', ')}`);
  }
  return first.objects;
}
