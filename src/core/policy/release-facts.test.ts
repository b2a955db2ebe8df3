import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addReferences, releaseFactsOf } from './release-facts.js';
import type { Json } from './redaction.js';
import { referencesOf } from './release-set.js';

/** The ids `addReferences` finds in an object's refs fact, sorted. */
function scanned(object: Json): string[] {
  const { refs } = releaseFactsOf(object);
  const into = new Set<string>();
  if (refs !== undefined) addReferences(refs, into);
  return [...into].sort();
}

const parsed = (object: Json): string[] => [...new Set(referencesOf(object))].sort();

describe('addReferences', () => {
  it('finds the ids of references as the object itself gives them', () => {
    const relationship = { type: 'relationship', id: 'relationship--1', source_ref: 'indicator--a', target_ref: 'malware--b', created_by_ref: 'identity--c', object_marking_refs: ['marking-definition--d'] };
    expect(scanned(relationship)).toEqual(['indicator--a', 'malware--b']);
    expect(scanned({ type: 'report', id: 'report--1', object_refs: ['a--1', 'b--2', 'a--1'], x_empty_refs: [] })).toEqual(['a--1', 'b--2']);
    expect(scanned({ type: 'note', id: 'note--1', x_ref: ['not', 'one'], x_refs: 'not a list', object_refs: ['n--1'] })).toEqual(['n--1']);
    expect(scanned({ type: 'x', id: 'x--1', x_odd_refs: ['q"uote', 'back\\slash', 7, { a: 1 }], x_nested_ref: { id: 'y--1' } })).toEqual(['back\\slash', 'q"uote']);
  });

  it('agrees with parsing the fact for any references, escapes and odd values included', () => {
    const key = fc.constantFrom('source_ref', 'target_ref', 'object_refs', 'sighting_of_ref', 'where_sighted_refs', 'x_acme_ref', 'x_acme_refs', 'x"q_ref', 'x\\b_refs', 'x_\u00e9_refs');
    const value = fc.oneof(
      fc.string(), fc.string({ unit: 'grapheme' }), fc.array(fc.string(), { maxLength: 4 }),
      fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { maxLength: 3 }), fc.integer(), fc.constant(null), fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
    );
    fc.assert(fc.property(fc.dictionary(key, value, { maxKeys: 5 }), (refs) => {
      const object = { type: 'x', id: 'x--1', ...refs } as Json;
      expect(scanned(object)).toEqual(parsed(object));
    }), { numRuns: 2000 });
  });
});
