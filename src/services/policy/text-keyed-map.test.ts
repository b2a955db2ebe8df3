import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint, TextKeyedMap } from './text-keyed-map.js';

/** Release keys that differ only where the fingerprint does not look: they share one chain. */
const colliding = (n: number): string => `{"type":"indicator","labels":["c2","${String(n).padStart(6, '0')}"],"pad":"${'x'.repeat(40)}"}`;

describe('TextKeyedMap', () => {
  it('answers as a Map would through any sequence of sets, gets and clears', () => {
    // Short texts, long texts sharing a prefix, and texts whose fingerprints collide.
    const key = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.string({ minLength: 1, maxLength: 4 }).map((s) => `{"type":"indicator","created_by_ref":"identity--x","labels":["${s}"]}`),
      fc.integer({ min: 0, max: 30 }).map(colliding),
    );
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key, value: fc.integer() }),
      fc.record({ kind: fc.constant('get' as const), key }),
      fc.constant({ kind: 'clear' as const }),
    );
    fc.assert(fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
      const map = new TextKeyedMap<number>();
      const reference = new Map<string, number>();
      for (const o of ops) {
        if (o.kind === 'set') {
          map.set(o.key, o.value);
          reference.set(o.key, o.value);
        } else if (o.kind === 'get') {
          expect(map.get(o.key)).toBe(reference.get(o.key));
        } else {
          map.clear();
          reference.clear();
        }
        expect(map.size).toBe(reference.size);
      }
      for (const [k, v] of reference) expect(map.get(k)).toBe(v);
    }));
  });

  it('finds every key when many share a fingerprint, past the chain into the overflow', () => {
    const keys = Array.from({ length: 50 }, (_, i) => colliding(i));
    expect(new Set(keys.map(fingerprint)).size).toBe(1);
    const map = new TextKeyedMap<string>();
    keys.forEach((k, i) => map.set(k, `v${i}`));
    keys.forEach((k, i) => map.set(k, `w${i}`));
    expect(map.size).toBe(50);
    keys.forEach((k, i) => expect(map.get(k)).toBe(`w${i}`));
    expect(map.get(colliding(50))).toBeUndefined();
  });

  it('finds a key by its text, not by the string it was stored with', () => {
    const map = new TextKeyedMap<number>();
    const stored = JSON.stringify({ type: 'malware', labels: ['c2', 'emotet'] });
    map.set(stored, 1);
    // A fresh string with the same text, as a store hands out on every read.
    expect(map.get(JSON.parse(JSON.stringify(stored)) as string)).toBe(1);
    expect(map.get(stored.replace('emotet', 'qakbot'))).toBeUndefined();
  });
});
