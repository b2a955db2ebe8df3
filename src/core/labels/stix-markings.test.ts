import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TLP1_MARKING_IDS, TLP2_MARKING_IDS } from '../stix/rules/marking-rules.js';
import { validateObject } from '../stix/validate.js';
import { parseBanner } from './banner.js';
import { combineLabels, normaliseLabel } from './label-algebra.js';
import { ENTENTE_IDENTITY, ENTENTE_LABEL_EXTENSION_ID, labelExtensionDefinition, TLP2_MARKING_DEFINITIONS } from './stix-definitions.js';
import { labelOfMarkingDefinition, labelsOfObject, markingsForLabel, type MarkingLike, type MarkingResolver } from './stix-markings.js';
import { errorOf, label, labelArb, POLICIES } from './test-builders.js';

const banner = (text: string) => parseBanner(text, { policies: POLICIES });
const DEFAULT = label({ tlp: 'amber' });


/** A resolver over the definitions `markingsForLabel` produced for `labels`, plus extra objects. */
function resolverFor(labels: ReadonlyArray<ReturnType<typeof label>>, extra: ReadonlyArray<Record<string, unknown>> = []): MarkingResolver {
  const byId = new Map<string, MarkingLike>();
  for (const l of labels) for (const d of markingsForLabel(l, POLICIES).definitions) byId.set(d.id, d);
  for (const d of extra) byId.set(String(d['id']), d);
  return (id) => byId.get(id);
}

function indicator(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'indicator', spec_version: '2.1', id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
    created: '2026-01-01T00:00:00Z', modified: '2026-01-01T00:00:00Z', pattern: "[ipv4-addr:value = '198.51.100.1']",
    pattern_type: 'stix', valid_from: '2026-01-01T00:00:00Z', name: 'c2', description: 'x', ...extra,
  };
}

describe('Entente STIX objects', () => {
  it('are valid STIX: identity, extension-definition, the OASIS TLP 2.0 definitions', () => {
    for (const object of [ENTENTE_IDENTITY, labelExtensionDefinition(), ...Object.values(TLP2_MARKING_DEFINITIONS)]) {
      const result = validateObject(object, { strict: true });
      expect(result.errors, JSON.stringify(object)).toEqual([]);
      expect(result.warnings).toEqual([]);
    }
  });

  it('use the OASIS TLP 2.0 ids and the fixed extension id', () => {
    expect(TLP2_MARKING_DEFINITIONS.red.id).toBe('marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1');
    expect(TLP2_MARKING_DEFINITIONS['amber+strict'].name).toBe('TLP:AMBER+STRICT');
    expect(labelExtensionDefinition()).toMatchObject({ id: ENTENTE_LABEL_EXTENSION_ID, created_by_ref: ENTENTE_IDENTITY.id, extension_types: ['property-extension'], version: '1.0.0' });
  });
});

describe('markingsForLabel', () => {
  it('carries TLP as the OASIS definition and the rest as one Entente definition named by its banner', () => {
    const { definitions, refs } = markingsForLabel(banner('NATO RESTRICTED // REL TO NATO // TLP:AMBER // PAP:GREEN'), POLICIES);
    expect(definitions[0]).toBe(TLP2_MARKING_DEFINITIONS.amber);
    expect(definitions[1]).toMatchObject({
      type: 'marking-definition', name: 'NATO RESTRICTED // REL TO NATO // PAP:GREEN', created_by_ref: ENTENTE_IDENTITY.id,
      extensions: { [ENTENTE_LABEL_EXTENSION_ID]: { extension_type: 'property-extension', classifications: [{ policy: 'NATO', classification: 'RESTRICTED' }], releasable_to: [['NATO']], pap: 'green' } },
    });
    expect(refs).toEqual(definitions.map((d) => d.id));
    // STIX 2.1 section 2.9 only recommends UUIDv4 for meta objects; a deterministic UUIDv5 id is
    // what lets every node name the same label alike, at the cost of this one warning.
    const entente = validateObject(definitions[1]);
    expect(entente.errors).toEqual([]);
    expect(entente.warnings.map((w) => w.code)).toEqual(['uuid-not-v4']);
  });

  it('gives the same label the same id whatever its spelling, and different labels different ids', () => {
    const a = markingsForLabel(banner('nato restricted//rel to nato'), POLICIES).refs;
    const b = markingsForLabel(label({ classifications: [{ policy: 'NATO', level: 'RESTRICTED' }], releasableTo: [['NATO']] }), POLICIES).refs;
    const c = markingsForLabel(banner('NATO RESTRICTED // REL TO EU'), POLICIES).refs;
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a[0]).toMatch(/^marking-definition--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('needs no definition for an empty label, and only the OASIS one for a TLP-only label', () => {
    expect(markingsForLabel(label(), POLICIES)).toEqual({ definitions: [], refs: [] });
    expect(markingsForLabel(label({ tlp: 'clear' }), POLICIES).refs).toEqual([TLP2_MARKING_IDS['clear']]);
  });

  it('reads back to the same label', () => {
    fc.assert(fc.property(labelArb, (l) => {
      const { definitions } = markingsForLabel(l, POLICIES);
      const back = combineLabels(definitions.map((d) => labelOfMarkingDefinition(d, POLICIES)), POLICIES);
      expect(back).toEqual(normaliseLabel(l, POLICIES));
      for (const d of definitions) expect(validateObject(d).valid).toBe(true);
    }), { numRuns: 200 });
  });
});

describe('labelOfMarkingDefinition', () => {
  it('reads TLP 1.0 by id or definition, WHITE as CLEAR', () => {
    const white = { type: 'marking-definition', spec_version: '2.1', id: TLP1_MARKING_IDS['white'], created: '2017-01-20T00:00:00.000Z', definition_type: 'tlp', name: 'TLP:WHITE', definition: { tlp: 'white' } };
    expect(labelOfMarkingDefinition(white, POLICIES).tlp).toBe('clear');
    expect(labelOfMarkingDefinition({ id: TLP1_MARKING_IDS['amber'] }, POLICIES).tlp).toBe('amber');
  });

  it('reads a statement as no restriction', () => {
    const statement = { type: 'marking-definition', id: 'marking-definition--1b1f3c2c-fd27-4a5f-9bb5-7b6d3f1c0d0e', definition_type: 'statement', definition: { statement: 'Copyright 2026, Example' } };
    expect(labelOfMarkingDefinition(statement, POLICIES)).toEqual(label());
  });

  it('refuses a definition with an extension it does not understand, naming the path', () => {
    const acs = { type: 'marking-definition', id: 'marking-definition--3a65884d-005a-4290-8335-cb2d778a83ce', extensions: { 'extension-definition--3a65884d-005a-4290-8335-cb2d778a83ce': { extension_type: 'property-extension' } } };
    const error = errorOf(() => labelOfMarkingDefinition(acs, POLICIES, '$.objects[1]'));
    expect(error.code).toBe('ENTENTE_LABEL_INVALID');
    expect(error.message).toBe('$.objects[1]: marking-definition marking-definition--3a65884d-005a-4290-8335-cb2d778a83ce carries no TLP, Entente label or statement (extensions: extension-definition--3a65884d-005a-4290-8335-cb2d778a83ce)');
  });

  it('refuses a malformed Entente extension with the path of the bad part', () => {
    const bad = { id: 'marking-definition--00000000-0000-4000-8000-000000000000', extensions: { [ENTENTE_LABEL_EXTENSION_ID]: { classifications: [{ policy: 'NATO', classification: 'SUPER' }] } } };
    expect(errorOf(() => labelOfMarkingDefinition(bad, POLICIES)).message).toMatch(/^\$\.extensions\['extension-definition--0b6abbd2-4146-4a0b-93b1-f845ce04648f'\]: classifications\[0\]: NATO has no level "SUPER"/);
    const badList = { id: 'x', extensions: { [ENTENTE_LABEL_EXTENSION_ID]: { releasable_to: ['USA'] } } };
    expect(errorOf(() => labelOfMarkingDefinition(badList, POLICIES)).message).toMatch(/releasable_to\[0\]: expected a list of strings/);
  });

  it('refuses an Entente extension with a property it does not know rather than dropping it', () => {
    const typo = { id: 'marking-definition--00000000-0000-4000-8000-000000000001', extensions: { [ENTENTE_LABEL_EXTENSION_ID]: { extension_type: 'property-extension', caveat: ['NOFORN'] } } };
    const error = errorOf(() => labelOfMarkingDefinition(typo, POLICIES));
    expect(error.code).toBe('ENTENTE_LABEL_INVALID');
    expect(error.message).toMatch(/\['extension-definition--0b6abbd2-4146-4a0b-93b1-f845ce04648f'\]\.caveat: unknown property/);
  });

  it('refuses a TLP 2.0 definition whose extension contradicts its OASIS id', () => {
    const forged = { ...TLP2_MARKING_DEFINITIONS.red, extensions: { 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': { extension_type: 'property-extension', tlp_2_0: 'clear' } } };
    expect(errorOf(() => labelOfMarkingDefinition(forged, POLICIES)).message).toMatch(/says clear but .* is the OASIS TLP:RED marking/);
  });
});

describe('labelsOfObject', () => {
  const report = banner('NATO RESTRICTED // REL TO NATO // TLP:AMBER');
  const paragraph = banner('REL TO USA, GBR');

  it('labels a definition of an Entente label by the label it defines; TLP and statement definitions restrict nothing', () => {
    const [definition] = markingsForLabel(banner('NATO SECRET // REL TO USA, GBR'), POLICIES).definitions;
    const own = labelsOfObject({ ...definition }, resolverFor([]), { defaultLabel: DEFAULT, policies: POLICIES });
    expect(own.defaulted).toBe(false);
    expect(own.object).toEqual(banner('NATO SECRET // REL TO USA, GBR'));
    const tlp = labelsOfObject({ ...TLP2_MARKING_DEFINITIONS.red }, resolverFor([]), { defaultLabel: DEFAULT, policies: POLICIES });
    expect(tlp.defaulted).toBe(true);
    const statement = { type: 'marking-definition', id: 'marking-definition--5e57a7e0-0000-4000-8000-000000000001', definition_type: 'statement', definition: { statement: 'Copyright' } };
    expect(labelsOfObject(statement, resolverFor([]), { defaultLabel: DEFAULT, policies: POLICIES }).defaulted).toBe(true);
  });

  it('combines the object-level markings and labels each granular part, never looser than the object', () => {
    const object = indicator({
      object_marking_refs: markingsForLabel(report, POLICIES).refs,
      granular_markings: [
        { selectors: ['description'], marking_ref: markingsForLabel(paragraph, POLICIES).refs[0] },
        { selectors: ['name'], lang: 'de' },
      ],
    });
    const labels = labelsOfObject(object, resolverFor([report, paragraph]), { defaultLabel: DEFAULT, policies: POLICIES });
    expect(labels.defaulted).toBe(false);
    expect(labels.object).toEqual(report);
    expect(labels.granular).toEqual([{ selectors: ['description'], label: combineLabels([report, paragraph], POLICIES) }]);
  });

  it('applies the default label to an object with no marking', () => {
    expect(labelsOfObject(indicator(), resolverFor([]), { defaultLabel: DEFAULT, policies: POLICIES })).toEqual({ object: DEFAULT, granular: [], defaulted: true });
  });

  it('applies the default label when the only object marking is a statement', () => {
    const statement = { type: 'marking-definition', id: 'marking-definition--1b1f3c2c-fd27-4a5f-9bb5-7b6d3f1c0d0e', definition_type: 'statement', definition: { statement: 'Copyright' } };
    const labels = labelsOfObject(indicator({ object_marking_refs: [statement.id] }), resolverFor([], [statement]), { defaultLabel: DEFAULT, policies: POLICIES });
    expect(labels).toMatchObject({ object: DEFAULT, defaulted: true });
  });

  it('refuses an unknown marking with the JSON path of the reference', () => {
    const object = indicator({ object_marking_refs: [TLP2_MARKING_IDS['amber'], 'marking-definition--9c8a4b9e-0f55-4b51-9c1d-1fe0a58f8a3a'] });
    const resolve = resolverFor([label({ tlp: 'amber' })]);
    const error = errorOf(() => labelsOfObject(object, resolve, { defaultLabel: DEFAULT, policies: POLICIES, path: '$.objects[3]' }));
    expect(error.code).toBe('ENTENTE_LABEL_UNKNOWN_MARKING');
    expect(error.details).toEqual([{ path: '$.objects[3].object_marking_refs[1]', message: 'marking-definition--9c8a4b9e-0f55-4b51-9c1d-1fe0a58f8a3a is not a marking-definition this node knows' }]);
    const granular = indicator({ granular_markings: [{ selectors: ['name'], marking_ref: 'marking-definition--9c8a4b9e-0f55-4b51-9c1d-1fe0a58f8a3a' }] });
    expect(errorOf(() => labelsOfObject(granular, resolve, { defaultLabel: DEFAULT, policies: POLICIES })).details[0]?.path).toBe('$.granular_markings[0].marking_ref');
  });

  it('refuses malformed marking properties', () => {
    const opts = { defaultLabel: DEFAULT, policies: POLICIES };
    expect(errorOf(() => labelsOfObject(indicator({ object_marking_refs: 'tlp:red' }), resolverFor([]), opts)).message).toMatch(/^\$\.object_marking_refs: expected a list/);
    expect(errorOf(() => labelsOfObject(indicator({ granular_markings: [{ selectors: ['name'] }] }), resolverFor([]), opts)).message).toMatch(/granular_markings\[0\]: a granular marking needs a marking_ref or a lang/);
  });
});
