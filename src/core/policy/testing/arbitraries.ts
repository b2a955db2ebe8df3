/**
 * fast-check arbitraries for the property tests of the release decision: a fixed directory
 * around a German node, and random labels, agreements, recipients, objects with granular parts
 * and graphs. Vocabularies are small on purpose, so that the interesting coincidences (a REL TO
 * list naming the recipient, a scope tag the object carries, an agreement naming the peer, an
 * agreement ending exactly now) happen often enough to be searched.
 */
import fc from 'fast-check';
import { CLASSIFICATION_POLICIES } from '../../labels/classification-policies.js';
import { PAP_LEVELS, TLP_LEVELS, type Classification, type ObjectLabels, type OrganisationKind, type SecurityLabel } from '../../labels/types.js';
import { deterministicScoId } from '../../stix/sco-id.js';
import { AGREEMENT_STATUSES, type Agreement, type Ceiling, type Organisation, type Recipient, type RedactionRule, type UserProfile } from '../types.js';

export type Obj = Record<string, unknown> & { readonly id: string; readonly type: string };

export const NOW = '2026-11-25T12:00:00.000Z';
const BEFORE = '2026-06-01T00:00:00.000Z';
const AFTER = '2027-03-01T00:00:00.000Z';
const T = '2026-01-01T00:00:00.000Z';

const hex12 = (n: number): string => n.toString(16).padStart(12, '0');
function organisation(n: number, code: string, kind: OrganisationKind, country: string, memberships: ReadonlyArray<string> = []): Organisation {
  return { id: `identity--0e0e0e0e-0000-4000-8000-${hex12(n)}`, code, name: code, kind, country, memberships, sectors: [] };
}

/** The node deciding: Germany's national CERT. */
export const NODE = organisation(1, 'DEU', 'nation', 'DEU');
/** One organisation of each kind, at home and abroad, inside and outside NATO, the EU and FVEY. */
export const PEERS: ReadonlyArray<Organisation> = [
  organisation(2, 'BSI', 'agency', 'DEU'),
  organisation(3, 'POL', 'nation', 'POL'),
  organisation(4, 'FRA', 'nation', 'FRA'),
  organisation(5, 'USA', 'nation', 'USA'),
  organisation(6, 'AUS', 'nation', 'AUS'),
  organisation(7, 'NCIA', 'alliance', 'NATO'),
  organisation(8, 'CERT-EU', 'international-organisation', 'BEL', ['EU']),
  organisation(9, 'ACME', 'private-partner', 'DEU'),
  organisation(10, 'SECURA', 'private-partner', 'POL'),
  organisation(11, 'UNI', 'academia', 'DEU'),
];
export const DIRECTORY: ReadonlyArray<Organisation> = [NODE, ...PEERS];
/** An identity no organisation of the directory has. */
export const STRANGER_ID = 'identity--0e0e0e0e-0000-4000-8000-0000000000ff';
/** An identity in the graph that is a victim. */
export const VICTIM_ID = 'identity--0e0e0e0e-0000-4000-8000-0000000000fe';

const PEER_CODES = PEERS.map((p) => p.code);
const COUNTRIES = ['DEU', 'POL', 'FRA', 'USA', 'GBR', 'AUS', 'BEL', 'JPN'];
const ALLIANCE_NAMES = ['NATO', 'EU', 'FVEY'];
const CAVEATS = ['NOFORN', 'ORCON', 'CYBER-X'];
const TAGS = ['energy', 'finance', 'sector:energy', 'sector:health', 'apt'];
const TYPES = ['indicator', 'malware', 'identity', 'report', 'relationship', 'ipv4-addr', 'ipv6-addr'];
const CUSTOM = ['x_case', 'x_source', 'x_mitre_id'];

export const ALL_CLASSIFICATIONS: ReadonlyArray<Classification> = CLASSIFICATION_POLICIES.flatMap((p) => p.levels.map((level) => ({ policy: p.id, level })));
const classificationArb = fc.constantFrom(...ALL_CLASSIFICATIONS);
/** Clearances or ceilings: at most one per policy. */
const clearancesArb = (pool: ReadonlyArray<Classification> = ALL_CLASSIFICATIONS) =>
  fc.uniqueArray(fc.constantFrom(...pool), { maxLength: 3, selector: (c) => c.policy });
const timeArb = fc.constantFrom(BEFORE, NOW, AFTER);
const optional = <V>(arb: fc.Arbitrary<V>, weight = 1) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: arb, weight });

export const labelArb: fc.Arbitrary<SecurityLabel> = fc.record({
  tlp: optional(fc.constantFrom(...TLP_LEVELS), 3),
  pap: optional(fc.constantFrom(...PAP_LEVELS)),
  classifications: fc.oneof({ arbitrary: fc.constant([]), weight: 2 }, fc.uniqueArray(classificationArb, { minLength: 1, maxLength: 2, selector: (c) => c.policy })),
  releasableTo: fc.oneof({ arbitrary: fc.constant([]), weight: 2 }, fc.array(fc.subarray([...COUNTRIES, ...ALLIANCE_NAMES], { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 2 })),
  caveats: fc.oneof({ arbitrary: fc.constant([]), weight: 3 }, { arbitrary: fc.subarray(CAVEATS, { minLength: 1, maxLength: 2 }), weight: 1 }),
  expiresAt: optional(timeArb),
  obfuscate: optional(fc.constantFrom('may', 'must') as fc.Arbitrary<'may' | 'must'>),
}).map(({ tlp, pap, expiresAt, obfuscate, ...rest }) => ({
  ...rest, informative: [],
  ...(tlp === undefined ? {} : { tlp }), ...(pap === undefined ? {} : { pap }),
  handling: { ...(expiresAt === undefined ? {} : { expiresAt }), ...(obfuscate === undefined ? {} : { obfuscateAffectedParties: obfuscate }) },
}));

/** The protection step (0 unclassified .. 4 top secret) of each built-in level, from the equivalence table's rows. */
const STEPS: Readonly<Record<string, ReadonlyArray<number>>> = {
  NATO: [0, 1, 2, 3, 4], EU: [0, 1, 2, 3, 4], DEU: [0, 1, 2, 3, 4], GBR: [0, 1, 3, 4], USA: [0, 2, 3, 4], FRA: [0, 1, 3, 4],
};
export function protectionStepOf(c: Classification): number {
  const levels = CLASSIFICATION_POLICIES.find((p) => p.id === c.policy)?.levels ?? [];
  return STEPS[c.policy]?.[levels.indexOf(c.level)] ?? Number.MAX_SAFE_INTEGER;
}
/** Private partners and academia may hold at most RESTRICTED-equivalent ceilings (an agreement above is refused on input). */
export const LIMITED_KINDS: ReadonlySet<string> = new Set(['private-partner', 'academia']);
const LIMITED = ALL_CLASSIFICATIONS.filter((c) => protectionStepOf(c) <= 1);

const ceilingArb = (limited: boolean): fc.Arbitrary<Ceiling> => fc.record({
  tlp: fc.constantFrom(...TLP_LEVELS),
  pap: optional(fc.constantFrom(...PAP_LEVELS)),
  classifications: clearancesArb(limited ? LIMITED : ALL_CLASSIFICATIONS),
}).map(({ pap, ...rest }) => ({ ...rest, ...(pap === undefined ? {} : { pap }) }));

const redactionArb: fc.Arbitrary<RedactionRule> = fc.oneof(
  fc.constant({ kind: 'strip-victim-identities' as const }),
  fc.subarray(CUSTOM).map((keep) => ({ kind: 'strip-custom-properties' as const, keep })),
  fc.subarray(['description', 'x_case', 'x_nested.ref', 'external_references', 'name'], { minLength: 1 }).map((properties) => ({ kind: 'strip-properties' as const, properties })),
  fc.record({ ipv4Prefix: fc.constantFrom(8, 16, 24, 32), ipv6Prefix: fc.constantFrom(32, 48, 64) }).map((p) => ({ kind: 'generalise-addresses' as const, ...p })),
);

const kindOf = (code: string): OrganisationKind => DIRECTORY.find((o) => o.code === code)?.kind ?? 'nation';

const agreementArb = (id: string): fc.Arbitrary<Agreement> => fc.record({
  version: fc.integer({ min: 1, max: 3 }),
  status: fc.oneof({ arbitrary: fc.constant('active' as const), weight: 6 }, fc.constantFrom(...AGREEMENT_STATUSES)),
  withNode: fc.oneof({ arbitrary: fc.constant(true), weight: 9 }, fc.constant(false)),
  others: fc.subarray(PEER_CODES, { minLength: 1, maxLength: 4 }),
  validFrom: fc.oneof({ arbitrary: fc.constant(BEFORE), weight: 4 }, timeArb),
  validUntil: optional(fc.oneof({ arbitrary: fc.constant(AFTER), weight: 3 }, timeArb)),
  scope: fc.oneof({ arbitrary: fc.constant({ types: [], excludeTypes: [], tags: [], sectors: [] }), weight: 2 }, fc.record({
    types: fc.subarray(TYPES), excludeTypes: fc.subarray(TYPES, { maxLength: 1 }), tags: fc.subarray(TAGS, { maxLength: 2 }), sectors: fc.subarray(['energy', 'health'], { maxLength: 1 }),
  })),
  defaultCeiling: ceilingArb(false),
  ownCeilings: fc.subarray(PEER_CODES),
  ceilingSeeds: fc.array(fc.tuple(ceilingArb(false), ceilingArb(true)), { minLength: PEER_CODES.length, maxLength: PEER_CODES.length }),
  onward: fc.array(fc.subarray([...PEER_CODES, ...COUNTRIES, ...ALLIANCE_NAMES], { maxLength: 3 }), { minLength: PEER_CODES.length + 1, maxLength: PEER_CODES.length + 1 }),
  onwardFor: fc.subarray([NODE.code, ...PEER_CODES], { maxLength: 3 }),
  redactions: fc.oneof({ arbitrary: fc.constant([]), weight: 2 }, fc.array(redactionArb, { minLength: 1, maxLength: 3 })),
}).map((r) => {
  const parties = [...(r.withNode ? [NODE.code] : []), ...r.others];
  const ceilings: Record<string, Ceiling> = {};
  const onward: Record<string, ReadonlyArray<string>> = {};
  PEER_CODES.forEach((code, i) => {
    const [open, limited] = r.ceilingSeeds[i] as [Ceiling, Ceiling];
    // A private partner or university always gets a ceiling of its own within its release limit,
    // as the agreement reader insists; the default ceiling may then be anything.
    if (LIMITED_KINDS.has(kindOf(code))) ceilings[code] = limited;
    else if (r.ownCeilings.includes(code)) ceilings[code] = open;
  });
  [NODE.code, ...PEER_CODES].forEach((code, i) => {
    if (r.onwardFor.includes(code) && parties.includes(code)) onward[code] = (r.onward[i] ?? []).filter((t) => t !== code);
  });
  // Limited kinds keep theirs even when not a party, so that `worldArb` can add them as parties.
  for (const code of Object.keys(ceilings)) if (!parties.includes(code) && !LIMITED_KINDS.has(kindOf(code))) delete ceilings[code];
  return {
    id, version: r.version, title: id, purpose: 'test', status: r.status, parties, validFrom: r.validFrom,
    ...(r.validUntil === undefined ? {} : { validUntil: r.validUntil }),
    scope: r.scope, defaultCeiling: r.defaultCeiling, ceilings, onward, obligations: [], redactions: r.redactions,
  };
});

/** Up to four agreements with distinct ids. */
export const agreementsArb: fc.Arbitrary<ReadonlyArray<Agreement>> = fc.oneof(fc.constant([]), { arbitrary: fc.subarray(['a-nato', 'b-bilateral', 'c-eu', 'd-misc'], { minLength: 1 }), weight: 10 })
  .chain((ids): fc.Arbitrary<ReadonlyArray<Agreement>> => (ids.length === 0 ? fc.constant([]) : fc.tuple(...ids.map(agreementArb))));

const userArb: fc.Arbitrary<UserProfile> = fc.record({
  nationality: fc.constantFrom(...COUNTRIES),
  clearances: clearancesArb(),
  caveats: fc.subarray(CAVEATS),
  organisation: fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, fc.constantFrom(NODE.code, 'POL', 'ACME', 'CERT-EU', 'NOBODY')),
}).map(({ organisation: o, ...rest }) => ({ name: 'anna', roles: ['analyst'], ...rest, ...(o === undefined ? {} : { organisation: o }) }));

export const recipientArb: fc.Arbitrary<Recipient> = fc.oneof(
  { arbitrary: fc.constantFrom(...PEERS).map((organisation) => ({ kind: 'peer' as const, organisation })), weight: 2 },
  userArb.map((user) => ({ kind: 'user' as const, user })),
);

const ipv4Arb = fc.oneof(
  { arbitrary: fc.tuple(fc.constantFrom(10, 198, 203), fc.nat(255), fc.nat(255), fc.integer({ min: 1, max: 254 })).map((o) => o.join('.')), weight: 4 },
  // A network written with host bits set: the literal names a host as much as a bare address does.
  fc.tuple(fc.constantFrom(10, 198), fc.nat(255), fc.integer({ min: 1, max: 254 }), fc.constantFrom(16, 24, 28)).map(([a, b, c, p]) => `${a}.${b}.${c}.9/${p}`),
);
const ipv6Arb = fc.tuple(fc.integer({ min: 1, max: 0xffff }), fc.integer({ min: 1, max: 0xffff }), fc.integer({ min: 1, max: 0xffff }))
  .map(([a, b, c]) => `2001:db8:${a.toString(16)}:${b.toString(16)}::${c.toString(16)}`);
const patternArb = fc.array(fc.oneof(
  ipv4Arb.map((ip) => `ipv4-addr:value = '${ip}'`), ipv6Arb.map((ip) => `ipv6-addr:value = '${ip}'`), fc.constant("domain-name:value = 'c2.example.org'"),
), { minLength: 1, maxLength: 3 }).map((cs) => `[${cs.join(' OR ')}]`);

/** An id for graph positions and references: deterministic, valid UUIDv4 form. */
export const idOf = (type: string, n: number): string => `${type}--5a5a5a5a-0000-4000-8000-${hex12(n)}`;
const REFERABLE = [idOf('indicator', 900), idOf('malware', 901), VICTIM_ID, STRANGER_ID];

/** What every SDO may carry; each leaf string is unique in its object, so content can be traced by value. */
const sdoExtrasArb = fc.record({
  description: fc.boolean(),
  tags: fc.subarray(TAGS),
  refs: fc.nat(2),
  custom: fc.subarray(CUSTOM),
  nested: fc.boolean(),
  createdBy: optional(fc.constantFrom(NODE.id, STRANGER_ID, ...PEERS.map((p) => p.id)), 3),
});

type SdoExtras = typeof sdoExtrasArb extends fc.Arbitrary<infer E> ? E : never;

function sdo(type: string, uuid: string, x: SdoExtras, body: Record<string, unknown>): Obj {
  return {
    type, spec_version: '2.1', id: `${type}--${uuid}`, created: T, modified: T, ...body,
    ...(x.createdBy === undefined ? {} : { created_by_ref: x.createdBy }),
    ...(x.description ? { description: `secret description of ${type}` } : {}),
    ...(x.tags.length === 0 ? {} : { labels: x.tags }),
    ...(x.refs === 0 ? {} : { external_references: Array.from({ length: x.refs }, (_, i) => ({ source_name: `source-${i}`, external_id: `EXT-${i}`, description: `reference note ${i}` })) }),
    ...Object.fromEntries(x.custom.map((k) => [k, `value of ${k}`])),
    ...(x.nested ? { x_nested: { ref: 'nested-ref', other: 'nested-other' } } : {}),
  } as Obj;
}

const contentArb: fc.Arbitrary<Obj> = fc.tuple(fc.uuid({ version: 4 }), sdoExtrasArb).chain(([uuid, x]) => fc.oneof(
  patternArb.map((pattern) => sdo('indicator', uuid, x, { name: 'indicator name', pattern, pattern_type: 'stix', valid_from: T })),
  fc.constant(sdo('malware', uuid, x, { name: 'malware name', is_family: true })),
  fc.constant(sdo('identity', uuid, x, { name: 'identity name', identity_class: 'organization', sectors: ['energy'] })),
  fc.subarray(REFERABLE, { minLength: 1 }).map((object_refs) => sdo('report', uuid, x, { name: 'report name', published: T, object_refs })),
  fc.tuple(fc.constantFrom(...REFERABLE), fc.constantFrom(...REFERABLE)).map(([s, t]) => sdo('relationship', uuid, x, { relationship_type: 'targets', source_ref: s, target_ref: t })),
  fc.tuple(fc.constantFrom('ipv4-addr', 'ipv6-addr'), ipv4Arb, ipv6Arb, fc.boolean()).map(([type, v4, v6, custom]) => {
    const value = type === 'ipv4-addr' ? v4 : v6;
    return { type, spec_version: '2.1', id: deterministicScoId(type, { value }, ['value']) ?? `${type}--${uuid}`, value, ...(custom ? { x_case: 'value of x_case' } : {}) } as Obj;
  }),
));

/** Selectors (STIX 2.1 section 7.2.3.1) that resolve in the object, excluding the properties every object needs. */
export function selectorsOf(object: Obj): ReadonlyArray<string> {
  const out: string[] = [];
  for (const [key, value] of Object.entries(object)) {
    if (['type', 'spec_version', 'id', 'created', 'modified', 'created_by_ref', 'granular_markings'].includes(key)) continue;
    out.push(key);
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        out.push(`${key}.[${i}]`);
        if (typeof v === 'object' && v !== null) for (const k of Object.keys(v)) out.push(`${key}.[${i}].${k}`);
      });
    } else if (typeof value === 'object' && value !== null) for (const k of Object.keys(value)) out.push(`${key}.${k}`);
  }
  return out;
}

export interface DecisionCase {
  readonly object: Obj;
  readonly labels: ObjectLabels;
  readonly victims?: ReadonlySet<string>;
}

/** An object, its object-level label, up to three granular parts with labels of their own, and maybe victims. */
export const caseArb: fc.Arbitrary<DecisionCase> = contentArb.chain((content) => fc.record({
  label: labelArb,
  parts: fc.array(fc.record({ selectors: fc.subarray([...selectorsOf(content)], { minLength: 1, maxLength: Math.min(3, selectorsOf(content).length) }), label: labelArb }), { maxLength: 3 }),
  victims: optional(fc.subarray([content.id, ...REFERABLE], { minLength: 1 }), 2),
}).map(({ label, parts, victims }) => {
  const usable = selectorsOf(content).length > 0 ? parts : [];
  const object = usable.length === 0 ? content : {
    ...content,
    granular_markings: usable.map((p, i) => ({ marking_ref: `marking-definition--6f1b8a2c-0000-4000-8000-${hex12(i + 1)}`, selectors: p.selectors })),
  };
  return { object, labels: { object: label, granular: usable, defaulted: false }, ...(victims === undefined ? {} : { victims: new Set(victims) }) };
}));

/** A graph item: an object, its first decision, and whether the decision redacted it. */
export interface GraphItem {
  readonly object: Obj;
  readonly outcome: 'allow' | 'redact' | 'deny';
}

/** Ids outside the page: the caller decides those; `releasedOutside` picks among them. */
export const OUTSIDE: ReadonlyArray<string> = [idOf('indicator', 800), idOf('malware', 801), idOf('identity', 802), idOf('observed-data', 803)];

/**
 * A page of indicators, malware, identities, relationships, sightings and reports referring to
 * each other and to objects outside the page, each with a random first decision.
 */
export const graphArb = fc.integer({ min: 2, max: 14 }).chain((n) => {
  const types = fc.array(fc.constantFrom('indicator', 'malware', 'identity', 'relationship', 'sighting', 'report'), { minLength: n, maxLength: n });
  return fc.tuple(types, fc.array(fc.nat(1000), { minLength: n * 6, maxLength: n * 6 }), fc.array(fc.constantFrom('allow', 'redact', 'deny') as fc.Arbitrary<GraphItem['outcome']>, { minLength: n, maxLength: n }), fc.subarray([...OUTSIDE]))
    .map(([kinds, picks, outcomes, releasedOutside]) => {
      const ids = kinds.map((t, i) => idOf(t, i));
      const sdoIds = [...ids.filter((id) => /^(indicator|malware|identity|report)--/.test(id)), ...OUTSIDE.slice(0, 3)];
      const anyIds = [...ids, ...OUTSIDE];
      let k = 0;
      const pick = (pool: ReadonlyArray<string>): string => pool[(picks[k++ % picks.length] ?? 0) % pool.length] as string;
      const items = kinds.map((type, i): GraphItem => {
        const base = { type, spec_version: '2.1', id: ids[i] as string, created: T, modified: T };
        let object: Obj;
        if (type === 'relationship') object = { ...base, relationship_type: 'related-to', source_ref: pick(sdoIds), target_ref: pick(sdoIds) };
        else if (type === 'sighting') object = { ...base, sighting_of_ref: pick(sdoIds.filter((id) => !id.startsWith('report--'))), observed_data_refs: [OUTSIDE[3] as string], where_sighted_refs: [...new Set([pick(sdoIds.filter((id) => id.startsWith('identity--'))), OUTSIDE[2] as string])] };
        else if (type === 'report') object = { ...base, name: `report ${i}`, published: T, object_refs: [...new Set([pick(anyIds), pick(anyIds), pick(anyIds)])] };
        else if (type === 'indicator') object = { ...base, pattern: "[domain-name:value = 'c2.example.org']", pattern_type: 'stix', valid_from: T };
        else if (type === 'malware') object = { ...base, name: `malware ${i}`, is_family: false };
        else object = { ...base, name: `identity ${i}`, identity_class: 'organization' };
        return { object, outcome: outcomes[i] ?? 'allow' };
      });
      return { items, releasedOutside: new Set(releasedOutside) as ReadonlySet<string> };
    });
});

/**
 * Agreements, a recipient and an object. Three times in four every agreement names the
 * recipient's organisation, so that the search reaches releases and not only denials.
 */
export const worldArb = fc.record({
  agreements: agreementsArb, recipient: recipientArb, case: caseArb,
  favour: fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, fc.constant(false)),
}).map(({ favour, ...w }) => {
  const code = w.recipient.kind === 'peer' ? w.recipient.organisation.code : w.recipient.user.organisation;
  if (!favour || code === undefined) return w;
  return { ...w, agreements: w.agreements.map((a) => (a.parties.includes(code) ? a : { ...a, parties: [...a.parties, code] })) };
});
