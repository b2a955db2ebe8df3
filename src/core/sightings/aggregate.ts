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
  const bad = (path: string, message: string): never => {
    throw new EntenteError('ENTENTE_INVALID_PARAMETER', `${path}: ${message}`, [{ path, message }]);
  };
  if (!Number.isSafeInteger(settings.windowMs) || settings.windowMs < 1000) bad('window', 'the window must be a whole number of seconds, at least 1 s');
  if (!Number.isSafeInteger(settings.evidence) || settings.evidence < 0) bad('evidence', 'the evidence kept per sighting must be a whole number, 0 or more');
  if (!/^urn:|^identity--[0-9a-f-]{36}$/.test(settings.identityId)) bad('identityId', `${settings.identityId} is not an identity id`);
}

interface Group {
  readonly indicatorId: string;
  readonly windowStart: number;
  count: number;
  first: number;
  last: number;
  readonly sensors: Set<string>;
  readonly matches: DetectionMatch[];
}

/** Aggregates matches into sightings, each with up to `settings.evidence` observed-data. */
export function aggregateSightings(matches: Iterable<DetectionMatch>, settings: SightingSettings): SightingAggregate {
  checkSettings(settings);
  const groups = new Map<string, Group>();
  let untimed = 0;
  for (const match of matches) {
    const { firstObserved, lastObserved, numberObserved } = match.observation;
    if (stixTime(firstObserved) === undefined || stixTime(lastObserved, 'up') === undefined) { untimed++; continue; }
    const windowStart = Math.floor(firstObserved / settings.windowMs) * settings.windowMs;
    const key = `${match.indicatorId}|${windowStart}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { indicatorId: match.indicatorId, windowStart, count: 0, first: firstObserved, last: lastObserved, sensors: new Set(), matches: [] };
      groups.set(key, group);
    }
    group.count = Math.min(MAX_COUNT, group.count + Math.max(1, Math.trunc(numberObserved)));
    group.first = Math.min(group.first, firstObserved);
    group.last = Math.max(group.last, lastObserved);
    group.sensors.add(match.sensor);
    group.matches.push(match);
  }
  const drafts = [...groups.values()]
    .sort((a, b) => (a.indicatorId < b.indicatorId ? -1 : a.indicatorId > b.indicatorId ? 1 : a.windowStart - b.windowStart))
    .map((g) => draftOf(g, settings));
  return { drafts, untimed };
}

function draftOf(group: Group, settings: SightingSettings): SightingDraft {
  const evidence = earliestEvidence(group.matches, settings);
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
function earliestEvidence(matches: ReadonlyArray<DetectionMatch>, settings: SightingSettings): Evidence[] {
  if (settings.evidence === 0) return [];
  const ordered = matches.map((m, i) => ({ m, i })).sort((a, b) => a.m.observation.firstObserved - b.m.observation.firstObserved || a.i - b.i);
  const out = new Map<string, Evidence>();
  for (const { m } of ordered) {
    if (out.size >= settings.evidence) break;
    const evidence = evidenceOf(m.observation, settings.identityId, settings.now);
    if (evidence !== undefined && !out.has(String(evidence.observedData['id']))) out.set(String(evidence.observedData['id']), evidence);
  }
  return [...out.values()];
}
