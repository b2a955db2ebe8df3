import { describe, expect, it } from 'vitest';
import { prepareRecipient } from './recipient.js';
import { decide, decideProjected } from './release-decision.js';
import { agreement, DEU, FRA, POL, policyContext, USA, ACME } from './testing/policy-builders.js';
import { identity, indicator, labelled, relationship, type Obj } from './testing/objects.js';
import type { Agreement, Organisation, ReleaseDecision, UserProfile } from './types.js';

function toPeer(peer: Organisation, agreements: ReadonlyArray<Agreement>, object: Obj, banner: string, extra: { granular?: Record<string, string>; victims?: ReadonlySet<string> } = {}): ReleaseDecision {
  const recipient = prepareRecipient({ kind: 'peer', organisation: peer }, policyContext(agreements));
  return decide(recipient, { object, labels: labelled(banner, extra.granular), ...(extra.victims === undefined ? {} : { victims: extra.victims }) });
}

function toUser(user: Partial<UserProfile>, object: Obj, banner: string, agreements: ReadonlyArray<Agreement> = []): ReleaseDecision {
  const profile: UserProfile = { name: 'anna', nationality: 'DEU', clearances: [], caveats: [], roles: ['analyst'], ...user };
  return decide(prepareRecipient({ kind: 'user', user: profile }, policyContext(agreements)), { object, labels: labelled(banner) });
}

const bilateral = agreement();

describe('release to a peer', () => {
  it('allows a TLP:GREEN indicator to Poland under an active agreement with an AMBER ceiling', () => {
    const d = toPeer(POL, [bilateral], indicator(), 'TLP:GREEN');
    expect(d.outcome).toBe('allow');
    expect(d.agreement).toEqual({ id: 'deu-pol', version: 1 });
    expect(d.steps.map((s) => s.rule)).toEqual(expect.arrayContaining(['origin', 'deu-pol v1: scope', 'deu-pol v1: tlp-ceiling']));
  });

  it('denies a TLP:RED object above the ceiling and says which ceiling', () => {
    const d = toPeer(POL, [bilateral], indicator(), 'TLP:RED');
    expect(d).toMatchObject({ outcome: 'deny', reason: 'tlp-ceiling' });
    expect(d.object).toBeUndefined();
    expect(d.steps.find((s) => s.outcome === 'fail')?.detail).toBe('TLP:RED is above the ceiling TLP:AMBER');
  });

  it('uses the party\'s own ceiling over the default', () => {
    const strict = agreement({ ceilings: { POL: { tlp: 'green', classifications: [] } } });
    expect(toPeer(POL, [strict], indicator(), 'TLP:AMBER').reason).toBe('tlp-ceiling');
    expect(toPeer(POL, [strict], indicator(), 'TLP:GREEN').outcome).toBe('allow');
  });

  it.each([
    ['a draft', agreement({ status: 'draft' })],
    ['a suspended', agreement({ status: 'suspended' })],
    ['an ended', agreement({ validUntil: '2026-06-01T00:00:00.000Z' })],
    ['a not yet started', agreement({ validFrom: '2027-01-01T00:00:00.000Z' })],
    ['another party\'s', agreement({ parties: ['DEU', 'FRA'] })],
  ])('denies everything when the only agreement is %s one', (_, a) => {
    expect(toPeer(POL, [a], indicator(), 'TLP:CLEAR')).toMatchObject({ outcome: 'deny', reason: 'no-agreement' });
  });

  it('holds classifications to the ceiling of their own policy: an equivalent level elsewhere does not open it', () => {
    expect(toPeer(POL, [bilateral], indicator(), 'NATO RESTRICTED // TLP:GREEN').outcome).toBe('allow');
    expect(toPeer(POL, [bilateral], indicator(), 'NATO SECRET // TLP:GREEN')).toMatchObject({ outcome: 'deny', reason: 'classification-ceiling' });
    const national = toPeer(POL, [bilateral], indicator(), 'VS-NfD // TLP:GREEN');
    expect(national).toMatchObject({ outcome: 'deny', reason: 'classification-ceiling' });
    expect(national.steps.find((s) => s.outcome === 'fail')?.detail).toMatch(/the ceiling allows nothing classified under DEU/);
    const withNational = agreement({ defaultCeiling: { tlp: 'amber', classifications: [{ policy: 'NATO', level: 'RESTRICTED' }, { policy: 'DEU', level: 'VS-NFD' }] } });
    expect(toPeer(POL, [withNational], indicator(), 'VS-NfD // TLP:GREEN').outcome).toBe('allow');
    expect(toPeer(POL, [withNational], indicator(), 'DEU GEHEIM // TLP:GREEN').reason).toBe('classification-ceiling');
  });

  it('decides a marking-definition only whole: its projection does not hold the label it defines', () => {
    const definition = { type: 'marking-definition', spec_version: '2.1', id: 'marking-definition--4b1e2f3a-0000-4000-8000-00000000000b', created: '2026-01-01T00:00:00.000Z', definition_type: 'statement', definition: { statement: 'x' } } as unknown as Obj;
    const recipient = prepareRecipient({ kind: 'peer', organisation: POL }, policyContext([bilateral]));
    const defaulted = { ...labelled('TLP:AMBER'), defaulted: true };
    expect(decideProjected(recipient, { object: { type: 'marking-definition', id: definition['id'] }, labels: defaulted })).toBeUndefined();
    expect(decideProjected(recipient, { object: indicator(), labels: labelled('TLP:GREEN') })?.outcome).toBe('allow');
  });

  it('lets marking and extension definitions go unmarked, whatever the default label', () => {
    const definition = { type: 'marking-definition', spec_version: '2.1', id: 'marking-definition--4b1e2f3a-0000-4000-8000-00000000000a', created: '2026-01-01T00:00:00.000Z', definition_type: 'statement', definition: { statement: 'x' } } as unknown as Obj;
    const strict = agreement({ defaultCeiling: { tlp: 'clear', classifications: [] } });
    const recipient = prepareRecipient({ kind: 'peer', organisation: POL }, policyContext([strict]));
    const defaulted = { ...labelled('TLP:AMBER'), defaulted: true };
    expect(decide(recipient, { object: definition, labels: defaulted }).outcome).toBe('allow');
    expect(decide(recipient, { object: indicator(), labels: defaulted }).reason).toBe('tlp-ceiling');
  });

  it('chooses an agreement whose redactions remove nothing over one that changes the object', () => {
    const stripping = agreement({ id: 'a-stripping', redactions: [{ kind: 'generalise-addresses', ipv4Prefix: 24, ipv6Prefix: 48 }] });
    const victims = agreement({ id: 'b-victims', redactions: [{ kind: 'strip-victim-identities' }] });
    const d = toPeer(POL, [stripping, victims], indicator(), 'TLP:GREEN', { victims: new Set() });
    expect(d).toMatchObject({ outcome: 'allow', agreement: { id: 'b-victims' } });
  });

  it('honours REL TO lists by country and alliance', () => {
    expect(toPeer(POL, [bilateral], indicator(), 'NATO RESTRICTED // REL TO NATO').outcome).toBe('allow');
    expect(toPeer(POL, [bilateral], indicator(), 'NATO RESTRICTED // REL TO USA, GBR')).toMatchObject({ outcome: 'deny', reason: 'releasability' });
    expect(toPeer(POL, [bilateral], indicator(), 'REL TO FVEY')).toMatchObject({ outcome: 'deny', reason: 'releasability' });
    expect(toPeer(POL, [bilateral], indicator(), 'REL TO DEU, POL').outcome).toBe('allow');
  });

  it('never sends NOFORN information to a foreign party', () => {
    expect(toPeer(POL, [bilateral], indicator(), 'NOFORN // TLP:CLEAR')).toMatchObject({ outcome: 'deny', reason: 'caveat' });
  });

  it('denies what is outside the agreement\'s scope', () => {
    const scoped = agreement({ scope: { types: ['indicator'], excludeTypes: [], tags: ['energy'], sectors: [] } });
    expect(toPeer(POL, [scoped], identity(), 'TLP:GREEN')).toMatchObject({ outcome: 'deny', reason: 'out-of-scope' });
    expect(toPeer(POL, [scoped], indicator(), 'TLP:GREEN')).toMatchObject({ outcome: 'deny', reason: 'out-of-scope' });
    expect(toPeer(POL, [scoped], indicator({ labels: ['energy'] }), 'TLP:GREEN').outcome).toBe('allow');
  });

  it('passes on a third party\'s data only where that party\'s agreement allows it, and never above TLP:GREEN', () => {
    const fromFrance = indicator({ created_by_ref: FRA.id });
    const deuFra = agreement({ id: 'deu-fra', parties: ['DEU', 'FRA'] });
    expect(toPeer(POL, [bilateral, deuFra], fromFrance, 'TLP:GREEN')).toMatchObject({ outcome: 'deny', reason: 'onward-not-allowed' });
    const onward = agreement({ id: 'deu-fra', parties: ['DEU', 'FRA'], onward: { DEU: ['NATO'] } });
    expect(toPeer(POL, [bilateral, onward], fromFrance, 'TLP:GREEN').outcome).toBe('allow');
    expect(toPeer(POL, [bilateral, onward], fromFrance, 'TLP:AMBER')).toMatchObject({ outcome: 'deny', reason: 'tlp-no-onward' });
    expect(toPeer(ACME, [agreement({ id: 'deu-acme', parties: ['DEU', 'ACME'] }), onward], fromFrance, 'TLP:GREEN').reason).toBe('onward-not-allowed');
  });

  it('returns a party\'s own data to it', () => {
    expect(toPeer(POL, [bilateral], indicator({ created_by_ref: POL.id }), 'TLP:AMBER').outcome).toBe('allow');
  });

  it('removes a paragraph marked for fewer nations instead of withholding the whole object', () => {
    const object = indicator({ description: 'Seen at a US facility' });
    const d = toPeer(POL, [bilateral], object, 'TLP:GREEN', { granular: { description: 'REL TO USA, GBR' } });
    expect(d.outcome).toBe('redact');
    expect(d.object).not.toHaveProperty('description');
    expect(d.object).toHaveProperty('pattern', object['pattern']);
    expect(object).toHaveProperty('description');
    const usa = agreement({ id: 'deu-usa', parties: ['DEU', 'USA'] });
    expect(toPeer(USA, [usa], object, 'TLP:GREEN', { granular: { description: 'REL TO USA, GBR' } }).outcome).toBe('allow');
  });

  it('withholds the object whole when redaction would leave it invalid STIX', () => {
    const d = toPeer(POL, [agreement({ redactions: [{ kind: 'strip-properties', properties: ['pattern'] }] })], indicator(), 'TLP:GREEN');
    expect(d).toMatchObject({ outcome: 'deny', reason: 'redaction-invalid' });
  });

  it('applies the agreement\'s redactions', () => {
    const rules: Agreement['redactions'] = [
      { kind: 'strip-custom-properties', keep: ['x_mitre_id'] },
      { kind: 'generalise-addresses', ipv4Prefix: 24, ipv6Prefix: 48 },
    ];
    const d = toPeer(POL, [agreement({ redactions: rules })], indicator({ x_internal_case: 'K-17', x_mitre_id: 'T1071' }), 'TLP:GREEN');
    expect(d.outcome).toBe('redact');
    expect(d.object).toMatchObject({ pattern: "[ipv4-addr:value = '198.51.100.0/24']", x_mitre_id: 'T1071' });
    expect(d.object).not.toHaveProperty('x_internal_case');
  });

  it('strips victims: a victim identity and relationships to it do not go', () => {
    const victim = identity();
    const strip = agreement({ redactions: [{ kind: 'strip-victim-identities' }] });
    const victims = new Set([victim.id]);
    expect(toPeer(POL, [strip], victim, 'TLP:GREEN', { victims })).toMatchObject({ outcome: 'deny', reason: 'victim-identity' });
    expect(toPeer(POL, [strip], relationship(indicator().id, victim.id, 'targets'), 'TLP:GREEN', { victims }).reason).toBe('victim-identity');
    expect(toPeer(POL, [strip], identity(), 'TLP:GREEN', { victims }).outcome).toBe('allow');
  });

  it('prefers an agreement that releases the object unchanged over one that redacts it', () => {
    const redacting = agreement({ id: 'a-redacting', redactions: [{ kind: 'strip-custom-properties', keep: [] }] });
    const plain = agreement({ id: 'b-plain' });
    const d = toPeer(POL, [redacting, plain], indicator({ x_note: 'n' }), 'TLP:GREEN');
    expect(d).toMatchObject({ outcome: 'allow', agreement: { id: 'b-plain' } });
  });

  it('denies a label whose IEP expiry has passed', () => {
    expect(toPeer(POL, [bilateral], indicator(), 'TLP:GREEN // IEP EXPIRES=2026-06-01T00:00:00.000Z')).toMatchObject({ outcome: 'deny', reason: 'expired' });
  });
});

describe('release to a user of this node', () => {
  it('needs a clearance at or above the classification, under any equivalent policy', () => {
    expect(toUser({}, indicator(), 'NATO SECRET')).toMatchObject({ outcome: 'deny', reason: 'clearance' });
    expect(toUser({ clearances: [{ policy: 'NATO', level: 'SECRET' }] }, indicator(), 'NATO SECRET').outcome).toBe('allow');
    expect(toUser({ clearances: [{ policy: 'DEU', level: 'GEHEIM' }] }, indicator(), 'NATO SECRET').outcome).toBe('allow');
    expect(toUser({ clearances: [{ policy: 'DEU', level: 'VS-VERTRAULICH' }] }, indicator(), 'NATO SECRET').reason).toBe('clearance');
  });

  it('needs the nationality a REL TO list names, and every caveat', () => {
    expect(toUser({ nationality: 'POL' }, indicator(), 'REL TO USA, GBR').reason).toBe('releasability');
    expect(toUser({ nationality: 'GBR' }, indicator(), 'REL TO USA, GBR').outcome).toBe('allow');
    expect(toUser({}, indicator(), 'CYBER-OPS').reason).toBe('caveat');
    expect(toUser({ caveats: ['CYBER-OPS'] }, indicator(), 'CYBER-OPS').outcome).toBe('allow');
    expect(toUser({ nationality: 'FRA' }, indicator(), 'NOFORN').reason).toBe('caveat');
  });

  it('is not held to TLP: users are the organisation TLP addresses', () => {
    expect(toUser({}, indicator(), 'TLP:RED').outcome).toBe('allow');
  });

  it('holds a user of a partner organisation to that organisation\'s agreement as well', () => {
    const polUser = { nationality: 'POL', organisation: 'POL', clearances: [{ policy: 'NATO', level: 'SECRET' }] };
    expect(toUser(polUser, indicator(), 'TLP:AMBER')).toMatchObject({ outcome: 'deny', reason: 'no-agreement' });
    expect(toUser(polUser, indicator(), 'TLP:AMBER', [bilateral]).outcome).toBe('allow');
    expect(toUser(polUser, indicator(), 'TLP:RED', [bilateral]).reason).toBe('tlp-ceiling');
  });
});

describe('the node itself', () => {
  it('is this node\'s organisation', () => {
    expect(DEU.code).toBe('DEU');
  });
});
