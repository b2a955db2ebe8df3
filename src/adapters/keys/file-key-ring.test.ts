import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../system/manual-clock.js';
import { FileKeyRing, KEY_FILE, MASTER_KEY_FILE } from './file-key-ring.js';

const DAY = 24 * 60 * 60 * 1000;
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'entente-keys-'));
  dirs.push(dir);
  return dir;
}

/** A low scrypt cost keeps the tests fast; the parameters are stored in the file either way. */
function ring(dir: string, clock = new ManualClock(), passphrase?: string): FileKeyRing {
  return new FileKeyRing({ dir, clock, kdfCost: 2 ** 10, ...(passphrase === undefined ? {} : { passphrase }) });
}

async function codeOf(run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await run();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('FileKeyRing', () => {
  it('creates an Ed25519 and an X25519 key at first use, each with its RFC 7638 thumbprint as kid', async () => {
    const keys = ring(tempDir());
    expect(await keys.ensure()).toEqual({ created: true });
    expect(await keys.ensure()).toEqual({ created: false });
    const list = await keys.list();
    expect(list.map((k) => [k.use, k.publicJwk.crv, k.state])).toEqual([['enc', 'X25519', 'current'], ['sig', 'Ed25519', 'current']]);
    for (const k of list) expect(k.kid).toBe(await calculateJwkThumbprint({ kty: 'OKP', crv: k.publicJwk.crv as string, x: k.publicJwk.x as string }));
    expect(list.every((k) => k.publicJwk.d === undefined)).toBe(true);
  });

  it('keeps private keys encrypted on disk: no "d" in clear, files readable by the owner only', async () => {
    const dir = tempDir();
    const keys = ring(dir);
    const signing = await keys.signingKey();
    expect(signing.privateJwk.d).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const text = readFileSync(join(dir, KEY_FILE), 'utf8');
    expect(text).not.toContain('"d"');
    expect(text).not.toContain(signing.privateJwk.d);
    expect(statSync(join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, MASTER_KEY_FILE)).mode & 0o777).toBe(0o600);
  });

  it('opens its keys again in another process with the same master key file', async () => {
    const dir = tempDir();
    const first = await ring(dir).signingKey();
    const again = await ring(dir).signingKey();
    expect(again).toEqual(first);
  });

  it('uses a passphrase when given, and a wrong or missing passphrase fails clearly', async () => {
    const dir = tempDir();
    await ring(dir, new ManualClock(), 'correct horse battery staple').ensure();
    expect(() => statSync(join(dir, MASTER_KEY_FILE))).toThrow();
    const wrong = ring(dir, new ManualClock(), 'wrong passphrase');
    await expect(wrong.signingKey()).rejects.toMatchObject({ code: 'ENTENTE_KEYS_UNREADABLE', message: expect.stringContaining('Wrong ENTENTE_KEY_PASSPHRASE') });
    await expect(ring(dir).signingKey()).rejects.toMatchObject({ code: 'ENTENTE_KEYS_UNREADABLE', message: expect.stringContaining('set ENTENTE_KEY_PASSPHRASE') });
    expect((await ring(dir, new ManualClock(), 'correct horse battery staple').signingKey()).kid).toHaveLength(43);
  });

  it('refuses a replaced master key file', async () => {
    const dir = tempDir();
    await ring(dir).ensure();
    writeFileSync(join(dir, MASTER_KEY_FILE), 'another-secret');
    expect(await codeOf(() => ring(dir).signingKey())).toBe('ENTENTE_KEYS_UNREADABLE');
  });

  it('detects a private key blob moved to another entry', async () => {
    const dir = tempDir();
    await ring(dir).ensure();
    const file = JSON.parse(readFileSync(join(dir, KEY_FILE), 'utf8')) as { keys: [{ private: unknown }, { private: unknown }] };
    const [a, b] = file.keys;
    [a.private, b.private] = [b.private, a.private];
    writeFileSync(join(dir, KEY_FILE), JSON.stringify(file));
    expect(await codeOf(() => ring(dir).signingKey())).toBe('ENTENTE_KEYS_UNREADABLE');
  });

  it('rotates: new current keys, the old ones in overlap until the period ends, then retired', async () => {
    const clock = new ManualClock('2026-03-01T00:00:00.000Z');
    const keys = ring(tempDir(), clock);
    const before = await keys.list();
    const oldEnc = before.find((k) => k.use === 'enc')?.kid as string;
    clock.advance(1000);
    const after = await keys.rotate({ overlapMs: 2 * DAY });
    expect(after.map((k) => k.state)).toEqual(['current', 'current', 'overlap', 'overlap']);
    expect(after.filter((k) => k.state === 'overlap').map((k) => k.retiresAt)).toEqual(['2026-03-03T00:00:01.000Z', '2026-03-03T00:00:01.000Z']);
    expect((await keys.signingKey()).kid).not.toBe(before.find((k) => k.use === 'sig')?.kid);
    expect((await keys.publicKeySet()).keys).toHaveLength(4);
    expect(await keys.decryptionKey(oldEnc)).toBeDefined();

    clock.advance(2 * DAY);
    expect((await keys.list()).filter((k) => k.state === 'retired')).toHaveLength(2);
    expect(await keys.decryptionKey(oldEnc)).toBeUndefined();
    expect((await keys.publicKeySet()).keys.map((k) => k.use)).toEqual(['enc', 'sig']);
  });

  it('drops the private halves of retired keys at the next rotation', async () => {
    const clock = new ManualClock();
    const dir = tempDir();
    const keys = ring(dir, clock);
    await keys.rotate({ overlapMs: DAY });
    clock.advance(2 * DAY);
    await keys.rotate();
    const file = JSON.parse(readFileSync(join(dir, KEY_FILE), 'utf8')) as { keys: Array<{ private?: unknown }> };
    expect(file.keys.map((k) => k.private !== undefined)).toEqual([true, true, true, true, false, false]);
  });

  it('defaults the overlap period to seven days and refuses a negative one', async () => {
    const clock = new ManualClock('2026-03-01T00:00:00.000Z');
    const keys = ring(tempDir(), clock);
    const rotated = await keys.rotate();
    expect(rotated.find((k) => k.state === 'overlap')?.retiresAt).toBe('2026-03-08T00:00:00.000Z');
    expect(() => keys.rotate({ overlapMs: -1 })).toThrow(/non-negative/);
  });

  it('publishes public keys only, with kid, use and alg', async () => {
    const set = await ring(tempDir()).publicKeySet();
    expect(set.keys.map((k) => [k.use, k.alg])).toEqual([['enc', 'ECDH-ES+A256KW'], ['sig', 'EdDSA']]);
    expect(JSON.stringify(set)).not.toContain('"d"');
  });
});
