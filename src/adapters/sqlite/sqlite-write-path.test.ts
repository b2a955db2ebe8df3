import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StixLike } from '../../ports/store.js';
import { idHash } from './id-keys.js';
import { MIGRATIONS, applyMigrations } from './migrations.js';
import { openSqliteStore } from './sqlite-store.js';
import type { SqliteStore } from './sqlite-store.js';

const T0 = '2024-01-01T00:00:00.000Z';
const T1 = '2024-02-01T00:00:00.000Z';
const ADDED = { dateAdded: '2024-03-01T00:00:00.000Z' };

const indicatorId = (n: number) => `indicator--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const MALWARE = 'malware--00000000-0000-4000-8000-000000000999';

function indicator(n: number, modified = T0, name = `probe ${n}`): StixLike {
  return {
    type: 'indicator', spec_version: '2.1', id: indicatorId(n), created: T0, modified, name,
    pattern: `[ipv4-addr:value = '192.0.2.${n}']`, pattern_type: 'stix', valid_from: T0,
  } as StixLike;
}

function relationship(n: number): StixLike {
  return {
    type: 'relationship', spec_version: '2.1', id: `relationship--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    created: T0, modified: T0, relationship_type: 'indicates', source_ref: indicatorId(n), target_ref: MALWARE,
  } as StixLike;
}

describe('SQLite write path', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'entente-sqlite-write-'));
    file = join(dir, 'store.db');
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  async function openWithCollection(): Promise<SqliteStore> {
    const store = await openSqliteStore({ file });
    await store.migrate();
    await store.createCollection({ id: 'c', title: 'C', mediaTypes: [], createdAt: T0 });
    return store;
  }

  it('finds what a bulk write added by search and as graph neighbours at once', async () => {
    const store = await openWithCollection();
    await store.writeObjects('c', [indicator(1, T0, 'bulkword beacon'), relationship(1)], { ...ADDED, bulk: true });
    expect((await store.search({ text: 'bulkword', limit: 5 })).hits.map((h) => h.id)).toEqual([indicatorId(1)]);
    const around = await store.neighbours({ id: indicatorId(1), depth: 1 });
    expect(around.edges).toEqual([{ source: indicatorId(1), target: MALWARE, kind: 'relationship', label: 'indicates', via: relationship(1).id }]);
    expect(around.missing).toEqual([MALWARE]);
    await store.close();
  });

  it('lists each text with its exact UTF-8 length, ASCII or not, and a missing collection as absent', async () => {
    const store = await openWithCollection();
    await store.writeObjects('c', [indicator(1), indicator(2, T0, 'Opération Écho 🐟 ¿'), indicator(3, T0, 'naïve\u0000end')], ADDED);
    const listed = [...(await store.queryObjects({ collectionId: 'c', limit: 10 })).objects, ...(await store.listVersions({ collectionId: 'c', limit: 10, ids: [indicatorId(2)] })).objects];
    expect(listed).toHaveLength(4);
    for (const o of listed) expect(o.jsonBytes).toBe(Buffer.byteLength(o.json ?? ''));
    expect(listed.filter((o) => o.jsonBytes !== o.json?.length)).toHaveLength(3);
    expect((await store.queryObjects({ collectionId: 'c', limit: 10, types: ['malware'] })).objects).toEqual([]);
    await expect(store.queryObjects({ collectionId: 'nope', limit: 10 })).rejects.toMatchObject({ code: 'ENTENTE_COLLECTION_NOT_FOUND' });
    await store.close();
  });

  it('keeps first, last and latest-spec flags across versions written in both modes', async () => {
    const store = await openWithCollection();
    await store.writeObjects('c', [indicator(1, T1)], ADDED);
    await store.writeObjects('c', [indicator(1, T0), indicator(1, '2024-03-01T00:00:00.000Z')], { ...ADDED, bulk: true });
    const versions = async (v: 'first' | 'last') => (await store.queryObjects({ collectionId: 'c', limit: 10, versions: [v] })).objects.map((o) => o.version);
    expect(await versions('first')).toEqual([T0]);
    expect(await versions('last')).toEqual(['2024-03-01T00:00:00.000Z']);
    const again = await store.writeObjects('c', [indicator(1, T1)], ADDED);
    expect(again.map((r) => r.outcome)).toEqual(['duplicate']);
    await store.close();
  });

  it('migrates a version 5 store with objects, versions, search text and edges to integer keys', async () => {
    const raw = new Database(file);
    raw.pragma('journal_mode = WAL');
    applyMigrations(raw, MIGRATIONS.filter((m) => m.version <= 5));
    raw.exec(`INSERT INTO collections (ckey, id, title, media_types, created_at) VALUES (1, 'c', 'C', '[]', '${T0}')`);
    // Rows as the version 5 writer laid them out: two versions of an indicator and a relationship.
    const rows: [okey: number, object: StixLike, first: number, last: number][] = [
      [1, indicator(1, T0, 'oldword'), 1, 0],
      [2, indicator(1, T1, 'newword'), 0, 1],
      [3, relationship(1), 1, 1],
    ];
    for (const [okey, object, first, last] of rows) {
      const version = object['modified'] as string;
      raw.prepare('INSERT INTO objects (okey, id, version, json) VALUES (?, ?, ?, ?)').run(okey, object.id, version, JSON.stringify(object));
      raw.prepare(`INSERT INTO members (ckey, date_added, seq, okey, id, type, version, spec_version, is_first, is_last, spec_latest)
        VALUES (1, 1000, ?, ?, ?, ?, ?, '2.1', ?, ?, 1)`).run(okey, okey, object.id, object.type, version, first, last);
      if (object.type === 'indicator') raw.prepare('INSERT INTO search_fts (rowid, body) VALUES (?, ?)').run(okey, object['name']);
    }
    raw.prepare(`INSERT INTO edges (okey, n, source, target, kind, label, via) VALUES (3, 0, ?, ?, 'relationship', 'indicates', ?)`)
      .run(indicatorId(1), MALWARE, relationship(1).id);
    raw.prepare("UPDATE sequences SET value = 3 WHERE name = 'members'").run();
    raw.close();

    const store = await openSqliteStore({ file });
    await store.migrate();
    expect((await store.getLatest(indicatorId(1)))?.['name']).toBe('newword');
    const page = await store.queryObjects({ collectionId: 'c', limit: 10, ids: [indicatorId(1)], versions: ['all'] });
    expect(page.objects.map((o) => o.version)).toEqual([T0, T1]);
    expect((await store.search({ text: 'newword', limit: 5 })).hits.map((h) => h.version)).toEqual([T1]);
    expect((await store.search({ text: 'oldword', limit: 5 })).hits).toEqual([]);
    const around = await store.neighbours({ id: indicatorId(1), depth: 1 });
    expect(around.edges.map((e) => e.target)).toEqual([MALWARE]);
    // Writes after the migration see what was there: a re-sent version is a duplicate, a newer
    // one takes the last flag, and new ids get keys that do not collide with migrated ones.
    const results = await store.writeObjects('c', [indicator(1, T1), indicator(1, '2024-04-01T00:00:00.000Z'), indicator(2)], ADDED);
    expect(results.map((r) => r.outcome)).toEqual(['duplicate', 'added', 'added']);
    expect((await store.getLatest(indicatorId(1)))?.['modified']).toBe('2024-04-01T00:00:00.000Z');
    expect((await store.queryObjects({ collectionId: 'c', limit: 10 })).objects.map((o) => [o.id, o.version])).toEqual([
      [relationship(1).id, T0], [indicatorId(1), '2024-04-01T00:00:00.000Z'], [indicatorId(2), T0],
    ]);
    expect(await store.deleteObjects({ collectionId: 'c', id: indicatorId(1) })).toBe(3);
    expect(await store.countObjects('c')).toBe(2);
    await store.close();
  });

  it('tells apart ids whose hashes collide, in writes, reads, search, graph and deletes', async () => {
    // Found by search: two ids of the test's own shape with the same 32-bit hash.
    const [a, b] = [214246, 1155780];
    expect(idHash(indicatorId(a))).toBe(idHash(indicatorId(b)));
    const store = await openWithCollection();
    const written = await store.writeObjects('c', [indicator(a, T0, 'alphaword'), indicator(b, T0, 'betaword'), relationship(b)], ADDED);
    expect(written.map((r) => r.outcome)).toEqual(['added', 'added', 'added']);
    expect((await store.writeObjects('c', [indicator(b, T0, 'betaword'), indicator(a, T1, 'alphaword')], ADDED)).map((r) => r.outcome)).toEqual(['duplicate', 'added']);
    expect((await store.getLatest(indicatorId(a)))?.['modified']).toBe(T1);
    expect((await store.getLatest(indicatorId(b)))?.['name']).toBe('betaword');
    const page = await store.queryObjects({ collectionId: 'c', limit: 10, ids: [indicatorId(b)], versions: ['all'] });
    expect(page.objects.map((o) => [o.id, o.version])).toEqual([[indicatorId(b), T0]]);
    expect((await store.search({ text: 'alphaword', limit: 5 })).hits.map((h) => [h.id, h.version])).toEqual([[indicatorId(a), T1]]);
    expect((await store.neighbours({ id: indicatorId(b), depth: 1 })).edges.map((e) => e.source)).toEqual([indicatorId(b)]);
    expect((await store.neighbours({ id: indicatorId(a), depth: 1 })).edges).toEqual([]);
    expect(await store.deleteObjects({ collectionId: 'c', id: indicatorId(a) })).toBe(2);
    expect(await store.getLatest(indicatorId(a))).toBeUndefined();
    expect((await store.getLatest(indicatorId(b)))?.['name']).toBe('betaword');
    await store.close();
  });

  it('migrates a version 7 store to id hashes: keys kept, lookups and later writes agree', async () => {
    const raw = new Database(file);
    raw.pragma('journal_mode = WAL');
    applyMigrations(raw, MIGRATIONS.filter((m) => m.version <= 7));
    raw.exec(`INSERT INTO collections (ckey, id, title, media_types, created_at) VALUES (1, 'c', 'C', '[]', '${T0}')`);
    // Rows as the version 7 writer laid them out: `ids` keyed by the id text.
    const objects = [indicator(1), indicator(2), relationship(1)];
    const keys = [...objects.map((o) => o.id), MALWARE].map((id, i) => ({ id, ikey: i + 1 }));
    for (const { id, ikey } of keys) raw.prepare('INSERT INTO ids (id, ikey) VALUES (?, ?)').run(id, ikey);
    objects.forEach((object, i) => {
      raw.prepare('INSERT INTO objects (okey, id, version, json) VALUES (?, ?, ?, ?)').run(i + 1, object.id, T0, JSON.stringify(object));
      raw.prepare(`INSERT INTO members (ckey, date_added, seq, okey, id, type, version, spec_version, is_first, is_last, spec_latest, ikey)
        VALUES (1, 1000, ?, ?, ?, ?, ?, '2.1', 1, 1, 1, ?)`).run(i + 1, i + 1, object.id, object.type, T0, i + 1);
    });
    raw.prepare(`INSERT INTO edges (okey, n, source, target, kind, label, via, source_key, target_key) VALUES (3, 0, ?, ?, 'relationship', 'indicates', ?, 1, 4)`)
      .run(indicatorId(1), MALWARE, relationship(1).id);
    raw.exec("UPDATE sequences SET value = 3 WHERE name = 'members'; UPDATE sequences SET value = 4 WHERE name = 'ids'");
    raw.close();

    const store = await openSqliteStore({ file });
    await store.migrate();
    const after = new Database(file, { readonly: true });
    expect(after.prepare('SELECT id, ikey FROM ids ORDER BY ikey').all()).toEqual(keys);
    for (const row of after.prepare('SELECT id, hash FROM ids').all() as { id: string; hash: number }[]) expect(row.hash).toBe(idHash(row.id));
    after.close();
    expect((await store.getLatest(indicatorId(2)))?.['name']).toBe('probe 2');
    expect((await store.writeObjects('c', [indicator(2), indicator(3), indicator(1, T1)], ADDED)).map((r) => r.outcome)).toEqual(['duplicate', 'added', 'added']);
    expect((await store.neighbours({ id: indicatorId(1), depth: 1 })).edges.map((e) => e.target)).toEqual([MALWARE]);
    expect((await store.queryObjects({ collectionId: 'c', limit: 10, ids: [indicatorId(1)], versions: ['all'] })).objects.map((o) => o.version)).toEqual([T0, T1]);
    await store.close();
    const check = new Database(file, { readonly: true });
    expect(check.prepare('SELECT ikey FROM ids WHERE id = ?').get(indicatorId(3))).toEqual({ ikey: 5 });
    check.close();
  });
});
