import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DecisionStep } from '../../core/policy/types.js';
import type { DecisionRecord } from '../../ports/policy-store.js';
import { explanationKey, explanationKeys } from './decision-batches.js';

const record = (steps: ReadonlyArray<DecisionStep>): DecisionRecord => ({
  at: '2026-03-01T10:00:00.000Z', recipient: 'peer:POL', channel: 'taxii', objectId: 'indicator--1', objectVersion: '2026-03-01T10:00:00.000Z', outcome: 'allow', steps,
});

describe('explanation keys of a batch', () => {
  it('gives equal explanations one key and different ones different keys, even when every length matches', () => {
    const a = [{ rule: 'tlp', outcome: 'pass', detail: 'TLP:GREEN' }, { rule: 'pap', outcome: 'pass', detail: 'PAP:AMBER' }] as const;
    const b = [{ rule: 'tlp', outcome: 'pass', detail: 'TLP:GREEN' }, { rule: 'pap', outcome: 'pass', detail: 'PAP:GREEN' }] as const;
    const keys = explanationKeys([a, b, a, b, []].map((steps) => record(steps.map((s) => ({ ...s })))));
    expect(keys[0]).toBe(keys[2]);
    expect(keys[1]).toBe(keys[3]);
    expect(new Set(keys).size).toBe(3);
  });

  it('agrees with the key of each record built alone, for any steps', () => {
    const step = fc.record({ rule: fc.constantFrom('tlp', 'pap', 'ab'), outcome: fc.constantFrom('pass', 'fail', 'redact', 'skip'), detail: fc.string({ maxLength: 4 }) }) as fc.Arbitrary<DecisionStep>;
    fc.assert(fc.property(fc.array(fc.array(step, { maxLength: 3 }), { maxLength: 40 }), (lists) => {
      const records = lists.map((steps) => record(steps));
      expect(explanationKeys(records)).toEqual(records.map((r, i) => explanationKey(r.steps, `records[${i}].steps`)));
    }), { numRuns: 300 });
  });

  it('refuses a step without rule, outcome and detail strings, naming it', () => {
    const good = [{ rule: 'tlp', outcome: 'pass', detail: '' }] as const;
    expect(() => explanationKeys([record(good), record([good[0], { rule: 'pap', outcome: 'pass' } as unknown as DecisionStep])]))
      .toThrow(expect.objectContaining({ code: 'ENTENTE_INVALID_PARAMETER', message: expect.stringContaining('records[1].steps[1]') }));
  });
});
