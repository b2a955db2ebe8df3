import { EntenteError } from '../errors.js';
import { checkInclusion, inclusionProof, leafHashOfText, MemoryTree, type Hash } from '../ledger/index.js';
import { canonicalJson } from '../stix/canonical-json.js';
import { decodeProtectedHeader, isOrganisationCode, SIGNATURE_ALG } from './envelope-types.js';

/**
 * Origin proofs: what lets a node that received an object from a relay check that the object's
 * origin released exactly this version of it, with the origin's pinned key, however many nodes
 * passed it on.
 *
 * The origin does not sign each object: it signs one **batch**, a compact JWS (RFC 7515 section
 * 7.1) over the RFC 9162 Merkle root of the objects it sends in one envelope, each leaf
 * SHA-256(0x00 ‖ RFC 8785 canonical JSON of the object). An object's proof is that batch and
 * the object's audit path in it. One signature per envelope instead of one per object, and a
 * relay can pass on any subset: each object's proof stands alone, and reveals of the others
 * only their hashes and how many there were.
 */

/** `typ` of a batch's protected header. */
export const ORIGIN_BATCH_TYPE = 'entente-origin+jws';

/** What the origin signs: the root of the objects it released in one envelope. */
export interface OriginBatch {
  readonly origin: string;
  /** base64url of the RFC 9162 Merkle tree hash. */
  readonly root: string;
  readonly size: number;
  /** STIX timestamp of the signature. */
  readonly created: string;
}

/** The protected header of a batch: EdDSA, the type, the origin's key id and the origin. */
export interface OriginBatchHeader {
  readonly alg: typeof SIGNATURE_ALG;
  readonly typ: typeof ORIGIN_BATCH_TYPE;
  readonly kid: string;
  readonly origin: string;
}

/** The origin's proof for one object version, as carried in envelopes and kept by the store. */
export interface OriginProof {
  readonly id: string;
  /** `modified`, else `created`, of the object version covered. */
  readonly version: string;
  readonly origin: string;
  /** The batch: a compact JWS made by the origin over an OriginBatch. */
  readonly batch: string;
  readonly index: number;
  /** The audit path, nearest sibling first, each hash in base64url. */
  readonly path: ReadonlyArray<string>;
}

/** A batch read from its compact JWS, not yet verified. */
export interface ReadBatch {
  readonly header: OriginBatchHeader;
  readonly body: OriginBatch;
  readonly signingInput: string;
  readonly signature: string;
}

/** Why an onward object was refused, as written in the receipt. */
export type OriginProofFailure = 'origin-proof-missing' | 'origin-proof-invalid' | 'origin-proof-unknown-key';

const COMPACT = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/;
const BASE64URL_HASH = /^[A-Za-z0-9_-]{43}$/;

function malformed(path: string, message: string): EntenteError {
  return new EntenteError('ENTENTE_ENVELOPE_MALFORMED', `${path}: ${message}`, [{ path, message }]);
}

/** The leaf hash of an object version: SHA-256(0x00 ‖ canonical JSON). */
export function objectLeaf(object: Readonly<Record<string, unknown>>): Hash {
  return leafHashOfText(canonicalJson(object));
}

/** The tree over the objects, in order: its root, and a function giving each object's audit path. */
export function batchTree(leaves: ReadonlyArray<Hash>): { readonly root: Hash; pathOf(index: number): ReadonlyArray<string> } {
  const tree = MemoryTree.of(leaves);
  return { root: tree.root(), pathOf: (index) => inclusionProof(tree, index).map((h) => Buffer.from(h).toString('base64url')) };
}

/**
 * The object version a proof covers: `modified`, else `created`, else (objects that are not
 * versioned, such as most SCOs) the epoch, as the store's version (TAXII 2.1 section 3.6).
 */
export function proofVersionOf(object: Readonly<Record<string, unknown>>): string {
  const v = object['modified'] ?? object['created'];
  return typeof v === 'string' ? v : '1970-01-01T00:00:00.000Z';
}

/** Reads a compact batch JWS (shape only): the signature is checked by the caller with the origin's key. */
export function readBatch(jws: string, path = '$.batch'): ReadBatch {
  const m = COMPACT.exec(jws);
  if (m === null) throw malformed(path, 'must be a compact JWS (three base64url parts)');
  const [, protectedPart, payloadPart, signature] = m as unknown as [string, string, string, string];
  const h = decodeProtectedHeader(protectedPart, `${path}.protected`);
  if (h['alg'] !== SIGNATURE_ALG) throw malformed(`${path}.protected.alg`, `must be ${SIGNATURE_ALG}`);
  if (h['typ'] !== ORIGIN_BATCH_TYPE) throw malformed(`${path}.protected.typ`, `must be ${ORIGIN_BATCH_TYPE}`);
  if (typeof h['kid'] !== 'string' || h['kid'] === '') throw malformed(`${path}.protected.kid`, 'must be a non-empty string');
  if (typeof h['origin'] !== 'string' || !isOrganisationCode(h['origin'])) throw malformed(`${path}.protected.origin`, 'must be an organisation code');
  const b = decodeProtectedHeader(payloadPart, `${path}.payload`);
  if (b['origin'] !== h['origin']) throw malformed(`${path}.payload.origin`, 'must be the origin named in the protected header');
  if (typeof b['root'] !== 'string' || !BASE64URL_HASH.test(b['root'])) throw malformed(`${path}.payload.root`, 'must be a base64url SHA-256 hash');
  if (typeof b['size'] !== 'number' || !Number.isSafeInteger(b['size']) || b['size'] < 1) throw malformed(`${path}.payload.size`, 'must be a whole number >= 1');
  if (typeof b['created'] !== 'string') throw malformed(`${path}.payload.created`, 'must be a timestamp');
  return {
    header: { alg: SIGNATURE_ALG, typ: ORIGIN_BATCH_TYPE, kid: h['kid'], origin: h['origin'] },
    body: { origin: h['origin'], root: b['root'], size: b['size'], created: b['created'] },
    signingInput: `${protectedPart}.${payloadPart}`,
    signature,
  };
}

/** Checks the JSON shape of one proof as received; `path` names it in errors. */
export function readOriginProof(value: unknown, path: string): OriginProof {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw malformed(path, 'must be a JSON object');
  const p = value as Record<string, unknown>;
  for (const key of ['id', 'version', 'origin', 'batch'] as const) {
    if (typeof p[key] !== 'string' || p[key] === '') throw malformed(`${path}.${key}`, 'must be a non-empty string');
  }
  if (typeof p['index'] !== 'number' || !Number.isSafeInteger(p['index']) || p['index'] < 0) throw malformed(`${path}.index`, 'must be a whole number >= 0');
  const hops = p['path'];
  if (!Array.isArray(hops) || hops.length > 64 || !hops.every((h) => typeof h === 'string' && BASE64URL_HASH.test(h))) {
    throw malformed(`${path}.path`, 'must be an array of at most 64 base64url SHA-256 hashes');
  }
  return { id: p['id'] as string, version: p['version'] as string, origin: p['origin'] as string, batch: p['batch'] as string, index: p['index'], path: hops as string[] };
}

/**
 * Whether the proof covers exactly this object version under the batch's root (the batch's
 * signature is checked apart, once per batch). A failure says why, for the log.
 */
export function checkObjectInBatch(proof: OriginProof, batch: OriginBatch, object: Readonly<Record<string, unknown>>): { readonly holds: boolean; readonly reason?: string } {
  if (proof.id !== object['id'] || proof.version !== proofVersionOf(object)) return { holds: false, reason: `the proof is for ${proof.id} version ${proof.version}` };
  if (proof.origin !== batch.origin) return { holds: false, reason: `the proof names ${proof.origin}, its batch ${batch.origin}` };
  const check = checkInclusion(objectLeaf(object), proof.index, batch.size, proof.path.map((h) => Buffer.from(h, 'base64url')), Buffer.from(batch.root, 'base64url'));
  return check.holds ? { holds: true } : { holds: false, reason: `the object is not the one the origin signed: ${check.reason}` };
}
