/**
 * The transparency ledger (DESIGN.md "Transparency log"): RFC 9162 Merkle tree hashing,
 * inclusion and consistency proofs, an incremental tree for appending, ledger entries with
 * their canonical encoding, and checkpoints as signed notes. Pure: no I/O, no clock.
 */
export { EMPTY_ROOT, HASH_SIZE, hashesEqual, leafHash, leafHashOfText, nodeHash, splitPoint, toBase64, toHex, type Hash } from './hashing.js';
export { MemoryTree, merkleRoot, type SubtreeSource } from './merkle-tree.js';
export { CompactTree, decodeEdge, EMPTY_TREE, encodeEdge, isTreeState, stateRoot, type TreeState } from './compact-tree.js';
export {
  checkConsistency, checkInclusion, consistencyProof, inclusionProof, verifyConsistency, verifyInclusion, type ProofCheck,
} from './proofs.js';
export {
  encodeEntry, entryLeafHash, LEDGER_ENTRY_KINDS, readLedgerEntry, type AgreementChangeEntry, type CheckpointWitnessEntry, type DenialEntry,
  type DecisionItem, type DecisionsEntry, type DecisionsV2Entry, type KeyEventEntry, type LedgerEntry, type LedgerEntryKind, type ReceiptEntry, type ReleaseEntry,
} from './entries.js';
export { decisionItemsOf, decisionsEntryOf, type AgreementRef, type DecisionTuple } from './decision-tuples.js';
export { openNote, parseNote, signNote, type NoteSignature, type NoteSigner, type NoteVerifier, type OpenedNote, type ParsedNote } from './signed-note.js';
export { ed25519KeyId, ed25519Signer, ed25519Verifier, formatVerifierKey, parseVerifierKey, rawPublicKey } from './ed25519.js';
export {
  checkpointText, openCheckpoint, parseCheckpointText, readCheckpointNote, sameCheckpoint, signCheckpoint, type Checkpoint, type SignedCheckpoint,
} from './checkpoint.js';
export { compareCheckpoints, type ForkCheck, type ForkEvidence } from './fork.js';
export {
  checkProofDocument, leafHashOfJson, proofDocumentJson, readProofDocument, type ConsistencyProofDocument, type InclusionProofDocument, type ProofDocument,
} from './proof-document.js';
