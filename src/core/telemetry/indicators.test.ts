import { describe, expect, it } from 'vitest';
import { selectIndicators } from './indicators.js';

const NOW = Date.parse('2025-06-01T00:00:00Z');
const base = { type: 'indicator', spec_version: '2.1', created: '2024-01-01T00:00:00Z', modified: '2024-01-01T00:00:00Z', pattern_type: 'stix', valid_from: '2024-01-01T00:00:00Z' };
const ind = (n: number, extra: Record<string, unknown>): Record<string, unknown> => ({ ...base, id: `indicator--00000000-0000-4000-8000-00000000000${n}`, pattern: "[ipv4-addr:value = '198.51.100.7']", ...extra });

describe('selectIndicators', () => {
  it('compiles live STIX indicators and skips revoked, expired, other pattern types and invalid ones', () => {
    const s = selectIndicators([{ type: 'bundle', id: 'bundle--1', objects: [
      ind(1, {}),
      ind(2, { revoked: true }),
      ind(3, { valid_until: '2025-05-31T23:59:59Z' }),
      ind(4, { valid_until: '2025-06-01T00:00:01Z' }),
      ind(5, { pattern_type: 'sigma', pattern: 'title: x' }),
      ind(6, { pattern: '[ipv4-addr:value = ' }),
      { type: 'malware', id: 'malware--1' },
    ] }], NOW);
    expect([...s.patterns.keys()]).toEqual([ind(1, {})['id'], ind(4, {})['id']]);
    expect(s).toMatchObject({ revoked: 1, expired: 1, otherPatternTypes: 1 });
    expect(s.invalid).toEqual([{ id: ind(6, {})['id'], reason: expect.stringContaining('expected a constant') }]);
    expect(s.index.size).toBe(2);
  });

  it('uses the latest version of an indicator, so a later revocation wins', () => {
    const s = selectIndicators([ind(1, { modified: '2024-03-01T00:00:00Z', revoked: true }), ind(1, {})], NOW);
    expect(s.index.size).toBe(0);
    expect(s.revoked).toBe(1);
  });
});

describe('selectIndicators on a stream', () => {
  it('chooses as latestIndicators does, whatever the order versions come in', () => {
    const versions = [
      ind(1, { modified: '2024-02-01T00:00:00Z', pattern: "[ipv4-addr:value = '198.51.100.1']" }),
      ind(1, { modified: '2024-03-01T00:00:00Z', pattern: "[ipv4-addr:value = '198.51.100.2']" }),
      ind(2, { modified: '2024-03-01T00:00:00Z', pattern: '[ipv4-addr:value = ' }),
      ind(2, { modified: '2024-04-01T00:00:00Z' }),
      ind(3, { modified: '2024-04-01T00:00:00Z', valid_until: '2025-01-01T00:00:00Z' }),
      ind(3, { modified: '2024-02-01T00:00:00Z' }),
      ind(4, { modified: '2024-02-01T00:00:00Z', pattern: "[domain-name:value = 'a.example']" }),
      ind(4, { modified: '2024-02-01T00:00:00Z', pattern: "[domain-name:value = 'b.example']" }),
    ];
    for (const order of [versions, [...versions].reverse()]) {
      const s = selectIndicators((function* () { yield* order; })(), NOW);
      expect(s).toMatchObject({ revoked: 0, expired: 1, otherPatternTypes: 0, invalid: [] });
      expect(s.patterns.get(ind(1, {})['id'] as string)).toBe("[ipv4-addr:value = '198.51.100.2']");
      expect(s.patterns.has(ind(2, {})['id'] as string)).toBe(true);
      expect(s.index.size).toBe(3);
    }
    // On equal `modified`, the first seen stays.
    expect(selectIndicators(versions, NOW).patterns.get(ind(4, {})['id'] as string)).toBe("[domain-name:value = 'a.example']");
  });
});
