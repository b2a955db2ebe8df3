/**
 * Resolution of object paths against one SCO (STIX 2.1 section 9.7): dictionary keys, list
 * indexes, `[*]`, and dereferencing of `_ref` / `_refs` properties.
 */
import type { ObjectPath } from './ast.js';
import type { Observation, StixObject } from './observations.js';

/** One value a path reaches, with the property name and the type of the object holding it. */
export interface PathValue {
  readonly value: unknown;
  readonly property: string;
  readonly holderType: string | undefined;
}

interface Item extends PathValue {
  readonly ref: boolean;
}

const REF = /_refs?$/;

function isObject(value: unknown): value is StixObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Every value `path` reaches from `root`; empty when the root has another type or the path is
 * absent (section 9.6: such a comparison is false whatever the operator).
 */
export function resolvePath(root: StixObject, path: ObjectPath, observation: Observation): PathValue[] {
  if (root.type !== path.objectType) return [];
  let current: Item[] = [{ value: root, property: '', holderType: path.objectType, ref: false }];
  for (const step of path.steps) {
    const next: Item[] = [];
    for (const item of current) {
      if (step.kind === 'key') {
        // A reference is followed only when the path continues past it (section 9.7.4).
        const holder = item.ref && typeof item.value === 'string' ? observation.resolve(item.value) : item.value;
        if (!isObject(holder) || !Object.prototype.hasOwnProperty.call(holder, step.name)) continue;
        const holderType = typeof holder.type === 'string' ? holder.type : item.holderType;
        next.push({ value: holder[step.name], property: step.name, holderType, ref: REF.test(step.name) });
      } else if (Array.isArray(item.value)) {
        if (step.kind === 'any') {
          for (const element of item.value) next.push({ ...item, value: element });
        } else if (step.index >= 0 && step.index < item.value.length) {
          next.push({ ...item, value: item.value[step.index] });
        }
      }
    }
    current = next;
  }
  return current.filter((item) => item.value !== undefined && item.value !== null);
}
