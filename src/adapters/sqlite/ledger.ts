import { decodeEdge, encodeEdge } from '../../core/ledger/compact-tree.js';
import { EntenteError } from '../../core/errors.js';
import {
  checkAdvancedState, checkLedgerRange, ledgerHashRefused, ledgerLeafConflict, type LedgerLeaf, type StoredCheckpoint, type StoredLedgerEntry, type TreeState,
} from '../../ports/ledger-store.js';
import type { SqliteContext } from './context.js';

/*
 * The ledger (migration 4): `ledger_entries` keyed by the leaf index (the rowid, so a range of
 * indexes is one range read), a UNIQUE index on the 32-byte leaf hash (an entry's identity, and
 * how `prove <hash>` finds it), `ledger_state` as one row, and `ledger_checkpoints` keyed by
 * tree size. Run inside the caller's IMMEDIATE transaction: the state read and the append are
 * then one step for every process sharing the file.
 */

type EntryRow = [index: number, leafHash: Buffer, entry: string];

const toEntry = (row: EntryRow): StoredLedgerEntry => ({ index: row[0], leafHash: row[1], entry: row[2] });

export function getLedgerState(ctx: SqliteContext): TreeState {
  const row = ctx.sql.get('SELECT size, edge FROM ledger_state WHERE id = 1').raw(true).get() as [number, Buffer] | undefined;
  return row === undefined ? { size: 0, edge: [] } : { size: row[0], edge: decodeEdge(row[1]) };
}

function ledgerSize(ctx: SqliteContext): number {
  const row = ctx.sql.get('SELECT size FROM ledger_state WHERE id = 1').pluck(true).get() as number | undefined;
  return row ?? 0;
}

export function appendLedger(ctx: SqliteContext, leaves: ReadonlyArray<LedgerLeaf>, advance: (state: TreeState) => TreeState): number[] {
  leaves.forEach((leaf, i) => {
    if (leaf.leafHash.length !== 32) throw ledgerHashRefused(i);
  });
  const state = getLedgerState(ctx);
  const next = advance(state);
  checkAdvancedState(state.size, leaves.length, next);
  const insert = ctx.sql.get('INSERT INTO ledger_entries (idx, leaf_hash, entry) VALUES (?, ?, ?)');
  const indexes = leaves.map((leaf, i) => {
    const index = state.size + i;
    try {
      insert.run(index, leaf.leafHash, leaf.entry);
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'SQLITE_CONSTRAINT_UNIQUE') throw ledgerLeafConflict(i, leaf.leafHash, error);
      throw error;
    }
    return index;
  });
  ctx.sql.get('UPDATE ledger_state SET size = ?, edge = ? WHERE id = 1').run(next.size, Buffer.from(encodeEdge(next.edge)));
  return indexes;
}

export function getLedgerEntry(ctx: SqliteContext, index: number): StoredLedgerEntry | undefined {
  if (!Number.isSafeInteger(index) || index < 0) return undefined;
  const row = ctx.sql.get('SELECT idx, leaf_hash, entry FROM ledger_entries WHERE idx = ?').raw(true).get(index) as EntryRow | undefined;
  return row === undefined ? undefined : toEntry(row);
}

export function findLedgerEntry(ctx: SqliteContext, leafHash: Uint8Array): StoredLedgerEntry | undefined {
  if (leafHash.length !== 32) return undefined;
  const row = ctx.sql.get('SELECT idx, leaf_hash, entry FROM ledger_entries WHERE leaf_hash = ?').raw(true).get(Buffer.from(leafHash)) as EntryRow | undefined;
  return row === undefined ? undefined : toEntry(row);
}

export function readLeafHashes(ctx: SqliteContext, start: number, end: number): Uint8Array {
  checkLedgerRange(start, end, ledgerSize(ctx));
  const out = new Uint8Array((end - start) * 32);
  let offset = 0;
  for (const hash of ctx.sql.get('SELECT leaf_hash FROM ledger_entries WHERE idx >= ? AND idx < ? ORDER BY idx').pluck(true).iterate(start, end) as Iterable<Buffer>) {
    out.set(hash, offset);
    offset += 32;
  }
  if (offset !== out.length) throw new EntenteError('ENTENTE_INTERNAL', `The ledger has gaps between indexes ${start} and ${end}`);
  return out;
}

export function readLedgerEntries(ctx: SqliteContext, start: number, end: number): StoredLedgerEntry[] {
  checkLedgerRange(start, end, ledgerSize(ctx));
  const rows = ctx.sql.get('SELECT idx, leaf_hash, entry FROM ledger_entries WHERE idx >= ? AND idx < ? ORDER BY idx').raw(true).all(start, end) as EntryRow[];
  return rows.map(toEntry);
}

type CheckpointRow = [treeSize: number, origin: string, rootHash: Buffer, note: string];
const toCheckpoint = (row: CheckpointRow): StoredCheckpoint => ({ treeSize: row[0], origin: row[1], rootHash: row[2], note: row[3] });
const CHECKPOINT_COLUMNS = 'tree_size, origin, root_hash, note';

export function saveCheckpoint(ctx: SqliteContext, checkpoint: StoredCheckpoint): void {
  const existing = getCheckpoint(ctx, checkpoint.treeSize);
  if (existing !== undefined) {
    if (Buffer.compare(existing.rootHash as Buffer, Buffer.from(checkpoint.rootHash)) === 0) return;
    throw new EntenteError('ENTENTE_CONFLICT', `A checkpoint of tree size ${checkpoint.treeSize} with another root is already kept: a log must not sign two histories`);
  }
  ctx.sql.get(`INSERT INTO ledger_checkpoints (${CHECKPOINT_COLUMNS}) VALUES (?, ?, ?, ?)`)
    .run(checkpoint.treeSize, checkpoint.origin, Buffer.from(checkpoint.rootHash), checkpoint.note);
}

export function getLatestCheckpoint(ctx: SqliteContext): StoredCheckpoint | undefined {
  const row = ctx.sql.get(`SELECT ${CHECKPOINT_COLUMNS} FROM ledger_checkpoints ORDER BY tree_size DESC LIMIT 1`).raw(true).get() as CheckpointRow | undefined;
  return row === undefined ? undefined : toCheckpoint(row);
}

export function getCheckpoint(ctx: SqliteContext, treeSize: number): StoredCheckpoint | undefined {
  const row = ctx.sql.get(`SELECT ${CHECKPOINT_COLUMNS} FROM ledger_checkpoints WHERE tree_size = ?`).raw(true).get(treeSize) as CheckpointRow | undefined;
  return row === undefined ? undefined : toCheckpoint(row);
}
