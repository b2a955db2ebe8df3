import { EntenteError } from '../../core/errors.js';

/**
 * Opaque keyset cursors: a tag naming the listing plus the sort key of the last row returned,
 * base64url-encoded so clients treat them as tokens. A cursor of another listing, or one that
 * was tampered with, is refused rather than silently restarting the listing.
 */
export function encodeCursor(tag: string, key: ReadonlyArray<string | number>): string {
  return Buffer.from(JSON.stringify([tag, ...key]), 'utf8').toString('base64url');
}

export function decodeCursor(tag: string, cursor: string): ReadonlyArray<string | number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed[0] !== tag || !parsed.slice(1).every((v) => typeof v === 'string' || typeof v === 'number')) {
    throw new EntenteError('ENTENTE_INVALID_PARAMETER', `next: "${cursor}" is not a cursor of this listing`, [{ path: 'next', message: 'unknown or malformed cursor' }]);
  }
  return parsed.slice(1) as ReadonlyArray<string | number>;
}
