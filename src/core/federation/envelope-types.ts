import { EntenteError } from '../errors.js';

/**
 * The shapes of an Entente envelope and the checks that need no key: a JWS (RFC 7515, general
 * JSON serialization) by the origin and any co-signers over a STIX bundle, sealed in a JWE
 * (RFC 7516, general JSON serialization) to one or several recipients. Everything here is read
 * from untrusted input, so every member is checked before use and a failure names its JSON path.
 */

/** `typ` of every signature's protected header (RFC 7515 section 4.1.9: a media type without `application/`). */
export const SIGNED_CONTENT_TYPE = 'entente-envelope+jws';

/** The only algorithms an envelope may use: jose is told so, and the headers are checked too. */
export const SIGNATURE_ALG = 'EdDSA';
export const KEY_MANAGEMENT_ALG = 'ECDH-ES+A256KW';
export const CONTENT_ENCRYPTION_ALG = 'A256GCM';

/** The protected header of one signature. `signer` is the organisation that made it; for the origin, `signer === origin`. */
export interface SignatureHeader {
  readonly alg: typeof SIGNATURE_ALG;
  readonly typ: typeof SIGNED_CONTENT_TYPE;
  readonly kid: string;
  /** The envelope id: a UUID, the same in every signature and in the seal. */
  readonly envelope: string;
  readonly origin: string;
  readonly signer: string;
  /** STIX timestamps (RFC 3339, UTC). */
  readonly created: string;
  readonly expires: string;
}

/** The JWE protected header: repeats the envelope id and origin so a relay can route without reading. */
export interface SealHeader {
  readonly enc: typeof CONTENT_ENCRYPTION_ALG;
  readonly cty: typeof SIGNED_CONTENT_TYPE;
  readonly envelope: string;
  readonly origin: string;
}

export interface JwsSignature {
  readonly protected: string;
  readonly signature: string;
  readonly header?: Readonly<Record<string, unknown>>;
}

/**
 * The signed content: the payload is the RFC 8785 canonical JSON of the bundle, base64url-encoded.
 * `proofs`, an extra member of the general JSON serialization (RFC 7515 section 7.2.1 lets
 * implementations ignore members they do not know), carries the origin proofs of the objects
 * (core/federation/origin-proofs.ts). The envelope's signatures do not cover it: each proof is
 * signed by its own origin, and the receiver reads and checks every one.
 */
export interface SignedContent {
  readonly payload: string;
  readonly signatures: ReadonlyArray<JwsSignature>;
  readonly proofs?: ReadonlyArray<unknown>;
}

export interface JweRecipient {
  readonly encrypted_key: string;
  readonly header: Readonly<Record<string, unknown>> & { readonly kid: string };
}

/** A sealed envelope as it travels: a general JSON JWE whose plaintext is a SignedContent. */
export interface Envelope {
  readonly protected: string;
  readonly unprotected?: Readonly<Record<string, unknown>>;
  readonly recipients: ReadonlyArray<JweRecipient>;
  readonly iv: string;
  readonly ciphertext: string;
  readonly tag: string;
  readonly aad?: string;
}

/** A STIX bundle as carried in an envelope: only what the envelope itself relies on is checked here. */
export interface BundleContent {
  readonly type: 'bundle';
  readonly id: string;
  readonly objects: ReadonlyArray<Readonly<Record<string, unknown>>>;
  readonly [key: string]: unknown;
}

/** What `open` returns once every check has passed. */
export interface OpenedEnvelope {
  readonly id: string;
  readonly origin: string;
  /** Every organisation whose signature verified, the origin first. */
  readonly signers: ReadonlyArray<string>;
  readonly created: string;
  readonly expires: string;
  readonly content: BundleContent;
  /** The signed content as received, for relaying or co-signing without breaking the origin's signature. */
  readonly signed: SignedContent;
  /** The key of this node that opened it. */
  readonly openedWith: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const ORG_CODE = /^[A-Z0-9][A-Z0-9-]{0,63}$/;

export function isEnvelopeId(value: string): boolean {
  return UUID.test(value);
}

function malformed(path: string, message: string): EntenteError {
  return new EntenteError('ENTENTE_ENVELOPE_MALFORMED', `${path}: ${message}`, [{ path, message }]);
}

function record(value: unknown, path: string): Readonly<Record<string, unknown>> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw malformed(path, 'must be a JSON object');
  return value as Readonly<Record<string, unknown>>;
}

function b64(value: unknown, path: string): string {
  if (typeof value !== 'string' || !BASE64URL.test(value)) throw malformed(path, 'must be a base64url string');
  return value;
}

function text(value: unknown, path: string, pattern?: RegExp, what?: string): string {
  if (typeof value !== 'string' || value === '') throw malformed(path, 'must be a non-empty string');
  if (pattern !== undefined && !pattern.test(value)) throw malformed(path, `must be ${what ?? 'well-formed'}`);
  return value;
}

/** Checks the JSON shape of a sealed envelope (not its cryptography). */
export function parseEnvelope(value: unknown): Envelope {
  const jwe = record(value, '$');
  const recipients = jwe['recipients'];
  if (!Array.isArray(recipients) || recipients.length === 0) throw malformed('$.recipients', 'must be a non-empty array');
  return {
    protected: b64(jwe['protected'], '$.protected'),
    ...(jwe['unprotected'] === undefined ? {} : { unprotected: record(jwe['unprotected'], '$.unprotected') }),
    recipients: recipients.map((r: unknown, i) => {
      const at = `$.recipients[${i}]`;
      const entry = record(r, at);
      const header = record(entry['header'], `${at}.header`);
      text(header['kid'], `${at}.header.kid`);
      return { encrypted_key: b64(entry['encrypted_key'], `${at}.encrypted_key`), header: header as JweRecipient['header'] };
    }),
    iv: b64(jwe['iv'], '$.iv'),
    ciphertext: b64(jwe['ciphertext'], '$.ciphertext'),
    tag: b64(jwe['tag'], '$.tag'),
    ...(jwe['aad'] === undefined ? {} : { aad: b64(jwe['aad'], '$.aad') }),
  };
}

/** Checks the JSON shape of signed content (not its signatures). */
export function parseSignedContent(value: unknown, path = '$'): SignedContent {
  const jws = record(value, path);
  const signatures = jws['signatures'];
  if (!Array.isArray(signatures) || signatures.length === 0) throw malformed(`${path}.signatures`, 'must be a non-empty array');
  return {
    payload: b64(jws['payload'], `${path}.payload`),
    signatures: signatures.map((s: unknown, i) => {
      const at = `${path}.signatures[${i}]`;
      const entry = record(s, at);
      return {
        protected: b64(entry['protected'], `${at}.protected`),
        signature: b64(entry['signature'], `${at}.signature`),
        ...(entry['header'] === undefined ? {} : { header: record(entry['header'], `${at}.header`) }),
      };
    }),
    ...(jws['proofs'] === undefined ? {} : { proofs: proofList(jws['proofs'], `${path}.proofs`) }),
  };
}

/** Each proof is read by the receiver, which refuses only the objects whose proof is wrong. */
function proofList(value: unknown, path: string): ReadonlyArray<unknown> {
  if (!Array.isArray(value)) throw malformed(path, 'must be an array');
  return value;
}

/** Decodes a base64url protected header into its JSON object. */
export function decodeProtectedHeader(encoded: string, path: string): Readonly<Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    throw malformed(path, 'is not base64url-encoded JSON');
  }
  return record(parsed, path);
}

/** Checks one signature's protected header: fixed algorithm and type, a UUID id, codes and timestamps. */
export function parseSignatureHeader(value: Readonly<Record<string, unknown>>, path: string): SignatureHeader {
  if (value['alg'] !== SIGNATURE_ALG) throw malformed(`${path}.alg`, `must be ${SIGNATURE_ALG}`);
  if (value['typ'] !== SIGNED_CONTENT_TYPE) throw malformed(`${path}.typ`, `must be ${SIGNED_CONTENT_TYPE}`);
  const header: SignatureHeader = {
    alg: SIGNATURE_ALG,
    typ: SIGNED_CONTENT_TYPE,
    kid: text(value['kid'], `${path}.kid`),
    envelope: text(value['envelope'], `${path}.envelope`, UUID, 'a UUID'),
    origin: text(value['origin'], `${path}.origin`, ORG_CODE, 'an organisation code'),
    signer: text(value['signer'], `${path}.signer`, ORG_CODE, 'an organisation code'),
    created: text(value['created'], `${path}.created`, TIMESTAMP, 'a UTC timestamp'),
    expires: text(value['expires'], `${path}.expires`, TIMESTAMP, 'a UTC timestamp'),
  };
  if (Date.parse(header.expires) <= Date.parse(header.created)) throw malformed(`${path}.expires`, 'must be after created');
  return header;
}

/** Checks the seal's protected header. */
export function parseSealHeader(value: Readonly<Record<string, unknown>>, path = '$.protected'): SealHeader {
  if (value['enc'] !== CONTENT_ENCRYPTION_ALG) throw malformed(`${path}.enc`, `must be ${CONTENT_ENCRYPTION_ALG}`);
  if (value['cty'] !== SIGNED_CONTENT_TYPE) throw malformed(`${path}.cty`, `must be ${SIGNED_CONTENT_TYPE}`);
  return {
    enc: CONTENT_ENCRYPTION_ALG,
    cty: SIGNED_CONTENT_TYPE,
    envelope: text(value['envelope'], `${path}.envelope`, UUID, 'a UUID'),
    origin: text(value['origin'], `${path}.origin`, ORG_CODE, 'an organisation code'),
  };
}

/** Checks that the content is a STIX bundle; the objects themselves are validated at intake. */
export function parseBundleContent(value: unknown, path = '$'): BundleContent {
  const bundle = record(value, path);
  if (bundle['type'] !== 'bundle') throw malformed(`${path}.type`, 'must be "bundle"');
  text(bundle['id'], `${path}.id`, /^bundle--/, 'a bundle id');
  const objects = bundle['objects'];
  if (!Array.isArray(objects)) throw malformed(`${path}.objects`, 'must be an array');
  objects.forEach((o: unknown, i) => record(o, `${path}.objects[${i}]`));
  return bundle as BundleContent;
}

/** Whether an organisation code is one an envelope may name (upper case letters, digits, hyphens). */
export function isOrganisationCode(value: string): boolean {
  return ORG_CODE.test(value);
}

/**
 * A fingerprint for reading aloud: the key's RFC 7638 thumbprint (itself the SHA-256 of the
 * public JWK's required members) in hexadecimal, upper case, in groups of four.
 */
export function formatFingerprint(thumbprint: string): string {
  const hex = Buffer.from(thumbprint, 'base64url').toString('hex').toUpperCase();
  return (hex.match(/.{1,4}/g) ?? []).join(' ');
}
