/**
 * Witnessing: peers show each other signed checkpoints of their ledgers, each with a consistency
 * proof from the last checkpoint the other witnessed. A node that shows two histories (two roots
 * for one size, or a newer root no proof joins to the older) is caught, and the two signed
 * checkpoints are kept as evidence anyone with its public key can check.
 */
import { createPrivateKey, type JsonWebKey } from 'node:crypto';
import { EntenteError } from '../../core/errors.js';
import { compareCheckpoints, consistencyProof, ed25519Signer, ed25519Verifier, openCheckpoint, toBase64, type ForkEvidence, type NoteSigner, type NoteVerifier } from '../../core/ledger/index.js';
import type { KeyRing, PeerKeyDirectory } from '../../ports/key-ring.js';
import { checkpointLedger, loadLedgerTree, type LedgerStore } from '../../ports/ledger-store.js';

/** What a node shows a peer: its signed checkpoint and how it follows from what the peer saw. */
export interface CheckpointShown {
  /** The signed note (C2SP tlog-checkpoint). */
  readonly note: string;
  /** A consistency proof from `fromSize` (the size the peer last witnessed) to the checkpoint's size, base64 hashes. */
  readonly consistency?: { readonly fromSize: number; readonly path: ReadonlyArray<string> };
}

/** What a node keeps of a peer's ledger: the last checkpoint it witnessed, and any fork seen. */
export interface Witnessed {
  readonly treeSize: number;
  readonly rootHash: string;
  readonly note: string;
  readonly at: string;
}

/** The name of a node's ledger in its checkpoints. */
export const ledgerOrigin = (organisation: string): string => `entente/${organisation}`;

export async function ledgerSigner(organisation: string, keys: KeyRing): Promise<NoteSigner> {
  const key = await keys.signingKey();
  return ed25519Signer(ledgerOrigin(organisation), createPrivateKey({ key: key.privateJwk as JsonWebKey, format: 'jwk' }));
}

/** Signs a checkpoint of this node's ledger and the proof from `fromSize`, when the peer saw an earlier one. */
export async function showCheckpoint(organisation: string, store: LedgerStore, keys: KeyRing, fromSize: number | undefined): Promise<CheckpointShown> {
  const signed = await checkpointLedger(store, ledgerOrigin(organisation), [await ledgerSigner(organisation, keys)]);
  if (fromSize === undefined || fromSize <= 0 || fromSize >= signed.treeSize) return { note: signed.note };
  const tree = await loadLedgerTree(store, signed.treeSize);
  return { note: signed.note, consistency: { fromSize, path: consistencyProof(tree, fromSize, signed.treeSize).map(toBase64) } };
}

async function verifiersOf(peer: string, peers: PeerKeyDirectory): Promise<ReadonlyArray<NoteVerifier>> {
  const pinned = await peers.get(peer);
  if (pinned === undefined) throw new EntenteError('ENTENTE_PEER_KEYS_UNKNOWN', `No keys are pinned for ${peer}`);
  return pinned.signing.filter((k) => typeof k['x'] === 'string').map((k) => ed25519Verifier(ledgerOrigin(peer), Buffer.from(k['x'] as string, 'base64url')));
}

export type WitnessOutcome =
  | { readonly kind: 'witnessed'; readonly witnessed: Witnessed }
  | { readonly kind: 'fork'; readonly evidence: ForkEvidence };

/**
 * Checks a checkpoint a peer shows against the last one witnessed. A checkpoint that does not
 * verify against the peer's pinned key is ENTENTE_ENVELOPE_UNKNOWN_SIGNER; one that needs a
 * proof the peer did not give is ENTENTE_LEDGER_PROOF_REQUIRED, naming the size to prove from.
 */
export async function witness(peer: string, shown: CheckpointShown, previous: Witnessed | undefined, peers: PeerKeyDirectory, at: string): Promise<WitnessOutcome> {
  let opened;
  try {
    opened = openCheckpoint(shown.note, await verifiersOf(peer, peers), ledgerOrigin(peer));
  } catch (error) {
    if (error instanceof EntenteError && error.code === 'ENTENTE_PEER_KEYS_UNKNOWN') throw error;
    throw new EntenteError('ENTENTE_ENVELOPE_UNKNOWN_SIGNER', `The checkpoint ${peer} shows does not verify against its pinned keys: ${(error as Error).message}`, [], { cause: error });
  }
  const current: Witnessed = { treeSize: opened.treeSize, rootHash: toBase64(opened.rootHash), note: shown.note, at };
  if (previous === undefined) return { kind: 'witnessed', witnessed: current };
  const before = openCheckpoint(previous.note, await verifiersOf(peer, peers), ledgerOrigin(peer));
  const proof = shown.consistency !== undefined && shown.consistency.fromSize === previous.treeSize
    ? shown.consistency.path.map((h) => new Uint8Array(Buffer.from(h, 'base64')))
    : undefined;
  const check = compareCheckpoints(before, opened, proof);
  if (check.kind === 'fork') return check;
  if (check.kind === 'unproven') {
    throw new EntenteError('ENTENTE_LEDGER_PROOF_REQUIRED', `Show a consistency proof from size ${previous.treeSize} (${check.reason})`, [{ path: 'consistency.fromSize', message: String(previous.treeSize) }]);
  }
  return { kind: 'witnessed', witnessed: opened.treeSize >= previous.treeSize ? current : previous };
}
