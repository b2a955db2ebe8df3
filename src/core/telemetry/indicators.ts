/**
 * Chooses the indicators worth matching and compiles them into an IndicatorIndex (simple IOCs in
 * the compact index, other patterns in a PatternIndex): the latest
 * version of each (highest `modified`), STIX patterns only, neither revoked nor past
 * `valid_until` (STIX 2.1 section 4.7) at the time given by the caller's clock.
 */
import { isEntenteError } from '../errors.js';
import { IndicatorIndex } from '../pattern/index.js';

export interface IndicatorSelection {
  readonly index: IndicatorIndex;
  /** Pattern text by indicator id, for reports. */
  readonly patterns: ReadonlyMap<string, string>;
  readonly revoked: number;
  readonly expired: number;
  /** pattern_type other than stix (sigma, yara, snort, …): not for this engine. */
  readonly otherPatternTypes: number;
  readonly invalid: ReadonlyArray<{ readonly id: string; readonly reason: string }>;
}

type Stix = Readonly<Record<string, unknown>>;

/** The latest version (highest `modified`) of each indicator among STIX values; bundles and arrays are opened. */
export function latestIndicators(input: Iterable<unknown>): Map<string, Stix> {
  const latest = new Map<string, Stix>();
  forEachIndicator(input, (id, o) => {
    const known = latest.get(id);
    if (known === undefined || String(o['modified'] ?? '') > String(known['modified'] ?? '')) latest.set(id, o);
  });
  return latest;
}

/** Calls `each` for every indicator with a string id among STIX values, opening bundles and arrays. */
function forEachIndicator(input: Iterable<unknown>, each: (id: string, indicator: Stix) => void): void {
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) { for (const v of value) visit(v); return; }
    if (typeof value !== 'object' || value === null) return;
    const o = value as Stix;
    if (o['type'] === 'bundle') { visit(o['objects']); return; }
    if (o['type'] === 'indicator' && typeof o['id'] === 'string') each(o['id'], o);
  };
  for (const v of input) visit(v);
}

/**
 * Collects the indicators from STIX objects (bundles are opened) and compiles the usable ones.
 * Indicators are compiled as they come and only the chosen version's `modified` is kept per id,
 * so a generator of millions of indicator objects is never held whole.
 */
export function selectIndicators(input: Iterable<unknown>, nowMs: number): IndicatorSelection {
  const index = new IndicatorIndex();
  const patterns = new Map<string, string>();
  const invalid = new Map<string, string>();
  /** Per id: what became of the version chosen (one letter, see `take`) followed by its `modified`. */
  const chosen = new Map<string, string>();

  const take = (id: string, o: Stix): string => {
    if (o['revoked'] === true) return 'r';
    const until = typeof o['valid_until'] === 'string' ? Date.parse(o['valid_until']) : Number.NaN;
    if (!Number.isNaN(until) && until <= nowMs) return 'e';
    if (o['pattern_type'] !== undefined && o['pattern_type'] !== 'stix') return 'o';
    if (typeof o['pattern'] !== 'string') {
      invalid.set(id, 'no pattern');
      return 'x';
    }
    try {
      index.add(id, o['pattern']);
      patterns.set(id, o['pattern']);
      return 'i';
    } catch (error) {
      if (!isEntenteError(error)) throw error;
      invalid.set(id, error.details[0]?.message ?? error.message);
      return 'x';
    }
  };
  forEachIndicator(input, (id, o) => {
    const modified = String(o['modified'] ?? '');
    const known = chosen.get(id);
    // The latest version (highest `modified`) wins; on a tie the first seen stays, as in latestIndicators.
    if (known !== undefined) {
      if (!(modified > known.slice(1))) return;
      index.remove(id);
      patterns.delete(id);
      invalid.delete(id);
    }
    chosen.set(id, take(id, o) + modified);
  });

  let revoked = 0;
  let expired = 0;
  let otherPatternTypes = 0;
  for (const c of chosen.values()) {
    if (c.startsWith('r')) revoked++;
    else if (c.startsWith('e')) expired++;
    else if (c.startsWith('o')) otherPatternTypes++;
  }
  index.compact();
  return { index, patterns, revoked, expired, otherPatternTypes, invalid: [...invalid].map(([id, reason]) => ({ id, reason })) };
}
