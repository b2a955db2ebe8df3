import { EntenteError } from '../../core/errors.js';
import { decodeEdge, encodeEdge } from '../../core/ledger/compact-tree.js';
import {
  checkAdvancedState, checkLedgerRange, ledgerHashRefused, ledgerLeafConflict, type LedgerLeaf, type StoredCheckpoint, type StoredLedgerEntry, type TreeState,
} from '../../ports/ledger-store.js';
import { constraintViolation } from './pg-errors.js';
import type { PgClient, PgDatabase } from './pg-pool.js';

/*
 * The ledger (migration 4). An append locks the one `ledger_state` row FOR UPDATE first: every
 * appender, in any process, then waits its turn, sees the size the previous one left, and its
 * entries take the next indexes. Under that lock the duplicate check cannot race, so it runs as
 * a query before the insert and names the offending leaf.
 */

interface EntryRow {
  readonly idx: string;
  readonly leaf_hash: Buffer;
  readonly entry: string;
}

const toEntry = (row: EntryRow): StoredLedgerEntry => ({ index: Number(row.idx), leafHash: row.leaf_hash, entry: row.entry });

function stateOf(row: { size: string; edge: Buffer } | undefined): TreeState {
  return row === undefined ? { size: 0, edge: [] } : { size: Number(row.size), edge: decodeEdge(row.edge) };
}

export async function getLedgerState(db: PgDatabase): Promise<TreeState> {
  const [row] = await db.query<{ size: string; edge: Buffer }>('getLedgerState', 'SELECT size, edge FROM ledger_state WHERE id = 1');
  return stateOf(row);
}

export async function appendLedger(db: PgDatabase, leaves: ReadonlyArray<LedgerLeaf>, advance: (state: TreeState) => TreeState): Promise<number[]> {
  const [only] = leaves;
  if (leaves.length === 1 && only !== undefined) {
    if (only.leafHash.length !== 32) throw ledgerHashRefused(0);
    return appendOne(db, only, Buffer.from(only.leafHash), advance);
  }
  return db.transaction('appendLedger', (client) => appendInTransaction(client, leaves, advance));
}

/**
 * Appends leaves inside the caller's open transaction (PolicyStore.appendDecisions writes a
 * page's decisions and its leaf together): locks the state row, refuses a leaf already in the
 * log or twice in `leaves` with ENTENTE_CONFLICT naming it, then writes the entries and the new
 * state. The caller rolls back on any error.
 */
export async function appendInTransaction(client: PgClient, leaves: ReadonlyArray<LedgerLeaf>, advance: (state: TreeState) => TreeState): Promise<number[]> {
  const seen = new Map<string, number>();
  leaves.forEach((leaf, i) => {
    if (leaf.leafHash.length !== 32) throw ledgerHashRefused(i);
    const hex = Buffer.from(leaf.leafHash).toString('hex');
    if (seen.has(hex)) throw ledgerLeafConflict(i, leaf.leafHash);
    seen.set(hex, i);
  });
  const hashes = leaves.map((leaf) => Buffer.from(leaf.leafHash));
  const locked = await client.query<{ size: string; edge: Buffer }>('SELECT size, edge FROM ledger_state WHERE id = 1 FOR UPDATE');
  const state = stateOf(locked.rows[0]);
  const next = advance(state);
  checkAdvancedState(state.size, leaves.length, next);
  if (leaves.length === 0) return [];
  const [only] = leaves;
  if (leaves.length === 1 && only !== undefined) {
    await insertOne(client, state.size, only, hashes[0] as Buffer, next);
    return [state.size];
  }
  const held = await client.query<{ leaf_hash: Buffer }>('SELECT leaf_hash FROM ledger_entries WHERE leaf_hash = ANY($1::bytea[]) LIMIT 1', [hashes]);
  const duplicate = held.rows[0];
  if (duplicate !== undefined) {
    const i = seen.get(duplicate.leaf_hash.toString('hex')) ?? 0;
    throw ledgerLeafConflict(i, duplicate.leaf_hash);
  }
  const indexes = leaves.map((_, i) => state.size + i);
  await client.query('INSERT INTO ledger_entries (idx, leaf_hash, entry) SELECT * FROM unnest($1::bigint[], $2::bytea[], $3::text[])',
    [indexes, hashes, leaves.map((leaf) => leaf.entry)]);
  await client.query('UPDATE ledger_state SET size = $1, edge = $2 WHERE id = 1', [next.size, Buffer.from(encodeEdge(next.edge))]);
  return indexes;
}

/**
 * One leaf (a page's decisions, an agreement change): three round trips instead of six. BEGIN
 * goes with the row lock; the entry and the new state go in one statement, with plain
 * parameters (pg escapes array literals character by character, and a page's entry is ~17 KB);
 * under the lock a unique violation on the leaf hash can only be an entry already in the log.
 */
async function appendOne(db: PgDatabase, leaf: LedgerLeaf, hash: Buffer, advance: (state: TreeState) => TreeState): Promise<number[]> {
  return db.withClient('appendLedger', async (client) => {
    try {
      const [, locked] = await client.query('BEGIN; SELECT size, edge FROM ledger_state WHERE id = 1 FOR UPDATE') as unknown as [unknown, { rows: Array<{ size: string; edge: Buffer }> }];
      const state = stateOf(locked.rows[0]);
      const next = advance(state);
      checkAdvancedState(state.size, 1, next);
      await insertOne(client, state.size, leaf, hash, next);
      await client.query('COMMIT');
      return [state.size];
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}

/** The entry and the new state in one statement, under the state row's lock: a unique violation can only be a leaf already in the log. */
async function insertOne(client: PgClient, index: number, leaf: LedgerLeaf, hash: Buffer, next: TreeState): Promise<void> {
  try {
    await client.query(`WITH entry AS (INSERT INTO ledger_entries (idx, leaf_hash, entry) VALUES ($1, $2, $3))
      UPDATE ledger_state SET size = $4, edge = $5 WHERE id = 1`, [index, hash, leaf.entry, next.size, Buffer.from(encodeEdge(next.edge))]);
  } catch (error) {
    if (constraintViolation(error)?.state === '23505') throw ledgerLeafConflict(0, leaf.leafHash, error);
    throw error;
  }
}

export async function getLedgerEntry(db: PgDatabase, index: number): Promise<StoredLedgerEntry | undefined> {
  if (!Number.isSafeInteger(index) || index < 0) return undefined;
  const [row] = await db.query<EntryRow>('getLedgerEntry', 'SELECT idx, leaf_hash, entry FROM ledger_entries WHERE idx = $1', [index]);
  return row === undefined ? undefined : toEntry(row);
}

export async function findLedgerEntry(db: PgDatabase, leafHash: Uint8Array): Promise<StoredLedgerEntry | undefined> {
  if (leafHash.length !== 32) return undefined;
  const [row] = await db.query<EntryRow>('findLedgerEntry', 'SELECT idx, leaf_hash, entry FROM ledger_entries WHERE leaf_hash = $1', [Buffer.from(leafHash)]);
  return row === undefined ? undefined : toEntry(row);
}

async function ledgerSize(db: PgDatabase): Promise<number> {
  return (await getLedgerState(db)).size;
}

export async function readLeafHashes(db: PgDatabase, start: number, end: number): Promise<Uint8Array> {
  checkLedgerRange(start, end, await ledgerSize(db));
  const rows = await db.query<{ leaf_hash: Buffer }>('readLeafHashes',
    'SELECT leaf_hash FROM ledger_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx', [start, end]);
  if (rows.length !== end - start) throw new EntenteError('ENTENTE_INTERNAL', `The ledger has gaps between indexes ${start} and ${end}`);
  const out = new Uint8Array(rows.length * 32);
  rows.forEach((row, i) => out.set(row.leaf_hash, i * 32));
  return out;
}

export async function readLedgerEntries(db: PgDatabase, start: number, end: number): Promise<StoredLedgerEntry[]> {
  checkLedgerRange(start, end, await ledgerSize(db));
  const rows = await db.query<EntryRow>('readLedgerEntries', 'SELECT idx, leaf_hash, entry FROM ledger_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx', [start, end]);
  return rows.map(toEntry);
}

interface CheckpointRow {
  readonly tree_size: string;
  readonly origin: string;
  readonly root_hash: Buffer;
  readonly note: string;
}
const toCheckpoint = (row: CheckpointRow): StoredCheckpoint => ({ treeSize: Number(row.tree_size), origin: row.origin, rootHash: row.root_hash, note: row.note });

export async function saveCheckpoint(db: PgDatabase, checkpoint: StoredCheckpoint): Promise<void> {
  const root = Buffer.from(checkpoint.rootHash);
  // ON CONFLICT DO NOTHING then a read: concurrent savers of one size agree on which one is kept.
  await db.query('saveCheckpoint', 'INSERT INTO ledger_checkpoints (tree_size, origin, root_hash, note) VALUES ($1, $2, $3, $4) ON CONFLICT (tree_size) DO NOTHING',
    [checkpoint.treeSize, checkpoint.origin, root, checkpoint.note]);
  const kept = await getCheckpoint(db, checkpoint.treeSize);
  if (kept !== undefined && Buffer.compare(Buffer.from(kept.rootHash), root) !== 0) {
    throw new EntenteError('ENTENTE_CONFLICT', `A checkpoint of tree size ${checkpoint.treeSize} with another root is already kept: a log must not sign two histories`);
  }
}

export async function getLatestCheckpoint(db: PgDatabase): Promise<StoredCheckpoint | undefined> {
  const [row] = await db.query<CheckpointRow>('getLatestCheckpoint', 'SELECT tree_size, origin, root_hash, note FROM ledger_checkpoints ORDER BY tree_size DESC LIMIT 1');
  return row === undefined ? undefined : toCheckpoint(row);
}

export async function getCheckpoint(db: PgDatabase, treeSize: number): Promise<StoredCheckpoint | undefined> {
  if (!Number.isSafeInteger(treeSize) || treeSize < 0) return undefined;
  const [row] = await db.query<CheckpointRow>('getCheckpoint', 'SELECT tree_size, origin, root_hash, note FROM ledger_checkpoints WHERE tree_size = $1', [treeSize]);
  return row === undefined ? undefined : toCheckpoint(row);
}
