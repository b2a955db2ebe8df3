/** What the federation service reports and keeps per peer. */
import type { ForkEvidence } from '../../core/ledger/index.js';
import type { PeerState } from '../../ports/peer-link-store.js';
import type { Witnessed } from './witness.js';

/** A peer's state as operators see it: the push state, what was witnessed, and forks caught. */
export type PeerStatus = PeerState & {
  /** Size and root of the peer's ledger at the last checkpoint this node witnessed. */
  readonly witnessedSize?: number;
  readonly witnessedRoot?: string;
  /** Size of this node's ledger the peer last witnessed. */
  readonly witnessedByPeer?: number;
  /** Every fork the peer was caught in, with the evidence. */
  readonly forks: ReadonlyArray<ForkEvidence & { readonly seenAt: string }>;
};

export interface PullReport {
  readonly peer: string;
  readonly added: number;
  readonly duplicates: number;
  /** Objects the agreements do not let the peer send to this node. */
  readonly refused: number;
  readonly error?: string;
}

export interface PushReport {
  readonly peer: string;
  readonly envelopes: number;
  readonly sent: number;
  readonly withheld: number;
  readonly error?: string;
  /** True when the peer was skipped because it is backing off after failures. */
  readonly skipped?: boolean;
}

/**
 * The state kept per peer, with what the port leaves to the service: the keys handled inside the
 * resend window, the last checkpoint of the peer's ledger this node witnessed, the size of this
 * node's ledger the peer last witnessed, and any fork the peer was caught in.
 */
export type State = PeerState & {
  readonly recent?: Readonly<Record<string, string>>;
  readonly witnessed?: Witnessed;
  readonly theirView?: number;
  readonly lastWitnessAt?: string;
  readonly forks?: ReadonlyArray<ForkEvidence & { readonly seenAt: string }>;
  /** Per collection of the peer pulled over TAXII: the `date_added` pulled up to. */
  readonly pullCursors?: Readonly<Record<string, string>>;
};
