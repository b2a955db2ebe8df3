import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchPattern } from './evaluator.js';
import { readObservations, type Observation, type StixObject } from './observations.js';
import { parsePattern } from './parse.js';
import { PatternIndex } from './pattern-index.js';
import { observed, sco } from './test-builders.js';

function one(...objects: StixObject[]): Observation {
  return readObservations(observed(objects))[0] as Observation;
}

function indexOf(patterns: Record<string, string>): PatternIndex {
  const index = new PatternIndex();
  for (const [id, p] of Object.entries(patterns)) index.add(id, p);
  return index;
}

describe('PatternIndex', () => {
  it('finds equality patterns by type, path and value only', () => {
    const index = indexOf({
      md5: "[file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4']",
      name: "[file:name = 'foo.dll']",
      size: '[file:size = 25536]',
      other: "[process:name = 'foo.dll']",
    });
    const file = one(sco('file', { name: 'foo.dll', size: 25536.0, hashes: { MD5: '79054025255fb1a26e4bc422aef54eb4' } }));
    expect([...index.candidates(file)].sort()).toEqual(['md5', 'name', 'size']);
    expect(index.match(file).sort()).toEqual(['md5', 'name', 'size']);
  });

  it('keys equal values alike: /32 addresses, timestamps at any precision, hex and base64', () => {
    const index = indexOf({
      ip: "[ipv4-addr:value = '198.51.100.1/32']",
      ts: "[file:created = t'2014-01-13T07:03:17Z']",
      bin: "[artifact:payload_bin = h'7468697320697320612074657374']",
      text: "[artifact:payload_bin = 'this is a test']",
    });
    expect(index.match(one(sco('ipv4-addr', { value: '198.51.100.1' })))).toEqual(['ip']);
    expect(index.match(one(sco('file', { created: '2014-01-13T07:03:17.000Z' })))).toEqual(['ts']);
    expect(index.match(one(sco('artifact', { payload_bin: 'dGhpcyBpcyBhIHRlc3Q=' })))).toEqual(['bin', 'text']);
  });

  it('follows references when indexing, as patterns do', () => {
    const index = indexOf({ c2: "[network-traffic:dst_ref.value = '203.0.113.33']" });
    const ip = sco('ipv4-addr', { value: '203.0.113.33' });
    expect(index.match(one(sco('network-traffic', { dst_ref: ip.id }), ip))).toEqual(['c2']);
  });

  it('finds CIDR blocks containing an address (ISSUBSET) at any prefix length', () => {
    const index = indexOf({
      a: "[ipv4-addr:value ISSUBSET '10.0.0.0/8']",
      b: "[ipv4-addr:value ISSUBSET '10.1.0.0/16']",
      c: "[ipv4-addr:value ISSUBSET '192.168.0.0/16']",
      d: "[ipv6-addr:value ISSUBSET '2001:db8::/32']",
    });
    expect(index.match(one(sco('ipv4-addr', { value: '10.1.2.3' })))).toEqual(['a', 'b']);
    expect(index.match(one(sco('ipv4-addr', { value: '10.2.0.0/16' })))).toEqual(['a']);
    expect(index.match(one(sco('ipv6-addr', { value: '2001:db8:1::5' })))).toEqual(['d']);
  });

  it('finds CIDR blocks on properties other than value, in custom objects and lists', () => {
    const index = indexOf({ src: "[x-fw:src_ip ISSUBSET '10.0.0.0/8']", nets: "[x-fw:nets[*] ISSUBSET '192.0.2.0/24']" });
    expect(index.match(one(sco('x-fw', { src_ip: '10.9.8.7', nets: ['198.51.100.0/24', '192.0.2.64/26'] })))).toEqual(['src', 'nets']);
    expect(index.match(one(sco('x-fw', { src_ip: 'ten', nets: [] })))).toEqual([]);
  });

  it('finds domain suffix patterns through the parent domains of the value', () => {
    const index = indexOf({ sfx: "[domain-name:value LIKE '%.example.com']", eq: "[domain-name:value = 'example.com']" });
    expect(index.match(one(sco('domain-name', { value: 'a.b.example.com' })))).toEqual(['sfx']);
    expect(index.match(one(sco('domain-name', { value: 'badexample.com' })))).toEqual([]);
    expect([...index.candidates(one(sco('domain-name', { value: 'badexample.com' })))]).toEqual([]);
  });

  it('pre-filters LIKE and MATCHES by their literal fragments', () => {
    const index = indexOf({ like: "[process:command_line LIKE '%mimikatz%']", re: "[process:command_line MATCHES '^powershell.+-enc ']" });
    expect([...index.candidates(one(sco('process', { command_line: 'notepad.exe' })))]).toEqual([]);
    expect(index.match(one(sco('process', { command_line: 'c:\\t\\mimikatz.exe' })))).toEqual(['like']);
    expect(index.match(one(sco('process', { command_line: 'powershell.exe -nop -enc AAA' })))).toEqual(['re']);
  });

  it('evaluates patterns it cannot narrow against every observation', () => {
    const index = indexOf({ neg: "[file:name NOT = 'a']" });
    expect(index.match(one(sco('file', { name: 'b' })))).toEqual(['neg']);
    expect(index.match(one(sco('file', { name: 'a' })))).toEqual([]);
  });

  it('adds, replaces and removes indicators incrementally', () => {
    const index = indexOf({ x: "[file:name = 'a']", y: "[file:name = 'a']" });
    const a = one(sco('file', { name: 'a' }));
    expect(index.remove('x')).toBe(true);
    expect(index.remove('x')).toBe(false);
    expect(index.match(a)).toEqual(['y']);
    index.add('y', "[file:name = 'b']");
    expect(index.match(a)).toEqual([]);
    expect(index.size).toBe(1);
    index.add('z', "[ipv4-addr:value ISSUBSET '10.0.0.0/8']");
    index.remove('z');
    expect(index.match(one(sco('ipv4-addr', { value: '10.0.0.1' })))).toEqual([]);
  });

  it('rejects invalid patterns with ENTENTE_PATTERN_INVALID', () => {
    expect(() => new PatternIndex().add('bad', '[file:name = ')).toThrow(/column 14/);
  });
});

// Property: the index returns exactly what evaluating every pattern would return.
const names = ['a.exe', 'b.dll', 'evil.exe', 'x.example.com', 'example.com'];
const ips = ['10.0.0.1', '10.1.2.3', '192.168.1.1', '10.0.0.1/32', '2001:db8::1'];
const value = fc.oneof(fc.constantFrom(...names), fc.integer({ min: 0, max: 3 }));
const scoArb = fc.oneof(
  fc.record({ name: value, size: fc.integer({ min: 0, max: 3 }) }, { requiredKeys: [] }).map((p) => sco('file', p)),
  fc.constantFrom(...ips).map((v) => sco(v.includes(':') ? 'ipv6-addr' : 'ipv4-addr', { value: v })),
  fc.constantFrom(...names).map((v) => sco('domain-name', { value: v })),
  fc.constantFrom(...ips, ...names).map((v) => sco('x-fw', { src_ip: v })),
);
/** Network traffic with its destination address, so reference paths are exercised. */
const trafficArb = fc.tuple(fc.constantFrom(...ips), fc.subarray(['ipv4', 'tcp', 'udp'])).map(([ip, protocols]) => {
  const dst = sco(ip.includes(':') ? 'ipv6-addr' : 'ipv4-addr', { value: ip });
  return [sco('network-traffic', { dst_ref: dst.id, protocols }), dst];
});
const objectsArb = fc.tuple(fc.array(scoArb, { maxLength: 3 }), fc.option(trafficArb, { nil: undefined }))
  .map(([objects, traffic]) => [...objects, ...(traffic ?? [])])
  .filter((objects) => objects.length > 0);
const fileTest = fc.oneof(
  fc.constantFrom(...names).map((n) => `file:name = '${n}'`),
  fc.constantFrom(...names).map((n) => `file:name != '${n}'`),
  fc.integer({ min: 0, max: 3 }).map((n) => `file:size = ${n}`),
  fc.integer({ min: 0, max: 3 }).map((n) => `file:size > ${n}`),
  fc.constantFrom("file:name LIKE '%.exe'", "file:name LIKE 'evil%'", "file:name MATCHES 'exe$'", "file:name MATCHES 'evil'", 'EXISTS file:size', 'NOT EXISTS file:size', "file:name NOT IN ('a.exe', 'b.dll')", "file:name IN ('a.exe', 1)".replace(', 1', ", 'evil.exe'")),
);
const comparison = fc.oneof(
  fc.tuple(fileTest, fc.constantFrom('AND', 'OR'), fileTest).map(([a, op, b]) => `[${a} ${op} ${b}]`),
  fileTest.map((t) => `[${t}]`),
  fc.constantFrom(...ips).map((ip) => `[${ip.includes(':') ? 'ipv6' : 'ipv4'}-addr:value = '${ip}']`),
  fc.constantFrom("[ipv4-addr:value ISSUBSET '10.0.0.0/8']", "[ipv4-addr:value ISSUBSET '10.1.0.0/16']", "[ipv6-addr:value ISSUBSET '2001:db8::/32']",
    "[x-fw:src_ip ISSUBSET '10.0.0.0/8']", "[x-fw:src_ip NOT ISSUBSET '10.1.0.0/16']", "[x-fw:src_ip ISSUPERSET '10.0.0.1']"),
  fc.constantFrom("[domain-name:value LIKE '%.example.com']", "[domain-name:value = 'example.com']"),
  fc.constantFrom(...ips).map((ip) => `[network-traffic:dst_ref.value = '${ip}']`),
  fc.constantFrom("[network-traffic:protocols[*] = 'tcp']", "[network-traffic:protocols[0] = 'ipv4']", "[network-traffic:dst_ref.value ISSUBSET '10.0.0.0/8' AND network-traffic:protocols[*] != 'udp']",
    '[EXISTS network-traffic:dst_ref]', "[network-traffic:dst_ref.type = 'ipv6-addr']", "[network-traffic:protocols NOT = 'tcp']"),
);
const patternText = fc.oneof(
  comparison,
  fc.tuple(comparison, fc.constantFrom('AND', 'OR', 'FOLLOWEDBY'), comparison).map(([a, op, b]) => `${a} ${op} ${b}`),
  comparison.map((c) => `${c} REPEATS 2 TIMES`),
);

describe('PatternIndex against a loop over every pattern', () => {
  it('returns exactly the indicators whose pattern matches', () => {
    fc.assert(fc.property(fc.array(patternText, { minLength: 1, maxLength: 15 }), objectsArb, fc.integer({ min: 1, max: 2 }), (patterns, objects, count) => {
      const index = new PatternIndex();
      patterns.forEach((p, i) => index.add(`i${i}`, p));
      const observation = readObservations(observed(objects, { count }))[0] as Observation;
      const expected = patterns.map((p, i) => (matchPattern(parsePattern(p), [observation]).matched ? `i${i}` : '')).filter((id) => id !== '');
      expect(index.match(observation).sort()).toEqual(expected.sort());
    }), { numRuns: 300 });
  });
});
