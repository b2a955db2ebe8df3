import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { validateBundle, validateObject } from './index.js';
import { VALID_OBJECTS } from './testing/valid-objects.js';
import { TYPE_RULES } from './rules/index.js';

const TYPES = [...TYPE_RULES.keys()];
const samples = Object.values(VALID_OBJECTS);

describe('validator properties', () => {
  it('never throws on arbitrary JSON, as an object or as a bundle', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
      expect(typeof validateObject(value).valid).toBe('boolean');
      expect(typeof validateBundle(value).valid).toBe('boolean');
    }), { numRuns: 500 });
  });

  it('never throws on objects of every type with arbitrary property values', () => {
    const property = fc.constantFrom(...new Set([...TYPE_RULES.values()].flatMap((r) => Object.keys(r.properties))));
    const noise = fc.dictionary(property, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 8 });
    fc.assert(fc.property(fc.constantFrom(...TYPES), fc.constantFrom(...samples), noise, (type, base, extra) => {
      const result = validateObject({ ...base, type, ...extra });
      expect(result.valid).toBe(result.errors.length === 0);
      for (const issue of [...result.errors, ...result.warnings]) expect(issue.path.startsWith('$')).toBe(true);
    }), { numRuns: 1000 });
  });

  it('does not exhaust the stack on deeply nested values in hashed or checked properties', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const file = VALID_OBJECTS['file'] as Record<string, unknown>;
    const result = validateObject({ ...file, extensions: { 'x-deep-ext': { value: deep } }, x_deep: deep });
    expect(result.errors).toEqual([]);
  });

  it('keeps valid objects valid when x_ custom properties, labels and a confidence are added', () => {
    const custom = fc.dictionary(fc.stringMatching(/^x_[a-z0-9_]{1,20}$/), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 });
    const labels = fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 3 });
    fc.assert(fc.property(fc.constantFrom(...samples), custom, labels, fc.integer({ min: 0, max: 100 }), (base, extra, l, confidence) => {
      const versioned = base['modified'] !== undefined && base['type'] !== 'extension-definition';
      const object = { ...base, ...extra, ...(versioned ? { labels: l, confidence } : {}) };
      expect(validateObject(object).errors).toEqual([]);
    }), { numRuns: 300 });
  });

  it('makes strict mode refuse everything that is only a warning otherwise', () => {
    fc.assert(fc.property(fc.constantFrom(...samples), fc.jsonValue({ maxDepth: 2 }), (base, value) => {
      const object = { ...base, custom_value: value };
      const lenient = validateObject(object);
      const strict = validateObject(object, { strict: true });
      expect(strict.warnings).toEqual([]);
      expect(strict.errors.length).toBe(lenient.errors.length + lenient.warnings.length);
    }), { numRuns: 200 });
  });
});
