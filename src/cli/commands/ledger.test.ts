import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import { ed25519Signer, formatVerifierKey, leafHash, toBase64, toHex, type LedgerEntry } from '../../core/ledger/index.js';
import { appendLedgerEntries, checkpointLedger } from '../../ports/ledger-store.js';
import { runCli, tempDir } from '../../../test/support/cli.js';

/**
 * `entente ledger` through the built binary, on a data directory whose ledger is filled through
 * the store port as the node would fill it: 300 entries, a checkpoint at 250, then 50 more.
 */
const dir = tempDir('entente-ledger-cli-');
const data = join(dir.path, 'data');
const ORIGIN = 'entente.example/deu';
const keys = generateKeyPairSync('ed25519');
const VKEY = formatVerifierKey(ORIGIN, keys.publicKey);
const OTHER_VKEY = formatVerifierKey(ORIGIN, generateKeyPairSync('ed25519').publicKey);

const entry = (n: number): LedgerEntry => ({
  kind: 'release', at: new Date(Date.UTC(2026, 2, 1, 10, 0, n)).toISOString(), recipient: n % 2 === 0 ? 'peer:POL' : 'peer:FRA',
  objectId: `indicator--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, objectVersion: '2026-02-01T00:00:00.000Z', outcome: 'allow',
});

const cli = (...args: string[]) => runCli([...args, '--data-dir', data]);
const file = (name: string, content: unknown) => {
  const path = join(dir.path, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

beforeAll(async () => {
  mkdirSync(data);
  const store = await openSqliteStore({ file: join(data, 'entente.db') });
  await store.migrate();
  await appendLedgerEntries(store, Array.from({ length: 250 }, (_, n) => entry(n)));
  await checkpointLedger(store, ORIGIN, [ed25519Signer(ORIGIN, keys.privateKey)]);
  await appendLedgerEntries(store, Array.from({ length: 50 }, (_, n) => entry(250 + n)));
  await store.close();
}, 60_000);
afterAll(() => dir.remove());

describe('entente ledger', () => {
  it('verifies the whole log against the latest checkpoint and its signature', async () => {
    const result = await cli('ledger', 'verify', '--key', VKEY, '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ holds: true, entries: 300, checkpointSize: 250, checkpointSignature: 'verified' });
    const human = await cli('ledger', 'verify');
    expect(human.stdout).toMatch(/^holds\n/);
    expect(human.stdout).toMatch(/checkpointSize\s+250/);
    const wrongKey = await cli('ledger', 'verify', '--key', OTHER_VKEY, '--json');
    expect(wrongKey.code).toBe(1);
    expect(JSON.parse(wrongKey.stdout).reason).toMatch(/no signature by a trusted key/);
  }, 60_000);

  it('proves an entry by index or by leaf hash, and check-proof accepts the proof with and without the key', async () => {
    const byIndex = await cli('ledger', 'prove', '17', '--json');
    expect(byIndex.code).toBe(0);
    const proof = JSON.parse(byIndex.stdout) as Record<string, unknown>;
    expect(proof).toMatchObject({ type: 'inclusion', treeSize: 250, leafIndex: 17, entry: entry(17) });
    expect(proof['checkpoint']).toMatch(new RegExp(`^${ORIGIN}\\n250\\n`));
    const byHash = await cli('ledger', 'prove', toHex(Buffer.from(proof['leafHash'] as string, 'base64')), '--json');
    expect(JSON.parse(byHash.stdout)).toEqual(proof);

    const proofFile = file('proof-17.json', proof);
    const checked = await runCli(['ledger', 'check-proof', proofFile, '--key', VKEY, '--json']);
    expect(checked.code).toBe(0);
    expect(JSON.parse(checked.stdout)).toMatchObject({ holds: true, type: 'inclusion', leafIndex: 17, checkpoint: `signed by ${ORIGIN}` });
    expect((await runCli(['ledger', 'check-proof', proofFile])).stdout).toMatch(/^holds\n/);
    expect((await runCli(['ledger', 'check-proof', '-'], { input: JSON.stringify(proof) })).code).toBe(0);
  }, 60_000);

  it('says a tampered proof does not hold (exit 1) and a malformed one is an error with its JSON path (exit 2)', async () => {
    const proof = JSON.parse((await cli('ledger', 'prove', '3', '--json')).stdout) as Record<string, unknown>;
    const path = proof['path'] as string[];
    const flipped = Buffer.from(path[2] as string, 'base64');
    flipped[0] = (flipped[0] as number) ^ 1;
    const tampered = await runCli(['ledger', 'check-proof', file('tampered.json', { ...proof, path: path.map((h, i) => (i === 2 ? toBase64(flipped) : h)) }), '--json']);
    expect(tampered.code).toBe(1);
    expect(JSON.parse(tampered.stdout)).toMatchObject({ holds: false, reason: expect.stringMatching(/differs from the given root/) });
    const otherEntry = await runCli(['ledger', 'check-proof', file('other-entry.json', { ...proof, entry: entry(4) })]);
    expect(otherEntry.code).toBe(1);
    expect(otherEntry.stdout).toMatch(/does not hold: the entry does not hash to leafHash/);
    const unsigned = await runCli(['ledger', 'check-proof', file('wrong-key.json', proof), '--key', OTHER_VKEY]);
    expect(unsigned.code).toBe(1);

    const malformed = await runCli(['ledger', 'check-proof', file('malformed.json', { ...proof, leafIndex: -3, path: [...path.slice(0, 1), 'not-a-hash'] })]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/ENTENTE_INVALID_PARAMETER/);
    expect(malformed.stderr).toMatch(/\$\.leafIndex\s+must be a whole number >= 0/);
    expect(malformed.stderr).toMatch(/\$\.path\[1\]\s+must be a 32-byte hash/);
    const broken = await runCli(['ledger', 'check-proof', file('broken.json', '{"type": "inclusion",')]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/ENTENTE_JSON_MALFORMED/);
  }, 60_000);

  it('prints consistency proofs that check-proof accepts, between the checkpoint and the current log', async () => {
    const result = await cli('ledger', 'consistency', '100', '250', '--json');
    expect(result.code).toBe(0);
    const proof = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(proof).toMatchObject({ type: 'consistency', size1: 100, size2: 250, checkpoint: expect.stringMatching(/^entente\.example\/deu\n250\n/) });
    expect((await runCli(['ledger', 'check-proof', file('consistency.json', proof), '--key', VKEY])).code).toBe(0);
    const grown = JSON.parse((await cli('ledger', 'consistency', '250', '300', '--json')).stdout) as Record<string, unknown>;
    expect((await runCli(['ledger', 'check-proof', file('grown.json', grown)])).code).toBe(0);
    const swapped = await runCli(['ledger', 'check-proof', file('swapped.json', { ...grown, root1: grown['root2'], root2: grown['root1'] }), '--json']);
    expect(swapped.code).toBe(1);
    expect((await cli('ledger', 'consistency', '10', '301')).code).toBe(2);
  }, 60_000);

  it('explains every subcommand in --help, and check-proof needs no data directory', async () => {
    for (const sub of ['verify', 'prove', 'consistency', 'check-proof']) {
      const help = await runCli(['ledger', sub, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/--json/);
    }
    expect((await runCli(['ledger', 'check-proof', '--help'])).stdout).toMatch(/base64 or hex/);
    const elsewhere = tempDir('entente-auditor-');
    try {
      const proof = (await cli('ledger', 'prove', '5', '--json')).stdout;
      writeFileSync(join(elsewhere.path, 'p.json'), proof);
      const offline = await runCli(['ledger', 'check-proof', 'p.json'], { cwd: elsewhere.path });
      expect(offline.code).toBe(0);
      expect(existsSync(join(elsewhere.path, 'data'))).toBe(false);
    } finally {
      elsewhere.remove();
    }
  }, 60_000);
  it('finds a rewritten entry and a rewritten leaf hash when verifying', async () => {
    const db = new Database(join(data, 'entente.db'));
    const original = db.prepare('SELECT entry FROM ledger_entries WHERE idx = 42').pluck().get() as string;
    db.prepare('UPDATE ledger_entries SET entry = ? WHERE idx = 42').run(original.replace('peer:POL', 'peer:RUS'));
    db.close();
    const rewritten = await cli('ledger', 'verify', '--json');
    expect(rewritten.code).toBe(1);
    expect(JSON.parse(rewritten.stdout).reason).toMatch(/entry 42 does not hash to its stored leaf hash/);

    // A forger who also rewrites the leaf hash changes the root: the checkpoint gives it away.
    const forger = await openSqliteStore({ file: join(data, 'entente.db') });
    const text = (await forger.getLedgerEntry(42))?.entry ?? '';
    await forger.close();
    const raw = new Database(join(data, 'entente.db'));
    raw.prepare('UPDATE ledger_entries SET leaf_hash = ? WHERE idx = 42').run(Buffer.from(leafHash(Buffer.from(text))));
    raw.close();
    const forged = await cli('ledger', 'verify', '--json');
    expect(forged.code).toBe(1);
    expect(JSON.parse(forged.stdout).reason).toMatch(/differs from the latest checkpoint|stored tree state/);
  }, 60_000);

});
