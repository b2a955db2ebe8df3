import { EntenteError } from '../errors.js';

/**
 * A STIX 2.1 timestamp (section 3.2): RFC 3339, upper-case `T`, UTC with `Z`, optional fraction
 * of a second of any precision.
 */
export const STIX_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/;

/**
 * The timestamp at millisecond precision in UTC, `YYYY-MM-DDTHH:mm:ss.sssZ`: extra digits are
 * truncated (never rounded, which could move the value into the next second), missing ones padded.
 * Accepts any RFC 3339 offset and converts it to UTC. Throws `ENTENTE_STIX_INVALID` otherwise.
 */
export function normaliseTimestamp(ts: string): string {
  const stix = STIX_TIMESTAMP.exec(ts);
  if (stix !== null && isRealDate(ts)) {
    const fraction = (stix[7] ?? '').padEnd(3, '0').slice(0, 3);
    return `${ts.slice(0, 19)}.${fraction}Z`;
  }
  const offset = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/.exec(ts);
  const zoneOk = (zone: string | undefined): boolean => zone === 'Z' || zone === 'z' || /^[+-](?:[01]\d|2[0-3]):[0-5]\d$/.test(zone ?? '');
  if (offset !== null && isRealDate(`${offset[1]}T${offset[2]}Z`) && zoneOk(offset[4])) {
    const fraction = (offset[3] ?? '').padEnd(3, '0').slice(0, 3);
    const zone = offset[4] === 'z' ? 'Z' : offset[4];
    const millis = Date.parse(`${offset[1]}T${offset[2]}.${fraction}${zone}`);
    if (!Number.isNaN(millis)) return new Date(millis).toISOString();
  }
  throw new EntenteError('ENTENTE_STIX_INVALID', `Not an RFC 3339 timestamp: ${JSON.stringify(ts.slice(0, 64))}`);
}

/** Whether the calendar fields of a syntactically valid timestamp name a real instant. */
export function isRealDate(ts: string): boolean {
  const m = STIX_TIMESTAMP.exec(ts);
  if (m === null) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}
