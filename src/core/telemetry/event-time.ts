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
