import { STIX_TIMESTAMP, isRealDate } from './timestamp.js';

/** Whether a value is a STIX timestamp (section 3.2) naming a real instant. */
export function isStixTimestamp(value: unknown): value is string {
  return typeof value === 'string' && STIX_TIMESTAMP.test(value) && isRealDate(value);
}

/**
 * Compares two valid STIX timestamps at full precision (fractions of any length): negative when
 * `a` is earlier. The fixed-width date-time part compares as text; fractions are padded to equal length.
 */
export function compareTimestamps(a: string, b: string): number {
  const headA = a.slice(0, 19);
  const headB = b.slice(0, 19);
  if (headA !== headB) return headA < headB ? -1 : 1;
  const fracA = a.length > 20 ? a.slice(20, -1) : '';
  const fracB = b.length > 20 ? b.slice(20, -1) : '';
  const width = Math.max(fracA.length, fracB.length);
  const pa = fracA.padEnd(width, '0');
  const pb = fracB.padEnd(width, '0');
  return pa === pb ? 0 : pa < pb ? -1 : 1;
}
