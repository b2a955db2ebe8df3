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

/** `?, ?, ?` for an IN list of `n` values. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}
