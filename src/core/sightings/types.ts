import type { Observation } from '../pattern/index.js';

/** A STIX object as the sighting code builds and reads it. */
export type StixRecord = Readonly<Record<string, unknown>>;

/** One event of a sensor that matched one indicator (what `entente detect` finds). */
export interface DetectionMatch {
  readonly indicatorId: string;
  /** The observation built from the event; its first/last observed times are the event's time. */
  readonly observation: Observation;
  /** Where the event came from (a file name, a sensor name): kept in the local report, never shared. */
  readonly sensor: string;
}

/** How matches are grouped and what the sightings name. */
export interface SightingSettings {
  /** The node's own organisation identity: `created_by_ref` and `where_sighted_refs`. */
  readonly identityId: string;
  /** Width of the aligned time windows, in milliseconds (one sighting per indicator and window). */
  readonly windowMs: number;
  /** Observed-data kept as evidence per sighting. */
  readonly evidence: number;
  /** STIX timestamp of this run: `created` and `modified` of what it makes. */
  readonly now: string;
}

export const DEFAULT_WINDOW_MS = 3_600_000;
export const DEFAULT_EVIDENCE = 5;

/** A sighting with the evidence it refers to: observed-data and the SCOs they name. */
export interface SightingDraft {
  readonly indicatorId: string;
  /** Epoch milliseconds at which the window starts (a multiple of the window width). */
  readonly windowStart: number;
  readonly sighting: StixRecord;
  /** The observed-data among `observed_data_refs` that this draft supplies. */
  readonly observedData: ReadonlyArray<StixRecord>;
  /** The SCOs those observed-data name. */
  readonly scos: ReadonlyArray<StixRecord>;
  /** Sensors whose events went into the count. */
  readonly sensors: ReadonlyArray<string>;
}
