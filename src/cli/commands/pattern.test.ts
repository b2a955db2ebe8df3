import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observed, sco } from '../../core/pattern/test-builders.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(repo, 'bin/entente.js');
let dir = '';

/** Runs the built binary; asynchronously, so the test worker stays responsive on a loaded machine. */
function entente(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: repo, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  // The build compiles the whole tree; another area's work in progress may report type errors
  // while still emitting, so what matters here is that the pattern command was emitted.
  await new Promise((resolve) => execFile('npm', ['run', 'build', '--silent'], { cwd: repo }, resolve));
  expect(existsSync(path.join(repo, 'dist/cli/commands/pattern.js'))).toBe(true);
  dir = mkdtempSync(path.join(tmpdir(), 'entente-pattern-'));
}, 120_000);

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('entente pattern check', { timeout: 30_000 }, () => {
  it('exits 0 and prints the canonical pattern', async () => {
    const r = await entente('pattern', 'check', "[ file:name='foo.dll' AND file:size>1 ]");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("[file:name = 'foo.dll' AND file:size > 1]");
  });

  it('exits 2 and puts a caret under the column of the error', async () => {
    const r = await entente('pattern', 'check', "[file:name = 'x' AND]");
    expect(r.status).toBe(2);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toContain('column 21');
    expect(lines[1]).toBe("  [file:name = 'x' AND]");
    expect(lines[2]).toBe(`  ${' '.repeat(20)}^`);
  });

  it('refuses a STIX 2.0 lower-case keyword, naming the 2.1 spelling under a caret', async () => {
    const r = await entente('pattern', 'check', "[file:name = 'x'] within 5 SECONDS");
    expect(r.status).toBe(2);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toContain("column 19: 'within' must be written WITHIN");
    expect(lines[2]).toBe(`  ${' '.repeat(18)}^`);
  });

  it('prints stable JSON with --json', async () => {
    expect(JSON.parse((await entente('pattern', 'check', '--json', '[file:size = 1]')).stdout)).toEqual({ valid: true, pattern: '[file:size = 1]' });
    const bad = await entente('pattern', 'check', '--json', '[file:size = ]');
    expect(bad.status).toBe(2);
    expect(JSON.parse(bad.stdout)).toMatchObject({ valid: false, error: { code: 'ENTENTE_PATTERN_INVALID', column: 14 } });
  });

  it('documents the exit codes in --help', async () => {
    const r = await entente('pattern', 'check', '--help');
    expect(r.stdout).toContain('Exit status: 0 valid, 2 invalid');
  });
});

describe('entente pattern match', { timeout: 30_000 }, () => {
  const write = (name: string, value: unknown): string => {
    const file = path.join(dir, name);
    writeFileSync(file, JSON.stringify(value));
    return file;
  };

  it('exits 0 and prints the ids of the matching observed-data', async () => {
    const hit = observed([sco('file', { name: 'evil.exe' })]);
    const miss = observed([sco('file', { name: 'calc.exe' })]);
    const file = write('bundle.json', { type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000001', objects: [...hit, ...miss] });
    const r = await entente('pattern', 'match', "[file:name = 'evil.exe']", file);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(hit[0]?.id);
    const json = await entente('pattern', 'match', '--json', "[file:name LIKE '%.exe']", file);
    expect(JSON.parse(json.stdout)).toEqual({ matched: true, observedDataIds: [hit[0]?.id, miss[0]?.id], observations: 2 });
  });

  it('exits 1 when nothing matches', async () => {
    const file = write('array.json', observed([sco('file', { name: 'calc.exe' })]));
    const r = await entente('pattern', 'match', "[file:name = 'evil.exe']", file);
    expect(r.status).toBe(1);
  });

  it('exits 2 on an invalid pattern or invalid observations', async () => {
    const file = write('bad.json', [{ type: 'observed-data', id: 'observed-data--1', number_observed: 1 }]);
    expect((await entente('pattern', 'match', '[file:name = ', file)).status).toBe(2);
    const r = await entente('pattern', 'match', '--json', "[file:name = 'x']", file);
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout).error.details[0].path).toBe('$[0].first_observed');
    expect((await entente('pattern', 'match', "[file:name = 'x']", path.join(dir, 'absent.json'))).status).toBe(2);
  });
});
