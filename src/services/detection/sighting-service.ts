/**
 * Sightings from detection (DESIGN "The paths data takes", 3): matches aggregated into STIX
 * sightings, merged with what the node already holds for the same indicator and window, stored
 * in a collection, and offered to the organisation that produced each indicator, so that it
 * learns its indicator was useful. The offer is the release decision's answer for that
 * organisation; nothing is sent from here (the federation outbox takes released objects from
 * the store).
 */
import { EntenteError } from '../../core/errors.js';
import { organisationIdentity } from '../../core/policy/organisation-identity.js';
import type { Organisation, ReleaseDecision } from '../../core/policy/types.js';
import {
  DEFAULT_EVIDENCE, DEFAULT_WINDOW_MS, mergeSighting, SightingAccumulator,
  type DetectionMatch, type SightingDraft, type StixRecord,
} from '../../core/sightings/index.js';
import { stixNow, type Clock } from '../../ports/clock.js';
import type { Collection, StixLike } from '../../ports/store.js';
import type { IngestOptions, IngestReport } from '../intel/intel-service.js';
import { OPERATOR, type Reader } from '../intel/release-gate.js';
import type { ReleaseService, NodePolicy } from '../policy/release-service.js';

export interface SightingServiceDeps {
  readonly intel: {
    ingest(collectionId: string, input: unknown, options: IngestOptions): Promise<IngestReport>;
    latest(id: string, collectionIds: ReadonlyArray<string> | undefined, reader: Reader): Promise<StixLike | undefined>;
  };
  readonly collections: { listAll(): Promise<ReadonlyArray<Collection>> };
  readonly policy: { readonly node: NodePolicy; listOrganisations(): Promise<ReadonlyArray<Organisation>> };
  readonly release: Pick<ReleaseService, 'prepare' | 'decideAll'>;
  readonly clock: Clock;
}

export interface RecordOptions {
  /** Width of the aligned windows in milliseconds (default one hour); ignored for an accumulator, which has its own. */
  readonly windowMs?: number;
  /** Observed-data kept per sighting (default 5); ignored for an accumulator. */
  readonly evidence?: number;
  /** Collection id or alias the sightings go to (default `intel`, the node's own). */
  readonly collection?: string;
  /**
   * Indicators the caller holds that the store may not (an indicators file given to detect):
   * consulted for the producer of an indicator the node does not hold.
   */
  readonly indicators?: ReadonlyMap<string, StixRecord>;
  /** Who the intake records as having written them. */
  readonly actor?: { readonly name: string };
}

export interface RecordedSighting {
  readonly id: string;
  readonly indicatorId: string;
  /** `created`: first version; `updated`: a new version of one already held. */
  readonly status: 'created' | 'updated';
  readonly modified: string;
  readonly count: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly sensors: ReadonlyArray<string>;
  /** Code of the organisation that produced the indicator, when the directory knows it. */
  readonly producer?: string;
}

export interface OfferedSighting {
  readonly id: string;
  readonly outcome: 'allow' | 'redact';
  /** The agreement that lets it go. */
  readonly agreement?: { readonly id: string; readonly version: number };
  /** Observed-data references the producer would receive. */
  readonly evidence: number;
  /** What redaction removed, as the decision explains it. */
  readonly changes: ReadonlyArray<string>;
}

export interface WithheldSighting {
  readonly id: string;
  /** The decision's reason code (`out-of-scope`, `no-agreement`, `tlp-ceiling`, `endpoint-withheld`, …). */
  readonly reason: string;
  readonly detail: string;
}

/** What may go back to one producer. */
export interface ProducerOffer {
  readonly code: string;
  readonly organisationId: string;
  readonly offered: ReadonlyArray<OfferedSighting>;
  readonly withheld: ReadonlyArray<WithheldSighting>;
}

/** Sightings nobody is offered: of the node's own indicators, or of indicators whose producer is unknown. */
export interface NotOffered {
  readonly id: string;
  readonly reason: 'own-indicator' | 'producer-unknown' | 'indicator-unknown';
}

export interface SightingReport {
  readonly collectionId: string;
  readonly sightings: ReadonlyArray<RecordedSighting>;
  readonly created: number;
  readonly updated: number;
  /** Sightings held as revoked: not updated (STIX 2.1 section 3.6: a revoked object stays revoked). */
  readonly revoked: ReadonlyArray<string>;
  /** Matches whose event time no STIX timestamp can hold: not counted. */
  readonly untimed: number;
  readonly offers: ReadonlyArray<ProducerOffer>;
  readonly notOffered: ReadonlyArray<NotOffered>;
}

const DEFAULT_COLLECTION = 'intel';
const DEFAULT_ACTOR = { name: 'detection' };

export class SightingService {
  readonly #deps: SightingServiceDeps;

  constructor(deps: SightingServiceDeps) {
    this.#deps = deps;
  }

  /**
   * Aggregates the matches (or takes an accumulator filled while detecting), stores each sighting
   * as a new object or a new version of the one held for the same indicator and window, and says
   * per producer what the release decision would let go back to it.
   */
  async record(matches: Iterable<DetectionMatch> | SightingAccumulator, options: RecordOptions = {}): Promise<SightingReport> {
    const accumulator = matches instanceof SightingAccumulator ? matches : accumulate(matches, options);
    const collection = await this.#collection(options.collection ?? DEFAULT_COLLECTION);
    const organisations = await this.#deps.policy.listOrganisations();
    const own = this.#ownOrganisation(organisations);
    const now = stixNow(this.#deps.clock);
    const fresh = accumulator.drafts(own.id, now);

    const drafts: Array<{ readonly draft: SightingDraft; readonly status: 'created' | 'updated' }> = [];
    const revoked: string[] = [];
    for (const draft of fresh) {
      const stored = await this.#latest(String(draft.sighting['id']));
      if (stored === undefined) drafts.push({ draft, status: 'created' });
      else if (stored.revoked === true) revoked.push(stored.id);
      else drafts.push({ draft: mergeSighting(stored, draft, { evidence: accumulator.evidence, now }), status: 'updated' });
    }
    await this.#store(collection.id, own, drafts.map((d) => d.draft), options);

    const indicators = new Map<string, StixRecord | undefined>();
    for (const { draft } of drafts) {
      if (!indicators.has(draft.indicatorId)) indicators.set(draft.indicatorId, (await this.#latest(draft.indicatorId)) ?? options.indicators?.get(draft.indicatorId));
    }
    const byIdentity = new Map(organisations.map((o) => [o.id, o]));
    const producerOf = (indicatorId: string): Organisation | undefined => {
      const createdBy = indicators.get(indicatorId)?.['created_by_ref'];
      return typeof createdBy === 'string' ? byIdentity.get(createdBy) : undefined;
    };
    const sightings: RecordedSighting[] = drafts.map(({ draft, status }) => recorded(draft, status, producerOf(draft.indicatorId)?.code));

    const notOffered: NotOffered[] = [];
    const perProducer = new Map<string, { readonly organisation: Organisation; readonly drafts: SightingDraft[] }>();
    for (const { draft } of drafts) {
      const id = String(draft.sighting['id']);
      const producer = producerOf(draft.indicatorId);
      if (indicators.get(draft.indicatorId) === undefined) notOffered.push({ id, reason: 'indicator-unknown' });
      else if (producer === undefined) notOffered.push({ id, reason: 'producer-unknown' });
      else if (producer.code === own.code) notOffered.push({ id, reason: 'own-indicator' });
      else {
        const entry = perProducer.get(producer.code) ?? { organisation: producer, drafts: [] };
        entry.drafts.push(draft);
        perProducer.set(producer.code, entry);
      }
    }
    const offers: ProducerOffer[] = [];
    for (const { organisation, drafts: theirs } of [...perProducer.values()].sort((a, b) => a.organisation.code.localeCompare(b.organisation.code))) {
      offers.push(await this.#offer(organisation, theirs, indicators));
    }
    return {
      collectionId: collection.id, sightings, revoked, untimed: accumulator.untimed, offers, notOffered,
      created: sightings.filter((s) => s.status === 'created').length, updated: sightings.filter((s) => s.status === 'updated').length,
    };
  }

  /** The release decision for one producer over its sightings with their evidence (and the indicators they are of). */
  async #offer(organisation: Organisation, drafts: ReadonlyArray<SightingDraft>, indicators: ReadonlyMap<string, StixRecord | undefined>): Promise<ProducerOffer> {
    const recipient = await this.#deps.release.prepare({ kind: 'party', code: organisation.code });
    if (recipient === undefined) throw new EntenteError('ENTENTE_INTERNAL', `No recipient for ${organisation.code}`);
    const objects = new Map<string, StixLike>();
    const add = (o: StixRecord | undefined): void => {
      if (o !== undefined && !objects.has(String(o['id']))) objects.set(String(o['id']), o as StixLike);
    };
    for (const d of drafts) {
      add(d.sighting);
      d.observedData.forEach(add);
      d.scos.forEach(add);
      // The producer holds its own indicator; deciding it here keeps the sighting's one required reference in view.
      add(indicators.get(d.indicatorId));
    }
    const list = [...objects.values()];
    const decisions = await this.#deps.release.decideAll(recipient, list);
    const byId = new Map<string, ReleaseDecision>(list.map((o, i) => [o.id, decisions[i] as ReleaseDecision]));
    const offered: OfferedSighting[] = [];
    const withheld: WithheldSighting[] = [];
    for (const d of drafts) {
      const id = String(d.sighting['id']);
      const decision = byId.get(id);
      if (decision === undefined || decision.outcome === 'deny' || decision.object === undefined) {
        const failed = [...(decision?.steps ?? [])].reverse().find((s) => s.outcome === 'fail');
        withheld.push({ id, reason: decision?.reason ?? 'no-decision', detail: failed?.detail ?? '' });
        continue;
      }
      const refs = decision.object['observed_data_refs'];
      offered.push({
        id, outcome: decision.outcome, ...(decision.agreement === undefined ? {} : { agreement: decision.agreement }),
        evidence: Array.isArray(refs) ? refs.length : 0,
        changes: decision.steps.filter((s) => s.outcome === 'redact').map((s) => s.detail),
      });
    }
    return { code: organisation.code, organisationId: organisation.id, offered, withheld };
  }

  /**
   * Writes the sightings, their new evidence and, the first time, this node's identity (which
   * `where_sighted_refs` and `created_by_ref` name), in one all-or-nothing intake.
   */
  async #store(collectionId: string, own: Organisation, drafts: ReadonlyArray<SightingDraft>, options: RecordOptions): Promise<void> {
    if (drafts.length === 0) return;
    const objects = new Map<string, StixRecord>();
    if ((await this.#latest(own.id)) === undefined) objects.set(own.id, organisationIdentity(own));
    for (const d of drafts) objects.set(String(d.sighting['id']), d.sighting);
    for (const d of drafts) {
      for (const od of d.observedData) {
        // Evidence already held (the same event, found again) keeps its first version.
        if (!objects.has(String(od['id'])) && (await this.#latest(String(od['id']))) === undefined) objects.set(String(od['id']), od);
      }
      for (const sco of d.scos) objects.set(String(sco['id']), sco);
    }
    const report = await this.#deps.intel.ingest(collectionId, [...objects.values()], { actor: options.actor ?? DEFAULT_ACTOR });
    const refused = report.results.filter((r) => r.outcome === 'rejected');
    if (refused.length > 0) {
      throw new EntenteError('ENTENTE_STIX_INVALID', `${refused.length} sighting object(s) were refused by the intake: ${refused[0]?.errors[0]?.message ?? ''}`, refused.flatMap((r) => r.errors));
    }
  }

  async #latest(id: string): Promise<StixLike | undefined> {
    return this.#deps.intel.latest(id, undefined, OPERATOR);
  }

  async #collection(idOrAlias: string): Promise<Collection> {
    const found = (await this.#deps.collections.listAll()).find((c) => c.id === idOrAlias || c.alias === idOrAlias);
    if (found === undefined) throw new EntenteError('ENTENTE_COLLECTION_NOT_FOUND', `No collection ${idOrAlias} for the sightings`, [{ path: 'collection', message: 'no collection has this id or alias' }]);
    return found;
  }

  /** The node's organisation as the directory holds it (an imported directory may give it another identity id). */
  #ownOrganisation(organisations: ReadonlyArray<Organisation>): Organisation {
    const node = this.#deps.policy.node.organisation;
    return organisations.find((o) => o.code === node.code) ?? node;
  }
}

function accumulate(matches: Iterable<DetectionMatch>, options: RecordOptions): SightingAccumulator {
  const accumulator = new SightingAccumulator({ windowMs: options.windowMs ?? DEFAULT_WINDOW_MS, evidence: options.evidence ?? DEFAULT_EVIDENCE });
  for (const match of matches) accumulator.add(match);
  return accumulator;
}

function recorded(draft: SightingDraft, status: 'created' | 'updated', producer: string | undefined): RecordedSighting {
  const s = draft.sighting;
  return {
    id: String(s['id']), indicatorId: draft.indicatorId, status, modified: String(s['modified']), count: Number(s['count']),
    firstSeen: String(s['first_seen']), lastSeen: String(s['last_seen']), sensors: draft.sensors, ...(producer === undefined ? {} : { producer }),
  };
}
