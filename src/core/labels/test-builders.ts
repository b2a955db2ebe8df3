/** Builders and fast-check arbitraries for label tests. */
import fc from 'fast-check';
import { EntenteError } from '../errors.js';
import { CLASSIFICATION_POLICIES } from './classification-policies.js';
import { EMPTY_LABEL } from './label-algebra.js';
import { PAP_LEVELS, PERMITTED_ACTIONS, TLP_LEVELS, type Classification, type HandlingRules, type LabelSubject, type SecurityLabel } from './types.js';

export const POLICIES = CLASSIFICATION_POLICIES;

/** A label with safe defaults: only what the test names restricts. */
export function label(parts: Partial<SecurityLabel> = {}): SecurityLabel {
  return { ...EMPTY_LABEL, ...parts };
}

/** The EntenteError `fn` throws; fails the test when it throws nothing or something else. */
export function errorOf(fn: () => unknown): EntenteError {
  try {
    fn();
  } catch (error) {
    if (error instanceof EntenteError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

export function subject(parts: Partial<LabelSubject> = {}): LabelSubject {
  return { country: 'DEU', alliances: [], clearances: [], caveats: [], ...parts };
}

export const ALL_CLASSIFICATIONS: ReadonlyArray<Classification> = POLICIES.flatMap((p) => p.levels.map((level) => ({ policy: p.id, level })));
const COUNTRIES = ['USA', 'GBR', 'DEU', 'FRA', 'POL', 'AUS', 'JPN', 'CAN', 'AUT'] as const;
const RELEASE_TOKENS = [...COUNTRIES, 'NATO', 'EU', 'FVEY'] as const;
const CAVEATS = ['NOFORN', 'ORCON', 'PROPIN', 'CYBER-X'] as const;
const INFORMATIVE = ['EXERCISE', 'LOCKED SHIELDS', 'OP-42'] as const;
const TIMES = ['2026-01-01T00:00:00Z', '2026-06-30T12:00:00.5Z', '2027-01-01T00:00:00Z'] as const;

export const classificationArb = fc.constantFrom(...ALL_CLASSIFICATIONS);
export const timeArb = fc.constantFrom(...TIMES);

export const handlingArb: fc.Arbitrary<HandlingRules> = fc.record({
  encryptInTransit: fc.constantFrom('may', 'must'),
  permittedActions: fc.constantFrom(...PERMITTED_ACTIONS),
  affectedPartyNotifications: fc.constantFrom('may', 'must-not'),
  attribution: fc.constantFrom('may', 'must', 'must-not'),
  obfuscateAffectedParties: fc.constantFrom('may', 'must', 'must-not'),
  unmodifiedResale: fc.constantFrom('may', 'must-not'),
  expiresAt: timeArb,
}, { requiredKeys: [] }) as fc.Arbitrary<HandlingRules>;

export const labelArb: fc.Arbitrary<SecurityLabel> = fc.record({
  tlp: fc.option(fc.constantFrom(...TLP_LEVELS), { nil: undefined }),
  pap: fc.option(fc.constantFrom(...PAP_LEVELS), { nil: undefined }),
  classifications: fc.array(classificationArb, { maxLength: 3 }),
  releasableTo: fc.array(fc.subarray([...RELEASE_TOKENS], { minLength: 1, maxLength: 4 }), { maxLength: 3 }),
  caveats: fc.subarray([...CAVEATS]),
  informative: fc.subarray([...INFORMATIVE]),
  handling: handlingArb,
}).map(({ tlp, pap, ...rest }) => ({ ...rest, ...(tlp === undefined ? {} : { tlp }), ...(pap === undefined ? {} : { pap }) }));

export const subjectArb: fc.Arbitrary<LabelSubject> = fc.record({
  country: fc.constantFrom(...COUNTRIES),
  alliances: fc.subarray(['NATO', 'EU', 'FVEY']),
  clearances: fc.uniqueArray(classificationArb, { maxLength: 3, selector: (c) => c.policy }),
  caveats: fc.subarray([...CAVEATS]),
});

export const countryArb = fc.constantFrom(...COUNTRIES);
