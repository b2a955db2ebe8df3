import type { Envelope } from '../core/federation/envelope-types.js';
import type { PeerLink } from './peer-link-store.js';

/**
 * How an envelope reaches a peer node and its signed receipt comes back. The adapter speaks
 * HTTP; tests may deliver in process. A failure is an EntenteError (ENTENTE_PEER_UNREACHABLE
 * for the network, or the peer's own error code when it refused the envelope).
 */
export interface PeerTransport {
  deliver(link: PeerLink, envelope: Envelope): Promise<unknown>;
  /** Shows the peer a signed checkpoint of this node's ledger; the answer says what it witnessed. */
  showCheckpoint(link: PeerLink, shown: unknown): Promise<unknown>;
  /**
   * One page of a collection of the peer over TAXII 2.1 (the pull fallback): objects added
   * after `addedAfter` (exclusive), or the page after `next`.
   */
  pullPage(link: PeerLink, collection: string, position: { readonly addedAfter?: string; readonly next?: string }): Promise<PulledPage>;
}

export interface PulledPage {
  readonly objects: ReadonlyArray<Readonly<Record<string, unknown>>>;
  readonly next?: string;
  /** `X-TAXII-Date-Added-Last` of the page: where the next pull starts. */
  readonly dateAddedLast?: string;
}
