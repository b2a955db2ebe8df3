import { describe, expect, it } from 'vitest';
import { validateBundle, validateObject } from './index.js';
import { VALID_OBJECTS, sco, sdo } from './testing/valid-objects.js';
import { TLP2_EXTENSION_ID } from './rules/marking-rules.js';

type Json = { readonly [k: string]: unknown };
const indicator = VALID_OBJECTS['indicator'] as Json;
const codes = (issues: ReadonlyArray<{ code: string; path: string }>): string[] => issues.map((i) => `${i.code} ${i.path}`);

describe('validateObject: errors and warnings', () => {
  it('accepts a valid sample of every STIX 2.1 type, even in strict mode', () => {
    for (const [type, object] of Object.entries(VALID_OBJECTS)) {
      expect({ type, issues: codes(validateObject(object, { strict: true }).errors) }).toEqual({ type, issues: [] });
    }
  });

  it('rejects what is not an object', () => {
    for (const value of [null, 3, 'indicator', [indicator]]) {
      expect(codes(validateObject(value).errors)).toEqual(['not-an-object $']);
    }
  });

  it('starts every path at the prefix given', () => {
    const result = validateObject({ ...indicator, confidence: 200 }, {}, '$.objects[7]');
    expect(codes(result.errors)).toEqual(['out-of-range $.objects[7].confidence']);
  });

  it('warns about an SDO id that is not a UUIDv4, and strict mode refuses it', () => {
    const v1 = { ...indicator, id: 'indicator--6ba7b810-9dad-11d1-80b4-00c04fd430c8' };
    expect(codes(validateObject(v1).warnings)).toEqual(['uuid-not-v4 $.id']);
    expect(validateObject(v1).valid).toBe(true);
    expect(codes(validateObject(v1, { strict: true }).errors)).toEqual(['uuid-not-v4 $.id']);
  });

  it('warns when an SCO id is not the deterministic UUIDv5 of its contributing properties', () => {
    const ip = { ...(VALID_OBJECTS['ipv4-addr'] as Json), value: '203.0.113.9' };
    const result = validateObject(ip);
    expect(result.valid).toBe(true);
    expect(result.warnings[0]?.code).toBe('sco-id-mismatch');
    expect(result.warnings[0]?.message).toContain(sco('ipv4-addr', { value: '203.0.113.9' }, ['value'])['id']);
  });

  it('warns about values outside an open vocabulary but accepts them', () => {
    const result = validateObject({ ...indicator, indicator_types: ['suspicious'], pattern_type: 'kql' });
    expect(result.valid).toBe(true);
    expect(codes(result.warnings).sort()).toEqual(['open-vocabulary $.indicator_types[0]', 'open-vocabulary $.pattern_type']);
  });

  it('warns about kill chain names that are not lowercase and hyphenated', () => {
    const result = validateObject({ ...indicator, kill_chain_phases: [{ kill_chain_name: 'Kill Chain', phase_name: 'c2' }] });
    expect(codes(result.warnings)).toEqual(['kill-chain-phase-format $.kill_chain_phases[0].kill_chain_name']);
  });

  it('warns about deprecated properties', () => {
    const observed = { ...(VALID_OBJECTS['observed-data'] as Json), object_refs: undefined, objects: { 0: { type: 'ipv4-addr', value: '10.0.0.1' } } };
    const result = validateObject(observed);
    expect(result.valid).toBe(true);
    expect(codes(result.warnings)).toEqual(['deprecated-property $.objects']);
  });

  it('rejects an invalid lang and an invalid URL in an external reference', () => {
    const result = validateObject({ ...indicator, lang: 'english please', external_references: [{ source_name: 'x', url: 'not a url' }] });
    expect(codes(result.errors).sort()).toEqual(['invalid-format $.external_references[0].url', 'invalid-format $.lang']);
  });

  it('refuses a marking-definition that marks itself', () => {
    const marking = VALID_OBJECTS['marking-definition'] as Json;
    const result = validateObject({ ...marking, object_marking_refs: [marking['id']] });
    expect(codes(result.errors)).toEqual(['circular-marking $.object_marking_refs[0]']);
  });

  it('accepts the OASIS TLP 2.0 marking and refuses an unknown TLP 2.0 level', () => {
    const amber = {
      type: 'marking-definition', spec_version: '2.1', id: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
      created: '2022-10-01T00:00:00.000Z', name: 'TLP:AMBER',
      extensions: { [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: 'amber' } },
    };
    expect(validateObject(amber, { strict: true }).errors).toEqual([]);
    const bad = validateObject({ ...amber, extensions: { [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: 'orange' } } });
    expect(bad.errors[0]?.code).toBe('invalid-tlp-marking');
  });

  it('accepts the four predefined TLP 1.0 marking-definitions', () => {
    const tlp = (colour: string, id: string) => ({
      type: 'marking-definition', spec_version: '2.1', id, created: '2017-01-20T00:00:00.000Z', definition_type: 'tlp', name: `TLP:${colour.toUpperCase()}`, definition: { tlp: colour },
    });
    expect(validateObject(tlp('white', 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9')).errors).toEqual([]);
    expect(validateObject(tlp('red', 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed')).errors).toEqual([]);
    expect(validateObject(tlp('red', 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9')).errors[0]?.code).toBe('invalid-tlp-marking');
  });

  it('parses stix patterns unless told not to', () => {
    const broken = { ...indicator, pattern: "[ipv4-addr:value = '198.51.100.3'" };
    expect(validateObject(broken).errors[0]?.message).toContain('column');
    expect(validateObject(broken, { patterns: false }).errors).toEqual([]);
  });

  it('does not parse patterns of other languages', () => {
    expect(validateObject({ ...indicator, pattern_type: 'sigma', pattern: 'title: x' }).errors).toEqual([]);
  });

  it('requires the type and reports it first when missing', () => {
    expect(codes(validateObject({ id: 'x' }).errors)).toEqual(['required-property $.type']);
  });
});

describe('validateObject: custom content', () => {
  it('warns about a custom property without the x_ prefix; strict mode refuses it', () => {
    const object = { ...indicator, threat_score: 7 };
    expect(codes(validateObject(object).warnings)).toEqual(['custom-property $.threat_score']);
    expect(codes(validateObject(object, { strict: true }).errors)).toEqual(['custom-property $.threat_score']);
  });

  it('accepts an x_ custom property silently; strict mode refuses it as unknown', () => {
    const object = { ...indicator, x_acme_score: 7 };
    expect(validateObject(object).warnings).toEqual([]);
    expect(codes(validateObject(object, { strict: true }).errors)).toEqual(['unknown-property $.x_acme_score']);
  });

  it('accepts top-level properties added by a toplevel-property-extension', () => {
    const object = { ...indicator, rank: 5, extensions: { 'extension-definition--a932fcc6-e032-476c-826f-cb970a5a1ade': { extension_type: 'toplevel-property-extension' } } };
    expect(validateObject(object, { strict: true }).errors).toEqual([]);
  });

  it('accepts a custom object defined by a new-sdo extension without warnings', () => {
    const object = sdo('acme-campaign-plan', {
      goal: 'exfiltration', extensions: { 'extension-definition--4ca6de00-5b0d-45ef-a1dc-ea7279ea910e': { extension_type: 'new-sdo' } },
    });
    const result = validateObject(object, { strict: true });
    expect(result.errors).toEqual([]);
  });

  it('still applies the SDO common rules to a custom SDO', () => {
    const object = { ...sdo('x-acme-plan', {}), modified: '2000-01-01T00:00:00.000Z' };
    expect(codes(validateObject(object).errors)).toEqual(['modified-before-created $.modified']);
  });

  it('warns about a custom type neither prefixed x- nor defined by an extension', () => {
    const object = sdo('acme-plan', { goal: 'x' });
    expect(codes(validateObject(object).warnings)).toEqual(['custom-object-type $.type']);
  });

  it('rejects type names outside a-z, 0-9 and hyphen or shorter than 3 characters', () => {
    for (const type of ['X-Acme', 'x_acme', 'ab', 'x--acme']) {
      const result = validateObject({ type, id: `${type}--6ba7b810-9dad-4a11-80b4-000000000099` });
      expect(codes(result.errors)).toContain('invalid-type-name $.type');
    }
  });

  it('warns about a 2.0-style custom SCO extension and accepts a property-extension instance', () => {
    const file = VALID_OBJECTS['file'] as Json;
    const object = { ...file, extensions: { 'x-acme-ext': { score: 1 }, 'extension-definition--b2c5d6a1-3f4e-4a5b-8c6d-7e8f9a0b1c2d': { extension_type: 'property-extension', score: 1 } } };
    const result = validateObject(object);
    expect(result.errors).toEqual([]);
    expect(codes(result.warnings)).toContain("custom-extension $.extensions['x-acme-ext']");
  });
});

describe('validateBundle', () => {
  it('warns about spec_version on a 2.1 bundle', () => {
    const result = validateBundle({ type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', spec_version: '2.0', objects: [indicator] });
    expect(result.valid).toBe(true);
    expect(codes(result.warnings)).toEqual(['bundle-spec-version $.spec_version']);
  });

  it('accepts a bundle without objects', () => {
    expect(validateBundle({ type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d' }).valid).toBe(true);
  });

  it('returns one result per object, in order', () => {
    const result = validateBundle({ type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', objects: [indicator, { type: 'indicator' }] });
    expect(result.objects.map((o) => o.valid)).toEqual([true, false]);
    expect(result.valid).toBe(false);
  });
});
