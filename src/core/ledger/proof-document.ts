import { EntenteError, type ErrorDetail } from '../errors.js';
import { canonicalJson } from '../stix/canonical-json.js';
import { readCheckpointNote } from './checkpoint.js';
import { HASH_SIZE, hashesEqual, leafHash, toBase64, type Hash } from './hashing.js';
import { checkConsistency, checkInclusion, type ProofCheck } from './proofs.js';

/**
 * Proofs as JSON documents, the form handed to an auditor and read back by `entente ledger
 * check-proof`. Hashes are written as standard base64 (as in checkpoints) and read as either
 * base64 (44 characters, padded) or hex (64 characters); the two cannot be confused.
 */
export interface InclusionProofDocument {
  readonly type: 'inclusion';
  readonly treeSize: number;
  readonly rootHash: Hash;
  readonly leafIndex: number;
  /** The leaf hash; when only `entry` is given, computed from it. */
  readonly leafHash: Hash;
  /** The entry itself, when given: its canonical JSON must hash to `leafHash`. */
  readonly entry?: unknown;
  readonly path: ReadonlyArray<Hash>;
  /** The log's signed checkpoint for `treeSize`, when given: it must carry `rootHash`. */
  readonly checkpoint?: string;
}

export interface ConsistencyProofDocument {
  readonly type: 'consistency';
  readonly size1: number;
  readonly size2: number;
  readonly root1: Hash;
  readonly root2: Hash;
  readonly path: ReadonlyArray<Hash>;
  /** The log's signed checkpoint for `size2`, when given: it must carry `root2`. */
  readonly checkpoint?: string;
}

export type ProofDocument = InclusionProofDocument | ConsistencyProofDocument;

const HEX = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]{43}=$/;

const FIELDS = {
  inclusion: ['type', 'treeSize', 'rootHash', 'leafIndex', 'leafHash', 'entry', 'path', 'checkpoint'],
  consistency: ['type', 'size1', 'size2', 'root1', 'root2', 'path', 'checkpoint'],
} as const;

/** The leaf hash of an entry as the ledger computes it: SHA-256(0x00 || canonical JSON). */
export function leafHashOfJson(entry: unknown): Hash {
  return leafHash(Buffer.from(canonicalJson(entry), 'utf8'));
}

/**
 * Reads an untrusted proof document, reporting every problem with its JSON path
 * (`$.path[2]: not a 32-byte hash in hex or base64`) as ENTENTE_INVALID_PARAMETER.
 */
export function readProofDocument(value: unknown): ProofDocument {
  const details: ErrorDetail[] = [];
  const fail = (): never => {
    const first = details[0] as ErrorDetail;
    throw new EntenteError('ENTENTE_INVALID_PARAMETER', `Malformed proof: ${first.path ?? '$'} ${first.message}${details.length > 1 ? ` (and ${details.length - 1} more)` : ''}`, details);
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    details.push({ path: '$', message: 'must be a JSON object' });
    return fail();
  }
  const doc = value as Record<string, unknown>;
  const type = doc['type'];
  if (type !== 'inclusion' && type !== 'consistency') {
    details.push({ path: '$.type', message: 'must be "inclusion" or "consistency"' });
    return fail();
  }
  for (const key of Object.keys(doc)) {
    if (!(FIELDS[type] as ReadonlyArray<string>).includes(key)) details.push({ path: `$.${key}`, message: `is not a field of an ${type} proof (${FIELDS[type].join(', ')})` });
  }
  const count = (key: string): number => {
    const v = doc[key];
    if (Number.isSafeInteger(v) && (v as number) >= 0) return v as number;
    details.push({ path: `$.${key}`, message: v === undefined ? 'is required' : 'must be a whole number >= 0' });
    return 0;
  };
  const hash = (v: unknown, path: string): Hash => {
    if (typeof v === 'string' && HEX.test(v)) return Buffer.from(v, 'hex');
    if (typeof v === 'string' && BASE64.test(v)) {
      const bytes = Buffer.from(v, 'base64');
      if (bytes.length === HASH_SIZE && bytes.toString('base64') === v) return bytes;
    }
    details.push({ path, message: v === undefined ? 'is required' : 'must be a 32-byte hash in hex (64 characters) or base64 (44 characters)' });
    return new Uint8Array(HASH_SIZE);
  };
  const path = (): Hash[] => {
    const v = doc['path'];
    if (!Array.isArray(v)) {
      details.push({ path: '$.path', message: v === undefined ? 'is required' : 'must be an array of hashes' });
      return [];
    }
    return v.map((h: unknown, i) => hash(h, `$.path[${i}]`));
  };
  const checkpoint = (): { checkpoint?: string } => {
    const v = doc['checkpoint'];
    if (v === undefined) return {};
    if (typeof v === 'string') {
      try {
        readCheckpointNote(v);
        return { checkpoint: v };
      } catch (error) {
        details.push({ path: '$.checkpoint', message: error instanceof Error ? error.message : String(error) });
        return {};
      }
    }
    details.push({ path: '$.checkpoint', message: 'must be the signed checkpoint note as a string' });
    return {};
  };
  let result: ProofDocument;
  if (type === 'inclusion') {
    const entry = doc['entry'];
    if (entry !== undefined && (entry === null || typeof entry !== 'object' || Array.isArray(entry))) details.push({ path: '$.entry', message: 'must be the ledger entry object' });
    if (doc['leafHash'] === undefined && entry === undefined) details.push({ path: '$.leafHash', message: 'is required unless entry is given' });
    const given = doc['leafHash'] === undefined ? undefined : hash(doc['leafHash'], '$.leafHash');
    const leaf = given ?? (details.length === 0 && entry !== undefined ? leafHashOfJson(entry) : new Uint8Array(HASH_SIZE));
    result = {
      type, treeSize: count('treeSize'), rootHash: hash(doc['rootHash'], '$.rootHash'), leafIndex: count('leafIndex'), leafHash: leaf,
      ...(entry === undefined ? {} : { entry }), path: path(), ...checkpoint(),
    };
  } else {
    result = { type, size1: count('size1'), size2: count('size2'), root1: hash(doc['root1'], '$.root1'), root2: hash(doc['root2'], '$.root2'), path: path(), ...checkpoint() };
  }
  if (details.length > 0) fail();
  return result;
}

/**
 * Whether the proof holds: the RFC 9162 check, plus, when given, that the entry hashes to the
 * leaf and that the checkpoint names the same tree. (The checkpoint's signature is checked by
 * whoever holds the log's key; see `openCheckpoint`.)
 */
export function checkProofDocument(doc: ProofDocument): ProofCheck {
  const [size, root] = doc.type === 'inclusion' ? [doc.treeSize, doc.rootHash] : [doc.size2, doc.root2];
  if (doc.checkpoint !== undefined) {
    const checkpoint = readCheckpointNote(doc.checkpoint);
    if (checkpoint.treeSize !== size || !hashesEqual(checkpoint.rootHash, root)) {
      return { holds: false, reason: `the checkpoint is for size ${checkpoint.treeSize} with root ${toBase64(checkpoint.rootHash)}, not the proof's size ${size} and root ${toBase64(root)}` };
    }
  }
  if (doc.type === 'consistency') return checkConsistency(doc.size1, doc.size2, doc.path, doc.root1, doc.root2);
  if (doc.entry !== undefined && !hashesEqual(leafHashOfJson(doc.entry), doc.leafHash)) {
    return { holds: false, reason: 'the entry does not hash to leafHash' };
  }
  return checkInclusion(doc.leafHash, doc.leafIndex, doc.treeSize, doc.path, doc.rootHash);
}

/** The JSON form of a proof document (hashes in base64), as `prove` prints it. */
export function proofDocumentJson(doc: ProofDocument): Record<string, unknown> {
  const b64 = (h: Hash) => toBase64(h);
  const checkpoint = doc.checkpoint === undefined ? {} : { checkpoint: doc.checkpoint };
  if (doc.type === 'consistency') {
    return { type: doc.type, size1: doc.size1, size2: doc.size2, root1: b64(doc.root1), root2: b64(doc.root2), path: doc.path.map(b64), ...checkpoint };
  }
  return {
    type: doc.type, treeSize: doc.treeSize, rootHash: b64(doc.rootHash), leafIndex: doc.leafIndex, leafHash: b64(doc.leafHash),
    ...(doc.entry === undefined ? {} : { entry: doc.entry }), path: doc.path.map(b64), ...checkpoint,
  };
}
