import { describe, expect, it } from 'vitest';
import { matchPattern } from './evaluator.js';
import { readObservations, type StixObject } from './observations.js';
import { embedded, observed, sco } from './test-builders.js';

/** True when the pattern matches a single observed-data holding `objects`. */
function matches(pattern: string, ...objects: StixObject[]): boolean {
  return matchPattern(pattern, readObservations(observed(objects))).matched;
}

describe('equality and order (section 9.6.1)', () => {
  const file = sco('file', { name: 'foo.dll', size: 25536, created: '2014-01-13T07:03:17.000Z', is_x: true, ratio: 1.5 });

  it.each([
    ["[file:name = 'foo.dll']", true], ["[file:name = 'FOO.dll']", false], ["[file:name != 'bar.dll']", true],
    ['[file:size = 25536]', true], ['[file:size = 25536.0]', true], ['[file:ratio = 1]', false], ['[file:ratio > 1]', true],
    ['[file:size > 256]', true], ['[file:size < 1024]', false], ['[file:size <= 25536]', true], ['[file:size >= 25537]', false],
    ["[file:name > 'foo']", true], ["[file:name < 'foo']", false],
    ['[file:is_x = true]', true], ['[file:is_x != true]', false],
    ["[file:created = t'2014-01-13T07:03:17Z']", true], ["[file:created > t'2014-01-13T07:03:16.999Z']", true],
    ["[file:created < t'2014-01-13T07:03:17.0000001Z']", true],
  ])('%s → %s', (pattern, expected) => {
    expect(matches(pattern, file)).toBe(expected);
  });

  it('treats incompatible types as unequal: = is false, != is true', () => {
    expect(matches("[file:size = '25536']", file)).toBe(false);
    expect(matches("[file:size != '25536']", file)).toBe(true);
    expect(matches("[file:name < 5]", file)).toBe(false);
    expect(matches("[file:name = t'2014-01-13T07:03:17Z']", file)).toBe(false);
  });

  it('is false on an absent path whatever the operator, NOT and != included', () => {
    expect(matches("[file:missing != 'x']", file)).toBe(false);
    expect(matches("[file:missing NOT = 'x']", file)).toBe(false);
    expect(matches("[file:missing NOT IN ('x')]", file)).toBe(false);
  });

  it('reads a JSON null as an absent property', () => {
    const log = sco('x-auth-log', { user: null, host: 'srv-1' });
    expect(matches("[x-auth-log:user != 'root']", log)).toBe(false);
    expect(matches("[x-auth-log:user NOT = 'root']", log)).toBe(false);
    expect(matches('[EXISTS x-auth-log:user]', log)).toBe(false);
    expect(matches('[NOT EXISTS x-auth-log:user]', log)).toBe(true);
  });

  it('treats a string that is no timestamp as another type when the constant is t\'..\', without failing the match', () => {
    const bad = sco('x-auth-log', { at: 'yesterday, 10pm' });
    const good = sco('x-auth-log', { at: '2024-03-01T22:00:00.000Z' });
    expect(matches("[x-auth-log:at = t'2024-03-01T22:00:00Z']", bad)).toBe(false);
    expect(matches("[x-auth-log:at != t'2024-03-01T22:00:00Z']", bad)).toBe(true);
    expect(matches("[x-auth-log:at > t'2000-01-01T00:00:00Z']", bad)).toBe(false);
    expect(matches("[x-auth-log:at = t'2024-03-01T22:00:00Z']", bad, good)).toBe(true);
  });

  it('negates the whole comparison with NOT', () => {
    expect(matches("[file:name NOT = 'foo.dll']", file)).toBe(false);
    expect(matches("[file:name NOT LIKE 'bar%']", file)).toBe(true);
  });

  it('orders strings by code point, without normalisation (section 9.6.2)', () => {
    const o = (name: string): StixObject => sco('file', { name });
    expect(matches("[file:name < 'oz']", o('o'))).toBe(true);
    expect(matches("[file:name < 'o\u0300']", o('oz'))).toBe(true);
    expect(matches("[file:name < 'z']", o('o\u0300'))).toBe(true);
    expect(matches("[file:name < '\u00f2']", o('z'))).toBe(true);
    expect(matches("[file:name = '\u00f2']", o('o\u0300'))).toBe(false);
    expect(matches("[file:name > '\uffff']", o('\u{1f600}'))).toBe(true);
  });

  it('matches IN against any member and NOT IN against none', () => {
    const p = sco('process', { name: 'proximus' });
    expect(matches("[process:name IN ('proccy', 'proximus', 'badproc')]", p)).toBe(true);
    expect(matches("[process:name NOT IN ('proccy', 'proximus')]", p)).toBe(false);
    expect(matches('[process:name IN ()]', p)).toBe(false);
  });
});

describe('binary, hex and string conversions (sections 9.6.3, 9.6.4)', () => {
  const artifact = sco('artifact', { mime_type: 'application/octet-stream', payload_bin: 'dGhpcyBpcyBhIHRlc3Q=' });

  it('decodes binary properties before comparing, as in the specification example', () => {
    expect(matches("[artifact:payload_bin = 'dGhpcyBpcyBhIHRlc3Q=']", artifact)).toBe(false);
    expect(matches("[artifact:payload_bin = 'this is a test']", artifact)).toBe(true);
    expect(matches("[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=']", artifact)).toBe(true);
    expect(matches("[artifact:payload_bin = h'7468697320697320612074657374']", artifact)).toBe(true);
  });

  it('is false (and != true) when a string cannot convert to binary', () => {
    expect(matches("[artifact:payload_bin = 'this is a t\u0100st']", artifact)).toBe(false);
    expect(matches("[artifact:payload_bin != 'this is a t\u0100st']", artifact)).toBe(true);
  });

  it('compares hex properties as octets and orders shorter values first', () => {
    const file = sco('file', { magic_number_hex: 'FFD8' });
    expect(matches("[file:magic_number_hex = h'ffd8']", file)).toBe(true);
    expect(matches("[file:magic_number_hex = b'/9g=']", file)).toBe(true);
    expect(matches("[file:magic_number_hex > h'ff']", file)).toBe(true);
    expect(matches("[file:magic_number_hex < h'ffd800']", file)).toBe(true);
  });

  it('compares a binary constant with a string property through its code points', () => {
    expect(matches("[file:name = h'414243']", sco('file', { name: 'ABC' }))).toBe(true);
  });
});

describe('LIKE and MATCHES', () => {
  const dir = sco('directory', { path: 'C:\\Windows\\System32\\foo' });

  it('treats % as any run and _ as one character', () => {
    expect(matches("[directory:path LIKE 'C:\\\\Windows\\\\%\\\\foo']", dir)).toBe(true);
    expect(matches("[directory:path LIKE 'C:\\\\Windows\\\\%']", dir)).toBe(true);
    expect(matches("[directory:path LIKE 'C:\\\\Windows']", dir)).toBe(false);
    expect(matches("[directory:path LIKE '_:%']", dir)).toBe(true);
    expect(matches("[directory:path LIKE '__:%']", dir)).toBe(false);
    expect(matches("[file:name LIKE 'a.c']", sco('file', { name: 'abc' }))).toBe(false);
  });

  it('takes hyphens and slashes in a LIKE pattern literally', () => {
    const url = sco('url', { value: 'http://update-checker.example/a-b/c' });
    expect(matches("[url:value LIKE 'http://update-checker.example/%']", url)).toBe(true);
    expect(matches("[url:value LIKE '%/a-b/%']", url)).toBe(true);
    expect(matches("[url:value LIKE '%/a_b/%']", url)).toBe(true);
    expect(matches("[url:value LIKE '%/a-c/%']", url)).toBe(false);
  });

  it('NFC-normalises both sides of LIKE', () => {
    expect(matches("[file:name LIKE 'caf\u00e9%']", sco('file', { name: 'cafe\u0301.txt' }))).toBe(true);
  });

  it('NFC-normalises the expression of MATCHES as it does the value', () => {
    // U+0064 U+0323 U+0307 (decomposed) and U+1E0D U+0307 are one text once normalised.
    const decomposed = 'd\u0323\u0307';
    expect(matches(`[x-note:text MATCHES '^${decomposed}$']`, sco('x-note', { text: '\u1e0d\u0307' }))).toBe(true);
    expect(matches("[x-note:text MATCHES '^\u1e0d\u0307$']", sco('x-note', { text: decomposed }))).toBe(true);
    expect(matches(`[x-note:text = '${decomposed}']`, sco('x-note', { text: '\u1e0d\u0307' }))).toBe(false);
  });

  it('searches with MATCHES, with DOTALL and PCRE escapes', () => {
    expect(matches("[directory:path MATCHES 'System32']", dir)).toBe(true);
    expect(matches("[directory:path MATCHES '^C:\\\\\\\\Windows\\\\\\\\\\\\w+\\\\\\\\foo$']", dir)).toBe(true);
    expect(matches("[file:name MATCHES '^a.b$']", sco('file', { name: 'a\nb' }))).toBe(true);
    expect(matches("[email-addr:value MATCHES '.+\\\\@example\\\\.com$']", sco('email-addr', { value: 'jdoe@example.com' }))).toBe(true);
    expect(matches("[file:name MATCHES '(?i)^FOO']", sco('file', { name: 'foo.dll' }))).toBe(true);
  });

  it('matches binary properties byte by byte (the PCAP header example)', () => {
    const pcap = sco('artifact', { mime_type: 'application/vnd.tcpdump.pcap', payload_bin: Buffer.from([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 9]).toString('base64') });
    expect(matches("[artifact:mime_type = 'application/vnd.tcpdump.pcap' AND artifact:payload_bin MATCHES '\\\\xd4\\\\xc3\\\\xb2\\\\xa1\\\\x02\\\\x00\\\\x04\\\\x00']", pcap)).toBe(true);
    expect(matches("[artifact:payload_bin MATCHES '^\\\\xc3']", pcap)).toBe(false);
  });
});

describe('ISSUBSET and ISSUPERSET', () => {
  it.each([
    ['198.51.100.0/27', "ISSUBSET '198.51.100.0/24'", true],
    ['198.51.100.0/24', "ISSUBSET '198.51.100.0/27'", false],
    ['198.51.100.0/24', "ISSUPERSET '198.51.100.0/27'", true],
    ['198.51.100.7', "ISSUBSET '198.51.100.0/24'", true],
    ['198.51.100.7', "ISSUBSET '198.51.100.7'", true],
    ['10.0.0.1', "ISSUBSET '198.51.100.0/24'", false],
    ['10.0.0.1', "NOT ISSUBSET '198.51.100.0/24'", true],
  ])('ipv4 %s %s → %s', (value, test, expected) => {
    expect(matches(`[ipv4-addr:value ${test}]`, sco('ipv4-addr', { value }))).toBe(expected);
  });

  it('applies to addresses in any property, and is false for values that are not addresses', () => {
    const log = sco('x-firewall-log', { src_ip: '10.1.2.3', nets: ['192.0.2.0/25', '2001:db8::/48'], port: 443, note: 'ten' });
    expect(matches("[x-firewall-log:src_ip ISSUBSET '10.0.0.0/8']", log)).toBe(true);
    expect(matches("[x-firewall-log:nets[*] ISSUPERSET '2001:db8::7']", log)).toBe(true);
    expect(matches("[x-firewall-log:nets[0] ISSUPERSET '192.0.2.200']", log)).toBe(false);
    expect(matches("[x-firewall-log:port ISSUBSET '10.0.0.0/8']", log)).toBe(false);
    expect(matches("[x-firewall-log:note NOT ISSUBSET '10.0.0.0/8']", log)).toBe(true);
    expect(matches("[x-firewall-log:src_ip ISSUBSET '2001:db8::/32']", log)).toBe(false);
  });

  it('handles IPv6 with zero compression', () => {
    expect(matches("[ipv6-addr:value ISSUBSET '2001:0db8:dead:beef:0000:0000:0000:0000/64']", sco('ipv6-addr', { value: '2001:db8:dead:beef::1' }))).toBe(true);
    expect(matches("[ipv6-addr:value ISSUBSET '2001:db8:dead:bef0::/64']", sco('ipv6-addr', { value: '2001:db8:dead:beef::1' }))).toBe(false);
    expect(matches("[ipv6-addr:value ISSUPERSET '::ffff:192.0.2.1']", sco('ipv6-addr', { value: '::ffff:0:0/96' }))).toBe(true);
  });

  it('treats an address with and without /32 as equal', () => {
    expect(matches("[ipv4-addr:value = '198.51.100.1/32']", sco('ipv4-addr', { value: '198.51.100.1' }))).toBe(true);
    expect(matches("[ipv6-addr:value = '2001:db8::1']", sco('ipv6-addr', { value: '2001:0db8:0:0:0:0:0:1/128' }))).toBe(true);
    expect(matches("[ipv4-addr:value = '198.51.100.2']", sco('ipv4-addr', { value: '198.51.100.1' }))).toBe(false);
  });
});

describe('object paths (section 9.7)', () => {
  it('tries every element with [*] and one with an index', () => {
    const nt = sco('network-traffic', { protocols: ['ipv4', 'tcp', 'http'] });
    expect(matches("[network-traffic:protocols[*] = 'http']", nt)).toBe(true);
    expect(matches("[network-traffic:protocols[0] = 'ipv4']", nt)).toBe(true);
    expect(matches("[network-traffic:protocols[0] = 'tcp']", nt)).toBe(false);
    expect(matches("[network-traffic:protocols[3] != 'x']", nt)).toBe(false);
    expect(matches("[network-traffic:protocols[*] NOT = 'http']", nt)).toBe(false);
  });

  it('reads extension and dictionary paths', () => {
    const pe = sco('file', { extensions: { 'windows-pebinary-ext': { sections: [{ entropy: 3.2 }, { entropy: 7.9 }] } } });
    expect(matches("[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]", pe)).toBe(true);
    expect(matches("[file:extensions.'windows-pebinary-ext'.sections[0].entropy > 7.0]", pe)).toBe(false);
  });

  it('follows _ref and _refs to other SCOs of the same observation', () => {
    const from = sco('email-addr', { value: 'jdoe@example.com' });
    const attachment = sco('file', { name: 'Final Report 2024.exe' });
    const mail = sco('email-message', { from_ref: from.id, body_multipart: [{ body: 'hi' }, { body_raw_ref: attachment.id }] });
    expect(matches("[email-message:from_ref.value MATCHES '.+\\\\@example\\\\.com$' AND email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\\\.exe$']", mail, from, attachment)).toBe(true);
    const domain = sco('domain-name', { value: 'www.5z8.info', resolves_to_refs: [sco('ipv4-addr').id] });
    const ip = sco('ipv4-addr', { value: '198.51.100.1' });
    const d2 = { ...domain, resolves_to_refs: [ip.id] };
    expect(matches("[domain-name:value = 'www.5z8.info' AND domain-name:resolves_to_refs[*].value = '198.51.100.1/32']", d2, ip)).toBe(true);
  });

  it('does not follow a reference to an object outside object_refs (section 9.7.4)', () => {
    const ip = sco('ipv4-addr', { value: '203.0.113.10' });
    const nt = sco('network-traffic', { src_ref: ip.id });
    const items = [...observed([nt]), ip];
    expect(matchPattern("[network-traffic:src_ref.value = '203.0.113.10']", readObservations(items)).matched).toBe(false);
    expect(matchPattern("[network-traffic:src_ref = '" + ip.id + "']", readObservations(items)).matched).toBe(true);
  });

  it('starts every comparison of an observation expression from one SCO (section 9.5 example)', () => {
    const od = embedded({
      0: { type: 'network-traffic', src_ref: '1' }, 1: { type: 'ipv4-addr', value: '203.0.113.10' },
      2: { type: 'network-traffic', dst_ref: '3' }, 3: { type: 'ipv4-addr', value: '198.51.100.58' },
    });
    const pattern = "[network-traffic:src_ref.value = '203.0.113.10' AND network-traffic:dst_ref.value = '198.51.100.58']";
    expect(matchPattern(pattern, readObservations(od)).matched).toBe(false);
    const joined = embedded({ 0: { type: 'network-traffic', src_ref: '1', dst_ref: '2' }, 1: { type: 'ipv4-addr', value: '203.0.113.10' }, 2: { type: 'ipv4-addr', value: '198.51.100.58' } });
    expect(matchPattern(pattern, readObservations(joined)).matched).toBe(true);
  });

  it('reads NOT EXISTS as the absence of the property on an object of the path\'s type', () => {
    const key = sco('windows-registry-key', { key: 'HKEY_LOCAL_MACHINE\\Software\\Example' });
    const withValues = sco('windows-registry-key', { key: 'HKEY_LOCAL_MACHINE\\Software\\Other', values: [{ name: 'Run' }] });
    expect(matches('[NOT EXISTS windows-registry-key:values]', key)).toBe(true);
    expect(matches('[NOT EXISTS windows-registry-key:values]', withValues)).toBe(false);
    expect(matches('[NOT EXISTS windows-registry-key:values]', sco('file', { name: 'a' }))).toBe(false);
    expect(matches("[NOT EXISTS windows-registry-key:values AND windows-registry-key:key LIKE '%Example']", key, withValues)).toBe(true);
  });

  it('matches custom object types and EXISTS', () => {
    const usb = sco('x-usb-device', { usbdrive: { serial_number: '575833314133343231313937' } });
    expect(matches("[x-usb-device:usbdrive.serial_number = '575833314133343231313937']", usb)).toBe(true);
    expect(matches('[EXISTS x-usb-device:usbdrive]', usb)).toBe(true);
    expect(matches('[EXISTS x-usb-device:vendor]', usb)).toBe(false);
  });

  it('ignores inherited properties of plain objects', () => {
    expect(matches('[EXISTS file:constructor]', sco('file', { name: 'a' }))).toBe(false);
  });
});
