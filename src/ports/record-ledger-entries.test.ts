import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../adapters/sqlite/index.js';
import { decisionsEntryOf } from '../core/ledger/decision-tuples.js';
import { readLedgerEntry, type LedgerEntry } from '../core/ledger/entries.js';
import { appendLedgerEntries, recordDecisions, recordLedgerEntries, verifyLedger } from './ledger-store.js';
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

  it('keeps a log verifying that holds entries of the original decisions form beside decisions-v2 ones', async () => {
    await appendLedgerEntries(store, [leafOf(page)]);
    await recordDecisions(store, page.map((r) => ({ ...r, at: '2026-11-25T12:00:01.000Z' })), [decisionsEntryOf('2026-11-25T12:00:01.000Z', 'peer:POL', 'taxii', page)]);
    expect(await verifyLedger(store)).toMatchObject({ holds: true, entries: 2 });
    const kinds = (await store.readLedgerEntries(0, 2)).map((e) => readLedgerEntry(JSON.parse(e.entry)).kind);
    expect(kinds).toEqual(['decisions', 'decisions-v2']);
    expect((await store.queryDecisions({ limit: 10 })).records.map((r) => r.objectId)).toEqual(['indicator--a', 'indicator--b']);
  });
});
