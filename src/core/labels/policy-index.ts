/**
 * Lookups over a list of classification policies, built once per list: ranks, the canonical
 * spelling of a level, and what clearances satisfy a level. Labels are checked on every
 * release decision, so these are maps rather than scans.
 */
import { EntenteError } from '../errors.js';
import type { Classification, ClassificationPolicy } from './types.js';

/** What a subject needs to see a level: a clearance at or above `rank` under any listed policy. */
export type Requirement = 'anyone' | ReadonlyMap<string, number>;

export interface PolicyIndex {
  readonly policies: ReadonlyArray<ClassificationPolicy>;
  /** Position of each policy in the list: the order classifications are kept and printed in. */
  readonly order: ReadonlyMap<string, number>;
  readonly byId: ReadonlyMap<string, ClassificationPolicy>;
  /** Policy id, then level name in upper case, to the canonical spelling and rank. */
  readonly levels: ReadonlyMap<string, ReadonlyMap<string, { readonly level: string; readonly rank: number }>>;
  /** Policy id, then canonical level, to its requirement. */
  readonly requirements: ReadonlyMap<string, ReadonlyMap<string, Requirement>>;
}

const CACHE = new WeakMap<ReadonlyArray<ClassificationPolicy>, PolicyIndex>();

function configError(message: string): EntenteError {
  return new EntenteError('ENTENTE_CONFIG_INVALID', `classification policies: ${message}`);
}

function build(policies: ReadonlyArray<ClassificationPolicy>): PolicyIndex {
  const byId = new Map<string, ClassificationPolicy>();
  const levels = new Map<string, Map<string, { level: string; rank: number }>>();
  for (const policy of policies) {
    if (byId.has(policy.id)) throw configError(`policy ${policy.id} is listed twice`);
    if (policy.levels.length === 0) throw configError(`policy ${policy.id} has no levels`);
    byId.set(policy.id, policy);
    const own = new Map<string, { level: string; rank: number }>();
    policy.levels.forEach((level, rank) => own.set(level.toUpperCase(), { level, rank }));
    levels.set(policy.id, own);
  }
  const requirements = new Map<string, Map<string, Requirement>>();
  for (const policy of policies) {
    const own = new Map<string, Requirement>();
    policy.levels.forEach((level, rank) => {
      if (rank === 0) {
        own.set(level, 'anyone');
        return;
      }
      const needs = new Map<string, number>([[policy.id, rank]]);
      for (const [other, equivalent] of Object.entries(policy.equivalents[level] ?? {})) {
        // An equivalent under a policy this node does not use cannot be held by anyone here.
        if (!byId.has(other)) continue;
        const found = levels.get(other)?.get(equivalent.toUpperCase());
        if (found === undefined) throw configError(`${policy.id} ${level} is equivalent to ${other} ${equivalent}, which ${other} does not define`);
        needs.set(other, found.rank);
      }
      own.set(level, needs);
    });
    requirements.set(policy.id, own);
  }
  return { policies, order: new Map(policies.map((p, i) => [p.id, i])), byId, levels, requirements };
}

/** The index of `policies`, built on first use and kept as long as the list lives. */
export function policyIndex(policies: ReadonlyArray<ClassificationPolicy>): PolicyIndex {
  let index = CACHE.get(policies);
  if (index === undefined) {
    index = build(policies);
    CACHE.set(policies, index);
  }
  return index;
}

/**
 * The classification with its level spelled as its policy spells it, and its rank. Unknown
 * policies and levels are errors: a label naming them cannot be checked, so it is refused.
 */
export function resolveClassification(index: PolicyIndex, c: Classification, where = 'classification'): { readonly classification: Classification; readonly rank: number } {
  const levels = index.levels.get(c.policy);
  if (levels === undefined) {
    throw new EntenteError('ENTENTE_LABEL_INVALID', `${where}: unknown classification policy ${JSON.stringify(c.policy)}; expected one of ${[...index.byId.keys()].join(', ')}`);
  }
  const found = levels.get(String(c.level).toUpperCase());
  if (found === undefined) {
    const policy = index.byId.get(c.policy);
    throw new EntenteError('ENTENTE_LABEL_INVALID', `${where}: ${c.policy} has no level ${JSON.stringify(c.level)}; expected one of ${policy?.levels.join(', ') ?? ''}`);
  }
  return { classification: { policy: c.policy, level: found.level }, rank: found.rank };
}

/** What satisfies `c` (which must be resolved). */
export function requirementOf(index: PolicyIndex, c: Classification): Requirement {
  return index.requirements.get(c.policy)?.get(c.level) ?? new Map([[c.policy, Number.MAX_SAFE_INTEGER]]);
}

/** Whether every subject that satisfies `a` also satisfies `b`. */
export function requirementCovers(a: Requirement, b: Requirement): boolean {
  if (b === 'anyone') return true;
  if (a === 'anyone') return false;
  for (const [policy, rank] of a) {
    const other = b.get(policy);
    if (other === undefined || other > rank) return false;
  }
  return true;
}
