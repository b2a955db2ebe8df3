/**
 * Labels in STIX: a label becomes the OASIS TLP 2.0 marking-definition for its TLP and one
 * Entente marking-definition for everything else; reading goes the other way, for object-level
 * (`object_marking_refs`) and granular (`granular_markings`) markings.
 */
import { EntenteError } from '../errors.js';
import { pathIndex, pathKey } from '../json/json-path.js';
import { TLP1_MARKING_IDS, TLP2_EXTENSION_ID, TLP2_MARKING_IDS } from '../stix/rules/marking-rules.js';
import { uuidV5 } from '../stix/sco-id.js';
import type { MarkingDefinition } from '../stix/types/index.js';
import { printBanner } from './banner.js';
import { HANDLING_FIELDS } from './handling.js';
import { EMPTY_LABEL, combineLabels, normaliseLabel } from './label-algebra.js';
import { ENTENTE_IDENTITY, ENTENTE_LABEL_EPOCH, ENTENTE_LABEL_EXTENSION_ID, ENTENTE_MARKING_NAMESPACE, TLP2_MARKING_DEFINITIONS } from './stix-definitions.js';
import { tlpLevelOf } from './tlp.js';
import type { ClassificationPolicy, HandlingRules, ObjectLabels, SecurityLabel, TlpLevel } from './types.js';

type Json = Readonly<Record<string, unknown>>;

/** A marking-definition as typed STIX or as parsed JSON. */
export type MarkingLike = MarkingDefinition | Json;
/** Finds a marking-definition by id; undefined when this node does not know it. */
export type MarkingResolver = (id: string) => MarkingLike | undefined;

const NAMESPACE = Buffer.from(ENTENTE_MARKING_NAMESPACE.replace(/-/g, ''), 'hex');
const TLP_BY_ID = new Map<string, TlpLevel>([
  ...Object.entries(TLP2_MARKING_IDS).map(([level, id]) => [id, level as TlpLevel] as const),
  ...Object.entries(TLP1_MARKING_IDS).map(([colour, id]) => [id, tlpLevelOf(colour) ?? 'red'] as const),
]);
const snake = (field: string): string => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const HANDLING_PROPERTIES = new Map<string, keyof HandlingRules>([
  ...HANDLING_FIELDS.map((f) => [snake(f), f] as const), ['expires', 'expiresAt'],
]);

function isEmpty(l: SecurityLabel): boolean {
  return l.tlp === undefined && l.pap === undefined && l.classifications.length === 0 && l.releasableTo.length === 0
    && l.caveats.length === 0 && l.informative.length === 0 && Object.keys(l.handling).length === 0;
}

function isRecord(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function invalid(path: string, message: string): EntenteError {
  return new EntenteError('ENTENTE_LABEL_INVALID', `${path}: ${message}`, [{ path, message }]);
}

/** The extension property of a label: snake_case, empty parts left out. */
function extensionOf(l: SecurityLabel): Record<string, unknown> {
  const handling: Record<string, string> = {};
  for (const [property, field] of HANDLING_PROPERTIES) {
    const value = l.handling[field];
    if (value !== undefined) handling[property] = value;
  }
  return {
    extension_type: 'property-extension',
    ...(l.classifications.length === 0 ? {} : { classifications: l.classifications.map((c) => ({ policy: c.policy, classification: c.level })) }),
    ...(l.releasableTo.length === 0 ? {} : { releasable_to: l.releasableTo }),
    ...(l.caveats.length === 0 ? {} : { caveats: l.caveats }),
    ...(l.informative.length === 0 ? {} : { informative: l.informative }),
    ...(Object.keys(handling).length === 0 ? {} : { handling }),
    ...(l.pap === undefined ? {} : { pap: l.pap }),
  };
}

/**
 * The marking-definitions that carry `label` and the refs an object puts in
 * `object_marking_refs`. The Entente definition's id is a UUIDv5 of its canonical banner, so
 * the same label has the same id on every node; `created` defaults to ENTENTE_LABEL_EPOCH so
 * the whole object is the same too.
 */
export function markingsForLabel(label: SecurityLabel, policies: ReadonlyArray<ClassificationPolicy>, options: { readonly created?: string } = {}): { readonly definitions: ReadonlyArray<MarkingDefinition>; readonly refs: ReadonlyArray<string> } {
  const l = normaliseLabel(label, policies);
  const definitions: MarkingDefinition[] = [];
  if (l.tlp !== undefined) definitions.push(TLP2_MARKING_DEFINITIONS[l.tlp]);
  const rest: SecurityLabel = { ...(l.pap === undefined ? {} : { pap: l.pap }), classifications: l.classifications, releasableTo: l.releasableTo, caveats: l.caveats, informative: l.informative, handling: l.handling };
  if (!isEmpty(rest)) {
    const banner = printBanner(rest, policies);
    definitions.push({
      type: 'marking-definition',
      spec_version: '2.1',
      id: `marking-definition--${uuidV5(banner, NAMESPACE)}`,
      created_by_ref: ENTENTE_IDENTITY.id,
      created: options.created ?? ENTENTE_LABEL_EPOCH,
      name: banner,
      extensions: { [ENTENTE_LABEL_EXTENSION_ID]: extensionOf(rest) },
    });
  }
  return { definitions, refs: definitions.map((d) => d.id) };
}

function stringList(value: unknown, path: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw invalid(path, 'expected a list of strings');
  return value as string[];
}

const EXTENSION_PROPERTIES = new Set(['extension_type', 'classifications', 'releasable_to', 'caveats', 'informative', 'handling', 'pap']);

/** The label an Entente extension property carries; every part is checked, with its path. */
function labelOfExtension(ext: Json, policies: ReadonlyArray<ClassificationPolicy>, path: string): SecurityLabel {
  // A property this node does not know (a misspelt `caveat`, a newer version's compartment) could
  // be a restriction: refuse it rather than read the label without it.
  for (const key of Object.keys(ext)) {
    if (!EXTENSION_PROPERTIES.has(key)) throw invalid(pathKey(path, key), 'unknown property of the Entente label extension');
  }
  const classifications = ext['classifications'] === undefined ? [] : ext['classifications'];
  if (!Array.isArray(classifications)) throw invalid(pathKey(path, 'classifications'), 'expected a list of { policy, classification }');
  const parsed = classifications.map((c: unknown, i) => {
    const at = pathIndex(pathKey(path, 'classifications'), i);
    if (!isRecord(c) || typeof c['policy'] !== 'string' || typeof c['classification'] !== 'string') throw invalid(at, 'expected { policy, classification } strings');
    return { policy: c['policy'], level: c['classification'] };
  });
  const rel = ext['releasable_to'] === undefined ? [] : ext['releasable_to'];
  if (!Array.isArray(rel)) throw invalid(pathKey(path, 'releasable_to'), 'expected a list of REL TO lists');
  const releasableTo = rel.map((list: unknown, i) => stringList(list, pathIndex(pathKey(path, 'releasable_to'), i)));
  const handlingRaw = ext['handling'] ?? {};
  if (!isRecord(handlingRaw)) throw invalid(pathKey(path, 'handling'), 'expected an object');
  const handling: Record<string, unknown> = {};
  for (const [property, value] of Object.entries(handlingRaw)) {
    const field = HANDLING_PROPERTIES.get(property);
    if (field === undefined) throw invalid(pathKey(pathKey(path, 'handling'), property), 'unknown handling rule');
    handling[field] = value;
  }
  const pap = ext['pap'];
  if (pap !== undefined && typeof pap !== 'string') throw invalid(pathKey(path, 'pap'), 'expected a PAP level');
  try {
    return normaliseLabel({
      ...(pap === undefined ? {} : { pap: pap as SecurityLabel['pap'] & string }),
      classifications: parsed,
      releasableTo,
      caveats: ext['caveats'] === undefined ? [] : stringList(ext['caveats'], pathKey(path, 'caveats')),
      informative: ext['informative'] === undefined ? [] : stringList(ext['informative'], pathKey(path, 'informative')),
      handling: handling as HandlingRules,
    }, policies);
  } catch (error) {
    if (error instanceof EntenteError) throw invalid(path, error.message);
    throw error;
  }
}

const CACHE = new WeakMap<Json, { readonly policies: ReadonlyArray<ClassificationPolicy>; readonly label: SecurityLabel }>();

/**
 * The label a marking-definition stands for: TLP 2.0 (by OASIS id or extension), TLP 1.0 (by id
 * or `definition_type: tlp`, WHITE read as CLEAR), Entente's extension, or a `statement`, which
 * restricts nothing. Anything else (an extension this node does not understand) is
 * ENTENTE_LABEL_INVALID: treating it as unmarked could release what it protects.
 */
export function labelOfMarkingDefinition(marking: MarkingLike, policies: ReadonlyArray<ClassificationPolicy>, path = '$'): SecurityLabel {
  const def = marking as Json;
  const cached = CACHE.get(def);
  if (cached !== undefined && cached.policies === policies) return cached.label;
  const parts: SecurityLabel[] = [];
  let understood = false;
  const id = typeof def['id'] === 'string' ? def['id'] : '';
  const byId = TLP_BY_ID.get(id);
  if (byId !== undefined) {
    parts.push({ ...EMPTY_LABEL, tlp: byId });
    understood = true;
  }
  const extensions = isRecord(def['extensions']) ? def['extensions'] : {};
  const tlp2 = extensions[TLP2_EXTENSION_ID];
  if (isRecord(tlp2)) {
    const level = typeof tlp2['tlp_2_0'] === 'string' ? tlpLevelOf(tlp2['tlp_2_0']) : undefined;
    const at = pathKey(pathKey(pathKey(path, 'extensions'), TLP2_EXTENSION_ID), 'tlp_2_0');
    if (level === undefined || tlp2['tlp_2_0'] === 'white') throw invalid(at, 'expected clear, green, amber, amber+strict or red');
    if (byId !== undefined && byId !== level) throw invalid(at, `says ${level} but ${id} is the OASIS TLP:${byId.toUpperCase()} marking`);
    parts.push({ ...EMPTY_LABEL, tlp: level });
    understood = true;
  }
  const definition = isRecord(def['definition']) ? def['definition'] : undefined;
  if (def['definition_type'] === 'tlp') {
    const level = typeof definition?.['tlp'] === 'string' ? tlpLevelOf(definition['tlp']) : undefined;
    if (level === undefined) throw invalid(pathKey(pathKey(path, 'definition'), 'tlp'), 'expected white, green, amber or red');
    parts.push({ ...EMPTY_LABEL, tlp: level });
    understood = true;
  }
  if (def['definition_type'] === 'statement' && typeof definition?.['statement'] === 'string') understood = true;
  const entente = extensions[ENTENTE_LABEL_EXTENSION_ID];
  if (entente !== undefined) {
    const at = pathKey(pathKey(path, 'extensions'), ENTENTE_LABEL_EXTENSION_ID);
    if (!isRecord(entente)) throw invalid(at, 'expected an object');
    parts.push(labelOfExtension(entente, policies, at));
    understood = true;
  }
  if (!understood) {
    const known = Object.keys(extensions);
    throw invalid(path, `marking-definition ${id || '(no id)'} carries no TLP, Entente label or statement`
      + (known.length === 0 ? '' : ` (extensions: ${known.join(', ')})`));
  }
  const label = parts.length === 1 && parts[0] !== undefined ? normaliseLabel(parts[0], policies) : combineLabels(parts, policies);
  CACHE.set(def, { policies, label });
  return label;
}

export interface ObjectLabelOptions {
  /** The node's default label, applied when the object carries no object-level marking. */
  readonly defaultLabel: SecurityLabel;
  readonly policies: ReadonlyArray<ClassificationPolicy>;
  /** JSON path of the object in errors, `$` unless the caller says (`$.objects[3]`). */
  readonly path?: string;
}

function resolveRef(ref: unknown, resolve: MarkingResolver, policies: ReadonlyArray<ClassificationPolicy>, path: string): SecurityLabel {
  if (typeof ref !== 'string') throw invalid(path, 'expected a marking-definition id');
  const def = resolve(ref);
  if (def === undefined) {
    const message = `${ref} is not a marking-definition this node knows`;
    throw new EntenteError('ENTENTE_LABEL_UNKNOWN_MARKING', `${path}: ${message}`, [{ path, message }]);
  }
  return labelOfMarkingDefinition(def, policies, path);
}

/*
 * Objects of a feed carry few distinct sets of markings, and the labels of marking-definitions
 * are cached (one object per definition): combining the same labels again, or normalising the
 * same default label, gives the same result. Keyed by the label objects themselves (a trie of
 * WeakMaps), so the caches hold nothing once the labels are gone, and every node of the path
 * is the policies list first: labels read under other policies are never mixed up.
 */
interface Combined {
  readonly next: WeakMap<SecurityLabel, Combined>;
  value?: SecurityLabel;
}
const COMBINED = new WeakMap<ReadonlyArray<ClassificationPolicy>, Combined>();
const DEFAULTS = new WeakMap<ReadonlyArray<ClassificationPolicy>, WeakMap<SecurityLabel, SecurityLabel>>();

function combinedOnce(labels: ReadonlyArray<SecurityLabel>, policies: ReadonlyArray<ClassificationPolicy>): SecurityLabel {
  let root = COMBINED.get(policies);
  if (root === undefined) {
    root = { next: new WeakMap() };
    COMBINED.set(policies, root);
  }
  let node: Combined = root;
  for (const label of labels) {
    let child: Combined | undefined = node.next.get(label);
    if (child === undefined) {
      child = { next: new WeakMap() };
      node.next.set(label, child);
    }
    node = child;
  }
  node.value ??= combineLabels(labels, policies);
  return node.value;
}

function normalisedDefault(label: SecurityLabel, policies: ReadonlyArray<ClassificationPolicy>): SecurityLabel {
  let byLabel = DEFAULTS.get(policies);
  if (byLabel === undefined) {
    byLabel = new WeakMap();
    DEFAULTS.set(policies, byLabel);
  }
  let normalised = byLabel.get(label);
  if (normalised === undefined) {
    normalised = normaliseLabel(label, policies);
    byLabel.set(label, normalised);
  }
  return normalised;
}

/**
 * The labels of a STIX object. Object-level markings combine into the object label; each
 * granular marking with a `marking_ref` labels its selectors with its own label combined with
 * the object label (granular never loosens); `lang`-only granular markings are ignored. When no
 * object-level marking restricts anything (none at all, or only statements) the node's default
 * label applies and `defaulted` is true. A marking-definition of an Entente label also carries
 * the label it defines.
 */
export function labelsOfObject(object: Json, resolve: MarkingResolver, options: ObjectLabelOptions): ObjectLabels {
  const { policies } = options;
  const base = options.path ?? '$';
  const refs = object['object_marking_refs'] ?? [];
  if (!Array.isArray(refs)) throw invalid(pathKey(base, 'object_marking_refs'), 'expected a list of marking-definition ids');
  const found = refs.map((ref: unknown, i) => resolveRef(ref, resolve, policies, pathIndex(pathKey(base, 'object_marking_refs'), i)))
    .filter((l) => !isEmpty(l));
  // A definition of an Entente label is labelled by the label it defines: its text names the
  // classification, the caveats and the countries, which say as much as the objects it marks.
  if (object['type'] === 'marking-definition' && isRecord(object['extensions']) && object['extensions'][ENTENTE_LABEL_EXTENSION_ID] !== undefined) {
    const own = labelOfMarkingDefinition(object as MarkingLike, policies, base);
    if (!isEmpty(own)) found.push(own);
  }
  const defaulted = found.length === 0;
  const [single] = found;
  const objectLabel = defaulted
    ? normalisedDefault(options.defaultLabel, policies)
    : found.length === 1 && single !== undefined ? single : combinedOnce(found, policies);
  const granularRaw = object['granular_markings'] ?? [];
  if (!Array.isArray(granularRaw)) throw invalid(pathKey(base, 'granular_markings'), 'expected a list of granular markings');
  const granular: Array<ObjectLabels['granular'][number]> = [];
  granularRaw.forEach((entry: unknown, i) => {
    const at = pathIndex(pathKey(base, 'granular_markings'), i);
    if (!isRecord(entry)) throw invalid(at, 'expected a granular marking');
    if (entry['marking_ref'] === undefined) {
      if (typeof entry['lang'] === 'string') return;
      throw invalid(at, 'a granular marking needs a marking_ref or a lang');
    }
    const selectors = stringList(entry['selectors'], pathKey(at, 'selectors'));
    const own = resolveRef(entry['marking_ref'], resolve, policies, pathKey(at, 'marking_ref'));
    granular.push({ selectors, label: combineLabels([objectLabel, own], policies) });
  });
  return { object: objectLabel, granular, defaulted };
}
