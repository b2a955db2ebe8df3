import { describe, expect, it } from 'vitest';
import { ALLIANCES, alliancesOf } from './alliances.js';
import { CLASSIFICATION_POLICIES, levelRank, policyById } from './classification-policies.js';
import { compareClassifications } from './label-algebra.js';

const P = CLASSIFICATION_POLICIES;
const policy = (id: string) => {
  const p = policyById(id);
  if (p === undefined) throw new Error(`no ${id}`);
  return p;
};
const eq = (id: string, level: string) => policy(id).equivalents[level] ?? {};

describe('classification policies', () => {
  it('orders NATO levels from UNCLASSIFIED to COSMIC TOP SECRET', () => {
    expect(policy('NATO').levels).toEqual(['UNCLASSIFIED', 'RESTRICTED', 'CONFIDENTIAL', 'SECRET', 'COSMIC TOP SECRET']);
    expect(levelRank(policy('NATO'), 'SECRET')).toBe(3);
  });

  it('knows NATO, EU and the DEU, GBR, USA and FRA schemes, each with an unclassified level first', () => {
    expect(P.map((p) => p.id)).toEqual(['NATO', 'EU', 'DEU', 'GBR', 'USA', 'FRA']);
    expect(P.map((p) => p.levels[0])).toEqual(['UNCLASSIFIED', 'UNCLASSIFIED', 'OFFEN', 'OFFICIAL', 'UNCLASSIFIED', 'NON PROTEGE']);
  });

  it('refuses an unknown level rather than ranking it', () => {
    expect(() => levelRank(policy('GBR'), 'CONFIDENTIAL')).toThrow(/GBR has no level "CONFIDENTIAL"/);
  });

  it('maps NATO RESTRICTED to RESTREINT UE, VS-NfD, OFFICIAL-SENSITIVE and DIFFUSION RESTREINTE, and to US CONFIDENTIAL (C-MOD)', () => {
    expect(eq('NATO', 'RESTRICTED')).toEqual({ EU: 'RESTREINT UE', DEU: 'VS-NFD', GBR: 'OFFICIAL-SENSITIVE', USA: 'CONFIDENTIAL', FRA: 'DIFFUSION RESTREINTE' });
  });

  it('protects NATO CONFIDENTIAL at UK and French SECRET, which have no CONFIDENTIAL', () => {
    expect(eq('NATO', 'CONFIDENTIAL')).toEqual({ EU: 'CONFIDENTIEL UE', DEU: 'VS-VERTRAULICH', GBR: 'SECRET', USA: 'CONFIDENTIAL', FRA: 'SECRET' });
  });

  it('treats NATO SECRET, SECRET UE, GEHEIM, UK, US and French SECRET as one row', () => {
    const row = [['NATO', 'SECRET'], ['EU', 'SECRET UE'], ['DEU', 'GEHEIM'], ['GBR', 'SECRET'], ['USA', 'SECRET'], ['FRA', 'SECRET']] as const;
    for (const [id, level] of row) {
      for (const [other, otherLevel] of row) if (other !== id) expect(eq(id, level)[other]).toBe(otherLevel);
    }
  });

  it('maps each top secret level to the others', () => {
    expect(eq('NATO', 'COSMIC TOP SECRET')).toEqual({ EU: 'TRES SECRET UE', DEU: 'STRENG GEHEIM', GBR: 'TOP SECRET', USA: 'TOP SECRET', FRA: 'TRES SECRET' });
    expect(eq('FRA', 'TRES SECRET')['NATO']).toBe('COSMIC TOP SECRET');
  });

  it('maps the EU levels to NATO and Germany one to one', () => {
    expect(eq('EU', 'RESTREINT UE')).toMatchObject({ NATO: 'RESTRICTED', DEU: 'VS-NFD' });
    expect(eq('EU', 'CONFIDENTIEL UE')).toMatchObject({ NATO: 'CONFIDENTIAL', DEU: 'VS-VERTRAULICH', GBR: 'SECRET' });
    expect(eq('EU', 'TRES SECRET UE')).toMatchObject({ NATO: 'COSMIC TOP SECRET', DEU: 'STRENG GEHEIM' });
  });

  it('maps the German levels', () => {
    expect(eq('DEU', 'VS-NFD')).toMatchObject({ NATO: 'RESTRICTED', EU: 'RESTREINT UE', GBR: 'OFFICIAL-SENSITIVE', FRA: 'DIFFUSION RESTREINTE', USA: 'CONFIDENTIAL' });
    expect(eq('DEU', 'VS-VERTRAULICH')).toMatchObject({ NATO: 'CONFIDENTIAL', USA: 'CONFIDENTIAL', GBR: 'SECRET' });
  });

  it('maps the UK levels, OFFICIAL to the unclassified levels', () => {
    expect(eq('GBR', 'OFFICIAL')).toEqual({ NATO: 'UNCLASSIFIED', EU: 'UNCLASSIFIED', DEU: 'OFFEN', USA: 'UNCLASSIFIED', FRA: 'NON PROTEGE' });
    expect(eq('GBR', 'OFFICIAL-SENSITIVE')).toMatchObject({ NATO: 'RESTRICTED', DEU: 'VS-NFD', USA: 'CONFIDENTIAL' });
    expect(eq('GBR', 'TOP SECRET')).toMatchObject({ NATO: 'COSMIC TOP SECRET', USA: 'TOP SECRET' });
  });

  it('maps the US levels: CONFIDENTIAL is UK and French SECRET', () => {
    expect(eq('USA', 'CONFIDENTIAL')).toEqual({ NATO: 'CONFIDENTIAL', EU: 'CONFIDENTIEL UE', DEU: 'VS-VERTRAULICH', GBR: 'SECRET', FRA: 'SECRET' });
  });

  it('maps the French levels', () => {
    expect(eq('FRA', 'DIFFUSION RESTREINTE')).toMatchObject({ NATO: 'RESTRICTED', EU: 'RESTREINT UE', DEU: 'VS-NFD', GBR: 'OFFICIAL-SENSITIVE' });
    expect(eq('FRA', 'SECRET')).toMatchObject({ NATO: 'SECRET', EU: 'SECRET UE' });
  });

  it('names only levels that exist in each equivalent policy', () => {
    for (const p of P) {
      for (const [level, row] of Object.entries(p.equivalents)) {
        expect(p.levels).toContain(level);
        for (const [other, otherLevel] of Object.entries(row)) expect(policy(other).levels).toContain(otherLevel);
      }
    }
  });

  it('compares through the tables: NATO CONFIDENTIAL is below UK SECRET, equal to US CONFIDENTIAL', () => {
    expect(compareClassifications({ policy: 'NATO', level: 'CONFIDENTIAL' }, { policy: 'GBR', level: 'SECRET' }, P)).toBe(-1);
    expect(compareClassifications({ policy: 'NATO', level: 'CONFIDENTIAL' }, { policy: 'USA', level: 'CONFIDENTIAL' }, P)).toBe(0);
    expect(compareClassifications({ policy: 'DEU', level: 'GEHEIM' }, { policy: 'EU', level: 'RESTREINT UE' }, P)).toBe(1);
    expect(compareClassifications({ policy: 'FRA', level: 'SECRET' }, { policy: 'NATO', level: 'SECRET' }, P)).toBe(0);
  });

  it('finds two classifications incomparable when no table links their policies', () => {
    const lonely = [...P, { id: 'XXX', name: 'isolated', levels: ['OPEN', 'CLOSED'], equivalents: {} }];
    expect(compareClassifications({ policy: 'XXX', level: 'CLOSED' }, { policy: 'NATO', level: 'RESTRICTED' }, lonely)).toBeUndefined();
    expect(compareClassifications({ policy: 'XXX', level: 'CLOSED' }, { policy: 'NATO', level: 'UNCLASSIFIED' }, lonely)).toBe(1);
  });

  it('limits private partners and academia to the RESTRICTED-equivalent level (US: UNCLASSIFIED)', () => {
    expect(P.map((p) => [p.id, p.releaseLimits?.['private-partner'], p.releaseLimits?.academia])).toEqual([
      ['NATO', 'RESTRICTED', 'RESTRICTED'], ['EU', 'RESTREINT UE', 'RESTREINT UE'], ['DEU', 'VS-NFD', 'VS-NFD'],
      ['GBR', 'OFFICIAL-SENSITIVE', 'OFFICIAL-SENSITIVE'], ['USA', 'UNCLASSIFIED', 'UNCLASSIFIED'], ['FRA', 'DIFFUSION RESTREINTE', 'DIFFUSION RESTREINTE'],
    ]);
    expect(policy('NATO').releaseLimits?.nation).toBeUndefined();
  });
});

describe('alliances', () => {
  it('lists 32 NATO members, 27 EU members and the Five Eyes', () => {
    expect(ALLIANCES['NATO']).toHaveLength(32);
    expect(ALLIANCES['EU']).toHaveLength(27);
    expect(ALLIANCES['FVEY']).toEqual(['AUS', 'CAN', 'GBR', 'NZL', 'USA']);
    for (const members of Object.values(ALLIANCES)) expect(new Set(members).size).toBe(members.length);
  });

  it('answers the alliances of a country', () => {
    expect(alliancesOf('DEU')).toEqual(['EU', 'NATO']);
    expect(alliancesOf('GBR')).toEqual(['FVEY', 'NATO']);
    expect(alliancesOf('SWE')).toEqual(['EU', 'NATO']);
    expect(alliancesOf('AUT')).toEqual(['EU']);
    expect(alliancesOf('JPN')).toEqual([]);
  });
});
