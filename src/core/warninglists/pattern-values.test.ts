import { describe, expect, it } from 'vitest';
import { parsePattern, readObservations } from '../pattern/index.js';
import { BUILTIN_WARNINGLISTS } from './builtin-lists.js';
import { WarninglistMatcher } from './matcher.js';
import { indicatorWarninglisted, matchWarninglisted, patternValues } from './pattern-values.js';

const matcher = new WarninglistMatcher(BUILTIN_WARNINGLISTS);
const listed = (pattern: string): string | undefined => indicatorWarninglisted(parsePattern(pattern), matcher)?.list;

function observation(objects: Record<string, Record<string, unknown>>) {
  return readObservations({
    type: 'observed-data', id: 'observed-data--5e8c8f3c-9e1d-4a7b-8d0e-111111111111', first_observed: '2026-01-01T00:00:00Z',
    last_observed: '2026-01-01T00:00:00Z', number_observed: 1, objects,
  })[0]!;
}

describe('indicators made only of warninglisted values', () => {
  it('are suppressed with the list as the reason', () => {
    expect(listed("[ipv4-addr:value = '8.8.8.8']")).toBe('public-dns-resolvers');
    expect(listed("[ipv4-addr:value IN ('10.0.0.1', '192.168.1.1')]")).toBe('private-addresses');
    expect(listed("[domain-name:value = 'www.example.com'] OR [url:value = 'http://127.0.0.1/x']")).toBe('reserved-domains');
    expect(listed("[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']")).toBe('empty-file-hashes');
    expect(listed("[network-traffic:dst_ref.value = '1.1.1.1']")).toBe('public-dns-resolvers');
    expect(listed("[ipv4-addr:value ISSUBSET '10.1.0.0/16']")).toBe('private-addresses');
  });

  it('are kept when one value is not listed or a comparison cannot be judged', () => {
    expect(listed("[ipv4-addr:value IN ('8.8.8.8', '203.0.114.9')]")).toBeUndefined();
    expect(listed("[network-traffic:dst_ref.value = '8.8.8.8' AND network-traffic:dst_port = 53]")).toBeUndefined();
    expect(listed("[domain-name:value LIKE '%.example.com']")).toBeUndefined();
    expect(listed("[ipv4-addr:value != '8.8.8.8']")).toBeUndefined();
    expect(listed("[ipv4-addr:value ISSUBSET '0.0.0.0/0']")).toBeUndefined();
    expect(patternValues(parsePattern('[file:size > 10]'))).toBeUndefined();
  });
});

describe('matches made only by warninglisted values', () => {
  const wide = parsePattern("[ipv4-addr:value ISSUBSET '8.0.0.0/7']");

  it('are suppressed with the value and its list', () => {
    const seen = observation({ 0: { type: 'ipv4-addr', value: '8.8.8.8' } });
    expect(matchWarninglisted(wide, seen, matcher)).toEqual({ list: 'public-dns-resolvers', entry: '8.8.8.8', value: '8.8.8.8' });
  });

  it('are kept when the value that matched is not listed', () => {
    const seen = observation({ 0: { type: 'ipv4-addr', value: '8.8.8.8' }, 1: { type: 'ipv4-addr', value: '9.200.0.1' } });
    expect(matchWarninglisted(wide, seen, matcher)).toBeUndefined();
    const domain = parsePattern("[domain-name:value LIKE '%.evil.test.example']");
    expect(matchWarninglisted(domain, observation({ 0: { type: 'domain-name', value: 'a.evil.test.example' } }), matcher)).toBeUndefined();
  });

  it('look at the value reached through a reference', () => {
    const traffic = parsePattern("[network-traffic:dst_ref.value ISSUBSET '1.0.0.0/8']");
    const seen = observation({ 0: { type: 'ipv4-addr', value: '1.1.1.1' }, 1: { type: 'network-traffic', dst_ref: '0', protocols: ['udp'] } });
    expect(matchWarninglisted(traffic, seen, matcher)?.list).toBe('public-dns-resolvers');
  });
});
