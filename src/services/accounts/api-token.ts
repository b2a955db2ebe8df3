import { createHash, randomBytes } from 'node:crypto';

/**
 * API tokens read `ent_<id>_<secret>`: the id is public (listings, revocation), the secret is
 * 32 random bytes in base64url shown once. Only SHA-256 of the secret is stored: a fast hash is
 * enough because the secret has 256 bits of entropy, unlike a password.
 */
const TOKEN_PATTERN = /^ent_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface MintedToken {
  readonly id: string;
  readonly secret: string;
  /** The whole bearer string a client sends. */
  readonly token: string;
}

/** Creates a new token id and secret. */
export function mintToken(): MintedToken {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, secret, token: `ent_${id}_${secret}` };
}

/** Splits a bearer string into id and secret, or undefined when it is not an Entente token. */
export function parseToken(token: string): { readonly id: string; readonly secret: string } | undefined {
  const match = TOKEN_PATTERN.exec(token);
  if (match === null) return undefined;
  return { id: match[1] as string, secret: match[2] as string };
}

/** SHA-256 of the secret, hex: what the store keeps. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
