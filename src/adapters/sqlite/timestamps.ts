import { EntenteError } from '../../core/errors.js';

const STIX_TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/;

/**
 * A STIX timestamp (RFC 3339, UTC, any sub-second precision) at millisecond precision, so that
 * versions compare as plain strings and `match[version]=<timestamp>` finds a version however
 * many fraction digits either side wrote. Digits past the millisecond are truncated, not rounded,
 * so a value never moves into the next second. Pure string work: no Date, no time zone.
 */
export function normaliseTimestamp(value: string, field = 'timestamp'): string {
  const match = STIX_TIMESTAMP.exec(value);
  if (match === null) {
    throw new EntenteError('ENTENTE_INVALID_PARAMETER', `${field} is not a STIX timestamp (YYYY-MM-DDTHH:MM:SS[.s+]Z): ${JSON.stringify(value)}`);
  }
  const fraction = (match[2] ?? '').padEnd(3, '0').slice(0, 3);
  return `${match[1]}.${fraction}Z`;
}

/** A STIX timestamp as integer milliseconds since the epoch (truncated to the millisecond). */
export function timestampMillis(value: string, field = 'timestamp'): number {
  const millis = Date.parse(normaliseTimestamp(value, field));
  if (Number.isNaN(millis)) throw new EntenteError('ENTENTE_INVALID_PARAMETER', `${field} is not a valid date: ${JSON.stringify(value)}`);
  return millis;
}

// Rows of a page mostly share their date_added (one per write batch): remembering the last
// conversion saves a Date and a string per row on the TAXII paging path.
let lastMillis = Number.NaN;
let lastText = '';

/** Integer milliseconds back to a STIX timestamp with millisecond precision. */
export function millisTimestamp(millis: number): string {
  if (millis !== lastMillis) {
    lastText = new Date(millis).toISOString();
    lastMillis = millis;
  }
  return lastText;
}
