import { EntenteError } from '../../core/errors.js';

/*
 * Cursors are opaque to clients (TAXII 2.1 section 3.4: `next` is a server-chosen string). They
 * carry a kind letter so that a cursor from one listing is refused by another instead of being
 * silently misread.
 */

const BASE64URL = /^[A-Za-z0-9_-]{1,200}$/;

function bad(): EntenteError {
  return new EntenteError('ENTENTE_INVALID_PARAMETER', 'next: the cursor is not one this server issued');
}

/** Encodes a search position (an object key) as an opaque cursor. */
export function encodeSearchCursor(okey: number): string {
  return Buffer.from(`s${okey}`, 'utf8').toString('base64url');
}

export function decodeSearchCursor(cursor: string): number {
  if (!BASE64URL.test(cursor)) throw bad();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (text[0] !== 's' || !/^\d{1,15}$/.test(text.slice(1))) throw bad();
  return Number(text.slice(1));
}

/** Encodes an object-listing position: the (date_added, seq) keyset of the last row sent. */
export function encodeObjectCursor(dateAdded: number, seq: number): string {
  return Buffer.from(`o${dateAdded}|${seq}`, 'utf8').toString('base64url');
}

export function decodeObjectCursor(cursor: string): readonly [number, number] {
  if (!BASE64URL.test(cursor)) throw bad();
  const match = /^o(-?\d{1,15})\|(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (match === null) throw bad();
  return [Number(match[1]), Number(match[2])];
}

/** Encodes a (version, id) position for the versions listing, which is ordered by version. */
export function encodeVersionCursor(version: string, id: string): string {
  return Buffer.from(`v${JSON.stringify([version, id])}`, 'utf8').toString('base64url');
}

export function decodeVersionCursor(cursor: string): readonly [string, string] {
  if (!/^[A-Za-z0-9_-]{1,1000}$/.test(cursor)) throw bad();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (text[0] !== 'v') throw bad();
  try {
    const value: unknown = JSON.parse(text.slice(1));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return [value[0], value[1]];
    }
  } catch {
    // fall through to the uniform error below
  }
  throw bad();
}

/** Encodes a decision-log position: the seq of the last decision sent. */
export function encodeDecisionCursor(seq: number): string {
  return Buffer.from(`d${seq}`, 'utf8').toString('base64url');
}

export function decodeDecisionCursor(cursor: string): number {
  if (!BASE64URL.test(cursor)) throw bad();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (text[0] !== 'd' || !/^\d{1,15}$/.test(text.slice(1))) throw bad();
  return Number(text.slice(1));
}
