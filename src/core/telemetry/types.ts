import type { CompactIocIndex } from '../pattern/compact-iocs.js';
import type { Observation } from '../pattern/index.js';

/** The sensor formats the normalisers understand. */
export type TelemetryFormat = 'suricata' | 'zeek-json' | 'zeek-tsv' | 'ecs' | 'windows' | 'stix';

export const TELEMETRY_FORMATS: ReadonlyArray<TelemetryFormat> = ['suricata', 'zeek-json', 'zeek-tsv', 'ecs', 'windows', 'stix'];

/** One sensor event turned into what the pattern engine reads, with where it came from. */
export interface TelemetryEvent {
  /** 1-based line of the event (the first line, for a multi-line STIX document). */
  readonly line: number;
  readonly format: TelemetryFormat;
  /** What the sensor called it: `dns`, `conn`, `http`, `network`, `observed-data`, … */
  readonly eventType: string;
  readonly observation: Observation;
}

/**
 * What one input line gave: events, nothing (a header, a blank line, a record without network
 * content such as Suricata `stats`), or a bad line with the reason.
 */
export type LineOutcome =
  | { readonly kind: 'events'; readonly events: ReadonlyArray<TelemetryEvent> }
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'bad'; readonly line: number; readonly reason: string };

/** A normaliser of one format; it may keep state between lines (the Zeek TSV header does). */
export interface LineDecoder {
  readonly format: TelemetryFormat;
  decode(text: string, line: number): LineOutcome;
  /** Called at the end of input: what is still buffered (an unfinished STIX document). */
  finish(): LineOutcome | undefined;
  /**
   * For stateless line formats: true when the line is certainly one event on which this compact
   * index finds nothing, told without building the observation; false says nothing (decode it).
   */
  readonly misses?: (text: string, index: CompactIocIndex) => boolean;
}
