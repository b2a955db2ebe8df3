import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../adapters/sqlite/index.js';
import type { LedgerEntry } from '../core/ledger/entries.js';
import { recordLedgerEntries } from './ledger-store.js';
import type { Store } from './store.js';

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'entente-record-ledger-'));
  store = await openSqliteStore({ file: join(dir, 'entente.db') });
  await store.migrate();
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const release = (objectId: string): LedgerEntry => ({ kind: 'release', at: '2026-11-25T12:00:00.000Z', recipient: 'peer:POL', objectId, objectVersion: '2026-11-01T00:00:00.000Z', outcome: 'allow' });

describe('recordLedgerEntries', () => {
  it('records a fact once, whether repeated in a batch or recorded again later, and still appends what is new', async () => {
    await recordLedgerEntries(store, [release('indicator--a'), release('indicator--a'), release('indicator--b')]);
    expect((await store.getLedgerState()).size).toBe(2);
    await recordLedgerEntries(store, [release('indicator--b'), release('indicator--c')]);
    expect((await store.getLedgerState()).size).toBe(3);
    await recordLedgerEntries(store, [release('indicator--a')]);
    expect((await store.getLedgerState()).size).toBe(3);
  });
});
