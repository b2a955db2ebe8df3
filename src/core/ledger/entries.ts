import { EntenteError, type ErrorDetail } from '../errors.js';
import { pathKey } from '../json/json-path.js';
import { canonicalJson } from '../stix/canonical-json.js';
import { decisionsV2Problems, encodeDecisionsV2Entry, type DecisionsV2Entry } from './decision-tuples.js';
import { leafHash, type Hash } from './hashing.js';

/**
 * What the ledger records: one tagged value per event that allies may later want proven. Every
 * entry says when it happened (`at`, a STIX timestamp in UTC). Its identity is its leaf hash,
 * SHA-256(0x00 || canonical JSON), so the same fact always has the same identity on every node.
 */
interface Stamped {
  readonly at: string;
}

/** Data left the node (whole or redacted) for a recipient under an agreement. */
export interface ReleaseEntry extends Stamped {
  readonly kind: 'release';
  /** `peer:<organisation code>` or `user:<user name>`, as in the decision log. */
  readonly recipient: string;
  readonly objectId: string;
  readonly objectVersion: string;
  readonly outcome: 'allow' | 'redact';
  readonly agreementId?: string;
  readonly agreementVersion?: number;
  /** SHA-256 (hex) of exactly what was sent, when known: ties the entry to the bytes. */
  readonly contentHash?: string;
  readonly envelopeId?: string;
}

/** A release that policy refused. */
export interface DenialEntry extends Stamped {
  readonly kind: 'denial';
  readonly recipient: string;
  readonly objectId: string;
  readonly objectVersion: string;
  readonly reason: string;
  readonly agreementId?: string;
  readonly agreementVersion?: number;
}

/** One object's decision inside a `decisions` entry. */
export interface DecisionItem {
  readonly objectId: string;
  readonly objectVersion: string;
  readonly outcome: 'allow' | 'redact' | 'deny';
  readonly agreementId?: string;
  readonly agreementVersion?: number;
  /** For a denial: the deciding rule. */
  readonly reason?: string;
}

/**
 * The decisions of one read or push for one recipient (a TAXII page, an export page, an
 * envelope): one leaf for the whole batch, whose inclusion proof proves each decision in it.
 * The node now writes the compact `decisions-v2` form (decision-tuples.ts); entries of this form
 * already in a ledger keep their meaning and keep verifying.
 */
export interface DecisionsEntry extends Stamped {
  readonly kind: 'decisions';
  readonly recipient: string;
  readonly channel: string;
  readonly decisions: ReadonlyArray<DecisionItem>;
}

/** A signed receipt for an envelope, sent by this node or received from a peer. */
export interface ReceiptEntry extends Stamped {
  readonly kind: 'receipt';
  readonly direction: 'sent' | 'received';
  readonly peer: string;
  readonly envelopeId: string;
  readonly contentHash?: string;
}

/** A new version of an agreement was recorded. */
export interface AgreementChangeEntry extends Stamped {
  readonly kind: 'agreement-change';
  readonly agreementId: string;
  readonly version: number;
  /** One line saying what changed, as in the agreement history. */
  readonly change: string;
  readonly recordedBy: string;
  /** SHA-256 (hex) of the agreement's YAML source. */
  readonly sourceHash?: string;
}

/** A key of a node was created, rotated in, retired or revoked. */
export interface KeyEventEntry extends Stamped {
  readonly kind: 'key-event';
  readonly event: 'created' | 'rotated' | 'retired' | 'revoked';
  /** The key's fingerprint (e.g. its JWK thumbprint). */
  readonly keyId: string;
  readonly use: 'sign' | 'seal';
  /** Whose key: this node's, or a peer's organisation code when a pinned key changes. */
  readonly owner: string;
}

/** This node saw (and checked) a checkpoint of another log: the basis of witnessing. */
export interface CheckpointWitnessEntry extends Stamped {
  readonly kind: 'checkpoint-witness';
  readonly origin: string;
  readonly treeSize: number;
  /** Base64, as in the checkpoint. */
  readonly rootHash: string;
  readonly peer: string;
}

export type { DecisionsV2Entry };

export type LedgerEntry = ReleaseEntry | DenialEntry | DecisionsEntry | DecisionsV2Entry | ReceiptEntry | AgreementChangeEntry | KeyEventEntry | CheckpointWitnessEntry;
export type LedgerEntryKind = LedgerEntry['kind'];

/** The RFC 8785 canonical JSON of an entry: the exact bytes (as UTF-8) its leaf hash covers. */
export function encodeEntry(entry: LedgerEntry): string {
  const fast = entry.kind === 'decisions-v2' ? encodeDecisionsV2Entry(entry) : entry.kind === 'decisions' ? encodeDecisionsEntry(entry) : undefined;
  return fast ?? canonicalJson(entry);
}

const ITEM_KEYS: ReadonlySet<string> = new Set(['agreementId', 'agreementVersion', 'objectId', 'objectVersion', 'outcome', 'reason']);
const ENTRY_KEYS: ReadonlySet<string> = new Set(['at', 'channel', 'decisions', 'kind', 'recipient']);

/** Whether every own key holding a defined value is one of `known`, with a string or finite number. */
function onlyScalars(value: object, known: ReadonlySet<string>): boolean {
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    if (!known.has(key) || !(typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))) return false;
  }
  return true;
}

/**
 * The canonical JSON of a `decisions` entry through one JSON.stringify of copies whose keys are
 * inserted in RFC 8785 order (UTF-16 code units; all ASCII here), byte for byte what
 * canonicalJson gives (a property test checks it) without sorting the keys of each of hundreds
 * of items: a TAXII page's leaf is ~17 KB, and the generic encoder cost several times its hash.
 * Undefined when the entry holds anything else (unknown keys, nested values): canonicalJson
 * then encodes it.
 */
function encodeDecisionsEntry(entry: DecisionsEntry): string | undefined {
  const { at, channel, decisions, recipient } = entry;
  if (typeof at !== 'string' || typeof channel !== 'string' || typeof recipient !== 'string' || !Array.isArray(decisions)) return undefined;
  for (const key in entry) if (Object.hasOwn(entry, key) && !ENTRY_KEYS.has(key) && (entry as unknown as Record<string, unknown>)[key] !== undefined) return undefined;
  const items = new Array<object>(decisions.length);
  for (let i = 0; i < decisions.length; i += 1) {
    const d = decisions[i] as DecisionItem | null;
    if (typeof d !== 'object' || d === null || Array.isArray(d) || !onlyScalars(d, ITEM_KEYS)) return undefined;
    // JSON.stringify leaves out the undefined ones, as canonicalJson does.
    items[i] = { agreementId: d.agreementId, agreementVersion: d.agreementVersion, objectId: d.objectId, objectVersion: d.objectVersion, outcome: d.outcome, reason: d.reason };
  }
  return JSON.stringify({ at, channel, decisions: items, kind: 'decisions', recipient });
}

/** The leaf hash of an entry: its identity in the log. */
export function entryLeafHash(entry: LedgerEntry): Hash {
  return leafHash(Buffer.from(encodeEntry(entry), 'utf8'));
}

// ---------------------------------------------------------------------------------------------
// Reading untrusted entries (from an API, a peer, a proof file).

/** `tuples`: checked together by decisionsV2Problems, since a decision names an agreement. */
type FieldType = 'string' | 'count' | 'timestamp' | 'decisions' | 'tuples' | ReadonlyArray<string>;
type Shape = { readonly required: Readonly<Record<string, FieldType>>; readonly optional: Readonly<Record<string, FieldType>> };

const RECIPIENT = { recipient: 'string', objectId: 'string', objectVersion: 'timestamp' } as const;
const AGREEMENT = { agreementId: 'string', agreementVersion: 'count' } as const;

const SHAPES: Readonly<Record<LedgerEntryKind, Shape>> = {
  release: { required: { ...RECIPIENT, outcome: ['allow', 'redact'] }, optional: { ...AGREEMENT, contentHash: 'string', envelopeId: 'string' } },
  denial: { required: { ...RECIPIENT, reason: 'string' }, optional: AGREEMENT },
  decisions: { required: { recipient: 'string', channel: 'string', decisions: 'decisions' }, optional: {} },
  'decisions-v2': { required: { recipient: 'string', channel: 'string', agreements: 'tuples', decisions: 'tuples' }, optional: {} },
  receipt: { required: { direction: ['sent', 'received'], peer: 'string', envelopeId: 'string' }, optional: { contentHash: 'string' } },
  'agreement-change': { required: { agreementId: 'string', version: 'count', change: 'string', recordedBy: 'string' }, optional: { sourceHash: 'string' } },
  'key-event': { required: { event: ['created', 'rotated', 'retired', 'revoked'], keyId: 'string', use: ['sign', 'seal'], owner: 'string' }, optional: {} },
  'checkpoint-witness': { required: { origin: 'string', treeSize: 'count', rootHash: 'string', peer: 'string' }, optional: {} },
};

export const LEDGER_ENTRY_KINDS = Object.keys(SHAPES) as ReadonlyArray<LedgerEntryKind>;

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

const ITEM: Shape = { required: { objectId: 'string', objectVersion: 'timestamp', outcome: ['allow', 'redact', 'deny'] }, optional: { ...AGREEMENT, reason: 'string' } };

/** The first problem of a decision list, with the place of the item at fault. */
function decisionsProblem(value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length === 0) return 'must be a non-empty list of decisions';
  for (const [i, item] of value.entries()) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return `[${i}] must be an object`;
    const record = item as Record<string, unknown>;
    for (const [key, type] of Object.entries(ITEM.required)) {
      const why = key in record ? problem(record[key], type) : 'is required';
      if (why !== undefined) return `[${i}].${key} ${why}`;
    }
    for (const key of Object.keys(record)) {
      const type = ITEM.required[key] ?? ITEM.optional[key];
      if (type === undefined) return `[${i}].${key} is not a property of a decision`;
      const why = problem(record[key], type);
      if (why !== undefined) return `[${i}].${key} ${why}`;
    }
  }
  return undefined;
}

function problem(value: unknown, type: FieldType): string | undefined {
  if (type === 'tuples') return undefined;
  if (type === 'decisions') return decisionsProblem(value);
  if (Array.isArray(type)) return typeof value === 'string' && type.includes(value) ? undefined : `must be one of ${type.join(', ')}`;
  if (type === 'count') return Number.isSafeInteger(value) && (value as number) >= 0 ? undefined : 'must be a whole number >= 0';
  if (typeof value !== 'string' || value === '') return 'must be a non-empty string';
  if (type === 'timestamp' && !TIMESTAMP.test(value)) return 'must be a timestamp such as 2026-01-31T12:00:00.000Z';
  return undefined;
}

/**
 * Checks an untrusted value is a ledger entry and returns it typed. Every problem is reported
 * at once with its JSON path (`$.entries[2].recipient`); unknown properties are refused, so what
 * is recorded is exactly what the type says.
 */
export function readLedgerEntry(value: unknown, path = '$'): LedgerEntry {
  const details: ErrorDetail[] = [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    details.push({ path, message: 'must be an object' });
  } else {
    const record = value as Record<string, unknown>;
    const kind = record['kind'];
    const shape = typeof kind === 'string' ? SHAPES[kind as LedgerEntryKind] : undefined;
    if (shape === undefined) {
      details.push({ path: pathKey(path, 'kind'), message: `must be one of ${LEDGER_ENTRY_KINDS.join(', ')}` });
    } else {
      const allowed: Record<string, FieldType> = { at: 'timestamp', ...shape.required, ...shape.optional };
      for (const [key, type] of Object.entries({ at: 'timestamp' as FieldType, ...shape.required })) {
        if (type === 'tuples') continue;
        if (!(key in record)) details.push({ path: pathKey(path, key), message: 'is required' });
        else {
          const why = problem(record[key], type);
          if (why !== undefined) details.push({ path: pathKey(path, key), message: why });
        }
      }
      for (const key of Object.keys(record)) {
        if (key === 'kind' || key in shape.required || key === 'at') continue;
        const type = allowed[key];
        if (type === undefined) details.push({ path: pathKey(path, key), message: `is not a property of a ${kind as string} entry` });
        else {
          const why = problem(record[key], type);
          if (why !== undefined) details.push({ path: pathKey(path, key), message: why });
        }
      }
      if (kind === 'decisions-v2') details.push(...decisionsV2Problems(record, path));
    }
  }
  if (details.length > 0) {
    const first = details[0] as ErrorDetail;
    throw new EntenteError('ENTENTE_INVALID_PARAMETER', `Not a ledger entry: ${first.path ?? path} ${first.message}${details.length > 1 ? ` (and ${details.length - 1} more)` : ''}`, details);
  }
  return value as LedgerEntry;
}
