const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits(text: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Whether a value is a STIX timestamp (section 3.2: `YYYY-MM-DDTHH:mm:ss[.s+]Z`) naming a real
 * instant. Hand-written rather than a regular expression: it runs several times per object.
 */
export function isStixTimestamp(value: unknown): value is string {
  if (typeof value !== 'string' || value.length < 20 || value.charCodeAt(value.length - 1) !== 90 /* Z */) return false;
  if (value[4] !== '-' || value[7] !== '-' || value[10] !== 'T' || value[13] !== ':' || value[16] !== ':') return false;
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const hour = digits(value, 11, 2);
  const minute = digits(value, 14, 2);
  const second = digits(value, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return false;
  if (value.length > 20) {
    if (value[19] !== '.' || value.length < 22 || digits(value, 20, value.length - 21) < 0) return false;
  }
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 && leap ? 29 : (DAYS[month - 1] ?? 0));
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
