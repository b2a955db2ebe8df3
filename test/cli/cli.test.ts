import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle, indicator, malware, relationship } from '../support/stix-builders.js';
import { runCli, SHARED, tempDir } from '../support/cli.js';

const PASSWORD = 'correct horse battery';
const dir = tempDir();
const dataDir = join(dir.path, 'data');
const node = (...args: string[]) => runCli([...args, '--data-dir', dataDir]);

beforeAll(async () => {
  const init = await runCli(['init', '--data-dir', dataDir], { env: { ENTENTE_ADMIN_PASSWORD: PASSWORD } });
  expect(init.code, init.stderr).toBe(0);
});
afterAll(() => dir.remove());

describe('entente init', () => {
  it('creates the data dir, a configuration file and the admin user, and is idempotent', async () => {
    expect(existsSync(join(dataDir, 'entente.yaml'))).toBe(true);
    expect(existsSync(join(dataDir, 'entente.db'))).toBe(true);
    const again = await runCli(['init', '--data-dir', dataDir, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ initialised: false, store: 'sqlite' });
    const users = JSON.parse((await node('users', 'list', '--json')).stdout) as Array<{ name: string; roles: string[] }>;
    expect(users).toEqual([expect.objectContaining({ name: 'admin', roles: ['admin'] })]);
  });

  it('generates an admin password when none is given and keeps it readable only by its owner', async () => {
    const other = tempDir();
    try {
      const result = await runCli(['init', '--data-dir', other.path]);
      expect(result.code).toBe(0);
      const file = join(other.path, 'initial-admin-password');
      const password = readFileSync(file, 'utf8').trim();
      expect(result.stdout).toContain(password);
      expect(password.length).toBeGreaterThanOrEqual(12);
      expect(statSync(file).mode & 0o077).toBe(0);
    } finally {
      other.remove();
    }
  });

  it('refuses a configuration error with the setting named', async () => {
    const other = tempDir();
    try {
      writeFileSync(join(other.path, 'entente.yaml'), 'http:\n  port: nine\n');
      const result = await runCli(['init', '--data-dir', other.path]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/ENTENTE_CONFIG_INVALID.*http\.port/);
    } finally {
      other.remove();
    }
  });
});

describe('entente validate', () => {
  it('accepts the official STIX 2.1 examples', async () => {
    const result = await runCli(['validate', join(SHARED, 'oasis-stix21', 'examples')]);
    expect(result.code, result.stdout).toBe(0);
  });

  it('exits 1 and lists every error with its JSON path', async () => {
    const file = join(dir.path, 'bad.json');
    writeFileSync(file, JSON.stringify(bundle([indicator({ created: 'yesterday' }), malware({ id: 'malware--1' })])));
    const result = await runCli(['validate', file, '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { files: Array<{ errors: Array<{ path: string }> }> };
    const paths = report.files[0]?.errors.map((e) => e.path) ?? [];
    expect(paths).toContain('$.objects[0].created');
    expect(paths).toContain('$.objects[1].id');
  });

  it('reads a TAXII envelope as import does, and every NDJSON line that is not JSON', async () => {
    const envelope = join(dir.path, 'envelope.json');
    writeFileSync(envelope, JSON.stringify({ objects: [indicator(), malware({ id: 'malware--1' })] }));
    const checked = await runCli(['validate', envelope, '--json']);
    expect(checked.code).toBe(1);
    const report = JSON.parse(checked.stdout) as { files: Array<{ objects: number; errors: Array<{ path: string }> }> };
    expect(report.files[0]?.objects).toBe(2);
    expect(report.files[0]?.errors.map((e) => e.path)).toEqual(['$.objects[1].id']);
    const lines = join(dir.path, 'lines.ndjson');
    writeFileSync(lines, [JSON.stringify(indicator()), '{"type": ', JSON.stringify(malware()), '{oops}', ''].join('\n'));
    const byLine = JSON.parse((await runCli(['validate', lines, '--json'])).stdout) as { files: Array<{ errors: Array<{ path: string }> }> };
    expect(byLine.files[0]?.errors.map((e) => e.path)).toEqual(['line 2: $', 'line 4: $']);
  });

  it('reports malformed JSON with its line and column', async () => {
    const result = await runCli(['validate', '-'], { input: '{\n  "type": "bundle",\n  "objects": [,]\n}' });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/line 3, column \d+/);
  });
});

describe('entente import, search, get and export', () => {
  const ind = indicator({ name: 'Sofacy dropper callback', pattern: "[domain-name:value = 'update-checker.example']" });
  const mal = malware({ name: 'Sofacy' });
  const rel = relationship(ind['id'] as string, mal['id'] as string);

  it('imports a bundle and finds it by name, pattern value and id', async () => {
    const file = join(dir.path, 'good.json');
    writeFileSync(file, JSON.stringify(bundle([ind, mal, rel])));
    const result = await node('import', file, '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ added: 3, duplicates: 0, rejected: 0 });

    const again = JSON.parse((await node('import', file, '--json')).stdout) as { added: number; duplicates: number };
    expect(again).toMatchObject({ added: 0, duplicates: 3 });

    const byName = JSON.parse((await node('search', 'sofacy', 'dropper', '--json')).stdout) as { hits: Array<{ id: string }> };
    expect(byName.hits.map((h) => h.id)).toEqual([ind['id']]);
    const byValue = JSON.parse((await node('search', 'update-checker.example', '--json')).stdout) as { hits: Array<{ id: string }> };
    expect(byValue.hits.map((h) => h.id)).toContain(ind['id']);

    const got = await node('get', mal['id'] as string);
    expect(JSON.parse(got.stdout)).toEqual(mal);
  });

  it('walks the relationships of an object in and out', async () => {
    const graph = JSON.parse((await node('graph', mal['id'] as string, '--json')).stdout) as { edges: Array<{ source: string; target: string; kind: string; label: string }> };
    expect(graph.edges).toContainEqual(expect.objectContaining({ source: ind['id'], target: mal['id'], kind: 'relationship', label: 'indicates' }));
    const outOnly = JSON.parse((await node('graph', mal['id'] as string, '--direction', 'out', '--json')).stdout) as { edges: unknown[] };
    expect(outOnly.edges).toEqual([]);
    const bad = await node('graph', mal['id'] as string, '--depth', '3');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--depth must be 1 or 2');
  });

  it('stores nothing of a bundle with one invalid object, and the valid ones with --partial', async () => {
    const good = indicator({ name: 'Atomicity probe' });
    const file = join(dir.path, 'mixed.json');
    writeFileSync(file, JSON.stringify(bundle([good, indicator({ pattern_type: undefined })])));
    const atomic = await node('import', file);
    expect(atomic.code).toBe(1);
    expect(atomic.stdout).toMatch(/rejected .*mixed\.json/);
    expect(atomic.stdout).toContain('$.objects[1].pattern_type');
    expect((await node('get', good['id'] as string)).code).toBe(2);

    const partial = await node('import', file, '--partial');
    expect(partial.code).toBe(1);
    expect(partial.stdout).toMatch(/partial .*mixed\.json/);
    expect((await node('get', good['id'] as string)).code).toBe(0);
  });

  it('refuses a bundle that holds the same object version twice', async () => {
    const twice = indicator();
    const empty = await node('import', '-');
    expect(empty.code).toBe(1);
    expect(empty.stdout).toMatch(/rejected +-[\s\S]*the file is empty/);
    const dup = await runCli(['import', '-', '--json', '--data-dir', dataDir], { input: JSON.stringify(bundle([twice, twice])) });
    expect(dup.code).toBe(1);
    expect(JSON.parse(dup.stdout)).toMatchObject({ added: 0 });
    expect(dup.stdout).toContain('$.objects[1]');
  });

  it('exports a filtered collection as one valid bundle', async () => {
    const out = join(dir.path, 'export.json');
    const result = await node('export', '--type', 'malware,relationship', '--out', out);
    expect(result.code, result.stderr).toBe(0);
    const exported = JSON.parse(readFileSync(out, 'utf8')) as { type: string; objects: Array<{ type: string; id: string }> };
    expect(exported.type).toBe('bundle');
    expect(new Set(exported.objects.map((o) => o.type))).toEqual(new Set(['malware', 'relationship']));
    expect(exported.objects.map((o) => o.id)).toContain(mal['id']);
    expect((await runCli(['validate', out])).code).toBe(0);
  });

  it('takes --json on get and export too, as every command does', async () => {
    const got = await node('get', mal['id'] as string, '--json');
    expect(got.code, got.stderr).toBe(0);
    expect(JSON.parse(got.stdout)).toMatchObject({ id: mal['id'] });
    const out = join(dir.path, 'export-json.json');
    const exported = await node('export', '--type', 'malware', '--out', out, '--json');
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ file: out, objects: expect.any(Number) });
  });

  it('answers an unknown collection with a clear error', async () => {
    const result = await node('import', join(dir.path, 'good.json'), '--collection', 'nope');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('ENTENTE_COLLECTION_NOT_FOUND');
    const json = await node('import', join(dir.path, 'good.json'), '--collection', 'nope', '--json');
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { code: 'ENTENTE_COLLECTION_NOT_FOUND', message: expect.any(String), details: expect.any(Array) } });
  });
});

describe('entente users, tokens and collections', () => {
  it('creates a user, a token for it, a collection and a grant', async () => {
    const user = JSON.parse((await node('users', 'add', 'alice', '--role', 'analyst', '--json')).stdout) as { password: string };
    expect(user.password.length).toBeGreaterThanOrEqual(12);
    const token = JSON.parse((await node('tokens', 'create', 'alice', '--description', 'OpenCTI', '--json')).stdout) as { id: string; token: string };
    expect(token.token).toMatch(/^ent_/);
    const listed = (await node('tokens', 'list', 'alice', '--json')).stdout;
    expect(listed).toContain(token.id);
    expect(listed).not.toContain(token.token);

    await node('collections', 'create', 'partners', '--title', 'Partner feed');
    const grant = await node('collections', 'grant', 'partners', 'alice', '--read', '--json');
    expect(JSON.parse(grant.stdout)).toMatchObject({ principal: 'alice', canRead: true, canWrite: false });
    const misspelt = await node('collections', 'grant', 'partners', 'alcie', '--read');
    expect(misspelt.code).toBe(2);
    expect(misspelt.stderr).toContain('No user alcie');
    expect((await node('collections', 'grants', 'partners', '--json')).stdout).not.toContain('alcie');
    const collections = JSON.parse((await node('collections', 'list', '--json')).stdout) as Array<{ alias: string }>;
    expect(collections.map((c) => c.alias).sort()).toEqual(['intel', 'partners']);

    expect((await node('tokens', 'revoke', token.id)).code).toBe(0);
    expect((await node('tokens', 'list', 'alice', '--json')).stdout).not.toContain(token.id);
  });

  it('refuses a weak password with the reason', async () => {
    const result = await node('users', 'add', 'bob', '--password', 'short');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/12 characters/);
  });
});
