import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EntenteError } from '../../core/errors.js';
import { describeStoreContract } from '../../ports/store.contract.js';
import { MIGRATIONS, applyMigrations } from './migrations.js';
import { openSqliteStore } from './sqlite-store.js';

describeStoreContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'entente-sqlite-'));
  const store = await openSqliteStore({ file: join(dir, 'store.db') });
  await store.migrate();
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite store specifics', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'entente-sqlite-'));
    file = join(dir, 'data', 'store.db');
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const indicator = (n: number) => ({
    type: 'indicator', spec_version: '2.1', id: `indicator--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z', pattern: "[ipv4-addr:value = '192.0.2.1']",
    pattern_type: 'stix', valid_from: '2024-01-01T00:00:00.000Z',
  });

  async function openMigrated() {
    const store = await openSqliteStore({ file });
    await store.migrate();
    await store.createCollection({ id: 'c', title: 'C', mediaTypes: [], createdAt: '2024-01-01T00:00:00.000Z' });
    return store;
  }

  it('creates the data directory, runs in WAL mode and records each migration once', async () => {
    const store = await openMigrated();
    const again = await openSqliteStore({ file });
    await again.migrate();
    await again.close();
    await store.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.prepare('SELECT version FROM schema_migrations').all()).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
    raw.close();
  });

  it('rolls a batch back when the database refuses a row in the middle', async () => {
    const store = await openMigrated();
    const raw = new Database(file);
    raw.exec(`CREATE TRIGGER refuse BEFORE INSERT ON members WHEN NEW.id = '${indicator(2).id}' BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    raw.close();
    const error = await store.writeObjects('c', [indicator(1), indicator(2), indicator(3)], { dateAdded: '2024-01-02T00:00:00.000Z' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntenteError);
    expect(await store.countObjects()).toBe(0);
    expect(await store.countObjects('c')).toBe(0);
    expect((await store.search({ text: '192.0.2.1', limit: 5 })).hits).toEqual([]);
    await store.close();
  });

  it('keeps a stored batch after the process reopens the file', async () => {
    const store = await openMigrated();
    await store.writeObjects('c', [indicator(1), indicator(2)], { dateAdded: '2024-01-02T00:00:00.000Z', bulk: true });
    await store.close();
    const reopened = await openSqliteStore({ file });
    await reopened.migrate();
    expect(await reopened.countObjects('c')).toBe(2);
    await reopened.close();
  });

  it('reports a file it cannot open as ENTENTE_STORE_UNAVAILABLE', async () => {
    writeFileSync(join(dir, 'not-a-directory'), 'x');
    await expect(openSqliteStore({ file: join(dir, 'not-a-directory', 'store.db') })).rejects.toMatchObject({ code: 'ENTENTE_STORE_UNAVAILABLE' });
  });

  it('rolls back a failing migration and reports ENTENTE_STORE_MIGRATION_FAILED', () => {
    mkdirSync(join(dir, 'data'));
    const raw = new Database(file);
    const broken = [{ version: 1, name: 'broken', sql: 'CREATE TABLE half (x); CREATE TABLE half (y);' }];
    expect(() => applyMigrations(raw, broken)).toThrow(expect.objectContaining({ code: 'ENTENTE_STORE_MIGRATION_FAILED' }));
    expect(raw.prepare("SELECT name FROM sqlite_schema WHERE name = 'half'").all()).toEqual([]);
    expect(raw.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: 0 });
    raw.close();
  });

  it('honours each page its own limit when a cached listing statement runs again with another', async () => {
    // The listings bind their limit as `+?`, which SQLite's planner does not read: the value must
    // still reach the LIMIT at every run of the same prepared statement.
    const store = await openMigrated();
    await store.writeObjects('c', [1, 2, 3, 4].map(indicator), { dateAdded: '2024-01-02T00:00:00.000Z' });
    const sizes = async (query: Omit<Parameters<typeof store.queryObjects>[0], 'limit'>) => {
      const out: Array<[number, boolean]> = [];
      for (const limit of [3, 1, 4, 2]) {
        const page = await store.queryObjects({ ...query, limit });
        out.push([page.objects.length, page.next !== undefined]);
      }
      return out;
    };
    const expected = [[3, true], [1, true], [4, false], [2, true]];
    expect(await sizes({ collectionId: 'c' })).toEqual(expected);
    expect(await sizes({ collectionId: 'c', types: ['indicator'] })).toEqual(expected);
    expect(await sizes({ collectionId: 'c', types: ['indicator', 'malware'] })).toEqual(expected);
    const versions = [2, 1].map(async (limit) => (await store.listVersions({ collectionId: 'c', ids: [indicator(1).id, indicator(2).id], limit })).objects.length);
    expect(await Promise.all(versions)).toEqual([2, 1]);
    await store.close();
  });

  it('rejects a timestamp that is not STIX with ENTENTE_INVALID_PARAMETER naming the field', async () => {
    const store = await openMigrated();
    await expect(store.queryObjects({ collectionId: 'c', limit: 1, addedAfter: 'yesterday' })).rejects.toMatchObject({
      code: 'ENTENTE_INVALID_PARAMETER', message: expect.stringContaining('added_after'),
    });
    await store.close();
  });
});
