/**
 * The release decision (DESIGN "The security invariant"): one pure function that says whether
 * an object may go to a recipient, as it is, redacted, or not at all, and lists every rule it
 * consulted. Every path that lets data out of the node asks it: API and TAXII reads, exports,
 * sensor exports and federation.
 *
 * For a peer, the object must fall inside an agreement in force with that peer and stay under
 * the peer's ceilings (TLP, PAP, classification), its releasability (`REL TO`) and caveats must
 * admit the peer, and data that came from a third party goes on only where that party's
 * agreement allows. For a user of this node, the label must admit the user (clearance,
 * nationality, need-to-know); a user of another organisation is also held to that
 * organisation's agreements. Parts of an object under a stricter granular marking are removed
 * rather than the whole object withheld, unless the object would no longer be valid STIX.
 */
import { admits, classificationCeilingChecks, EMPTY_LABEL, ENTENTE_IDENTITY, type AdmitContext } from '../labels/index.js';
import type { LabelCheck, LabelSubject, ObjectLabels, SecurityLabel } from '../labels/types.js';
import { PAP_LEVELS, TLP_LEVELS } from '../labels/types.js';
import { validateObject } from '../stix/validate.js';
import { dropDanglingGranular } from './granular.js';
import type { PeerTerms, PolicyContext, PreparedRecipient } from './recipient.js';
import { applyRedaction, copyJson, removeSelected, stripRefsTo, type Json } from './redaction.js';
import type { Agreement, DecisionStep, RedactionRule, ReleaseDecision } from './types.js';

export interface DecisionInput {
  readonly object: Json;
  readonly labels: ObjectLabels;
  /** Identities known, from the graph, to be victims (targets of attacks): for `strip-victim-identities`. */
  readonly victims?: ReadonlySet<string>;
}

/** Types that define how to read other objects; they travel whatever an agreement's scope lists. */
const DEFINITIONS = new Set(['marking-definition', 'extension-definition']);
const NO_VICTIMS: ReadonlySet<string> = new Set();
const TLP_RANK = new Map<string, number>(TLP_LEVELS.map((l, i) => [l, i]));
const PAP_RANK = new Map<string, number>(PAP_LEVELS.map((l, i) => [l, i]));
/** TLP 2.0: AMBER, AMBER+STRICT and RED information may not be passed beyond its recipients' organisation. */
const NO_ONWARD_TLP = new Set(['amber', 'amber+strict', 'red']);

interface Verdict {
  readonly steps: DecisionStep[];
  readonly denied?: string;
  /** Selectors whose content must be removed, and the agreement redaction rules to apply. */
  readonly strip: string[];
  readonly rules: RedactionRule[];
}

/** Decides the release of one object to one prepared recipient. */
export function decide(recipient: PreparedRecipient, raw: DecisionInput): ReleaseDecision {
  return decideWith(recipient, raw, true) as ReleaseDecision;
}

/**
 * Decides from an object's release projection (release-facts.ts: id, labelling properties and
 * references, without content). Undefined when the decision would have to remove or check
 * something inside the object (a granular part, a redaction rule of an agreement other than
 * stripping victims' identities, a victim to strip): then only `decide` on the whole object can say. Whenever it returns a decision, `decide` on the whole
 * object returns the same outcome, agreement and steps.
 */
export function decideProjected(recipient: PreparedRecipient, raw: DecisionInput): ReleaseDecision | undefined {
  return decideWith(recipient, raw, false);
}

function decideWith(recipient: PreparedRecipient, raw: DecisionInput, whole: boolean): ReleaseDecision | undefined {
  // A marking-definition is labelled by what it defines (labelsOfObject), which its projection
  // does not hold: only the whole object can be decided.
  if (!whole && raw.object['type'] === 'marking-definition') return undefined;
  const steps: DecisionStep[] = [];
  const input = definitionsUnmarked(raw, steps);
  const label = input.labels.object;
  const strip: string[] = [];

  if (recipient.user !== undefined) {
    const verdict = subjectVerdict(recipient, recipient.user, label, 'user');
    steps.push(...verdict.steps);
    if (verdict.denied !== undefined) return { outcome: 'deny', reason: verdict.denied, steps };
    strip.push(...deniedParts(recipient, recipient.user, input, 'user'));
  }
  if (recipient.organisation === undefined) {
    if (strip.length === 0) return { outcome: 'allow', object: input.object, steps };
    return whole ? redact(input, strip, [], steps, {}) : undefined;
  }

  if (recipient.terms.length === 0) {
    steps.push({ rule: 'agreement', outcome: 'fail', detail: `no agreement in force between ${recipient.context.node.code} and ${recipient.organisation.code}` });
    return { outcome: 'deny', reason: 'no-agreement', steps };
  }
  const onward = judgeOnward(recipient, input, label);
  steps.push(onward.step);
  if (onward.denied !== undefined) return { outcome: 'deny', reason: onward.denied, steps };
  // The agreements are consulted in order until one releases the object unchanged. One that
  // would redact it is kept in reserve in case a later one releases it unchanged; one whose
  // redaction would break the object gives way to the next. The explanation lists every
  // agreement consulted.
  let fallback: ReleaseDecision | undefined;
  let fallbackAt = 0;
  let firstDenial: string | undefined;
  for (const terms of recipient.terms) {
    const verdict = judgeTerms(recipient, input, label, terms);
    steps.push(...verdict.steps);
    if (verdict.denied !== undefined) {
      firstDenial ??= verdict.denied;
      continue;
    }
    const found = { agreement: { id: terms.agreement.id, version: terms.agreement.version } };
    const all = verdict.strip.length === 0 ? strip : [...strip, ...verdict.strip];
    if (all.length === 0 && verdict.rules.length === 0) return { outcome: 'allow', object: input.object, ...found, steps };
    if (!whole) {
      // A projection holds every top-level reference, which is all that stripping victims
      // reads: when it removes nothing there, it removes nothing from the whole object.
      if (all.length > 0 || !verdict.rules.every((r) => r.kind === 'strip-victim-identities')) return undefined;
      const probe = redact(input, [], verdict.rules, [...steps], found);
      return probe.outcome === 'allow' ? probe : undefined;
    }
    const result = redact(input, all, verdict.rules, [...steps], found);
    if (result.outcome === 'allow') return result;
    if ((result.outcome === 'redact' && (fallback === undefined || fallback.outcome === 'deny')) || fallback === undefined) {
      fallback = result;
      fallbackAt = steps.length;
    }
  }
  // The reserve's explanation goes on with the agreements consulted after it.
  return fallback === undefined ? { outcome: 'deny', reason: firstDenial ?? 'no-agreement', steps } : { ...fallback, steps: [...fallback.steps, ...steps.slice(fallbackAt)] };
}

/**
 * Marking-definitions and extension-definitions say how to read other objects, and Entente's own
 * identity authors them: without a marking of their own they carry no restriction (the node's
 * default label is for intelligence, and a partner that cannot read a marking refuses every
 * object that bears it).
 */
function definitionsUnmarked(input: DecisionInput, steps: DecisionStep[]): DecisionInput {
  if (!input.labels.defaulted) return input;
  const type = String(input.object['type']);
  if (DEFINITIONS.has(type) || input.object['id'] === ENTENTE_IDENTITY.id) {
    steps.push({ rule: 'label', outcome: 'pass', detail: `an unmarked ${type} defines how to read other objects: no label restricts it` });
    return { ...input, labels: { ...input.labels, object: EMPTY_LABEL } };
  }
  steps.push({ rule: 'label', outcome: 'pass', detail: 'the object carries no marking: the node\'s default label applies' });
  return input;
}

function redact(input: DecisionInput, strip: ReadonlyArray<string>, rules: ReadonlyArray<RedactionRule>, steps: DecisionStep[], found: Pick<ReleaseDecision, 'agreement'>): ReleaseDecision {
  // Granular parts and named properties may sit deep in the object: those need a deep copy.
  // The other rules replace top-level properties only, so a shallow copy keeps the input
  // untouched at a fraction of the cost, and most objects turn out to need nothing removed.
  const deep = strip.length > 0 || rules.some((r) => r.kind === 'strip-properties');
  const copy = deep ? (copyJson(input.object) as Record<string, unknown>) : { ...input.object };
  const removed: string[] = [];
  if (strip.length > 0) {
    const gone = removeSelected(copy, strip);
    if (gone.length > 0) steps.push({ rule: 'granular-marking', outcome: 'redact', detail: `removed ${gone.join(', ')}: marked above what the recipient may receive` });
    removed.push(...gone);
  }
  const victims = input.victims ?? NO_VICTIMS;
  for (const rule of rules) {
    const effect = applyRedaction(copy, rule, { victims, keepExtensions: [] });
    steps.push({ rule: `redact:${rule.kind}`, outcome: effect.removed.length > 0 ? 'redact' : 'pass', detail: effect.removed.length > 0 ? `removed ${effect.removed.join(', ')}` : 'nothing to remove' });
    removed.push(...effect.removed);
  }
  if (removed.length === 0) return { outcome: 'allow', object: input.object, ...found, steps };
  dropDanglingGranular(copy);
  const check = validateObject(copy, { patterns: false });
  if (!check.valid) {
    const first = check.errors[0];
    steps.push({ rule: 'redaction-validity', outcome: 'fail', detail: `after redaction the object is no longer valid STIX (${first?.path ?? '$'}: ${first?.message ?? ''}); it is withheld whole` });
    return { outcome: 'deny', reason: 'redaction-invalid', steps };
  }
  return { outcome: 'redact', object: copy, ...found, steps };
}

/** What a label says for one subject (a user, or a peer under one agreement): clearance, releasability, caveats, expiry. */
function subjectVerdict(recipient: PreparedRecipient, subject: LabelSubject, label: SecurityLabel, who: 'user' | 'peer'): LabelVerdict {
  const compute = (): LabelVerdict => {
    const checks = admits(label, subject, admitContext(recipient, who));
    const steps = checks.map((c): DecisionStep => ({ rule: `label:${c.component}`, outcome: c.ok ? 'pass' : 'fail', detail: c.detail }));
    const failed = checks.find((c) => !c.ok);
    return failed === undefined ? { steps } : { steps, denied: reasonOf(failed, who) };
  };
  // A peer's subject is made per agreement (PeerTerms caches it); a user's once per request.
  return who === 'user' ? memo(USER_VERDICTS, subject, label, compute) : compute();
}

function admitContext(recipient: PreparedRecipient, who: 'user' | 'peer'): AdmitContext {
  const ctx = recipient.context;
  return { policies: ctx.policies, alliances: ctx.alliances, nodeCountry: ctx.node.country, ...(who === 'peer' ? { now: ctx.now } : {}) };
}

/** The selectors of the granular parts the subject may not receive (removed rather than withholding the object). */
function deniedParts(recipient: PreparedRecipient, subject: LabelSubject, input: DecisionInput, who: 'user' | 'peer', terms?: PeerTerms): string[] {
  const strip: string[] = [];
  if (input.labels.granular.length === 0) return strip;
  const context = admitContext(recipient, who);
  for (const part of input.labels.granular) {
    const ok = admits(part.label, subject, context).every((c) => c.ok) && (terms === undefined || underCeiling(part.label, terms, context.policies) === undefined);
    if (!ok) strip.push(...part.selectors);
  }
  return strip;
}

function reasonOf(check: LabelCheck, who: 'user' | 'peer'): string {
  switch (check.component) {
    case 'classification': return who === 'user' ? 'clearance' : 'classification-ceiling';
    case 'handling': return 'expired';
    default: return check.component;
  }
}

/** The first ceiling the label goes above, or undefined. */
function underCeiling(label: SecurityLabel, terms: PeerTerms, policies: PolicyContext['policies']): string | undefined {
  if (label.tlp !== undefined && (TLP_RANK.get(label.tlp) ?? 0) > (TLP_RANK.get(terms.ceiling.tlp) ?? 0)) return 'tlp-ceiling';
  if (label.pap !== undefined && terms.ceiling.pap !== undefined && (PAP_RANK.get(label.pap) ?? 0) > (PAP_RANK.get(terms.ceiling.pap) ?? 0)) return 'pap-ceiling';
  if (label.classifications.length > 0 && !classificationCeilingChecks(label.classifications, terms.ceiling.classifications, policies).every((c) => c.ok)) return 'classification-ceiling';
  return undefined;
}

/** Data from a third party: TLP must allow passing it on, and the origin's agreement must name this recipient. */
function judgeOnward(recipient: PreparedRecipient, input: DecisionInput, label: SecurityLabel): { step: DecisionStep; denied?: string } {
  const createdBy = input.object['created_by_ref'];
  const origin = typeof createdBy === 'string' ? recipient.byIdentity.get(createdBy) : undefined;
  const node = recipient.context.node;
  const org = recipient.organisation;
  if (typeof createdBy === 'string' && origin === undefined && createdBy !== node.id) {
    // An author outside the directory (a vendor, a researcher) is a third party no agreement
    // covers: TLP alone says whether its information may be passed on.
    if (label.tlp !== undefined && NO_ONWARD_TLP.has(label.tlp)) {
      return { step: { rule: 'onward', outcome: 'fail', detail: `created by ${createdBy}, outside the directory, as TLP:${label.tlp.toUpperCase()}, which may not be passed on outside this organisation` }, denied: 'tlp-no-onward' };
    }
    return { step: { rule: 'origin', outcome: 'pass', detail: `created by ${createdBy}, outside the directory; its TLP lets it be shared` } };
  }
  if (origin === undefined || origin.code === node.code) return { step: { rule: 'origin', outcome: 'pass', detail: `originated by this node's organisation ${node.code}` } };
  if (org !== undefined && origin.code === org.code) return { step: { rule: 'origin', outcome: 'pass', detail: `originated by the recipient ${org.code} itself` } };
  if (label.tlp !== undefined && NO_ONWARD_TLP.has(label.tlp)) {
    return { step: { rule: 'onward', outcome: 'fail', detail: `received from ${origin.code} as TLP:${label.tlp.toUpperCase()}, which may not be passed on outside this organisation` }, denied: 'tlp-no-onward' };
  }
  const allowing = recipient.onwardFrom.get(origin.id);
  if (allowing === undefined) {
    return { step: { rule: 'onward', outcome: 'fail', detail: `received from ${origin.code}, and no agreement with ${origin.code} lets ${node.code} pass it on to ${org?.code ?? 'the recipient'}` }, denied: 'onward-not-allowed' };
  }
  return { step: { rule: 'onward', outcome: 'pass', detail: `received from ${origin.code}; agreement ${allowing.id} v${allowing.version} lets ${node.code} pass it on to ${org?.code ?? 'the recipient'}` } };
}

function judgeTerms(recipient: PreparedRecipient, input: DecisionInput, label: SecurityLabel, terms: PeerTerms): Verdict {
  const a = terms.agreement;
  const name = `${a.id} v${a.version}`;
  const steps: DecisionStep[] = [];
  const deny = (reason: string, rule: string, detail: string): Verdict => {
    steps.push({ rule: `${name}: ${rule}`, outcome: 'fail', detail });
    return { steps, denied: reason, strip: [], rules: [] };
  };
  const scope = inScope(input.object, a);
  if (scope !== undefined) return deny('out-of-scope', 'scope', scope);
  steps.push({ rule: `${name}: scope`, outcome: 'pass', detail: inScopeDetail(String(input.object['type'])) });
  const verdict = peerLabelVerdict(recipient, label, terms, name);
  steps.push(...verdict.steps);
  if (verdict.denied !== undefined) return { steps, denied: verdict.denied, strip: [], rules: [] };
  const strip = deniedParts(recipient, terms.subject, input, 'peer', terms);
  const rules = [...a.redactions];
  if (label.handling.obfuscateAffectedParties === 'must' && !rules.some((r) => r.kind === 'strip-victim-identities')) rules.push({ kind: 'strip-victim-identities' });
  if (rules.some((r) => r.kind === 'strip-victim-identities') && input.victims?.has(String(input.object['id']))) {
    return deny('victim-identity', 'redact:strip-victim-identities', 'the object is the identity of a victim');
  }
  if (rules.some((r) => r.kind === 'strip-victim-identities') && input.object['type'] === 'relationship' && input.victims !== undefined) {
    const probe = { source_ref: input.object['source_ref'], target_ref: input.object['target_ref'] };
    if (stripRefsTo(probe, input.victims).length > 0) return deny('victim-identity', 'redact:strip-victim-identities', 'the relationship points at a victim');
  }
  return { steps, strip, rules };
}

/** What a label alone says for one peer under one agreement: the same for every object that carries it. */
interface LabelVerdict {
  readonly steps: ReadonlyArray<DecisionStep>;
  readonly denied?: string;
}

/*
 * A page of objects shares a handful of labels, and a label's verdict for a recipient depends
 * on nothing else, save the decision time for a label that expires: it is computed once per
 * (recipient, label) and reused, expiring labels aside. The caches are keyed by the prepared
 * recipient's objects, so they go with the recipient that was prepared.
 */
const PEER_VERDICTS = new WeakMap<PeerTerms, WeakMap<SecurityLabel, LabelVerdict>>();
const USER_VERDICTS = new WeakMap<LabelSubject, WeakMap<SecurityLabel, LabelVerdict>>();

function memo<K extends object>(cache: WeakMap<K, WeakMap<SecurityLabel, LabelVerdict>>, key: K, label: SecurityLabel, compute: () => LabelVerdict): LabelVerdict {
  // A prepared recipient outlives one decision time: an expiring label is judged at each one.
  if (label.handling.expiresAt !== undefined) return compute();
  let byLabel = cache.get(key);
  if (byLabel === undefined) {
    byLabel = new WeakMap();
    cache.set(key, byLabel);
  }
  let verdict = byLabel.get(label);
  if (verdict === undefined) {
    verdict = compute();
    byLabel.set(label, verdict);
  }
  return verdict;
}

function peerLabelVerdict(recipient: PreparedRecipient, label: SecurityLabel, terms: PeerTerms, name: string): LabelVerdict {
  return memo(PEER_VERDICTS, terms, label, () => {
    const policies = recipient.context.policies;
    const steps: DecisionStep[] = [];
    const over = underCeiling(label, terms, policies);
    if (over === 'tlp-ceiling') {
      steps.push({ rule: `${name}: tlp-ceiling`, outcome: 'fail', detail: `TLP:${(label.tlp ?? '').toUpperCase()} is above the ceiling TLP:${terms.ceiling.tlp.toUpperCase()}` });
      return { steps, denied: over };
    }
    if (over === 'pap-ceiling') {
      steps.push({ rule: `${name}: pap-ceiling`, outcome: 'fail', detail: `PAP:${(label.pap ?? '').toUpperCase()} is above the ceiling PAP:${(terms.ceiling.pap ?? '').toUpperCase()}` });
      return { steps, denied: over };
    }
    steps.push({ rule: `${name}: tlp-ceiling`, outcome: 'pass', detail: label.tlp === undefined ? 'no TLP marking' : `TLP:${label.tlp.toUpperCase()} within TLP:${terms.ceiling.tlp.toUpperCase()}` });
    // A ceiling names, per classification policy, the highest level that may go. The equivalence
    // table says how to protect another scheme's information, not who may receive it: a level
    // under a policy the ceiling does not name does not go.
    for (const c of classificationCeilingChecks(label.classifications, terms.ceiling.classifications, policies)) {
      steps.push({ rule: `${name}: classification-ceiling`, outcome: c.ok ? 'pass' : 'fail', detail: c.detail });
    }
    if (over === 'classification-ceiling') return { steps, denied: over };
    const subject = subjectVerdict(recipient, terms.subject, label, 'peer');
    steps.push(...subject.steps.map((x) => ({ ...x, rule: `${name}: ${x.rule}` })));
    return subject.denied === undefined ? { steps } : { steps, denied: subject.denied };
  });
}

const SCOPE_DETAILS = new Map<string, string>();

/** `<type> is in scope`, made once per type (bounded: types come from untrusted objects). */
function inScopeDetail(type: string): string {
  let detail = SCOPE_DETAILS.get(type);
  if (detail === undefined) {
    detail = `${type} is in scope`;
    if (SCOPE_DETAILS.size < 1024) SCOPE_DETAILS.set(type, detail);
  }
  return detail;
}

/** Undefined when the object is in the agreement's scope, else why not. */
function inScope(object: Json, a: Agreement): string | undefined {
  const type = String(object['type']);
  if (DEFINITIONS.has(type)) return undefined;
  const s = a.scope;
  if (s.types.length > 0 && !s.types.includes(type)) return `${type} is not among the types in scope (${s.types.join(', ')})`;
  if (s.excludeTypes.includes(type)) return `${type} is excluded from the scope`;
  const tags = Array.isArray(object['labels']) ? (object['labels'] as unknown[]).filter((t): t is string => typeof t === 'string') : [];
  if (s.tags.length > 0 && !tags.some((t) => s.tags.includes(t))) return `the object carries none of the tags in scope (${s.tags.join(', ')})`;
  if (s.sectors.length > 0) {
    const sectors = [
      ...(Array.isArray(object['sectors']) ? (object['sectors'] as unknown[]).filter((t): t is string => typeof t === 'string') : []),
      ...tags.filter((t) => t.startsWith('sector:')).map((t) => t.slice('sector:'.length)),
    ];
    if (!sectors.some((x) => s.sectors.includes(x))) return `the object concerns none of the sectors in scope (${s.sectors.join(', ')})`;
  }
  return undefined;
}
