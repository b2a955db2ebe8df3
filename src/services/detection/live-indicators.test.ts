import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readObservations } from '../../core/pattern/index.js';
import { LiveIndicators } from './live-indicators.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const ID = 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';

function indicator(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'indicator', spec_version: '2.1', id: ID, created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', pattern: "[ipv4-addr:value = '198.51.100.7']", pattern_type: 'stix', valid_from: '2026-01-01T00:00:00Z', ...over };
}

const seen = (ip: string) => readObservations({
  type: 'observed-data', spec_version: '2.1', id: 'observed-data--6f8c1e77-3a30-4c39-a7c5-0a35c3bbd2d1', created: '2026-01-01T00:00:00Z', modified: '2026-01-01T00:00:00Z',
  first_observed: '2026-01-01T00:00:00Z', last_observed: '2026-01-01T00:00:00Z', number_observed: 1, objects: { 0: { type: 'ipv4-addr', value: ip } },
})[0]!;

describe('LiveIndicators', () => {
  it('adds, replaces and removes one indicator at a time as its versions arrive', () => {
    const live = new LiveIndicators();
    expect(live.apply(ID, indicator(), NOW)).toEqual({ kind: 'added', id: ID });
    expect(live.match(seen('198.51.100.7'))).toEqual([ID]);
    expect(live.apply(ID, indicator({ modified: '2026-02-01T00:00:00.000Z', pattern: "[ipv4-addr:value = '203.0.113.9']" }), NOW)).toEqual({ kind: 'replaced', id: ID });
    expect(live.match(seen('198.51.100.7'))).toEqual([]);
    expect(live.match(seen('203.0.113.9'))).toEqual([ID]);
    expect(live.apply(ID, indicator({ modified: '2026-03-01T00:00:00.000Z', revoked: true }), NOW)).toEqual({ kind: 'removed', id: ID, reason: 'revoked' });
    expect(live.size).toBe(0);
  });

  it('ignores a version older than the one it holds, even after a revocation', () => {
    const live = new LiveIndicators();
    live.apply(ID, indicator({ modified: '2026-03-01T00:00:00.000Z', revoked: true }), NOW);
    expect(live.apply(ID, indicator(), NOW)).toEqual({ kind: 'unchanged', id: ID });
    expect(live.size).toBe(0);
  });

  it('removes a deleted indicator, and those whose valid_until passes', () => {
    const live = new LiveIndicators();
    live.apply(ID, indicator({ valid_until: '2026-07-01T00:00:00Z' }), NOW);
    expect(live.expire(NOW)).toEqual([]);
    expect(live.expire(Date.parse('2026-07-01T00:00:00Z'))).toEqual([{ kind: 'removed', id: ID, reason: 'expired' }]);
    live.apply(ID, indicator({ modified: '2026-08-01T00:00:00.000Z' }), NOW);
    expect(live.apply(ID, undefined, NOW)).toEqual({ kind: 'removed', id: ID, reason: 'deleted' });
  });

  it('reports an invalid pattern and holds nothing for it', () => {
    const live = new LiveIndicators();
    expect(live.apply(ID, indicator({ pattern: "[ipv4-addr:value = '198.51.100.7'" }), NOW)).toMatchObject({ kind: 'invalid', id: ID });
    expect(live.size).toBe(0);
  });

  it('ends in the state of the latest version whatever order the versions arrive in (property)', () => {
    const version = fc.record({
      month: fc.integer({ min: 1, max: 12 }),
      revoked: fc.boolean(),
      ip: fc.constantFrom('198.51.100.7', '203.0.113.9', '192.0.2.1'),
    });
    fc.assert(fc.property(fc.uniqueArray(version, { minLength: 1, maxLength: 8, selector: (v) => v.month }), (versions) => {
      const objects = versions.map((v) => indicator({ modified: `2026-${String(v.month).padStart(2, '0')}-01T00:00:00.000Z`, revoked: v.revoked, pattern: `[ipv4-addr:value = '${v.ip}']` }));
      const live = new LiveIndicators();
      for (const o of objects) live.apply(ID, o, NOW);
      const latest = versions.reduce((a, b) => (b.month > a.month ? b : a));
      for (const ip of ['198.51.100.7', '203.0.113.9', '192.0.2.1']) {
        expect(live.match(seen(ip))).toEqual(!latest.revoked && latest.ip === ip ? [ID] : []);
      }
    }));
  });
});
