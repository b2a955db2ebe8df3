import { EntenteError } from '../errors.js';

const UNITS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A window width such as `90s`, `15m`, `1h` or `1d` in milliseconds. Windows are aligned on the
 * epoch, so a width that divides a day (`1h`, `15m`) gives windows on the clock's hours.
 */
export function parseWindow(text: string, path = 'window'): number {
  const m = /^\s*(\d{1,9})\s*([smhd])\s*$/.exec(text);
  const n = m === null ? Number.NaN : Number(m[1]) * (UNITS[m[2] ?? ''] ?? Number.NaN);
  if (!Number.isSafeInteger(n) || n < 1000) {
    throw new EntenteError('ENTENTE_INVALID_PARAMETER', `${path}: ${JSON.stringify(text)} is not a window width such as 30m, 1h or 1d`, [{ path, message: 'a whole number followed by s, m, h or d, at least 1s' }]);
  }
  return n;
}
