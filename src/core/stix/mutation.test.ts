/**
 * Breaks valid objects in every way the specification forbids and checks that each break is
 * caught with the right rule code at the right JSON path. Sources: the OASIS example bundles (when
 * present) and one valid sample of every type.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { PropertySpec, TypeRule } from './rules/property-spec.js';
import { TYPE_RULES } from './rules/index.js';
import { validateBundle, validateObject } from './index.js';
import { TLP_GREEN, VALID_OBJECTS } from './testing/valid-objects.js';
import { BAD_TARGET, SPECIFIC_BREAKS, type Break, type Json } from './testing/mutations.js';

const EXAMPLES = fileURLToPath(new URL('../../../../shared/oasis-stix21/examples', import.meta.url));

function exampleBundles(): Json[] {
  if (!existsSync(EXAMPLES)) {
    console.warn(`Mutating only the built-in samples: ${EXAMPLES} is absent`);
    return [];
  }
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.json') ? [p] : [];
  });
  return walk(EXAMPLES).map((f) => JSON.parse(readFileSync(f, 'utf8')) as Json).filter((d) => d['type'] === 'bundle');
}

const BUNDLES = exampleBundles();
const SOURCES: Json[] = [...Object.values(VALID_OBJECTS), ...BUNDLES.flatMap((b) => b['objects'] as Json[])];

function ruleOf(object: Json): TypeRule {
  const rule = TYPE_RULES.get(String(object['type']));
  if (rule === undefined) throw new Error(`no rule for ${String(object['type'])}`);
  return rule;
}

function without(object: Json, name: string): Json {
  const copy = { ...object };
  delete copy[name];
  return copy;
}

const isRef = (spec: PropertySpec | undefined): boolean => spec?.kind === 'ref' || (spec?.kind === 'list' && spec.of.kind === 'ref');

/** Each generator turns one valid object into zero or more breaks. */
const GENERATORS: Readonly<Record<string, (o: Json, rule: TypeRule) => Break[]>> = {
  'drop each required property': (o, rule) => (rule.required ?? []).map((p) => ({ object: without(o, p), code: 'required-property', path: `$.${p}` })),
  'corrupt the identifier': (o) => [{ object: { ...o, id: `${String(o['type'])}--not-a-uuid` }, code: 'invalid-identifier', path: '$.id' }],
  'use a UUID that is not RFC 4122': (o) => [{ object: { ...o, id: String(o['id']).replace(/-[0-9a-f]([0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12})$/i, '-0$1') }, code: 'invalid-identifier', path: '$.id' }],
  'swap the type prefix of the identifier': (o) => {
    const other = o['type'] === 'indicator' ? 'malware' : 'indicator';
    return [{ object: { ...o, id: String(o['id']).replace(/^[a-z0-9-]+--/, `${other}--`) }, code: 'id-type-mismatch', path: '$.id' }];
  },
  'set modified before created': (o) => (o['modified'] === undefined ? [] : [{
    object: { ...o, created: '2024-05-01T00:00:00.000Z', modified: '2024-04-30T23:59:59.999Z' }, code: 'modified-before-created', path: '$.modified',
  }]),
  'write timestamps that are not RFC 3339 UTC': (o, rule) => Object.entries(rule.properties)
    .filter(([p, spec]) => spec.kind === 'timestamp' && o[p] !== undefined)
    .flatMap(([p]) => [
      { object: { ...o, [p]: '2016-05-12 08:17:27Z' }, code: 'invalid-timestamp', path: `$.${p}` },
      { object: { ...o, [p]: '2023-02-29T00:00:00.000Z' }, code: 'invalid-timestamp', path: `$.${p}` },
      { object: { ...o, [p]: '2016-05-12T08:17:27.000+01:00' }, code: 'invalid-timestamp', path: `$.${p}` },
    ]),
  'drop the milliseconds of created': (o, rule) => (rule.properties['created']?.kind === 'timestamp' && rule.properties['created'].millis === true
    ? [{ object: { ...o, created: '2000-01-01T00:00:00Z' }, code: 'timestamp-precision', path: '$.created' }] : []),
  'point references at types they may not point to': (o, rule) => Object.entries(rule.properties)
    .filter(([p, spec]) => isRef(spec) && o[p] !== undefined)
    .flatMap(([p, spec]) => {
      const target = spec.kind === 'ref' ? spec.to : spec.kind === 'list' && spec.of.kind === 'ref' ? spec.of.to : 'any';
      const bad = BAD_TARGET(target);
      if (bad === undefined) return [];
      return spec.kind === 'list'
        ? [{ object: { ...o, [p]: [bad, ...(o[p] as unknown[]).slice(1)] }, code: 'invalid-ref-type', path: `$.${p}[0]` }]
        : [{ object: { ...o, [p]: bad }, code: 'invalid-ref-type', path: `$.${p}` }];
    }),
  'put confidence out of 0..100': (o, rule) => (rule.properties['confidence'] === undefined ? [] : [101, -1, 50.5].map((c) => ({
    object: { ...o, confidence: c }, code: Number.isInteger(c) ? 'out-of-range' : 'invalid-type', path: '$.confidence',
  }))),
  'use values outside closed enumerations': (o, rule) => Object.entries(rule.properties).flatMap(([p, spec]) => {
    if (spec.kind === 'enum') return [{ object: { ...o, [p]: 'not-a-value' }, code: 'invalid-enum', path: `$.${p}` }];
    if (spec.kind === 'list' && spec.of.kind === 'enum') return [{ object: { ...o, [p]: ['not-a-value'] }, code: 'invalid-enum', path: `$.${p}[0]` }];
    return [];
  }),
  'claim another spec_version': (o) => [{ object: { ...o, spec_version: '2.0' }, code: 'invalid-spec-version', path: '$.spec_version' }],
  'use empty lists': (o, rule) => Object.entries(rule.properties)
    .filter(([p, spec]) => spec.kind === 'list' && Array.isArray(o[p]))
    .map(([p]) => ({ object: { ...o, [p]: [] }, code: 'empty-list', path: `$.${p}` })),
  'give strings the wrong JSON type': (o, rule) => Object.entries(rule.properties)
    .filter(([p, spec]) => spec.kind === 'string' && typeof o[p] === 'string')
    .map(([p]) => ({ object: { ...o, [p]: 42 }, code: 'invalid-type', path: `$.${p}` })),
  'leave out a kill chain phase name': (o, rule) => (rule.properties['kill_chain_phases'] === undefined ? [] : [{
    object: { ...o, kill_chain_phases: [{ kill_chain_name: 'lockheed-martin-cyber-kill-chain' }] }, code: 'required-property', path: '$.kill_chain_phases[0].phase_name',
  }]),
  'give an external reference only a source name': (o, rule) => (rule.properties['external_references'] === undefined ? [] : [
    { object: { ...o, external_references: [{ source_name: 'vendor' }] }, code: 'required-property', path: '$.external_references[0]' },
    { object: { ...o, external_references: [{ url: 'https://example.com' }] }, code: 'required-property', path: '$.external_references[0].source_name' },
    { object: { ...o, external_references: [{ source_name: 'cve', external_id: 'CVE-21-1' }] }, code: 'invalid-external-id', path: '$.external_references[0].external_id' },
  ]),
  'select content a granular marking cannot find': (o, rule) => (rule.properties['granular_markings'] === undefined ? [] : [
    { object: { ...o, granular_markings: [{ selectors: ['no_such_property'], marking_ref: TLP_GREEN }] }, code: 'invalid-selector', path: '$.granular_markings[0].selectors[0]' },
    { object: { ...o, granular_markings: [{ selectors: ['id'], marking_ref: TLP_GREEN, lang: 'en' }] }, code: 'mutually-exclusive', path: '$.granular_markings[0].lang' },
    { object: { ...o, granular_markings: [{ selectors: ['id'], marking_ref: 'identity--f431f809-377b-45e0-aa1c-6a4751cae5ff' }] }, code: 'invalid-ref-type', path: '$.granular_markings[0].marking_ref' },
  ]),
  'mark with something that is not a marking-definition': (o, rule) => (rule.properties['object_marking_refs'] === undefined ? [] : [{
    object: { ...o, object_marking_refs: ['identity--f431f809-377b-45e0-aa1c-6a4751cae5ff'] }, code: 'invalid-ref-type', path: '$.object_marking_refs[0]',
  }]),
  'use a reserved property name': (o) => [{ object: { ...o, severity: 'high' }, code: 'reserved-property', path: '$.severity' }],
  'use a property name outside a-z0-9_': (o) => [{ object: { ...o, 'Threat-Score': 3 }, code: 'invalid-property-name', path: "$['Threat-Score']" }],
  'break hashes': (o) => (o['hashes'] === undefined ? [] : [
    { object: { ...o, hashes: { MD5: 'xyz' } }, code: 'invalid-hash', path: '$.hashes.MD5' },
    { object: { ...o, hashes: { 'SHA-256': 'a'.repeat(63) } }, code: 'invalid-hash', path: "$.hashes['SHA-256']" },
    { object: { ...o, hashes: {} }, code: 'empty-dictionary', path: '$.hashes' },
  ]),
  'break the rules of one type': (o) => (SPECIFIC_BREAKS[String(o['type'])] ?? []).map((b) => ({ ...b, object: { ...o, ...b.object } })),
};

describe('mutations of valid STIX objects', () => {
  it('starts from objects that are all valid', () => {
    expect(SOURCES.length).toBeGreaterThanOrEqual(42);
    expect(SOURCES.filter((o) => !validateObject(o).valid).map((o) => o['id'])).toEqual([]);
  });

  it.each(Object.entries(GENERATORS))('catches every attempt to %s', (_name, generate) => {
    const breaks = SOURCES.flatMap((o) => generate(o, ruleOf(o)));
    expect(breaks.length).toBeGreaterThan(0);
    const missed = breaks.flatMap((b) => {
      const result = validateObject(b.object);
      return result.errors.some((e) => e.code === b.code && e.path === b.path)
        ? [] : [{ type: b.object['type'], expected: `${b.code} at ${b.path}`, got: result.errors.map((e) => `${e.code} at ${e.path}`) }];
    });
    expect(missed).toEqual([]);
  });
});

describe('mutations of bundles', () => {
  const sample: Json = { type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', objects: Object.values(VALID_OBJECTS) };
  const bundles = [sample, ...BUNDLES];

  it('rejects a second occurrence of the same id and modified as duplicate-object at its path', () => {
    for (const bundle of bundles) {
      const objects = bundle['objects'] as Json[];
      const result = validateBundle({ ...bundle, objects: [...objects, { ...objects[0] }] });
      expect(result.errors).toContainEqual(expect.objectContaining({ code: 'duplicate-object', path: `$.objects[${objects.length}]` }));
    }
  });

  it('treats timestamps that differ only in trailing zeros as the same version', () => {
    const indicator = VALID_OBJECTS['indicator'] as Json;
    const result = validateBundle({ ...sample, objects: [indicator, { ...indicator, modified: '2024-03-02T10:00:00Z' }] });
    expect(result.errors.map((e) => e.code)).toContain('duplicate-object');
  });

  it('accepts two versions of one object', () => {
    const indicator = VALID_OBJECTS['indicator'] as Json;
    const result = validateBundle({ ...sample, objects: [indicator, { ...indicator, modified: '2024-03-03T10:00:00.000Z' }] });
    expect(result.errors).toEqual([]);
  });

  it('prefixes the path of a broken object with its position in the bundle', () => {
    for (const bundle of bundles) {
      const objects = bundle['objects'] as Json[];
      const index = objects.length - 1;
      const broken = objects.map((o, i) => (i === index ? without(o, 'type') : o));
      const result = validateBundle({ ...bundle, objects: broken });
      expect(result.errors).toContainEqual(expect.objectContaining({ code: 'required-property', path: `$.objects[${index}].type` }));
      expect(result.objects[index]?.valid).toBe(false);
    }
  });

  it('rejects a bundle with the wrong type, a bad id or objects that are not a list', () => {
    expect(validateBundle({ ...sample, type: 'report' }).errors).toContainEqual(expect.objectContaining({ code: 'invalid-bundle', path: '$.type' }));
    expect(validateBundle({ ...sample, id: 'report--5d0092c5-5f74-4287-9642-33f4c354e56d' }).errors).toContainEqual(expect.objectContaining({ code: 'invalid-identifier', path: '$.id' }));
    expect(validateBundle({ ...sample, objects: {} }).errors).toContainEqual(expect.objectContaining({ code: 'invalid-type', path: '$.objects' }));
  });

  it('refuses a bundle inside a bundle', () => {
    const result = validateBundle({ ...sample, objects: [sample] });
    expect(result.errors).toContainEqual(expect.objectContaining({ code: 'unexpected-bundle', path: '$.objects[0].type' }));
  });
});
