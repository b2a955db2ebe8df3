import { describe, expect, it } from 'vitest';
import { cidrContains, cidrKey, parseCidr } from './ip.js';
import { compilePcre } from './regex.js';

describe('compilePcre', () => {
  it('searches anywhere with DOTALL', () => {
    expect(compilePcre('b.c', true).test('ab\ncd')).toBe(true);
  });

  it('translates PCRE-only forms', () => {
    expect(compilePcre('\\Aab\\z', true).test('ab')).toBe(true);
    expect(compilePcre('\\Aab\\z', true).test('ab\n')).toBe(false);
    expect(compilePcre('ab\\Z', true).test('ab\n')).toBe(true);
    expect(compilePcre('\\Qa.b*\\E$', true).test('xa.b*')).toBe(true);
    expect(compilePcre('\\Qa.b*\\E$', true).test('xaab')).toBe(false);
    expect(compilePcre('(?P<x>a)(?P=x)', true).test('aa')).toBe(true);
    expect(compilePcre('\\x{263a}', true).test('\u263a')).toBe(true);
    expect(compilePcre('a\\@b\\#c', true).test('a@b#c')).toBe(true);
    expect(compilePcre('(?i)abc', true).test('xABC')).toBe(true);
  });

  it('refuses what JavaScript cannot express', () => {
    expect(() => compilePcre('(?x) a b', true)).toThrow(SyntaxError);
    expect(() => compilePcre('a++', true)).toThrow(SyntaxError);
    expect(() => compilePcre('(?>a)', true)).toThrow(SyntaxError);
  });

  it('refuses a repeated group that contains a repetition, which could backtrack for ever', () => {
    for (const evil of ['(a+)+$', '(\\w+\\s?)*$', '(?:x|y+){2,}', '((ab)*c)+', '(a{1,99})+']) {
      expect(() => compilePcre(evil, true), evil).toThrow(/a repeated group contains a repetition .* exponential time/);
    }
    for (const fine of ['^[a-z]+\\.example\\.com$', '(\\d{1,3}\\.){3}\\d{1,3}', 'a+b+c*', '(ab)+', '([a-z]+)?x', '(?:a{2,3})+', 'evil\\.(exe|dll)$', '[(+]+']) {
      expect(() => compilePcre(fine, true), fine).not.toThrow();
    }
  });

  it('matches bytes without the unicode flag for binary data', () => {
    expect(compilePcre('\\xd4\\xc3', false).test('\u00d4\u00c3')).toBe(true);
    expect(compilePcre('\\xd4\\xc3', false).flags).not.toContain('u');
  });
});

describe('parseCidr', () => {
  it.each(['10.0.0.256', '10.0.0', '10.0.0.1/33', '::1/129', '1:2:3:4:5:6:7:8:9', '1::2::3', 'example.com', '10.0.0.1/', 'gggg::1'])('refuses %s', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });

  it('reads IPv6 with compression and an embedded IPv4 tail alike', () => {
    const a = parseCidr('::ffff:192.0.2.1') as NonNullable<ReturnType<typeof parseCidr>>;
    const b = parseCidr('0:0:0:0:0:ffff:c000:0201/128') as NonNullable<ReturnType<typeof parseCidr>>;
    expect(cidrKey(a)).toBe(cidrKey(b));
  });

  it('contains a block in itself and in wider blocks only', () => {
    const wide = parseCidr('10.0.0.0/8') as NonNullable<ReturnType<typeof parseCidr>>;
    const narrow = parseCidr('10.20.0.0/16') as NonNullable<ReturnType<typeof parseCidr>>;
    expect(cidrContains(wide, narrow)).toBe(true);
    expect(cidrContains(narrow, wide)).toBe(false);
    expect(cidrContains(narrow, narrow)).toBe(true);
    expect(cidrContains(wide, parseCidr('::a00:1') as NonNullable<ReturnType<typeof parseCidr>>)).toBe(false);
  });
});

describe('parseIpv4, the BigInt-free path of the index', () => {
  it('gives the same keys and networks as parseCidr', async () => {
    const fc = (await import('fast-check')).default;
    const { ipv4Key, ipv4Network, networkBits, parseIpv4 } = await import('./ip.js');
    fc.assert(fc.property(fc.ipV4(), fc.option(fc.integer({ min: 0, max: 32 }), { nil: undefined }), fc.integer({ min: 0, max: 32 }), (ip, prefix, q) => {
      const text = prefix === undefined ? ip : `${ip}/${prefix}`;
      const slow = parseCidr(text) as NonNullable<ReturnType<typeof parseCidr>>;
      const fast = parseIpv4(text) as NonNullable<ReturnType<typeof parseIpv4>>;
      expect(ipv4Key(fast)).toBe(cidrKey(slow));
      if (q <= slow.prefix) expect(ipv4Network(fast, q)).toBe(networkBits(slow, q).toString(16));
    }));
  });
});
