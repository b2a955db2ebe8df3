import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { decisionsEntryOf } from '../../core/ledger/decision-tuples.js';
import { recordDecisions } from '../../ports/ledger-store.js';
import type { DecisionRecord } from '../../ports/policy-store.js';
import { applyMigrations, MIGRATIONS } from './migrations.js';
import { SqliteStore } from './sqlite-store.js';

const AT = '2026-03-01T10:00:00.000Z';
const LABEL = [{ rule: 'label', outcome: 'pass', detail: 'TLP:GREEN' }, { rule: 'tlp', outcome: 'pass', detail: 'within the ceiling TLP:AMBER' }] as const;
const RED = [{ rule: 'tlp', outcome: 'fail', detail: 'TLP:RED above the ceiling "AMBER"\n\\ttab\t' }] as const;

function decision(n: number, over: { readonly [K in keyof DecisionRecord]?: DecisionRecord[K] | undefined } = {}): DecisionRecord {
  return {
    at: AT, recipient: 'peer:POL', channel: 'taxii', objectId: `indicator--${n}`, objectVersion: AT, agreementId: 'deu-pol', agreementVersion: 1,
    outcome: n % 3 === 0 ? 'deny' : 'allow', ...(n % 3 === 0 ? { reason: 'tlp-ceiling' } : {}), steps: n % 3 === 0 ? RED.map((s) => ({ ...s })) : LABEL.map((s) => ({ ...s })),
    ...over,
  } as DecisionRecord;
}

function count(db: Database.Database, table: string): number {
  return db.prepare(`SELECT count(*) FROM ${table}`).pluck(true).get() as number;
}

describe('SQLite decision log layout (migration 9)', () => {
  it('carries every decision of the old layout over with its seq, fields and explanation', async () => {
    const db = new Database(':memory:');
    applyMigrations(db, MIGRATIONS.filter((m) => m.version < 9));
    const insert = db.prepare(`INSERT INTO decisions (seq, at, recipient, channel, object_id, object_version, agreement_id, agreement_version, outcome, reason, steps)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    // Two pages, a lone REST read, and a gap in seq (a row removed by hand): four batches.
    const old: Array<DecisionRecord & { seq: number }> = [
      ...[1, 2, 3].map((n) => ({ ...decision(n), seq: n })),
      { ...decision(4, { recipient: 'user:ann', channel: 'rest' }), seq: 4 },
      { ...decision(5, { at: '2026-03-01T10:00:01.000Z' }), seq: 5 },
      { ...decision(6, { at: '2026-03-01T10:00:01.000Z', agreementId: undefined, agreementVersion: undefined, reason: 'x\ty' }), seq: 8 },
    ].map((d) => {
      const { agreementId: _a, agreementVersion: _v, reason: _r, ...rest } = d;
      return { ...rest, ...(d.agreementId === undefined ? {} : { agreementId: d.agreementId, agreementVersion: d.agreementVersion as number }), ...(d.reason === undefined ? {} : { reason: d.reason }) };
    });
    for (const d of old) {
      insert.run(d.seq, d.at, d.recipient, d.channel, d.objectId, d.objectVersion, d.agreementId ?? null, d.agreementVersion ?? null, d.outcome, d.reason ?? null, JSON.stringify(d.steps));
    }
    applyMigrations(db);
    expect(count(db, 'decision_batches')).toBe(4);
    expect(count(db, 'decision_explanations')).toBe(2);
    const store = new SqliteStore(db);
    expect((await store.queryDecisions({ limit: 100 })).records).toEqual(old);
    expect((await store.queryDecisions({ limit: 100, objectId: 'indicator--6' })).records).toEqual([old[5]]);
    expect((await store.queryDecisions({ limit: 100, recipient: 'user:ann' })).records.map((r) => r.seq)).toEqual([4]);
    await store.appendDecisions([decision(9)]);
    const all = (await store.queryDecisions({ limit: 100 })).records;
    expect(all.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 8, 9]);
    // The explanation the migration carried over is found again, not stored twice.
    expect(count(db, 'decision_explanations')).toBe(2);
    db.close();
  });

  it('stores each distinct explanation once and returns every decision with its own steps', async () => {
    const db = new Database(':memory:');
    const store = new SqliteStore(db);
    await store.migrate();
    const page = Array.from({ length: 100 }, (_, n) => decision(n));
    await store.appendDecisions(page);
    await store.appendDecisions(page.map((d, n) => ({ ...d, objectId: `malware--${n}` })));
    expect(count(db, 'decision_explanations')).toBe(2);
    expect(count(db, 'decision_batches')).toBe(2);
    const { records } = await store.queryDecisions({ limit: 200 });
    expect(records).toHaveLength(200);
    expect(records.slice(0, 100).map(({ seq: _s, ...r }) => r)).toEqual(page);
    expect(records[3]?.steps).toEqual(RED);
    // A new process (an empty cache) meets the same explanations and still stores none again.
    const again = new SqliteStore(db);
    await again.appendDecisions([decision(0, { objectId: 'tool--1' }), decision(1, { objectId: 'tool--2' })]);
    expect(count(db, 'decision_explanations')).toBe(2);
    expect((await again.queryDecisions({ limit: 10, objectId: 'tool--1' })).records[0]?.steps).toEqual(RED);
    db.close();
  });

  it('keeps a page recorded by a decisions-v2 leaf by reference to it, and a page its leaf does not match exactly in full (migration 11)', async () => {
    const db = new Database(':memory:');
    const store = new SqliteStore(db);
    await store.migrate();
    const page = Array.from({ length: 100 }, (_, n) => decision(n));
    const leafOf = (records: ReadonlyArray<DecisionRecord>) => decisionsEntryOf(AT, 'peer:POL', 'taxii', records);
    await recordDecisions(store, page, [leafOf(page)]);
    const other = page.map((d, n) => ({ ...d, objectId: `malware--${n}` }));
    // The leaf says one outcome otherwise: the page is kept whole beside it.
    await recordDecisions(store, other, [leafOf(other.map((d, n) => (n === 50 ? { ...d, outcome: 'redact' as const } : d)))]);
    const rows = db.prepare('SELECT leaf, objects, length(rows) AS bytes FROM decision_batches ORDER BY first_seq').all() as Array<{ leaf: number | null; objects: string; bytes: number }>;
    expect(rows.map((r) => [r.leaf, r.objects === ''])).toEqual([[0, true], [null, false]]);
    expect(rows[0]?.bytes).toBeLessThan(400);
    const { records } = await store.queryDecisions({ limit: 200 });
    expect(records.map(({ seq: _s, ...r }) => r)).toEqual([...page, ...other]);
    expect((await store.queryDecisions({ limit: 10, objectId: 'indicator--7' })).records.map((r) => r.seq)).toEqual([8]);
    expect((await store.queryDecisions({ limit: 200, outcome: 'deny' })).records).toHaveLength(68);
    // A batch naming a leaf the ledger lacks (never, short of damage to the file) is an error, not a guess.
    db.prepare('UPDATE decision_batches SET leaf = 99 WHERE leaf = 0').run();
    await expect(store.queryDecisions({ limit: 10 })).rejects.toMatchObject({ code: 'ENTENTE_INTERNAL', message: expect.stringContaining('does not hold') });
    db.close();
  });

  it('leaves nothing written, explanation included, when a record is refused', async () => {
    const db = new Database(':memory:');
    const store = new SqliteStore(db);
    await store.migrate();
    const fresh = [{ rule: 'onward', outcome: 'fail', detail: 'never seen before' }] as const;
    const batch = [decision(1, { steps: fresh.map((s) => ({ ...s })) }), decision(2), { ...decision(3), outcome: 'perhaps' } as unknown as DecisionRecord];
    await expect(store.appendDecisions(batch)).rejects.toMatchObject({ code: 'ENTENTE_INVALID_PARAMETER', message: expect.stringContaining('records[2].outcome') });
    await expect(store.appendDecisions([decision(1, { objectId: 'a\nb' })])).rejects.toMatchObject({ message: expect.stringContaining('records[0].objectId') });
    await expect(store.appendDecisions([decision(1, { steps: [{ rule: 'label' } as never] })])).rejects.toMatchObject({ message: expect.stringContaining('records[0].steps[0]') });
    expect([count(db, 'decision_batches'), count(db, 'decision_explanations')]).toEqual([0, 0]);
    // A failure inside the transaction (here a trigger standing for any refusal of the engine) rolls the
    // new explanation back too, and the cache does not keep its key.
    db.exec("CREATE TRIGGER refuse BEFORE INSERT ON decision_batches WHEN NEW.recipient = 'peer:XXX' BEGIN SELECT RAISE(ABORT, 'refused'); END");
    await expect(store.appendDecisions([decision(1, { recipient: 'peer:XXX', steps: fresh.map((s) => ({ ...s })) })])).rejects.toThrow(/SQLITE_CONSTRAINT_TRIGGER/);
    expect([count(db, 'decision_batches'), count(db, 'decision_explanations')]).toEqual([0, 0]);
    await store.appendDecisions([decision(1, { steps: fresh.map((s) => ({ ...s })) })]);
    expect((await store.queryDecisions({ limit: 10 })).records[0]?.steps).toEqual(fresh);
    db.close();
  });
});
