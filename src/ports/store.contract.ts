/**
 * The one contract suite every Store adapter passes (DESIGN.md: "Both Store adapters pass one
 * shared contract test suite"). An adapter's test file calls `describeStoreContract` with a
 * factory that opens a fresh, migrated, empty store; nothing here knows which engine runs.
 *
 * Its sections follow the port's own (objects, filters, paging, search, graph, collections,
 * accounts, status), so a reader can hold one section of the port beside one of the suite.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../core/errors.js';
import { UNVERSIONED } from './store.js';
import type { ObjectPage, ObjectQuery, SearchQuery, StixLike, Store, StoredObject, VersionSelector } from './store.js';

export type OpenStore = () => Promise<{ readonly store: Store; readonly cleanup: () => Promise<void> }>;

// ---------------------------------------------------------------------------------------------
// Builders: small objects with safe defaults; ids are deterministic so failures are readable.

let serial = 0;
function newId(type: string): string {
  serial += 1;
  return `${type}--00000000-0000-4000-8000-${serial.toString(16).padStart(12, '0')}`;
}
const T0 = '2024-01-01T00:00:00.000Z';
/** A timestamp `n` minutes after T0, ms precision. */
function at(n: number): string {
  return new Date(Date.parse(T0) + n * 60_000).toISOString();
}

function indicator(over: Record<string, unknown> = {}): StixLike {
  return {
    type: 'indicator', spec_version: '2.1', id: newId('indicator'), created: T0, modified: T0,
    name: 'Generic indicator', pattern: "[ipv4-addr:value = '203.0.113.1']", pattern_type: 'stix',
    valid_from: T0, ...over,
  } as StixLike;
}
function sdo(type: string, over: Record<string, unknown> = {}): StixLike {
  return { type, spec_version: '2.1', id: newId(type), created: T0, modified: T0, name: `A ${type}`, ...over } as StixLike;
}
function sco(type: string, over: Record<string, unknown>): StixLike {
  return { type, spec_version: '2.1', id: newId(type), ...over } as StixLike;
}
function relationship(source: string, target: string, relationshipType: string, over: Record<string, unknown> = {}): StixLike {
  return sdo('relationship', { relationship_type: relationshipType, source_ref: source, target_ref: target, name: undefined, ...over });
}
function versionsOf(base: StixLike, modified: ReadonlyArray<string>): StixLike[] {
  return modified.map((m) => ({ ...base, modified: m }));
}

async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code });
}

const ids = (page: ObjectPage): string[] => page.objects.map((o) => o.id);
const plain = (o: StoredObject) => ({ id: o.id, type: o.type, version: o.version, specVersion: o.specVersion, dateAdded: o.dateAdded, object: o.object });
const versions = (page: ObjectPage): string[] => page.objects.map((o) => o.version);

/** Follows `next` until it is absent, failing if the adapter loops. */
async function allPages(fetch: (cursor: string | undefined) => Promise<ObjectPage>): Promise<StoredObject[]> {
  const out: StoredObject[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 1000; guard += 1) {
    const page = await fetch(cursor);
    out.push(...page.objects);
    if (page.next === undefined) return out;
    cursor = page.next;
  }
  throw new Error('pagination did not end');
}

// ---------------------------------------------------------------------------------------------

/** Registers the contract tests for one adapter; `open` returns a fresh migrated store. */
export function describeStoreContract(name: string, open: OpenStore): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    const A = 'coll-a';
    const B = 'coll-b';

    beforeEach(async () => {
      ({ store, cleanup } = await open());
      await store.createCollection({ id: A, title: 'Alpha', alias: 'alpha', mediaTypes: ['application/stix+json;version=2.1'], createdAt: T0 });
      await store.createCollection({ id: B, title: 'Beta', mediaTypes: ['application/stix+json;version=2.1'], createdAt: T0 });
    });
    afterEach(async () => {
      await cleanup();
    });

    const q = (over: Partial<ObjectQuery> = {}): ObjectQuery => ({ collectionId: A, limit: 100, ...over });
    const write = (objects: ReadonlyArray<StixLike>, minute = 0, collectionId = A) =>
      store.writeObjects(collectionId, objects, { dateAdded: at(minute) });

    describe('lifecycle', () => {
      it('names its kind, answers ping, and can migrate again without losing data', async () => {
        expect(store.kind).toMatch(/^[a-z]+$/);
        await store.ping();
        const obj = indicator();
        await write([obj]);
        await store.migrate();
        await store.migrate();
        expect((await store.queryObjects(q())).objects.map((o) => o.object)).toEqual([obj]);
      });

      it('reports ENTENTE_STORE_UNAVAILABLE from ping once closed, and close is idempotent', async () => {
        await store.close();
        await expectCode(store.ping(), 'ENTENTE_STORE_UNAVAILABLE');
        await store.close();
      });
    });

    describe('writing objects', () => {
      it('adds new versions, stores them as they came, and reports the date added', async () => {
        const obj = indicator({ labels: ['x'], extensions: { 'x-ext': { nested: [1, { a: null }] } } });
        const [result] = await write([obj], 5);
        expect(result).toEqual({ id: obj.id, version: T0, outcome: 'added', dateAdded: at(5) });
        const page = await store.queryObjects(q());
        // Compared field by field: an adapter may hand out a class instance (a lazily parsed object).
        expect(page.objects.map(plain)).toEqual([{ id: obj.id, type: 'indicator', version: T0, specVersion: '2.1', dateAdded: at(5), object: obj }]);
        const json = page.objects[0]?.json;
        if (json !== undefined) expect(JSON.parse(json)).toEqual(obj);
      });

      it('treats the same (id, version) in the same collection as a duplicate and keeps the first date_added', async () => {
        const obj = indicator();
        await write([obj], 1);
        const again = await write([obj], 9);
        expect(again).toEqual([{ id: obj.id, version: T0, outcome: 'duplicate', dateAdded: at(1) }]);
        expect(await store.countObjects(A)).toBe(1);
      });

      it('keeps the same object in two collections with separate dates added', async () => {
        const obj = indicator();
        await write([obj], 1, A);
        const [inB] = await write([obj], 2, B);
        expect(inB?.outcome).toBe('added');
        expect((await store.queryObjects(q({ collectionId: A }))).objects[0]?.dateAdded).toBe(at(1));
        expect((await store.queryObjects(q({ collectionId: B }))).objects[0]?.dateAdded).toBe(at(2));
        expect(await store.countObjects(A)).toBe(1);
        expect(await store.countObjects(B)).toBe(1);
        expect(await store.countObjects()).toBe(1);
      });

      it('keeps every version by (id, modified), whatever the order they arrive in', async () => {
        const base = indicator();
        await write(versionsOf(base, [at(30)]), 1);
        await write(versionsOf(base, [at(10), at(20)]), 2);
        expect(versions(await store.queryObjects(q({ versions: ['all'] })))).toEqual([at(30), at(10), at(20)]);
        expect(versions(await store.queryObjects(q()))).toEqual([at(30)]);
        expect(versions(await store.queryObjects(q({ versions: ['first'] })))).toEqual([at(10)]);
        expect(await store.countObjects(A)).toBe(3);
      });

      it('normalises versions to millisecond precision', async () => {
        const a = indicator({ modified: '2024-02-03T04:05:06Z' });
        const b = indicator({ modified: '2024-02-03T04:05:06.123456Z' });
        const c = indicator({ modified: '2024-02-03T04:05:06.5Z' });
        const results = await write([a, b, c]);
        expect(results.map((r) => r.version)).toEqual(['2024-02-03T04:05:06.000Z', '2024-02-03T04:05:06.123Z', '2024-02-03T04:05:06.500Z']);
        const page = await store.queryObjects(q({ versions: [{ at: '2024-02-03T04:05:06.123Z' }] }));
        expect(ids(page)).toEqual([b.id]);
        expect(page.objects[0]?.object).toEqual(b);
      });

      it('versions an object without modified by created, and an unversioned SCO by the epoch constant', async () => {
        const noModified = sdo('identity', { modified: undefined, created: at(3) });
        const domain = sco('domain-name', { value: 'example.org' });
        const results = await write([noModified, domain]);
        expect(results.map((r) => r.version)).toEqual([at(3), UNVERSIONED]);
        expect((await write([domain], 4))[0]?.outcome).toBe('duplicate');
      });

      it('keeps a revoked version as the latest, with the earlier versions still listed', async () => {
        const base = sdo('malware', { is_family: true });
        await write([{ ...base, modified: at(1) }]);
        await write([{ ...base, modified: at(2), revoked: true }], 1);
        const latest = await store.queryObjects(q());
        expect(latest.objects.map((o) => o.object.revoked)).toEqual([true]);
        expect((await store.getLatest(base.id))?.revoked).toBe(true);
        expect(versions(await store.listVersions({ ...q(), ids: [base.id] }))).toEqual([at(1), at(2)]);
      });

      it('rejects a write to a collection that does not exist', async () => {
        await expectCode(write([indicator()], 0, 'no-such-collection'), 'ENTENTE_COLLECTION_NOT_FOUND');
      });

      it('writes all of a batch or nothing when an object in the middle cannot be stored', async () => {
        const good = indicator();
        const cyclic: Record<string, unknown> = { ...indicator() };
        cyclic['self'] = cyclic; // JSON cannot represent a cycle: a genuine storage failure
        const after = indicator();
        await expect(write([good, cyclic as StixLike, after])).rejects.toBeDefined();
        expect(await store.countObjects(A)).toBe(0);
        expect((await store.queryObjects(q({ versions: ['all'] }))).objects).toEqual([]);
        expect(await store.getLatest(good.id)).toBeUndefined();
        expect((await store.search({ text: 'Generic', limit: 10 })).hits).toEqual([]);
        expect((await write([good, after]))).toHaveLength(2);
        expect(await store.countObjects(A)).toBe(2);
      });
    });

    describe('TAXII filters', () => {
      it('filters by ids and by types, alone and together', async () => {
        const i1 = indicator();
        const i2 = indicator();
        const m = sdo('malware', { is_family: false });
        const d = sco('domain-name', { value: 'a.example' });
        await write([i1, i2, m, d]);
        expect(ids(await store.queryObjects(q({ ids: [i1.id, m.id] })))).toEqual([i1.id, m.id]);
        expect(ids(await store.queryObjects(q({ types: ['indicator'] })))).toEqual([i1.id, i2.id]);
        expect(ids(await store.queryObjects(q({ types: ['malware', 'domain-name'] })))).toEqual([m.id, d.id]);
        expect(ids(await store.queryObjects(q({ ids: [i1.id, m.id], types: ['malware'] })))).toEqual([m.id]);
        expect(ids(await store.queryObjects(q({ ids: ['indicator--ffffffff-0000-4000-8000-000000000000'] })))).toEqual([]);
      });

      it('selects versions first, last, all, by timestamp, and ORs several selectors', async () => {
        const base = indicator();
        await write(versionsOf(base, [at(1), at(2), at(3)]));
        const sel = async (v: ReadonlyArray<VersionSelector>) => versions(await store.queryObjects(q({ versions: v })));
        expect(await sel(['first'])).toEqual([at(1)]);
        expect(await sel(['last'])).toEqual([at(3)]);
        expect(await sel(['all'])).toEqual([at(1), at(2), at(3)]);
        expect(await sel([{ at: at(2) }])).toEqual([at(2)]);
        expect(await sel([{ at: at(9) }])).toEqual([]);
        expect(await sel(['first', 'last'])).toEqual([at(1), at(3)]);
        expect(await sel(['first', { at: at(2) }])).toEqual([at(1), at(2)]);
        expect(await sel(['all', 'first'])).toEqual([at(1), at(2), at(3)]);
      });

      it('returns only the latest spec_version of each object by default, and exactly the asked ones otherwise', async () => {
        const mixed = sdo('campaign');
        const old = { ...mixed, spec_version: '2.0', modified: at(1) };
        const current = { ...mixed, spec_version: '2.1', modified: at(2) };
        const only20 = sdo('campaign', { spec_version: '2.0' });
        await write([old, current, only20]);
        const all = (spec?: string[]) => store.queryObjects(q({ versions: ['all'], ...(spec ? { specVersions: spec } : {}) }));
        expect((await all()).objects.map((o) => [o.id, o.specVersion])).toEqual([[mixed.id, '2.1'], [only20.id, '2.0']]);
        expect((await all(['2.0'])).objects.map((o) => [o.id, o.version])).toEqual([[mixed.id, at(1)], [only20.id, T0]]);
        expect(versions(await all(['2.0', '2.1']))).toEqual([at(1), at(2), T0]);
      });

      it('applies added_after strictly', async () => {
        const [a, b, c] = [indicator(), indicator(), indicator()];
        await write([a!], 1);
        await write([b!], 2);
        await write([c!], 3);
        expect(ids(await store.queryObjects(q({ addedAfter: at(1) })))).toEqual([b!.id, c!.id]);
        expect(ids(await store.queryObjects(q({ addedAfter: at(3) })))).toEqual([]);
        expect(ids(await store.queryObjects(q({ addedAfter: '2023-12-31T23:59:59.999Z' })))).toHaveLength(3);
      });

      it('combines types, ids, versions, spec_version and added_after as a conjunction', async () => {
        const base = indicator();
        const other = sdo('malware', { is_family: true });
        await write([{ ...base, modified: at(1) }, other], 1);
        await write([{ ...base, modified: at(2) }], 2);
        await write([{ ...base, modified: at(3) }], 3);
        const page = await store.queryObjects(q({ types: ['indicator'], versions: ['all'], addedAfter: at(1), specVersions: ['2.1'] }));
        expect(versions(page)).toEqual([at(2), at(3)]);
        const page2 = await store.queryObjects(q({ ids: [base.id, other.id], versions: ['first'], addedAfter: at(1) }));
        expect(page2.objects).toEqual([]);
        const page3 = await store.queryObjects(q({ ids: [other.id, base.id], types: ['malware', 'indicator'], versions: ['last'] }));
        expect(ids(page3)).toEqual([other.id, base.id]);
      });

      it('orders results by date added, and within one write by position in the batch', async () => {
        const [x, y, z] = [indicator(), indicator(), indicator()];
        await write([z!], 1);
        await write([y!, x!], 2);
        expect(ids(await store.queryObjects(q()))).toEqual([z!.id, y!.id, x!.id]);
      });
    });

    describe('keyset pagination', () => {
      it('walks every object exactly once and the last page carries no next', async () => {
        const objs = Array.from({ length: 7 }, () => indicator());
        await write(objs.slice(0, 4), 1);
        await write(objs.slice(4), 2);
        const pages: ObjectPage[] = [];
        let cursor: string | undefined;
        do {
          const page = await store.queryObjects(q({ limit: 3, ...(cursor ? { cursor } : {}) }));
          pages.push(page);
          cursor = page.next;
        } while (cursor !== undefined);
        expect(pages.map((p) => p.objects.length)).toEqual([3, 3, 1]);
        expect(pages.flatMap(ids)).toEqual(objs.map((o) => o.id));
      });

      it('gives no next when the objects end exactly at the page limit', async () => {
        await write([indicator(), indicator(), indicator(), indicator()]);
        const first = await store.queryObjects(q({ limit: 2 }));
        expect(first.next).toBeDefined();
        const second = await store.queryObjects(q({ limit: 2, cursor: first.next! }));
        expect(second.objects).toHaveLength(2);
        expect(second.next).toBeUndefined();
      });

      it('stays stable while new objects are added during paging', async () => {
        const objs = Array.from({ length: 5 }, () => indicator());
        await write(objs, 1);
        const first = await store.queryObjects(q({ limit: 2 }));
        const late = [indicator(), indicator()];
        await write(late, 2);
        const rest = await allPages((cursor) => store.queryObjects(q({ limit: 2, cursor: cursor ?? first.next! })));
        expect([...ids(first), ...rest.map((o) => o.id)]).toEqual([...objs, ...late].map((o) => o.id));
      });

      it('pages through filtered results without repeating or skipping', async () => {
        const objs: StixLike[] = [];
        for (let i = 0; i < 10; i += 1) objs.push(i % 2 === 0 ? indicator() : sdo('malware', { is_family: false }));
        await write(objs);
        const walked = await allPages((cursor) => store.queryObjects(q({ types: ['malware'], limit: 2, ...(cursor ? { cursor } : {}) })));
        expect(walked.map((o) => o.id)).toEqual(objs.filter((o) => o.type === 'malware').map((o) => o.id));
      });

      it('answers a listing of a collection that does not exist with ENTENTE_COLLECTION_NOT_FOUND', async () => {
        await expectCode(store.queryObjects(q({ collectionId: 'no-such-collection' })), 'ENTENTE_COLLECTION_NOT_FOUND');
        await expectCode(store.queryManifest(q({ collectionId: 'no-such-collection' })), 'ENTENTE_COLLECTION_NOT_FOUND');
        expect(await store.deleteObjects({ collectionId: 'no-such-collection', id: 'indicator--ffffffff-0000-4000-8000-000000000000' })).toBe(0);
      });

      it('rejects a cursor it did not issue with ENTENTE_INVALID_PARAMETER', async () => {
        await expectCode(store.queryObjects(q({ cursor: 'not a cursor!' })), 'ENTENTE_INVALID_PARAMETER');
      });
    });

    describe('manifest and versions', () => {
      it('returns in the manifest the same entries, order and paging as the object query', async () => {
        const base = indicator();
        await write([...versionsOf(base, [at(1), at(2)]), indicator(), sdo('tool')], 1);
        for (const query of [q(), q({ versions: ['all'] }), q({ types: ['indicator'], versions: ['first'] }), q({ limit: 2 })]) {
          const objects = await store.queryObjects(query);
          const manifest = await store.queryManifest(query);
          const key = (p: ObjectPage) => p.objects.map((o) => [o.id, o.version, o.dateAdded, o.specVersion]);
          expect(key(manifest)).toEqual(key(objects));
          expect(manifest.next === undefined).toBe(objects.next === undefined);
        }
      });

      it('lists every version of one object oldest first, with paging and added_after', async () => {
        const base = indicator();
        await write(versionsOf(base, [at(3)]), 1);
        await write(versionsOf(base, [at(1), at(2)]), 2);
        await write([indicator()], 3);
        const listed = await store.listVersions({ ...q(), ids: [base.id] });
        expect(versions(listed)).toEqual([at(1), at(2), at(3)]);
        const paged = await allPages((cursor) => store.listVersions({ ...q({ limit: 1, ...(cursor ? { cursor } : {}) }), ids: [base.id] }));
        expect(paged.map((o) => o.version)).toEqual([at(1), at(2), at(3)]);
        expect(versions(await store.listVersions({ ...q({ addedAfter: at(1) }), ids: [base.id] }))).toEqual([at(1), at(2)]);
        expect((await store.listVersions({ ...q(), ids: ['indicator--ffffffff-0000-4000-8000-000000000000'] })).objects).toEqual([]);
      });
    });

    describe('deleting objects', () => {
      it('deletes every version of an object in one collection only', async () => {
        const base = indicator();
        await write(versionsOf(base, [at(1), at(2), at(3)]), 0, A);
        await write(versionsOf(base, [at(1)]), 0, B);
        expect(await store.deleteObjects({ collectionId: A, id: base.id })).toBe(3);
        expect(await store.countObjects(A)).toBe(0);
        expect(ids(await store.queryObjects(q({ collectionId: B })))).toEqual([base.id]);
        expect(await store.deleteObjects({ collectionId: A, id: base.id })).toBe(0);
      });

      it('deletes selected versions and recomputes first and last', async () => {
        const base = indicator();
        await write(versionsOf(base, [at(1), at(2), at(3), at(4)]));
        expect(await store.deleteObjects({ collectionId: A, id: base.id, versions: ['last'] })).toBe(1);
        expect(versions(await store.queryObjects(q()))).toEqual([at(3)]);
        expect(await store.deleteObjects({ collectionId: A, id: base.id, versions: ['first'] })).toBe(1);
        expect(versions(await store.queryObjects(q({ versions: ['first'] })))).toEqual([at(2)]);
        expect(await store.deleteObjects({ collectionId: A, id: base.id, versions: [{ at: at(3) }] })).toBe(1);
        expect(versions(await store.queryObjects(q({ versions: ['first', 'last'] })))).toEqual([at(2)]);
        expect(await store.getLatest(base.id)).toEqual({ ...base, modified: at(2) });
      });

      it('deletes only the asked spec_version', async () => {
        const base = sdo('campaign');
        await write([{ ...base, spec_version: '2.0', modified: at(1) }, { ...base, modified: at(2) }]);
        expect(await store.deleteObjects({ collectionId: A, id: base.id, versions: ['all'], specVersions: ['2.0'] })).toBe(1);
        expect(versions(await store.queryObjects(q({ versions: ['all'] })))).toEqual([at(2)]);
      });

      it('forgets a deleted object in search and getLatest', async () => {
        const obj = indicator({ name: 'Zanzibar beacon' });
        await write([obj]);
        await store.deleteObjects({ collectionId: A, id: obj.id });
        expect(await store.getLatest(obj.id)).toBeUndefined();
        expect((await store.search({ text: 'zanzibar', limit: 10 })).hits).toEqual([]);
      });
    });

    describe('getLatest and counts', () => {
      it('returns the latest version across collections, or within the given ones', async () => {
        const base = indicator();
        await write(versionsOf(base, [at(1)]), 0, A);
        await write(versionsOf(base, [at(2)]), 0, B);
        expect((await store.getLatest(base.id))?.modified).toBe(at(2));
        expect((await store.getLatest(base.id, [A]))?.modified).toBe(at(1));
        expect(await store.getLatest('indicator--ffffffff-0000-4000-8000-000000000000')).toBeUndefined();
      });

      it('counts versions per collection and distinct versions overall', async () => {
        const base = indicator();
        await write(versionsOf(base, [at(1), at(2)]), 0, A);
        await write([...versionsOf(base, [at(2)]), indicator()], 0, B);
        expect(await store.countObjects(A)).toBe(2);
        expect(await store.countObjects(B)).toBe(2);
        expect(await store.countObjects()).toBe(3);
      });
    });

    describe('search', () => {
      const find = async (text: string, over: Partial<SearchQuery> = {}) =>
        (await store.search({ text, limit: 50, ...over })).hits.map((h) => h.id).sort();

      it('finds objects by name, description, pattern and observable values', async () => {
        const ind = indicator({ name: 'Quartzite loader', description: 'Dropped by spearphishing mail', pattern: "[url:value = 'http://bad.example.net/payload']" });
        const dom = sco('domain-name', { value: 'evil-domain.example.com' });
        const ip = sco('ipv4-addr', { value: '198.51.100.77' });
        const file = sco('file', { name: 'invoice_2024.exe', hashes: { 'SHA-256': 'aa11bb22cc33dd44ee55ff66aa11bb22cc33dd44ee55ff66aa11bb22cc33dd44' } });
        const url = sco('url', { value: 'https://phish.example.org/login' });
        await write([ind, dom, ip, file, url]);
        expect(await find('quartzite')).toEqual([ind.id]);
        expect(await find('SPEARPHISHING')).toEqual([ind.id]);
        expect(await find('bad.example.net')).toEqual([ind.id]);
        expect(await find('evil-domain.example.com')).toEqual([dom.id]);
        expect(await find('198.51.100.77')).toEqual([ip.id]);
        expect(await find('aa11bb22cc33dd44ee55ff66aa11bb22cc33dd44ee55ff66aa11bb22cc33dd44')).toEqual([file.id]);
        expect(await find('invoice_2024.exe')).toEqual([file.id]);
        expect(await find('phish.example.org')).toEqual([url.id]);
      });

      it('matches words as case-insensitive prefixes and ANDs them', async () => {
        const a = indicator({ name: 'Cobalt Strike beacon' });
        const b = indicator({ name: 'Cobalt mining script' });
        await write([a, b]);
        expect(await find('cob')).toEqual([a.id, b.id].sort());
        expect(await find('cobalt BEAC')).toEqual([a.id]);
        expect(await find('cobalt nothing')).toEqual([]);
      });

      it('gives each hit a title, its version and the object', async () => {
        const ind = indicator({ name: 'Titled thing', modified: at(4) });
        const dom = sco('domain-name', { value: 'titled.example' });
        await write([ind, dom]);
        const hits = (await store.search({ text: 'titled', limit: 10 })).hits;
        const byId = new Map(hits.map((h) => [h.id, h]));
        expect(byId.get(ind.id)).toMatchObject({ type: 'indicator', version: at(4), title: 'Titled thing', object: ind });
        expect(byId.get(dom.id)).toMatchObject({ type: 'domain-name', version: UNVERSIONED, title: 'titled.example' });
      });

      it('searches latest versions only', async () => {
        const base = indicator({ name: 'Oldname marker' });
        await write([{ ...base, modified: at(1) }, { ...base, modified: at(2), name: 'Newname marker' }]);
        expect(await find('oldname')).toEqual([]);
        const hits = (await store.search({ text: 'marker', limit: 10 })).hits;
        expect(hits.map((h) => h.version)).toEqual([at(2)]);
      });

      it('filters by type and by collection', async () => {
        const ind = indicator({ name: 'Shared word' });
        const mal = sdo('malware', { name: 'Shared word', is_family: true });
        const inB = sdo('tool', { name: 'Shared word' });
        await write([ind, mal]);
        await write([inB], 0, B);
        expect(await find('shared', { types: ['malware'] })).toEqual([mal.id]);
        expect(await find('shared', { collectionIds: [B] })).toEqual([inB.id]);
        expect(await find('shared', { collectionIds: [A], types: ['tool'] })).toEqual([]);
        expect(await find('shared')).toEqual([ind.id, mal.id, inB.id].sort());
      });

      it('pages through hits without repeats and ends without next', async () => {
        const objs = Array.from({ length: 5 }, (_, i) => indicator({ name: `Pager item ${i}` }));
        await write(objs);
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await store.search({ text: 'pager', limit: 2, ...(cursor ? { cursor } : {}) });
          seen.push(...page.hits.map((h) => h.id));
          cursor = page.next;
          pages += 1;
        } while (cursor !== undefined && pages < 10);
        expect(pages).toBe(3);
        expect(seen.sort()).toEqual(objs.map((o) => o.id).sort());
      });

      it('treats query syntax characters as plain text instead of failing', async () => {
        await write([indicator({ name: 'Plain' })]);
        for (const text of ['"unbalanced', 'a OR b', 'NOT', '*', '(x', 'col:on', '^near', '']) {
          await expect(store.search({ text, limit: 5 })).resolves.toHaveProperty('hits');
        }
      });
    });

    describe('graph neighbours', () => {
      async function graph() {
        const identity = sdo('identity', { identity_class: 'organization' });
        const mal = sdo('malware', { is_family: true, created_by_ref: identity.id });
        const ind = indicator({ object_marking_refs: ['marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487'] });
        const ap = sdo('attack-pattern');
        const indicates = relationship(ind.id, mal.id, 'indicates');
        const uses = relationship(mal.id, ap.id, 'uses');
        const sighting = sdo('sighting', { name: undefined, sighting_of_ref: ind.id, where_sighted_refs: [identity.id] });
        const ghost = 'vulnerability--ffffffff-0000-4000-8000-00000000dead';
        const report = sdo('report', { published: T0, object_refs: [mal.id, ghost] });
        await write([identity, mal, ind, ap, indicates, uses, sighting, report]);
        return { identity, mal, ind, ap, indicates, uses, sighting, report, ghost };
      }
      const edgeKeys = (edges: ReadonlyArray<{ source: string; target: string; kind: string; label: string; via?: string }>) =>
        edges.map((e) => `${e.source} -${e.kind}:${e.label}${e.via ? `@${e.via}` : ''}-> ${e.target}`).sort();

      it('follows relationships outward at depth 1, ignoring created_by_ref and markings', async () => {
        const g = await graph();
        const n = await store.neighbours({ id: g.ind.id, depth: 1, direction: 'out' });
        expect(edgeKeys(n.edges)).toEqual([`${g.ind.id} -relationship:indicates@${g.indicates.id}-> ${g.mal.id}`]);
        expect(n.objects.map((o) => o.id).sort()).toEqual([g.ind.id, g.mal.id].sort());
        expect(n.missing).toEqual([]);
      });

      it('follows sighting edges inward', async () => {
        const g = await graph();
        const n = await store.neighbours({ id: g.ind.id, depth: 1, direction: 'in' });
        expect(edgeKeys(n.edges)).toEqual([`${g.sighting.id} -sighting:sighting_of_ref@${g.sighting.id}-> ${g.ind.id}`]);
      });

      it('follows both directions with relationship and embedded-ref edges', async () => {
        const g = await graph();
        const n = await store.neighbours({ id: g.mal.id, depth: 1 });
        expect(edgeKeys(n.edges)).toEqual([
          `${g.ind.id} -relationship:indicates@${g.indicates.id}-> ${g.mal.id}`,
          `${g.mal.id} -relationship:uses@${g.uses.id}-> ${g.ap.id}`,
          `${g.report.id} -ref:object_refs-> ${g.mal.id}`,
        ].sort());
        expect(n.objects.map((o) => o.id).sort()).toEqual([g.ind.id, g.mal.id, g.ap.id, g.report.id].sort());
      });

      it('reaches depth 2 and lists referenced ids that are not stored as missing', async () => {
        const g = await graph();
        const out2 = await store.neighbours({ id: g.ind.id, depth: 2, direction: 'out' });
        expect(out2.objects.map((o) => o.id).sort()).toEqual([g.ind.id, g.mal.id, g.ap.id].sort());
        const both2 = await store.neighbours({ id: g.ind.id, depth: 2, direction: 'both' });
        const reached = both2.objects.map((o) => o.id);
        expect(reached.sort()).toEqual([g.ind.id, g.mal.id, g.sighting.id, g.identity.id, g.ap.id, g.report.id].sort());
        expect(both2.missing).toEqual([]);
        const fromReport = await store.neighbours({ id: g.report.id, depth: 1, direction: 'out' });
        expect(fromReport.objects.map((o) => o.id).sort()).toEqual([g.report.id, g.mal.id].sort());
        expect(fromReport.missing).toEqual([g.ghost]);
        expect(edgeKeys(fromReport.edges)).toContain(`${g.report.id} -ref:object_refs-> ${g.ghost}`);
      });

      it('uses the latest version of each object and only the given collections', async () => {
        const g = await graph();
        await write([{ ...g.report, modified: at(5), object_refs: [g.ap.id] }], 1);
        const n = await store.neighbours({ id: g.report.id, depth: 1, direction: 'out' });
        expect(edgeKeys(n.edges)).toEqual([`${g.report.id} -ref:object_refs-> ${g.ap.id}`]);
        expect(n.objects.find((o) => o.id === g.report.id)?.modified).toBe(at(5));
        expect((await store.neighbours({ id: g.ind.id, depth: 1, collectionIds: [B] })).objects).toEqual([]);
      });

      it('walks inward to depth 2', async () => {
        const g = await graph();
        const n = await store.neighbours({ id: g.ap.id, depth: 2, direction: 'in' });
        expect(edgeKeys(n.edges)).toEqual([
          `${g.ind.id} -relationship:indicates@${g.indicates.id}-> ${g.mal.id}`,
          `${g.mal.id} -relationship:uses@${g.uses.id}-> ${g.ap.id}`,
          `${g.report.id} -ref:object_refs-> ${g.mal.id}`,
        ].sort());
      });

      it('reports an unknown start as missing', async () => {
        const ghost = 'malware--ffffffff-0000-4000-8000-000000000001';
        expect(await store.neighbours({ id: ghost, depth: 1 })).toEqual({ objects: [], edges: [], missing: [ghost] });
      });
    });

    describe('collections and grants', () => {
      it('creates, reads by id or alias, lists and deletes collections', async () => {
        const alpha = await store.getCollection('alpha');
        expect(alpha).toEqual({ id: A, title: 'Alpha', alias: 'alpha', mediaTypes: ['application/stix+json;version=2.1'], createdAt: T0 });
        expect(await store.getCollection(A)).toEqual(alpha);
        const beta = await store.getCollection(B);
        expect(beta?.alias).toBeUndefined();
        expect(beta?.description).toBeUndefined();
        await store.createCollection({ id: 'c3', title: 'Gamma', description: 'Third', mediaTypes: [], createdAt: at(1) });
        expect((await store.listCollections()).map((c) => c.id).sort()).toEqual([A, B, 'c3'].sort());
        expect((await store.getCollection('c3'))?.description).toBe('Third');
        expect(await store.deleteCollection('c3')).toBe(true);
        expect(await store.deleteCollection('c3')).toBe(false);
        expect(await store.getCollection('c3')).toBeUndefined();
      });

      it('refuses a second collection with the same id with ENTENTE_CONFLICT', async () => {
        await expectCode(store.createCollection({ id: A, title: 'Again', mediaTypes: [], createdAt: T0 }), 'ENTENTE_CONFLICT');
      });

      it('drops the objects and grants of a deleted collection', async () => {
        await write([indicator()], 0, B);
        await store.setGrant({ collectionId: B, principal: 'ann', canRead: true, canWrite: false });
        expect(await store.deleteCollection(B)).toBe(true);
        expect(await store.countObjects()).toBe(0);
        expect(await store.listGrants({ collectionId: B })).toEqual([]);
      });

      it('upserts grants and lists them by collection and principal', async () => {
        await store.setGrant({ collectionId: A, principal: 'ann', canRead: true, canWrite: false });
        await store.setGrant({ collectionId: B, principal: 'ann', canRead: true, canWrite: true });
        await store.setGrant({ collectionId: A, principal: 'bob', canRead: false, canWrite: true });
        await store.setGrant({ collectionId: A, principal: 'ann', canRead: true, canWrite: true });
        const sort = <T extends { collectionId: string; principal: string }>(g: ReadonlyArray<T>) =>
          [...g].sort((x, y) => `${x.collectionId}/${x.principal}`.localeCompare(`${y.collectionId}/${y.principal}`));
        expect(sort(await store.listGrants({ principal: 'ann' }))).toEqual([
          { collectionId: A, principal: 'ann', canRead: true, canWrite: true },
          { collectionId: B, principal: 'ann', canRead: true, canWrite: true },
        ]);
        expect(sort(await store.listGrants({ collectionId: A })).map((g) => g.principal)).toEqual(['ann', 'bob']);
        expect(await store.listGrants({ collectionId: A, principal: 'bob' })).toEqual([{ collectionId: A, principal: 'bob', canRead: false, canWrite: true }]);
        expect(await store.listGrants()).toHaveLength(3);
      });

      it('refuses a grant on a collection that does not exist', async () => {
        await expectCode(store.setGrant({ collectionId: 'nope', principal: 'ann', canRead: true, canWrite: false }), 'ENTENTE_COLLECTION_NOT_FOUND');
      });
    });

    describe('users and tokens', () => {
      const user = (name: string) => ({ name, passwordHash: `$scrypt$${name}`, roles: ['analyst'], createdAt: T0, disabled: false });

      it('creates, reads, lists, updates and deletes users', async () => {
        await store.createUser(user('ann'));
        await store.createUser(user('bob'));
        expect(await store.getUser('ann')).toEqual(user('ann'));
        expect((await store.listUsers()).map((u) => u.name).sort()).toEqual(['ann', 'bob']);
        expect(await store.updateUser('ann', { roles: ['admin', 'analyst'], disabled: true })).toBe(true);
        expect(await store.getUser('ann')).toEqual({ ...user('ann'), roles: ['admin', 'analyst'], disabled: true });
        expect(await store.updateUser('ann', { passwordHash: 'new' })).toBe(true);
        expect((await store.getUser('ann'))?.passwordHash).toBe('new');
        expect(await store.updateUser('zed', { disabled: true })).toBe(false);
        expect(await store.deleteUser('bob')).toBe(true);
        expect(await store.deleteUser('bob')).toBe(false);
        expect(await store.getUser('bob')).toBeUndefined();
      });

      it('refuses a second user with the same name with ENTENTE_CONFLICT', async () => {
        await store.createUser(user('ann'));
        await expectCode(store.createUser(user('ann')), 'ENTENTE_CONFLICT');
      });

      it('stores tokens, finds them by secret hash, touches, lists and deletes them', async () => {
        await store.createUser(user('ann'));
        await store.createUser(user('bob'));
        const token = { id: 'tok1', userName: 'ann', secretHash: 'ab'.repeat(32), description: 'CI', createdAt: T0, expiresAt: at(60) };
        await store.createToken(token);
        await store.createToken({ id: 'tok2', userName: 'bob', secretHash: 'cd'.repeat(32), description: '', createdAt: T0 });
        expect(await store.findTokenBySecretHash('ab'.repeat(32))).toEqual(token);
        expect(await store.findTokenBySecretHash('ef'.repeat(32))).toBeUndefined();
        await store.touchToken('tok1', at(5));
        expect((await store.findTokenBySecretHash('ab'.repeat(32)))?.lastUsedAt).toBe(at(5));
        expect((await store.listTokens('ann')).map((t) => t.id)).toEqual(['tok1']);
        expect((await store.listTokens()).map((t) => t.id).sort()).toEqual(['tok1', 'tok2']);
        expect(await store.deleteToken('tok2')).toBe(true);
        expect(await store.deleteToken('tok2')).toBe(false);
        await expectCode(store.createToken({ ...token, secretHash: '00' }), 'ENTENTE_CONFLICT');
      });

      it('removes the tokens of a deleted user', async () => {
        await store.createUser(user('ann'));
        await store.createToken({ id: 'tok1', userName: 'ann', secretHash: 'ab'.repeat(32), description: '', createdAt: T0 });
        await store.deleteUser('ann');
        expect(await store.listTokens()).toEqual([]);
        expect(await store.findTokenBySecretHash('ab'.repeat(32))).toBeUndefined();
      });
    });

    describe('status resources', () => {
      it('saves, reads back and updates a status resource', async () => {
        const status = {
          id: 'status-1', status: 'pending' as const, requestTimestamp: at(1), totalCount: 3,
          successCount: 1, successes: [{ id: 'indicator--x', version: at(1) }],
          failureCount: 1, failures: [{ id: 'malware--y', version: at(1), message: 'invalid' }],
          pendingCount: 1, pendings: [{ id: 'tool--z', version: at(1) }], owner: 'ann', collectionId: A,
        };
        await store.saveStatus(status);
        expect(await store.getStatus('status-1')).toEqual(status);
        const done = { ...status, status: 'complete' as const, successCount: 2, pendingCount: 0, pendings: [], successes: [...status.successes, { id: 'tool--z', version: at(1) }] };
        await store.saveStatus(done);
        expect(await store.getStatus('status-1')).toEqual(done);
        expect(await store.getStatus('status-2')).toBeUndefined();
      });

      it('lists status resources newest first, per owner, page by page', async () => {
        const make = (n: number, owner: string) => ({
          id: `status-${n}`, status: 'complete' as const, requestTimestamp: at(n % 3), totalCount: 0, successCount: 0, successes: [],
          failureCount: 0, failures: [], pendingCount: 0, pendings: [], owner, collectionId: A,
        });
        for (let n = 0; n < 7; n++) await store.saveStatus(make(n, n % 2 === 0 ? 'ann' : 'bob'));
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await store.listStatuses({ limit: 3, ...(cursor === undefined ? {} : { cursor }) });
          expect(page.statuses.length).toBeLessThanOrEqual(3);
          seen.push(...page.statuses.map((s) => s.id));
          cursor = page.next;
        } while (cursor !== undefined);
        // requestTimestamp descending, then id descending.
        expect(seen).toEqual(['status-5', 'status-2', 'status-4', 'status-1', 'status-6', 'status-3', 'status-0']);
        const anns = await store.listStatuses({ owner: 'ann', limit: 10 });
        expect(anns.statuses.map((s) => s.id)).toEqual(['status-2', 'status-4', 'status-6', 'status-0']);
        expect(anns.next).toBeUndefined();
        await expect(store.listStatuses({ limit: 1, cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'ENTENTE_INVALID_PARAMETER' });
      });
    });
  });
}
