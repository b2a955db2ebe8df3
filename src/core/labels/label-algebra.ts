/**
 * The label algebra: a canonical form, the least upper bound of several labels, and dominance.
 * Combination is what keeps derived facts safe: a report built from an AMBER indicator and a
 * NATO SECRET note is at least AMBER and NATO SECRET.
 */
import { EntenteError } from '../errors.js';
import { isClassificationSpelling, lexiconOf } from './banner-lexicon.js';
import { combineHandling, handlingDominates, normaliseHandling } from './handling.js';
import { maxPap, papRank } from './pap.js';
import { policyIndex, requirementCovers, requirementOf, resolveClassification, type PolicyIndex } from './policy-index.js';
import { maxTlp, tlpRank } from './tlp.js';
import { PAP_LEVELS, TLP_LEVELS, type Classification, type ClassificationPolicy, type SecurityLabel } from './types.js';

/** The label that restricts nothing. */
export const EMPTY_LABEL: SecurityLabel = Object.freeze({
  classifications: Object.freeze([]), releasableTo: Object.freeze([]), caveats: Object.freeze([]), informative: Object.freeze([]), handling: Object.freeze({}),
});

/** Country trigraphs, alliance tetragraphs and other organisation codes (`CERT-EU`). */
const RELEASE_TOKEN = /^[A-Z][A-Z0-9-]*$/;
/** Caveats and compartments: one word, so that banners can list them with commas. */
const CAVEAT = /^[\p{Lu}\p{N}][\p{Lu}\p{N}_-]*$/u;
/** Informative categories may hold spaces, never the banner separators `,` and `/`. */
const INFORMATIVE = /^[\p{Lu}\p{N}][\p{Lu}\p{N} ._-]*$/u;

function invalid(message: string): EntenteError {
  return new EntenteError('ENTENTE_LABEL_INVALID', message);
}

function tokens(values: ReadonlyArray<string>, pattern: RegExp, what: string, where: string): string[] {
  const out = new Set<string>();
  values.forEach((value, i) => {
    const token = String(value).trim().replace(/\s+/g, ' ').toUpperCase();
    if (!pattern.test(token)) throw invalid(`${where}[${i}]: ${JSON.stringify(value)} is not a valid ${what}`);
    out.add(token);
  });
  return [...out].sort();
}

/** Each list sorted and deduplicated; a list that contains another is implied by it and dropped. */
function normaliseReleasability(lists: ReadonlyArray<ReadonlyArray<string>>): ReadonlyArray<ReadonlyArray<string>> {
  const cleaned = lists.map((list, i) => {
    const out = tokens(list, RELEASE_TOKEN, 'country trigraph, alliance tetragraph or organisation code', `releasableTo[${i}]`);
    if (out.length === 0) throw invalid(`releasableTo[${i}]: a REL TO list names at least one country or alliance`);
    return out;
  });
  const kept = cleaned.filter((list, i) => !cleaned.some((other, j) => j !== i && isSubset(other, list) && (other.length < list.length || j < i)));
  return kept.sort((a, b) => compareText(a.join(','), b.join(',')));
}

function isSubset(small: ReadonlyArray<string>, big: ReadonlyArray<string>): boolean {
  return small.every((t) => big.includes(t));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One classification per policy, the highest; in the order of `policies`. */
function normaliseClassifications(index: PolicyIndex, list: ReadonlyArray<Classification>): Classification[] {
  const best = new Map<string, { classification: Classification; rank: number }>();
  list.forEach((c, i) => {
    const resolved = resolveClassification(index, c, `classifications[${i}]`);
    const current = best.get(resolved.classification.policy);
    if (current === undefined || resolved.rank > current.rank) best.set(resolved.classification.policy, resolved);
  });
  return [...best.values()]
    .sort((a, b) => (index.order.get(a.classification.policy) ?? 0) - (index.order.get(b.classification.policy) ?? 0))
    .map((b) => b.classification);
}

/**
 * The canonical form of a label: tokens upper-cased, deduplicated and sorted, one classification
 * per policy, implied REL TO lists dropped, handling checked. Anything malformed is refused with
 * the path of the bad part rather than dropped, since dropping would loosen the label.
 */
export function normaliseLabel(label: SecurityLabel, policies: ReadonlyArray<ClassificationPolicy>): SecurityLabel {
  const index = policyIndex(policies);
  if (label.tlp !== undefined && !TLP_LEVELS.includes(label.tlp)) throw invalid(`tlp: ${JSON.stringify(label.tlp)} is not a TLP 2.0 level`);
  if (label.pap !== undefined && !PAP_LEVELS.includes(label.pap)) throw invalid(`pap: ${JSON.stringify(label.pap)} is not a PAP level`);
  const caveats = tokens(label.caveats, CAVEAT, 'caveat (one word of capitals, digits, _ or -)', 'caveats');
  const lexicon = lexiconOf(policies);
  for (const caveat of caveats) {
    if (isClassificationSpelling(lexicon, caveat)) throw invalid(`caveats: ${caveat} is the name of a classification, not a caveat`);
    // The banner of a label with no restriction; a caveat spelled so would vanish on reading.
    if (caveat === 'UNMARKED') throw invalid('caveats: UNMARKED is reserved for labels with no restriction');
  }
  return {
    ...(label.tlp === undefined ? {} : { tlp: label.tlp }),
    ...(label.pap === undefined ? {} : { pap: label.pap }),
    classifications: normaliseClassifications(index, label.classifications),
    releasableTo: normaliseReleasability(label.releasableTo),
    caveats,
    informative: tokens(label.informative, INFORMATIVE, 'informative category (no comma or slash)', 'informative'),
    handling: normaliseHandling(label.handling),
  };
}

/**
 * The least upper bound: at least as restrictive as every input in every component. TLP and PAP
 * take the maximum, classifications the highest per policy, REL TO lists are all kept (each
 * must be satisfied), caveats and informative categories are united, each handling rule takes
 * its most restrictive value and the earliest expiry wins. No input combines to EMPTY_LABEL.
 */
export function combineLabels(labels: ReadonlyArray<SecurityLabel>, policies: ReadonlyArray<ClassificationPolicy>): SecurityLabel {
  let tlp: SecurityLabel['tlp'];
  let pap: SecurityLabel['pap'];
  for (const l of labels) {
    tlp = maxTlp(tlp, l.tlp);
    pap = maxPap(pap, l.pap);
  }
  const handling = combineHandling(labels.map((l, i) => normaliseHandling(l.handling, `labels[${i}].handling`)));
  return normaliseLabel({
    ...(tlp === undefined ? {} : { tlp }),
    ...(pap === undefined ? {} : { pap }),
    classifications: labels.flatMap((l) => l.classifications),
    releasableTo: labels.flatMap((l) => l.releasableTo),
    caveats: labels.flatMap((l) => l.caveats),
    informative: labels.flatMap((l) => l.informative),
    handling,
  }, policies);
}

/**
 * Compares two classifications: 1 when `a` is more restrictive, -1 when less, 0 when equivalent,
 * undefined when neither covers the other. Within one policy the levels' order decides. Across
 * policies, `a` is at least `b` when every clearance that would admit `a` admits `b` too, read
 * from the equivalence tables (so NATO CONFIDENTIAL is below UK SECRET, which protects it).
 */
export function compareClassifications(a: Classification, b: Classification, policies: ReadonlyArray<ClassificationPolicy>): -1 | 0 | 1 | undefined {
  const index = policyIndex(policies);
  const ra = resolveClassification(index, a);
  const rb = resolveClassification(index, b);
  if (ra.classification.policy === rb.classification.policy) return Math.sign(ra.rank - rb.rank) as -1 | 0 | 1;
  const reqA = requirementOf(index, ra.classification);
  const reqB = requirementOf(index, rb.classification);
  const aCoversB = requirementCovers(reqA, reqB);
  const bCoversA = requirementCovers(reqB, reqA);
  if (aCoversB && bCoversA) return 0;
  if (aCoversB) return 1;
  if (bCoversA) return -1;
  return undefined;
}

/**
 * Whether `a` is at least as restrictive as `b`: everyone `a` admits, `b` admits too. Checked
 * component by component (informative categories restrict nothing and are ignored); REL TO
 * lists compare as sets of tokens, without expanding alliances, so the answer errs on "no".
 */
export function dominates(a: SecurityLabel, b: SecurityLabel, policies: ReadonlyArray<ClassificationPolicy>): boolean {
  // An absent TLP or PAP restricts nothing: it ranks below CLEAR.
  if ((a.tlp === undefined ? -1 : tlpRank(a.tlp)) < (b.tlp === undefined ? -1 : tlpRank(b.tlp))) return false;
  if ((a.pap === undefined ? -1 : papRank(a.pap)) < (b.pap === undefined ? -1 : papRank(b.pap))) return false;
  for (const cb of b.classifications) {
    if (!a.classifications.some((ca) => (compareClassifications(ca, cb, policies) ?? -1) >= 0)) return false;
  }
  for (const listB of b.releasableTo) {
    if (!a.releasableTo.some((listA) => isSubset(listA.map((t) => t.toUpperCase()), listB.map((t) => t.toUpperCase())))) return false;
  }
  const caveatsA = new Set(a.caveats.map((c) => c.toUpperCase()));
  if (!b.caveats.every((c) => caveatsA.has(c.toUpperCase()))) return false;
  return handlingDominates(a.handling, b.handling);
}
