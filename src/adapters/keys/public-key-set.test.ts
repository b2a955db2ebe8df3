import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { FilePeerKeys } from './file-peer-keys.js';
import { readPublicKeySet } from './public-key-set.js';

function okp(kind: 'ed25519' | 'x25519'): { kty: string; crv: string; x: string; d: string } {
  return generateKeyPairSync(kind as 'ed25519').privateKey.export({ format: 'jwk' }) as { kty: string; crv: string; x: string; d: string };
}

function publicOf(jwk: { kty: string; crv: string; x: string }): { kty: string; crv: string; x: string } {
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x };
}

async function details(value: unknown): Promise<ReadonlyArray<{ path?: string; message: string }>> {
  try {
    await readPublicKeySet(value, 'peer.json');
    return [];
  } catch (error) {
    return (error as { details: ReadonlyArray<{ path?: string; message: string }> }).details;
  }
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('readPublicKeySet', () => {
  it('sorts signing and key-agreement keys and sets each kid to the thumbprint', async () => {
    const sig = publicOf(okp('ed25519'));
    const enc = publicOf(okp('x25519'));
    const set = await readPublicKeySet({ organisation: 'POL', keys: [enc, { ...sig, kid: await calculateJwkThumbprint(sig) }] }, 'pol.json');
    expect(set.organisation).toBe('POL');
    expect(set.signing).toEqual([{ ...sig, kid: await calculateJwkThumbprint(sig) }]);
    expect(set.encryption.map((k) => k.kid)).toEqual([await calculateJwkThumbprint(enc)]);
  });

  it('refuses a private key, a wrong curve, a kid that is not the thumbprint, all at once with paths', async () => {
    const found = await details({
      keys: [okp('ed25519'), { kty: 'EC', crv: 'P-256', x: 'abc' }, { ...publicOf(okp('x25519')), kid: 'not-the-thumbprint' }],
    });
    expect(found.map((d) => d.path)).toEqual(['$.keys[0].d', '$.keys[1].kty', '$.keys[1].crv', '$.keys[1].x', '$.keys[2].kid']);
  });

  it('needs one key of each use', async () => {
    expect(await details({ keys: [publicOf(okp('ed25519'))] })).toEqual([{ path: '$.keys', message: 'holds no X25519 key-agreement key' }]);
    expect(await details({ nokeys: [] })).toEqual([{ path: '$.keys', message: 'must be an array of JWKs' }]);
  });
});

describe('FilePeerKeys', () => {
  it('pins, replaces, lists and removes peers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'entente-peers-'));
    dirs.push(dir);
    const peers = new FilePeerKeys(dir);
    const record = { organisation: 'POL', signing: [{ kty: 'OKP', crv: 'Ed25519', x: 'a' }], encryption: [], pinnedAt: '2026-01-01T00:00:00.000Z' };
    await peers.pin(record);
    await peers.pin({ ...record, organisation: 'DEU' });
    await peers.pin({ ...record, pinnedAt: '2026-02-01T00:00:00.000Z' });
    expect((await peers.list()).map((p) => [p.organisation, p.pinnedAt])).toEqual([['DEU', '2026-01-01T00:00:00.000Z'], ['POL', '2026-02-01T00:00:00.000Z']]);
    expect(await new FilePeerKeys(dir).get('POL')).toEqual({ ...record, pinnedAt: '2026-02-01T00:00:00.000Z' });
    expect(await peers.remove('POL')).toBe(true);
    expect(await peers.remove('POL')).toBe(false);
    expect(await peers.get('POL')).toBeUndefined();
  });
});
