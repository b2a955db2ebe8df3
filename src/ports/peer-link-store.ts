/**
 * What the node keeps about each peer it federates with: where to reach it, what to push, and
 * how far pushing has got. The cursor only moves once the peer has acknowledged what it
 * received, so a node restarted at any point resends at most what was not acknowledged (the
 * peer applies by (id, modified), so a resent object is a duplicate, never a loss).
 */

/** How this node reaches a peer. */
export interface PeerLink {
  /** The peer's organisation code in the directory. */
  readonly code: string;
  /** Base URL of the peer node (`https://cert.pl.example:8443`). */
  readonly url: string;
  /** The API token this node presents to the peer (an account the peer made for it). */
  readonly token: string;
  /** Collections (ids) whose new objects are pushed to the peer. */
  readonly collections: ReadonlyArray<string>;
  /** Where objects received from the peer are stored (a collection id). */
  readonly inbound: string;
  readonly enabled: boolean;
  readonly createdAt: string;
}

/** How far pushing to a peer has got, and how it went. */
export interface PeerState {
  readonly code: string;
  /** Per pushed collection: the `date_added` up to which everything was acknowledged. */
  readonly cursors: Readonly<Record<string, string>>;
  readonly lastContact?: string;
  readonly lastSuccess?: string;
  readonly lastError?: string;
  /** Consecutive failures (backoff grows with it; reset on success). */
  readonly failures: number;
  /** When the next attempt may be made (backoff). */
  readonly nextAttempt?: string;
  readonly sentEnvelopes: number;
  readonly sentObjects: number;
  readonly receivedEnvelopes: number;
  readonly receivedObjects: number;
  readonly rejectedEnvelopes: number;
}

/**
 * Links and states are kept apart: a state may be saved for a code that has no link (a peer
 * that only pushes to this node still has its received and rejected counts), and replacing a
 * link keeps its state, so editing a peer's URL or token does not resend what was acknowledged.
 */
export interface PeerLinkStore {
  /** Adds or replaces a link (by code); the state of that peer is kept. */
  putPeerLink(link: PeerLink): Promise<void>;
  getPeerLink(code: string): Promise<PeerLink | undefined>;
  /** Ordered by code, in byte order (`CERT-EU` before `CERTA`) on every engine. */
  listPeerLinks(): Promise<ReadonlyArray<PeerLink>>;
  /**
   * Removes the link and its state in one step; false when there was no link (a state saved
   * without a link is removed all the same). A link added again later starts from a fresh state.
   */
  deletePeerLink(code: string): Promise<boolean>;
  /** The state of a peer; a fresh state (no cursors, zero counts) when none was saved. */
  getPeerState(code: string): Promise<PeerState>;
  /** Replaces the state of a peer, whole: an optional field absent here is absent on read. */
  savePeerState(state: PeerState): Promise<void>;
}
