/** Messages between `MatchPool` and its worker threads. */
import type { SharedCompactIocs } from '../../core/pattern/compact-iocs.js';
import type { BadLine, TelemetryFormat } from '../../core/telemetry/index.js';

/** What every worker starts with: the compact index's shared tables and the few general patterns. */
export interface WorkerSetup {
  readonly simple: SharedCompactIocs;
  /** Indicators that are not simple IOCs, as (id, pattern); each worker compiles its own PatternIndex. */
  readonly general: ReadonlyArray<readonly [string, string]>;
}

/** Consecutive lines of one file, from `firstLine` on. */
export interface BatchRequest {
  readonly seq: number;
  readonly format: TelemetryFormat;
  readonly zeekPath?: string;
  readonly firstLine: number;
  readonly lines: ReadonlyArray<string>;
}

/** One event that matched: its line, which of the line's events it is, and the indicator ids. */
export interface BatchMatch {
  readonly line: number;
  readonly nth: number;
  readonly ids: ReadonlyArray<string>;
}

export interface BatchResult {
  readonly seq: number;
  readonly events: number;
  readonly bad: number;
  readonly badByReason: ReadonlyArray<readonly [string, number]>;
  readonly badLines: ReadonlyArray<BadLine>;
  readonly matches: ReadonlyArray<BatchMatch>;
}

export type WorkerReply = { readonly kind: 'result'; readonly result: BatchResult } | { readonly kind: 'error'; readonly seq: number; readonly message: string };
