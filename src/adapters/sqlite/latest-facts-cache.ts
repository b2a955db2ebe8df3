import type { LatestReleaseFacts } from '../../ports/store.js';
import type { SqliteContext } from './context.js';
import { latestReleaseFacts } from './object-queries.js';

/** Ids remembered at most; past it the cache starts again (a page refers to a few dozen). */
const MAX_IDS = 50_000;

/**
 * `latestReleaseFacts` remembered between calls: the release decision asks it, on every page,
 * for the ids that page refers to beyond itself, and the answer changes only when objects or
 * memberships change. Everything is forgotten when this connection writes objects (the store
 * bumps `written`) or another connection commits anything (SQLite's `data_version`), so an
 * answer is never older than the store's last change.
 */
export class LatestFactsCache {
  #written = 0;
  #seen = '';
  readonly #known = new Map<string, LatestReleaseFacts | null>();

  /** To call after this connection changed objects or memberships (whether or not it committed). */
  written(): void {
    this.#written += 1;
  }

  get(ctx: SqliteContext, ids: ReadonlyArray<string>): Map<string, LatestReleaseFacts> {
    const state = `${this.#written}:${ctx.sql.get('PRAGMA data_version').pluck(true).get() as number}`;
    if (state !== this.#seen || this.#known.size > MAX_IDS) {
      this.#known.clear();
      this.#seen = state;
    }
    const out = new Map<string, LatestReleaseFacts>();
    const missing: string[] = [];
    for (const id of ids) {
      const known = this.#known.get(id);
      if (known === undefined) missing.push(id);
      else if (known !== null) out.set(id, known);
    }
    if (missing.length === 0) return out;
    const found = latestReleaseFacts(ctx, missing);
    for (const id of missing) {
      const facts = found.get(id);
      this.#known.set(id, facts ?? null);
      if (facts !== undefined) out.set(id, facts);
    }
    return out;
  }
}
