import { EntenteError, ERROR_CATALOGUE, type ErrorCode } from '../../core/errors.js';
import type { Envelope } from '../../core/federation/envelope-types.js';
import type { PeerLink } from '../../ports/peer-link-store.js';
import type { PeerTransport, PulledPage } from '../../ports/peer-transport.js';

/** Where a node receives envelopes and checkpoints (see src/http/federation). */
export const INBOX_PATH = '/federation/v1/envelopes';
export const CHECKPOINT_PATH = '/federation/v1/checkpoints';

/** Delivers envelopes over HTTP(S) to the peer's inbox with the token the peer issued to this node. */
export class HttpPeerTransport implements PeerTransport {
  readonly #timeoutMs: number;

  constructor(options: { readonly timeoutMs?: number } = {}) {
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  async deliver(link: PeerLink, envelope: Envelope): Promise<unknown> {
    return this.#post(link, INBOX_PATH, envelope, 'the envelope');
  }

  async showCheckpoint(link: PeerLink, shown: unknown): Promise<unknown> {
    return this.#post(link, CHECKPOINT_PATH, shown, 'the checkpoint');
  }

  async pullPage(link: PeerLink, collection: string, position: { readonly addedAfter?: string; readonly next?: string }): Promise<PulledPage> {
    const url = new URL(`/taxii2/default/collections/${encodeURIComponent(collection)}/objects/`, link.url.endsWith('/') ? link.url : `${link.url}/`);
    url.searchParams.set('limit', '1000');
    if (position.next !== undefined) url.searchParams.set('next', position.next);
    else if (position.addedAfter !== undefined) url.searchParams.set('added_after', position.addedAfter);
    let response: Response;
    try {
      response = await fetch(url, { headers: { accept: 'application/taxii+json;version=2.1', authorization: `Bearer ${link.token}` }, signal: AbortSignal.timeout(this.#timeoutMs) });
    } catch (error) {
      throw new EntenteError('ENTENTE_PEER_UNREACHABLE', `${link.code} at ${link.url} does not answer: ${(error as Error).message}`, [], { cause: error });
    }
    const text = await response.text();
    if (!response.ok) throw new EntenteError('ENTENTE_PEER_UNREACHABLE', `${link.code} refused the TAXII pull (HTTP ${response.status}): ${text.slice(0, 200)}`);
    let envelope: { objects?: unknown; next?: unknown };
    try {
      envelope = JSON.parse(text) as { objects?: unknown; next?: unknown };
    } catch {
      throw new EntenteError('ENTENTE_PEER_UNREACHABLE', `${link.code} answered the TAXII pull with something that is not JSON`);
    }
    const objects = Array.isArray(envelope.objects) ? (envelope.objects as Array<Readonly<Record<string, unknown>>>) : [];
    const last = response.headers.get('x-taxii-date-added-last') ?? undefined;
    return { objects, ...(typeof envelope.next === 'string' ? { next: envelope.next } : {}), ...(last === undefined ? {} : { dateAddedLast: last }) };
  }

  async #post(link: PeerLink, path: string, payload: unknown, what: string): Promise<unknown> {
    const url = new URL(path, link.url.endsWith('/') ? link.url : `${link.url}/`);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${link.token}` },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      throw new EntenteError('ENTENTE_PEER_UNREACHABLE', `${link.code} at ${link.url} does not answer: ${(error as Error).message}`, [], { cause: error });
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (response.ok) return body;
    // The peer's error code, when it sent one of ours, says which check refused the envelope.
    const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    const code = error?.code !== undefined && error.code in ERROR_CATALOGUE ? (error.code as ErrorCode) : 'ENTENTE_PEER_UNREACHABLE';
    throw new EntenteError(code, `${link.code} refused ${what} (HTTP ${response.status}): ${error?.message ?? text.slice(0, 200)}`, (body as { error?: { details?: Array<{ path?: string; message: string }> } } | undefined)?.error?.details ?? []);
  }
}
