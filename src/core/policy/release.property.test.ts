/**
 * Property-based search for counter-examples to the security invariant (DESIGN "The security
 * invariant"): nothing leaves that a label or agreement forbids, redacted output never holds a
 * redacted field, a relationship never goes without its endpoints, what goes is valid STIX, and
 * the same input always gets the same decision. The oracle below is written from the rules, not
 * from the engine: it shares no code with decide() beyond the policies' data.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALLIANCES } from '../labels/alliances.js';
import { CLASSIFICATION_POLICIES } from '../labels/classification-policies.js';
import type { Classification, SecurityLabel } from '../labels/types.js';
import { validateObject } from '../stix/validate.js';
import { prepareRecipient, type PolicyContext } from './recipient.js';
import { decide, decideProjected } from './release-decision.js';
import { projectionOf, releaseFactsOf } from './release-facts.js';
import { consistentRelease, releasedBeyond, type JudgedObject } from './release-set.js';
import {
  DIRECTORY, graphArb, LIMITED_KINDS, NODE, NOW, protectionStepOf, STRANGER_ID, VICTIM_ID, worldArb, type DecisionCase, type Obj,
} from './testing/arbitraries.js';
import type { Agreement, Ceiling, Organisation, Recipient, ReleaseDecision } from './types.js';

const RUNS = Number(process.env['RUNS'] ?? 10000);
/** `SEED=n` replays a failing search. */
const SEED = process.env['SEED'] === undefined ? {} : { seed: Number(process.env['SEED']) };
const TLP = ['clear', 'green', 'amber', 'amber+strict', 'red'];
const PAP = ['clear', 'green', 'amber', 'red'];
const NO_ONWARD = new Set(['amber', 'amber+strict', 'red']);
const PUBLIC_KINDS = new Set(['nation', 'agency', 'alliance', 'international-organisation']);
const at = (t: string): number => Date.parse(t);

function context(agreements: ReadonlyArray<Agreement>): PolicyContext {
  return { node: NODE, organisations: new Map(DIRECTORY.map((o) => [o.code, o])), agreements, policies: CLASSIFICATION_POLICIES, alliances: ALLIANCES, now: NOW };
}

function inForce(a: Agreement): boolean {
  return a.status === 'active' && at(a.validFrom) <= at(NOW) && (a.validUntil === undefined || at(NOW) < at(a.validUntil));
}

/** Whether clearances (or a ceiling) cover a classification: same policy at or above, or the equivalent level of another. */
function covered(c: Classification, clearances: ReadonlyArray<Classification>): boolean {
  const policy = CLASSIFICATION_POLICIES.find((p) => p.id === c.policy);
  if (policy === undefined) return false;
  if (policy.levels.indexOf(c.level) === 0) return true;
  return clearances.some((k) => {
    const other = CLASSIFICATION_POLICIES.find((p) => p.id === k.policy);
    const needed = k.policy === c.policy ? c.level : policy.equivalents[c.level]?.[k.policy];
    return other !== undefined && needed !== undefined && other.levels.indexOf(k.level) >= other.levels.indexOf(needed);
  });
}

interface Who { readonly country: string; readonly alliances: ReadonlySet<string>; readonly clearances: ReadonlyArray<Classification>; readonly caveats: ReadonlyArray<string> }

const alliancesOfCountry = (country: string): string[] => Object.keys(ALLIANCES).filter((a) => ALLIANCES[a]?.includes(country) === true || a === country);
const orgWho = (org: Organisation, ceiling: Ceiling): Who => ({ country: org.country, alliances: new Set([...org.memberships, ...alliancesOfCountry(org.country)]), clearances: ceiling.classifications, caveats: [] });

/** Why a label does not admit a subject: classification, REL TO, caveats (NOFORN = nationals of the node's country), expiry. */
function labelProblems(label: SecurityLabel, who: Who, expiry: boolean): string[] {
  const out: string[] = [];
  for (const c of label.classifications) if (!covered(c, who.clearances)) out.push(`${c.policy} ${c.level} not covered`);
  for (const list of label.releasableTo) if (!list.some((t) => t === who.country || who.alliances.has(t))) out.push(`REL TO ${list.join(', ')} excludes ${who.country}`);
  for (const cav of label.caveats) if (cav === 'NOFORN' ? who.country !== NODE.country : !who.caveats.includes(cav)) out.push(`caveat ${cav}`);
  const expires = label.handling.expiresAt;
  if (expiry && expires !== undefined && !(at(NOW) < at(expires))) out.push(`expired ${expires}`);
  return out;
}

function ceilingProblems(label: SecurityLabel, ceiling: Ceiling, org: Organisation): string[] {
  const out: string[] = [];
  if (label.tlp !== undefined && TLP.indexOf(label.tlp) > TLP.indexOf(ceiling.tlp)) out.push(`TLP ${label.tlp} above ${ceiling.tlp}`);
  if (label.pap !== undefined && ceiling.pap !== undefined && PAP.indexOf(label.pap) > PAP.indexOf(ceiling.pap)) out.push(`PAP ${label.pap} above ${ceiling.pap}`);
  for (const c of label.classifications) {
    // A ceiling opens classified information only under the policy it names (Ceiling in types.ts).
    const levels = CLASSIFICATION_POLICIES.find((p) => p.id === c.policy)?.levels ?? [];
    const cap = ceiling.classifications.find((k) => k.policy === c.policy);
    if (levels.indexOf(c.level) > 0 && (cap === undefined || levels.indexOf(cap.level) < levels.indexOf(c.level))) out.push(`${c.policy} ${c.level} above the ceiling under ${c.policy}`);
    if (LIMITED_KINDS.has(org.kind) && protectionStepOf(c) > 1) out.push(`${c.policy} ${c.level} above what a ${org.kind} may hold`);
  }
  return out;
}

function scopeProblems(object: Obj, a: Agreement): string[] {
  const s = a.scope;
  const tags = (object['labels'] as string[] | undefined) ?? [];
  const sectors = [...((object['sectors'] as string[] | undefined) ?? []), ...tags.filter((t) => t.startsWith('sector:')).map((t) => t.slice(7))];
  const out: string[] = [];
  if (s.types.length > 0 && !s.types.includes(object.type)) out.push(`type ${object.type} not in scope`);
  if (s.excludeTypes.includes(object.type)) out.push(`type ${object.type} excluded`);
  if (s.tags.length > 0 && !tags.some((t) => s.tags.includes(t))) out.push('no tag in scope');
  if (s.sectors.length > 0 && !sectors.some((t) => s.sectors.includes(t))) out.push('no sector in scope');
  return out;
}

function onwardNames(targets: ReadonlyArray<string>, org: Organisation): boolean {
  if (targets.includes(org.code)) return true;
  const who = orgWho(org, { tlp: 'clear', classifications: [] });
  return PUBLIC_KINDS.has(org.kind) && targets.some((t) => t === org.country || who.alliances.has(t));
}

/** Data a known third party gave this node goes on only below AMBER and where an agreement with that party names the recipient. */
function onwardProblems(object: Obj, label: SecurityLabel, org: Organisation, agreements: ReadonlyArray<Agreement>): string[] {
  const origin = DIRECTORY.find((o) => o.id === object['created_by_ref']);
  if (origin === undefined || origin.code === NODE.code || origin.code === org.code) return [];
  if (label.tlp !== undefined && NO_ONWARD.has(label.tlp)) return [`TLP ${label.tlp} from ${origin.code} passed on`];
  const allowed = agreements.some((a) => inForce(a) && a.parties.includes(NODE.code) && a.parties.includes(origin.code) && onwardNames(a.onward[NODE.code] ?? [], org));
  return allowed ? [] : [`${origin.code}'s data passed on to ${org.code} without an onward clause`];
}

/** Every string in a JSON value, with repetitions. */
function leaves(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) leaves(v, out);
  else if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) leaves(v, out);
  return out;
}

function resolve(object: unknown, selector: string): unknown {
  let here: unknown = object;
  for (const step of selector.split('.')) {
    const index = /^\[(\d+)\]$/.exec(step);
    if (index !== null) here = Array.isArray(here) ? here[Number(index[1])] : undefined;
    else here = typeof here === 'object' && here !== null && !Array.isArray(here) && Object.hasOwn(here, step) ? (here as Record<string, unknown>)[step] : undefined;
    if (here === undefined) return undefined;
  }
  return here;
}

/** The content under forbidden selectors must be gone: each of its strings occurs in the output less often than in the input, by as many. */
function contentProblems(input: Obj, output: Readonly<Record<string, unknown>>, forbidden: ReadonlyArray<string>): string[] {
  const outer = [...new Set(forbidden)].filter((s) => !forbidden.some((o) => o !== s && s.startsWith(`${o}.`)));
  const count = (list: ReadonlyArray<string>): Map<string, number> => list.reduce((m, s) => m.set(s, (m.get(s) ?? 0) + 1), new Map<string, number>());
  const before = count(leaves(input));
  const after = count(leaves(output));
  const gone = count(outer.flatMap((s) => leaves(resolve(input, s))));
  const out: string[] = [];
  for (const [text, n] of gone) if ((after.get(text) ?? 0) > (before.get(text) ?? 0) - n) out.push(`redacted content ${JSON.stringify(text)} still present`);
  for (const s of outer) if (!s.includes('.') && Object.hasOwn(output, s)) out.push(`redacted property ${s} still present`);
  return out;
}

/** Addresses in values and pattern literals must name no more than the prefix (and no host bits beyond it). */
function addressProblems(output: Readonly<Record<string, unknown>>, v4: number, v6: number): string[] {
  const literals = [
    ...(typeof output['value'] === 'string' ? [output['value']] : []),
    ...[...String(output['pattern'] ?? '').matchAll(/'([^']*)'/g)].map((m) => m[1] ?? ''),
  ];
  const out: string[] = [];
  for (const text of literals) {
    const v4m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)(?:\/(\d+))?$/.exec(text);
    if (v4m !== null) {
      const prefix = Number(v4m[5] ?? 32);
      const bits = v4m.slice(1, 5).reduce((acc, o) => acc * 256 + Number(o), 0);
      const hostBits = bits % 2 ** (32 - Math.min(prefix, v4));
      if (prefix > v4 || hostBits !== 0) out.push(`address ${text} names more than its /${Math.min(prefix, v4)} network`);
    } else if (text.includes(':')) {
      const prefix = Number(text.split('/')[1] ?? 128);
      if (prefix > v6) out.push(`address ${text} more precise than /${v6}`);
    }
  }
  return out;
}

const REF_KEPT = new Set(['created_by_ref', 'object_marking_refs']);
function refsOf(object: Readonly<Record<string, unknown>>): string[] {
  return Object.entries(object).flatMap(([k, v]) => (REF_KEPT.has(k) ? [] : k.endsWith('_ref') && typeof v === 'string' ? [v] : k.endsWith('_refs') && Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []));
}

/** Everything wrong with releasing `d.object` to the recipient, by the rules; empty when the release is permitted. */
function releaseProblems(recipient: Recipient, agreements: ReadonlyArray<Agreement>, c: DecisionCase, d: ReleaseDecision): string[] {
  const out = d.object;
  if (out === undefined) return ['released without an object'];
  const label = c.labels.object;
  const problems: string[] = [];
  const forbidden: string[] = [];
  let org: Organisation | undefined;
  if (recipient.kind === 'user') {
    const u = recipient.user;
    const who: Who = { country: u.nationality, alliances: new Set(alliancesOfCountry(u.nationality)), clearances: u.clearances, caveats: u.caveats };
    problems.push(...labelProblems(label, who, false));
    for (const part of c.labels.granular) if (labelProblems(part.label, who, false).length > 0) forbidden.push(...part.selectors);
    if (u.organisation !== undefined && u.organisation !== NODE.code) {
      org = DIRECTORY.find((o) => o.code === u.organisation);
      if (org === undefined) problems.push(`user of unknown organisation ${u.organisation}`);
    }
  } else org = recipient.organisation;
  if (org !== undefined) {
    const a = agreements.find((x) => x.id === d.agreement?.id && x.version === d.agreement.version);
    if (a === undefined) return [...problems, 'released to an organisation without naming an agreement'];
    if (!inForce(a)) problems.push(`agreement ${a.id} not in force`);
    if (!a.parties.includes(NODE.code) || !a.parties.includes(org.code)) problems.push(`agreement ${a.id} does not name ${NODE.code} and ${org.code}`);
    const ceiling = a.ceilings[org.code] ?? a.defaultCeiling;
    const who = orgWho(org, ceiling);
    problems.push(...scopeProblems(c.object, a), ...ceilingProblems(label, ceiling, org), ...labelProblems(label, who, true), ...onwardProblems(c.object, label, org, agreements));
    for (const part of c.labels.granular) if ([...ceilingProblems(part.label, ceiling, org), ...labelProblems(part.label, who, true)].length > 0) forbidden.push(...part.selectors);
    const stripVictims = a.redactions.some((r) => r.kind === 'strip-victim-identities') || label.handling.obfuscateAffectedParties === 'must';
    if (stripVictims && c.victims !== undefined) {
      if (c.victims.has(c.object.id)) problems.push('a victim identity released');
      for (const ref of refsOf(out)) if (c.victims.has(ref)) problems.push(`reference to victim ${ref} released`);
      if (c.object.type === 'relationship' && [c.object['source_ref'], c.object['target_ref']].some((r) => c.victims?.has(String(r)))) problems.push('relationship to a victim released');
    }
    for (const rule of a.redactions) {
      if (rule.kind === 'strip-custom-properties') for (const k of Object.keys(out)) if (k.startsWith('x_') && !rule.keep.includes(k)) problems.push(`custom property ${k} not stripped`);
      if (rule.kind === 'strip-properties') for (const p of rule.properties) if (resolve(out, p) !== undefined) problems.push(`property ${p} not stripped`);
      if (rule.kind === 'generalise-addresses') problems.push(...addressProblems(out, rule.ipv4Prefix, rule.ipv6Prefix));
    }
  }
  return [...problems, ...contentProblems(c.object, out, forbidden)];
}

type World = typeof worldArb extends fc.Arbitrary<infer W> ? W : never;
const T = '2026-01-01T00:00:00.000Z';
const OPEN: SecurityLabel = { classifications: [], releasableTo: [], caveats: [], informative: [], handling: {} };
const POL = DIRECTORY.find((o) => o.code === 'POL') as Organisation;
/**
 * Counter-examples the search found, run first on every search so that they stay fixed.
 * (1) Granular selectors into one list with another selector between them: the list was spliced
 * in the wrong order and `labels.[2]` ("apt", REL TO JPN) went to a German user.
 */
const SPLICE_ORDER: World = {
  agreements: [],
  recipient: { kind: 'user', user: { name: 'anna', roles: ['analyst'], nationality: 'DEU', clearances: [], caveats: [] } },
  case: {
    object: {
      type: 'indicator', spec_version: '2.1', id: 'indicator--4b1e2f3a-0000-4000-8000-000000000001', created: T, modified: T, pattern: "[domain-name:value = 'c2.example.org']",
      pattern_type: 'stix', valid_from: T, description: 'secret description', labels: ['energy', 'finance', 'apt'],
      granular_markings: [{ marking_ref: 'marking-definition--6f1b8a2c-0000-4000-8000-000000000001', selectors: ['labels.[0]', 'description', 'labels.[2]'] }],
    },
    labels: { object: OPEN, granular: [{ selectors: ['labels.[0]', 'description', 'labels.[2]'], label: { ...OPEN, releasableTo: [['JPN']] } }], defaulted: false },
  },
};
/** (2) generalise-addresses to /24 left `198.51.100.7/24` as it was, which still names the host .7. */
const HOST_BITS: World = {
  agreements: [{
    id: 'b-bilateral', version: 1, title: 'b', purpose: 'test', status: 'active', parties: ['DEU', 'POL'], validFrom: T,
    scope: { types: [], excludeTypes: [], tags: [], sectors: [] }, defaultCeiling: { tlp: 'amber', classifications: [] }, ceilings: {}, onward: {}, obligations: [],
    redactions: [{ kind: 'generalise-addresses', ipv4Prefix: 24, ipv6Prefix: 48 }],
  }],
  recipient: { kind: 'peer', organisation: POL },
  case: {
    object: { type: 'indicator', spec_version: '2.1', id: 'indicator--4b1e2f3a-0000-4000-8000-000000000002', created: T, modified: T, pattern: "[ipv4-addr:value = '198.51.100.7/24']", pattern_type: 'stix', valid_from: T },
    labels: { object: { ...OPEN, tlp: 'green' }, granular: [], defaulted: false },
  },
};

/** (3) A report naming a victim, for a peer whose agreement strips victims: the facts alone cannot give what goes. */
const VICTIM_IN_REPORT: World = {
  agreements: [{ ...(HOST_BITS.agreements[0] as Agreement), redactions: [{ kind: 'strip-victim-identities' }] }],
  recipient: { kind: 'peer', organisation: POL },
  case: {
    object: { type: 'report', spec_version: '2.1', id: 'report--4b1e2f3a-0000-4000-8000-000000000003', created: T, modified: T, name: 'r', published: T, object_refs: [VICTIM_ID, 'indicator--4b1e2f3a-0000-4000-8000-000000000002'] },
    labels: { object: { ...OPEN, tlp: 'green' }, granular: [], defaulted: false },
    victims: new Set([VICTIM_ID]),
  },
};

describe('the release decision, searched for counter-examples', () => {
  it('releases nothing a label or agreement forbids, and leaves no redacted field in what it releases', () => {
    let released = 0;
    fc.assert(fc.property(worldArb, ({ agreements, recipient, case: c }) => {
      const d = decide(prepareRecipient(recipient, context(agreements)), c);
      if (d.outcome === 'deny') return;
      released++;
      expect(releaseProblems(recipient, agreements, c, d)).toEqual([]);
    }), { numRuns: RUNS, ...SEED, examples: [[SPLICE_ORDER], [HOST_BITS]] });
    // The search is only worth something if it reaches releases, not only denials.
    expect(released).toBeGreaterThan(RUNS / 10);
  });

  // An object whose created_by_ref names an identity the directory does not know (imported from a
  // feed, say) came from a third party all the same: TLP 2.0 keeps AMBER and RED inside the
  // recipient's organisation, so it may not be passed on to a peer.
  it('never passes on above TLP:GREEN what an identity outside the directory created', () => {
    const stranger = worldArb.map((w) => ({ ...w, case: { ...w.case, object: { ...w.case.object, created_by_ref: STRANGER_ID } } }))
      .filter((w) => w.recipient.kind === 'peer' && w.case.object.type !== 'ipv4-addr' && w.case.object.type !== 'ipv6-addr');
    fc.assert(fc.property(stranger, ({ agreements, recipient, case: c }) => {
      const d = decide(prepareRecipient(recipient, context(agreements)), c);
      if (d.outcome !== 'deny') expect(c.labels.object.tlp ?? 'none', `third-party data released to ${recipient.kind === 'peer' ? recipient.organisation.code : ''}`).not.toMatch(/^(amber|amber\+strict|red)$/);
    }), { numRuns: Math.ceil(RUNS / 3), ...SEED });
  });

  it('never mutates its input, and releases only valid STIX', () => {
    fc.assert(fc.property(worldArb, ({ agreements, recipient, case: c }) => {
      expect(validateObject(c.object).errors).toEqual([]);
      const before = structuredClone(c.object);
      const d = decide(prepareRecipient(recipient, context(agreements)), c);
      expect(c.object).toEqual(before);
      if (d.object !== undefined) expect(validateObject(d.object).errors).toEqual([]);
      if (d.outcome === 'allow') expect(d.object).toEqual(c.object);
    }), { numRuns: Math.ceil(RUNS / 2), ...SEED });
  });

  it('decides the same input the same way, whatever order the agreements are listed in', () => {
    fc.assert(fc.property(worldArb, ({ agreements, recipient, case: c }) => {
      const first = decide(prepareRecipient(recipient, context(agreements)), c);
      const again = decide(prepareRecipient(structuredClone(recipient), context(structuredClone(agreements))), { ...structuredClone({ object: c.object, labels: c.labels }), ...(c.victims === undefined ? {} : { victims: new Set(c.victims) }) });
      expect(again).toEqual(first);
      const reordered = decide(prepareRecipient(recipient, context([...agreements].reverse())), c);
      expect({ ...reordered, steps: [] }).toEqual({ ...first, steps: [] });
    }), { numRuns: Math.ceil(RUNS / 2), ...SEED });
  });
});

describe('the decision from release facts, searched for counter-examples', () => {
  // A page is decided from each object's release facts (kept beside its text) and the text sent
  // as stored: that is only right when the whole object would be decided the same way.
  it('decides from the facts exactly as from the whole object, or says it cannot', () => {
    let projected = 0;
    fc.assert(fc.property(worldArb, ({ agreements, recipient, case: c }) => {
      const prepared = prepareRecipient(recipient, context(agreements));
      const projection = projectionOf(c.object.id, releaseFactsOf(c.object));
      const fromFacts = decideProjected(prepared, { ...c, object: projection });
      if (fromFacts === undefined) return;
      projected++;
      const whole = decide(prepared, c);
      expect(fromFacts.outcome).not.toBe('redact');
      expect({ ...fromFacts, object: undefined }).toEqual({ ...whole, object: undefined });
      if (whole.outcome === 'allow') expect(whole.object).toBe(c.object);
    }), { numRuns: Math.ceil(RUNS / 2), ...SEED, examples: [[SPLICE_ORDER], [HOST_BITS], [VICTIM_IN_REPORT], [{ ...VICTIM_IN_REPORT, case: { ...VICTIM_IN_REPORT.case, victims: new Set<string>() } }]] });
    expect(projected).toBeGreaterThan(RUNS / 10);
  });
});

describe('consistentRelease, searched for counter-examples', () => {
  it('never releases a relationship or sighting without its endpoints, nor a report with an unreleased or no ref', () => {
    fc.assert(fc.property(graphArb, ({ items, releasedOutside }) => {
      const before = structuredClone(items);
      const first = items.map(({ object, outcome }): ReleaseDecision => {
        if (outcome === 'deny') return { outcome, reason: 'tlp-ceiling', steps: [] };
        return { outcome, object: outcome === 'redact' ? structuredClone(object) : object, steps: [] };
      });
      const out = consistentRelease(items.map((i, n) => ({ object: i.object, decision: first[n] as ReleaseDecision })), releasedOutside);
      expect(items).toEqual(before);
      const inside = new Set(items.map((i) => i.object.id));
      const released = (id: string): boolean => (inside.has(id) ? out.some((d, n) => d.outcome !== 'deny' && items[n]?.object.id === id) : releasedOutside.has(id));
      out.forEach((d, n) => {
        const item = items[n] as (typeof items)[number];
        if (first[n]?.outcome === 'deny') expect(d.outcome).toBe('deny');
        if (d.outcome === 'deny') {
          if (first[n]?.outcome !== 'deny') expect(['endpoint-withheld', 'no-released-content']).toContain(d.reason);
          return;
        }
        const o = d.object as Obj;
        expect(o.id).toBe(item.object.id);
        expect(validateObject(o).errors).toEqual([]);
        for (const key of ['source_ref', 'target_ref', 'sighting_of_ref']) if (item.object[key] !== undefined) expect(released(String(o[key]))).toBe(true);
        for (const ref of refsOf(o)) expect(released(ref)).toBe(true);
        if (o.type === 'report') expect((o['object_refs'] as string[]).length).toBeGreaterThan(0);
      });
    }), { numRuns: RUNS, ...SEED });
  });
});

describe('the graph rules beyond a read, searched for counter-examples', () => {
  it('release a page of any graph exactly as releasing the whole graph at once releases those objects', async () => {
    const split = graphArb.chain((g) => fc.record({ g: fc.constant(g), onPage: fc.array(fc.boolean(), { minLength: g.items.length, maxLength: g.items.length }), bound: fc.constantFrom(0, 2, 50_000) }));
    await fc.assert(fc.asyncProperty(split, async ({ g: { items, releasedOutside }, onPage, bound }) => {
      const first = items.map(({ object, outcome }): ReleaseDecision => (outcome === 'deny' ? { outcome, reason: 'tlp-ceiling', steps: [] } : { outcome, object, steps: [] }));
      // The store: every item with its own decision; the ids beyond the graph held as objects that refer to nothing.
      const held = new Map<string, JudgedObject>(items.map((i, n) => [i.object.id, { object: i.object, released: first[n]?.outcome !== 'deny' }]));
      const beyond = new Set(items.flatMap((i) => refsOf(i.object)).filter((id) => !held.has(id)));
      for (const id of beyond) held.set(id, { object: { id, type: id.split('--')[0] }, released: releasedOutside.has(id) });
      const whole = consistentRelease(items.map((i, n) => ({ object: i.object, decision: first[n] as ReleaseDecision })), releasedOutside);

      const page = items.map((_, n) => n).filter((n) => onPage[n] === true);
      const pageItems = page.map((n) => ({ object: (items[n] as (typeof items)[number]).object, decision: first[n] as ReleaseDecision }));
      const onIt = new Set(pageItems.map((i) => i.object.id));
      const outside = [...new Set(pageItems.filter((i) => i.decision.outcome !== 'deny').flatMap((i) => refsOf(i.object)).filter((id) => !onIt.has(id)))];
      const looked: string[] = [];
      const released = await releasedBeyond(outside, async (ids) => {
        looked.push(...ids);
        return new Map(ids.flatMap((id) => { const h = held.get(id); return h === undefined ? [] : [[id, h] as const]; }));
      }, bound);
      const out = consistentRelease(pageItems, released);
      expect(new Set(looked).size).toBe(looked.length);
      page.forEach((n, k) => {
        const w = whole[n] as ReleaseDecision;
        const p = out[k] as ReleaseDecision;
        if (bound === 50_000) {
          // Unbounded: the page decides each of its objects as the whole graph does.
          expect(p.outcome === 'deny').toBe(w.outcome === 'deny');
          if (p.outcome !== 'deny') expect(p.object).toEqual(w.object);
        } else if (w.outcome === 'deny') {
          // Bounded: never more than the whole graph releases.
          expect(p.outcome).toBe('deny');
        } else if (p.outcome !== 'deny') {
          for (const ref of refsOf(p.object as Obj)) expect(refsOf(w.object as Obj)).toContain(ref);
        }
      });
    }), { numRuns: Math.min(RUNS, 3000), ...SEED });
  });
});
