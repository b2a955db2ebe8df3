import { describe, expect, it } from 'vitest';
import { readObservations } from '../pattern/index.js';
import { BUILTIN_WARNINGLISTS } from './builtin-lists.js';
import { WarninglistGuard } from './guard.js';
import { WarninglistMatcher } from './matcher.js';

const seen = (value: string) => readObservations({
  type: 'observed-data', id: 'observed-data--5e8c8f3c-9e1d-4a7b-8d0e-222222222222', first_observed: '2026-01-01T00:00:00Z',
  last_observed: '2026-01-01T00:00:00Z', number_observed: 1, objects: { 0: { type: 'ipv4-addr', value } },
})[0]!;

describe('WarninglistGuard', () => {
  it('names the indicators to take out, skipping patterns that do not parse', () => {
    const guard = new WarninglistGuard(new WarninglistMatcher(BUILTIN_WARNINGLISTS));
    const patterns = new Map([['a', "[ipv4-addr:value = '9.9.9.9']"], ['b', "[ipv4-addr:value = '9.9.9.8']"], ['c', '[broken']]);
    expect(guard.screenIndicators(patterns)).toEqual([{ id: 'a', list: 'public-dns-resolvers', entry: '9.9.9.9' }]);
  });

  it('counts suppressed matches by list and keeps the first as samples', () => {
    const guard = new WarninglistGuard(new WarninglistMatcher(BUILTIN_WARNINGLISTS));
    const wide = "[ipv4-addr:value ISSUBSET '9.0.0.0/8']";
    expect(guard.screenMatch('w', wide, seen('9.9.9.9'))).toEqual({ id: 'w', list: 'public-dns-resolvers', value: '9.9.9.9' });
    expect(guard.screenMatch('w', wide, seen('9.1.2.3'))).toBeUndefined();
    expect(guard.screenMatch('w', wide, seen('9.9.9.9'))).toBeDefined();
    expect([...guard.matchesByList]).toEqual([['public-dns-resolvers', 2]]);
    expect(guard.samples).toHaveLength(2);
  });
});
