import type { SqliteContext } from './context.js';

/**
 * Object ids as integer keys, created on first sight (also for ids only referenced by an edge).
 * Read per batch from the `ids` table, remembered for the batch so a hub referenced by many
 * relationships is looked up once.
 */
export class IdKeys {
  private readonly known = new Map<string, number>();
  private next: number;

  constructor(private readonly ctx: SqliteContext) {
    this.next = (ctx.sql.get("SELECT value FROM sequences WHERE name = 'ids'").get() as { value: number }).value;
  }

  /** The key of an id already stored, or undefined. */
  find(id: string): number | undefined {
    let ikey = this.known.get(id);
    if (ikey === undefined) {
      ikey = (this.ctx.sql.get('SELECT ikey FROM ids WHERE id = ?').get(id) as { ikey: number } | undefined)?.ikey;
      if (ikey !== undefined) this.known.set(id, ikey);
    }
    return ikey;
  }

  /** The key of an id, created when the id is new. */
  keyOf(id: string): number {
    return this.find(id) ?? this.create(id);
  }

  /**
   * The key of an object's own id and whether it was new. Most ids of a feed are new, so the
   * insert is tried first: one B-tree descent instead of a lookup and then an insert.
   */
  claim(id: string): { readonly ikey: number; readonly isNew: boolean } {
    const seen = this.known.get(id);
    if (seen !== undefined) return { ikey: seen, isNew: false };
    const ikey = this.next + 1;
    if (this.ctx.sql.get('INSERT INTO ids (id, ikey) VALUES (?, ?) ON CONFLICT DO NOTHING').run(id, ikey).changes === 1) {
      this.next = ikey;
      this.known.set(id, ikey);
      return { ikey, isNew: true };
    }
    return { ikey: this.find(id)!, isNew: false };
  }

  private create(id: string): number {
    this.next += 1;
    this.ctx.sql.get('INSERT INTO ids (id, ikey) VALUES (?, ?)').run(id, this.next);
    this.known.set(id, this.next);
    return this.next;
  }

  /** Records the keys handed out; the caller's transaction makes it atomic with the rows. */
  save(): void {
    this.ctx.sql.get("UPDATE sequences SET value = ? WHERE name = 'ids'").run(this.next);
  }
}
