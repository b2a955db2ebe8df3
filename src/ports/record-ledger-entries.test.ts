import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../adapters/sqlite/index.js';
import type { LedgerEntry } from '../core/ledger/entries.js';
import { recordDecisions, recordLedgerEntries } from './ledger-store.js';
import type { DecisionRecord } from './policy-store.js';
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

describe('recordDecisions', () => {
  const page: DecisionRecord[] = ['indicator--a', 'indicator--b'].map((objectId) => ({
    at: '2026-11-25T12:00:00.000Z', recipient: 'peer:POL', channel: 'taxii', objectId, objectVersion: '2026-11-01T00:00:00.000Z', outcome: 'allow', steps: [],
  }));
  const leafOf = (records: ReadonlyArray<DecisionRecord>): LedgerEntry => ({
    kind: 'decisions', at: '2026-11-25T12:00:00.000Z', recipient: 'peer:POL', channel: 'taxii',
    decisions: records.map((r) => ({ objectId: r.objectId, objectVersion: r.objectVersion, outcome: r.outcome })),
  });

  it('writes the decisions and their leaf; an identical read in the same millisecond logs its decisions and no second leaf', async () => {
    await recordDecisions(store, page, [leafOf(page)]);
    expect((await store.getLedgerState()).size).toBe(1);
    await recordDecisions(store, page, [leafOf(page), release('indicator--c')]);
    expect((await store.getLedgerState()).size).toBe(2);
    expect((await store.queryDecisions({ limit: 10 })).records).toHaveLength(4);
    await recordDecisions(store, page, []);
    expect((await store.getLedgerState()).size).toBe(2);
    expect((await store.queryDecisions({ limit: 10 })).records).toHaveLength(6);
  });
});
