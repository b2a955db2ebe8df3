import { afterEach, describe, expect, it } from 'vitest';
import { decisionsEntryOf } from '../../core/ledger/decision-tuples.js';
import type { LedgerEntry } from '../../core/ledger/entries.js';
import { appendLedgerEntries, recordDecisions, recordLedgerEntries, verifyLedger } from '../../ports/ledger-store.js';
import type { DecisionRecord } from '../../ports/policy-store.js';
import type { StixLike } from '../../ports/store.js';
import { MIGRATIONS, migrate } from './migrations.js';
import { COPY_THRESHOLD } from './object-writes.js';
import { PgDatabase } from './pg-pool.js';
import { openPostgresStore, type PostgresStore } from './postgres-store.js';
import { SKIP_NOTE, TEST_PG_URL, dropSchema, openTestStore, testSchema } from './test-support.js';

if (TEST_PG_URL === undefined) console.warn(SKIP_NOTE);
const url = TEST_PG_URL as string;
const COLLECTION = 'c1';

function indicator(n: number, over: Record<string, unknown> = {}): StixLike {
  const id = `indicator--00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  return { type: 'indicator', spec_version: '2.1', id, created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z',
    name: `Indicator ${n}`, pattern: `[ipv4-addr:value = '10.0.${n % 250}.1']`, pattern_type: 'stix', valid_from: '2024-01-01T00:00:00Z', ...over } as StixLike;
}

describe.skipIf(TEST_PG_URL === undefined)('PostgreSQL adapter specifics', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()?.();
  });
  async function fresh(): Promise<PostgresStore> {
    const opened = await openTestStore(url);
    cleanups.push(opened.cleanup);
    await opened.store.createCollection({ id: COLLECTION, title: 'C1', mediaTypes: [], createdAt: '2024-01-01T00:00:00.000Z' });
    return opened.store;
  }

  it('stores a COPY batch exactly as the small path would, including backslashes, tabs and newlines in bodies', async () => {
    const store = await fresh();
    const objects = Array.from({ length: 600 }, (_, i) => indicator(i, { description: `line\\one\n\ttab "quoted" \u00e9 ${i}` }));
    const results = await store.writeObjects(COLLECTION, objects, { dateAdded: '2024-01-02T00:00:00.000Z', bulk: true });
    expect(results.every((r) => r.outcome === 'added')).toBe(true);
    const page = await store.queryObjects({ collectionId: COLLECTION, limit: 1000 });
    expect(page.objects.map((o) => o.object)).toEqual(objects);
    const again = await store.writeObjects(COLLECTION, objects.slice(0, 10), { dateAdded: '2024-01-03T00:00:00.000Z', bulk: true });
    expect(again.map((r) => [r.outcome, r.dateAdded])).toEqual(objects.slice(0, 10).map(() => ['duplicate', '2024-01-02T00:00:00.000Z']));
  });

  it('stores a COPY batch of several chunks, one object larger than a chunk, and finds words of each', async () => {
    const store = await fresh();
    const big = `needleword ${'caf\u00e9 \u{1D4B3} '.repeat(40_000)}`;
    const objects = Array.from({ length: 2000 }, (_, i) => indicator(i, { description: i === 1000 ? big : `filler text number w${i} ${'x'.repeat(300)}` }));
    const results = await store.writeObjects(COLLECTION, objects, { dateAdded: '2024-01-02T00:00:00.000Z', bulk: true });
    expect(results.every((r) => r.outcome === 'added')).toBe(true);
    const page = await store.queryObjects({ collectionId: COLLECTION, limit: 2000 });
    expect(page.objects.map((o) => o.object)).toEqual(objects);
    expect((await store.search({ text: 'needleword', limit: 10 })).hits.map((h) => h.id)).toEqual([objects[1000]?.id]);
    expect((await store.search({ text: 'w1999', limit: 10 })).hits.map((h) => h.id)).toEqual([objects[1999]?.id]);
  });

  it('indexes the same search words through COPY as through the small path, and finds them', async () => {
    const store = await fresh();
    const long = 'x'.repeat(250);
    const texts = ['Zeta alpha zeta ALPHA beta alpha', 'Caf\u00e9 \u00e9t\u00e9 na\u00efve', `${long} short`, '\u{1D4B3}\u{1D4B4} \uFB01x abc 123 abc',
      'evil.example.com 10.0.0.1', ''];
    const object = (n: number, text: string): StixLike => indicator(n, text === '' ? { name: undefined, pattern: undefined }
      : { name: text, description: text, pattern: "[ipv4-addr:value = '10.0.0.1']" });
    const small = texts.map((t, i) => object(i, t));
    const bulk = Array.from({ length: COPY_THRESHOLD }, (_, i) => object(1000 + i, texts[i % texts.length] as string));
    for (const o of small) await store.writeObjects(COLLECTION, [o], { dateAdded: '2024-01-02T00:00:00.000Z' });
    await store.writeObjects(COLLECTION, bulk, { dateAdded: '2024-01-02T00:00:00.000Z', bulk: true });
    const db = new PgDatabase({ url, schema: (store as unknown as { db: PgDatabase }).db.schema, poolSize: 1 });
    try {
      const rows = await db.query<{ id: string; search: string }>('test', 'SELECT id, search::text AS search FROM objects');
      const byId = new Map(rows.map((r) => [r.id, r.search]));
      bulk.forEach((o, i) => expect(byId.get(o.id)).toBe(byId.get((small[i % texts.length] as StixLike).id)));
      expect(byId.get((small[0] as StixLike).id)).toBe("'0' '1' '10' 'addr' 'alpha' 'beta' 'ipv4' 'value' 'zeta'");
      expect(byId.get((small[5] as StixLike).id)).toBe('');
    } finally {
      await db.close();
    }
    const hits = await store.search({ text: 'zeta alph', limit: 1000 });
    expect(hits.hits.length).toBe(1 + bulk.filter((_, i) => i % texts.length === 0).length);
    expect((await store.search({ text: 'ete naive', limit: 1000 })).hits.length).toBeGreaterThan(1);
  });

  it('keeps first and last exact when a bulk batch brings older and newer versions around stored ones', async () => {
    const store = await fresh();
    const base = indicator(1);
    const v = (minute: number) => ({ ...base, modified: `2024-01-01T00:${String(minute).padStart(2, '0')}:00.000Z` });
    await store.writeObjects(COLLECTION, [v(20), v(30)], { dateAdded: '2024-01-02T00:00:00.000Z' });
    const filler = Array.from({ length: 600 }, (_, i) => indicator(1000 + i));
    await store.writeObjects(COLLECTION, [v(10), v(25), v(40), ...filler], { dateAdded: '2024-01-03T00:00:00.000Z', bulk: true });
    const sel = async (version: 'first' | 'last') =>
      (await store.queryObjects({ collectionId: COLLECTION, ids: [base.id], versions: [version], limit: 10 })).objects.map((o) => o.version);
    expect(await sel('first')).toEqual(['2024-01-01T00:10:00.000Z']);
    expect(await sel('last')).toEqual(['2024-01-01T00:40:00.000Z']);
  });

  it('serialises concurrent writers of the same object so exactly one version stays last', async () => {
    const store = await fresh();
    const base = indicator(7);
    const writes = Array.from({ length: 12 }, (_, i) =>
      store.writeObjects(COLLECTION, [{ ...base, modified: `2024-01-01T00:00:${String(i).padStart(2, '0')}.000Z` }], { dateAdded: '2024-01-02T00:00:00.000Z' }));
    await Promise.all(writes);
    const last = await store.queryObjects({ collectionId: COLLECTION, versions: ['last'], limit: 100 });
    expect(last.objects.map((o) => o.version)).toEqual(['2024-01-01T00:00:11.000Z']);
    const first = await store.queryObjects({ collectionId: COLLECTION, versions: ['first'], limit: 100 });
    expect(first.objects.map((o) => o.version)).toEqual(['2024-01-01T00:00:00.000Z']);
  });

  it('lets bulk writers with overlapping batches in opposite orders run at once without deadlock', async () => {
    const store = await fresh();
    await store.createCollection({ id: 'c2', title: 'C2', mediaTypes: [], createdAt: '2024-01-01T00:00:00.000Z' });
    const objects = Array.from({ length: 800 }, (_, i) => indicator(5000 + i));
    const reversed = [...objects].reverse();
    const dateAdded = '2024-01-02T00:00:00.000Z';
    const results = await Promise.all([
      store.writeObjects(COLLECTION, objects, { dateAdded, bulk: true }),
      store.writeObjects('c2', reversed, { dateAdded, bulk: true }),
      store.writeObjects(COLLECTION, reversed, { dateAdded, bulk: true }),
    ]);
    const addedInC1 = [...results[0]!, ...results[2]!].filter((r) => r.outcome === 'added').length;
    expect(addedInC1).toBe(objects.length);
    expect(await store.countObjects(COLLECTION)).toBe(objects.length);
    expect(await store.countObjects('c2')).toBe(objects.length);
    expect(await store.countObjects()).toBe(objects.length);
  });

  it('keeps a connection usable after a write fails on it before its staging tables existed', async () => {
    const opened = await openTestStore(url, 1);
    cleanups.push(opened.cleanup);
    const store = opened.store;
    await store.createCollection({ id: COLLECTION, title: 'C1', mediaTypes: [], createdAt: '2024-01-01T00:00:00.000Z' });
    // A NUL byte cannot be stored in PostgreSQL text: the COPY fails after the staging tables were created.
    const broken = { ...indicator(1), id: 'indicator--\u0000' } as StixLike;
    for (const bulk of [true, false]) {
      await expect(store.writeObjects(COLLECTION, [broken], { dateAdded: '2024-01-02T00:00:00.000Z', bulk })).rejects.toBeDefined();
      const [result] = await store.writeObjects(COLLECTION, [indicator(bulk ? 2 : 3)], { dateAdded: '2024-01-02T00:00:00.000Z', bulk });
      expect(result?.outcome).toBe('added');
    }
  });

  it('gives each of several concurrent decision batches one unbroken run of seq, in commit order', async () => {
    const store = await fresh();
    const batch = (tag: string, size: number) => Array.from({ length: size }, (_, i) => ({
      at: '2024-01-02T00:00:00.000Z', recipient: `peer:${tag}`, channel: 'taxii' as const, objectId: `indicator--${i}`,
      objectVersion: '2024-01-01T00:00:00.000Z', outcome: 'allow' as const, steps: [],
    }));
    // Sizes on both sides of the COPY threshold, so both insert paths take part.
    await Promise.all([batch('A', 3000), batch('B', 30), batch('C', 3000), batch('D', 5), batch('E', 3000)].map((b) => store.appendDecisions(b)));
    const records = (await store.queryDecisions({ limit: 10000 })).records;
    expect(records).toHaveLength(9035);
    const runs = records.reduce<Array<{ recipient: string; count: number }>>((acc, r) => {
      const last = acc[acc.length - 1];
      if (last?.recipient === r.recipient) last.count += 1;
      else acc.push({ recipient: r.recipient, count: 1 });
      return acc;
    }, []);
    expect(runs.map((r) => r.recipient).sort()).toEqual(['peer:A', 'peer:B', 'peer:C', 'peer:D', 'peer:E']);
    expect(records.every((r, i) => i === 0 || r.seq === (records[i - 1]?.seq ?? 0) + 1)).toBe(true);
  });

  it('lets several processes migrate the same schema at once, applying each migration once', async () => {
    const schema = testSchema();
    cleanups.push(() => dropSchema(url, schema));
    const dbs = Array.from({ length: 4 }, () => new PgDatabase({ url, schema, poolSize: 1 }));
    try {
      const applied = await Promise.all(dbs.map((db) => migrate(db)));
      expect(applied.reduce((a, b) => a + b, 0)).toBe(MIGRATIONS.length);
      const rows = await dbs[0]!.query<{ n: string }>('test', 'SELECT count(*) AS n FROM schema_migrations');
      expect(Number(rows[0]?.n)).toBe(MIGRATIONS.length);
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
    }
  });

  it('carries the decisions of the old layout over to batches (migration 9), seq, fields and explanations intact', async () => {
    const schema = testSchema();
    cleanups.push(() => dropSchema(url, schema));
    const db = new PgDatabase({ url, schema, poolSize: 1 });
    try {
      await migrate(db, MIGRATIONS.filter((m) => m.version < 9));
      const at = '2026-03-01T10:00:00.000Z';
      const steps = [{ rule: 'tlp', outcome: 'fail' as const, detail: 'TLP:RED "above"\n\\ the ceiling\t' }];
      // Seq 1-2 one page, 3 a REST read, 5 after a gap (a rolled-back identity value): three batches.
      await db.query('test', `INSERT INTO decisions (seq, at, recipient, channel, object_id, object_version, agreement_id, agreement_version, outcome, reason, steps)
        OVERRIDING SYSTEM VALUE VALUES
        (1, $1, 'peer:POL', 'taxii', 'indicator--1', $1, 'deu-pol', 1, 'allow', NULL, $2::jsonb),
        (2, $1, 'peer:POL', 'taxii', 'indicator--2', $1, 'deu-pol', 1, 'deny', 'tlp-ceiling', $3::jsonb),
        (3, $1, 'user:ann', 'rest', 'indicator--1', $1, NULL, NULL, 'allow', NULL, '[]'::jsonb),
        (5, $1, 'user:ann', 'rest', 'malware--9', $1, NULL, NULL, 'redact', 'x\ty', $3::jsonb)`,
      [at, '[]', JSON.stringify(steps)]);
      await migrate(db);
      const batches = await db.query<{ n: string }>('test', 'SELECT count(*) AS n FROM decision_batches');
      const explanations = await db.query<{ n: string }>('test', 'SELECT count(*) AS n FROM decision_explanations');
      expect([Number(batches[0]?.n), Number(explanations[0]?.n)]).toEqual([3, 2]);
    } finally {
      await db.close();
    }
    const store = await openPostgresStore({ url, schema, poolSize: 2 });
    try {
      const at = '2026-03-01T10:00:00.000Z';
      const steps = [{ rule: 'tlp', outcome: 'fail' as const, detail: 'TLP:RED "above"\n\\ the ceiling\t' }];
      const base = { at, objectVersion: at };
      expect((await store.queryDecisions({ limit: 10 })).records).toEqual([
        { ...base, seq: 1, recipient: 'peer:POL', channel: 'taxii', objectId: 'indicator--1', agreementId: 'deu-pol', agreementVersion: 1, outcome: 'allow', steps: [] },
        { ...base, seq: 2, recipient: 'peer:POL', channel: 'taxii', objectId: 'indicator--2', agreementId: 'deu-pol', agreementVersion: 1, outcome: 'deny', reason: 'tlp-ceiling', steps },
        { ...base, seq: 3, recipient: 'user:ann', channel: 'rest', objectId: 'indicator--1', outcome: 'allow', steps: [] },
        { ...base, seq: 5, recipient: 'user:ann', channel: 'rest', objectId: 'malware--9', outcome: 'redact', reason: 'x\ty', steps },
      ]);
      expect((await store.queryDecisions({ limit: 10, objectId: 'indicator--1' })).records.map((r) => r.seq)).toEqual([1, 3]);
      await store.appendDecisions([{ ...base, recipient: 'peer:POL', channel: 'taxii', objectId: 'tool--1', outcome: 'deny', reason: 'tlp-ceiling', steps }]);
      expect((await store.queryDecisions({ limit: 10, objectId: 'tool--1' })).records.map((r) => [r.seq, r.steps])).toEqual([[6, steps]]);
    } finally {
      await store.close();
    }
  });

  it('keeps a page recorded by a decisions-v2 leaf by reference to it (migration 10), and answers as for a page kept whole', async () => {
    const schema = testSchema();
    cleanups.push(() => dropSchema(url, schema));
    const store = await openPostgresStore({ url, schema, poolSize: 2 });
    const at = '2026-03-01T10:00:00.000Z';
    const page = (prefix: string): DecisionRecord[] => Array.from({ length: 5 }, (_, n) => ({
      at, recipient: 'peer:POL', channel: 'taxii', objectId: `${prefix}--${n}`, objectVersion: at, agreementId: 'deu-pol', agreementVersion: 1,
      outcome: n === 2 ? 'deny' : 'allow', ...(n === 2 ? { reason: 'tlp-ceiling' } : {}), steps: [{ rule: 'tlp', outcome: n === 2 ? 'fail' : 'pass', detail: 'TLP' }],
    }));
    try {
      await store.migrate();
      await recordDecisions(store, page('indicator'), [decisionsEntryOf(at, 'peer:POL', 'taxii', page('indicator'))]);
      await store.appendDecisions(page('malware'));
      expect((await store.queryDecisions({ limit: 20 })).records.map(({ seq: _s, ...r }) => r)).toEqual([...page('indicator'), ...page('malware')]);
      expect((await store.queryDecisions({ limit: 20, outcome: 'deny' })).records.map((r) => r.objectId)).toEqual(['indicator--2', 'malware--2']);
    } finally {
      await store.close();
    }
    const db = new PgDatabase({ url, schema, poolSize: 1 });
    try {
      const rows = await db.query<{ leaf: string | null; objects: string }>('test', 'SELECT leaf, objects FROM decision_batches ORDER BY first_seq');
      expect(rows.map((r) => [r.leaf === null ? null : Number(r.leaf), r.objects === ''])).toEqual([[0, true], [null, false]]);
    } finally {
      await db.close();
    }
  });

  it('appends one leaf in its short path, and refuses one already in the log naming it, appending nothing', async () => {
    const store = await fresh();
    const entry = (n: number): LedgerEntry => ({ kind: 'release', at: '2026-03-01T10:00:00.000Z', recipient: 'peer:POL', objectId: `indicator--${n}`, objectVersion: '2026-03-01T10:00:00.000Z', outcome: 'allow' });
    expect(await appendLedgerEntries(store, [entry(0)])).toEqual([0]);
    expect(await appendLedgerEntries(store, [entry(1)])).toEqual([1]);
    await expect(appendLedgerEntries(store, [entry(0)])).rejects.toMatchObject({ code: 'ENTENTE_CONFLICT', message: expect.stringMatching(/^leaves\[0\]/) });
    expect((await store.getLedgerState()).size).toBe(2);
    await recordLedgerEntries(store, [entry(1)]);
    await recordLedgerEntries(store, [entry(2)]);
    expect(await verifyLedger(store)).toMatchObject({ holds: true, entries: 3 });
  });

  it('rolls a failing migration back whole and reports ENTENTE_STORE_MIGRATION_FAILED', async () => {
    const schema = testSchema();
    cleanups.push(() => dropSchema(url, schema));
    const db = new PgDatabase({ url, schema, poolSize: 1 });
    try {
      const broken = [{ version: 1, name: 'half', sql: 'CREATE TABLE t1 (a int); CREATE TABLE t1 (a int);' }];
      await expect(migrate(db, broken)).rejects.toMatchObject({ code: 'ENTENTE_STORE_MIGRATION_FAILED' });
      const rows = await db.query<{ n: string }>('test', `SELECT count(*) AS n FROM pg_tables WHERE schemaname = $1 AND tablename = 't1'`, [schema]);
      expect(Number(rows[0]?.n)).toBe(0);
    } finally {
      await db.close();
    }
  });

  it('translates a refused connection into ENTENTE_STORE_UNAVAILABLE', async () => {
    const store = await openPostgresStore({ url: 'postgres://postgres@127.0.0.1:1/none', poolSize: 1 });
    try {
      await expect(store.ping()).rejects.toMatchObject({ code: 'ENTENTE_STORE_UNAVAILABLE' });
      await expect(store.migrate()).rejects.toMatchObject({ code: 'ENTENTE_STORE_UNAVAILABLE' });
    } finally {
      await store.close();
    }
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    await expect(openPostgresStore({ url, schema: 'x"; DROP TABLE y; --' })).rejects.toMatchObject({ code: 'ENTENTE_CONFIG_INVALID' });
  });
});
