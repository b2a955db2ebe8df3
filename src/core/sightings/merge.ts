/**
 * A fresh sighting merged into the version already stored under the same id: counts added,
 * first and last seen widened, evidence kept up to the cap (what was already there stays, since
 * it may have been shared), and a `modified` later than the stored one, so that the result is
 * a new version of the same object (STIX 2.1 section 3.6) rather than a duplicate.
 */
import { EntenteError } from '../errors.js';
import { compareTimestamps, isStixTimestamp } from '../stix/timestamp-order.js';
import { MAX_COUNT } from './aggregate.js';
import { stixTime } from './evidence.js';
import type { SightingDraft, SightingSettings, StixRecord } from './types.js';

export function mergeSighting(stored: StixRecord, fresh: SightingDraft, settings: Pick<SightingSettings, 'evidence' | 'now'>): SightingDraft {
  const id = String(fresh.sighting['id']);
  const path = (key: string): string => `${id}.${key}`;
  const timestamp = (object: StixRecord, key: string): string => {
    const value = object[key];
    if (!isStixTimestamp(value)) throw new EntenteError('ENTENTE_STIX_INVALID', `${path(key)}: the stored sighting has no valid ${key}`, [{ path: path(key), message: 'not a STIX timestamp' }]);
    return value;
  };
  if (stored['id'] !== id || stored['type'] !== 'sighting') {
    throw new EntenteError('ENTENTE_CONFLICT', `${id}: the stored object is not this sighting`, [{ path: path('id'), message: 'another object has this id' }]);
  }
  const storedCount = typeof stored['count'] === 'number' ? stored['count'] : 0;
  const freshCount = typeof fresh.sighting['count'] === 'number' ? fresh.sighting['count'] : 0;
  const earlier = (a: string, b: string): string => (compareTimestamps(a, b) <= 0 ? a : b);
  const later = (a: string, b: string): string => (compareTimestamps(a, b) >= 0 ? a : b);
  const firstSeen = isStixTimestamp(stored['first_seen']) ? earlier(stored['first_seen'], timestamp(fresh.sighting, 'first_seen')) : timestamp(fresh.sighting, 'first_seen');
  const lastSeen = isStixTimestamp(stored['last_seen']) ? later(stored['last_seen'], timestamp(fresh.sighting, 'last_seen')) : timestamp(fresh.sighting, 'last_seen');

  const storedRefs = Array.isArray(stored['observed_data_refs']) ? stored['observed_data_refs'].filter((r): r is string => typeof r === 'string') : [];
  const kept = new Set(storedRefs);
  const added: StixRecord[] = [];
  for (const od of fresh.observedData) {
    if (kept.size >= Math.max(settings.evidence, storedRefs.length)) break;
    const odId = String(od['id']);
    if (kept.has(odId)) continue;
    kept.add(odId);
    added.push(od);
  }
  const named = new Set(added.flatMap((od) => (Array.isArray(od['object_refs']) ? od['object_refs'] : []) as string[]));

  const storedModified = timestamp(stored, 'modified');
  const modified = compareTimestamps(settings.now, storedModified) > 0 ? settings.now : (stixTime(Date.parse(storedModified) + 1) as string);
  const rest: Record<string, unknown> = { ...stored };
  delete rest['observed_data_refs'];
  const sighting: StixRecord = {
    ...rest, modified, count: Math.min(MAX_COUNT, storedCount + freshCount), first_seen: firstSeen, last_seen: lastSeen,
    ...(kept.size === 0 ? {} : { observed_data_refs: [...kept] }),
  };
  return { ...fresh, sighting, observedData: added, scos: fresh.scos.filter((s) => named.has(String(s['id']))) };
}
