/**
 * The source of time for everything outside the pure core. The core receives times as values;
 * services ask a Clock, so exercises can run on an accelerated clock and tests are deterministic.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** The current time as a STIX timestamp with millisecond precision (`2026-11-25T20:00:00.000Z`). */
export function stixNow(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}
