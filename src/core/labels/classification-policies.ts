/**
 * The classification schemes Entente knows out of the box, as data: NATO, the EU and six
 * national schemes, with the equivalence table that security agreements between them use.
 */
import { EntenteError } from '../errors.js';
import type { ClassificationPolicy, OrganisationKind } from './types.js';

/**
 * The common scale of protection the equivalence table is written against: NATO's five levels.
 * A scheme may have no level at some step (the United Kingdom dropped CONFIDENTIAL in 2014,
 * France in 2021, the United States never had RESTRICTED).
 */
export const PROTECTION_STEPS = ['unclassified', 'restricted', 'confidential', 'secret', 'top-secret'] as const;
export type ProtectionStep = (typeof PROTECTION_STEPS)[number];

interface SchemeData {
  readonly id: string;
  readonly name: string;
  /** Level name to its step on the common scale, lowest first. */
  readonly levels: ReadonlyArray<readonly [string, ProtectionStep]>;
  readonly bannerPrefix?: string;
  readonly banners?: Readonly<Record<string, string>>;
  readonly aliases?: Readonly<Record<string, ReadonlyArray<string>>>;
}

/**
 * The equivalence table, one column per scheme. Read a row across for the levels agreements
 * treat as the same. Where a scheme has no level at a step, information at that step is
 * protected at the scheme's next level up: NATO CONFIDENTIAL is handled as UK SECRET and French
 * SECRET, and foreign RESTRICTED information as US CONFIDENTIAL (the US "C-MOD" rule). That is
 * why the derived `equivalents` are not symmetric.
 */
const SCHEMES: ReadonlyArray<SchemeData> = [
  {
    id: 'NATO', name: 'NATO security classification (C-M(2002)49)', bannerPrefix: 'NATO',
    levels: [['UNCLASSIFIED', 'unclassified'], ['RESTRICTED', 'restricted'], ['CONFIDENTIAL', 'confidential'], ['SECRET', 'secret'], ['COSMIC TOP SECRET', 'top-secret']],
    banners: { 'COSMIC TOP SECRET': 'COSMIC TOP SECRET' },
  },
  {
    id: 'EU', name: 'EU classified information (Council Decision 2013/488/EU)',
    levels: [['UNCLASSIFIED', 'unclassified'], ['RESTREINT UE', 'restricted'], ['CONFIDENTIEL UE', 'confidential'], ['SECRET UE', 'secret'], ['TRES SECRET UE', 'top-secret']],
    // The EU marks no unclassified level; Entente writes it `EU UNCLASSIFIED` so it can be named.
    banners: {
      UNCLASSIFIED: 'EU UNCLASSIFIED', 'RESTREINT UE': 'RESTREINT UE/EU RESTRICTED', 'CONFIDENTIEL UE': 'CONFIDENTIEL UE/EU CONFIDENTIAL',
      'SECRET UE': 'SECRET UE/EU SECRET', 'TRES SECRET UE': 'TRES SECRET UE/EU TOP SECRET',
    },
    aliases: {
      'RESTREINT UE': ['EU RESTRICTED'], 'CONFIDENTIEL UE': ['EU CONFIDENTIAL'], 'SECRET UE': ['EU SECRET'], 'TRES SECRET UE': ['EU TOP SECRET'],
    },
  },
  {
    id: 'DEU', name: 'Germany (Verschlusssachenanweisung)',
    levels: [['OFFEN', 'unclassified'], ['VS-NFD', 'restricted'], ['VS-VERTRAULICH', 'confidential'], ['GEHEIM', 'secret'], ['STRENG GEHEIM', 'top-secret']],
    banners: { 'VS-NFD': 'VS-NfD' },
    aliases: { 'VS-NFD': ['VS-NUR FÜR DEN DIENSTGEBRAUCH', 'VS-NUR FUER DEN DIENSTGEBRAUCH'] },
  },
  {
    // OFFICIAL-SENSITIVE is formally a handling marking within OFFICIAL, but it is how the UK
    // protects NATO and EU RESTRICTED information, so it is the level that step maps to.
    id: 'GBR', name: 'United Kingdom (Government Security Classifications)',
    levels: [['OFFICIAL', 'unclassified'], ['OFFICIAL-SENSITIVE', 'restricted'], ['SECRET', 'secret'], ['TOP SECRET', 'top-secret']],
  },
  {
    id: 'USA', name: 'United States (Executive Order 13526)',
    levels: [['UNCLASSIFIED', 'unclassified'], ['CONFIDENTIAL', 'confidential'], ['SECRET', 'secret'], ['TOP SECRET', 'top-secret']],
  },
  {
    // Since the 2021 reform (IGI 1300) France has two classification levels; DIFFUSION
    // RESTREINTE is its protective marking for what NATO and the EU call RESTRICTED.
    id: 'FRA', name: 'France (IGI 1300)',
    levels: [['NON PROTEGE', 'unclassified'], ['DIFFUSION RESTREINTE', 'restricted'], ['SECRET', 'secret'], ['TRES SECRET', 'top-secret']],
  },
];

/**
 * The highest step each kind of organisation may receive. Trusted private partners and academia
 * receive at most RESTRICTED-equivalent information: anything higher needs a facility security
 * clearance granted by a national security authority, which an agreement cannot stand in for.
 */
export const RELEASE_LIMIT_STEPS: Readonly<Partial<Record<OrganisationKind, ProtectionStep>>> = {
  'private-partner': 'restricted',
  academia: 'restricted',
};

function stepIndex(step: ProtectionStep): number {
  return PROTECTION_STEPS.indexOf(step);
}

/** The lowest level of `scheme` protecting at least `step`; undefined when it has none that high. */
function lowestAtLeast(scheme: SchemeData, step: number): string | undefined {
  return scheme.levels.find(([, s]) => stepIndex(s) >= step)?.[0];
}

/** The highest level of `scheme` not above `step`. */
function highestAtMost(scheme: SchemeData, step: number): string | undefined {
  return [...scheme.levels].reverse().find(([, s]) => stepIndex(s) <= step)?.[0];
}

function toPolicy(scheme: SchemeData): ClassificationPolicy {
  const equivalents: Record<string, Record<string, string>> = {};
  for (const [level, step] of scheme.levels) {
    const row: Record<string, string> = {};
    for (const other of SCHEMES) {
      if (other.id === scheme.id) continue;
      const equivalent = lowestAtLeast(other, stepIndex(step));
      if (equivalent !== undefined) row[other.id] = equivalent;
    }
    equivalents[level] = row;
  }
  const releaseLimits: Partial<Record<OrganisationKind, string>> = {};
  for (const [kind, step] of Object.entries(RELEASE_LIMIT_STEPS) as Array<[OrganisationKind, ProtectionStep]>) {
    const limit = highestAtMost(scheme, stepIndex(step));
    if (limit !== undefined) releaseLimits[kind] = limit;
  }
  return {
    id: scheme.id,
    name: scheme.name,
    levels: scheme.levels.map(([level]) => level),
    ...(scheme.bannerPrefix === undefined ? {} : { bannerPrefix: scheme.bannerPrefix }),
    ...(scheme.banners === undefined ? {} : { banners: scheme.banners }),
    ...(scheme.aliases === undefined ? {} : { aliases: scheme.aliases }),
    equivalents,
    releaseLimits,
  };
}

/** NATO, EU, DEU, GBR, USA and FRA, with their equivalents and release limits filled in. */
export const CLASSIFICATION_POLICIES: ReadonlyArray<ClassificationPolicy> = SCHEMES.map(toPolicy);

/** The step on the common scale of each built-in level: `protectionStep('GBR', 'SECRET')` is `secret`. */
export function protectionStep(policyId: string, level: string): ProtectionStep | undefined {
  return SCHEMES.find((s) => s.id === policyId)?.levels.find(([l]) => l === level)?.[1];
}

/** The policy with this id, or undefined. */
export function policyById(id: string, policies: ReadonlyArray<ClassificationPolicy> = CLASSIFICATION_POLICIES): ClassificationPolicy | undefined {
  return policies.find((p) => p.id === id);
}

/**
 * The rank of `level` in `policy` (0 = the unclassified level). Level names compare exactly as
 * the policy spells them; an unknown level is an error rather than a guess.
 */
export function levelRank(policy: ClassificationPolicy, level: string): number {
  const rank = policy.levels.indexOf(level);
  if (rank < 0) {
    throw new EntenteError('ENTENTE_LABEL_INVALID', `${policy.id} has no level ${JSON.stringify(level)}; expected one of ${policy.levels.join(', ')}`);
  }
  return rank;
}
