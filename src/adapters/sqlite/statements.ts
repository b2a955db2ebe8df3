import type { Database, Statement } from 'better-sqlite3';

/**
 * Prepared statements by SQL text. Preparing costs more than running a small query, and the
 * dynamic queries (filters, IN lists) repeat a handful of shapes, so each shape is prepared once.
 * The cache is bounded because IN lists of varying length are separate shapes.
 */
export class StatementCache {
  private readonly cache = new Map<string, Statement>();

  constructor(private readonly db: Database, private readonly max = 500) {}

  get(sql: string): Statement {
    let statement = this.cache.get(sql);
    if (statement === undefined) {
      if (this.cache.size >= this.max) this.cache.clear();
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }
}

/**
 * `LIMIT` with a bound value. SQLite's planner reads a bare `LIMIT ?` at prepare time (its value
 * may change the plan) and marks the statement to be prepared again whenever that parameter is
 * bound anew, which every run of a cached statement does: a TAXII page paid for parsing and
 * planning its statement on every request (~6 % of a page's CPU at 1M objects). The unary plus
 * is the same value, which the planner does not read; the plans of these listings do not
 * depend on it (they walk an index in the ORDER BY's order).
 */
export const LIMIT_PARAM = 'LIMIT +?';

/** `?, ?, ?` for an IN list of `n` values. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}
