/**
 * Whether a label lets a subject (a user or an organisation) see what it marks: classification
 * against clearances, releasability against nationality and alliances, caveats against
 * accreditations, and expiry when the caller passes the time. TLP and PAP are not checked here:
 * they bind organisations through agreements, and the policy engine holds them against the
 * agreement's ceilings with `tlpCheck` and `papCheck`.
 */
import { compareTimestamps } from '../stix/timestamp-order.js';
import { ALLIANCES, alliancesOf } from './alliances.js';
import { printClassification } from './banner-lexicon.js';
import { policyIndex, requirementOf, resolveClassification, type PolicyIndex } from './policy-index.js';
import type { AllianceDirectory, Classification, ClassificationPolicy, LabelCheck, LabelSubject, SecurityLabel } from './types.js';

export interface AdmitContext {
  readonly policies: ReadonlyArray<ClassificationPolicy>;
  readonly alliances?: AllianceDirectory;
  /** Trigraph of the country of the node deciding: `NOFORN` admits only its nationals. */
  readonly nodeCountry: string;
  /** The current time as a STIX timestamp; when given, an expired label admits nobody. */
  readonly now?: string;
}

/** `NOFORN`: not releasable to foreign nationals (of the node's country). */
export const NOFORN = 'NOFORN';

function holdsClearance(index: PolicyIndex, subject: LabelSubject, c: Classification): Classification | undefined | 'anyone' {
  const requirement = requirementOf(index, c);
  if (requirement === 'anyone') return 'anyone';
  for (const clearance of subject.clearances) {
    const needed = requirement.get(clearance.policy);
    if (needed === undefined) continue;
    const held = index.levels.get(clearance.policy)?.get(String(clearance.level).toUpperCase());
    // A clearance under a level this node does not know counts for nothing rather than for a guess.
    if (held !== undefined && held.rank >= needed) return { policy: clearance.policy, level: held.level };
  }
  return undefined;
}

function classificationChecks(index: PolicyIndex, label: SecurityLabel, subject: LabelSubject): LabelCheck[] {
  if (label.classifications.length === 0) return [{ component: 'classification', ok: true, detail: 'not classified' }];
  return label.classifications.map((raw) => {
    const c = resolveClassification(index, raw).classification;
    const shown = printClassification(index.policies, c);
    const held = holdsClearance(index, subject, c);
    if (held === 'anyone') return { component: 'classification', ok: true, detail: `${shown} needs no clearance` };
    if (held === undefined) return { component: 'classification', ok: false, detail: `${shown} needs a clearance the recipient does not hold` };
    return { component: 'classification', ok: true, detail: `${shown} is covered by the recipient's ${held.policy} ${held.level} clearance` };
  });
}

function releasabilityChecks(label: SecurityLabel, subject: LabelSubject, directory: AllianceDirectory): LabelCheck[] {
  if (label.releasableTo.length === 0) return [{ component: 'releasability', ok: true, detail: 'no REL TO restriction' }];
  const country = subject.country.toUpperCase();
  const memberships = new Set([...subject.alliances, ...alliancesOf(country, directory)].map((a) => a.toUpperCase()));
  return label.releasableTo.map((list) => {
    const tokens = list.map((t) => t.toUpperCase());
    const match = tokens.find((t) => t === country || memberships.has(t));
    const shown = `REL TO ${tokens.join(', ')}`;
    return match === undefined
      ? { component: 'releasability', ok: false, detail: `${shown} does not include ${country} or an alliance it belongs to` }
      : { component: 'releasability', ok: true, detail: `${shown} includes ${match}` };
  });
}

function caveatChecks(label: SecurityLabel, subject: LabelSubject, nodeCountry: string): LabelCheck[] {
  if (label.caveats.length === 0) return [{ component: 'caveat', ok: true, detail: 'no caveat' }];
  const held = new Set(subject.caveats.map((c) => c.toUpperCase()));
  return label.caveats.map((raw) => {
    const caveat = raw.toUpperCase();
    if (caveat === NOFORN) {
      const ok = subject.country.toUpperCase() === nodeCountry.toUpperCase();
      return { component: 'caveat', ok, detail: ok ? `NOFORN: recipient is a ${nodeCountry} national` : `NOFORN: only ${nodeCountry} nationals may receive it` };
    }
    const ok = held.has(caveat);
    return { component: 'caveat', ok, detail: ok ? `${caveat}: recipient is accredited` : `${caveat}: recipient is not accredited` };
  });
}

/**
 * One check per classification, REL TO list and caveat (and one line saying so when a
 * component is empty), plus expiry when `ctx.now` is given. The subject is admitted when every
 * check passes: see `labelAllows`.
 */
export function admits(label: SecurityLabel, subject: LabelSubject, ctx: AdmitContext): ReadonlyArray<LabelCheck> {
  const index = policyIndex(ctx.policies);
  const checks = [
    ...classificationChecks(index, label, subject),
    ...releasabilityChecks(label, subject, ctx.alliances ?? ALLIANCES),
    ...caveatChecks(label, subject, ctx.nodeCountry),
  ];
  const expiresAt = label.handling.expiresAt;
  if (ctx.now !== undefined && expiresAt !== undefined) {
    const ok = compareTimestamps(ctx.now, expiresAt) < 0;
    checks.push({ component: 'handling', ok, detail: ok ? `releasable until ${expiresAt}` : `expired at ${expiresAt}` });
  }
  return checks;
}

/** True when every check passed. */
export function labelAllows(checks: ReadonlyArray<LabelCheck>): boolean {
  return checks.every((c) => c.ok);
}
