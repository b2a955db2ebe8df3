import type { Database } from 'better-sqlite3';
import type { SqliteContext } from './context.js';
import { placeholders } from './statements.js';

/**
 * A 32-bit hash of an object id (FNV-1a over UTF-16 code units, then the MurmurHash3 finaliser
 * to spread the bits), signed so that SQLite stores it in 4 bytes. The `ids` table is found by
 * this hash rather than by the id text: see `IdKeys`. Stable across processes and versions:
 * stored hashes depend on it, so changing it needs a migration that recomputes them.
 */
export function idHash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i += 1) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** SQL name of `idHash`, for queries that join `ids` on an id column of another table. */
export const ID_HASH_FUNCTION = 'entente_id_hash';

/**
 * Registers `entente_id_hash(text)` on a connection. It is used by queries and by migration 10,
 * never in the schema (no index or constraint names it), so other tools can still read and
 * write the file without it.
 */
export function registerIdHash(db: Database): void {
  db.function(ID_HASH_FUNCTION, { deterministic: true, directOnly: true }, (id: unknown) => (typeof id === 'string' ? idHash(id) : null));
}

/** `SELECT ikey FROM ids …` for a list of ids; bind `idKeyParams(ids)`. */
export function idKeysSql(n: number): string {
  return `SELECT ikey FROM ids WHERE hash IN (${placeholders(n)}) AND id IN (${placeholders(n)})`;
}

/** The parameters of `idKeysSql`: the hashes, then the ids. */
export function idKeyParams(ids: ReadonlyArray<string>): unknown[] {
  return [...ids.map(idHash), ...ids];
}

/** The key of one id already stored, or undefined. */
export function findIdKey(ctx: SqliteContext, id: string, hash = idHash(id)): number | undefined {
  const row = ctx.sql.get('SELECT ikey FROM ids WHERE hash = ? AND id = ?').get(hash, id) as { ikey: number } | undefined;
  return row?.ikey;
}

/**
 * Object ids as integer keys, created on first sight (also for ids only referenced by an edge).
 * Read per batch from the `ids` table, remembered for the batch so a hub referenced by many
 * relationships is looked up once.
 *
 * `ids` is a table keyed by `ikey` (new keys are appended at its end) with an index on the
 * 32-bit hash of the id. Random UUID text is thus a key nowhere: the one index a new id inserts
 * into at a random place holds ~13 bytes per id instead of the id text (~60 bytes; 293 pages
 * of 8 KiB against 1,401 for 186k ids), so a batch of new ids dirties about a fifth of the pages
 * it did when `ids` was keyed by the text, and those pages are what the commit writes to the WAL.
 * Ids whose hashes collide are told apart by the text; the writer holds the write lock, so
 * checking before inserting keeps ids unique. The hash is not keyed: ids crafted to collide cost
 * their own lookups a scan of the colliding entries, never a wrong key.
 */
export class IdKeys {
  private readonly known = new Map<string, number>();
  private next: number;

  constructor(private readonly ctx: SqliteContext) {
    this.next = (ctx.sql.get("SELECT value FROM sequences WHERE name = 'ids'").get() as { value: number }).value;
  }

  /** The key of an id, created when the id is new. */
  keyOf(id: string): number {
    return this.claim(id).ikey;
  }

  /** The key of an object's own id and whether it was new. */
  claim(id: string): { readonly ikey: number; readonly isNew: boolean } {
    const seen = this.known.get(id);
    if (seen !== undefined) return { ikey: seen, isNew: false };
    const hash = idHash(id);
    const stored = findIdKey(this.ctx, id, hash);
    if (stored !== undefined) {
      this.known.set(id, stored);
      return { ikey: stored, isNew: false };
    }
    this.next += 1;
    this.ctx.sql.get('INSERT INTO ids (ikey, hash, id) VALUES (?, ?, ?)').run(this.next, hash, id);
    this.known.set(id, this.next);
    return { ikey: this.next, isNew: true };
  }

  /** Records the keys handed out; the caller's transaction makes it atomic with the rows. */
  save(): void {
    this.ctx.sql.get("UPDATE sequences SET value = ? WHERE name = 'ids'").run(this.next);
  }
}
