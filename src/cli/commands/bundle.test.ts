import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, tempDir } from '../../../test/support/cli.js';

/**
 * Keys and offline bundles through the real binary: the German and Polish nodes of the coalition
 * example exchange public keys, Germany seals intelligence to Poland under its agreements, and
 * Poland opens it once.
 */
const EXAMPLE = join(REPO_ROOT, 'examples', 'coalition');
const dir = tempDir('entente-bundle-cli-');
const data = { DEU: join(dir.path, 'deu'), POL: join(dir.path, 'pol') };
const env = { ENTENTE_ADMIN_PASSWORD: 'bundle-admin-password' };
const as = (node: keyof typeof data, ...args: string[]) => runCli([...args, '--data-dir', data[node]], { env });
const file = (name: string) => join(dir.path, name);

beforeAll(async () => {
  // The build compiles the whole tree; another area's work in progress may report type errors
  // while still emitting, so what matters is that these commands were emitted.
  await new Promise((resolve) => execFile('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT }, resolve));
  expect(existsSync(join(REPO_ROOT, 'dist/cli/commands/bundle.js'))).toBe(true);
  for (const code of ['DEU', 'POL'] as const) {
    mkdirSync(data[code]);
    copyFileSync(join(EXAMPLE, 'nodes', `${code}.yaml`), join(data[code], 'entente.yaml'));
    expect((await as(code, 'init')).code).toBe(0);
  }
  expect((await as('DEU', 'orgs', 'import', join(EXAMPLE, 'organisations.yaml'))).code).toBe(0);
  const agreements = ['nato-cti', 'eu-cti', 'deu-pol-energy'].map((a) => join(EXAMPLE, 'agreements', `${a}.yaml`));
  expect((await as('DEU', 'agreements', 'submit', ...agreements)).code).toBe(0);
}, 180_000);
afterAll(() => dir.remove());

describe('entente keys', { timeout: 60_000 }, () => {
  it('shows the keys made at first use, with kids and fingerprints in groups of four', async () => {
    const shown = await as('DEU', 'keys', 'show', '--json');
    expect(shown.code).toBe(0);
    const keys = JSON.parse(shown.stdout) as { organisation: string; keys: Array<{ use: string; state: string; kid: string; fingerprint: string }> };
    expect(keys.organisation).toBe('DEU');
    expect(keys.keys.map((k) => [k.use, k.state])).toEqual([['enc', 'current'], ['sig', 'current']]);
    expect(keys.keys[0]?.fingerprint).toMatch(/^([0-9A-F]{4} ){15}[0-9A-F]{4}$/);
    expect(readFileSync(join(data.DEU, 'keys', 'node-keys.json'), 'utf8')).not.toContain('"d"');
  });

  it('exports public keys and pins them at the peer, printing the same fingerprints on both sides', async () => {
    const exported = await as('POL', 'keys', 'export-public', '--out', file('pol.jwks'));
    expect(exported.code).toBe(0);
    expect(readFileSync(file('pol.jwks'), 'utf8')).not.toContain('"d"');
    const pinned = await as('DEU', 'keys', 'pin', 'POL', file('pol.jwks'));
    expect(pinned.code).toBe(0);
    const fingerprints = (text: string) => [...text.matchAll(/(?:[0-9A-F]{4} ){15}[0-9A-F]{4}/g)].map((m) => m[0]).sort();
    expect(fingerprints(pinned.stdout)).toEqual(fingerprints(exported.stdout));
    expect(fingerprints(pinned.stdout)).toHaveLength(2);
    writeFileSync(file('deu.jwks'), (await as('DEU', 'keys', 'export-public')).stdout);
    expect((await as('POL', 'keys', 'pin', 'DEU', file('deu.jwks'))).code).toBe(0);
  });

  it('refuses to pin a key set under another organisation code, or one holding a private key', async () => {
    const wrongPeer = await as('DEU', 'keys', 'pin', 'FRA', file('pol.jwks'));
    expect(wrongPeer.code).toBe(2);
    expect(wrongPeer.stderr).toContain('holds the keys of POL, not FRA');
    const secret = file('secret.jwks');
    const set = JSON.parse(readFileSync(file('pol.jwks'), 'utf8')) as { keys: Array<Record<string, unknown>> };
    writeFileSync(secret, JSON.stringify({ keys: [{ ...set.keys[0], d: 'A'.repeat(43) }, set.keys[1]] }));
    const refused = await as('DEU', 'keys', 'pin', 'POL', secret);
    expect(refused.stderr).toMatch(/ENTENTE_BAD_REQUEST[\s\S]*\$\.keys\[0\]\.d\s+is a private key/);
  });
});

describe('entente bundle', { timeout: 60_000 }, () => {
  const intel = join(EXAMPLE, 'intel', '01-steppe-lynx-campaign.json');

  it('seals only what the recipient may receive under the agreements, and the recipient opens it once', async () => {
    const sealed = await as('DEU', 'bundle', 'seal', intel, '--to', 'POL', '--out', file('to-pol.jwe'), '--json');
    expect(sealed.code).toBe(0);
    const summary = JSON.parse(sealed.stdout) as { id: string; objects: number; withheld: number };
    expect(summary.objects).toBeGreaterThan(0);
    expect(summary.withheld).toBeGreaterThan(0);
    const envelope = readFileSync(file('to-pol.jwe'), 'utf8');
    expect(envelope).not.toContain('indicator--');

    const opened = await as('POL', 'bundle', 'open', file('to-pol.jwe'), '--out', file('from-deu.json'));
    expect(opened.code).toBe(0);
    expect(opened.stdout).toContain(`opened envelope ${summary.id} from DEU (signed by DEU`);
    const bundle = JSON.parse(readFileSync(file('from-deu.json'), 'utf8')) as { type: string; objects: unknown[] };
    expect(bundle.type).toBe('bundle');
    expect(bundle.objects).toHaveLength(summary.objects);

    const again = await as('POL', 'bundle', 'open', file('to-pol.jwe'));
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('ENTENTE_ENVELOPE_REPLAYED');
  });

  it('refuses to seal one envelope to recipients allowed different objects', async () => {
    const refused = await as('DEU', 'bundle', 'seal', intel, '--to', 'POL,FRA', '--out', file('two.jwe'));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('ENTENTE_ENVELOPE_RELEASE_DIFFERS');
    expect(refused.stderr).toContain('seal one envelope per recipient');
    expect(existsSync(file('two.jwe'))).toBe(false);
  });

  it('refuses a tampered envelope and one not sealed to the node', async () => {
    const sealed = await as('DEU', 'bundle', 'seal', intel, '--to', 'POL', '--out', file('again.jwe'));
    expect(sealed.code).toBe(0);
    const envelope = JSON.parse(readFileSync(file('again.jwe'), 'utf8')) as { ciphertext: string };
    const bytes = Buffer.from(envelope.ciphertext, 'base64url');
    bytes[10] = (bytes[10] as number) ^ 1;
    writeFileSync(file('tampered.jwe'), JSON.stringify({ ...envelope, ciphertext: bytes.toString('base64url') }));
    expect((await as('POL', 'bundle', 'open', file('tampered.jwe'))).stderr).toContain('ENTENTE_ENVELOPE_TAMPERED');
    expect((await as('DEU', 'bundle', 'open', file('again.jwe'))).stderr).toContain('ENTENTE_ENVELOPE_NOT_FOR_US');
    expect((await as('POL', 'bundle', 'open', file('again.jwe'))).code).toBe(0);
  });

  it('refuses to seal to a peer whose keys are not pinned', async () => {
    const refused = await as('DEU', 'bundle', 'seal', intel, '--to', 'FRA', '--out', file('fra.jwe'));
    expect(refused.stderr).toMatch(/ENTENTE_PEER_KEYS_UNKNOWN|ENTENTE_POLICY_NO_AGREEMENT|ENTENTE_FORBIDDEN/);
  });
});

describe('key rotation and the passphrase through the CLI', { timeout: 60_000 }, () => {
  it('rotates keys: the old ones stay in overlap for the period asked', async () => {
    const rotated = await as('POL', 'keys', 'rotate', '--overlap-days', '3', '--json');
    expect(rotated.code).toBe(0);
    const keys = JSON.parse(rotated.stdout) as Array<{ state: string; retiresAt?: string }>;
    expect(keys.map((k) => k.state)).toEqual(['current', 'current', 'overlap', 'overlap']);
    const days = (Date.parse(keys[2]?.retiresAt ?? '') - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(2.9);
    expect(days).toBeLessThanOrEqual(3);
  });

  it('keys made with a passphrase need it, and a wrong one fails clearly', async () => {
    const node = join(dir.path, 'with-passphrase');
    mkdirSync(node);
    expect((await runCli(['keys', 'show', '--data-dir', node], { env: { ENTENTE_KEY_PASSPHRASE: 'a long and secret passphrase' } })).code).toBe(0);
    expect(existsSync(join(node, 'keys', 'master.key'))).toBe(false);
    const wrong = await runCli(['keys', 'show', '--data-dir', node], { env: { ENTENTE_KEY_PASSPHRASE: 'not the passphrase' } });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('ENTENTE_KEYS_UNREADABLE Wrong ENTENTE_KEY_PASSPHRASE');
    expect((await runCli(['keys', 'show', '--data-dir', node])).stderr).toContain('set ENTENTE_KEY_PASSPHRASE');
  });
});
