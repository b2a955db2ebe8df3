import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson } from './canonical-json.js';
import { deterministicScoId, uuidV5 } from './sco-id.js';
import { parseIdentifier, refAllows } from './identifier.js';
import { titleOf } from './index.js';
import { isIpv6 } from './rules/sco-rules.js';

describe('canonicalJson (RFC 8785)', () => {
  it('sorts keys and drops whitespace', () => {
    expect(canonicalJson({ b: [1, { d: 1, c: 2 }], a: 'é' })).toBe('{"a":"é","b":[1,{"c":2,"d":1}]}');
  });

  it('serialises numbers the ECMAScript way', () => {
    expect(canonicalJson([1e21, 0.1, -0, 100])).toBe('[1e+21,0.1,0,100]');
  });

  it('does not depend on key order and round-trips', () => {
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })), (value) => {
      const reversed = Object.fromEntries(Object.entries(value).reverse());
      expect(canonicalJson(reversed)).toBe(canonicalJson(value));
      expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
    }));
  });
});

describe('deterministic SCO ids', () => {
  it('match the ids other STIX 2.1 producers compute', () => {
    // Values computed independently with Python's uuid.uuid5 over the canonical JSON.
    expect(deterministicScoId('ipv4-addr', { value: '198.51.100.3' }, ['value'])).toBe('ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4');
    expect(deterministicScoId('domain-name', { value: 'example.com' }, ['value'])).toBe('domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7');
  });

  it('use only the preferred hash', () => {
    const one = deterministicScoId('file', { hashes: { 'SHA-256': 'a'.repeat(64), MD5: 'b'.repeat(32) } }, ['hashes']);
    expect(one).toBe(deterministicScoId('file', { hashes: { MD5: 'b'.repeat(32) } }, ['hashes']));
  });

  it('are undefined without contributing properties', () => {
    expect(deterministicScoId('process', { pid: 4 }, [])).toBeUndefined();
  });

  it('produce version 5 RFC 4122 UUIDs', () => {
    fc.assert(fc.property(fc.string(), (name) => {
      const parsed = parseIdentifier(`x-test--${uuidV5(name)}`);
      expect(typeof parsed === 'object' && parsed.version).toBe(5);
    }));
  });
});

describe('identifiers and reference targets', () => {
  it('refuses UUIDs outside RFC 4122', () => {
    expect(parseIdentifier('indicator--00000000-0000-0000-0000-000000000000')).toBe('not-rfc4122');
    expect(parseIdentifier('indicator--6ba7b810-9dad-41d1-c0b4-00c04fd430c8')).toBe('not-rfc4122');
    expect(parseIdentifier('indicator--6ba7b810')).toBe('format');
  });

  it('admits custom types where a category is expected but never a bundle', () => {
    expect(refAllows('sdo', 'x-acme-plan')).toBe(true);
    expect(refAllows('sdo', 'ipv4-addr')).toBe(false);
    expect(refAllows('any', 'bundle')).toBe(false);
  });
});

describe('titleOf', () => {
  it('prefers name, then value, then pattern, and falls back to the id', () => {
    expect(titleOf({ id: 'indicator--1', name: 'C2', pattern: '[x]' })).toBe('C2');
    expect(titleOf({ id: 'ipv4-addr--1', value: '10.0.0.1' })).toBe('10.0.0.1');
    expect(titleOf({ id: 'indicator--1', pattern: "[url:value = 'x']" })).toBe("[url:value = 'x']");
    expect(titleOf({ id: 'windows-registry-key--1', key: 'HKEY_LOCAL_MACHINE\\Run' })).toBe('HKEY_LOCAL_MACHINE\\Run');
    expect(titleOf({ id: 'artifact--1' })).toBe('artifact--1');
  });

  it('names sightings by what was sighted and nameless files by a hash', () => {
    expect(titleOf({ type: 'sighting', id: 'sighting--1', sighting_of_ref: 'indicator--2' })).toBe('sighting of indicator--2');
    expect(titleOf({ type: 'file', id: 'file--1', hashes: { MD5: 'abc' } })).toBe('MD5:abc');
  });

  it('describes a relationship by its ends', () => {
    expect(titleOf({ type: 'relationship', id: 'relationship--1', source_ref: 'a', relationship_type: 'uses', target_ref: 'b' })).toBe('a uses b');
  });

  it('keeps titles to one line of at most 200 characters', () => {
    const title = titleOf({ id: 'note--1', content: `line one\nline two ${'x'.repeat(500)}` });
    expect(title.length).toBe(200);
    expect(title).not.toContain('\n');
  });
});

describe('isIpv6', () => {
  it('accepts the text forms of RFC 4291 with optional prefix', () => {
    for (const ok of ['::', '::1', '2001:db8::1', '2001:db8:0:0:0:0:2:1', '::ffff:192.0.2.1', '2001:db8::/32', 'fe80::1:2:3:4:5:6']) expect(isIpv6(ok)).toBe(true);
  });

  it('refuses malformed addresses', () => {
    for (const bad of ['2001:db8:::1', '1:2:3:4:5:6:7:8:9', '2001:db8::g', '192.0.2.1', '2001:db8::/129', '1::2::3']) expect(isIpv6(bad)).toBe(false);
  });
});

describe('validationError', () => {
  it('is undefined for a valid result', async () => {
    const { validationError } = await import('./validation-error.js');
    expect(validationError({ valid: true, errors: [], warnings: [] })).toBeUndefined();
  });

  it('maps duplicates alone to ENTENTE_STIX_DUPLICATE_ID and mixed errors to ENTENTE_STIX_INVALID, with paths in details', async () => {
    const { validationError } = await import('./validation-error.js');
    const issue = (code: string, path: string) => ({ severity: 'error' as const, code, path, message: code });
    const duplicate = validationError({ valid: false, errors: [issue('duplicate-object', '$.objects[2]')], warnings: [] });
    expect(duplicate?.code).toBe('ENTENTE_STIX_DUPLICATE_ID');
    const mixed = validationError({ valid: false, errors: [issue('invalid-ref-type', '$.a'), issue('required-property', '$.b')], warnings: [] });
    expect(mixed?.code).toBe('ENTENTE_STIX_INVALID');
    expect(mixed?.details.map((d) => d.path)).toEqual(['$.a', '$.b']);
    expect(mixed?.message).toContain('2 STIX errors');
  });
});
