import { describe, expect, it } from 'vitest';
import { consistentRelease, outsideReferences, releasedBeyond, type JudgedObject, type ReleaseItem } from './release-set.js';
import { indicator, relationship, report, type Obj } from './testing/objects.js';
import type { ReleaseDecision } from './types.js';

const allow = (object: Obj): ReleaseItem => ({ object, decision: { outcome: 'allow', object, steps: [] } });
const deny = (object: Obj): ReleaseItem => ({ object, decision: { outcome: 'deny', reason: 'tlp-ceiling', steps: [] } });
const sighting = (of: string, observed: ReadonlyArray<string>, where: ReadonlyArray<string>): Obj => ({
  type: 'sighting', spec_version: '2.1', id: 'sighting--6b0e3856-95b3-4c04-a8f6-7e6a3a2e1a11', created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z',
  sighting_of_ref: of, observed_data_refs: [...observed], where_sighted_refs: [...where],
});

describe('consistentRelease', () => {
  it('withholds a relationship whose endpoint is withheld, and says why', () => {
    const a = indicator();
    const b = indicator();
    const rel = relationship(a.id, b.id, 'related-to');
    const out = consistentRelease([allow(a), deny(b), allow(rel)], new Set());
    expect(out.map((d) => d.outcome)).toEqual(['allow', 'deny', 'deny']);
    expect(out[2]).toMatchObject({ reason: 'endpoint-withheld' });
  });

  it('keeps a relationship whose endpoint is outside the set but released', () => {
    const a = indicator();
    const rel = relationship(a.id, 'malware--0f8e6b1c-9d7a-4a50-8f0e-2b1f0c3d4e5f');
    expect(outsideReferences([allow(a), allow(rel)])).toEqual(['malware--0f8e6b1c-9d7a-4a50-8f0e-2b1f0c3d4e5f']);
    expect(consistentRelease([allow(a), allow(rel)], new Set(['malware--0f8e6b1c-9d7a-4a50-8f0e-2b1f0c3d4e5f']))[1]?.outcome).toBe('allow');
    expect(consistentRelease([allow(a), allow(rel)], new Set())[1]?.outcome).toBe('deny');
  });

  it('keeps only released objects in a report\'s object_refs, and withholds a report left empty', () => {
    const a = indicator();
    const b = indicator();
    const r = report([a.id, b.id]);
    const out = consistentRelease([allow(a), deny(b), allow(r)], new Set());
    expect(out[2]?.outcome).toBe('redact');
    expect((out[2] as ReleaseDecision).object).toMatchObject({ object_refs: [a.id] });
    expect(r['object_refs']).toEqual([a.id, b.id]);
    expect(consistentRelease([deny(a), deny(b), allow(r)], new Set())[2]).toMatchObject({ outcome: 'deny', reason: 'no-released-content' });
  });

  it('cascades: a relationship to a report that ends up withheld is withheld too', () => {
    const a = indicator();
    const r = report([a.id]);
    const m = indicator();
    const rel = relationship(m.id, r.id, 'related-to');
    const out = consistentRelease([deny(a), allow(r), allow(m), allow(rel)], new Set());
    expect(out.map((d) => d.outcome)).toEqual(['deny', 'deny', 'allow', 'deny']);
  });

  it('sends a sighting only with what it sighted, pruning its evidence and places', () => {
    const a = indicator();
    const s = sighting(a.id, ['observed-data--1c1d1e1f-0000-4000-8000-000000000001'], ['identity--1c1d1e1f-0000-4000-8000-000000000002']);
    const out = consistentRelease([allow(a), allow(s)], new Set(['identity--1c1d1e1f-0000-4000-8000-000000000002']));
    expect(out[1]?.outcome).toBe('redact');
    expect(out[1]?.object).not.toHaveProperty('observed_data_refs');
    expect(out[1]?.object).toHaveProperty('where_sighted_refs', ['identity--1c1d1e1f-0000-4000-8000-000000000002']);
    expect(consistentRelease([deny(a), allow(s)], new Set())[1]?.outcome).toBe('deny');
  });

  it('leaves provenance and markings alone', () => {
    const a = indicator({ created_by_ref: 'identity--1c1d1e1f-0000-4000-8000-000000000009', object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'] });
    expect(consistentRelease([allow(a)], new Set())[0]?.outcome).toBe('allow');
  });
});

describe('releasedBeyond', () => {
  const a = indicator();
  const b = indicator();
  const rel = relationship(a.id, b.id, 'related-to');
  const r1 = { ...report([rel.id]), id: 'report--3a1c1f0e-5b8e-4b5e-9a0a-0d6c7d3f1e01' };
  const r2 = { ...report([r1.id]), id: 'report--3a1c1f0e-5b8e-4b5e-9a0a-0d6c7d3f1e02' };
  const store = (withheld: ReadonlySet<string>, held: ReadonlyArray<Obj>) => {
    const rounds: string[][] = [];
    const judge = async (ids: ReadonlyArray<string>): Promise<ReadonlyMap<string, JudgedObject>> => {
      rounds.push([...ids]);
      return new Map(held.filter((o) => ids.includes(o.id)).map((o) => [o.id, { object: o, released: !withheld.has(o.id) }]));
    };
    return { rounds, judge };
  };

  it('follows what a reference needs, a level per round, and keeps it only when all of that goes', async () => {
    const open = store(new Set(), [a, b, rel, r1, r2]);
    expect(await releasedBeyond([r2.id], open.judge)).toEqual(new Set([r2.id]));
    expect(open.rounds).toEqual([[r2.id], [r1.id], [rel.id], [a.id, b.id]]);
    const closed = store(new Set([b.id]), [a, b, rel, r1, r2]);
    expect(await releasedBeyond([r2.id, a.id], closed.judge)).toEqual(new Set([a.id]));
  });

  it('withholds nothing for an object this node does not hold, and counts what lies past its bound as withheld', async () => {
    expect(await releasedBeyond([rel.id], store(new Set(), [rel]).judge)).toEqual(new Set([rel.id]));
    expect(await releasedBeyond([r2.id], store(new Set(), [a, b, rel, r1, r2]).judge, 1)).toEqual(new Set());
    expect(await releasedBeyond([r2.id, a.id, b.id], store(new Set(), [a, b, rel, r1, r2]).judge, 0)).toEqual(new Set([a.id, b.id]));
    expect(await releasedBeyond([r2.id], store(new Set(), [a, b, rel, r1, r2]).judge, 4)).toEqual(new Set([r2.id]));
  });
});
