/**
 * One schema change of a Store adapter. Versions only grow, each is applied in its own
 * transaction, and an applied migration is never edited: a change of schema is a new entry.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}
