import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { releaseFactsOf } from '../../core/policy/release-facts.js';
import type { StixLike } from '../../ports/store.js';
import { openSqliteStore } from './sqlite-store.js';

const T0 = '2024-01-01T00:00:00.000Z';
const id = (type: string, n: number): string => `${type}--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Release facts: filled for versions stored before migration 8, and never stale when read back. */
describe('SQLite release facts', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'entente-sqlite-facts-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('of versions stored before migration 8 are filled at start, in batches, and the versions written since keep theirs', async () => {
    const file = join(dir, 'store.db');
    const objects: StixLike[] = [];
    for (let n = 0; n < 12_000; n++) {
      objects.push(n % 3 === 2
        ? { type: 'relationship', spec_version: '2.1', id: id('relationship', n), created: T0, modified: T0, relationship_type: 'indicates', source_ref: id('indicator', n - 1), target_ref: id('malware', 1) } as StixLike
        : { type: 'indicator', spec_version: '2.1', id: id('indicator', n), created: T0, modified: T0, pattern: "[domain-name:value = 'a.example']", pattern_type: 'stix', valid_from: T0, labels: [`tag-${n % 7}`], object_marking_refs: ['marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da'] } as StixLike);
    }
    const store = await openSqliteStore({ file });
    await store.migrate();
    await store.createCollection({ id: 'c', title: 'C', mediaTypes: [], createdAt: T0 });
    await store.writeObjects('c', objects, { dateAdded: T0 });
    await store.close();

    // As an older version of Entente left them: no facts.
    const raw = new Database(file);
    raw.prepare('UPDATE objects SET release_key = NULL, release_refs = NULL WHERE okey % 5 <> 0').run();
    raw.close();

    const reopened = await openSqliteStore({ file });
    await reopened.migrate();
    const page = await reopened.queryObjects({ collectionId: 'c', limit: 12_000 });
    expect(page.objects).toHaveLength(12_000);
    expect(page.objects.map((o) => o.release)).toEqual(objects.map((o) => releaseFactsOf(o)));
    await reopened.close();
  });

  it('are given for the latest version, never older than what another process wrote to the same file', async () => {
    const file = join(dir, 'store.db');
    const reader = await openSqliteStore({ file });
    await reader.migrate();
    await reader.createCollection({ id: 'c', title: 'C', mediaTypes: [], createdAt: T0 });
    const object = (modified: string): StixLike => ({ type: 'malware', spec_version: '2.1', id: id('malware', 1), created: T0, modified, name: 'm', is_family: true } as StixLike);
    await reader.writeObjects('c', [object(T0)], { dateAdded: T0 });
    expect((await reader.latestReleaseFacts([id('malware', 1), id('malware', 2)])).get(id('malware', 1))?.version).toBe(T0);
    const writer = await openSqliteStore({ file });
    await writer.writeObjects('c', [object('2024-06-01T00:00:00.000Z'), { ...object(T0), id: id('malware', 2) }], { dateAdded: T0 });
    await writer.close();
    const facts = await reader.latestReleaseFacts([id('malware', 1), id('malware', 2)]);
    expect(facts.get(id('malware', 1))?.version).toBe('2024-06-01T00:00:00.000Z');
    expect(facts.get(id('malware', 2))?.version).toBe(T0);
    await reader.close();
  });
});
