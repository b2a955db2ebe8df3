import type { Database } from 'better-sqlite3';
import type { StatementCache } from './statements.js';

/** What the query modules share: the connection and its statement cache. */
export interface SqliteContext {
  readonly db: Database;
  readonly sql: StatementCache;
}

/** A membership row as the query modules read it. */
export interface MemberRow {
  readonly seq: number;
  readonly ckey: number;
  readonly okey: number;
  readonly id: string;
  readonly type: string;
  readonly version: string;
  readonly spec_version: string;
  /** Milliseconds since the epoch. */
  readonly date_added: number;
  readonly is_first: number;
  readonly is_last: number;
  readonly spec_latest: number;
}

/** The internal key of a collection, or undefined when it does not exist. */
export function collectionKey(ctx: SqliteContext, collectionId: string): number | undefined {
  const row = ctx.sql.get('SELECT ckey FROM collections WHERE id = ?').get(collectionId) as { ckey: number } | undefined;
  return row?.ckey;
}
