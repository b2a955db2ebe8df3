import { describe, expect, it } from 'vitest';
import { ENDPOINT_FILTERS, parseTaxiiFilters } from './taxii-filters.js';

const ID = 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';
const ID2 = 'malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b';

describe('parseTaxiiFilters', () => {
  it('splits comma-separated values and merges repeated parameters', () => {
    const f = parseTaxiiFilters({ 'match[id]': [`${ID},${ID2}`], 'match[type]': 'indicator, malware' }, ENDPOINT_FILTERS.objects);
    expect(f.ids).toEqual([ID, ID2]);
    expect(f.types).toEqual(['indicator', 'malware']);
  });

  it('parses version selectors and normalises timestamps to milliseconds', () => {
    const f = parseTaxiiFilters({ 'match[version]': 'first,last,all,2016-01-01T01:01:01.123456Z' }, ENDPOINT_FILTERS.objects);
    expect(f.versions).toEqual(['first', 'last', 'all', { at: '2016-01-01T01:01:01.123Z' }]);
  });

  it('parses added_after, limit, next and spec versions', () => {
    const f = parseTaxiiFilters({ added_after: '2020-01-01T00:00:00Z', limit: '50', next: 'abc', 'match[spec_version]': '2.0,2.1' }, ENDPOINT_FILTERS.objects);
    expect(f).toMatchObject({ addedAfter: '2020-01-01T00:00:00.000Z', limit: 50, cursor: 'abc', specVersions: ['2.0', '2.1'] });
  });

  it('ignores parameters the endpoint does not support', () => {
    expect(parseTaxiiFilters({ 'match[id]': ID, 'match[type]': 'x' }, ENDPOINT_FILTERS.versions)).toEqual({});
  });

  it.each([
    ['match[id]', 'not-an-id'],
    ['match[type]', 'Bad_Type'],
    ['match[version]', 'yesterday'],
    ['match[spec_version]', 'two'],
    ['added_after', '2020-13-01T00:00:00Z'],
    ['limit', '0'],
    ['limit', '-5'],
    ['limit', 'ten'],
  ])('refuses %s=%s with an error naming the parameter', (name, value) => {
    expect(() => parseTaxiiFilters({ [name]: value }, ENDPOINT_FILTERS.objects)).toThrowError(expect.objectContaining({
      code: 'ENTENTE_INVALID_PARAMETER',
      message: expect.stringContaining(name),
    }));
  });

  it('refuses an empty value inside a list', () => {
    expect(() => parseTaxiiFilters({ 'match[type]': 'indicator,,malware' }, ENDPOINT_FILTERS.objects)).toThrow(/match\[type\]: contains an empty value/);
  });
});

describe('parseTaxiiFilters properties', () => {
  it('returns exactly the ids that were listed, in order, for any list of valid ids', async () => {
    const fc = await import('fast-check');
    const id = fc.tuple(fc.constantFrom('indicator', 'malware', 'x-custom-thing'), fc.uuid()).map(([t, u]) => `${t}--${u}`);
    fc.assert(fc.property(fc.array(id, { minLength: 1, maxLength: 20 }), (ids) => {
      expect(parseTaxiiFilters({ 'match[id]': ids.join(',') }, ENDPOINT_FILTERS.objects).ids).toEqual(ids);
    }));
  });

  it('either parses or throws ENTENTE_INVALID_PARAMETER, for any value of any parameter', async () => {
    const fc = await import('fast-check');
    const names = ['match[id]', 'match[type]', 'match[version]', 'match[spec_version]', 'added_after', 'limit', 'next'];
    fc.assert(fc.property(fc.constantFrom(...names), fc.oneof(fc.string(), fc.array(fc.string())), (name, value) => {
      try {
        parseTaxiiFilters({ [name]: value }, ENDPOINT_FILTERS.objects);
      } catch (error) {
        expect(error).toMatchObject({ code: 'ENTENTE_INVALID_PARAMETER' });
      }
    }));
  });
});
