/**
 * Matches grouped into STIX 2.1 sightings (section 5.2): one per indicator and aligned time
 * window, with how often and between when the indicator was seen, where (this node's
 * organisation) and a few of the events as evidence. Ids are derived from (node, indicator,
 * window), so the same window always names the same sighting: a later run that sees more of
 * it makes a new version of that sighting, never a second one.
 */
import { EntenteError } from '../errors.js';
import { uuidV5 } from '../stix/sco-id.js';
import { evidenceOf, SIGHTING_NAMESPACE, stixTime, type Evidence } from './evidence.js';
import type { DetectionMatch, SightingDraft, SightingSettings, StixRecord } from './types.js';

/** Section 5.2: `count` is at most 999,999,999. */
export const MAX_COUNT = 999_999_999;

export interface SightingAggregate {
  /** In order of indicator id, then window. */
  readonly drafts: ReadonlyArray<SightingDraft>;
  /** Matches whose event time no STIX timestamp can hold (before 1970 or after 9999): not counted. */
  readonly untimed: number;
}

/** The sighting id of an indicator in a window, as this node names it. */
export function sightingId(identityId: string, indicatorId: string, windowStart: number, windowMs: number): string {
  return `sighting--${uuidV5(`${identityId}|${indicatorId}|${windowStart}|${windowMs}`, SIGHTING_NAMESPACE)}`;
}

/** Refuses settings that cannot make sightings, naming the setting at fault. */
export function checkSettings(settings: SightingSettings): void {
  checkGrouping(settings);
  if (!/^identity--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(settings.identityId)) {
    throw new EntenteError('ENTENTE_INVALID_PARAMETER', `identityId: ${settings.identityId} is not an identity id`, [{ path: 'identityId', message: 'identity--<uuid> expected' }]);
  }
}

function checkGrouping(options: Pick<SightingSettings, 'windowMs' | 'evidence'>): void {
  const bad = (path: string, message: string): never => {
    throw new EntenteError('ENTENTE_INVALID_PARAMETER', `${path}: ${message}`, [{ path, message }]);
  };
  if (!Number.isSafeInteger(options.windowMs) || options.windowMs < 1000) bad('window', 'the window must be a whole number of milliseconds, at least 1 s');
  if (!Number.isSafeInteger(options.evidence) || options.evidence < 0) bad('evidence', 'the evidence kept per sighting must be a whole number, 0 or more');
}

interface Group {
  readonly indicatorId: string;
  readonly windowStart: number;
  count: number;
  first: number;
  last: number;
  readonly sensors: Set<string>;
  /** The earliest observations (by time, then arrival), bounded: evidence is chosen among them. */
  readonly candidates: Array<{ readonly observation: DetectionMatch['observation']; readonly seq: number }>;
}

/**
 * Collects matches as they are found and makes the sightings at the end. Memory stays bounded by
 * the number of (indicator, window) pairs: only the earliest few events of each are kept as
 * candidates for evidence (more than the cap, since some may repeat an event or be invalid).
 */
export class SightingAccumulator {
  readonly #groups = new Map<string, Group>();
  readonly #windowMs: number;
  readonly #evidence: number;
  readonly #candidates: number;
  #seq = 0;
  #untimed = 0;

  constructor(options: Pick<SightingSettings, 'windowMs' | 'evidence'>) {
    checkGrouping(options);
    this.#windowMs = options.windowMs;
    this.#evidence = options.evidence;
    this.#candidates = options.evidence === 0 ? 0 : options.evidence * 4 + 8;
  }

  get evidence(): number {
    return this.#evidence;
  }

  get windowMs(): number {
    return this.#windowMs;
  }

  /** Sightings (indicator and window pairs) so far. */
  get groups(): number {
    return this.#groups.size;
  }

  get untimed(): number {
    return this.#untimed;
  }

  add(match: DetectionMatch): void {
    const { firstObserved, lastObserved, numberObserved } = match.observation;
    if (stixTime(firstObserved) === undefined || stixTime(lastObserved, 'up') === undefined) { this.#untimed++; return; }
    const windowStart = Math.floor(firstObserved / this.#windowMs) * this.#windowMs;
    const key = `${match.indicatorId}|${windowStart}`;
    let group = this.#groups.get(key);
    if (group === undefined) {
      group = { indicatorId: match.indicatorId, windowStart, count: 0, first: firstObserved, last: lastObserved, sensors: new Set(), candidates: [] };
      this.#groups.set(key, group);
    }
    group.count = Math.min(MAX_COUNT, group.count + Math.max(1, Math.trunc(numberObserved)));
    group.first = Math.min(group.first, firstObserved);
    group.last = Math.max(group.last, lastObserved);
    group.sensors.add(match.sensor);
    const entry = { observation: match.observation, seq: this.#seq++ };
    const list = group.candidates;
    const tail = list[list.length - 1];
    if (list.length < this.#candidates || (tail !== undefined && firstObserved < tail.observation.firstObserved)) {
      // Insert in (time, arrival) order; arrivals only grow, so an equal time goes after.
      let at = list.length;
      while (at > 0 && (list[at - 1]?.observation.firstObserved ?? 0) > firstObserved) at--;
      list.splice(at, 0, entry);
      if (list.length > this.#candidates) list.pop();
    }
  }

  /** The sightings, in order of indicator id then window, stamped with this node's identity and the time given. */
  drafts(identityId: string, now: string): ReadonlyArray<SightingDraft> {
    const settings: SightingSettings = { identityId, now, windowMs: this.#windowMs, evidence: this.#evidence };
    checkSettings(settings);
    return [...this.#groups.values()]
      .sort((a, b) => (a.indicatorId < b.indicatorId ? -1 : a.indicatorId > b.indicatorId ? 1 : a.windowStart - b.windowStart))
      .map((g) => draftOf(g, settings));
  }
}

/** Aggregates matches into sightings, each with up to `settings.evidence` observed-data. */
export function aggregateSightings(matches: Iterable<DetectionMatch>, settings: SightingSettings): SightingAggregate {
  const accumulator = new SightingAccumulator(settings);
  for (const match of matches) accumulator.add(match);
  return { drafts: accumulator.drafts(settings.identityId, settings.now), untimed: accumulator.untimed };
}

function draftOf(group: Group, settings: SightingSettings): SightingDraft {
  const evidence = earliestEvidence(group, settings);
  const observedDataRefs = evidence.map((e) => String(e.observedData['id']));
  const sighting: StixRecord = {
    type: 'sighting', spec_version: '2.1', id: sightingId(settings.identityId, group.indicatorId, group.windowStart, settings.windowMs),
    created: settings.now, modified: settings.now, created_by_ref: settings.identityId,
    sighting_of_ref: group.indicatorId, count: group.count,
    first_seen: stixTime(group.first) as string, last_seen: stixTime(group.last, 'up') as string,
    where_sighted_refs: [settings.identityId],
    ...(observedDataRefs.length === 0 ? {} : { observed_data_refs: observedDataRefs }),
  };
  const scos = new Map<string, StixRecord>();
  for (const e of evidence) for (const sco of e.scos) scos.set(String(sco['id']), sco);
  return {
    indicatorId: group.indicatorId, windowStart: group.windowStart, sighting,
    observedData: evidence.map((e) => e.observedData), scos: [...scos.values()], sensors: [...group.sensors].sort(),
  };
}

/**
 * The first events of the window (by time, then input order) that make distinct, valid
 * observed-data, up to the cap: the earliest evidence tells the producer when it started.
 */
function earliestEvidence(group: Group, settings: SightingSettings): Evidence[] {
  const out = new Map<string, Evidence>();
  for (const { observation } of group.candidates) {
    if (out.size >= settings.evidence) break;
    const evidence = evidenceOf(observation, settings.identityId, settings.now);
    if (evidence !== undefined && !out.has(String(evidence.observedData['id']))) out.set(String(evidence.observedData['id']), evidence);
  }
  return [...out.values()];
}
