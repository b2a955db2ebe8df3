import type { ErrorDetail } from '../errors.js';
import type { DecisionItem, DecisionsEntry } from './entries.js';

/**
 * The compact form of a read's decisions (kind `decisions-v2`): the same facts as a `decisions`
 * entry, without its key names repeated for each decision. The page's agreements are listed once,
 * and each decision is a tuple naming one of them by its place:
 *
 *   {"agreements":[["deu-pol",1]],"at":"…","channel":"taxii",
 *    "decisions":[["indicator--…","2026-02-28T09:00:00.000Z","allow",0],["report--…","…","deny",null,"tlp-ceiling"]],
 *    "kind":"decisions-v2","recipient":"peer:POL"}
 *
 * A TAXII page of 100 decisions is then ~9 KB of canonical JSON instead of ~17 KB, and every
 * decision can still be checked from the leaf text alone. Each set of decisions has exactly one
 * valid form (agreements listed in the order the decisions first name them, each named, none
 * twice; a tuple never ends in null), so the same fact keeps one leaf hash on every node.
 */
export interface DecisionsV2Entry {
  readonly kind: 'decisions-v2';
  readonly at: string;
  readonly recipient: string;
  readonly channel: string;
  readonly agreements: ReadonlyArray<AgreementRef>;
  readonly decisions: ReadonlyArray<DecisionTuple>;
}

/** An agreement a decision names: its id and version. */
export type AgreementRef = readonly [agreementId: string, agreementVersion: number];

/**
 * One decision: the object and its version, the outcome, then (when there is one) the place of
 * its agreement in `agreements`, then (for a denial with a deciding rule) the reason, with null
 * for the agreement when there is none.
 */
export type DecisionTuple =
  | readonly [objectId: string, objectVersion: string, outcome: DecisionItem['outcome']]
  | readonly [objectId: string, objectVersion: string, outcome: DecisionItem['outcome'], agreement: number]
  | readonly [objectId: string, objectVersion: string, outcome: DecisionItem['outcome'], agreement: number | null, reason: string];

/**
 * The entry recording `items` (decided at `at` for `recipient` over `channel`): the compact form,
 * unless an item names an agreement id without its version or the reverse, which only the
 * original `decisions` form can say. Items are read, not copied (a DecisionRecord will do).
 */
export function decisionsEntryOf(at: string, recipient: string, channel: string, items: ReadonlyArray<DecisionItem>): DecisionsV2Entry | DecisionsEntry {
  const agreements: AgreementRef[] = [];
  const decisions = new Array<DecisionTuple>(items.length);
  for (let i = 0; i < items.length; i += 1) {
    const d = items[i] as DecisionItem;
    const { agreementId, agreementVersion, reason } = d;
    let place: number | null = null;
    if (agreementId !== undefined || agreementVersion !== undefined) {
      if (agreementId === undefined || agreementVersion === undefined) return originalEntry(at, recipient, channel, items);
      // A page names one or two agreements: a scan is cheaper than hashing a key per decision.
      place = 0;
      while (place < agreements.length && !(agreements[place]?.[0] === agreementId && agreements[place]?.[1] === agreementVersion)) place += 1;
      if (place === agreements.length) agreements.push([agreementId, agreementVersion]);
    }
    decisions[i] = reason !== undefined ? [d.objectId, d.objectVersion, d.outcome, place, reason]
      : place !== null ? [d.objectId, d.objectVersion, d.outcome, place] : [d.objectId, d.objectVersion, d.outcome];
  }
  return { kind: 'decisions-v2', at, recipient, channel, agreements, decisions };
}

function originalEntry(at: string, recipient: string, channel: string, items: ReadonlyArray<DecisionItem>): DecisionsEntry {
  return {
    kind: 'decisions', at, recipient, channel,
    decisions: items.map((d) => ({
      objectId: d.objectId, objectVersion: d.objectVersion, outcome: d.outcome,
      ...(d.agreementId === undefined ? {} : { agreementId: d.agreementId }), ...(d.agreementVersion === undefined ? {} : { agreementVersion: d.agreementVersion }),
      ...(d.reason === undefined ? {} : { reason: d.reason }),
    })),
  };
}

/** The decisions of either form, each as a self-standing item: what an auditor checks one by one. */
export function decisionItemsOf(entry: DecisionsV2Entry | DecisionsEntry): DecisionItem[] {
  if (entry.kind === 'decisions') return [...entry.decisions];
  return entry.decisions.map((t) => {
    const place = t[3];
    const agreement = place === undefined || place === null ? undefined : entry.agreements[place];
    return {
      objectId: t[0], objectVersion: t[1], outcome: t[2],
      ...(agreement === undefined ? {} : { agreementId: agreement[0], agreementVersion: agreement[1] }),
      ...(t[4] === undefined ? {} : { reason: t[4] }),
    };
  });
}

/** A decision as the decision log keeps it: an item, stamped with its read. */
interface StampedItem extends DecisionItem {
  readonly at: string;
  readonly recipient: string;
  readonly channel: string;
}

/**
 * Whether `entry` records exactly `records`, in order: the same time, recipient and channel for
 * all of them, and each decision's object, version, outcome, agreement and reason. The decision
 * log may then keep those decisions by reference to the entry's leaf instead of a second copy.
 */
export function recordsExactly(entry: DecisionsV2Entry, records: ReadonlyArray<StampedItem>): boolean {
  const { decisions, agreements } = entry;
  if (decisions.length !== records.length || records.length === 0) return false;
  for (let i = 0; i < records.length; i += 1) {
    const r = records[i] as StampedItem;
    const t = decisions[i] as DecisionTuple;
    if (r.at !== entry.at || r.recipient !== entry.recipient || r.channel !== entry.channel) return false;
    if (t[0] !== r.objectId || t[1] !== r.objectVersion || t[2] !== r.outcome || t[4] !== r.reason) return false;
    const place = t[3];
    const agreement = place === undefined || place === null ? undefined : agreements[place];
    if (agreement?.[0] !== r.agreementId || agreement?.[1] !== r.agreementVersion) return false;
  }
  return true;
}

const ENTRY_KEYS: ReadonlySet<string> = new Set(['agreements', 'at', 'channel', 'decisions', 'kind', 'recipient']);

/** Whether `value` is an array whose every element (no holes) is a string, a finite number or null. */
function flatScalars(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i += 1) {
    const v: unknown = value[i];
    if (!(typeof v === 'string' || v === null || (typeof v === 'number' && Number.isFinite(v)))) return false;
  }
  return true;
}

/**
 * The RFC 8785 canonical JSON of a `decisions-v2` entry by one JSON.stringify with the entry's
 * keys inserted in sorted order: arrays keep their order in canonical JSON, and strings, finite
 * numbers and null serialise as ECMAScript does, so nothing else needs sorting (a property test
 * holds it byte-equal to canonicalJson). Undefined when the entry holds anything else: the
 * generic encoder then encodes it.
 */
export function encodeDecisionsV2Entry(entry: DecisionsV2Entry): string | undefined {
  const { agreements, at, channel, decisions, recipient } = entry;
  if (typeof at !== 'string' || typeof channel !== 'string' || typeof recipient !== 'string' || !Array.isArray(agreements) || !Array.isArray(decisions)) return undefined;
  for (const key in entry) if (Object.hasOwn(entry, key) && !ENTRY_KEYS.has(key) && (entry as unknown as Record<string, unknown>)[key] !== undefined) return undefined;
  for (let i = 0; i < agreements.length; i += 1) if (!flatScalars(agreements[i])) return undefined;
  for (let i = 0; i < decisions.length; i += 1) if (!flatScalars(decisions[i])) return undefined;
  return JSON.stringify({ agreements, at, channel, decisions, kind: 'decisions-v2', recipient });
}

// ---------------------------------------------------------------------------------------------
// Reading untrusted entries: the two lists, checked together (a decision names an agreement).

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const OUTCOMES: ReadonlyArray<string> = ['allow', 'redact', 'deny'];

const nonEmpty = (v: unknown): boolean => typeof v === 'string' && v !== '';
const count = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;

/**
 * The problems of a `decisions-v2` entry's `agreements` and `decisions`, each at its JSON path
 * under `path` (`$.decisions[3][2]`), at most one per agreement or decision.
 */
export function decisionsV2Problems(record: Readonly<Record<string, unknown>>, path: string): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  const agreements = record['agreements'];
  const decisions = record['decisions'];
  let listed = 0;
  if (!Array.isArray(agreements)) details.push({ path: `${path}.agreements`, message: agreements === undefined ? 'is required' : 'must be a list of [agreementId, agreementVersion]' });
  else {
    listed = agreements.length;
    const seen = new Map<string, number>();
    agreements.forEach((a: unknown, i) => {
      const at = `${path}.agreements[${i}]`;
      if (!Array.isArray(a) || a.length !== 2) details.push({ path: at, message: 'must be [agreementId, agreementVersion]' });
      else if (!nonEmpty(a[0])) details.push({ path: `${at}[0]`, message: 'must be a non-empty string' });
      else if (!count(a[1])) details.push({ path: `${at}[1]`, message: 'must be a whole number >= 0' });
      else {
        const key = `${a[1] as number} ${a[0] as string}`;
        const first = seen.get(key);
        if (first !== undefined) details.push({ path: at, message: `repeats ${path}.agreements[${first}]` });
        else seen.set(key, i);
      }
    });
  }
  if (!Array.isArray(decisions) || decisions.length === 0) {
    details.push({ path: `${path}.decisions`, message: decisions === undefined ? 'is required' : 'must be a non-empty list of decisions' });
    return details;
  }
  // Agreements are listed in the order the decisions first name them: one form per set of decisions.
  let named = 0;
  decisions.forEach((d: unknown, i) => {
    const at = `${path}.decisions[${i}]`;
    const why = tupleProblem(d, listed, named);
    if (why !== undefined) {
      details.push({ path: why[0] === undefined ? at : `${at}[${why[0]}]`, message: why[1] });
      return;
    }
    const place = (d as DecisionTuple)[3];
    if (typeof place === 'number' && place === named) named += 1;
  });
  if (Array.isArray(agreements) && named < listed && details.length === 0) {
    details.push({ path: `${path}.agreements[${named}]`, message: 'is named by no decision' });
  }
  return details;
}

/** The first problem of one decision tuple: the index at fault (undefined: the whole tuple) and why. */
function tupleProblem(d: unknown, listed: number, named: number): [number | undefined, string] | undefined {
  if (!Array.isArray(d) || d.length < 3 || d.length > 5) return [undefined, 'must be [objectId, objectVersion, outcome, agreement?, reason?]'];
  if (!nonEmpty(d[0])) return [0, 'must be a non-empty string'];
  if (typeof d[1] !== 'string' || !TIMESTAMP.test(d[1])) return [1, 'must be a timestamp such as 2026-01-31T12:00:00.000Z'];
  if (typeof d[2] !== 'string' || !OUTCOMES.includes(d[2])) return [2, `must be one of ${OUTCOMES.join(', ')}`];
  if (d.length === 3) return undefined;
  const place: unknown = d[3];
  if (place === null) {
    if (d.length === 4) return [3, 'must be the place of an agreement in agreements (a decision without one ends after its outcome)'];
  } else if (!count(place) || (place as number) >= listed) {
    return [3, listed === 0 ? 'must be null: agreements is empty' : `must be null or the place of an agreement in agreements (0 to ${listed - 1})`];
  } else if ((place as number) > named) {
    return [3, `must be at most ${named}: agreements are listed in the order the decisions first name them`];
  }
  if (d.length === 5 && !nonEmpty(d[4])) return [4, 'must be a non-empty string'];
  return undefined;
}
