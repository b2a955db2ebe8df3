/**
 * The coalition example (examples/coalition) read as the German node reads it, and the table of
 * expected outcomes of its README checked against the release decision at 2026-11-25T12:00Z.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readBundles, readDirectory, readYamlTexts } from '../../../examples/coalition/example-files.js';
import { buildCoalitionIntel, intelIds, serialiseBundle } from '../../../examples/coalition/intel-builder.js';
import { resolveConfig } from '../../config/node-config.js';
import { ALLIANCES, CLASSIFICATION_POLICIES, ENTENTE_IDENTITY, TLP2_MARKING_DEFINITIONS, labelsOfObject, parseBanner, printBanner } from '../labels/index.js';
import { validateBundle } from '../stix/index.js';
import { readAgreement } from './agreement-reader.js';
import { inForce, prepareRecipient } from './recipient.js';
import { decide } from './release-decision.js';
import { consistentRelease, referencesOf } from './release-set.js';
import type { Agreement, ReleaseDecision } from './types.js';

type Json = Record<string, unknown>;
const NOW = '2026-11-25T12:00:00.000Z';
const RECIPIENTS = ['POL', 'FRA', 'USA', 'NCIA', 'CERT-EU', 'NWE-GRID', 'UNIBW-CODE'] as const;

const directory = readDirectory();
const byCode = new Map(directory.map((o) => [o.code, o]));
const deu = byCode.get('DEU');
if (deu === undefined) throw new Error('DEU is missing from the directory');
const agreementContext = { nodeOrganisation: 'DEU', organisations: byCode, policies: CLASSIFICATION_POLICIES, alliances: ALLIANCES };
const agreements = readYamlTexts('agreements').map(({ text }) => readAgreement(text, agreementContext, 1));
const bundles = readBundles();
const objects = [...new Map(bundles.flatMap((b) => b.bundle['objects'] as Json[]).map((o) => [String(o['id']), o])).values()];
const definitions = new Map<string, Json>([...Object.values(TLP2_MARKING_DEFINITIONS).map((d) => ({ ...d })), ...objects.filter((o) => o['type'] === 'marking-definition')].map((d) => [String(d['id']), d]));
const deuNode = parse(readYamlTexts('nodes').find((n) => n.file === 'DEU.yaml')?.text ?? '') as { policy: { defaultLabel: string } };
const defaultLabel = parseBanner(deuNode.policy.defaultLabel, { policies: CLASSIFICATION_POLICIES });
const labelsOf = (o: Json) => labelsOfObject(o, (id) => definitions.get(id), { defaultLabel, policies: CLASSIFICATION_POLICIES });
/** Victims as the release service finds them: identities at the end of a `targets` relationship. */
const victims = new Set(objects.filter((o) => o['relationship_type'] === 'targets').map((o) => String(o['target_ref'])));
const ids = intelIds();
const intelIdSet = new Set(ids.values());
const idOf = (key: string): string => ids.get(key) ?? (() => { throw new Error(`no object ${key}`); })();

/** Every object of the example decided for one recipient, then made a consistent graph. */
function release(code: string, withAgreements: ReadonlyArray<Agreement> = agreements, subset: ReadonlyArray<Json> = objects): Map<string, ReleaseDecision> {
  const organisation = byCode.get(code);
  if (organisation === undefined || deu === undefined) throw new Error(`unknown organisation ${code}`);
  const recipient = prepareRecipient({ kind: 'peer', organisation }, { node: deu, organisations: byCode, agreements: withAgreements, policies: CLASSIFICATION_POLICIES, alliances: ALLIANCES, now: NOW });
  const items = subset.map((object) => ({ object, decision: decide(recipient, { object, labels: labelsOf(object), victims }) }));
  const decisions = consistentRelease(items, new Set());
  return new Map(subset.map((o, i) => [String(o['id']), decisions[i] as ReleaseDecision]));
}
const released = new Map(RECIPIENTS.map((code) => [code, release(code)]));
const decision = (code: (typeof RECIPIENTS)[number], key: string): ReleaseDecision => released.get(code)?.get(idOf(key)) as ReleaseDecision;

describe('the coalition example: directory, nodes and agreements', () => {
  it('has six nations or more, a NATO body, an EU body, a private partner and an academic partner, each with a fixed identity id', () => {
    expect(directory.filter((o) => o.kind === 'nation').length).toBeGreaterThanOrEqual(6);
    expect(byCode.get('NCIA')).toMatchObject({ kind: 'alliance', country: 'NATO' });
    expect(byCode.get('CERT-EU')).toMatchObject({ kind: 'international-organisation', country: 'EU' });
    expect(directory.filter((o) => o.kind === 'private-partner' || o.kind === 'academia').map((o) => o.kind).sort()).toEqual(['academia', 'private-partner']);
    for (const o of directory) {
      expect(o.code).toMatch(/^[A-Z0-9][A-Z0-9-]{1,31}$/);
      expect(o.id).toMatch(/^identity--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(new Set(directory.map((o) => o.id)).size).toBe(directory.length);
  });

  it('configures three national nodes whose organisation is in the directory', () => {
    const nodes = readYamlTexts('nodes').map(({ file, text }) => resolveConfig([{ source: file, values: parse(text) as Json }]));
    expect(nodes.map((n) => n.node.organisation)).toEqual(['DEU', 'FRA', 'POL']);
    for (const n of nodes) {
      expect(byCode.get(n.node.organisation)).toMatchObject({ kind: n.node.kind, country: n.node.country });
      expect(parseBanner(n.policy.defaultLabel, { policies: CLASSIFICATION_POLICIES }).tlp).toBe('amber');
    }
  });

  it('reads every agreement with DEU as a party; all but the draft are in force at the reference time', () => {
    expect(agreements.map((a) => `${a.id}:${a.status}`)).toEqual([
      'deu-nwe-grid:active', 'deu-pol-energy:active', 'deu-pol-joint-response:draft', 'deu-unibw-research:active', 'eu-cti:active', 'nato-cti:active',
    ]);
    for (const a of agreements) {
      expect(a.parties).toContain('DEU');
      expect(inForce({ ...a, status: 'active' }, NOW)).toBe(true);
      expect(a.purpose).not.toBe('');
    }
  });
});

describe('the coalition example: intelligence', () => {
  it('is what generate-intel.ts produces from the directory', () => {
    expect(buildCoalitionIntel(directory).map((b) => [b.file, serialiseBundle(b.bundle)])).toEqual(bundles.map((b) => [b.file, b.text]));
  });

  it('is valid STIX 2.1; the only warnings are the UUIDv5 ids of Entente label marking-definitions', () => {
    for (const { bundle } of bundles) {
      const result = validateBundle(bundle);
      expect(result.errors).toEqual([]);
      for (const w of result.warnings) {
        const object = (bundle['objects'] as Json[])[Number(/^\$\.objects\[(\d+)\]/.exec(w.path)?.[1])];
        expect([w.code, object?.['created_by_ref']]).toEqual(['uuid-not-v4', ENTENTE_IDENTITY.id]);
      }
    }
  });

  it('has forty objects or more, each created by an organisation of the directory whose identity is in its bundle', () => {
    expect(ids.size).toBeGreaterThanOrEqual(40);
    for (const { bundle } of bundles) {
      const inBundle = new Set((bundle['objects'] as Json[]).map((o) => o['id']));
      for (const o of (bundle['objects'] as Json[]).filter((x) => intelIdSet.has(String(x['id'])))) {
        expect(directory.some((d) => d.id === o['created_by_ref'])).toBe(true);
        expect(inBundle.has(o['created_by_ref'])).toBe(true);
        for (const ref of (o['object_marking_refs'] as string[])) expect(inBundle.has(ref)).toBe(true);
      }
    }
  });

  it('carries every label the README describes, object-level and granular', () => {
    const banners = new Set(objects.filter((o) => intelIdSet.has(String(o['id']))).map((o) => printBanner(labelsOf(o).object, CLASSIFICATION_POLICIES)));
    expect([...banners].sort()).toEqual([
      'NATO RESTRICTED // REL TO NATO // TLP:AMBER', 'NATO RESTRICTED // REL TO NATO // TLP:GREEN', 'NATO SECRET // REL TO GBR, USA // TLP:AMBER',
      'NOFORN // TLP:AMBER', 'RESTREINT UE/EU RESTRICTED // TLP:AMBER', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:CLEAR', 'TLP:GREEN',
      'TLP:GREEN // PAP:AMBER', 'TLP:RED', 'VS-NfD // TLP:AMBER',
    ]);
    const report = objects.find((o) => o['id'] === idOf('report-steppe-lynx')) as Json;
    const [part] = labelsOf(report).granular;
    expect(part?.selectors).toEqual(['description']);
    expect(part?.label.releasableTo).toEqual([['GBR', 'USA'], ['NATO']]);
  });
});

const A = 'allow';
const R = 'redact';
const OOS = 'out-of-scope';
const TLP = 'tlp-ceiling';
const VICTIM = 'victim-identity';
const ONWARD = 'onward-not-allowed';
/**
 * The README's table: per object, the outcome for POL, FRA, USA, NCIA, CERT-EU, NWE-GRID and
 * UNIBW-CODE — `allow`, `redact`, a denial's reason, or `deny` where the README gives more than
 * one reason.
 */
const EXPECTED: Readonly<Record<string, ReadonlyArray<string>>> = {
  'actor-steppe-lynx': [A, A, A, A, A, A, OOS],
  'malware-gridlock': [A, A, A, A, A, A, A],
  'malware-frostbyte': [A, A, A, A, A, R, A],
  'ap-t1566-001': [A, A, A, A, A, A, A],
  'ap-t1190': [A, A, A, A, A, A, A],
  'ap-t0831': [A, A, A, A, A, A, A],
  'ind-c2-ipv4': [A, A, A, A, A, A, OOS],
  'ind-c2-domain': [A, A, A, A, A, TLP, OOS],
  'ind-frostbyte-sha256': [A, A, A, A, A, A, OOS],
  'ind-staging-ipv4': [R, TLP, TLP, TLP, TLP, TLP, OOS],
  'ind-gov-ipv4': [OOS, TLP, TLP, TLP, TLP, TLP, OOS],
  'ind-dropper-md5': [A, A, A, A, A, R, OOS],
  'ind-source-ipv4': [TLP, TLP, TLP, TLP, TLP, TLP, OOS],
  'ind-phish-url': [A, A, A, A, A, 'pap-ceiling', OOS],
  'victim-nordhafen': [VICTIM, VICTIM, VICTIM, VICTIM, VICTIM, TLP, OOS],
  'rel-c2-ipv4-gridlock': [A, A, A, A, A, A, OOS],
  'rel-c2-domain-gridlock': [A, A, A, A, A, TLP, OOS],
  'rel-sha256-frostbyte': [A, A, A, A, A, A, OOS],
  'rel-staging-gridlock': [A, TLP, TLP, TLP, TLP, TLP, OOS],
  'rel-actor-gridlock': [A, A, A, A, A, A, OOS],
  'rel-actor-frostbyte': [A, A, A, A, A, A, OOS],
  'rel-gridlock-t1566': [A, A, A, A, A, A, OOS],
  'rel-frostbyte-t0831': [A, A, A, A, A, A, OOS],
  'rel-actor-t1190': [A, A, A, A, A, A, OOS],
  'rel-actor-targets-nordhafen': [VICTIM, VICTIM, VICTIM, VICTIM, VICTIM, TLP, OOS],
  'sighting-c2-nordhafen': [R, R, R, R, R, TLP, OOS],
  'report-steppe-lynx': [R, R, R, R, 'deny', TLP, OOS],
  'report-lagebild-vsnfd': [A, 'classification-ceiling', 'classification-ceiling', 'classification-ceiling', 'classification-ceiling', TLP, OOS],
  'actor-grey-magpie': [A, A, A, A, A, TLP, OOS],
  'ind-magpie-domain': [A, A, A, A, A, TLP, OOS],
  'rel-magpie-domain': [A, A, A, A, A, TLP, OOS],
  'report-grey-magpie': [A, A, 'classification-ceiling', 'classification-ceiling', A, TLP, OOS],
  'ind-noforn-ipv4': ['caveat', 'caveat', 'caveat', 'caveat', 'caveat', TLP, OOS],
  'ind-nato-secret-domain': Array(5).fill('classification-ceiling').concat([TLP, OOS]),
  'ind-nato-restricted-domain': [A, A, A, A, 'deny', 'classification-ceiling', OOS],
  'ind-anssi-domain': [A, A, A, A, A, ONWARD, ONWARD],
  'malware-paperkite': ['tlp-no-onward', A, 'tlp-no-onward', 'tlp-no-onward', 'tlp-no-onward', 'tlp-no-onward', 'tlp-no-onward'],
  'rel-anssi-paperkite': ['endpoint-withheld', A, 'endpoint-withheld', 'endpoint-withheld', 'endpoint-withheld', ONWARD, ONWARD],
  'ind-cisa-ipv4': [A, A, A, A, ONWARD, ONWARD, ONWARD],
  'sighting-nwe-grid': [ONWARD, ONWARD, ONWARD, ONWARD, ONWARD, A, ONWARD],
};

const shown = (d: ReleaseDecision): string => (d.outcome === 'deny' ? `deny:${d.reason ?? ''}` : d.outcome);

describe('the coalition example: what each party receives', () => {
  it('describes every object of the intelligence in the table', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ids.keys()].sort());
  });

  it.each(RECIPIENTS.map((code, column) => [code, column] as const))('decides for %s as the README says', (code, column) => {
    const expected: string[] = [];
    const actual: string[] = [];
    for (const [key, row] of Object.entries(EXPECTED)) {
      const want = row[column];
      if (want === undefined) throw new Error(`${key} has no cell for ${code}`);
      const d = decision(code, key);
      expected.push(`${key} ${want === A || want === R || want === 'deny' ? want : `deny:${want}`}`);
      actual.push(`${key} ${want === 'deny' ? d.outcome : shown(d)}`);
    }
    expect(actual).toEqual(expected);
  });

  it('gives Poland the AMBER+STRICT staging host as its /24 network, under the bilateral agreement only', () => {
    const d = decision('POL', 'ind-staging-ipv4');
    expect(d.agreement).toEqual({ id: 'deu-pol-energy', version: 1 });
    expect(d.object?.['pattern']).toBe("[ipv4-addr:value = '198.51.100.0/24']");
  });

  it('keeps the attribution paragraph for the United States only, and names the victim to nobody', () => {
    for (const code of ['POL', 'FRA', 'USA', 'NCIA'] as const) {
      const report = decision(code, 'report-steppe-lynx').object ?? {};
      expect(report['description'] !== undefined).toBe(code === 'USA');
      expect(report['object_refs']).not.toContain(idOf('victim-nordhafen'));
      expect(report['object_refs']).not.toContain(idOf('ind-source-ipv4'));
      expect(decision(code, 'sighting-c2-nordhafen').object?.['where_sighted_refs']).toBeUndefined();
    }
    expect(decision('POL', 'report-steppe-lynx').object?.['object_refs']).toContain(idOf('ind-staging-ipv4'));
    expect(decision('USA', 'report-steppe-lynx').object?.['object_refs']).not.toContain(idOf('ind-staging-ipv4'));
  });

  it('strips CERT-Bund\'s custom properties for the private partner, not for the research institute', () => {
    expect(decision('NWE-GRID', 'malware-frostbyte').object).not.toHaveProperty('x_bsi_analysis_id');
    expect(decision('NWE-GRID', 'ind-dropper-md5').object).not.toHaveProperty('x_bsi_sensor');
    expect(decision('UNIBW-CODE', 'malware-frostbyte').object).toHaveProperty('x_bsi_analysis_id', 'BSI-MA-2026-0412');
  });

  it('explains third-party data: France\'s GREEN indicator goes on to Poland under eu-cti, the US one stops at CERT-EU', () => {
    const toPol = decision('POL', 'ind-anssi-domain').steps.find((s) => s.rule === 'onward');
    expect(toPol).toMatchObject({ outcome: 'pass', detail: expect.stringMatching(/received from FRA; agreement eu-cti v1 lets DEU pass it on to POL/) });
    const toEu = decision('CERT-EU', 'ind-cisa-ipv4').steps.find((s) => s.rule === 'onward');
    expect(toEu).toMatchObject({ outcome: 'fail', detail: expect.stringMatching(/received from USA, and no agreement with USA lets DEU pass it on to CERT-EU/) });
  });

  it('explains decisions with the rules docs/policy.md shows', () => {
    const rules = (code: (typeof RECIPIENTS)[number], key: string) => decision(code, key).steps.map((st) => `${st.outcome} ${st.rule}`);
    expect(rules('POL', 'ind-staging-ipv4')).toEqual([
      'pass origin', 'pass deu-pol-energy v1: scope', 'pass deu-pol-energy v1: tlp-ceiling', 'pass deu-pol-energy v1: label:classification',
      'pass deu-pol-energy v1: label:releasability', 'pass deu-pol-energy v1: label:caveat', 'pass redact:strip-victim-identities', 'redact redact:generalise-addresses',
      'pass eu-cti v1: scope', 'fail eu-cti v1: tlp-ceiling', 'pass nato-cti v1: scope', 'fail nato-cti v1: tlp-ceiling',
    ]);
    expect(rules('NWE-GRID', 'ind-phish-url')).toEqual(['pass origin', 'pass deu-nwe-grid v1: scope', 'fail deu-nwe-grid v1: pap-ceiling']);
    expect(rules('NWE-GRID', 'ind-anssi-domain')).toEqual(['fail onward']);
  });

  it('shows in a dry run what Poland would receive under the joint-response draft alone', () => {
    // The draft as if active, and the only agreement data may go to Poland under; the onward
    // rules France and the United States agreed to still say what of theirs may go on.
    const withDraft = agreements.map((a) => (a.status === 'draft' ? { ...a, status: 'active' as const } : a));
    const full = prepareRecipient({ kind: 'peer', organisation: byCode.get('POL') ?? deu }, { node: deu, organisations: byCode, agreements: withDraft, policies: CLASSIFICATION_POLICIES, alliances: ALLIANCES, now: NOW });
    const recipient = { ...full, terms: full.terms.filter((t) => t.agreement.id === 'deu-pol-joint-response') };
    const items = objects.map((object) => ({ object, decision: decide(recipient, { object, labels: labelsOf(object), victims }) }));
    const dry = new Map(consistentRelease(items, new Set()).map((d, i) => [String(objects[i]?.['id']), d]));
    const get = (key: string) => dry.get(idOf(key)) as ReleaseDecision;
    const expected: Record<string, string> = {
      'ind-c2-ipv4': A, 'ind-staging-ipv4': A, 'victim-nordhafen': A, 'sighting-c2-nordhafen': A, 'report-steppe-lynx': R,
      'ind-anssi-domain': A, 'ind-cisa-ipv4': A, 'ind-nato-restricted-domain': A,
      'actor-steppe-lynx': `deny:${OOS}`, 'ind-dropper-md5': `deny:${OOS}`, 'rel-actor-targets-nordhafen': 'deny:endpoint-withheld',
      'rel-c2-ipv4-gridlock': 'deny:endpoint-withheld', 'ind-source-ipv4': `deny:${TLP}`, 'ind-noforn-ipv4': 'deny:caveat',
      'ind-nato-secret-domain': 'deny:classification-ceiling', 'malware-paperkite': 'deny:tlp-no-onward', 'sighting-nwe-grid': `deny:${ONWARD}`,
      'report-lagebild-vsnfd': 'deny',
    };
    expect(Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, v === 'deny' ? get(k).outcome : shown(get(k))]))).toEqual(expected);
    expect(get('ind-staging-ipv4').object?.['pattern']).toBe("[ipv4-addr:value = '198.51.100.23']");
    expect(get('sighting-c2-nordhafen').object?.['where_sighted_refs']).toEqual([idOf('victim-nordhafen')]);
    const report = get('report-steppe-lynx').object ?? {};
    expect(report['description']).toBeUndefined();
    expect(report['object_refs']).toEqual(['ind-c2-ipv4', 'ind-c2-domain', 'ind-frostbyte-sha256', 'ind-staging-ipv4', 'victim-nordhafen', 'sighting-c2-nordhafen'].map(idOf));
  });

  it('never releases an object that refers to a withheld one, whatever part of the example is decided', () => {
    fc.assert(fc.property(fc.subarray(objects, { minLength: 1 }), fc.constantFrom(...RECIPIENTS), (subset, code) => {
      const out = release(code, agreements, subset);
      const released = new Set([...out].filter(([, d]) => d.outcome !== 'deny').map(([id]) => id));
      for (const d of out.values()) {
        if (d.outcome === 'deny' || d.object === undefined) continue;
        for (const ref of referencesOf(d.object)) expect(released.has(ref), `${String(d.object['id'])} -> ${ref}`).toBe(true);
      }
    }), { numRuns: 60 });
  });
});
