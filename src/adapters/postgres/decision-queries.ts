import { createHash } from 'node:crypto';
import { EntenteError } from '../../core/errors.js';
import type { LedgerAppend } from '../../ports/ledger-store.js';
import type { DecisionPage, DecisionQuery, DecisionRecord } from '../../ports/policy-store.js';
import {
  BATCHES_PER_READ, batchDecisions, explanationKeys, explanationKeysOf, explanationText, leafObjectProbe, objectList, objectProbe, packRows, rowProbes, selectRows,
  toRecords, xkeyRows,
  type ExplanationCache, type SelectedRow, type StoredBatch,
} from '../shared/decision-batches.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { appendInTransaction, appendLedger } from './ledger-queries.js';
import { normaliseTimestamp } from './object-facets.js';
import type { PgClient, PgDatabase } from './pg-pool.js';
import { SqlFilter } from './sql-filters.js';

/*
 * The release decision log (layout of migration 9, as on SQLite; see docs/storage-postgres.md):
 * a run of decisions sharing time, recipient and channel (a TAXII page) is ONE row of
 * `decision_batches` holding its seq range, its object ids as one text and the rest of each
 * decision as compact JSON tuples; each distinct explanation is one row of
 * `decision_explanations`, keyed by the SHA-256 of its text. A page is then one INSERT in one
 * transaction, where the old layout copied 100 rows into a table with six indexes.
 *
 * A page recorded in the ledger by a `decisions-v2` leaf holding exactly its decisions (migration
 * 10) keeps `leaf`, that leaf's index, and only its explanation keys in `rows`: its ids,
 * versions and outcomes are not written twice. Queries join the leaf and search its text.
 */

const FIXED_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A STIX timestamp at millisecond precision (the form `at` is stored in), or ENTENTE_INVALID_PARAMETER naming the field. */
function timestamp(value: string, field: string): string {
  const normalised = normaliseTimestamp(value);
  if (!FIXED_TIMESTAMP.test(normalised)) {
    throw new EntenteError('ENTENTE_INVALID_PARAMETER', `${field} is not a STIX timestamp (YYYY-MM-DDTHH:MM:SS[.s+]Z): ${JSON.stringify(value)}`,
      [{ path: field, message: 'not a STIX timestamp' }]);
  }
  return normalised;
}

/**
 * Appenders take this transaction-level lock before reading the last seq, so seq order is
 * commit order (a reader paging by seq never sees a higher seq commit before a lower one and
 * skips it) and no two appenders draw the same seq. Sent with BEGIN as one simple query: the
 * schema name is checked by PgDatabase against a strict pattern before it reaches SQL.
 */
function beginLocked(schema: string): string {
  return `BEGIN; SELECT pg_advisory_xact_lock(hashtextextended('entente:decisions:${schema}', 0))`;
}

/** Inserts the explanations of `texts` not yet stored and returns every key, in order. */
async function storedExplanationKeys(client: PgClient, texts: ReadonlyArray<string>): Promise<number[]> {
  const hashes = texts.map((t) => createHash('sha256').update(t, 'utf8').digest());
  // Appenders hold the lock, so no other transaction inserts explanations meanwhile: the rows this
  // statement did not insert are visible to its snapshot.
  const result = await client.query<{ xkey: number }>(`
    WITH input AS (SELECT * FROM unnest($1::bytea[], $2::text[]) WITH ORDINALITY AS i(hash, steps, n)),
    added AS (INSERT INTO decision_explanations (hash, steps) SELECT hash, steps FROM input ORDER BY n ON CONFLICT (hash) DO NOTHING RETURNING xkey, hash)
    SELECT coalesce(a.xkey, e.xkey) AS xkey FROM input i LEFT JOIN added a ON a.hash = i.hash LEFT JOIN decision_explanations e ON e.hash = i.hash ORDER BY i.n`,
  [hashes, texts]);
  return result.rows.map((r) => r.xkey);
}

const LAST_SEQ = 'coalesce((SELECT last_seq FROM decision_batches ORDER BY first_seq DESC LIMIT 1), 0)';

const INSERT_BATCHES = `INSERT INTO decision_batches (first_seq, last_seq, at, recipient, channel, objects, rows)
  SELECT base.seq + b.first_off, base.seq + b.last_off, b.at, b.recipient, b.channel, b.objects, b.rows
  FROM (SELECT ${LAST_SEQ} AS seq) base,
    unnest($1::integer[], $2::integer[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS b(first_off, last_off, at, recipient, channel, objects, rows)`;

/** A page is one batch: plain parameters, which the driver sends as they are (array literals are escaped character by character). */
const INSERT_BATCH = `INSERT INTO decision_batches (first_seq, last_seq, at, recipient, channel, objects, rows, leaf)
  SELECT base.seq + $1::integer, base.seq + $2::integer, $3, $4, $5, $6, $7, $8::bigint FROM (SELECT ${LAST_SEQ} AS seq) base`;

/** Appends in one transaction; the cache learns new explanation keys only once it has committed. */
export async function appendDecisions(db: PgDatabase, cache: ExplanationCache, records: ReadonlyArray<DecisionRecord>, ledger?: LedgerAppend): Promise<void> {
  // Checked and built before the transaction: a bad record is refused without a round trip.
  const batches = batchDecisions(records, timestamp);
  const keys = explanationKeys(records);
  if (records.length === 0) {
    if (ledger !== undefined && ledger.leaves.length > 0) await appendLedger(db, ledger.leaves, ledger.advance);
    return;
  }
  const missing = new Map<string, number>();
  keys.forEach((key, i) => {
    if (cache.get(key) === undefined && !missing.has(key)) missing.set(key, i);
  });
  const fresh = await db.withClient('appendDecisions', async (client) => {
    await client.query(beginLocked(db.schema));
    try {
      const found = missing.size === 0 ? [] : await storedExplanationKeys(client, [...missing.values()].map((i) => explanationText((records[i] as DecisionRecord).steps)));
      const added = [...missing.keys()].map((key, n): [string, number] => [key, found[n] as number]);
      const byKey = new Map(added);
      const xkeys = keys.map((key) => (cache.get(key) ?? byKey.get(key)) as number);
      // The page's ledger leaf commits with it, appended first: a batch kept by reference names
      // its index. Lock order: the decisions lock, then the ledger state row, never the reverse
      // (a ledger append alone takes only the row).
      const indexes = ledger === undefined ? [] : await appendInTransaction(client, ledger.leaves, ledger.advance);
      const leaf = ledger?.decisionsLeaf === undefined || batches.length !== 1 ? undefined : indexes[ledger.decisionsLeaf];
      const rows = batches.map((b) => {
        const head = records[b.start] as DecisionRecord;
        return leaf === undefined
          ? [1 + b.start, b.end, b.at, head.recipient, head.channel, objectList(records, b.start, b.end), packRows(records, b.start, b.end, xkeys), null]
          : [1 + b.start, b.end, b.at, head.recipient, head.channel, '', xkeyRows(b.start, b.end, xkeys), leaf];
      });
      if (rows.length === 1) await client.query(INSERT_BATCH, rows[0]);
      else await client.query(INSERT_BATCHES, [0, 1, 2, 3, 4, 5, 6].map((c) => rows.map((row) => row[c])));
      await client.query('COMMIT');
      return added;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
  cache.remember(fresh);
}

interface BatchRow {
  readonly first_seq: string;
  readonly last_seq: string;
  readonly at: string;
  readonly recipient: string;
  readonly channel: StoredBatch['channel'];
  readonly objects: string;
  readonly rows: string;
  readonly entry: string | null;
}

/**
 * Keyset on seq, never OFFSET. Batches are read in seq order from the one holding the cursor,
 * filtered in SQL by what they share (recipient through its index; channel and time per batch;
 * an object id, agreement or outcome by a substring search of the batch's id list or rows, which
 * skips most batches unparsed), and their rows by the rest until the page is full.
 */
export async function queryDecisions(db: PgDatabase, query: DecisionQuery): Promise<DecisionPage> {
  let after = 0;
  if (query.cursor !== undefined) {
    const [seq] = decodeCursor('decisions', query.cursor);
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq)) {
      throw new EntenteError('ENTENTE_INVALID_PARAMETER', `next: "${query.cursor}" is not a cursor of this listing`, [{ path: 'next', message: 'unknown or malformed cursor' }]);
    }
    after = seq;
  }
  const filter = new SqlFilter();
  const equal = (column: string, value: string | undefined): void => {
    if (value !== undefined) filter.add(`${column} = ${filter.param(value)}`);
  };
  equal('b.recipient', query.recipient);
  equal('b.channel', query.channel);
  if (query.since !== undefined) filter.add(`b.at >= ${filter.param(timestamp(query.since, 'since'))}`);
  if (query.until !== undefined) filter.add(`b.at < ${filter.param(timestamp(query.until, 'until'))}`);
  // A batch kept by reference is searched in its leaf's text (the same probes for rows).
  if (query.objectId !== undefined) {
    filter.add(`(CASE WHEN b.leaf IS NULL THEN strpos(b.objects, ${filter.param(objectProbe(query.objectId))}) ELSE strpos(l.entry, ${filter.param(leafObjectProbe(query.objectId))}) END) > 0`);
  }
  for (const probe of rowProbes(query)) filter.add(`strpos(CASE WHEN b.leaf IS NULL THEN b.rows ELSE l.entry END, ${filter.param(probe)}) > 0`);
  const afterParam = filter.param(after);
  const floorParam = filter.param(0);
  // The batch holding the cursor starts at or before it: a range start for the recipient index too.
  filter.add(`b.first_seq >= greatest(${floorParam}::bigint, (SELECT coalesce(max(first_seq), 0) FROM decision_batches WHERE first_seq <= ${afterParam}::bigint))`);
  filter.add(`b.last_seq > ${afterParam}::bigint`);
  const sql = `SELECT b.first_seq, b.last_seq, b.at, b.recipient, b.channel, b.objects, b.rows, CASE WHEN b.leaf IS NULL THEN NULL ELSE coalesce(l.entry, '') END AS entry
    FROM decision_batches b LEFT JOIN ledger_entries l ON l.idx = b.leaf ${filter.where()} ORDER BY b.first_seq LIMIT ${BATCHES_PER_READ}`;
  const values = [...filter.values];
  const floorAt = values.length - 1;
  const want = query.limit + 1;
  const selected: SelectedRow[] = [];
  for (;;) {
    const batches = await db.query<BatchRow>('queryDecisions', sql, values);
    for (const b of batches) {
      selectRows({ firstSeq: Number(b.first_seq), lastSeq: Number(b.last_seq), at: b.at, recipient: b.recipient, channel: b.channel, objects: b.objects, rows: b.rows, leaf: b.entry },
        query, after, want, selected);
      if (selected.length >= want) break;
    }
    const last = batches[batches.length - 1];
    if (selected.length >= want || batches.length < BATCHES_PER_READ || last === undefined) break;
    values[floorAt] = Number(last.first_seq) + 1;
  }
  const page = selected.slice(0, query.limit);
  const keys = explanationKeysOf(page);
  const rows = keys.length === 0 ? [] : await db.query<{ xkey: number; steps: string }>('queryDecisions', 'SELECT xkey, steps FROM decision_explanations WHERE xkey = ANY($1::integer[])', [keys]);
  const records = toRecords(page, new Map(rows.map((r) => [r.xkey, r.steps])));
  const lastRecord = records[records.length - 1];
  return selected.length > query.limit && lastRecord !== undefined ? { records, next: encodeCursor('decisions', [lastRecord.seq]) } : { records };
}
