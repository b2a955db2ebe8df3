import { describe, expect, it } from 'vitest';
import { releaseFactsOf } from '../../core/policy/release-facts.js';
import { UNVERSIONED, type ObjectPage, type StixLike, type VersionSelector } from '../store.js';
import { A, allPages, at, B, expectCode, ids, indicator, plain, sco, sdo, T0, versions, versionsOf, type ContractContext } from './builders.js';

/** Objects: lifecycle, writes and dedup, TAXII filters, keyset paging, manifest and versions, deletes, counts. */
export function objectSections(ctx: ContractContext): void {
  describe('lifecycle', () => {
    it('names its kind, answers ping, and can migrate again without losing data', async () => {
      expect(ctx.store.kind).toMatch(/^[a-z]+$/);
      await ctx.store.ping();
      const obj = indicator();
      await ctx.write([obj]);
      await ctx.store.migrate();
      await ctx.store.migrate();
      expect((await ctx.store.queryObjects(ctx.q())).objects.map((o) => o.object)).toEqual([obj]);
    });

    it('reports ENTENTE_STORE_UNAVAILABLE from ping once closed, and close is idempotent', async () => {
      await ctx.store.close();
      await expectCode(ctx.store.ping(), 'ENTENTE_STORE_UNAVAILABLE');
      await ctx.store.close();
    });
  });

  describe('writing objects', () => {
    it('adds new versions, stores them as they came, and reports the date added', async () => {
      const obj = indicator({ labels: ['x'], extensions: { 'x-ext': { nested: [1, { a: null }] } } });
      const [result] = await ctx.write([obj], 5);
      expect(result).toEqual({ id: obj.id, version: T0, outcome: 'added', dateAdded: at(5) });
      const page = await ctx.store.queryObjects(ctx.q());
      // Compared field by field: an adapter may hand out a class instance (a lazily parsed object).
      expect(page.objects.map(plain)).toEqual([{ id: obj.id, type: 'indicator', version: T0, specVersion: '2.1', dateAdded: at(5), object: obj }]);
      const json = page.objects[0]?.json;
      if (json !== undefined) expect(JSON.parse(json)).toEqual(obj);
    });

    it('treats the same (id, version) in the same collection as a duplicate and keeps the first date_added', async () => {
      const obj = indicator();
      await ctx.write([obj], 1);
      const again = await ctx.write([obj], 9);
      expect(again).toEqual([{ id: obj.id, version: T0, outcome: 'duplicate', dateAdded: at(1) }]);
      expect(await ctx.store.countObjects(A)).toBe(1);
    });

    it('keeps the same object in two collections with separate dates added', async () => {
      const obj = indicator();
      await ctx.write([obj], 1, A);
      const [inB] = await ctx.write([obj], 2, B);
      expect(inB?.outcome).toBe('added');
      expect((await ctx.store.queryObjects(ctx.q({ collectionId: A }))).objects[0]?.dateAdded).toBe(at(1));
      expect((await ctx.store.queryObjects(ctx.q({ collectionId: B }))).objects[0]?.dateAdded).toBe(at(2));
      expect(await ctx.store.countObjects(A)).toBe(1);
      expect(await ctx.store.countObjects(B)).toBe(1);
      expect(await ctx.store.countObjects()).toBe(1);
    });

    it('keeps every version by (id, modified), whatever the order they arrive in', async () => {
      const base = indicator();
      await ctx.write(versionsOf(base, [at(30)]), 1);
      await ctx.write(versionsOf(base, [at(10), at(20)]), 2);
      expect(versions(await ctx.store.queryObjects(ctx.q({ versions: ['all'] })))).toEqual([at(30), at(10), at(20)]);
      expect(versions(await ctx.store.queryObjects(ctx.q()))).toEqual([at(30)]);
      expect(versions(await ctx.store.queryObjects(ctx.q({ versions: ['first'] })))).toEqual([at(10)]);
      expect(await ctx.store.countObjects(A)).toBe(3);
    });

    it('normalises versions to millisecond precision', async () => {
      const a = indicator({ modified: '2024-02-03T04:05:06Z' });
      const b = indicator({ modified: '2024-02-03T04:05:06.123456Z' });
      const c = indicator({ modified: '2024-02-03T04:05:06.5Z' });
      const results = await ctx.write([a, b, c]);
      expect(results.map((r) => r.version)).toEqual(['2024-02-03T04:05:06.000Z', '2024-02-03T04:05:06.123Z', '2024-02-03T04:05:06.500Z']);
      const page = await ctx.store.queryObjects(ctx.q({ versions: [{ at: '2024-02-03T04:05:06.123Z' }] }));
      expect(ids(page)).toEqual([b.id]);
      expect(page.objects[0]?.object).toEqual(b);
    });

    it('versions an object without modified by created, and an unversioned SCO by the epoch constant', async () => {
      const noModified = sdo('identity', { modified: undefined, created: at(3) });
      const domain = sco('domain-name', { value: 'example.org' });
      const results = await ctx.write([noModified, domain]);
      expect(results.map((r) => r.version)).toEqual([at(3), UNVERSIONED]);
      expect((await ctx.write([domain], 4))[0]?.outcome).toBe('duplicate');
    });

    it('keeps a revoked version as the latest, with the earlier versions still listed', async () => {
      const base = sdo('malware', { is_family: true });
      await ctx.write([{ ...base, modified: at(1) }]);
      await ctx.write([{ ...base, modified: at(2), revoked: true }], 1);
      const latest = await ctx.store.queryObjects(ctx.q());
      expect(latest.objects.map((o) => o.object.revoked)).toEqual([true]);
      expect((await ctx.store.getLatest(base.id))?.revoked).toBe(true);
      expect(versions(await ctx.store.listVersions({ ...ctx.q(), ids: [base.id] }))).toEqual([at(1), at(2)]);
    });

    it('keeps each version\'s release facts beside it, and gives those of the latest version of many ids at once', async () => {
      const marking = 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da';
      const base = sdo('malware', { is_family: true, object_marking_refs: [marking], labels: ['ransomware'] });
      const target = indicator();
      const rel = sdo('relationship', { relationship_type: 'indicates', source_ref: target.id, target_ref: base.id, created_by_ref: 'identity--5a5a5a5a-0000-4000-8000-000000000001' });
      await ctx.write([{ ...base, modified: at(1) }, target, rel], 1, A);
      expect((await ctx.store.latestReleaseFacts([base.id])).get(base.id)?.version).toBe(at(1));
      const newer = { ...base, modified: at(2), object_marking_refs: [] as string[] };
      await ctx.write([newer], 2, B);
      const listed = (await ctx.store.queryObjects(ctx.q({ collectionId: A }))).objects;
      expect(listed.map((o) => o.release)).toEqual([releaseFactsOf({ ...base, modified: at(1) }), releaseFactsOf(target), releaseFactsOf(rel)]);
      expect(JSON.parse(listed[2]?.release?.refs ?? '{}')).toEqual({ source_ref: target.id, target_ref: base.id });
      expect(JSON.parse(listed[0]?.release?.key ?? '{}')).toEqual({ type: 'malware', object_marking_refs: [marking], labels: ['ransomware'] });
      const missing = 'malware--ffffffff-0000-4000-8000-000000000000';
      const facts = await ctx.store.latestReleaseFacts([base.id, rel.id, missing, base.id]);
      expect([...facts.keys()].sort()).toEqual([base.id, rel.id].sort());
      // The latest version in any collection, as getLatest gives it.
      expect(facts.get(base.id)).toEqual({ type: 'malware', version: at(2), release: releaseFactsOf(newer) });
      expect(facts.get(rel.id)).toEqual({ type: 'relationship', version: T0, release: releaseFactsOf(rel) });
      expect((await ctx.store.latestReleaseFacts([])).size).toBe(0);
      // Never older than the store: a deleted version gives way to the one before it.
      await ctx.store.deleteObjects({ collectionId: B, id: base.id });
      expect((await ctx.store.latestReleaseFacts([base.id])).get(base.id)?.version).toBe(at(1));
      await ctx.store.deleteCollection(A);
      expect((await ctx.store.latestReleaseFacts([base.id, rel.id])).size).toBe(0);
    });

    it('rejects a write to a collection that does not exist', async () => {
      await expectCode(ctx.write([indicator()], 0, 'no-such-collection'), 'ENTENTE_COLLECTION_NOT_FOUND');
    });

    it('writes all of a batch or nothing when an object in the middle cannot be stored', async () => {
      const good = indicator();
      const cyclic: Record<string, unknown> = { ...indicator() };
      cyclic['self'] = cyclic; // JSON cannot represent a cycle: a genuine storage failure
      const after = indicator();
      await expect(ctx.write([good, cyclic as StixLike, after])).rejects.toBeDefined();
      expect(await ctx.store.countObjects(A)).toBe(0);
      expect((await ctx.store.queryObjects(ctx.q({ versions: ['all'] }))).objects).toEqual([]);
      expect(await ctx.store.getLatest(good.id)).toBeUndefined();
      expect((await ctx.store.search({ text: 'Generic', limit: 10 })).hits).toEqual([]);
      expect((await ctx.write([good, after]))).toHaveLength(2);
      expect(await ctx.store.countObjects(A)).toBe(2);
    });
  });

  describe('TAXII filters', () => {
    it('filters by ids and by types, alone and together', async () => {
      const i1 = indicator();
      const i2 = indicator();
      const m = sdo('malware', { is_family: false });
      const d = sco('domain-name', { value: 'a.example' });
      await ctx.write([i1, i2, m, d]);
      expect(ids(await ctx.store.queryObjects(ctx.q({ ids: [i1.id, m.id] })))).toEqual([i1.id, m.id]);
      expect(ids(await ctx.store.queryObjects(ctx.q({ types: ['indicator'] })))).toEqual([i1.id, i2.id]);
      expect(ids(await ctx.store.queryObjects(ctx.q({ types: ['malware', 'domain-name'] })))).toEqual([m.id, d.id]);
      expect(ids(await ctx.store.queryObjects(ctx.q({ ids: [i1.id, m.id], types: ['malware'] })))).toEqual([m.id]);
      expect(ids(await ctx.store.queryObjects(ctx.q({ ids: ['indicator--ffffffff-0000-4000-8000-000000000000'] })))).toEqual([]);
    });

    it('selects versions first, last, all, by timestamp, and ORs several selectors', async () => {
      const base = indicator();
      await ctx.write(versionsOf(base, [at(1), at(2), at(3)]));
      const sel = async (v: ReadonlyArray<VersionSelector>) => versions(await ctx.store.queryObjects(ctx.q({ versions: v })));
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
      await ctx.write([old, current, only20]);
      const all = (spec?: string[]) => ctx.store.queryObjects(ctx.q({ versions: ['all'], ...(spec ? { specVersions: spec } : {}) }));
      expect((await all()).objects.map((o) => [o.id, o.specVersion])).toEqual([[mixed.id, '2.1'], [only20.id, '2.0']]);
      expect((await all(['2.0'])).objects.map((o) => [o.id, o.version])).toEqual([[mixed.id, at(1)], [only20.id, T0]]);
      expect(versions(await all(['2.0', '2.1']))).toEqual([at(1), at(2), T0]);
    });

    it('applies added_after strictly', async () => {
      const [a, b, c] = [indicator(), indicator(), indicator()];
      await ctx.write([a!], 1);
      await ctx.write([b!], 2);
      await ctx.write([c!], 3);
      expect(ids(await ctx.store.queryObjects(ctx.q({ addedAfter: at(1) })))).toEqual([b!.id, c!.id]);
      expect(ids(await ctx.store.queryObjects(ctx.q({ addedAfter: at(3) })))).toEqual([]);
      expect(ids(await ctx.store.queryObjects(ctx.q({ addedAfter: '2023-12-31T23:59:59.999Z' })))).toHaveLength(3);
    });

    it('combines types, ids, versions, spec_version and added_after as a conjunction', async () => {
      const base = indicator();
      const other = sdo('malware', { is_family: true });
      await ctx.write([{ ...base, modified: at(1) }, other], 1);
      await ctx.write([{ ...base, modified: at(2) }], 2);
      await ctx.write([{ ...base, modified: at(3) }], 3);
      const page = await ctx.store.queryObjects(ctx.q({ types: ['indicator'], versions: ['all'], addedAfter: at(1), specVersions: ['2.1'] }));
      expect(versions(page)).toEqual([at(2), at(3)]);
      const page2 = await ctx.store.queryObjects(ctx.q({ ids: [base.id, other.id], versions: ['first'], addedAfter: at(1) }));
      expect(page2.objects).toEqual([]);
      const page3 = await ctx.store.queryObjects(ctx.q({ ids: [other.id, base.id], types: ['malware', 'indicator'], versions: ['last'] }));
      expect(ids(page3)).toEqual([other.id, base.id]);
    });

    it('orders results by date added, and within one write by position in the batch', async () => {
      const [x, y, z] = [indicator(), indicator(), indicator()];
      await ctx.write([z!], 1);
      await ctx.write([y!, x!], 2);
      expect(ids(await ctx.store.queryObjects(ctx.q()))).toEqual([z!.id, y!.id, x!.id]);
    });
  });

  describe('keyset pagination', () => {
    it('walks every object exactly once and the last page carries no next', async () => {
      const objs = Array.from({ length: 7 }, () => indicator());
      await ctx.write(objs.slice(0, 4), 1);
      await ctx.write(objs.slice(4), 2);
      const pages: ObjectPage[] = [];
      let cursor: string | undefined;
      do {
        const page = await ctx.store.queryObjects(ctx.q({ limit: 3, ...(cursor ? { cursor } : {}) }));
        pages.push(page);
        cursor = page.next;
      } while (cursor !== undefined);
      expect(pages.map((p) => p.objects.length)).toEqual([3, 3, 1]);
      expect(pages.flatMap(ids)).toEqual(objs.map((o) => o.id));
    });

    it('gives no next when the objects end exactly at the page limit', async () => {
      await ctx.write([indicator(), indicator(), indicator(), indicator()]);
      const first = await ctx.store.queryObjects(ctx.q({ limit: 2 }));
      expect(first.next).toBeDefined();
      const second = await ctx.store.queryObjects(ctx.q({ limit: 2, cursor: first.next! }));
      expect(second.objects).toHaveLength(2);
      expect(second.next).toBeUndefined();
    });

    it('stays stable while new objects are added during paging', async () => {
      const objs = Array.from({ length: 5 }, () => indicator());
      await ctx.write(objs, 1);
      const first = await ctx.store.queryObjects(ctx.q({ limit: 2 }));
      const late = [indicator(), indicator()];
      await ctx.write(late, 2);
      const rest = await allPages((cursor) => ctx.store.queryObjects(ctx.q({ limit: 2, cursor: cursor ?? first.next! })));
      expect([...ids(first), ...rest.map((o) => o.id)]).toEqual([...objs, ...late].map((o) => o.id));
    });

    it('pages through filtered results without repeating or skipping', async () => {
      const objs: StixLike[] = [];
      for (let i = 0; i < 10; i += 1) objs.push(i % 2 === 0 ? indicator() : sdo('malware', { is_family: false }));
      await ctx.write(objs);
      const walked = await allPages((cursor) => ctx.store.queryObjects(ctx.q({ types: ['malware'], limit: 2, ...(cursor ? { cursor } : {}) })));
      expect(walked.map((o) => o.id)).toEqual(objs.filter((o) => o.type === 'malware').map((o) => o.id));
    });

    it('answers a listing of a collection that does not exist with ENTENTE_COLLECTION_NOT_FOUND', async () => {
      await expectCode(ctx.store.queryObjects(ctx.q({ collectionId: 'no-such-collection' })), 'ENTENTE_COLLECTION_NOT_FOUND');
      await expectCode(ctx.store.queryManifest(ctx.q({ collectionId: 'no-such-collection' })), 'ENTENTE_COLLECTION_NOT_FOUND');
      expect(await ctx.store.deleteObjects({ collectionId: 'no-such-collection', id: 'indicator--ffffffff-0000-4000-8000-000000000000' })).toBe(0);
    });

    it('rejects a cursor it did not issue with ENTENTE_INVALID_PARAMETER', async () => {
      await expectCode(ctx.store.queryObjects(ctx.q({ cursor: 'not a cursor!' })), 'ENTENTE_INVALID_PARAMETER');
    });
  });

  describe('manifest and versions', () => {
    it('returns in the manifest the same entries, order and paging as the object query', async () => {
      const base = indicator();
      await ctx.write([...versionsOf(base, [at(1), at(2)]), indicator(), sdo('tool')], 1);
      for (const query of [ctx.q(), ctx.q({ versions: ['all'] }), ctx.q({ types: ['indicator'], versions: ['first'] }), ctx.q({ limit: 2 })]) {
        const objects = await ctx.store.queryObjects(query);
        const manifest = await ctx.store.queryManifest(query);
        const key = (p: ObjectPage) => p.objects.map((o) => [o.id, o.version, o.dateAdded, o.specVersion]);
        expect(key(manifest)).toEqual(key(objects));
        expect(manifest.next === undefined).toBe(objects.next === undefined);
      }
    });

    it('lists every version of one object oldest first, with paging and added_after', async () => {
      const base = indicator();
      await ctx.write(versionsOf(base, [at(3)]), 1);
      await ctx.write(versionsOf(base, [at(1), at(2)]), 2);
      await ctx.write([indicator()], 3);
      const listed = await ctx.store.listVersions({ ...ctx.q(), ids: [base.id] });
      expect(versions(listed)).toEqual([at(1), at(2), at(3)]);
      const paged = await allPages((cursor) => ctx.store.listVersions({ ...ctx.q({ limit: 1, ...(cursor ? { cursor } : {}) }), ids: [base.id] }));
      expect(paged.map((o) => o.version)).toEqual([at(1), at(2), at(3)]);
      expect(versions(await ctx.store.listVersions({ ...ctx.q({ addedAfter: at(1) }), ids: [base.id] }))).toEqual([at(1), at(2)]);
      expect((await ctx.store.listVersions({ ...ctx.q(), ids: ['indicator--ffffffff-0000-4000-8000-000000000000'] })).objects).toEqual([]);
    });
  });

  describe('deleting objects', () => {
    it('deletes every version of an object in one collection only', async () => {
      const base = indicator();
      await ctx.write(versionsOf(base, [at(1), at(2), at(3)]), 0, A);
      await ctx.write(versionsOf(base, [at(1)]), 0, B);
      expect(await ctx.store.deleteObjects({ collectionId: A, id: base.id })).toBe(3);
      expect(await ctx.store.countObjects(A)).toBe(0);
      expect(ids(await ctx.store.queryObjects(ctx.q({ collectionId: B })))).toEqual([base.id]);
      expect(await ctx.store.deleteObjects({ collectionId: A, id: base.id })).toBe(0);
    });

    it('deletes selected versions and recomputes first and last', async () => {
      const base = indicator();
      await ctx.write(versionsOf(base, [at(1), at(2), at(3), at(4)]));
      expect(await ctx.store.deleteObjects({ collectionId: A, id: base.id, versions: ['last'] })).toBe(1);
      expect(versions(await ctx.store.queryObjects(ctx.q()))).toEqual([at(3)]);
      expect(await ctx.store.deleteObjects({ collectionId: A, id: base.id, versions: ['first'] })).toBe(1);
      expect(versions(await ctx.store.queryObjects(ctx.q({ versions: ['first'] })))).toEqual([at(2)]);
      expect(await ctx.store.deleteObjects({ collectionId: A, id: base.id, versions: [{ at: at(3) }] })).toBe(1);
      expect(versions(await ctx.store.queryObjects(ctx.q({ versions: ['first', 'last'] })))).toEqual([at(2)]);
      expect(await ctx.store.getLatest(base.id)).toEqual({ ...base, modified: at(2) });
    });

    it('deletes only the asked spec_version', async () => {
      const base = sdo('campaign');
      await ctx.write([{ ...base, spec_version: '2.0', modified: at(1) }, { ...base, modified: at(2) }]);
      expect(await ctx.store.deleteObjects({ collectionId: A, id: base.id, versions: ['all'], specVersions: ['2.0'] })).toBe(1);
      expect(versions(await ctx.store.queryObjects(ctx.q({ versions: ['all'] })))).toEqual([at(2)]);
    });

    it('forgets a deleted object in search and getLatest', async () => {
      const obj = indicator({ name: 'Zanzibar beacon' });
      await ctx.write([obj]);
      await ctx.store.deleteObjects({ collectionId: A, id: obj.id });
      expect(await ctx.store.getLatest(obj.id)).toBeUndefined();
      expect((await ctx.store.search({ text: 'zanzibar', limit: 10 })).hits).toEqual([]);
    });
  });

  describe('getLatest and counts', () => {
    it('returns the latest version across collections, or within the given ones', async () => {
      const base = indicator();
      await ctx.write(versionsOf(base, [at(1)]), 0, A);
      await ctx.write(versionsOf(base, [at(2)]), 0, B);
      expect((await ctx.store.getLatest(base.id))?.modified).toBe(at(2));
      expect((await ctx.store.getLatest(base.id, [A]))?.modified).toBe(at(1));
      expect(await ctx.store.getLatest('indicator--ffffffff-0000-4000-8000-000000000000')).toBeUndefined();
    });

    it('counts versions per collection and distinct versions overall', async () => {
      const base = indicator();
      await ctx.write(versionsOf(base, [at(1), at(2)]), 0, A);
      await ctx.write([...versionsOf(base, [at(2)]), indicator()], 0, B);
      expect(await ctx.store.countObjects(A)).toBe(2);
      expect(await ctx.store.countObjects(B)).toBe(2);
      expect(await ctx.store.countObjects()).toBe(3);
    });
  });
}
