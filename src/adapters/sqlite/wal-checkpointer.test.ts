import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { indicator } from '../../ports/store-contract/builders.js';
import { openSqliteStore } from './sqlite-store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'entente-checkpointer-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const size = (file: string): number => (existsSync(file) ? statSync(file).size : 0);

/**
 * Writes a few hundred pages (far below the main connection's automatic checkpoint), then
 * watches the database file for `waitMs`: it grows only when something copies the WAL into it.
 */
async function growthAfterWrites(backgroundCheckpoints: boolean, waitMs: number): Promise<{ before: number; after: number; walAfterClose: number }> {
  const file = join(dir, `${String(backgroundCheckpoints)}.db`);
  const store = await openSqliteStore({ file, backgroundCheckpoints });
  await store.migrate();
  await store.createCollection({ id: 'c', title: 'c', mediaTypes: ['application/stix+json;version=2.1'], createdAt: '2026-01-01T00:00:00.000Z' });
  const before = size(file);
  for (let batch = 0; batch < 4; batch++) {
    await store.writeObjects('c', Array.from({ length: 250 }, () => indicator({ description: 'x'.repeat(2000) })), { dateAdded: '2026-01-02T00:00:00.000Z' });
  }
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline && size(file) <= before) await new Promise((resolve) => setTimeout(resolve, 50));
  const after = size(file);
  await store.close();
  return { before, after, walAfterClose: size(`${file}-wal`) };
}

describe('WalCheckpointer', () => {
  it('copies committed pages into the database file from its own thread, and stops with the store', async () => {
    const background = await growthAfterWrites(true, 10_000);
    expect(background.after).toBeGreaterThan(background.before + 1_000_000);
    expect(background.walAfterClose).toBe(0);
  });

  it('is what copies them: without it the file waits for the automatic checkpoint', async () => {
    const inline = await growthAfterWrites(false, 600);
    expect(inline.after).toBe(inline.before);
    expect(inline.walAfterClose).toBe(0);
  });
});
