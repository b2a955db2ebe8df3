/**
 * Chooses what goes to sensors from STIX objects: the latest version of each indicator, neither
 * revoked nor past `valid_until` (STIX 2.1 section 4.7) at `now`, whose pattern reduces to plain
 * values (simple-pattern.ts), of the types asked for, less the values a warninglist holds.
 */
import { isEntenteError } from '../errors.js';
import { latestIndicators } from '../telemetry/indicators.js';
import { parsePattern } from '../pattern/index.js';
import type { ValueType, WarninglistMatcher } from '../warninglists/index.js';
import { reducePattern } from './simple-pattern.js';
import { emptyCounts, type ExportType, type ExportValue, type SensorIndicator, type SensorSelection } from './types.js';


export interface SelectOptions {
  /** Milliseconds since the epoch, from the caller's clock. */
  readonly nowMs: number;
  /** Leave out values on these lists; absent, nothing is left out. */
  readonly warninglists?: WarninglistMatcher;
  /** Keep only values of these types; absent, every type. */
  readonly types?: ReadonlySet<ExportType>;
}

/** How an export type is checked against warninglists. */
const WARNINGLIST_TYPE: Readonly<Record<ExportType, ValueType>> = {
  ipv4: 'ipv4-addr', ipv6: 'ipv6-addr', domain: 'domain-name', url: 'url', email: 'email-addr', md5: 'file-hash', sha1: 'file-hash', sha256: 'file-hash',
  cidr: 'ipv4-addr',
};


/** Selects the indicators and values to export from STIX objects (bundles are opened). */
export function selectForSensors(input: Iterable<unknown>, options: SelectOptions): SensorSelection {
  const indicators: SensorIndicator[] = [];
  const valuesByType = emptyCounts();
  const notExpressible: Array<{ id: string; reason: string }> = [];
  const warninglisted: Array<{ id: string; value: string; list: string }> = [];
  let revoked = 0;
  let expired = 0;
  let otherTypes = 0;
  const ordered = [...latestIndicators(input)].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const [id, o] of ordered) {
    if (o['revoked'] === true) { revoked++; continue; }
    const until = typeof o['valid_until'] === 'string' ? Date.parse(o['valid_until']) : Number.NaN;
    if (!Number.isNaN(until) && until <= options.nowMs) { expired++; continue; }
    if (o['pattern_type'] !== undefined && o['pattern_type'] !== 'stix') { notExpressible.push({ id, reason: `pattern_type ${String(o['pattern_type'])} is not a STIX pattern` }); continue; }
    if (typeof o['pattern'] !== 'string') { notExpressible.push({ id, reason: 'no pattern' }); continue; }
    let reduced;
    try {
      reduced = reducePattern(parsePattern(o['pattern']));
    } catch (error) {
      if (!isEntenteError(error)) throw error;
      notExpressible.push({ id, reason: `invalid pattern: ${error.details[0]?.message ?? error.message}` });
      continue;
    }
    if ('reason' in reduced) { notExpressible.push({ id, reason: reduced.reason }); continue; }
    const wanted = options.types === undefined ? reduced.values : reduced.values.filter((v) => options.types?.has(v.type));
    if (wanted.length === 0) { otherTypes++; continue; }
    const kept: ExportValue[] = [];
    for (const v of wanted) {
      const hit = options.warninglists?.match(v.type === 'cidr' && v.value.includes(':') ? 'ipv6-addr' : WARNINGLIST_TYPE[v.type], v.value);
      if (hit !== undefined) warninglisted.push({ id, value: v.value, list: hit.list });
      else kept.push(v);
    }
    if (kept.length === 0) continue;
    for (const v of kept) valuesByType[v.type]++;
    indicators.push({ id, name: typeof o['name'] === 'string' && o['name'].trim() !== '' ? o['name'] : id, values: kept });
  }
  return { indicators, valuesByType, notExpressible, warninglisted, revoked, expired, otherTypes };
}
