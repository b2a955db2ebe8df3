/**
 * How classifications are written in banners: every spelling a policy accepts, folded for
 * comparison (case, accents and spaces around `/` do not matter), and the shortest spelling
 * that reads back unambiguously.
 */
import { EntenteError } from '../errors.js';
import type { Classification, ClassificationPolicy } from './types.js';

export interface Lexicon {
  /** Printed banners, aliases and `<POLICY> <LEVEL>`: spellings that name one policy by design. */
  readonly specific: ReadonlyMap<string, ReadonlyArray<Classification>>;
  /** Bare level names (`SECRET`), which several policies share. */
  readonly bare: ReadonlyMap<string, ReadonlyArray<Classification>>;
  /** Every spelling of each policy, for a banner read with that policy as the default. */
  readonly perPolicy: ReadonlyMap<string, ReadonlyMap<string, Classification>>;
}

export type Lookup =
  | { readonly kind: 'found'; readonly classification: Classification }
  | { readonly kind: 'ambiguous'; readonly candidates: ReadonlyArray<Classification> }
  | { readonly kind: 'none' };

const CACHE = new WeakMap<ReadonlyArray<ClassificationPolicy>, Lexicon>();

/** Upper case, accents dropped (`TRÈS` = `TRES`, `FÜR` = `FUR`), spaces collapsed and removed around `/`. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase().replace(/\s*\/\s*/g, '/').replace(/\s+/g, ' ').trim();
}

/** The banner a policy prints for one of its levels. */
export function bannerText(policy: ClassificationPolicy, level: string): string {
  const explicit = policy.banners?.[level];
  if (explicit !== undefined) return explicit;
  return policy.bannerPrefix === undefined ? level : `${policy.bannerPrefix} ${level}`;
}

function add(map: Map<string, Classification[]>, key: string, c: Classification): void {
  const list = map.get(key) ?? [];
  if (!list.some((x) => x.policy === c.policy && x.level === c.level)) list.push(c);
  map.set(key, list);
}

function build(policies: ReadonlyArray<ClassificationPolicy>): Lexicon {
  const specific = new Map<string, Classification[]>();
  const bare = new Map<string, Classification[]>();
  const perPolicy = new Map<string, Map<string, Classification>>();
  for (const policy of policies) {
    const own = new Map<string, Classification>();
    for (const level of policy.levels) {
      const c: Classification = { policy: policy.id, level };
      const aliases = policy.aliases?.[level] ?? [];
      // `<POLICY> <alias>` too, as agreements may write it (`DEU VS-NUR FÜR DEN DIENSTGEBRAUCH`).
      const spellings = [bannerText(policy, level), `${policy.id} ${level}`, ...aliases, ...aliases.map((a) => `${policy.id} ${a}`)];
      for (const text of spellings) {
        add(specific, fold(text), c);
        own.set(fold(text), c);
      }
      add(bare, fold(level), c);
      own.set(fold(level), c);
    }
    perPolicy.set(policy.id, own);
  }
  return { specific, bare, perPolicy };
}

export function lexiconOf(policies: ReadonlyArray<ClassificationPolicy>): Lexicon {
  let lexicon = CACHE.get(policies);
  if (lexicon === undefined) {
    lexicon = build(policies);
    CACHE.set(policies, lexicon);
  }
  return lexicon;
}

/**
 * The classification a banner segment names. The default policy's spellings win (so `SECRET`
 * is US SECRET on a US node); then spellings specific to one policy; then bare level names.
 */
export function lookupClassification(lexicon: Lexicon, text: string, defaultPolicy?: string): Lookup {
  const key = fold(text);
  const preferred = defaultPolicy === undefined ? undefined : lexicon.perPolicy.get(defaultPolicy)?.get(key);
  if (preferred !== undefined) return { kind: 'found', classification: preferred };
  for (const candidates of [lexicon.specific.get(key), lexicon.bare.get(key)]) {
    if (candidates === undefined || candidates.length === 0) continue;
    const [only] = candidates;
    if (candidates.length === 1 && only !== undefined) return { kind: 'found', classification: only };
    return { kind: 'ambiguous', candidates };
  }
  return { kind: 'none' };
}

/** Whether `text` spells any classification of these policies (so it cannot be a caveat). */
export function isClassificationSpelling(lexicon: Lexicon, text: string): boolean {
  const key = fold(text);
  return lexicon.specific.has(key) || lexicon.bare.has(key);
}

/** The policy's banner when it reads back as `c`, else the unambiguous `<POLICY> <LEVEL>`. */
export function printClassification(policies: ReadonlyArray<ClassificationPolicy>, c: Classification, defaultPolicy?: string): string {
  const lexicon = lexiconOf(policies);
  const policy = policies.find((p) => p.id === c.policy);
  if (policy === undefined) throw new EntenteError('ENTENTE_LABEL_INVALID', `unknown classification policy ${JSON.stringify(c.policy)}`);
  for (const text of [bannerText(policy, c.level), `${policy.id} ${c.level}`]) {
    const found = lookupClassification(lexicon, text, defaultPolicy);
    if (found.kind === 'found' && found.classification.policy === c.policy && found.classification.level === c.level) return text;
  }
  throw new EntenteError('ENTENTE_CONFIG_INVALID', `classification policies: ${c.policy} ${c.level} has no spelling that names it alone`);
}
