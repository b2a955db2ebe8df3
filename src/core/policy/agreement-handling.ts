/**
 * The `handling` section of an agreement: IEP 2.0-style rules (FIRST Information Exchange
 * Policy) that recipients must honour for what they receive under it. YAML keys are the IEP
 * names in kebab-case.
 */
import { PERMITTED_ACTIONS, type HandlingRules, type PermittedAction } from '../labels/types.js';
import type { Problems } from './agreement-reader.js';
import type { PathStep } from './yaml-source.js';

const FIELDS: Record<string, { readonly key: keyof HandlingRules; readonly values: ReadonlyArray<string> }> = {
  'encrypt-in-transit': { key: 'encryptInTransit', values: ['may', 'must'] },
  'permitted-actions': { key: 'permittedActions', values: PERMITTED_ACTIONS },
  'affected-party-notifications': { key: 'affectedPartyNotifications', values: ['may', 'must-not'] },
  attribution: { key: 'attribution', values: ['may', 'must', 'must-not'] },
  'obfuscate-affected-parties': { key: 'obfuscateAffectedParties', values: ['may', 'must', 'must-not'] },
  'unmodified-resale': { key: 'unmodifiedResale', values: ['may', 'must-not'] },
};

export function readHandling(value: unknown, path: ReadonlyArray<PathStep>, p: Problems): HandlingRules | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    p.add(path, `handling must be a mapping of IEP rules (${Object.keys(FIELDS).join(', ')})`);
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(value as Record<string, unknown>)) {
    const field = FIELDS[name];
    if (field === undefined) {
      p.add([...path, name], `unknown handling rule "${name}" (known: ${Object.keys(FIELDS).join(', ')})`, true);
      continue;
    }
    if (typeof raw !== 'string' || !field.values.includes(raw)) {
      p.add([...path, name], `"${String(raw)}" is not allowed for ${name} (one of ${field.values.join(', ')})`);
      continue;
    }
    out[field.key] = raw;
  }
  return out as HandlingRules & { permittedActions?: PermittedAction };
}
