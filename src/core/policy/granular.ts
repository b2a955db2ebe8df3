import { selectorResolves } from '../stix/check-markings.js';

/**
 * Drops granular-marking selectors whose content was removed: a selector MUST resolve to
 * content of the object (STIX 2.1 section 7.2.3.1), so one left dangling would make the released
 * object invalid. A marking left with no selector goes too.
 */
export function dropDanglingGranular(object: Record<string, unknown>): void {
  const markings = object['granular_markings'];
  if (!Array.isArray(markings)) return;
  const kept = markings
    .filter((m): m is Record<string, unknown> => typeof m === 'object' && m !== null)
    .map((m) => ({ ...m, selectors: (Array.isArray(m['selectors']) ? m['selectors'] : []).filter((s): s is string => typeof s === 'string' && selectorResolves(object, s)) }))
    .filter((m) => m.selectors.length > 0);
  if (kept.length === 0) delete object['granular_markings'];
  else object['granular_markings'] = kept;
}
