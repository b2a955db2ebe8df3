import { describe, expect, it } from 'vitest';
import { EntenteError } from '../errors.js';
import { readAgreement } from './agreement-reader.js';
import { agreementContext } from './testing/policy-builders.js';

const VALID = `
agreement: deu-pol-bilateral
title: Germany - Poland bilateral CTI exchange
purpose: Early warning on campaigns against both countries' energy sector
status: draft
parties: [DEU, POL]
valid:
  from: 2026-01-01T00:00:00Z
  until: 2027-12-31T23:59:59Z
scope:
  types: [indicator, malware, relationship, report]
  tags: [energy]
ceiling:
  tlp: amber
  classification: NATO RESTRICTED
ceilings:
  POL: { tlp: green, pap: amber, classification: [NATO RESTRICTED, EU RESTREINT UE] }
onward:
  POL: [NATO]
obligations:
  - acknowledge: 24h
  - delete-after: 365d
  - attribute-source
redact:
  - strip-victim-identities
  - strip-custom-properties: { keep: [x_mitre_id] }
  - generalise-addresses: { ipv4: 24 }
handling:
  encrypt-in-transit: must
  permitted-actions: internally-visible
`;

function problems(text: string): ReadonlyArray<{ path?: string; message: string }> {
  try {
    readAgreement(text, agreementContext(), 1);
  } catch (error) {
    if (error instanceof EntenteError && error.code === 'ENTENTE_AGREEMENT_INVALID') return error.details;
    throw error;
  }
  throw new Error('the agreement was accepted');
}

describe('readAgreement', () => {
  it('reads every section of a well-formed agreement', () => {
    const a = readAgreement(VALID, agreementContext(), 3);
    expect(a).toMatchObject({
      id: 'deu-pol-bilateral', version: 3, status: 'draft', parties: ['DEU', 'POL'],
      validFrom: '2026-01-01T00:00:00.000Z', validUntil: '2027-12-31T23:59:59.000Z',
      scope: { types: ['indicator', 'malware', 'relationship', 'report'], excludeTypes: [], tags: ['energy'], sectors: [] },
      defaultCeiling: { tlp: 'amber', classifications: [{ policy: 'NATO', level: 'RESTRICTED' }] },
      onward: { POL: ['NATO'] },
      handling: { encryptInTransit: 'must', permittedActions: 'internally-visible' },
    });
    expect(a.ceilings['POL']).toEqual({ tlp: 'green', pap: 'amber', classifications: [{ policy: 'NATO', level: 'RESTRICTED' }, { policy: 'EU', level: 'RESTREINT UE' }] });
    expect(a.obligations).toEqual([{ kind: 'acknowledge', withinHours: 24 }, { kind: 'delete-after', days: 365 }, { kind: 'attribute-source' }]);
    expect(a.redactions).toEqual([
      { kind: 'strip-victim-identities' },
      { kind: 'strip-custom-properties', keep: ['x_mitre_id'] },
      { kind: 'generalise-addresses', ipv4Prefix: 24, ipv6Prefix: 48 },
    ]);
  });

  it('reads a classification as a banner spells it, when it names one level of one policy', () => {
    for (const [written, policy, level] of [['VS-NfD', 'DEU', 'VS-NFD'], ['EU RESTRICTED', 'EU', 'RESTREINT UE'], ['RESTREINT UE/EU RESTRICTED', 'EU', 'RESTREINT UE']] as const) {
      const read = readAgreement(VALID.replace('  POL: { tlp: green, pap: amber, classification: [NATO RESTRICTED, EU RESTREINT UE] }', `  POL: { tlp: green, classification: "${written}" }`), agreementContext(), 1);
      expect(read.ceilings['POL']?.classifications, written).toEqual([{ policy, level }]);
    }
    const ambiguous = problems(VALID.replace('  POL: { tlp: green, pap: amber, classification: [NATO RESTRICTED, EU RESTREINT UE] }', '  POL: { tlp: green, classification: SECRET }'));
    expect(ambiguous).toContainEqual({ path: '$.ceilings.POL.classification', message: expect.stringMatching(/"SECRET" is not a known classification/) });
  });

  it('accepts aliases of classification levels in ceilings', () => {
    const a = readAgreement(VALID.replace('classification: NATO RESTRICTED', 'classification: DEU VS-NUR FÜR DEN DIENSTGEBRAUCH'), agreementContext(), 1);
    expect(a.defaultCeiling.classifications).toEqual([{ policy: 'DEU', level: 'VS-NFD' }]);
  });

  it('names an unknown party with its line and column', () => {
    const found = problems(VALID.replace('parties: [DEU, POL]', 'parties: [DEU, POL, XYZ]'));
    expect(found).toContainEqual({ path: '$.parties[2]', message: expect.stringMatching(/^line 6, column 21: unknown party XYZ/) });
  });

  it('refuses an agreement that does not name this node\'s organisation', () => {
    const found = problems(VALID.replace('parties: [DEU, POL]', 'parties: [FRA, POL]').replace(/ceilings:[\s\S]*?onward:\n {2}POL: \[NATO\]\n/, ''));
    expect(found.map((p) => p.message).join('\n')).toMatch(/this node's organisation DEU is not a party/);
  });

  it('refuses a type both in scope and excluded: the agreement contradicts itself', () => {
    const found = problems(VALID.replace('  tags: [energy]', '  tags: [energy]\n  exclude-types: [malware]'));
    expect(found).toContainEqual({ path: '$.scope.exclude-types[0]', message: expect.stringMatching(/malware is both in scope .* contradicts itself/) });
  });

  it('refuses two obligations of one kind: they would say two things', () => {
    const found = problems(VALID.replace('  - delete-after: 365d', '  - delete-after: 365d\n  - delete-after: 1d'));
    expect(found).toContainEqual({ path: '$.obligations[2]', message: expect.stringMatching(/delete-after is already obliged at obligations\[1\]/) });
  });

  it('refuses a type listed twice in the scope', () => {
    const found = problems(VALID.replace('  types: [indicator, malware, relationship, report]', '  types: [indicator, malware, indicator]'));
    expect(found).toContainEqual({ path: '$.scope.types[2]', message: expect.stringMatching(/indicator is listed twice \(first at scope.types\[0\]\)/) });
  });

  it('refuses a validity that ends before it starts', () => {
    const found = problems(VALID.replace('until: 2027-12-31T23:59:59Z', 'until: 2025-12-31T23:59:59Z'));
    expect(found).toContainEqual({ path: '$.valid.until', message: expect.stringMatching(/ends .* before it starts/) });
  });

  it('refuses a ceiling above what a classification policy allows to a private partner', () => {
    const text = VALID.replace('parties: [DEU, POL]', 'parties: [DEU, POL, ACME]').replace('  POL: { tlp: green', '  ACME: { tlp: green, classification: NATO SECRET }\n  POL: { tlp: green');
    const found = problems(text);
    expect(found).toContainEqual({ path: '$.ceilings.ACME.classification', message: expect.stringMatching(/NATO SECRET is above what .* allows to a private-partner \(ACME\): at most NATO RESTRICTED/) });
  });

  it('holds parties without their own ceiling to the policy limits through the default ceiling', () => {
    const text = VALID.replace('parties: [DEU, POL]', 'parties: [DEU, POL, UNI-BW]').replace('classification: NATO RESTRICTED\nceilings', 'classification: NATO CONFIDENTIAL\nceilings');
    expect(problems(text)).toContainEqual({ path: '$.ceiling.classification', message: expect.stringMatching(/NATO CONFIDENTIAL is above .* academia \(UNI-BW\)/) });
  });

  it('refuses unknown labels, keys, rules and an onward recipient that is nobody', () => {
    const text = VALID
      .replace('tlp: amber\n', 'tlp: orange\n')
      .replace('classification: NATO RESTRICTED\nceilings', 'classification: NATO SORT-OF-SECRET\nceilings')
      .replace('  POL: [NATO]', '  POL: [NATO, MARS]')
      .replace('  - strip-victim-identities', '  - strip-everything')
      .replace('status: draft', 'status: draft\nowner: someone');
    const paths = problems(text).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['$.ceiling.tlp', '$.ceiling.classification', '$.onward.POL[1]', '$.redact[0]', '$.owner']));
  });

  it('refuses a ceiling for someone who is not a party', () => {
    expect(problems(VALID.replace('  POL: { tlp: green', '  FRA: { tlp: clear }\n  POL: { tlp: green'))).toContainEqual({
      path: '$.ceilings.FRA', message: expect.stringMatching(/FRA has a ceiling but is not a party/),
    });
  });

  it('reports YAML syntax errors with their line', () => {
    expect(() => readAgreement('agreement: x\nparties: [DEU, POL\n', agreementContext(), 1)).toThrow(/line \d+, column \d+/);
  });

  it('lists every problem at once, not only the first', () => {
    expect(problems('agreement: Not Valid!\nparties: [DEU]\n').length).toBeGreaterThanOrEqual(4);
  });
});
