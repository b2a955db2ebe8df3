import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { admits, labelAllows } from './admits.js';
import { combineLabels, compareClassifications, dominates, EMPTY_LABEL, normaliseLabel } from './label-algebra.js';
import { ALL_CLASSIFICATIONS, countryArb, label, labelArb, POLICIES, subjectArb, timeArb } from './test-builders.js';

describe('normaliseLabel', () => {
  it('upper-cases, deduplicates and sorts tokens, keeping the highest classification per policy', () => {
    const l = normaliseLabel(label({
      classifications: [{ policy: 'NATO', level: 'restricted' }, { policy: 'DEU', level: 'GEHEIM' }, { policy: 'NATO', level: 'SECRET' }],
      caveats: ['orcon', 'NOFORN', 'ORCON'], informative: ['  exercise   locked shields '],
    }), POLICIES);
    expect(l.classifications).toEqual([{ policy: 'NATO', level: 'SECRET' }, { policy: 'DEU', level: 'GEHEIM' }]);
    expect(l.caveats).toEqual(['NOFORN', 'ORCON']);
    expect(l.informative).toEqual(['EXERCISE LOCKED SHIELDS']);
  });

  it('drops a REL TO list that contains another, since the smaller one implies it', () => {
    const l = normaliseLabel(label({ releasableTo: [['usa', 'gbr', 'deu'], ['GBR', 'USA'], ['USA', 'GBR'], ['NATO']] }), POLICIES);
    expect(l.releasableTo).toEqual([['GBR', 'USA'], ['NATO']]);
  });

  it('refuses unknown policies and levels, empty REL TO lists and bad handling values, naming the part', () => {
    expect(() => normaliseLabel(label({ classifications: [{ policy: 'XYZ', level: 'SECRET' }] }), POLICIES)).toThrow(/classifications\[0\]: unknown classification policy "XYZ"/);
    expect(() => normaliseLabel(label({ classifications: [{ policy: 'GBR', level: 'CONFIDENTIAL' }] }), POLICIES)).toThrow(/GBR has no level "CONFIDENTIAL"/);
    expect(() => normaliseLabel(label({ releasableTo: [[]] }), POLICIES)).toThrow(/releasableTo\[0\]/);
    expect(() => normaliseLabel(label({ handling: { encryptInTransit: 'always' as never } }), POLICIES)).toThrow(/handling.encryptInTransit/);
    expect(() => normaliseLabel(label({ handling: { expiresAt: 'tomorrow' } }), POLICIES)).toThrow(/not a STIX timestamp/);
    expect(() => normaliseLabel(label({ caveats: ['GEHEIM'] }), POLICIES)).toThrow(/name of a classification/);
    expect(() => normaliseLabel(label({ caveats: ['TWO WORDS'] }), POLICIES)).toThrow(/caveats\[0\]/);
  });

  it('is idempotent', () => {
    fc.assert(fc.property(labelArb, (l) => {
      const once = normaliseLabel(l, POLICIES);
      expect(normaliseLabel(once, POLICIES)).toEqual(once);
    }));
  });
});

describe('combineLabels', () => {
  it('takes the most restrictive of every component', () => {
    const c = combineLabels([
      label({ tlp: 'amber', pap: 'green', classifications: [{ policy: 'NATO', level: 'RESTRICTED' }], releasableTo: [['NATO']], handling: { encryptInTransit: 'may', expiresAt: '2027-01-01T00:00:00Z' } }),
      label({ tlp: 'green', pap: 'red', classifications: [{ policy: 'NATO', level: 'SECRET' }, { policy: 'DEU', level: 'VS-NFD' }], releasableTo: [['USA', 'GBR']], caveats: ['ORCON'], handling: { encryptInTransit: 'must', permittedActions: 'none', expiresAt: '2026-06-01T00:00:00Z' } }),
    ], POLICIES);
    expect(c).toEqual({
      tlp: 'amber', pap: 'red',
      classifications: [{ policy: 'NATO', level: 'SECRET' }, { policy: 'DEU', level: 'VS-NFD' }],
      releasableTo: [['GBR', 'USA'], ['NATO']], caveats: ['ORCON'], informative: [],
      handling: { encryptInTransit: 'must', permittedActions: 'none', expiresAt: '2026-06-01T00:00:00Z' },
    });
  });

  it('combines nothing into the empty label', () => {
    expect(combineLabels([], POLICIES)).toEqual(EMPTY_LABEL);
  });

  it('dominates every input', () => {
    fc.assert(fc.property(fc.array(labelArb, { minLength: 1, maxLength: 4 }), (labels) => {
      const combined = combineLabels(labels, POLICIES);
      for (const l of labels) expect(dominates(combined, normaliseLabel(l, POLICIES), POLICIES)).toBe(true);
    }));
  });

  it('never admits a subject that one of its inputs refuses', () => {
    // Subjects often hold exactly the clearances, countries and caveats the labels mention, so
    // that they sit on the boundary where a loosening combination would show.
    const casesArb = fc.array(labelArb, { minLength: 1, maxLength: 3 }).chain((labels) => {
      const mentioned = labels.flatMap((l) => l.classifications);
      const clearancesArb = mentioned.length === 0 ? fc.constant([]) : fc.uniqueArray(fc.constantFrom(...mentioned), { maxLength: 3, selector: (c) => c.policy });
      return fc.tuple(fc.constant(labels), fc.oneof(subjectArb, subjectArb.chain((s) => clearancesArb.map((clearances) => ({ ...s, clearances })))));
    });
    fc.assert(fc.property(casesArb, countryArb, fc.option(timeArb, { nil: undefined }), ([labels, s], nodeCountry, now) => {
      const ctx = { policies: POLICIES, nodeCountry, ...(now === undefined ? {} : { now }) };
      const combined = combineLabels(labels, POLICIES);
      if (labelAllows(admits(combined, s, ctx))) {
        for (const l of labels) expect(labelAllows(admits(l, s, ctx))).toBe(true);
      }
    }), { numRuns: 1000 });
  });
});

describe('dominates', () => {
  it('is reflexive', () => {
    fc.assert(fc.property(labelArb, (l) => {
      expect(dominates(l, l, POLICIES)).toBe(true);
    }));
  });

  it('is transitive', () => {
    fc.assert(fc.property(labelArb, labelArb, labelArb, (a, b, c) => {
      // Build chains that dominate, so the property is exercised, not vacuous.
      const bc = combineLabels([b, c], POLICIES);
      const abc = combineLabels([a, bc], POLICIES);
      const n = normaliseLabel(c, POLICIES);
      expect(dominates(abc, bc, POLICIES) && dominates(bc, n, POLICIES)).toBe(true);
      expect(dominates(abc, n, POLICIES)).toBe(true);
      if (dominates(a, b, POLICIES) && dominates(b, c, POLICIES)) expect(dominates(a, c, POLICIES)).toBe(true);
    }));
  });

  it('means admitting no one the other refuses', () => {
    // a = b with each classification swapped for one at least as high (often under another
    // policy), combined with more: a dominates b through the equivalence tables.
    fc.assert(fc.property(labelArb, labelArb, fc.array(fc.nat()), subjectArb, countryArb, (b, extra, picks, s, nodeCountry) => {
      const swapped = b.classifications.map((c, i) => {
        const higher = ALL_CLASSIFICATIONS.filter((x) => (compareClassifications(x, c, POLICIES) ?? -1) >= 0);
        return higher[(picks[i] ?? 0) % higher.length] ?? c;
      });
      const a = combineLabels([{ ...b, classifications: swapped }, extra], POLICIES);
      expect(dominates(a, b, POLICIES)).toBe(true);
      const ctx = { policies: POLICIES, nodeCountry };
      if (labelAllows(admits(a, s, ctx))) expect(labelAllows(admits(b, s, ctx))).toBe(true);
    }), { numRuns: 300 });
  });

  it('sees a classification covered through the equivalence table', () => {
    const geheim = label({ classifications: [{ policy: 'DEU', level: 'GEHEIM' }] });
    const natoConfidential = label({ classifications: [{ policy: 'NATO', level: 'CONFIDENTIAL' }] });
    expect(dominates(geheim, natoConfidential, POLICIES)).toBe(true);
    expect(dominates(natoConfidential, geheim, POLICIES)).toBe(false);
  });

  it('holds a narrower REL TO list above a wider one, and an earlier expiry above a later one', () => {
    expect(dominates(label({ releasableTo: [['USA']] }), label({ releasableTo: [['USA', 'GBR']] }), POLICIES)).toBe(true);
    expect(dominates(label({ releasableTo: [['USA', 'GBR']] }), label({ releasableTo: [['USA']] }), POLICIES)).toBe(false);
    expect(dominates(label({ handling: { expiresAt: '2026-01-01T00:00:00Z' } }), label({ handling: { expiresAt: '2027-01-01T00:00:00Z' } }), POLICIES)).toBe(true);
    expect(dominates(label(), label({ handling: { expiresAt: '2027-01-01T00:00:00Z' } }), POLICIES)).toBe(false);
  });
});
