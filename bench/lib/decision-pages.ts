/**
 * Pages of release decisions as a partner's TAXII read produces them, for the decision-log
 * benchmarks: 100 decisions for one recipient, channel and time, 3 to 6 distinct explanations
 * among them, a few redactions and denials.
 */
import { randomBytes } from 'node:crypto';
import type { DecisionStep } from '../../src/core/policy/types.js';
import type { DecisionRecord } from '../../src/ports/policy-store.js';

export const PER_PAGE = 100;

/** The explanations a partner's page typically carries: most objects pass the same few rules. */
function explanations(): DecisionStep[][] {
  const label: DecisionStep = { rule: 'label', outcome: 'pass', detail: 'TLP:GREEN, PAP:GREEN, NATO UNCLASSIFIED REL TO POL' };
  const agreement: DecisionStep = { rule: 'agreement', outcome: 'pass', detail: 'agreement deu-pol v1 in force between DEU and POL' };
  const origin: DecisionStep = { rule: 'origin', outcome: 'pass', detail: "originated by this node's organisation DEU" };
  return [
    [agreement, label, { rule: 'tlp', outcome: 'pass', detail: 'TLP:GREEN within the ceiling TLP:AMBER' }, origin],
    [agreement, { ...label, detail: 'TLP:CLEAR' }, { rule: 'tlp', outcome: 'pass', detail: 'TLP:CLEAR within the ceiling TLP:AMBER' }, origin],
    [agreement, { ...label, detail: 'TLP:AMBER' }, { rule: 'tlp', outcome: 'pass', detail: 'TLP:AMBER within the ceiling TLP:AMBER' }, origin,
      { rule: 'granular-marking', outcome: 'redact', detail: 'removed description: marked above what the recipient may receive' }],
    [agreement, { ...label, detail: 'TLP:RED' }, { rule: 'tlp', outcome: 'fail', detail: 'TLP:RED above the ceiling TLP:AMBER' }],
    [agreement, label, { rule: 'tlp', outcome: 'pass', detail: 'TLP:GREEN within the ceiling TLP:AMBER' },
      { rule: 'onward', outcome: 'pass', detail: 'received from FRA; agreement fra-deu v2 lets DEU pass it on to POL' }],
    [agreement, { ...label, detail: 'TLP:AMBER+STRICT' }, { rule: 'tlp', outcome: 'fail', detail: 'TLP:AMBER+STRICT may not leave the organisation' }],
  ];
}
const EXPLANATIONS = explanations();
const OUTCOME_OF = ['allow', 'allow', 'redact', 'deny', 'allow', 'deny'] as const;

/** Page `p`: 100 decisions with 3 to 6 distinct explanations, fresh step objects for each (as decide() makes them). */
export function decisionPage(p: number, at: string): DecisionRecord[] {
  const distinct = 3 + (p % 4);
  return Array.from({ length: PER_PAGE }, (_, i) => {
    const e = (i * 7 + p) % distinct;
    const outcome = OUTCOME_OF[e] as DecisionRecord['outcome'];
    return {
      at, recipient: 'user:node-pol', channel: 'taxii', objectId: `indicator--${randomBytes(16).toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-')}`,
      objectVersion: '2026-03-01T10:00:00.000Z', agreementId: 'deu-pol', agreementVersion: 1, outcome,
      ...(outcome === 'deny' ? { reason: 'tlp-ceiling' } : {}),
      steps: (EXPLANATIONS[e] as DecisionStep[]).map((s) => ({ ...s })),
    };
  });
}

