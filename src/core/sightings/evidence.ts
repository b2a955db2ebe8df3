/**
 * Evidence for a sighting: the event that matched, as a STIX 2.1 observed-data (section 4.14)
 * with its SCOs under their deterministic ids (section 2.9). The observation the telemetry
 * normalisers build uses local ids (`ipv4-addr--1`) or the sensor's own; here every SCO gets the
 * id its ID contributing properties give it, references rewritten to match, so that the same
 * address seen in a thousand events is one object in the store and on every node.
 */
import type { Observation } from '../pattern/index.js';
import { canonicalJson } from '../stix/canonical-json.js';
import { TYPE_RULES } from '../stix/rules/index.js';
import { deterministicScoId, SCO_ID_NAMESPACE, uuidV5 } from '../stix/sco-id.js';
import { validateObject } from '../stix/validate.js';
import type { StixRecord } from './types.js';

/** Namespace of the ids Entente derives for sightings and their observed-data. */
export const SIGHTING_NAMESPACE = Buffer.from('8c3b6f0e2a5d4e7f9b1c0d2e3f4a5b6c', 'hex');
const SCO_NAMESPACE = Buffer.from(SCO_ID_NAMESPACE.replace(/-/g, ''), 'hex');

/** Latest instant a STIX timestamp can hold (year 9999). */
const MAX_TIME = 253_402_300_799_999;

/** A STIX timestamp for epoch milliseconds (fractions rounded as asked); undefined outside years 1970-9999. */
export function stixTime(ms: number, round: 'down' | 'up' = 'down'): string | undefined {
  const whole = round === 'down' ? Math.floor(ms) : Math.ceil(ms);
  if (!Number.isFinite(whole) || whole < 0 || whole > MAX_TIME) return undefined;
  return new Date(whole).toISOString();
}

export interface Evidence {
  readonly observedData: StixRecord;
  readonly scos: ReadonlyArray<StixRecord>;
}

/**
 * The observed-data of one matching event, or undefined when its objects cannot be made valid
 * STIX 2.1 (an old embedded 2.0 object, say): the match still counts, only its evidence is lost.
 */
export function evidenceOf(observation: Observation, identityId: string, now: string): Evidence | undefined {
  const first = stixTime(observation.firstObserved, 'down');
  const last = stixTime(observation.lastObserved, 'up');
  if (first === undefined || last === undefined) return undefined;
  const scos = rebuildScos(observation);
  if (scos === undefined || scos.roots.length === 0) return undefined;
  const number = Math.min(Math.max(1, Math.trunc(observation.numberObserved)), 999_999_999);
  const refs = [...new Set(scos.roots)];
  // The same event read twice (a re-run over the same logs) gives the same observed-data id.
  const id = `observed-data--${uuidV5(`${identityId}|${first}|${last}|${number}|${[...refs].sort().join(',')}`, SIGHTING_NAMESPACE)}`;
  const observedData: StixRecord = {
    type: 'observed-data', spec_version: '2.1', id, created: now, modified: now, created_by_ref: identityId,
    first_observed: first, last_observed: last, number_observed: number, object_refs: refs,
  };
  return { observedData, scos: scos.objects };
}

/**
 * Copies the observation's SCOs with deterministic ids. Any SCO that is not valid STIX 2.1
 * afterwards makes the whole event unusable as evidence (a reference to it would dangle).
 */
function rebuildScos(observation: Observation): { readonly roots: string[]; readonly objects: StixRecord[] } | undefined {
  const ids = new Map<StixRecord, string>();
  const building = new Set<StixRecord>();
  const objects = new Map<string, StixRecord>();
  const idOf = (sco: StixRecord): string | undefined => {
    const known = ids.get(sco);
    if (known !== undefined) return known;
    if (building.has(sco) || typeof sco['type'] !== 'string') return undefined; // a reference cycle cannot get content-derived ids
    const category = TYPE_RULES.get(sco['type'])?.category;
    if (category !== undefined && category !== 'sco') return undefined; // observed-data names cyber-observables only
    building.add(sco);
    const body = rewriteRefs(sco, (ref) => {
      const target = observation.resolve(ref);
      return target === undefined ? undefined : idOf(target);
    }) as Record<string, unknown>;
    delete body['id'];
    body['spec_version'] = '2.1';
    const id = scoId(sco['type'], body);
    building.delete(sco);
    ids.set(sco, id);
    objects.set(id, { type: sco['type'], spec_version: '2.1', id, ...withoutTypeAndVersion(body) });
    return id;
  };
  const roots: string[] = [];
  for (const root of observation.roots) {
    const id = idOf(root);
    if (id !== undefined) roots.push(id);
  }
  for (const object of objects.values()) if (!validateObject(object).valid) return undefined;
  return { roots, objects: [...objects.values()] };
}

function withoutTypeAndVersion(body: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const rest = { ...body };
  delete rest['type'];
  delete rest['spec_version'];
  return rest;
}

/**
 * Section 2.9: the UUIDv5 of the first set of ID contributing properties the object has. A type
 * with none (process, network-traffic without any of them, a custom SCO) would get a UUIDv4 by
 * the specification; a name-based id over the whole object is used instead, so that re-reading
 * the same logs gives the same ids.
 */
function scoId(type: string, body: Readonly<Record<string, unknown>>): string {
  for (const set of TYPE_RULES.get(type)?.idContributing ?? []) {
    const id = deterministicScoId(type, body, set);
    if (id !== undefined) return id;
  }
  return `${type}--${uuidV5(canonicalJson(body), SCO_NAMESPACE)}`;
}

/** A copy with every `*_ref` / `*_refs` value mapped; references that do not resolve are dropped. */
function rewriteRefs(value: unknown, map: (ref: string) => string | undefined): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, map));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key.endsWith('_ref') && typeof v === 'string') {
      const mapped = map(v);
      if (mapped !== undefined) out[key] = mapped;
    } else if (key.endsWith('_refs') && Array.isArray(v)) {
      const mapped = v.map((r) => (typeof r === 'string' ? map(r) : undefined)).filter((r): r is string => r !== undefined);
      if (mapped.length > 0) out[key] = mapped;
    } else {
      out[key] = rewriteRefs(v, map);
    }
  }
  return out;
}
