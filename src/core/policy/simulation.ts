/**
 * Dry runs: what a party would receive under an agreement, summarised for the liaison officer
 * who is about to activate it (counts by type and by label, examples, and the reason for every
 * denial), and what changes between two versions of an agreement.
 */
import type { Agreement, ReleaseDecision, ReleaseOutcome } from './types.js';
import type { Json } from './redaction.js';

export interface SimulationEntry {
  readonly object: Json;
  readonly decision: ReleaseDecision;
  /** The banner of the object's label, for the counts by label. */
  readonly banner: string;
}

export type OutcomeCounts = Record<ReleaseOutcome, number>;

export interface SimulationSummary {
  readonly recipient: string;
  readonly total: number;
  readonly counts: OutcomeCounts;
  readonly byType: Readonly<Record<string, OutcomeCounts>>;
  readonly byLabel: Readonly<Record<string, OutcomeCounts>>;
  /** Up to `examples` released (or redacted) objects. */
  readonly examples: ReadonlyArray<{ readonly id: string; readonly type: string; readonly outcome: ReleaseOutcome; readonly banner: string }>;
  /** Denials grouped by reason, most frequent first, each with examples and the failing rule. */
  readonly denials: ReadonlyArray<{ readonly reason: string; readonly count: number; readonly examples: ReadonlyArray<{ readonly id: string; readonly detail: string }> }>;
}

const zero = (): OutcomeCounts => ({ allow: 0, redact: 0, deny: 0 });
/** Objects that go so that others can be read, not intelligence of their own. */
const SUPPORTING_TYPES: ReadonlySet<string> = new Set(['marking-definition', 'extension-definition', 'language-content', 'identity']);

export function summarise(recipient: string, entries: ReadonlyArray<SimulationEntry>, examples = 5): SimulationSummary {
  const counts = zero();
  const byType: Record<string, OutcomeCounts> = {};
  const byLabel: Record<string, OutcomeCounts> = {};
  // Examples show intelligence first: marking-definitions and identities say little of what an agreement shares.
  const released: Array<SimulationSummary['examples'][number]> = [];
  const supporting: Array<SimulationSummary['examples'][number]> = [];
  const denials = new Map<string, { count: number; examples: Array<{ id: string; detail: string }> }>();
  for (const { object, decision, banner } of entries) {
    const type = String(object['type']);
    const id = String(object['id']);
    counts[decision.outcome]++;
    (byType[type] ??= zero())[decision.outcome]++;
    (byLabel[banner] ??= zero())[decision.outcome]++;
    if (decision.outcome !== 'deny') {
      const into = SUPPORTING_TYPES.has(type) ? supporting : released;
      if (into.length < examples) into.push({ id, type, outcome: decision.outcome, banner });
      continue;
    }
    const reason = decision.reason ?? 'denied';
    const group = denials.get(reason) ?? { count: 0, examples: [] };
    group.count++;
    const failing = [...decision.steps].reverse().find((s) => s.outcome === 'fail');
    if (group.examples.length < examples) group.examples.push({ id, detail: failing === undefined ? reason : `${failing.rule}: ${failing.detail}` });
    denials.set(reason, group);
  }
  return {
    recipient, total: entries.length, counts, byType: sortKeys(byType), byLabel: sortKeys(byLabel), examples: [...released, ...supporting].slice(0, examples),
    denials: [...denials].map(([reason, g]) => ({ reason, count: g.count, examples: g.examples })).sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1)),
  };
}

export interface OutcomeChange {
  readonly id: string;
  readonly type: string;
  readonly before: ReleaseOutcome;
  readonly after: ReleaseOutcome;
  /** The deciding reason on the denying side, when one side denies. */
  readonly reason?: string;
}

/** Objects whose outcome differs between two runs over the same objects (matched by id). */
export function compareRuns(before: ReadonlyArray<SimulationEntry>, after: ReadonlyArray<SimulationEntry>): ReadonlyArray<OutcomeChange> {
  const old = new Map(before.map((e) => [String(e.object['id']), e.decision]));
  const out: OutcomeChange[] = [];
  for (const e of after) {
    const id = String(e.object['id']);
    const was = old.get(id);
    if (was === undefined || was.outcome === e.decision.outcome) continue;
    const reason = e.decision.outcome === 'deny' ? e.decision.reason : was.outcome === 'deny' ? was.reason : undefined;
    out.push({ id, type: String(e.object['type']), before: was.outcome, after: e.decision.outcome, ...(reason === undefined ? {} : { reason }) });
  }
  return out;
}

export interface AgreementChange {
  /** Where the two versions differ, e.g. `ceilings.POL.tlp`, `parties`. */
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** What changed between two versions of an agreement, field by field (the version number aside). */
export function diffAgreements(before: Agreement, after: Agreement): ReadonlyArray<AgreementChange> {
  const out: AgreementChange[] = [];
  walk({ ...before, version: 0 }, { ...after, version: 0 }, '', out);
  return out;
}

function walk(a: unknown, b: unknown, path: string, out: AgreementChange[]): void {
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  const plain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (plain(a) && plain(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) walk(a[key], b[key], path === '' ? key : `${path}.${key}`, out);
    return;
  }
  out.push({ path, ...(a === undefined ? {} : { before: a }), ...(b === undefined ? {} : { after: b }) });
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
