import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/adapters/sqlite/index.js';
import { bundle, indicator } from '../support/stix-builders.js';
import { REPO_ROOT, runCli, tempDir } from '../support/cli.js';

const FILES = 24;
const PER_FILE = 2_000;

describe('an import killed mid-way', () => {
  const dir = tempDir('entente-crash-');
  afterAll(() => dir.remove());

  it('loses nothing it reported, never leaves half a bundle, and completes when run again', async () => {
    const dataDir = join(dir.path, 'data');
    const inputs = join(dir.path, 'bundles');
    mkdirSync(inputs);
    const idsByFile = new Map<string, string[]>();
    for (let f = 0; f < FILES; f++) {
      const objects = Array.from({ length: PER_FILE }, (_, i) => indicator({ name: `crash probe ${f}-${i}`, description: 'x'.repeat(400) }));
      const name = join(inputs, `bundle-${String(f).padStart(3, '0')}.json`);
      writeFileSync(name, JSON.stringify(bundle(objects)));
      idsByFile.set(name, objects.map((o) => o['id'] as string));
    }
    expect((await runCli(['init', '--data-dir', dataDir], { env: { ENTENTE_ADMIN_PASSWORD: 'a long enough password' } })).code).toBe(0);

    // Kill -9 once three files have been reported imported.
    const reported = await new Promise<string[]>((resolve, reject) => {
      const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'entente.js'), 'import', inputs, '--data-dir', dataDir], { env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' } });
      const done: string[] = [];
      let buffer = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        for (const match of buffer.matchAll(/^imported +(\S+)/gm)) if (match[1] !== undefined && !done.includes(match[1])) done.push(match[1]);
        if (done.length >= 3) child.kill('SIGKILL');
      });
      child.on('error', reject);
      child.on('close', (_code, signal) => (signal === 'SIGKILL' ? resolve(done) : reject(new Error(`import finished before it was killed: ${buffer}`))));
    });
    expect(reported.length).toBeGreaterThanOrEqual(3);
    expect(reported.length).toBeLessThan(FILES);

    const store = await openSqliteStore({ file: join(dataDir, 'entente.db') });
    try {
      const present = async (ids: ReadonlyArray<string>) => {
        let n = 0;
        for (const id of ids) if ((await store.getLatest(id)) !== undefined) n++;
        return n;
      };
      for (const file of reported) expect(await present(idsByFile.get(file) ?? [])).toBe(PER_FILE);
      for (const [file, ids] of idsByFile) {
        if (reported.includes(file)) continue;
        const n = await present(ids);
        expect([0, PER_FILE], `${file} is half-stored`).toContain(n);
      }
    } finally {
      await store.close();
    }

    const rerun = await runCli(['import', inputs, '--data-dir', dataDir, '--json']);
    expect(rerun.code, rerun.stderr).toBe(0);
    const summary = JSON.parse(rerun.stdout) as { added: number; duplicates: number };
    expect(summary.added + summary.duplicates).toBe(FILES * PER_FILE);
    expect(summary.duplicates).toBeGreaterThanOrEqual(reported.length * PER_FILE);
    const list = JSON.parse((await runCli(['collections', 'list', '--json', '--data-dir', dataDir])).stdout) as Array<{ objects: number }>;
    expect(list[0]?.objects).toBe(FILES * PER_FILE);
  }, 180_000);
});
