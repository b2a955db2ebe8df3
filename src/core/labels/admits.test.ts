import { describe, expect, it } from 'vitest';
import { admits, labelAllows } from './admits.js';
import { classificationCeilingChecks, withinReleaseLimit } from './ceilings.js';
import { policyById } from './classification-policies.js';
import { label, POLICIES, subject } from './test-builders.js';

const ctx = { policies: POLICIES, nodeCountry: 'DEU' };
const allowed = (l: Parameters<typeof admits>[0], s: Parameters<typeof admits>[1], c: Parameters<typeof admits>[2] = ctx) => labelAllows(admits(l, s, c));
const natoSecret = label({ classifications: [{ policy: 'NATO', level: 'SECRET' }] });

describe('admits: classification', () => {
  it('admits a clearance at or above the level under the same policy', () => {
    expect(allowed(natoSecret, subject({ clearances: [{ policy: 'NATO', level: 'SECRET' }] }))).toBe(true);
    expect(allowed(natoSecret, subject({ clearances: [{ policy: 'NATO', level: 'COSMIC TOP SECRET' }] }))).toBe(true);
    expect(allowed(natoSecret, subject({ clearances: [{ policy: 'NATO', level: 'CONFIDENTIAL' }] }))).toBe(false);
  });

  it('admits a national clearance at the equivalent level', () => {
    expect(allowed(natoSecret, subject({ clearances: [{ policy: 'DEU', level: 'GEHEIM' }] }))).toBe(true);
    expect(allowed(natoSecret, subject({ clearances: [{ policy: 'DEU', level: 'VS-VERTRAULICH' }] }))).toBe(false);
    const natoConfidential = label({ classifications: [{ policy: 'NATO', level: 'CONFIDENTIAL' }] });
    expect(allowed(natoConfidential, subject({ clearances: [{ policy: 'GBR', level: 'OFFICIAL-SENSITIVE' }] }))).toBe(false);
    expect(allowed(natoConfidential, subject({ clearances: [{ policy: 'GBR', level: 'SECRET' }] }))).toBe(true);
  });

  it('needs no clearance for an unclassified level, and explains each classification', () => {
    const checks = admits(label({ classifications: [{ policy: 'NATO', level: 'UNCLASSIFIED' }, { policy: 'DEU', level: 'VS-NFD' }] }), subject({ clearances: [{ policy: 'EU', level: 'RESTREINT UE' }] }), ctx);
    expect(checks.filter((c) => c.component === 'classification')).toEqual([
      { component: 'classification', ok: true, detail: 'NATO UNCLASSIFIED needs no clearance' },
      { component: 'classification', ok: true, detail: "VS-NfD is covered by the recipient's EU RESTREINT UE clearance" },
    ]);
  });

  it('refuses a subject without clearance, and one whose clearance level it does not know', () => {
    expect(allowed(natoSecret, subject())).toBe(false);
    expect(allowed(natoSecret, subject({ clearances: [{ policy: 'NATO', level: 'ULTRA' }] }))).toBe(false);
  });
});

describe('admits: releasability', () => {
  const relUsaGbr = label({ releasableTo: [['USA', 'GBR']] });

  it('admits a country in the list or a member of an alliance in it', () => {
    expect(allowed(relUsaGbr, subject({ country: 'GBR' }))).toBe(true);
    expect(allowed(relUsaGbr, subject({ country: 'DEU' }))).toBe(false);
    expect(allowed(label({ releasableTo: [['NATO']] }), subject({ country: 'POL' }))).toBe(true);
    expect(allowed(label({ releasableTo: [['NATO']] }), subject({ country: 'AUT' }))).toBe(false);
    expect(allowed(label({ releasableTo: [['FVEY']] }), subject({ country: 'XXX', alliances: ['FVEY'] }))).toBe(true);
  });

  it('needs every REL TO list to match', () => {
    const both = label({ releasableTo: [['NATO'], ['DEU', 'FRA']] });
    expect(allowed(both, subject({ country: 'FRA' }))).toBe(true);
    expect(allowed(both, subject({ country: 'POL' }))).toBe(false);
    expect(allowed(both, subject({ country: 'AUT' }))).toBe(false);
  });

  it('says which list failed', () => {
    const checks = admits(relUsaGbr, subject({ country: 'POL' }), ctx);
    expect(checks).toContainEqual({ component: 'releasability', ok: false, detail: 'REL TO USA, GBR does not include POL or an alliance it belongs to' });
  });
});

describe('admits: caveats and expiry', () => {
  it('admits NOFORN only to nationals of the node', () => {
    const noforn = label({ caveats: ['NOFORN'] });
    expect(allowed(noforn, subject({ country: 'DEU' }))).toBe(true);
    expect(allowed(noforn, subject({ country: 'FRA' }))).toBe(false);
    expect(allowed(noforn, subject({ country: 'FRA' }), { ...ctx, nodeCountry: 'FRA' })).toBe(true);
  });

  it('needs the subject to hold every other caveat', () => {
    const orcon = label({ caveats: ['ORCON', 'CYBER-X'] });
    expect(allowed(orcon, subject({ caveats: ['ORCON'] }))).toBe(false);
    expect(allowed(orcon, subject({ caveats: ['ORCON', 'CYBER-X'] }))).toBe(true);
  });

  it('checks expiry only when the time is given', () => {
    const expiring = label({ handling: { expiresAt: '2026-06-01T00:00:00Z' } });
    expect(admits(expiring, subject(), ctx).some((c) => c.component === 'handling')).toBe(false);
    expect(allowed(expiring, subject(), { ...ctx, now: '2026-05-31T23:59:59Z' })).toBe(true);
    expect(allowed(expiring, subject(), { ...ctx, now: '2026-06-01T00:00:00Z' })).toBe(false);
  });

  it('does not check TLP or PAP', () => {
    expect(admits(label({ tlp: 'red', pap: 'red' }), subject(), ctx).map((c) => c.component)).toEqual(['classification', 'releasability', 'caveat']);
  });
});

describe('ceilings', () => {
  it('lets a classification through under its policy ceiling, never under an unlisted policy', () => {
    const ceiling = [{ policy: 'NATO', level: 'RESTRICTED' }];
    expect(classificationCeilingChecks([{ policy: 'NATO', level: 'RESTRICTED' }], ceiling, POLICIES)[0]?.ok).toBe(true);
    expect(classificationCeilingChecks([{ policy: 'NATO', level: 'SECRET' }], ceiling, POLICIES)[0]?.ok).toBe(false);
    expect(classificationCeilingChecks([{ policy: 'DEU', level: 'VS-NFD' }], ceiling, POLICIES)[0]?.detail).toBe('VS-NfD: the ceiling allows nothing classified under DEU');
    expect(classificationCeilingChecks([{ policy: 'DEU', level: 'OFFEN' }], ceiling, POLICIES)[0]?.ok).toBe(true);
  });

  it('refuses a ceiling above a policy release limit for private partners', () => {
    const nato = policyById('NATO');
    if (nato === undefined) throw new Error('no NATO');
    expect(withinReleaseLimit(nato, 'private-partner', 'RESTRICTED')).toBe(true);
    expect(withinReleaseLimit(nato, 'private-partner', 'CONFIDENTIAL')).toBe(false);
    expect(withinReleaseLimit(nato, 'nation', 'COSMIC TOP SECRET')).toBe(true);
  });
});
