/**
 * Federation: pushing to each linked peer what the agreements let it receive, sealed and signed,
 * and taking in what peers push, after the checks in the order the design gives: the envelope's
 * signature and pinned key (EnvelopeService.open), an agreement that lets this sender send this,
 * labels within that agreement's ceilings, then ingest. Every delivery is proven by a signed
 * receipt, and both sides write it to their ledgers.
 *
 * Push reads each pushed collection by `date_added`. A write is stamped with the time its request
 * began and becomes visible when it commits, so each round looks back over a window (RESEND_WINDOW_MS
 * unless the node's `federation.resendWindow` says otherwise) and skips what it already handled
 * there (`recent`): a write that took less than the window to commit is never missed, and nothing
 * is sent twice while the peer acknowledges.
 *
 * Every object goes with a proof of its origin (origin-proof-service.ts): what this node
 * originates under one batch signature per envelope, what it passes on with the origin's proof
 * unchanged. On arrival, an object another node originated is taken only with a proof that
 * verifies against that origin's pinned key.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { EntenteError, isEntenteError } from '../../core/errors.js';
import type { LedgerEntry } from '../../core/ledger/entries.js';
import type { ChangeFeed, Consumption } from '../../ports/bus.js';
import { stixNow, type Clock } from '../../ports/clock.js';
import type { NodeKeys } from '../../adapters/keys/index.js';
import { recordLedgerEntries, type LedgerStore } from '../../ports/ledger-store.js';
import type { PeerLink, PeerLinkStore } from '../../ports/peer-link-store.js';
import type { PeerTransport } from '../../ports/peer-transport.js';
import type { OriginProofStore } from '../../ports/origin-proof-store.js';
import type { CollectionStore, ObjectStore, StixLike, StoredObject } from '../../ports/store.js';
import type { IntelService } from '../intel/intel-service.js';
import { isBuiltInMarking, markingRefsOf } from '../policy/marking-resolver.js';
import type { ReleaseService } from '../policy/release-service.js';
import type { EnvelopeService, SealedEnvelope } from './envelopes.js';
import { OriginProofService, originsFrom, type OriginOf } from './origin-proof-service.js';
import { signReceipt, verifyReceipt, type ReceiptResult, type SignedReceipt } from './receipts.js';
import type { PeerStatus, PullReport, PushReport, State } from './federation-types.js';
import { ledgerOrigin, showCheckpoint, witness, type CheckpointShown } from './witness.js';

export type { PeerStatus, PullReport, PushReport } from './federation-types.js';

export const RESEND_WINDOW_MS = 60_000;
/** The collection pulled from a peer unless another is named: every node's default collection. */
export const DEFAULT_REMOTE_COLLECTION = 'intel';
const MAX_PULL_PAGES = 100;
const PAGE = 1000;
const MAX_OBJECTS_PER_ROUND = 5000;
/**
 * A round's objects go in envelopes of at most this many: with its origin proof (about 1 KB) an
 * object takes some 2 KB of envelope, and a receiver refuses envelopes over its
 * `taxii.maxContentLength` (10 MB by default).
 */
const OBJECTS_PER_ENVELOPE = 1000;
const ENVELOPE_TTL_MS = 24 * 3600_000;
const MAX_BACKOFF_MS = 5 * 60_000;

export interface FederationDeps {
  readonly store: PeerLinkStore & LedgerStore & OriginProofStore & Pick<ObjectStore, 'queryObjects' | 'getLatest'> & Pick<CollectionStore, 'getCollection'>;
  readonly clock: Clock;
  readonly release: ReleaseService;
  readonly intel: IntelService;
  readonly envelopes: EnvelopeService;
  readonly keys: NodeKeys;
  readonly transport: PeerTransport;
  /** This node's organisation code. */
  readonly organisation: string;
  /** Where objects from a peer with no link go (the node's default collection). */
  readonly defaultInbound: () => Promise<string>;
  readonly logger?: Logger;
  /** How often each peer is shown a checkpoint of this node's ledger (default every minute). */
  readonly witnessEveryMs?: number;
  /** How far each push round and pull looks back for late commits (default RESEND_WINDOW_MS). */
  readonly resendWindowMs?: number;
}

export class FederationService {
  readonly #deps: FederationDeps;
  readonly #proofs: OriginProofService;
  readonly #window: number;
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #again = false;
  #listening: Consumption | undefined;

  constructor(deps: FederationDeps) {
    this.#deps = deps;
    this.#proofs = new OriginProofService({ organisation: deps.organisation, keys: deps.keys.ring, peers: deps.keys.peers, clock: deps.clock, store: deps.store });
    this.#window = deps.resendWindowMs ?? RESEND_WINDOW_MS;
  }

  async addPeer(input: { readonly code: string; readonly url: string; readonly token: string; readonly collections: ReadonlyArray<string>; readonly inbound?: string }): Promise<PeerLink> {
    const details: Array<{ path: string; message: string }> = [];
    if (!/^https?:\/\/[^\s]+$/.test(input.url)) details.push({ path: 'url', message: `"${input.url}" is not an http(s) URL` });
    if (input.token.trim() === '') details.push({ path: 'token', message: 'the token the peer issued to this node is required' });
    if ((await this.#deps.keys.peers.get(input.code)) === undefined) details.push({ path: 'code', message: `no keys are pinned for ${input.code}: pin them first (entente keys pin ${input.code} FILE)` });
    for (const [i, c] of input.collections.entries()) if ((await this.#deps.store.getCollection(c)) === undefined) details.push({ path: `collections[${i}]`, message: `no collection ${c}` });
    if (input.inbound !== undefined && (await this.#deps.store.getCollection(input.inbound)) === undefined) details.push({ path: 'inbound', message: `no collection ${input.inbound}` });
    if (details.length > 0) throw new EntenteError('ENTENTE_INVALID_PARAMETER', `The peer link to ${input.code} is invalid: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details);
    await this.#deps.release.prepare({ kind: 'party', code: input.code });
    const link: PeerLink = {
      code: input.code, url: input.url, token: input.token, collections: [...input.collections],
      inbound: input.inbound ?? (await this.#deps.defaultInbound()), enabled: true, createdAt: stixNow(this.#deps.clock),
    };
    await this.#deps.store.putPeerLink(link);
    return link;
  }

  async removePeer(code: string): Promise<void> {
    if (!(await this.#deps.store.deletePeerLink(code))) throw new EntenteError('ENTENTE_PEER_NOT_LINKED', `No peer link ${code}`);
  }

  /** Every link (token hidden) with its state: last contact, errors, counts, backlog position. */
  async status(): Promise<ReadonlyArray<{ readonly link: Omit<PeerLink, 'token'>; readonly state: PeerStatus }>> {
    const links = await this.#deps.store.listPeerLinks();
    return Promise.all(links.map(async ({ token: _hidden, ...link }) => {
      const { recent: _recent, witnessed, forks, theirView, ...state } = (await this.#deps.store.getPeerState(link.code)) as State;
      return {
        link,
        state: {
          ...state, forks: forks ?? [],
          ...(witnessed === undefined ? {} : { witnessedSize: witnessed.treeSize, witnessedRoot: witnessed.rootHash }),
          ...(theirView === undefined ? {} : { witnessedByPeer: theirView }),
        },
      };
    }));
  }

  /** Forgets how far pushing got, so that everything the peer may receive is offered again. */
  async resync(code: string): Promise<void> {
    await this.#link(code);
    const state = await this.#deps.store.getPeerState(code);
    await this.#deps.store.savePeerState({ ...state, cursors: {}, recent: {} } as State);
  }

  /** One push round for every enabled peer not backing off. */
  async pushAll(): Promise<ReadonlyArray<PushReport>> {
    const reports: PushReport[] = [];
    for (const link of await this.#deps.store.listPeerLinks()) {
      if (!link.enabled) continue;
      const state = await this.#deps.store.getPeerState(link.code);
      if (state.nextAttempt !== undefined && Date.parse(state.nextAttempt) > this.#deps.clock.now()) {
        reports.push({ peer: link.code, envelopes: 0, sent: 0, withheld: 0, skipped: true });
        continue;
      }
      reports.push(await this.push(link.code));
    }
    return reports;
  }

  /** Pushes to one peer what is new in its collections, until nothing is left or the round's budget is spent. */
  async push(code: string): Promise<PushReport> {
    const link = await this.#link(code);
    let state = (await this.#deps.store.getPeerState(code)) as State;
    let envelopes = 0;
    let sent = 0;
    let withheld = 0;
    try {
      for (const collectionId of link.collections) {
        const round = await this.#pushCollection(link, collectionId, state);
        state = round.state;
        envelopes += round.envelopes;
        sent += round.sent;
        withheld += round.withheld;
      }
      state = await this.#showCheckpoint(link, state);
      const now = stixNow(this.#deps.clock);
      const { nextAttempt: _n, lastError: _e, ...rest } = state;
      state = { ...rest, failures: 0, lastContact: envelopes > 0 ? now : state.lastContact ?? now, ...(envelopes > 0 ? { lastSuccess: now } : {}) } as State;
      await this.#deps.store.savePeerState(state);
      return { peer: code, envelopes, sent, withheld };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const failures = state.failures + 1;
      const delay = Math.min(1000 * 2 ** Math.min(failures, 20), MAX_BACKOFF_MS);
      await this.#deps.store.savePeerState({ ...state, failures, lastError: message, nextAttempt: new Date(this.#deps.clock.now() + delay).toISOString() } as State);
      this.#deps.logger?.warn({ peer: code, failures, err: message }, 'push to peer failed; retrying with backoff');
      return { peer: code, envelopes, sent, withheld, error: message };
    }
  }

  async #pushCollection(link: PeerLink, collectionId: string, before: State): Promise<{ state: State; envelopes: number; sent: number; withheld: number }> {
    const cursor = before.cursors[collectionId];
    const since = cursor === undefined ? undefined : new Date(Date.parse(cursor) - this.#window).toISOString();
    const recent = new Map(Object.entries(before.recent ?? {}));
    const fresh: StoredObject[] = [];
    let last = cursor;
    let next: string | undefined;
    do {
      const page = await this.#deps.store.queryObjects({
        collectionId, limit: PAGE, versions: ['all'], ...(since === undefined ? {} : { addedAfter: since }), ...(next === undefined ? {} : { cursor: next }),
      });
      for (const o of page.objects) {
        if (last === undefined || o.dateAdded > last) last = o.dateAdded;
        if (!recent.has(`${o.id}|${o.version}`)) fresh.push(o);
      }
      next = page.next;
    } while (next !== undefined && fresh.length < MAX_OBJECTS_PER_ROUND);

    let envelopes = 0;
    let sent = 0;
    let unproven = 0;
    const released = fresh.length === 0 ? [] : await this.#deps.release.releaseStored({ kind: 'party', code: link.code }, fresh, 'federation');
    if (released.length > 0) {
      const objects = released.map((r) => r.object);
      const definitions = await this.#definitionsFor(link.code, objects);
      const delivered = { envelopes: 0, withheld: [] as string[] };
      for (let i = 0; i < objects.length; i += OBJECTS_PER_ENVELOPE) {
        const one = await this.#deliver(link, [...definitions, ...objects.slice(i, i + OBJECTS_PER_ENVELOPE)]);
        delivered.envelopes += one.envelopes;
        delivered.withheld.push(...one.withheld);
      }
      envelopes = delivered.envelopes;
      const ids = new Set(released.map((r) => r.id));
      unproven = delivered.withheld.filter((id) => ids.has(id)).length;
      sent = released.length - unproven;
    }
    for (const o of fresh) recent.set(`${o.id}|${o.version}`, o.dateAdded);
    const floor = last === undefined ? undefined : new Date(Date.parse(last) - this.#window).toISOString();
    const kept = Object.fromEntries([...recent].filter(([, at]) => floor === undefined || at > floor));
    const state: State = {
      ...before, cursors: { ...before.cursors, ...(last === undefined ? {} : { [collectionId]: last }) }, recent: kept,
      sentEnvelopes: before.sentEnvelopes + envelopes, sentObjects: before.sentObjects + sent,
    };
    // Saved after each collection: a crash later in the round resends nothing acknowledged here.
    await this.#deps.store.savePeerState(state);
    return { state, envelopes, sent, withheld: fresh.length - released.length + unproven };
  }

  /** The marking-definitions the objects refer to and the peer cannot know: without them it refuses the objects. */
  async #definitionsFor(code: string, objects: ReadonlyArray<StixLike>): Promise<ReadonlyArray<StixLike>> {
    const inBundle = new Set(objects.map((o) => o.id));
    const needed = [...new Set(objects.flatMap((o) => markingRefsOf(o)))].filter((id) => !isBuiltInMarking(id) && !inBundle.has(id));
    const found = (await Promise.all(needed.map((id) => this.#deps.store.getLatest(id)))).filter((o): o is StixLike => o !== undefined);
    return found.length === 0 ? [] : this.#deps.release.releaseObjects({ kind: 'party', code }, found, 'federation');
  }

  /** Seals what may go with a proof of its origin and delivers it; says what was withheld for want of one. */
  async #deliver(link: PeerLink, objects: ReadonlyArray<StixLike>): Promise<{ envelopes: number; withheld: ReadonlyArray<string> }> {
    const now = this.#deps.clock.now();
    const proven = await this.#proofs.prove([link.code], objects, await this.#originsFor(link.code));
    if (proven.withheld.length > 0) this.#deps.logger?.warn({ peer: link.code, withheld: proven.withheld }, 'withheld objects of other origins that cannot go with their origin\'s proof');
    const withheld = proven.withheld.map((w) => w.id);
    if (proven.objects.length === 0) return { envelopes: 0, withheld };
    const sealed = await this.#deps.envelopes.seal({
      content: { type: 'bundle', id: `bundle--${randomUUID()}`, objects: proven.objects }, recipients: [link.code],
      expiresAt: new Date(now + ENVELOPE_TTL_MS).toISOString(), prove: async () => proven,
    });
    const raw = await this.#deps.transport.deliver(link, sealed.envelope);
    const receipt = await verifyReceipt(raw, link.code, sealed.id, this.#deps.keys.peers);
    const rejected = receipt.results.filter((r) => r.outcome === 'rejected');
    if (rejected.length > 0) this.#deps.logger?.warn({ peer: link.code, envelope: sealed.id, rejected }, 'the peer refused objects of an envelope');
    await this.#ledger([{ kind: 'receipt', at: receipt.receivedAt, direction: 'sent', peer: link.code, envelopeId: sealed.id }]);
    return { envelopes: 1, withheld };
  }

  /**
   * Seals a bundle for removable media (`entente bundle seal`): the release decision for each
   * recipient, then the origin proofs, exactly as a push does.
   */
  async seal(input: { readonly content: unknown; readonly recipients: ReadonlyArray<string>; readonly expiresAt: string; readonly id?: string }): Promise<SealedEnvelope> {
    const originOf = await this.#originsFor(input.recipients[0] ?? '');
    return this.#deps.envelopes.seal({
      ...input,
      release: (code, objects) => this.#deps.release.releaseObjects({ kind: 'party', code }, objects as ReadonlyArray<StixLike>, 'federation'),
      prove: async (recipients, objects) => {
        const proven = await this.#proofs.prove(recipients, objects, originOf);
        if (proven.withheld.length > 0) this.#deps.logger?.warn({ recipients, withheld: proven.withheld }, 'withheld objects of other origins that cannot go with their origin\'s proof');
        return proven;
      },
    });
  }

  /** Who originated each object, from the directory as the release decision reads it. */
  async #originsFor(code: string): Promise<OriginOf> {
    const prepared = await this.#deps.release.prepare({ kind: 'party', code }).catch(() => undefined);
    return originsFrom(prepared?.byIdentity ?? new Map());
  }

  /**
   * Takes in an envelope a peer delivered. `deliveredBy` is the organisation the delivering
   * account belongs to; for an envelope carried offline it is absent and the origin is the sender. Objects the agreements do not let the sender send to this node are refused one
   * by one, with the reason, in the signed receipt; the rest are stored.
   */
  async receive(body: unknown, deliveredBy?: string): Promise<SignedReceipt> {
    let opened;
    try {
      opened = await this.#deps.envelopes.open(body);
    } catch (error) {
      if (deliveredBy !== undefined) await this.#countRejected(deliveredBy);
      this.#deps.logger?.warn({ peer: deliveredBy, code: isEntenteError(error) ? error.code : undefined, err: (error as Error).message }, 'refused an envelope');
      throw error;
    }
    // Offline (removable media) nobody delivers: the origin, whose signature verified, is the sender.
    const sender = deliveredBy ?? opened.origin;
    const objects = opened.content.objects as ReadonlyArray<StixLike>;
    const link = await this.#deps.store.getPeerLink(sender);
    const results = await this.#takeIn(sender, objects, link?.inbound ?? (await this.#deps.defaultInbound()), opened.signed.proofs);
    const refused = results.filter((r) => r.outcome === 'rejected');
    if (refused.length > 0) this.#deps.logger?.warn({ peer: sender, origin: opened.origin, envelope: opened.id, refused }, 'refused objects a peer pushed');
    const receivedAt = stixNow(this.#deps.clock);
    const signed = await signReceipt({ envelope: opened.id, receiver: this.#deps.organisation, sender, origin: opened.origin, receivedAt, results }, this.#deps.keys.ring);
    await this.#ledger([{ kind: 'receipt', at: receivedAt, direction: 'received', peer: sender, envelopeId: opened.id }]);
    if (link !== undefined) {
      const state = await this.#deps.store.getPeerState(sender);
      await this.#deps.store.savePeerState({ ...state, lastContact: receivedAt, receivedEnvelopes: state.receivedEnvelopes + 1, receivedObjects: state.receivedObjects + results.filter((r) => r.outcome === 'added').length });
    }
    return signed;
  }

  /** Shows the peer a signed checkpoint of this node's ledger when the last was long enough ago. */
  async #showCheckpoint(link: PeerLink, state: State): Promise<State> {
    const now = this.#deps.clock.now();
    if (state.lastWitnessAt !== undefined && now - Date.parse(state.lastWitnessAt) < (this.#deps.witnessEveryMs ?? 60_000)) return state;
    let view = state.theirView;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const shown = await showCheckpoint(this.#deps.organisation, this.#deps.store, this.#deps.keys.ring, view);
        const answer = (await this.#deps.transport.showCheckpoint(link, shown)) as { witnessedSize?: unknown } | undefined;
        const size = typeof answer?.witnessedSize === 'number' ? answer.witnessedSize : view;
        return { ...state, ...(size === undefined ? {} : { theirView: size }), lastWitnessAt: new Date(now).toISOString() };
      } catch (error) {
        // The peer witnessed a size we did not prove from: prove from the size it names.
        const asked = isEntenteError(error) && error.code === 'ENTENTE_LEDGER_PROOF_REQUIRED' ? Number(error.details[0]?.message) : NaN;
        if (attempt === 0 && Number.isSafeInteger(asked)) {
          view = asked;
          continue;
        }
        throw error;
      }
    }
    return state;
  }

  /**
   * A peer shows a signed checkpoint of its ledger. It must verify against the peer's pinned key
   * and follow from the last one witnessed (a consistency proof); a contradiction is a fork: it
   * is kept with both signed checkpoints as evidence, logged as an error, and refused.
   */
  async witnessCheckpoint(body: unknown, sender: string): Promise<{ readonly witnessedSize: number; readonly rootHash: string }> {
    const shown = body as CheckpointShown;
    if (typeof shown?.note !== 'string') throw new EntenteError('ENTENTE_BAD_REQUEST', 'A checkpoint is shown as { note, consistency? }', [{ path: '$.note', message: 'a signed note is required' }]);
    const state = (await this.#deps.store.getPeerState(sender)) as State;
    const at = stixNow(this.#deps.clock);
    const outcome = await witness(sender, shown, state.witnessed, this.#deps.keys.peers, at);
    if (outcome.kind === 'fork') {
      await this.#deps.store.savePeerState({ ...state, forks: [...(state.forks ?? []), { ...outcome.evidence, seenAt: at }] } as State);
      this.#deps.logger?.error({ peer: sender, evidence: outcome.evidence }, 'a peer showed two different histories of its ledger');
      throw new EntenteError('ENTENTE_LEDGER_FORK', `${sender} showed a checkpoint of size ${outcome.evidence.treeSize} with another root than it showed before`, [
        { path: 'rootHashes', message: outcome.evidence.rootHashes.join(' != ') },
      ]);
    }
    const w = outcome.witnessed;
    if (state.witnessed === undefined || w.treeSize !== state.witnessed.treeSize) {
      await this.#ledger([{ kind: 'checkpoint-witness', at, origin: ledgerOrigin(sender), treeSize: w.treeSize, rootHash: w.rootHash, peer: sender }]);
    }
    await this.#deps.store.savePeerState({ ...state, witnessed: w, lastContact: at } as State);
    return { witnessedSize: w.treeSize, rootHash: w.rootHash };
  }

  /**
   * What a peer sent (pushed or pulled), checked as the sender would have to release it to this
   * node (an agreement in force, this node's ceilings, onward rules for third parties' data);
   * what passes is ingested like any import. One result per object.
   */
  async #takeIn(sender: string, objects: ReadonlyArray<StixLike>, collectionId: string, proofs?: ReadonlyArray<unknown>): Promise<ReceiptResult[]> {
    const recipient = await this.#deps.release.prepareInbound(sender);
    // The origin's signature first, as for the envelope's: an onward object needs its origin's proof.
    const proven = await this.#proofs.check(sender, objects, proofs, originsFrom(recipient.byIdentity));
    const unproven = proven.flatMap((p, i) => (p.ok ? [] : [{ id: objects[i]?.id, reason: p.reason, detail: p.detail }]));
    if (unproven.length > 0) this.#deps.logger?.warn({ peer: sender, refused: unproven }, 'refused objects without a valid proof of their origin');
    const decided = await this.#deps.release.decideEach(recipient, objects);
    const decisions = decided.map((d, i) => {
      const p = proven[i];
      return p === undefined || p.ok ? d : { outcome: 'deny' as const, reason: p.reason, steps: [] };
    });
    const allowed = objects.filter((_, i) => decisions[i]?.outcome !== 'deny');
    const report = allowed.length === 0 ? undefined : await this.#deps.intel.ingest(collectionId, { objects: allowed }, { actor: { name: `peer:${sender}` }, partial: true });
    const byPosition = report?.results ?? [];
    let k = 0;
    const kept: Array<NonNullable<Extract<(typeof proven)[number], { ok: true }>['proof']>> = [];
    const results = objects.map((o, i): ReceiptResult => {
      const version = String(o['modified'] ?? o['created'] ?? '');
      const d = decisions[i];
      if (d === undefined || d.outcome === 'deny') return { id: o.id, version, outcome: 'rejected', reason: d?.reason ?? 'denied' };
      const r = byPosition[k++];
      if (r === undefined || r.outcome === 'rejected' || r.outcome === 'not-written') return { id: o.id, version, outcome: 'rejected', reason: r?.errors[0]?.code ?? 'invalid' };
      const p = proven[i];
      if (p?.ok === true && p.proof !== undefined) kept.push(p.proof);
      return { id: o.id, version, outcome: r.outcome === 'duplicate' ? 'duplicate' : 'added' };
    });
    // Kept so that this node can pass the objects on with their origin's proof unchanged.
    await this.#proofs.keep(kept, sender);
    return results;
  }

  /**
   * The pull fallback: reads what is new in a collection of the peer's TAXII server (with the
   * token the peer issued to this node) and takes it in with exactly the checks of a push. For
   * peers that cannot reach this node, or while pushes fail. Objects pulled over TAXII carry no
   * origin signature: TLS and the peer's account vouch for where they came from.
   */
  async pull(code: string, collection = DEFAULT_REMOTE_COLLECTION): Promise<PullReport> {
    const link = await this.#link(code);
    const before = (await this.#deps.store.getPeerState(code)) as State;
    const since = before.pullCursors?.[collection];
    // As for push, look back over the window a late commit may hide in; what was taken is a duplicate.
    let position: { addedAfter?: string; next?: string } | undefined = since === undefined ? {} : { addedAfter: new Date(Date.parse(since) - this.#window).toISOString() };
    let last = since;
    let added = 0;
    let duplicates = 0;
    let refused = 0;
    let pages = 0;
    try {
      while (position !== undefined && pages < MAX_PULL_PAGES) {
        const page = await this.#deps.transport.pullPage(link, collection, position);
        pages++;
        if (page.objects.length > 0) {
          const results = await this.#takeIn(code, page.objects as ReadonlyArray<StixLike>, link.inbound);
          added += results.filter((r) => r.outcome === 'added').length;
          duplicates += results.filter((r) => r.outcome === 'duplicate').length;
          const rejected = results.filter((r) => r.outcome === 'rejected');
          refused += rejected.length;
          if (rejected.length > 0) this.#deps.logger?.warn({ peer: code, refused: rejected }, 'refused objects pulled from a peer');
        }
        if (page.dateAddedLast !== undefined && (last === undefined || page.dateAddedLast > last)) last = page.dateAddedLast;
        position = page.next === undefined ? undefined : { next: page.next };
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.#deps.store.savePeerState({ ...before, lastError: message } as State);
      return { peer: code, added, duplicates, refused, error: message };
    }
    const now = stixNow(this.#deps.clock);
    await this.#deps.store.savePeerState({
      ...before, lastContact: now, receivedObjects: before.receivedObjects + added,
      pullCursors: { ...(before.pullCursors ?? {}), ...(last === undefined ? {} : { [collection]: last }) },
    } as State);
    return { peer: code, added, duplicates, refused };
  }

  /**
   * Pushes every `intervalMs` until stopped (one round at a time), and at once when the change
   * feed says something was stored: the interval is only the fallback for a lost change event.
   */
  async start(intervalMs = 500, changes?: ChangeFeed): Promise<void> {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.#round(), intervalMs);
    this.#timer.unref();
    if (changes !== undefined) {
      this.#listening = await changes.subscribe({ from: 'new' }, async (change) => {
        if (change.kind === 'write') this.#round();
      });
    }
  }

  /** Starts a push round now, or right after the one running (rounds never overlap). */
  #round(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    this.pushAll()
      .catch((error: unknown) => this.#deps.logger?.error({ err: error }, 'federation push round failed'))
      .finally(() => {
        this.#running = false;
        if (this.#again && this.#timer !== undefined) {
          this.#again = false;
          this.#round();
        }
      });
  }

  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#listening?.stop();
    this.#listening = undefined;
    while (this.#running) await new Promise((r) => setTimeout(r, 10));
  }

  async #link(code: string): Promise<PeerLink> {
    const link = await this.#deps.store.getPeerLink(code);
    if (link === undefined) throw new EntenteError('ENTENTE_PEER_NOT_LINKED', `No peer link ${code}`);
    return link;
  }

  async #countRejected(sender: string): Promise<void> {
    if ((await this.#deps.store.getPeerLink(sender)) === undefined) return;
    const state = await this.#deps.store.getPeerState(sender);
    await this.#deps.store.savePeerState({ ...state, rejectedEnvelopes: state.rejectedEnvelopes + 1, lastContact: stixNow(this.#deps.clock) });
  }

  async #ledger(entries: ReadonlyArray<LedgerEntry>): Promise<void> {
    await recordLedgerEntries(this.#deps.store, entries);
  }
}
