/**
 * IEP 2.0-style handling rules: validation, the most restrictive combination, and dominance.
 * Each field is ordered from least to most restrictive for the protection of the information
 * and of the parties it names; combination keeps the later value of each order.
 */
import { EntenteError } from '../errors.js';
import { compareTimestamps, isStixTimestamp } from '../stix/timestamp-order.js';
import { PERMITTED_ACTIONS, type HandlingRules } from './types.js';

type OrderedField = Exclude<keyof HandlingRules, 'expiresAt'>;

/**
 * Least to most restrictive. ATTRIBUTION `must-not` protects the source more than `must`; for
 * OBFUSCATE AFFECTED PARTIES, `must` protects victims most and `must-not` least.
 */
export const HANDLING_ORDERS: { readonly [F in OrderedField]-?: ReadonlyArray<NonNullable<HandlingRules[F]>> } = {
  encryptInTransit: ['may', 'must'],
  permittedActions: [...PERMITTED_ACTIONS].reverse(),
  affectedPartyNotifications: ['may', 'must-not'],
  attribution: ['may', 'must', 'must-not'],
  obfuscateAffectedParties: ['must-not', 'may', 'must'],
  unmodifiedResale: ['may', 'must-not'],
};

export const HANDLING_FIELDS = Object.keys(HANDLING_ORDERS) as ReadonlyArray<OrderedField>;

function rankOf(field: OrderedField, value: string | undefined): number {
  return value === undefined ? -1 : (HANDLING_ORDERS[field] as ReadonlyArray<string>).indexOf(value);
}

/** The rules with every value checked and absent fields left out. */
export function normaliseHandling(handling: HandlingRules, where = 'handling'): HandlingRules {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(handling) as Array<[string, unknown]>) {
    if (value === undefined) continue;
    if (key === 'expiresAt') {
      if (!isStixTimestamp(value)) throw new EntenteError('ENTENTE_LABEL_INVALID', `${where}.expiresAt: ${JSON.stringify(value)} is not a STIX timestamp`);
      out[key] = value;
      continue;
    }
    const order = (HANDLING_ORDERS as Readonly<Record<string, ReadonlyArray<string> | undefined>>)[key];
    if (order === undefined) throw new EntenteError('ENTENTE_LABEL_INVALID', `${where}: unknown handling rule ${JSON.stringify(key)}`);
    if (typeof value !== 'string' || !order.includes(value)) {
      throw new EntenteError('ENTENTE_LABEL_INVALID', `${where}.${key}: ${JSON.stringify(value)} is not one of ${order.join(', ')}`);
    }
    out[key] = value;
  }
  return out as HandlingRules;
}

/** Each field's most restrictive value and the earliest expiry. Inputs must be normalised. */
export function combineHandling(rules: ReadonlyArray<HandlingRules>): HandlingRules {
  const out: Record<string, string> = {};
  for (const field of HANDLING_FIELDS) {
    let best: string | undefined;
    for (const r of rules) {
      const value = r[field];
      if (rankOf(field, value) > rankOf(field, best)) best = value;
    }
    if (best !== undefined) out[field] = best;
  }
  let expiry: string | undefined;
  for (const r of rules) {
    if (r.expiresAt !== undefined && (expiry === undefined || compareTimestamps(r.expiresAt, expiry) < 0)) expiry = r.expiresAt;
  }
  if (expiry !== undefined) out['expiresAt'] = expiry;
  return out as HandlingRules;
}

/** Whether `a` is at least as restrictive as `b` in every field (absent = least restrictive). */
export function handlingDominates(a: HandlingRules, b: HandlingRules): boolean {
  for (const field of HANDLING_FIELDS) {
    if (rankOf(field, a[field]) < rankOf(field, b[field])) return false;
  }
  if (b.expiresAt === undefined) return true;
  return a.expiresAt !== undefined && compareTimestamps(a.expiresAt, b.expiresAt) <= 0;
}
