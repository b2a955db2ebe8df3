import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, tempDir } from '../support/cli.js';

/**
 * The policy commands through the real binary, on the coalition example as the German node
 * (CERT-Bund) would load it.
 */
const EXAMPLE = join(REPO_ROOT, 'examples', 'coalition');
const dir = tempDir('entente-policy-cli-');
const data = join(dir.path, 'data');
const env = { ENTENTE_ADMIN_PASSWORD: 'policy-admin-password' };
const cli = (...args: string[]) => runCli([...args, '--data-dir', data], { env });

beforeAll(async () => {
  mkdirSync(data);
  copyFileSync(join(EXAMPLE, 'nodes', 'DEU.yaml'), join(data, 'entente.yaml'));
  expect((await runCli(['init', '--data-dir', data], { env })).code).toBe(0);
}, 60_000);
afterAll(() => dir.remove());

describe('entente orgs, agreements, labels, decisions', () => {
  it('imports the directory, and says nothing changed the second time', async () => {
    const first = await cli('orgs', 'import', join(EXAMPLE, 'organisations.yaml'), '--json');
    expect(first.code).toBe(0);
    const results = JSON.parse(first.stdout) as Array<{ code: string; result: string }>;
    expect(results.find((r) => r.code === 'POL')?.result).toBe('added');
    const again = JSON.parse((await cli('orgs', 'import', join(EXAMPLE, 'organisations.yaml'), '--json')).stdout) as Array<{ result: string }>;
    expect(again.every((r) => r.result === 'unchanged')).toBe(true);
    // The node's own organisation takes the identity the directory gives it: objects are attributed by that id.
    const deu = JSON.parse((await cli('orgs', 'show', 'DEU', '--json')).stdout) as { id: string };
    expect(deu.id).toBe('identity--df266b57-8cf3-40bc-a148-cae3d5492a01');
    const list = await cli('orgs', 'list');
    expect(list.stdout).toMatch(/DEU \*\s+nation\s+DEU/);
  }, 60_000);

  it('validates agreements: exit 0 when valid, exit 1 listing every problem with its line', async () => {
    const good = await cli('agreements', 'validate', join(EXAMPLE, 'agreements', 'deu-pol-energy.yaml'));
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/^valid/);
    const badFile = join(dir.path, 'bad.yaml');
    writeFileSync(badFile, 'agreement: deu-xyz\ntitle: Bad\nparties: [DEU, XYZ]\nvalid: { from: 2026-01-01T00:00:00Z }\nceiling: { tlp: purple }\n');
    const bad = await cli('agreements', 'validate', badFile);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/\$\.parties\[1\]\s+line 3, column 16: unknown party XYZ/);
    expect(bad.stdout).toMatch(/\$\.ceiling\.tlp\s+line 5, column 17: "purple" is not a TLP 2.0 level/);
  }, 60_000);

  it('records the agreements, keeps versions, and activates a draft as a new version', async () => {
    const files = ['nato-cti', 'eu-cti', 'deu-pol-energy', 'deu-nwe-grid', 'deu-unibw-research', 'deu-pol-joint-response'].map((f) => join(EXAMPLE, 'agreements', `${f}.yaml`));
    const submit = await cli('agreements', 'submit', ...files, '--json');
    expect(submit.code).toBe(0);
    expect((JSON.parse(submit.stdout) as Array<{ version: number; created: boolean }>).every((r) => r.version === 1 && r.created)).toBe(true);
    const draft = JSON.parse((await cli('agreements', 'list', '--json')).stdout) as Array<{ id: string; status: string }>;
    expect(draft.find((a) => a.id === 'deu-pol-joint-response')?.status).toBe('draft');
    expect((await cli('agreements', 'activate', 'deu-pol-joint-response')).stdout).toMatch(/active deu-pol-joint-response \(version 2\)/);
    const history = await cli('agreements', 'history', 'deu-pol-joint-response');
    expect(history.stdout).toMatch(/2\s+active\s+\S+\s+local-operator\s+status draft -> active/);
    const diff = JSON.parse((await cli('agreements', 'diff', 'deu-pol-joint-response', '1', '2', '--json')).stdout) as unknown[];
    expect(diff).toEqual([{ path: 'status', before: 'draft', after: 'active' }]);
    expect((await cli('agreements', 'suspend', 'deu-pol-joint-response')).code).toBe(0);
  }, 120_000);

  it('imports labelled intelligence and dry-runs an agreement for Poland with reasons', async () => {
    const imported = await cli('import', join(EXAMPLE, 'intel'));
    expect(imported.code).toBe(0);
    const run = await cli('agreements', 'simulate', join(EXAMPLE, 'agreements', 'deu-pol-energy.yaml'), '--as', 'POL', '--json');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { summary: { total: number; counts: Record<string, number>; denials: Array<{ reason: string; count: number }> } };
    expect(result.summary.total).toBeGreaterThanOrEqual(40);
    expect(result.summary.counts['deny']).toBeGreaterThan(0);
    expect((result.summary.counts['allow'] ?? 0) + (result.summary.counts['redact'] ?? 0)).toBeGreaterThan(0);
    expect(result.summary.denials.map((d) => d.reason)).toEqual(expect.arrayContaining(['tlp-ceiling']));
    const human = await cli('agreements', 'simulate', 'deu-pol-energy', '--as', 'POL');
    expect(human.stdout).toMatch(/Why the rest would not go/);
  }, 120_000);

  it('exports for a party only what it may receive, and logs every decision', async () => {
    const out = join(dir.path, 'for-pol.json');
    const exported = await cli('export', '--for', 'POL', '--out', out);
    expect(exported.code).toBe(0);
    const decisions = JSON.parse((await cli('decisions', 'list', '--recipient', 'peer:POL', '--limit', '1000', '--json')).stdout) as { records: Array<{ outcome: string; channel: string }> };
    expect(decisions.records.length).toBeGreaterThan(0);
    expect(decisions.records.every((r) => r.channel === 'export')).toBe(true);
    expect(new Set(decisions.records.map((r) => r.outcome))).toContain('deny');
    expect((await cli('export', '--for', 'XYZ')).code).toBe(2);
  }, 120_000);

  it('sets a user\'s clearance and refuses a malformed one', async () => {
    expect((await cli('users', 'add', 'anna', '--password', 'anna-password-12')).code).toBe(0);
    const set = await cli('users', 'profile', 'anna', '--nationality', 'DEU', '--clearance', 'NATO SECRET,DEU GEHEIM', '--json');
    expect(JSON.parse(set.stdout)).toMatchObject({ nationality: 'DEU', clearances: [{ policy: 'NATO', level: 'SECRET' }, { policy: 'DEU', level: 'GEHEIM' }] });
    const bad = await cli('users', 'profile', 'anna', '--clearance', 'NATO SORTA');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/clearances\[0\]/);
  }, 60_000);

  it('reads banners and says at which column one is wrong', async () => {
    const ok = await runCli(['labels', 'parse', 'secret//rel to usa, gbr', '--default-policy', 'USA', '--json']);
    expect(JSON.parse(ok.stdout)).toMatchObject({ banner: 'USA SECRET // REL TO GBR, USA' });
    const bad = await runCli(['labels', 'parse', 'NATO RESTRICTED // REL TO']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/column \d+/);
  }, 60_000);
});
