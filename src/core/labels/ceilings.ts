/**
 * Helpers for the policy engine's ceilings: an agreement caps, per party, the TLP, PAP and
 * classifications it lets through, and a classification policy caps what it lets any
 * agreement grant to each kind of organisation.
 */
import { printClassification } from './banner-lexicon.js';
import { policyIndex, resolveClassification } from './policy-index.js';
import type { Classification, ClassificationPolicy, LabelCheck, OrganisationKind } from './types.js';

export { tlpCheck } from './tlp.js';
export { papCheck } from './pap.js';

/**
 * One check per classification of a label against a ceiling's classifications. A classified
 * label under a policy the ceiling does not list does not pass: the agreement never said it
 * may go. Unclassified levels pass whatever the ceiling.
 */
export function classificationCeilingChecks(classifications: ReadonlyArray<Classification>, ceiling: ReadonlyArray<Classification>, policies: ReadonlyArray<ClassificationPolicy>): ReadonlyArray<LabelCheck> {
  const index = policyIndex(policies);
  return classifications.map((raw) => {
    const { classification, rank } = resolveClassification(index, raw);
    const shown = printClassification(policies, classification);
    if (rank === 0) return { component: 'classification', ok: true, detail: `${shown} is not classified` };
    const cap = ceiling.find((c) => c.policy === classification.policy);
    if (cap === undefined) return { component: 'classification', ok: false, detail: `${shown}: the ceiling allows nothing classified under ${classification.policy}` };
    const capped = resolveClassification(index, cap, 'ceiling');
    const ok = rank <= capped.rank;
    return { component: 'classification', ok, detail: `${shown} ${ok ? 'is within' : 'exceeds'} the ceiling ${printClassification(policies, capped.classification)}` };
  });
}

/** The highest level of `policy` an organisation of this kind may receive; undefined = no limit below the top. */
export function releaseLimitOf(policy: ClassificationPolicy, kind: OrganisationKind): string | undefined {
  return policy.releaseLimits?.[kind];
}

/** Whether a ceiling of `level` under `policy` is allowed for an organisation of this kind. */
export function withinReleaseLimit(policy: ClassificationPolicy, kind: OrganisationKind, level: string): boolean {
  const limit = releaseLimitOf(policy, kind);
  if (limit === undefined) return true;
  return policy.levels.indexOf(level) <= policy.levels.indexOf(limit) && policy.levels.includes(level);
}
