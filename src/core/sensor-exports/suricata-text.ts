/**
 * The lexical side of Suricata rules: escaping text into `content` and `msg`, and signature ids
 * that stay the same from one export to the next so that sensors, suppressions and dashboards
 * keep referring to the same rule.
 */

/**
 * A `content` argument for exact bytes. `"`, `;`, `\` and `|` have meaning in a rule and
 * anything outside printable ASCII is not portable, so those bytes are written in the `|hex|`
 * notation (Suricata user guide, "Payload Keywords: content").
 */
export function contentString(text: string): string {
  let out = '';
  let hex: string[] = [];
  const flush = (): void => {
    if (hex.length > 0) out += `|${hex.join(' ')}|`;
    hex = [];
  };
  for (const byte of Buffer.from(text, 'utf8')) {
    if (byte >= 0x20 && byte <= 0x7e && byte !== 0x22 && byte !== 0x3b && byte !== 0x5c && byte !== 0x7c) {
      flush();
      out += String.fromCharCode(byte);
    } else {
      hex.push(byte.toString(16).toUpperCase().padStart(2, '0'));
    }
  }
  flush();
  return `"${out}"`;
}

/** A `msg` argument: `\`, `"` and `;` escaped with a backslash, controls as spaces, bounded length. */
export function messageString(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, 400);
  return `"${clean.replace(/[\\";]/g, (c) => `\\${c}`)}"`;
}

/** FNV-1a, 32 bits: a stable spread of keys over the sid range, not a security function. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export interface SidRange {
  /** First sid of the range. */
  readonly base: number;
  /** How many sids the range holds. */
  readonly size: number;
}

/** Local rules conventionally use 1,000,000 to 1,999,999 (ranges below and 2,000,000+ are taken by public rule sets). */
export const DEFAULT_SID_RANGE: SidRange = { base: 1_000_000, size: 1_000_000 };

/**
 * Gives each rule key (indicator id and rule variant) a sid: its hash placed in the range, the
 * next free one on a collision. Keys are placed in sorted order, so a key keeps its sid as long
 * as no smaller key collides with it.
 */
export function allocateSids(keys: ReadonlyArray<string>, range: SidRange): Map<string, number> {
  const sorted = [...new Set(keys)].sort();
  if (sorted.length > range.size) throw new RangeError(`${sorted.length} rules do not fit in a sid range of ${range.size}`);
  const used = new Set<number>();
  const out = new Map<string, number>();
  for (const key of sorted) {
    let offset = fnv1a(key) % range.size;
    while (used.has(offset)) offset = (offset + 1) % range.size;
    used.add(offset);
    out.set(key, range.base + offset);
  }
  return out;
}
