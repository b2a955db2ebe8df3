/**
 * Granular marking selectors (section 7.2.3.1) must resolve to content inside the object:
 * property names separated by `.`, list positions written `[n]`, e.g. `external_references.[0].url`.
 */
import type { IssueSink } from './issues.js';
import { isRecord } from './check-value.js';
import type { JsonRecord } from './rules/property-spec.js';

/** Whether `selector` names something present in `object`. */
export function selectorResolves(object: JsonRecord, selector: string): boolean {
  let current: unknown = object;
  for (const step of selector.split('.')) {
    const index = /^\[(\d+)\]$/.exec(step);
    if (index !== null) {
      if (!Array.isArray(current)) return false;
      current = current[Number(index[1])];
    } else {
      if (!isRecord(current) || !Object.hasOwn(current, step)) return false;
      current = current[step];
    }
    if (current === undefined) return false;
  }
  return true;
}

export function checkSelectors(object: JsonRecord, path: string, sink: IssueSink): void {
  const markings = object['granular_markings'];
  if (!Array.isArray(markings)) return;
  markings.forEach((marking, i) => {
    if (!isRecord(marking) || !Array.isArray(marking['selectors'])) return;
    marking['selectors'].forEach((selector, j) => {
      if (typeof selector === 'string' && !selectorResolves(object, selector)) {
        sink.error('invalid-selector', `${path}.granular_markings[${i}].selectors[${j}]`, `The selector ${JSON.stringify(selector)} does not resolve to any content of this object`);
      }
    });
  });
}
