import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt cost parameters; N = 2^14, r = 8, p = 1 is the floor OWASP gives for interactive logins. */
export interface ScryptCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem must cover 128 * N * r bytes, or node refuses the larger costs.
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...cost, maxmem: 256 * cost.N * cost.r }, (error, key) =>
      error === null ? resolve(key) : reject(error),
    );
  });
}

/**
 * Hashes a password as `scrypt$N=..,r=..,p=..$<salt>$<key>` (base64url), a PHC-like string that
 * carries its own parameters so that raising the cost later does not break stored hashes.
 */
export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return `scrypt$N=${cost.N},r=${cost.r},p=${cost.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Checks a password against a stored hash in constant time; a malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 4 || parts[0] !== 'scrypt') return false;
  const params = /^N=(\d+),r=(\d+),p=(\d+)$/.exec(parts[1] ?? '');
  if (params === null) return false;
  const cost = { N: Number(params[1]), r: Number(params[2]), p: Number(params[3]) };
  const salt = Buffer.from(parts[2] ?? '', 'base64url');
  const expected = Buffer.from(parts[3] ?? '', 'base64url');
  if (expected.length !== KEY_LENGTH || salt.length === 0) return false;
  const actual = await derive(password, salt, cost);
  return timingSafeEqual(actual, expected);
}
