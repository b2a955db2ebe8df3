import { afterEach, describe, expect, it } from 'vitest';
import { releaseFactsOf } from '../../core/policy/release-facts.js';
import type { StixLike } from '../../ports/store.js';
import { PgDatabase } from './pg-pool.js';
import { SKIP_NOTE, TEST_PG_URL, openTestStore } from './test-support.js';

if (TEST_PG_URL === undefined) console.warn(SKIP_NOTE);
const url = TEST_PG_URL as string;
const T0 = '2024-01-01T00:00:00.000Z';
const id = (type: string, n: number): string => `${type}--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Versions stored before the store kept release facts get them when the node next starts. */
describe.skipIf(TEST_PG_URL === undefined)('PostgreSQL release facts of versions stored before migration 8', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()?.();
  });

  it('are filled at start, in batches, and the versions written since keep theirs', async () => {
    const opened = await openTestStore(url);
    cleanups.push(opened.cleanup);
    const { store } = opened;
    await store.createCollection({ id: 'c', title: 'C', mediaTypes: [], createdAt: T0 });
    const objects: StixLike[] = [];
    for (let n = 0; n < 6_000; n++) {
      objects.push(n % 3 === 2
        ? { type: 'relationship', spec_version: '2.1', id: id('relationship', n), created: T0, modified: T0, relationship_type: 'indicates', source_ref: id('indicator', n - 1), target_ref: id('malware', 1) } as StixLike
        : { type: 'indicator', spec_version: '2.1', id: id('indicator', n), created: T0, modified: T0, pattern: "[domain-name:value = 'a.example']", pattern_type: 'stix', valid_from: T0, labels: [`tag-${n % 7}`] } as StixLike);
    }
    await store.writeObjects('c', objects, { dateAdded: T0 });
    const db = new PgDatabase({ url, schema: opened.schema, poolSize: 1 });
    cleanups.push(() => db.close());
    // As an older version of Entente left them: no facts.
    await db.query('test', "UPDATE objects SET release_key = NULL, release_refs = NULL WHERE right(id, 1) <> '0'");
    await store.migrate();
    const page = await store.queryObjects({ collectionId: 'c', limit: 6_000 });
    expect(page.objects.map((o) => o.release)).toEqual(objects.map((o) => releaseFactsOf(o)));
  });
});
