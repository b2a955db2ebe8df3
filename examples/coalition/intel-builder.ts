/**
 * Builds the labelled sample intelligence of the coalition example from its description in
 * `intel-objects.ts`. Markings come from the real label functions (`parseBanner`,
 * `markingsForLabel`) and every id is derived from a fixed key, so the bundles are correct by
 * construction and the same on every run. Pure: `generate-intel.ts` writes the files.
 */
import { createHash } from 'node:crypto';
import {
  CLASSIFICATION_POLICIES, ENTENTE_IDENTITY, labelExtensionDefinition, markingsForLabel, parseBanner,
} from '../../src/core/labels/index.js';
import type { Bundle, MarkingDefinition } from '../../src/core/stix/types/index.js';
import { INTEL_BUNDLES, type IntelObject } from './intel-objects.js';

/** An organisation of `organisations.yaml`, as far as the intelligence needs it. */
export interface DirectoryEntry {
  readonly code: string;
  readonly name: string;
  readonly kind: string;
  readonly id: string;
  readonly sectors?: ReadonlyArray<string>;
}

export interface IntelFile {
  /** File name under `intel/`. */
  readonly file: string;
  readonly bundle: Bundle;
}

type Json = Record<string, unknown>;

/** When the organisations' identities were written; the intelligence itself has its own times. */
const DIRECTORY_TIME = '2026-11-01T00:00:00.000Z';

/**
 * A UUIDv4-shaped id derived from a key: SDOs and SROs should carry version 4 UUIDs (STIX 2.1
 * section 2.9), and a hash keeps them stable across runs, unlike a random one.
 */
export function exampleId(type: string, key: string): string {
  const h = createHash('sha256').update(`entente-coalition-example/${key}`).digest('hex');
  const variant = ((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${type}--${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The id of every described object, by its key (`ind-c2-ipv4`, `report-steppe-lynx`, ...). */
export function intelIds(): ReadonlyMap<string, string> {
  return new Map(INTEL_BUNDLES.flatMap((b) => b.objects).map((o) => [o.key, exampleId(o.type, o.key)]));
}

/** Banners are read with NATO as the policy of a bare level, so `SECRET//REL TO USA, GBR` is NATO SECRET. */
function markingsOf(banner: string): { readonly definitions: ReadonlyArray<MarkingDefinition>; readonly refs: ReadonlyArray<string> } {
  return markingsForLabel(parseBanner(banner, { policies: CLASSIFICATION_POLICIES, defaultPolicy: 'NATO' }), CLASSIFICATION_POLICIES);
}

/** Replaces `@key` in reference properties by the id of the object with that key. */
function resolveRefs(value: unknown, ids: ReadonlyMap<string, string>, directory: ReadonlyMap<string, DirectoryEntry>): unknown {
  if (typeof value === 'string' && value.startsWith('@')) {
    const key = value.slice(1);
    const id = ids.get(key) ?? directory.get(key)?.id;
    if (id === undefined) throw new Error(`unknown reference ${value}`);
    return id;
  }
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, ids, directory));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, ids, directory)]));
  }
  return value;
}

function identityOf(entry: DirectoryEntry, markingRefs: ReadonlyArray<string>): Json {
  return {
    type: 'identity', spec_version: '2.1', id: entry.id, created: DIRECTORY_TIME, modified: DIRECTORY_TIME,
    name: entry.name, identity_class: 'organization',
    ...(entry.sectors === undefined || entry.sectors.length === 0 ? {} : { sectors: [...entry.sectors] }),
    object_marking_refs: [...markingRefs],
  };
}

function build(o: IntelObject, ids: ReadonlyMap<string, string>, directory: ReadonlyMap<string, DirectoryEntry>, definitions: Map<string, MarkingDefinition>): Json {
  const creator = directory.get(o.by);
  if (creator === undefined) throw new Error(`${o.key}: ${o.by} is not in the directory`);
  const marking = markingsOf(o.banner);
  for (const d of marking.definitions) definitions.set(d.id, d);
  const granular = (o.granular ?? []).map((g) => {
    const part = markingsOf(g.banner);
    for (const d of part.definitions) definitions.set(d.id, d);
    // A granular marking names one marking-definition: the part's label is carried whole by it.
    if (part.refs.length !== 1) throw new Error(`${o.key}: the granular banner ${g.banner} needs ${part.refs.length} marking-definitions; give one`);
    return { marking_ref: part.refs[0], selectors: [...g.selectors] };
  });
  return {
    type: o.type, spec_version: '2.1', id: ids.get(o.key), created: o.at, modified: o.at, created_by_ref: creator.id,
    ...(resolveRefs(o.properties, ids, directory) as Json),
    object_marking_refs: [...marking.refs],
    ...(granular.length === 0 ? {} : { granular_markings: granular }),
  };
}

/**
 * The bundles of the example. Each is self-contained: it carries the identities of the
 * organisations that created its objects and every marking-definition its objects use (with
 * Entente's identity and label extension-definition), so it validates and imports on its own.
 */
export function buildCoalitionIntel(organisations: ReadonlyArray<DirectoryEntry>): ReadonlyArray<IntelFile> {
  const directory = new Map(organisations.map((o) => [o.code, o]));
  const ids = intelIds();
  const clear = markingsOf('TLP:CLEAR');
  return INTEL_BUNDLES.map((b) => {
    const definitions = new Map<string, MarkingDefinition>(clear.definitions.map((d) => [d.id, d]));
    const objects = b.objects.map((o) => build(o, ids, directory, definitions));
    const creators = [...new Set(b.objects.map((o) => o.by))].map((code) => identityOf(directory.get(code) as DirectoryEntry, clear.refs));
    const entente = [...definitions.values()].some((d) => d.created_by_ref === ENTENTE_IDENTITY.id);
    const meta: Json[] = [
      ...(entente ? [{ ...ENTENTE_IDENTITY }, { ...labelExtensionDefinition() }] : []),
      ...[...definitions.values()].sort((x, y) => (x.id < y.id ? -1 : 1)).map((d) => ({ ...d })),
    ];
    return { file: b.file, bundle: { type: 'bundle', id: exampleId('bundle', b.file), objects: [...meta, ...creators, ...objects] } };
  });
}

/** The text a bundle is written as: two-space JSON and a final newline. */
export function serialiseBundle(bundle: Bundle): string {
  return `${JSON.stringify(bundle, null, 2)}\n`;
}
