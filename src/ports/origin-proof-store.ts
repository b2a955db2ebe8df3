/**
 * Origin proofs kept per object version: what this node received to show that another node
 * originated an object and released exactly that version of it. The node sends the proof
 * unchanged with the object when it passes the object on, so the next recipient verifies the
 * origin's signature itself (see core/federation/origin-proofs.ts and docs/federation.md).
 */
import type { OriginProof } from '../core/federation/origin-proofs.js';

/** A proof as kept: who delivered it and when, beside what the origin signed. */
export interface StoredOriginProof extends OriginProof {
  /** The organisation that delivered the object (the origin itself, or a relay). */
  readonly receivedFrom: string;
  readonly receivedAt: string;
}

export interface OriginProofStore {
  /**
   * Keeps proofs by (id, version). The first verified proof of a version is kept; a later one
   * for the same version (the object passed on again by another relay) leaves it as it is.
   */
  putOriginProofs(proofs: ReadonlyArray<StoredOriginProof>): Promise<void>;
  /** The proofs held for these versions, in no particular order; versions without one are left out. */
  getOriginProofs(versions: ReadonlyArray<{ readonly id: string; readonly version: string }>): Promise<ReadonlyArray<StoredOriginProof>>;
}
