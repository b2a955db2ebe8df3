/**
 * What the transparency ledger keeps: the entries of the node's Merkle log with their leaf
 * hashes, the state of its tree (size and right edge, enough to append and to know the root), and
 * the checkpoints the node has signed. Part of the Store port; both adapters pass the contract
 * cases in `store-contract/ledger.ts`.
 *
 * The store knows nothing of hashing: callers hash (src/core/ledger) and the store keeps what it
 * is given, in order, atomically.
 */
import { EntenteError, isEntenteError } from '../core/errors.js';
import { openCheckpoint, signCheckpoint, type SignedCheckpoint } from '../core/ledger/checkpoint.js';
import { CompactTree, stateRoot, type TreeState } from '../core/ledger/compact-tree.js';
import { recordsExactly } from '../core/ledger/decision-tuples.js';
import { encodeEntry, type LedgerEntry } from '../core/ledger/entries.js';
import { HASH_SIZE, hashesEqual, leafHashOfText, toBase64, type Hash } from '../core/ledger/hashing.js';
import { MemoryTree } from '../core/ledger/merkle-tree.js';
import type { NoteSigner, NoteVerifier } from '../core/ledger/signed-note.js';
import type { DecisionRecord, PolicyStore } from './policy-store.js';

export type { TreeState };

/** One entry to append: its RFC 9162 leaf hash and the canonical JSON text that hash covers. */
export interface LedgerLeaf {
  readonly leafHash: Uint8Array;
  readonly entry: string;
}

/**
 * Leaves appended in the same transaction as another write (PolicyStore.appendDecisions), with
 * the tree advance of `LedgerStore.appendLedger`: both are written, or neither.
 */
export interface LedgerAppend {
  readonly leaves: ReadonlyArray<LedgerLeaf>;
  readonly advance: (state: TreeState) => TreeState;
  /**
   * The place in `leaves` of a `decisions-v2` entry that records exactly the decisions appended
   * with it (recordDecisions checks this before saying so): the store may then keep those
   * decisions by reference to that leaf, their explanations aside, rather than write the same
   * objects, versions and outcomes a second time. Their queries answer the same either way.
   */
  readonly decisionsLeaf?: number;
}

export interface StoredLedgerEntry extends LedgerLeaf {
  /** The 0-based leaf index in the log. */
  readonly index: number;
}

/** A checkpoint this node signed, with its note text exactly as signed. */
export interface StoredCheckpoint {
  readonly origin: string;
  readonly treeSize: number;
  readonly rootHash: Uint8Array;
  readonly note: string;
}

export interface LedgerStore {
  /**
   * Appends leaves in one transaction, all or none, at the indexes that follow the log's current
   * size, and returns those indexes. `advance` receives the tree state as it is inside the
   * transaction and returns the state after these leaves (computed with CompactTree); the store
   * keeps it with them, so concurrent appenders, even from several processes, never interleave.
   * A leaf hash already in the log (or twice in the batch) is ENTENTE_CONFLICT naming it
   * (`leaves[3]`), a hash that is not 32 bytes ENTENTE_INVALID_PARAMETER, and a returned state
   * whose size is not the old size plus the batch ENTENTE_INVALID_PARAMETER; nothing is written.
   */
  appendLedger(leaves: ReadonlyArray<LedgerLeaf>, advance: (state: TreeState) => TreeState): Promise<ReadonlyArray<number>>;
  /** The current tree state; `{ size: 0, edge: [] }` for an empty log. */
  getLedgerState(): Promise<TreeState>;
  getLedgerEntry(index: number): Promise<StoredLedgerEntry | undefined>;
  /** The entry with this leaf hash (an entry's identity), if the log has it. */
  findLedgerEntry(leafHash: Uint8Array): Promise<StoredLedgerEntry | undefined>;
  /**
   * The leaf hashes of indexes [start, end), concatenated (32 bytes each) so that a million of
   * them are one 32 MB buffer rather than a million objects. A range outside the log is
   * ENTENTE_INVALID_PARAMETER.
   */
  readLeafHashes(start: number, end: number): Promise<Uint8Array>;
  /** The entries of indexes [start, end) in index order; a range outside the log is ENTENTE_INVALID_PARAMETER. */
  readLedgerEntries(start: number, end: number): Promise<ReadonlyArray<StoredLedgerEntry>>;

  /**
   * Keeps a signed checkpoint. Saving one already kept (same size and root) does nothing; one of
   * a size already checkpointed with another root is ENTENTE_CONFLICT: a log must never sign two
   * histories (C2SP tlog-checkpoint), and the store refuses to keep the second.
   */
  saveCheckpoint(checkpoint: StoredCheckpoint): Promise<void>;
  /** The checkpoint of the largest tree size, if any. */
  getLatestCheckpoint(): Promise<StoredCheckpoint | undefined>;
  getCheckpoint(treeSize: number): Promise<StoredCheckpoint | undefined>;
}

// ---------------------------------------------------------------------------------------------
// The refusals every adapter makes, written once so both say the same thing.

/** ENTENTE_INVALID_PARAMETER for a leaf hash that is not 32 bytes. */
export function ledgerHashRefused(index: number): EntenteError {
  return new EntenteError('ENTENTE_INVALID_PARAMETER', `leaves[${index}].leafHash must be 32 bytes; nothing was appended`,
    [{ path: `leaves[${index}].leafHash`, message: 'must be 32 bytes' }]);
}

/** ENTENTE_CONFLICT for a leaf hash the log already holds (or holds twice in one batch). */
export function ledgerLeafConflict(index: number, leafHash: Uint8Array, cause?: unknown): EntenteError {
  const hex = Buffer.from(leafHash).toString('hex');
  return new EntenteError('ENTENTE_CONFLICT', `leaves[${index}]: the ledger already holds an entry with leaf hash ${hex}; nothing was appended`,
    [{ path: `leaves[${index}]`, message: 'entry already in the ledger' }], cause === undefined ? undefined : { cause });
}

/** Checks the state `advance` returned grows the tree by exactly the batch. */
export function checkAdvancedState(size: number, count: number, next: TreeState): void {
  if (next.size !== size + count || !next.edge.every((h) => h.length === 32)) {
    throw new EntenteError('ENTENTE_INVALID_PARAMETER', `The tree state after appending ${count} leaves to ${size} must have size ${size + count}, not ${next.size}; nothing was appended`);
  }
}

/** Checks [start, end) lies within a log of `size` leaves. */
export function checkLedgerRange(start: number, end: number, size: number): void {
  if (!(Number.isSafeInteger(start) && Number.isSafeInteger(end) && start >= 0 && start <= end && end <= size)) {
    throw new EntenteError('ENTENTE_INVALID_PARAMETER', `No range [${start}, ${end}) in a ledger of ${size} entries`,
      [{ path: 'range', message: `must lie within [0, ${size})` }]);
  }
}

// ---------------------------------------------------------------------------------------------
// The small API callers use, without a service: append entries, load the tree, checkpoint.

/** Leaf hashes read per query when loading a whole log: 2 MB of hashes, a fraction of a second. */
export const LEDGER_CHUNK = 65_536;

/**
 * Appends entries to the log: each is encoded as RFC 8785 canonical JSON, hashed as an RFC 9162
 * leaf, and the tree state advanced by the incremental tree inside the store's transaction.
 * Returns their indexes. Entries are taken as given: read untrusted ones with `readLedgerEntry`.
 */
export function appendLedgerEntries(store: LedgerStore, entries: ReadonlyArray<LedgerEntry>): Promise<ReadonlyArray<number>> {
  return appendLeaves(store, entries.map((entry) => leafOfText(encodeEntry(entry))));
}

function leafOfText(text: string): LedgerLeaf {
  return { leafHash: leafHashOfText(text), entry: text };
}

/** Appends leaves already hashed, advancing the tree state inside the store's transaction. */
function appendLeaves(store: LedgerStore, leaves: ReadonlyArray<LedgerLeaf>): Promise<ReadonlyArray<number>> {
  return store.appendLedger(leaves, advanceBy(leaves));
}

/** The tree advance that appends `leaves` to whatever state the store holds inside its transaction. */
function advanceBy(leaves: ReadonlyArray<LedgerLeaf>): (state: TreeState) => TreeState {
  return (state) => {
    const tree = new CompactTree(state);
    for (const leaf of leaves) tree.append(leaf.leafHash);
    return tree.state();
  };
}

/**
 * Appends decisions to the decision log and the ledger entries that record them in one
 * transaction, so that neither is ever kept without the other, and a page read by another
 * organisation commits once. An entry already in the log (the same fact, stamped the same
 * millisecond, recorded by an identical read) is not appended again: the decisions are then
 * written alone and the other entries as `recordLedgerEntries` does. When one entry is a
 * `decisions-v2` entry recording exactly `records` (checked field by field), the store is told
 * so (`decisionsLeaf`) and may keep the decisions by reference to its leaf.
 */
export async function recordDecisions(store: Pick<PolicyStore, 'appendDecisions'> & LedgerStore, records: ReadonlyArray<DecisionRecord>, entries: ReadonlyArray<LedgerEntry>): Promise<void> {
  const texts = entries.map(encodeEntry);
  const leaves = [...new Set(texts)].map(leafOfText);
  if (leaves.length === 0) return store.appendDecisions(records);
  // A page's decisions are kept by reference to the leaf that records them, when one does exactly.
  const holder = entries.findIndex((e) => e.kind === 'decisions-v2' && recordsExactly(e, records));
  const decisionsLeaf = holder < 0 ? undefined : leaves.findIndex((leaf) => leaf.entry === texts[holder]);
  try {
    await store.appendDecisions(records, { leaves, advance: advanceBy(leaves), ...(decisionsLeaf === undefined ? {} : { decisionsLeaf }) });
    return;
  } catch (error) {
    if (!isEntenteError(error) || error.code !== 'ENTENTE_CONFLICT') throw error;
  }
  await store.appendDecisions(records);
  await recordLedgerEntries(store, entries);
}

/**
 * Records facts in the log once: an entry whose leaf is already there (the same fact, stamped
 * the same millisecond, recorded twice) is not appended again, and duplicates inside the batch
 * go once. The common case is one transaction; only a conflict costs a lookup per entry. Each
 * entry is encoded and hashed once (a TAXII page's leaf is ~17 KB of canonical JSON).
 */
export async function recordLedgerEntries(store: LedgerStore, entries: ReadonlyArray<LedgerEntry>): Promise<void> {
  const leaves = [...new Set(entries.map(encodeEntry))].map(leafOfText);
  if (leaves.length === 0) return;
  try {
    await appendLeaves(store, leaves);
    return;
  } catch (error) {
    if (!isEntenteError(error) || error.code !== 'ENTENTE_CONFLICT') throw error;
  }
  const present = await Promise.all(leaves.map((leaf) => store.findLedgerEntry(leaf.leafHash)));
  const fresh = leaves.filter((_, i) => present[i] === undefined);
  if (fresh.length > 0) await appendLeaves(store, fresh);
}

/** The first `size` leaves of the log as an in-memory tree, for proofs; `progress` sees leaves read. */
export async function loadLedgerTree(store: LedgerStore, size: number, progress?: (done: number) => void): Promise<MemoryTree> {
  const leaves = new Uint8Array(size * HASH_SIZE);
  for (let start = 0; start < size; start += LEDGER_CHUNK) {
    const end = Math.min(size, start + LEDGER_CHUNK);
    leaves.set(await store.readLeafHashes(start, end), start * HASH_SIZE);
    progress?.(end);
  }
  return new MemoryTree(leaves);
}

/**
 * Signs a checkpoint of the log as it is now and keeps it. Signing the size already checkpointed
 * again yields the same root (the log only grows), so it is kept once.
 */
export async function checkpointLedger(store: LedgerStore, origin: string, signers: ReadonlyArray<NoteSigner>): Promise<SignedCheckpoint> {
  const state = await store.getLedgerState();
  const signed = signCheckpoint({ origin, treeSize: state.size, rootHash: stateRoot(state) }, signers);
  await store.saveCheckpoint({ origin, treeSize: signed.treeSize, rootHash: signed.rootHash, note: signed.note });
  return signed;
}

/** What `verifyLedger` found; `holds` with the facts checked, or the first mismatch. */
export interface LedgerVerdict {
  readonly holds: boolean;
  readonly reason?: string;
  readonly entries?: number;
  readonly rootHash?: string;
  readonly seconds?: number;
  readonly checkpointSize?: number;
  readonly checkpointRoot?: string;
  readonly checkpointSignature?: 'verified' | 'not checked (no key given)' | 'no checkpoint yet';
}

/**
 * Audits the whole log from storage: every entry's text must hash to its stored leaf hash, the
 * root of all leaves must equal the stored tree state's, and the root at the latest checkpoint's
 * size must equal the checkpoint's (whose signature is checked when verifiers are given). One
 * pass, one node hash per leaf amortised: seconds for a million entries.
 */
export async function verifyLedger(store: LedgerStore, options: { readonly verifiers?: ReadonlyArray<NoteVerifier>; readonly progress?: (done: number) => void } = {}): Promise<LedgerVerdict> {
  const verifiers = options.verifiers ?? [];
  const started = performance.now();
  const state = await store.getLedgerState();
  const checkpoint = await store.getLatestCheckpoint();
  const tree = new CompactTree();
  let checkpointRoot: Hash | undefined = checkpoint?.treeSize === 0 ? tree.root() : undefined;
  for (let start = 0; start < state.size; start += LEDGER_CHUNK) {
    const entries = await store.readLedgerEntries(start, Math.min(state.size, start + LEDGER_CHUNK));
    for (const stored of entries) {
      if (stored.index !== tree.size) return { holds: false, reason: `entry ${tree.size} is missing from the store` };
      if (!hashesEqual(leafHashOfText(stored.entry), stored.leafHash)) {
        return { holds: false, reason: `entry ${stored.index} does not hash to its stored leaf hash: the entry or its hash was altered` };
      }
      tree.append(stored.leafHash);
      if (tree.size === checkpoint?.treeSize) checkpointRoot = tree.root();
    }
    options.progress?.(tree.size);
  }
  const root = tree.root();
  const facts = { entries: tree.size, rootHash: toBase64(root), seconds: Number(((performance.now() - started) / 1000).toFixed(2)) };
  if (!hashesEqual(root, stateRoot(state))) return { holds: false, reason: 'the stored tree state does not match the entries', ...facts };
  if (checkpoint === undefined) return { holds: true, ...facts, checkpointSignature: 'no checkpoint yet' };
  const cp = { ...facts, checkpointSize: checkpoint.treeSize, checkpointRoot: toBase64(checkpoint.rootHash) };
  if (checkpointRoot === undefined) return { holds: false, reason: `the latest checkpoint is of ${checkpoint.treeSize} entries but the log holds ${tree.size}`, ...cp };
  if (!hashesEqual(checkpointRoot, checkpoint.rootHash)) return { holds: false, reason: `the root at size ${checkpoint.treeSize} differs from the latest checkpoint's`, ...cp };
  if (verifiers.length === 0) return { holds: true, ...cp, checkpointSignature: 'not checked (no key given)' };
  try {
    openCheckpoint(checkpoint.note, verifiers);
  } catch (error) {
    return { holds: false, reason: `the checkpoint: ${(error as Error).message}`, ...cp };
  }
  return { holds: true, ...cp, checkpointSignature: 'verified' };
}
