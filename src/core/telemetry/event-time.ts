/**
 * Event times from the forms sensors write, as milliseconds since the epoch. The core has no
 * clock: these only read the time written in the event.
 */

/**
 * ISO 8601 with `Z`, `+01:00` or Suricata's `+0100`; Windows' `2020-10-18 10:56:18.799` (read as
 * UTC, which is how the OTRF exports write it); or epoch seconds (Zeek `ts`), as number or text.
 */
export function parseEventTime(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
  if (typeof value !== 'string' || value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value);
  if (match === null) return undefined;
  const [, date, time, fraction = '', zone = 'Z'] = match;
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const ms = Date.parse(`${date}T${time}${offset}`);
  if (Number.isNaN(ms)) return undefined;
  // Date.parse keeps milliseconds only; the engine compares instants, so keep the microseconds.
  return ms + (fraction === '' ? 0 : Number(`0${fraction}`) * 1000);
}

/** The last calendar day `isEventTime` checked, and whether Date.parse takes it. */
let lastDay = '';
let lastDayValid = false;

const digit = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -100;
};
const two = (s: string, i: number): number => digit(s, i) * 10 + digit(s, i + 1);

/**
 * `parseEventTime(value) !== undefined`, without the regular expression and Date.parse for the
 * ISO 8601 form sensors write (`2026-11-25T12:00:00.000000+0000`): the day is checked once for
 * all the events of that day. Anything out of the ordinary takes the full path.
 */
export function isEventTime(value: unknown): boolean {
  if (typeof value !== 'string' || value.length < 19 || value.charCodeAt(10) !== 84 /* T */) return parseEventTime(value) !== undefined;
  const hour = two(value, 11);
  const minute = two(value, 14);
  const second = two(value, 17);
  if (value.charCodeAt(13) !== 58 || value.charCodeAt(16) !== 58 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    return parseEventTime(value) !== undefined;
  }
  let i = 19;
  if (value.charCodeAt(i) === 46 /* . */) {
    i++;
    if (digit(value, i) < 0) return false;
    while (digit(value, i) >= 0) i++;
  }
  if (i < value.length) {
    const c = value.charCodeAt(i);
    if (c === 90 /* Z */) i++;
    else if (c === 43 || c === 45 /* + - */) {
      const h = two(value, i + 1);
      const colon = value.charCodeAt(i + 3) === 58 ? 1 : 0;
      const m = two(value, i + 3 + colon);
      if (h < 0 || h > 23 || m < 0 || m > 59) return parseEventTime(value) !== undefined;
      i += 5 + colon;
    } else return false;
  }
  if (i !== value.length) return parseEventTime(value) !== undefined;
  if (!value.startsWith(lastDay) || lastDay === '') {
    const day = value.slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
    lastDay = day;
    lastDayValid = !Number.isNaN(Date.parse(`${day}T00:00:00Z`));
  }
  return lastDayValid;
}
