import { describe, expect, it } from 'vitest';
import { mintToken, parseToken } from './api-token.js';
import { hashPassword, verifyPassword } from './password-hash.js';

const cheap = { N: 1024, r: 8, p: 1 };

describe('password hashes', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse battery', cheap);
    expect(hash).toMatch(/^scrypt\$N=1024,r=8,p=1\$/);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
  });

  it('salts each hash, so equal passwords hash differently', async () => {
    expect(await hashPassword('same password!', cheap)).not.toBe(await hashPassword('same password!', cheap));
  });

  it('never matches a malformed stored hash', async () => {
    expect(await verifyPassword('x', 'plain-text')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$N=1024,r=8,p=1$$')).toBe(false);
  });
});

describe('API tokens', () => {
  it('round-trips the id and secret of a minted token', () => {
    const minted = mintToken();
    expect(minted.token).toMatch(/^ent_[0-9a-f]{16}_/);
    expect(parseToken(minted.token)).toEqual({ id: minted.id, secret: minted.secret });
  });

  it('does not parse strings that are not Entente tokens', () => {
    expect(parseToken('ent_xyz_abc')).toBeUndefined();
    expect(parseToken('Bearer something')).toBeUndefined();
  });
});
