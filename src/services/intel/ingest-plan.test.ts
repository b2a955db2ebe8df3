import { describe, expect, it } from 'vitest';
import { objectsOf, planIngest } from './ingest-plan.js';

const indicator = (modified: string) => ({
  type: 'indicator', spec_version: '2.1', id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  created: '2020-01-01T00:00:00.000Z', modified, pattern: "[ipv4-addr:value = '198.51.100.1']", pattern_type: 'stix', valid_from: '2020-01-01T00:00:00Z',
});

describe('objectsOf', () => {
  it('takes the objects of an envelope or a bundle with the $.objects path', () => {
    expect(objectsOf({ objects: [1] })).toEqual({ objects: [1], base: '$.objects' });
    expect(objectsOf({ type: 'bundle', id: 'bundle--x', objects: [] }).base).toBe('$.objects');
  });

  it('refuses a body whose objects is not a list, naming $.objects', () => {
    expect(() => objectsOf({ objects: {} })).toThrowError(expect.objectContaining({ details: [expect.objectContaining({ path: '$.objects' })] }));
    expect(() => objectsOf('text')).toThrowError(expect.objectContaining({ code: 'ENTENTE_BAD_REQUEST' }));
  });

  it('refuses a bare STIX object instead of taking it for an empty envelope', () => {
    expect(() => objectsOf(indicator('2020-01-02T00:00:00.000Z'))).toThrowError(
      expect.objectContaining({ code: 'ENTENTE_BAD_REQUEST', details: [expect.objectContaining({ path: '$.objects' })] }),
    );
    expect(objectsOf({})).toEqual({ objects: [], base: '$.objects' });
    expect(objectsOf({ type: 'bundle', id: 'bundle--x' })).toEqual({ objects: [], base: '$.objects' });
  });
});

describe('planIngest', () => {
  it('rejects the second occurrence of the same id and version, naming the first', () => {
    const plan = planIngest([indicator('2020-01-02T00:00:00Z'), indicator('2020-01-02T00:00:00.000Z')], '$.objects', false);
    expect(plan[0]?.errors.filter((e) => e.code === 'ENTENTE_STIX_DUPLICATE_ID')).toEqual([]);
    expect(plan[1]?.errors).toContainEqual(expect.objectContaining({ code: 'ENTENTE_STIX_DUPLICATE_ID', path: '$.objects[1].id', message: expect.stringContaining('$.objects[0]') }));
  });

  it('keeps two versions of one object apart', () => {
    const plan = planIngest([indicator('2020-01-02T00:00:00Z'), indicator('2020-01-03T00:00:00Z')], '$.objects', false);
    expect(plan.flatMap((p) => p.errors.filter((e) => e.code === 'ENTENTE_STIX_DUPLICATE_ID'))).toEqual([]);
    expect(plan.map((p) => p.version)).toEqual(['2020-01-02T00:00:00.000Z', '2020-01-03T00:00:00.000Z']);
  });

  it('reports validator errors with paths under the object index', () => {
    const plan = planIngest([{ type: 'indicator' }], '$.objects', false);
    expect(plan[0]?.errors.length).toBeGreaterThan(0);
    expect(plan[0]?.errors.every((e) => e.path?.startsWith('$.objects[0]'))).toBe(true);
  });
});
