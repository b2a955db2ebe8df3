import { EntenteError } from '../../core/errors.js';

/*
 * The keyset cursor of the status listing, shared by every Store adapter so a cursor means the
 * same thing whatever the engine: the (requestTimestamp, id) of the last status sent.
 */

export function encodeStatusCursor(requestedAt: string, id: string): string {
  return Buffer.from(JSON.stringify([requestedAt, id]), 'utf8').toString('base64url');
}

export function decodeStatusCursor(cursor: string): readonly [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') return [value[0], value[1]];
  } catch {
    // fall through to the error below
  }
  throw new EntenteError('ENTENTE_INVALID_PARAMETER', 'cursor: not a cursor this server issued', [{ path: 'cursor', message: 'not issued by this server' }]);
}
