import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompactIocIndex, IndicatorIndex, simpleIocKeys } from './compact-iocs.js';
import { readObservations, type Observation, type StixObject } from './observations.js';
import { parseIpv4 } from './ip.js';
import { parsePattern } from './parse.js';
import { PatternIndex } from './pattern-index.js';
import { observed, sco } from './test-builders.js';

function one(...objects: StixObject[]): Observation {
  return readObservations(observed(objects))[0] as Observation;
}

const uuidId = (n: number): string => `indicator--${n.toString(16).padStart(8, '0')}-1234-4abc-8def-0123456789ab`;

describe('CompactIocIndex', () => {
  it('takes simple IOCs and refuses every other pattern', () => {
    const simple = [
      "[ipv4-addr:value = '198.51.100.1']", "[ipv6-addr:value = '2001:db8::1']", "[domain-name:value = 'example.com']",
      "[url:value = 'http://example.com/x']", "[email-addr:value = 'a@example.com']", `[file:hashes.'SHA-256' = '${'AB12'.repeat(16)}']`,
      "[ipv4-addr:value ISSUBSET '10.0.0.0/8']", "[domain-name:value IN ('a.com', 'b.com')]",
      "[domain-name:value = 'a.com' OR ipv4-addr:value = '10.0.0.1']",
    ];
    const other = [
      "[ipv4-addr:value = '10.0.0.0/24']", "[domain-name:value LIKE '%.com']", "[file:name = 'x.exe']",
      "[file:hashes.SSDEEP = 'ab']", "[domain-name:value != 'a.com']", "[domain-name:value NOT IN ('a.com')]",
      "[domain-name:value = 'a.com' AND domain-name:value = 'b.com']", "[domain-name:value = 'a.com'] OR [url:value = 'x']",
      "[domain-name:value = 'a.com'] REPEATS 2 TIMES", "[ipv4-addr:value = 'not an address']", '[url:value = 1]',
      "[ipv4-addr:value ISSUPERSET '10.0.0.0/8']", "[network-traffic:src_ref.value = '10.0.0.1']",
    ];
    for (const p of simple) expect(simpleIocKeys(parsePattern(p)), p).toBeDefined();
    for (const p of other) expect(simpleIocKeys(parsePattern(p)), p).toBeUndefined();
    expect(new CompactIocIndex().add('x', "[file:name = 'x.exe']")).toBe(false);
  });

  it('finds addresses whatever their spelling, blocks by containment, hashes whatever their case', () => {
    const index = new CompactIocIndex();
    index.add(uuidId(1), "[ipv4-addr:value = '198.51.100.1/32']");
    index.add(uuidId(2), "[ipv6-addr:value = '2001:0db8:0000:0000:0000:0000:0000:0001']");
    index.add(uuidId(3), "[ipv4-addr:value ISSUBSET '10.1.0.0/16']");
    index.add('indicator--not-a-uuid', "[file:hashes.MD5 = '79054025255FB1A26E4BC422AEF54EB4']");
    expect(index.match(one(sco('ipv4-addr', { value: '198.51.100.1' })))).toEqual([uuidId(1)]);
    expect(index.match(one(sco('ipv6-addr', { value: '2001:db8::1' })))).toEqual([uuidId(2)]);
    expect(index.match(one(sco('ipv4-addr', { value: '10.1.200.3' })))).toEqual([uuidId(3)]);
    expect(index.match(one(sco('ipv4-addr', { value: '10.1.2.0/24' })))).toEqual([uuidId(3)]);
    expect(index.match(one(sco('ipv4-addr', { value: '10.0.0.0/8' })))).toEqual([]);
    expect(index.match(one(sco('ipv4-addr', { value: '10.2.0.1' })))).toEqual([]);
    expect(index.match(one(sco('file', { hashes: { MD5: '79054025255fb1a26e4bc422aef54eb4' } })))).toEqual(['indicator--not-a-uuid']);
    expect(index.match(one(sco('domain-name', { value: '198.51.100.1' })))).toEqual([]);
  });

  it('lower-cases digests outside ASCII as the evaluator does, and reports an IOC once when several of its values match', () => {
    const index = new CompactIocIndex();
    const reference = new PatternIndex();
    const patterns: ReadonlyArray<readonly [string, string]> = [
      ['tlsh', "[file:hashes.TLSH = 'ÀB01']"],
      ['both', "[domain-name:value IN ('a.example', 'b.example') OR url:value = 'http://a.example/']"],
    ];
    for (const [id, p] of patterns) {
      index.add(id, p);
      reference.add(id, p);
    }
    const file = one(sco('file', { hashes: { TLSH: 'àb01' } }));
    expect(index.match(file)).toEqual(['tlsh']);
    expect(reference.match(file)).toEqual(['tlsh']);
    expect(index.match(one(sco('domain-name', { value: 'a.example' }), sco('domain-name', { value: 'b.example' }), sco('url', { value: 'http://a.example/' })))).toEqual(['both']);
  });

  it('replaces, removes and compacts without losing the others', () => {
    const index = new CompactIocIndex();
    for (let n = 0; n < 3000; n++) index.add(uuidId(n), `[domain-name:value = 'd${n}.example']`);
    index.add(uuidId(7), "[domain-name:value = 'replaced.example']");
    for (let n = 0; n < 3000; n += 2) expect(index.remove(uuidId(n))).toBe(true);
    expect(index.remove(uuidId(0))).toBe(false);
    expect(index.size).toBe(1500);
    index.compact();
    for (let n = 3000; n < 4000; n++) index.add(`other-${n}`, `[domain-name:value = 'd${n}.example']`);
    expect(index.match(one(sco('domain-name', { value: 'd7.example' })))).toEqual([]);
    expect(index.match(one(sco('domain-name', { value: 'replaced.example' })))).toEqual([uuidId(7)]);
    expect(index.match(one(sco('domain-name', { value: 'd8.example' })))).toEqual([]);
    expect(index.match(one(sco('domain-name', { value: 'd9.example' })))).toEqual([uuidId(9)]);
    expect(index.match(one(sco('domain-name', { value: 'd3999.example' })))).toEqual(['other-3999']);
    expect(index.size).toBe(2500);
  });
});

// Small pools, so that random IOCs and observations meet often.
const V4 = ['10.0.0.1', '10.0.0.1/32', '010.0.0.1', '10.0.0.2', '192.168.1.7', '10.0.0.0/24', '10.0.0.0/8', '10.0.1.0/31', '0.0.0.0/0', '::ffff:10.0.0.1'];
const V6 = ['2001:db8::1', '2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1/128', '::1', '2001:db8::/32', '2001:db8:1::/48', 'fe80::1'];
const TEXT = ['example.com', 'Example.com', 'evil.org', '10.0.0.1', 'http://evil.org/a', 'a@evil.org', ''];
const ALGOS = ['SHA-256', 'MD5', 'sha-256', 'SSDEEP'];
/** Digests of the algorithm's length in several cases; SSDEEP values are compared as written. */
const hashOf = (algo: string, n: number): string => {
  const base = ['abcdef01', 'ABCDEF01', 'AbCdEf01', '00ff00ff', '00FF00FF'][n % 5] as string;
  return base.repeat(algo === 'MD5' ? 4 : 8);
};
const hashPair = fc.tuple(fc.constantFrom(...ALGOS), fc.nat(4)).map(([a, n]) => [a, hashOf(a, n)] as const);
const TYPES = ['ipv4-addr', 'ipv6-addr', 'domain-name', 'url', 'email-addr'];

const address = fc.constantFrom(...V4, ...V6);
const anyValue = fc.constantFrom(...V4, ...V6, ...TEXT);

const quote = (v: string): string => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

const leaf: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom(...TYPES), anyValue).map(([t, v]) => `${t}:value = ${quote(v)}`),
  fc.tuple(fc.constantFrom('ipv4-addr', 'ipv6-addr'), address).map(([t, v]) => `${t}:value ISSUBSET ${quote(v)}`),
  fc.tuple(fc.constantFrom(...TYPES), fc.array(anyValue, { minLength: 1, maxLength: 3 })).map(([t, vs]) => `${t}:value IN (${vs.map(quote).join(', ')})`),
  hashPair.map(([a, h]) => `file:hashes.'${a}' = ${quote(h)}`),
  fc.tuple(fc.constantFrom(...TYPES), anyValue).map(([t, v]) => `${t}:value LIKE ${quote(`%${v.slice(1)}`)}`),
  fc.tuple(fc.constantFrom(...TYPES), anyValue).map(([t, v]) => `NOT ${t}:value = ${quote(v)}`),
);

const pattern: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: leaf.map((l) => `[${l}]`) },
  { weight: 2, arbitrary: fc.array(leaf, { minLength: 2, maxLength: 3 }).map((ls) => `[${ls.join(' OR ')}]`) },
  { weight: 1, arbitrary: fc.tuple(leaf, leaf).map(([a, b]) => `[${a} AND ${b}]`) },
  { weight: 1, arbitrary: fc.tuple(leaf, leaf).map(([a, b]) => `[${a}] OR [${b}]`) },
);

const object: fc.Arbitrary<StixObject> = fc.oneof(
  fc.tuple(fc.constantFrom(...TYPES), fc.oneof(anyValue, fc.constant(7) as fc.Arbitrary<unknown>)).map(([t, v]) => sco(t, { value: v })),
  fc.array(hashPair, { maxLength: 3 }).map((pairs) => sco('file', { hashes: Object.fromEntries(pairs) })),
);

const ids = fc.oneof(fc.nat(40).map(uuidId), fc.nat(40).map((n) => `indicator--${n}`));

describe('IndicatorIndex', () => {
  it('matches exactly what a PatternIndex alone matches, through adds and removes', () => {
    const ops = fc.array(fc.oneof(
      { weight: 4, arbitrary: fc.tuple(ids, pattern).map(([id, p]) => ({ kind: 'add' as const, id, p })) },
      { weight: 1, arbitrary: ids.map((id) => ({ kind: 'remove' as const, id })) },
      { weight: 1, arbitrary: fc.constant({ kind: 'compact' as const }) },
    ), { maxLength: 30 });
    fc.assert(fc.property(ops, fc.array(fc.array(object, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }), (steps, observations) => {
      const reference = new PatternIndex();
      const index = new IndicatorIndex();
      for (const s of steps) {
        if (s.kind === 'add') {
          // Patterns the checks refuse (a hash of the wrong length, a block of the other version) are refused by both.
          let refused = false;
          try {
            reference.add(s.id, s.p);
          } catch {
            refused = true;
          }
          if (refused) expect(() => index.add(s.id, s.p)).toThrow(/Invalid STIX pattern/);
          else index.add(s.id, s.p);
        } else if (s.kind === 'remove') {
          expect(index.remove(s.id)).toBe(reference.remove(s.id));
        } else {
          index.compact();
        }
      }
      expect(index.size).toBe(reference.size);
      for (const objects of observations) {
        const o = one(...objects);
        const got = index.match(o);
        expect(new Set(got).size).toBe(got.length);
        expect([...got].sort()).toEqual(reference.match(o).sort());
      }
    }), { numRuns: 400 });
  });

  it('keeps the patterns it cannot compact in the general index', () => {
    const index = new IndicatorIndex();
    index.add('a', "[domain-name:value = 'example.com']");
    index.add('b', "[domain-name:value LIKE '%.com']");
    expect([index.simple.size, index.general.size]).toEqual([1, 1]);
    index.add('a', "[domain-name:value LIKE 'example.%']");
    expect([index.simple.size, index.general.size]).toEqual([0, 2]);
    expect(index.match(one(sco('domain-name', { value: 'example.com' }))).sort()).toEqual(['a', 'b']);
    index.add('a', "[domain-name:value = 'example.org']");
    expect([index.simple.size, index.general.size]).toEqual([1, 1]);
    expect(index.match(one(sco('domain-name', { value: 'example.org' })))).toEqual(['a']);
  });
});

describe('CompactIocIndex lookups of single values', () => {
  const index = new CompactIocIndex();
  index.add(uuidId(1), "[ipv4-addr:value = '1.2.3.4']");
  index.add(uuidId(2), "[ipv4-addr:value ISSUBSET '10.0.0.0/8']");
  index.add(uuidId(3), "[ipv6-addr:value = '2001:db8::1']");
  index.add(uuidId(4), "[domain-name:value = 'evil.example']");
  index.add(uuidId(5), "[url:value = 'http://evil.example/x']");
  index.add(uuidId(6), "[file:hashes.'SHA-256' = 'AB" + 'c'.repeat(62) + "']");

  it('hasAddress agrees with the address parser on dotted text, blocks and junk', () => {
    const octet = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom('', '0001', '01', 'x'));
    const text = fc.oneof(
      fc.tuple(octet, octet, octet, octet, fc.constantFrom('', '/8', '/32', '/33', '/', '.1')).map(([a, b, c, d, tail]) => `${a}.${b}.${c}.${d}${tail}`),
      fc.constantFrom('1.2.3.4', '10.9.8.7', '10.0.0.0/8', '10.0.0.0/7', '1.2.3', '1.2.3.4.5', '.1.2.3', '1..2.3', ''),
      fc.string(),
    );
    fc.assert(fc.property(text, (value) => {
      const p = value.includes(':') ? undefined : parseIpv4(value);
      const expected = p !== undefined && ((p.prefix === 32 && p.bits === 0x01020304) || (p.prefix >= 8 && Math.floor(p.bits / 2 ** 24) === 10));
      expect(index.hasAddress(value)).toBe(expected);
    }), { numRuns: 2000 });
  });

  it('answers as match does for IPv6, domains (lower-cased, root dot dropped), URLs and digests', () => {
    expect(index.hasAddress('2001:DB8:0::1')).toBe(true);
    expect(index.hasAddress('2001:db8::2')).toBe(false);
    expect([index.hasDomain('Evil.Example.'), index.hasDomain('evil.example'), index.hasDomain('evil.example..'), index.hasDomain('good.example')]).toEqual([true, true, false, false]);
    expect([index.hasText('url', 'http://evil.example/x'), index.hasText('url', 'http://evil.example/X')]).toEqual([true, false]);
    expect([index.hasHash('SHA-256', 'ab' + 'C'.repeat(62)), index.hasHash('SHA-1', 'ab' + 'c'.repeat(62)), index.hasHash('name', 'x')]).toEqual([true, false, false]);
    expect([index.has(uuidId(4)), index.has(uuidId(7))]).toEqual([true, false]);
  });
});

describe('CompactIocIndex in shared memory', () => {
  it('shares its tables without changing what matches, and views of them only read', () => {
    const index = new CompactIocIndex();
    for (let n = 0; n < 500; n++) index.add(uuidId(n), `[ipv4-addr:value = '10.0.${n >> 8}.${n & 255}']`);
    index.add('indicator--not-a-uuid', "[ipv6-addr:value ISSUBSET '2001:db8::/32']");
    index.compact();
    const shared = index.share();
    expect(shared.keys.buffer).toBeInstanceOf(SharedArrayBuffer);
    const clone = structuredClone(shared);
    const view = CompactIocIndex.fromShared(clone);
    const probe = one(sco('ipv4-addr', { value: '10.0.1.7' }), sco('ipv6-addr', { value: '2001:db8::5' }));
    expect(view.match(probe)).toEqual(index.match(probe));
    expect(view.match(probe)).toEqual([uuidId(263), 'indicator--not-a-uuid']);
    expect(view.size).toBe(501);
    expect(view.has(uuidId(3))).toBe(true);
    expect(() => view.add(uuidId(9999), "[ipv4-addr:value = '1.1.1.1']")).toThrow(/read-only/);
    expect(() => view.remove(uuidId(1))).toThrow(/read-only/);
    // The same memory: a change in place is seen by the view (the index must not change while shared).
    index.remove(uuidId(263));
    expect(view.match(probe)).toEqual(['indicator--not-a-uuid']);
  });
});
