import { EntenteError } from '../../core/errors.js';
import type { DecisionsV2Entry } from '../../core/ledger/entries.js';
import { RELEASE_OUTCOMES, type DecisionStep, type ReleaseOutcome } from '../../core/policy/types.js';
import { DECISION_CHANNELS, type DecisionChannel, type DecisionQuery, type DecisionRecord } from '../../ports/policy-store.js';

/*
 * What both Store adapters do before writing release decisions in the batched layout (SQLite and
 * PostgreSQL migration 9): check every record, group consecutive records that share their time,
 * recipient and channel into one batch (a TAXII page is one batch), and name each explanation
 * once. Checking here, before any write, names the first bad record exactly whatever the engine.
 */

const CHANNELS: ReadonlySet<string> = new Set(DECISION_CHANNELS);
const OUTCOMES: ReadonlySet<string> = new Set(RELEASE_OUTCOMES);

/** Consecutive records that share `at`, `recipient` and `channel`: `records[start, end)`. */
export interface DecisionBatch {
  readonly start: number;
  readonly end: number;
  readonly at: string;
}

function refused(path: string, value: unknown, allowed: string): EntenteError {
  return new EntenteError('ENTENTE_INVALID_PARAMETER', `${path}: ${JSON.stringify(value)} is not ${allowed}; no decision of the batch was recorded`,
    [{ path, message: `must be ${allowed}` }]);
}

/**
 * Checks every record (channel, outcome, steps; `at` through the engine's `timestamp`) and
 * splits them into batches. Nothing is written when this throws.
 */
export function batchDecisions(records: ReadonlyArray<DecisionRecord>, timestamp: (value: string, path: string) => string): DecisionBatch[] {
  const batches: DecisionBatch[] = [];
  let rawAt: string | undefined;
  let at = '';
  let start = 0;
  let batchAt = '';
  records.forEach((r, i) => {
    if (!CHANNELS.has(r.channel)) throw refused(`records[${i}].channel`, r.channel, `one of ${DECISION_CHANNELS.join(', ')}`);
    if (!OUTCOMES.has(r.outcome)) throw refused(`records[${i}].outcome`, r.outcome, `one of ${RELEASE_OUTCOMES.join(', ')}`);
    if (!Array.isArray(r.steps)) throw refused(`records[${i}].steps`, r.steps, 'an array of steps');
    for (const field of ['recipient', 'objectId', 'objectVersion'] as const) {
      if (typeof r[field] !== 'string') throw refused(`records[${i}].${field}`, r[field], 'a string');
    }
    if (r.objectId.includes('\n')) throw refused(`records[${i}].objectId`, r.objectId, 'an id without a line break');
    if (r.agreementId !== undefined && typeof r.agreementId !== 'string') throw refused(`records[${i}].agreementId`, r.agreementId, 'a string');
    if (r.reason !== undefined && typeof r.reason !== 'string') throw refused(`records[${i}].reason`, r.reason, 'a string');
    if (r.agreementVersion !== undefined && !Number.isSafeInteger(r.agreementVersion)) throw refused(`records[${i}].agreementVersion`, r.agreementVersion, 'an integer');
    // A page's records share one `at` string: it is normalised once.
    const sameAt = r.at === rawAt;
    if (!sameAt) {
      at = timestamp(r.at, `records[${i}].at`);
      rawAt = r.at;
    }
    const previous = records[i - 1];
    if (previous === undefined || !sameAt || previous.recipient !== r.recipient || previous.channel !== r.channel) {
      if (previous !== undefined) batches.push({ start, end: i, at: batchAt });
      start = i;
      batchAt = at;
    }
  });
  if (records.length > 0) batches.push({ start, end: records.length, at: batchAt });
  return batches;
}

/**
 * The explanations a log holds, by a key computed without serialising: each is stored once and
 * rows carry its integer key. A page of 100 decisions has a handful of distinct explanations, so
 * building the key (string concatenation, length-prefixed so that no two step lists share one)
 * and one Map lookup replace a JSON text and an index entry per row.
 */
export function explanationKey(steps: ReadonlyArray<DecisionStep>, path: string): string {
  let key = '';
  for (let j = 0; j < steps.length; j += 1) {
    const s = steps[j] as DecisionStep;
    if (typeof s !== 'object' || s === null || typeof s.rule !== 'string' || typeof s.outcome !== 'string' || typeof s.detail !== 'string') {
      throw refused(`${path}[${j}]`, s, 'a step with rule, outcome and detail strings');
    }
    key += `${s.rule.length}:${s.rule}${s.outcome.length}:${s.outcome}${s.detail.length}:${s.detail}`;
  }
  return key;
}

/** The stored text of an explanation: the port's three fields of each step, in that order, as JSON. */
export function explanationText(steps: ReadonlyArray<DecisionStep>): string {
  return JSON.stringify(steps.map((s) => ({ rule: s.rule, outcome: s.outcome, detail: s.detail })));
}

/** Representatives kept per fingerprint: bounds the comparisons when many explanations look alike. */
const REPRESENTATIVES = 8;

function sameSteps(a: ReadonlyArray<DecisionStep>, b: ReadonlyArray<DecisionStep>): boolean {
  if (a.length !== b.length) return false;
  for (let j = 0; j < a.length; j += 1) {
    const x = a[j] as DecisionStep;
    const y = b[j] as DecisionStep;
    if (x.rule !== y.rule || x.outcome !== y.outcome || x.detail !== y.detail) return false;
  }
  return true;
}

/**
 * The explanation key of every record (see explanationKey), built once per distinct explanation
 * of the batch: a page's step objects are fresh for every decision, and building and hashing a
 * ~250-character key for each of 100 decisions was the largest part of an append. Records are
 * first grouped by a fingerprint of their steps' lengths, then compared field by field with the
 * few earlier records of that fingerprint; an equal one lends its key (the same string, whose
 * hash the cache lookup has already computed). Refuses a malformed step like explanationKey.
 */
export function explanationKeys(records: ReadonlyArray<DecisionRecord>): string[] {
  const keys = new Array<string>(records.length);
  const seen = new Map<number, number[]>();
  records.forEach((r, i) => {
    const path = `records[${i}].steps`;
    let print = r.steps.length;
    for (let j = 0; j < r.steps.length; j += 1) {
      const s = r.steps[j] as DecisionStep;
      if (typeof s !== 'object' || s === null || typeof s.rule !== 'string' || typeof s.outcome !== 'string' || typeof s.detail !== 'string') {
        throw refused(`${path}[${j}]`, s, 'a step with rule, outcome and detail strings');
      }
      print = (Math.imul(print, 31) + s.rule.length * 961 + s.outcome.length * 31 + s.detail.length) | 0;
    }
    const earlier = seen.get(print);
    const same = earlier?.find((e) => sameSteps(r.steps, (records[e] as DecisionRecord).steps));
    if (same !== undefined) {
      keys[i] = keys[same] as string;
      return;
    }
    keys[i] = explanationKey(r.steps, path);
    if (earlier === undefined) seen.set(print, [i]);
    else if (earlier.length < REPRESENTATIVES) earlier.push(i);
  });
  return keys;
}

/**
 * Explanation keys this process has seen committed, by `explanationKey`. A stored explanation is
 * never changed or removed, so an entry stays true; entries from a transaction that rolled back
 * are never added (`remember` runs after the commit). Bounded: cleared when full.
 */
export class ExplanationCache {
  readonly #keys = new Map<string, number>();

  constructor(private readonly max = 10_000) {}

  get(key: string): number | undefined {
    return this.#keys.get(key);
  }

  remember(fresh: ReadonlyArray<readonly [string, number]>): void {
    if (this.#keys.size + fresh.length > this.max) this.#keys.clear();
    for (const [key, xkey] of fresh) this.#keys.set(key, xkey);
  }
}

/**
 * The object ids of `records[start, end)` as one text, each between newlines: a query by object
 * id is then one substring search per batch (`\n<id>\n`), and the rows need not repeat the id.
 * Ids never hold a newline (batchDecisions refuses one).
 */
export function objectList(records: ReadonlyArray<DecisionRecord>, start: number, end: number): string {
  let text = '\n';
  for (let i = start; i < end; i += 1) text += `${(records[i] as DecisionRecord).objectId}\n`;
  return text;
}

/** What to look for in a batch's object list when querying by object id. */
export function objectProbe(id: string): string {
  return `\n${id}\n`;
}

/**
 * What to look for in the leaf of a batch kept by reference (a `decisions-v2` entry, written by
 * JSON.stringify) when querying by object id: each decision's tuple starts with its id's JSON.
 */
export function leafObjectProbe(id: string): string {
  return `[${JSON.stringify(id)},`;
}

/**
 * Texts a batch's `rows` must contain to hold a decision with the query's agreement and outcome:
 * the JSON string of each value. The engine's substring search over the row text then skips the
 * batches that cannot match without parsing them (a rare outcome in a long log is a scan in C);
 * the rows of the others are still checked one by one, so a spurious match only costs a parse.
 * A value whose JSON needs escaping is left out: engines may escape it differently.
 */
export function rowProbes(query: DecisionQuery): string[] {
  const probes: string[] = [];
  for (const value of [query.agreementId, query.outcome]) {
    if (value !== undefined && /^[\x20-\x7e]*$/.test(value) && !value.includes('"') && !value.includes('\\')) probes.push(`"${value}"`);
  }
  return probes;
}

/**
 * One decision as its batch stores it, in a JSON array of these: the fields a page does not
 * share, and the integer key of its explanation. Its seq is the batch's first seq plus its place.
 */
type PackedRow = [objectVersion: string, agreementId: string | null, agreementVersion: number | null, outcome: ReleaseOutcome, reason: string | null, xkey: number];

/** The `rows` text of `records[start, end)`, whose explanation keys are `xkeys` (indexed like records). */
export function packRows(records: ReadonlyArray<DecisionRecord>, start: number, end: number, xkeys: ReadonlyArray<number>): string {
  const rows = new Array<PackedRow>(end - start);
  for (let i = start; i < end; i += 1) {
    const r = records[i] as DecisionRecord;
    rows[i - start] = [r.objectVersion, r.agreementId ?? null, r.agreementVersion ?? null, r.outcome, r.reason ?? null, xkeys[i] as number];
  }
  return JSON.stringify(rows);
}

/**
 * The `rows` text of a batch kept by reference to its ledger leaf: only the explanation key of
 * each decision (`[3,3,4,…]`); the rest is in the leaf.
 */
export function xkeyRows(start: number, end: number, xkeys: ReadonlyArray<number>): string {
  return JSON.stringify(xkeys.slice(start, end));
}

/** A batch row as the adapters read it. */
export interface StoredBatch {
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly at: string;
  readonly recipient: string;
  readonly channel: DecisionChannel;
  /** The object ids, see objectList; empty when the batch is kept by reference to `leaf`. */
  readonly objects: string;
  /** Packed rows (packRows), or for a batch kept by reference the explanation keys (xkeyRows). */
  readonly rows: string;
  /**
   * The text of the `decisions-v2` leaf holding the batch's decisions, when it is kept by
   * reference ('' when the ledger does not hold that leaf); null or absent otherwise.
   */
  readonly leaf?: string | null;
}

/** The decisions of a leaf-backed batch as packed rows, with their explanation keys. */
function rowsOfLeaf(leaf: string, xkeys: ReadonlyArray<number>): { ids: string[]; rows: PackedRow[] } {
  // Ledger entries are never removed or rewritten, so neither can happen short of damage to the store.
  if (leaf === '') throw new EntenteError('ENTENTE_INTERNAL', `A batch of ${xkeys.length} decisions refers to a ledger leaf the ledger does not hold`);
  const entry = JSON.parse(leaf) as Partial<DecisionsV2Entry>;
  if (entry.kind !== 'decisions-v2' || !Array.isArray(entry.decisions) || !Array.isArray(entry.agreements) || entry.decisions.length !== xkeys.length) {
    throw new EntenteError('ENTENTE_INTERNAL', `A batch of ${xkeys.length} decisions refers to a ledger leaf that is not a decisions-v2 entry of as many decisions`);
  }
  const { decisions, agreements } = entry;
  const ids = new Array<string>(decisions.length);
  const rows = new Array<PackedRow>(decisions.length);
  decisions.forEach((t, i) => {
    const place = t[3];
    const agreement = place === undefined || place === null ? undefined : agreements[place];
    ids[i] = t[0];
    rows[i] = [t[1], agreement?.[0] ?? null, agreement?.[1] ?? null, t[2], t[4] ?? null, xkeys[i] as number];
  });
  return { ids, rows };
}

/** A decision chosen for a page, before its explanation is attached. */
export interface SelectedRow {
  readonly seq: number;
  readonly batch: StoredBatch;
  readonly objectId: string;
  readonly row: PackedRow;
}

/**
 * Adds to `out` the rows of a batch (which matched the batch filters) that have seq > `after`
 * and pass the row filters (object id, agreement, outcome), stopping when `out` holds `want`.
 */
export function selectRows(batch: StoredBatch, query: DecisionQuery, after: number, want: number, out: SelectedRow[]): void {
  const byLeaf = typeof batch.leaf === 'string' ? rowsOfLeaf(batch.leaf, JSON.parse(batch.rows) as number[]) : undefined;
  const rows = byLeaf?.rows ?? JSON.parse(batch.rows) as PackedRow[];
  // The id list starts with a newline: its ids are at 1, 2, …; a leaf's at 0, 1, ….
  const ids = byLeaf?.ids ?? batch.objects.split('\n');
  const shift = byLeaf === undefined ? 1 : 0;
  for (let i = Math.max(0, after + 1 - batch.firstSeq); i < rows.length && out.length < want; i += 1) {
    const row = rows[i] as PackedRow;
    const objectId = ids[i + shift] as string;
    if ((query.objectId === undefined || objectId === query.objectId) && (query.agreementId === undefined || row[1] === query.agreementId)
      && (query.outcome === undefined || row[3] === query.outcome)) out.push({ seq: batch.firstSeq + i, batch, objectId, row });
  }
}

/** The explanation keys the selected rows need. */
export function explanationKeysOf(selected: ReadonlyArray<SelectedRow>): number[] {
  return [...new Set(selected.map((s) => s.row[5]))];
}

/** The selected rows as the port's records; `steps` holds each needed explanation's stored text by key. */
export function toRecords(selected: ReadonlyArray<SelectedRow>, steps: ReadonlyMap<number, string>): Array<DecisionRecord & { readonly seq: number }> {
  return selected.map(({ seq, batch, objectId, row }) => {
    const text = steps.get(row[5]);
    if (text === undefined) throw new EntenteError('ENTENTE_INTERNAL', `Decision ${seq} names explanation ${row[5]}, which the log does not hold`);
    return {
      seq, at: batch.at, recipient: batch.recipient, channel: batch.channel, objectId, objectVersion: row[0],
      ...(row[1] === null ? {} : { agreementId: row[1] }),
      ...(row[2] === null ? {} : { agreementVersion: row[2] }),
      outcome: row[3],
      ...(row[4] === null ? {} : { reason: row[4] }),
      steps: JSON.parse(text) as DecisionStep[],
    };
  });
}

/** Batches read per query while filling a page. */
export const BATCHES_PER_READ = 32;
