import { EntenteError } from '../../core/errors.js';
import { RELEASE_OUTCOMES, type DecisionStep, type ReleaseOutcome } from '../../core/policy/types.js';
import { DECISION_CHANNELS, type DecisionChannel, type DecisionPage, type DecisionQuery, type DecisionRecord } from '../../ports/policy-store.js';
import type { SqliteContext } from './context.js';
import { decodeDecisionCursor, encodeDecisionCursor } from './cursor.js';
import { normaliseTimestamp } from './timestamps.js';

/*
 * The release decision log: append-only, paged oldest first by `seq`. Release decisions are
 * appended per TAXII page (up to 10,000 at once), so the insert is one prepared statement run
 * per row inside the caller's transaction.
 */

/** The values the CHECK constraints of migration 3 accept; `satisfies` keeps them in step with the port. */
const CHANNELS: ReadonlyArray<string> = DECISION_CHANNELS;
const OUTCOMES: ReadonlyArray<string> = RELEASE_OUTCOMES;

type DecisionTuple = [
  seq: number, at: string, recipient: string, channel: DecisionChannel, objectId: string, objectVersion: string,
  agreementId: string | null, agreementVersion: number | null, outcome: ReleaseOutcome, reason: string | null, steps: string,
];

const COLUMNS = 'at, recipient, channel, object_id, object_version, agreement_id, agreement_version, outcome, reason, steps';

function toRecord(t: DecisionTuple): DecisionRecord & { readonly seq: number } {
  return {
    seq: t[0], at: t[1], recipient: t[2], channel: t[3], objectId: t[4], objectVersion: t[5],
    ...(t[6] === null ? {} : { agreementId: t[6] }),
    ...(t[7] === null ? {} : { agreementVersion: t[7] }),
    outcome: t[8],
    ...(t[9] === null ? {} : { reason: t[9] }),
    steps: JSON.parse(t[10]) as DecisionStep[],
  };
}

/** Inserts every record in order; call inside a transaction so a refused record rolls all back. */
export function appendDecisions(ctx: SqliteContext, records: ReadonlyArray<DecisionRecord>): void {
  const insert = ctx.sql.get(`INSERT INTO decisions (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  records.forEach((r, i) => {
    const at = normaliseTimestamp(r.at, `records[${i}].at`);
    try {
      insert.run(at, r.recipient, r.channel, r.objectId, r.objectVersion, r.agreementId ?? null, r.agreementVersion ?? null,
        r.outcome, r.reason ?? null, JSON.stringify(r.steps));
    } catch (error) {
      throw refused(error, r, i);
    }
  });
}

/** A CHECK violation becomes ENTENTE_INVALID_PARAMETER naming the record and field; anything else goes on as it was. */
function refused(error: unknown, record: DecisionRecord, index: number): unknown {
  const message = error instanceof Error ? error.message : '';
  if (!(error instanceof Error && 'code' in error && error.code === 'SQLITE_CONSTRAINT_CHECK')) return error;
  const [field, value, allowed] = /decisions_channel/.test(message)
    ? ['channel', record.channel, CHANNELS] as const
    : ['outcome', record.outcome, OUTCOMES] as const;
  const path = `records[${index}].${field}`;
  return new EntenteError('ENTENTE_INVALID_PARAMETER', `${path}: ${JSON.stringify(value)} is not one of ${allowed.join(', ')}; no decision of the batch was recorded`,
    [{ path, message: `must be one of ${allowed.join(', ')}` }], { cause: error });
}

/**
 * Every filter is an equality or a range on an indexed column; SQLite picks one index (each
 * ends with the rowid, i.e. seq) and checks the rest row by row. Keyset on seq, never OFFSET.
 */
export function queryDecisions(ctx: SqliteContext, query: DecisionQuery): DecisionPage {
  const where: string[] = [];
  const params: unknown[] = [];
  const equal = (column: string, value: string | undefined): void => {
    if (value === undefined) return;
    where.push(`${column} = ?`);
    params.push(value);
  };
  equal('recipient', query.recipient);
  equal('object_id', query.objectId);
  equal('agreement_id', query.agreementId);
  equal('outcome', query.outcome);
  equal('channel', query.channel);
  if (query.since !== undefined) {
    where.push('at >= ?');
    params.push(normaliseTimestamp(query.since, 'since'));
  }
  if (query.until !== undefined) {
    where.push('at < ?');
    params.push(normaliseTimestamp(query.until, 'until'));
  }
  if (query.cursor !== undefined) {
    where.push('seq > ?');
    params.push(decodeDecisionCursor(query.cursor));
  }
  const sql = `SELECT seq, ${COLUMNS} FROM decisions ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`} ORDER BY seq LIMIT ?`;
  const rows = ctx.sql.get(sql).raw(true).all(...params, query.limit + 1) as DecisionTuple[];
  const records = rows.slice(0, query.limit).map(toRecord);
  const last = records[records.length - 1];
  return rows.length > query.limit && last !== undefined ? { records, next: encodeDecisionCursor(last.seq) } : { records };
}
