/**
 * Sightings from detection: matches of sensor events against indicators aggregated per
 * indicator and time window into STIX 2.1 sightings with their evidence (see docs/detection.md).
 * Pure: times come in as values.
 */
export type { DetectionMatch, SightingDraft, SightingSettings, StixRecord } from './types.js';
export { DEFAULT_EVIDENCE, DEFAULT_WINDOW_MS } from './types.js';
export { aggregateSightings, checkSettings, SightingAccumulator, sightingId, MAX_COUNT, type SightingAggregate } from './aggregate.js';
export { evidenceOf, stixTime, type Evidence } from './evidence.js';
export { mergeSighting } from './merge.js';
export { parseWindow } from './window.js';
