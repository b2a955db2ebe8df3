import type { DecisionStep } from '../../core/policy/types.js';
import type { DecisionPage, DecisionQuery, DecisionRecord } from '../../ports/policy-store.js';
import {
  BATCHES_PER_READ, batchDecisions, explanationKeys, explanationKeysOf, explanationText, leafObjectProbe, objectList, objectProbe, packRows, rowProbes, selectRows,
  toRecords, xkeyRows,
  type ExplanationCache, type SelectedRow, type StoredBatch,
} from '../shared/decision-batches.js';
import type { SqliteContext } from './context.js';
import { decodeDecisionCursor, encodeDecisionCursor } from './cursor.js';
import { placeholders } from './statements.js';
import { normaliseTimestamp } from './timestamps.js';

/*
 * The release decision log (layout of migration 9; see migrations.ts and docs/storage.md). A
 * run of decisions sharing time, recipient and channel (a TAXII page) is ONE row of
 * `decision_batches`: those shared values, its seq range, its object ids as one text, and the
 * rest of each decision as a JSON array of compact tuples (shared/decision-batches.ts). Each distinct
 * explanation is stored once in `decision_explanations`. Appending a page is then one row (and,
 * for an explanation never seen before, one more): measured about 4x
 * less CPU than a row per decision with an index on the object id (bench/decision-log.ts), whose
 * random inserts dirty a B-tree page per decision.
 *
 * A page read by another organisation is also recorded in the ledger by a `decisions-v2` leaf
 * holding its objects, versions, outcomes, agreements and reasons (migration 11). Its batch then
 * names that leaf (`leaf`, the index) and keeps only the explanation keys: the page's ~10 KB are
 * not written twice: measured, its commit then writes 7.4 pages of 8 KiB to the WAL instead of 8.7.
 * Queries join the leaf and search its text as they search `objects` and `rows`.
 */

/** New explanation keys of an append, to remember once its transaction has committed. */
export type FreshExplanations = ReadonlyArray<readonly [string, number]>;

/** The key of an explanation, inserting it if the log has none like it. */
function explanationOf(ctx: SqliteContext, steps: ReadonlyArray<DecisionStep>): number {
  const text = explanationText(steps);
  const inserted = ctx.sql.get('INSERT INTO decision_explanations (steps) VALUES (?) ON CONFLICT (steps) DO NOTHING RETURNING xkey').pluck(true).get(text) as number | undefined;
  return inserted ?? (ctx.sql.get('SELECT xkey FROM decision_explanations WHERE steps = ?').pluck(true).get(text) as number);
}

/**
 * Appends every record in order; call inside an IMMEDIATE transaction (seq values follow the last
 * batch's, so appenders must take turns) and give the result to the cache after commit.
 * Every record is checked before anything is written.
 */
export function appendDecisions(ctx: SqliteContext, cache: ExplanationCache, records: ReadonlyArray<DecisionRecord>, leaf?: number): FreshExplanations {
  const batches = batchDecisions(records, normaliseTimestamp);
  const keys = explanationKeys(records);
  if (records.length === 0) return [];
  const fresh = new Map<string, number>();
  const xkeys = keys.map((key, i) => {
    const known = cache.get(key) ?? fresh.get(key);
    if (known !== undefined) return known;
    const xkey = explanationOf(ctx, (records[i] as DecisionRecord).steps);
    fresh.set(key, xkey);
    return xkey;
  });
  // The log only grows (nothing deletes a batch), so the last batch's last seq is the counter:
  // no sequence row to update, and the page it reads is the one the insert dirties anyway.
  const first = 1 + (ctx.sql.get('SELECT coalesce(max(last_seq), 0) FROM decision_batches WHERE first_seq = (SELECT max(first_seq) FROM decision_batches)').pluck(true).get() as number);
  const insert = ctx.sql.get('INSERT INTO decision_batches (first_seq, last_seq, at, recipient, channel, objects, rows, leaf) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  // `leaf` records all of `records`: one batch (they share time, recipient and channel).
  const byLeaf = leaf !== undefined && batches.length === 1;
  for (const batch of batches) {
    const head = records[batch.start] as DecisionRecord;
    if (byLeaf) insert.run(first, first + batch.end - 1, batch.at, head.recipient, head.channel, '', xkeyRows(batch.start, batch.end, xkeys), leaf);
    else {
      insert.run(first + batch.start, first + batch.end - 1, batch.at, head.recipient, head.channel,
        objectList(records, batch.start, batch.end), packRows(records, batch.start, batch.end, xkeys), null);
    }
  }
  return [...fresh];
}

type BatchTuple = [firstSeq: number, lastSeq: number, at: string, recipient: string, channel: StoredBatch['channel'], objects: string, rows: string, leaf: string | null];

/**
 * Keyset on seq, never OFFSET. Batches are read in seq order from the one holding the cursor,
 * filtered in SQL by what they share (recipient through its index; channel and time per batch,
 * a hundredth of the decisions) and by a substring search of their id list or rows for an
 * object id, agreement or outcome (which skips most batches unparsed); the rows of those left
 * are checked one by one until the page is full.
 */
export function queryDecisions(ctx: SqliteContext, query: DecisionQuery): DecisionPage {
  const where: string[] = ['b.first_seq >= ?', 'b.last_seq > ?'];
  const params: unknown[] = [];
  const equal = (column: string, value: string | undefined): void => {
    if (value === undefined) return;
    where.push(`b.${column} = ?`);
    params.push(value);
  };
  equal('recipient', query.recipient);
  equal('channel', query.channel);
  if (query.since !== undefined) {
    where.push('b.at >= ?');
    params.push(normaliseTimestamp(query.since, 'since'));
  }
  if (query.until !== undefined) {
    where.push('b.at < ?');
    params.push(normaliseTimestamp(query.until, 'until'));
  }
  // A batch kept by reference is searched in its leaf's text (the same probes for rows).
  if (query.objectId !== undefined) {
    where.push('(CASE WHEN b.leaf IS NULL THEN instr(b.objects, ?) ELSE instr(l.entry, ?) END) > 0');
    params.push(objectProbe(query.objectId), leafObjectProbe(query.objectId));
  }
  for (const probe of rowProbes(query)) {
    where.push('instr(CASE WHEN b.leaf IS NULL THEN b.rows ELSE l.entry END, ?) > 0');
    params.push(probe);
  }
  const read = ctx.sql.get(`SELECT b.first_seq, b.last_seq, b.at, b.recipient, b.channel, b.objects, b.rows, CASE WHEN b.leaf IS NULL THEN NULL ELSE coalesce(l.entry, '') END
    FROM decision_batches b LEFT JOIN ledger_entries l ON l.idx = b.leaf WHERE ${where.join(' AND ')} ORDER BY b.first_seq LIMIT ${BATCHES_PER_READ}`).raw(true);
  const after = query.cursor === undefined ? 0 : decodeDecisionCursor(query.cursor);
  // The batch holding the cursor starts at or before it: a range start for the recipient index too.
  let floor = ctx.sql.get('SELECT coalesce(max(first_seq), 0) FROM decision_batches WHERE first_seq <= ?').pluck(true).get(after) as number;
  const want = query.limit + 1;
  const selected: SelectedRow[] = [];
  for (;;) {
    const batches = read.all(floor, after, ...params) as BatchTuple[];
    for (const [firstSeq, lastSeq, at, recipient, channel, objects, rows, leaf] of batches) {
      selectRows({ firstSeq, lastSeq, at, recipient, channel, objects, rows, leaf }, query, after, want, selected);
      if (selected.length >= want) break;
    }
    const last = batches[batches.length - 1];
    if (selected.length >= want || batches.length < BATCHES_PER_READ || last === undefined) break;
    floor = last[0] + 1;
  }
  const page = selected.slice(0, query.limit);
  const keys = explanationKeysOf(page);
  const steps = new Map(keys.length === 0 ? [] : ctx.sql.get(`SELECT xkey, steps FROM decision_explanations WHERE xkey IN (${placeholders(keys.length)})`).raw(true).all(...keys) as Array<[number, string]>);
  const records = toRecords(page, steps);
  const lastRecord = records[records.length - 1];
  return selected.length > query.limit && lastRecord !== undefined ? { records, next: encodeDecisionCursor(lastRecord.seq) } : { records };
}
