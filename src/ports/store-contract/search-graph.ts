import { describe, expect, it } from 'vitest';
import { UNVERSIONED, type SearchQuery } from '../store.js';
import { A, at, B, indicator, relationship, sco, sdo, T0, type ContractContext } from './builders.js';

/** Full-text search and graph neighbours. */
export function searchAndGraphSections(ctx: ContractContext): void {
  describe('search', () => {
    const find = async (text: string, over: Partial<SearchQuery> = {}) =>
      (await ctx.store.search({ text, limit: 50, ...over })).hits.map((h) => h.id).sort();

    it('finds objects by name, description, pattern and observable values', async () => {
      const ind = indicator({ name: 'Quartzite loader', description: 'Dropped by spearphishing mail', pattern: "[url:value = 'http://bad.example.net/payload']" });
      const dom = sco('domain-name', { value: 'evil-domain.example.com' });
      const ip = sco('ipv4-addr', { value: '198.51.100.77' });
      const file = sco('file', { name: 'invoice_2024.exe', hashes: { 'SHA-256': 'aa11bb22cc33dd44ee55ff66aa11bb22cc33dd44ee55ff66aa11bb22cc33dd44' } });
      const url = sco('url', { value: 'https://phish.example.org/login' });
      await ctx.write([ind, dom, ip, file, url]);
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
      await ctx.write([a, b]);
      expect(await find('cob')).toEqual([a.id, b.id].sort());
      expect(await find('cobalt BEAC')).toEqual([a.id]);
      expect(await find('cobalt nothing')).toEqual([]);
    });

    it('gives each hit a title, its version and the object', async () => {
      const ind = indicator({ name: 'Titled thing', modified: at(4) });
      const dom = sco('domain-name', { value: 'titled.example' });
      await ctx.write([ind, dom]);
      const hits = (await ctx.store.search({ text: 'titled', limit: 10 })).hits;
      const byId = new Map(hits.map((h) => [h.id, h]));
      expect(byId.get(ind.id)).toMatchObject({ type: 'indicator', version: at(4), title: 'Titled thing', object: ind });
      expect(byId.get(dom.id)).toMatchObject({ type: 'domain-name', version: UNVERSIONED, title: 'titled.example' });
    });

    it('searches latest versions only', async () => {
      const base = indicator({ name: 'Oldname marker' });
      await ctx.write([{ ...base, modified: at(1) }, { ...base, modified: at(2), name: 'Newname marker' }]);
      expect(await find('oldname')).toEqual([]);
      const hits = (await ctx.store.search({ text: 'marker', limit: 10 })).hits;
      expect(hits.map((h) => h.version)).toEqual([at(2)]);
    });

    it('filters by type and by collection', async () => {
      const ind = indicator({ name: 'Shared word' });
      const mal = sdo('malware', { name: 'Shared word', is_family: true });
      const inB = sdo('tool', { name: 'Shared word' });
      await ctx.write([ind, mal]);
      await ctx.write([inB], 0, B);
      expect(await find('shared', { types: ['malware'] })).toEqual([mal.id]);
      expect(await find('shared', { collectionIds: [B] })).toEqual([inB.id]);
      expect(await find('shared', { collectionIds: [A], types: ['tool'] })).toEqual([]);
      expect(await find('shared')).toEqual([ind.id, mal.id, inB.id].sort());
    });

    it('pages through hits without repeats and ends without next', async () => {
      const objs = Array.from({ length: 5 }, (_, i) => indicator({ name: `Pager item ${i}` }));
      await ctx.write(objs);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await ctx.store.search({ text: 'pager', limit: 2, ...(cursor ? { cursor } : {}) });
        seen.push(...page.hits.map((h) => h.id));
        cursor = page.next;
        pages += 1;
      } while (cursor !== undefined && pages < 10);
      expect(pages).toBe(3);
      expect(seen.sort()).toEqual(objs.map((o) => o.id).sort());
    });

    it('treats query syntax characters as plain text instead of failing', async () => {
      await ctx.write([indicator({ name: 'Plain' })]);
      for (const text of ['"unbalanced', 'a OR b', 'NOT', '*', '(x', 'col:on', '^near', '']) {
        await expect(ctx.store.search({ text, limit: 5 })).resolves.toHaveProperty('hits');
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
      await ctx.write([identity, mal, ind, ap, indicates, uses, sighting, report]);
      return { identity, mal, ind, ap, indicates, uses, sighting, report, ghost };
    }
    const edgeKeys = (edges: ReadonlyArray<{ source: string; target: string; kind: string; label: string; via?: string }>) =>
      edges.map((e) => `${e.source} -${e.kind}:${e.label}${e.via ? `@${e.via}` : ''}-> ${e.target}`).sort();

    it('follows relationships outward at depth 1, ignoring created_by_ref and markings', async () => {
      const g = await graph();
      const n = await ctx.store.neighbours({ id: g.ind.id, depth: 1, direction: 'out' });
      expect(edgeKeys(n.edges)).toEqual([`${g.ind.id} -relationship:indicates@${g.indicates.id}-> ${g.mal.id}`]);
      expect(n.objects.map((o) => o.id).sort()).toEqual([g.ind.id, g.mal.id].sort());
      expect(n.missing).toEqual([]);
    });

    it('follows sighting edges inward', async () => {
      const g = await graph();
      const n = await ctx.store.neighbours({ id: g.ind.id, depth: 1, direction: 'in' });
      expect(edgeKeys(n.edges)).toEqual([`${g.sighting.id} -sighting:sighting_of_ref@${g.sighting.id}-> ${g.ind.id}`]);
    });

    it('follows both directions with relationship and embedded-ref edges', async () => {
      const g = await graph();
      const n = await ctx.store.neighbours({ id: g.mal.id, depth: 1 });
      expect(edgeKeys(n.edges)).toEqual([
        `${g.ind.id} -relationship:indicates@${g.indicates.id}-> ${g.mal.id}`,
        `${g.mal.id} -relationship:uses@${g.uses.id}-> ${g.ap.id}`,
        `${g.report.id} -ref:object_refs-> ${g.mal.id}`,
      ].sort());
      expect(n.objects.map((o) => o.id).sort()).toEqual([g.ind.id, g.mal.id, g.ap.id, g.report.id].sort());
    });

    it('reaches depth 2 and lists referenced ids that are not stored as missing', async () => {
      const g = await graph();
      const out2 = await ctx.store.neighbours({ id: g.ind.id, depth: 2, direction: 'out' });
      expect(out2.objects.map((o) => o.id).sort()).toEqual([g.ind.id, g.mal.id, g.ap.id].sort());
      const both2 = await ctx.store.neighbours({ id: g.ind.id, depth: 2, direction: 'both' });
      const reached = both2.objects.map((o) => o.id);
      expect(reached.sort()).toEqual([g.ind.id, g.mal.id, g.sighting.id, g.identity.id, g.ap.id, g.report.id].sort());
      expect(both2.missing).toEqual([]);
      const fromReport = await ctx.store.neighbours({ id: g.report.id, depth: 1, direction: 'out' });
      expect(fromReport.objects.map((o) => o.id).sort()).toEqual([g.report.id, g.mal.id].sort());
      expect(fromReport.missing).toEqual([g.ghost]);
      expect(edgeKeys(fromReport.edges)).toContain(`${g.report.id} -ref:object_refs-> ${g.ghost}`);
    });

    it('uses the latest version of each object and only the given collections', async () => {
      const g = await graph();
      await ctx.write([{ ...g.report, modified: at(5), object_refs: [g.ap.id] }], 1);
      const n = await ctx.store.neighbours({ id: g.report.id, depth: 1, direction: 'out' });
      expect(edgeKeys(n.edges)).toEqual([`${g.report.id} -ref:object_refs-> ${g.ap.id}`]);
      expect(n.objects.find((o) => o.id === g.report.id)?.modified).toBe(at(5));
      expect((await ctx.store.neighbours({ id: g.ind.id, depth: 1, collectionIds: [B] })).objects).toEqual([]);
    });

    it('walks inward to depth 2', async () => {
      const g = await graph();
      const n = await ctx.store.neighbours({ id: g.ap.id, depth: 2, direction: 'in' });
      expect(edgeKeys(n.edges)).toEqual([
        `${g.ind.id} -relationship:indicates@${g.indicates.id}-> ${g.mal.id}`,
        `${g.mal.id} -relationship:uses@${g.uses.id}-> ${g.ap.id}`,
        `${g.report.id} -ref:object_refs-> ${g.mal.id}`,
      ].sort());
    });

    it('reports an unknown start as missing', async () => {
      const ghost = 'malware--ffffffff-0000-4000-8000-000000000001';
      expect(await ctx.store.neighbours({ id: ghost, depth: 1 })).toEqual({ objects: [], edges: [], missing: [ghost] });
    });
  });
}
