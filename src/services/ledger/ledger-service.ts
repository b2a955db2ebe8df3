/**
 * The node's transparency ledger as its users and auditors reach it: the current state and the
 * latest signed checkpoint, a new checkpoint signed with the node's key, and inclusion and
 * consistency proofs as JSON documents an auditor checks offline (`entente ledger check-proof`).
 */
import { EntenteError } from '../../core/errors.js';
import {
  consistencyProof, HASH_SIZE, inclusionProof, stateRoot, toBase64, type Hash,
} from '../../core/ledger/index.js';
import { proofDocumentJson, type ProofDocument } from '../../core/ledger/proof-document.js';
import type { KeyEventEntry } from '../../core/ledger/entries.js';
import type { KeyRing, NodeKey } from '../../ports/key-ring.js';
import { checkpointLedger, loadLedgerTree, recordLedgerEntries, type LedgerStore, type StoredCheckpoint } from '../../ports/ledger-store.js';
import { ledgerOrigin, ledgerSigner } from '../federation/witness.js';

export interface LedgerSummary {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: string;
  readonly checkpoint?: { readonly treeSize: number; readonly rootHash: string; readonly note: string };
}

export class LedgerService {
  readonly #store: LedgerStore;
  readonly #keys: KeyRing;
  readonly #organisation: string;

  constructor(deps: { readonly store: LedgerStore; readonly keys: KeyRing; readonly organisation: string }) {
    this.#store = deps.store;
    this.#keys = deps.keys;
    this.#organisation = deps.organisation;
  }

  async summary(): Promise<LedgerSummary> {
    const [state, checkpoint] = await Promise.all([this.#store.getLedgerState(), this.#store.getLatestCheckpoint()]);
    return {
      origin: ledgerOrigin(this.#organisation), size: state.size, rootHash: toBase64(stateRoot(state)),
      ...(checkpoint === undefined ? {} : { checkpoint: { treeSize: checkpoint.treeSize, rootHash: toBase64(checkpoint.rootHash), note: checkpoint.note } }),
    };
  }

  /** Records key events of this node (made, rotated in, retired) in the ledger. */
  async keyEvents(keys: ReadonlyArray<NodeKey>, event: KeyEventEntry['event'], at: string): Promise<void> {
    await recordLedgerEntries(this.#store, keys.map((k): KeyEventEntry => ({ kind: 'key-event', at, event, keyId: k.kid, use: k.use === 'sig' ? 'sign' : 'seal', owner: this.#organisation })));
  }

  /** Signs a checkpoint of the ledger as it is now with the node's signing key. */
  async checkpoint(): Promise<{ readonly treeSize: number; readonly rootHash: string; readonly note: string }> {
    const signed = await checkpointLedger(this.#store, ledgerOrigin(this.#organisation), [await ledgerSigner(this.#organisation, this.#keys)]);
    return { treeSize: signed.treeSize, rootHash: toBase64(signed.rootHash), note: signed.note };
  }

  /** The inclusion proof of an entry (index, or leaf hash in hex or base64) against the latest checkpoint (or the current tree before any). */
  async inclusion(ref: string, progress?: (done: number) => void): Promise<{ readonly document: Record<string, unknown>; readonly index: number; readonly size: number; readonly checkpointed: boolean }> {
    const { size, root, checkpoint } = await this.#target();
    const stored = /^\d+$/.test(ref) ? await this.#store.getLedgerEntry(Number(ref)) : await this.#store.findLedgerEntry(entryHash(ref));
    if (stored === undefined || stored.index >= size) {
      throw new EntenteError('ENTENTE_NOT_FOUND', `No entry ${ref} in the ledger${checkpoint === undefined ? '' : ` up to its checkpoint of ${size} entries`}`);
    }
    const tree = await loadLedgerTree(this.#store, size, progress);
    const doc: ProofDocument = {
      type: 'inclusion', treeSize: size, rootHash: root, leafIndex: stored.index, leafHash: stored.leafHash,
      entry: JSON.parse(stored.entry) as unknown, path: inclusionProof(tree, stored.index, size), ...(checkpoint === undefined ? {} : { checkpoint: checkpoint.note }),
    };
    return { document: proofDocumentJson(doc), index: stored.index, size, checkpointed: checkpoint !== undefined };
  }

  /** The consistency proof between the log at `size1` and at `size2`. */
  async consistency(size1: number, size2: number, progress?: (done: number) => void): Promise<Record<string, unknown>> {
    if (size1 > size2) throw new EntenteError('ENTENTE_INVALID_PARAMETER', `OLD (${size1}) must not be larger than NEW (${size2})`);
    const state = await this.#store.getLedgerState();
    if (size2 > state.size) throw new EntenteError('ENTENTE_INVALID_PARAMETER', `NEW (${size2}) is larger than the log (${state.size} entries)`);
    const tree = await loadLedgerTree(this.#store, size2, progress);
    const checkpoint = await this.#store.getCheckpoint(size2);
    const rootAt = (n: number): Hash => (n === 0 ? stateRoot({ size: 0, edge: [] }) : tree.hash(0, n));
    return proofDocumentJson({
      type: 'consistency', size1, size2, root1: rootAt(size1), root2: rootAt(size2), path: consistencyProof(tree, size1, size2),
      ...(checkpoint === undefined ? {} : { checkpoint: checkpoint.note }),
    });
  }

  /** The tree a proof is made against: the latest checkpoint, or the current tree when none exists yet. */
  async #target(): Promise<{ size: number; root: Hash; checkpoint?: StoredCheckpoint }> {
    const checkpoint = await this.#store.getLatestCheckpoint();
    if (checkpoint !== undefined) return { size: checkpoint.treeSize, root: checkpoint.rootHash, checkpoint };
    const state = await this.#store.getLedgerState();
    return { size: state.size, root: stateRoot(state) };
  }
}

/** A leaf hash written in hex or base64. */
export function entryHash(ref: string): Hash {
  const bytes = /^[0-9a-fA-F]{64}$/.test(ref) ? Buffer.from(ref, 'hex') : /^[A-Za-z0-9+/]{43}=$/.test(ref) ? Buffer.from(ref, 'base64') : undefined;
  if (bytes === undefined || bytes.length !== HASH_SIZE) {
    throw new EntenteError('ENTENTE_INVALID_PARAMETER', `ENTRY must be a leaf index or a 32-byte leaf hash in hex or base64, not ${JSON.stringify(ref)}`);
  }
  return bytes;
}
