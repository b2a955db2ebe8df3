/**
 * The security label of a piece of intelligence, modelled on the STANAG 4774 confidentiality
 * label (policy identifier, classification, categories that are permissive, restrictive or
 * informative) together with the sharing markings analysts already use: TLP 2.0, PAP and
 * handling rules in the spirit of FIRST IEP 2.0.
 *
 * Labels are values: every operation returns a new label. `combineLabels` never loosens.
 */

/** TLP 2.0 levels, least to most restrictive. */
export const TLP_LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type TlpLevel = (typeof TLP_LEVELS)[number];

/** PAP (Permissible Actions Protocol) levels, least to most restrictive. */
export const PAP_LEVELS = ['clear', 'green', 'amber', 'red'] as const;
export type PapLevel = (typeof PAP_LEVELS)[number];

/** One classification under one policy, e.g. `{ policy: 'NATO', level: 'RESTRICTED' }`. */
export interface Classification {
  /** Identifier of a ClassificationPolicy (`NATO`, `EU`, `DEU`, `GBR`, ...). */
  readonly policy: string;
  /** One of that policy's level names, exactly as the policy spells it. */
  readonly level: string;
}

/**
 * A classification scheme as data: ordered levels (lowest first) and the equivalences to other
 * schemes' levels that the equivalence tables of security agreements define.
 */
export interface ClassificationPolicy {
  readonly id: string;
  readonly name: string;
  /** Level names, lowest first; the first is the unclassified level of the scheme. */
  readonly levels: ReadonlyArray<string>;
  /** How the scheme's banners write a level when it differs from the name (`NATO SECRET`). */
  readonly bannerPrefix?: string;
  /** Per level, the banner text when neither the name nor the prefix gives it (`RESTREINT UE/EU RESTRICTED`). */
  readonly banners?: Readonly<Record<string, string>>;
  /** Per level, other spellings accepted on input (`VS-NfD`, `EU RESTRICTED`); never printed. */
  readonly aliases?: Readonly<Record<string, ReadonlyArray<string>>>;
  /**
   * For each level, the equivalent level in other policies: `equivalents[level][otherPolicy]`.
   * Absent entries mean no equivalence is recognised (clearance under the other policy does
   * not count for this level).
   */
  readonly equivalents: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /**
   * The highest level this scheme allows to be released to an organisation of each kind
   * (an agreement ceiling above it is refused). Absent kinds have no limit below the top.
   */
  readonly releaseLimits?: Readonly<Partial<Record<OrganisationKind, string>>>;
}

/** IEP 2.0-style handling rules; each field takes its most restrictive value on combination. */
export interface HandlingRules {
  /** IEP ENCRYPT IN TRANSIT. */
  readonly encryptInTransit?: 'may' | 'must';
  /** IEP PERMITTED ACTIONS, least to most permissive in PERMITTED_ACTIONS. */
  readonly permittedActions?: PermittedAction;
  /** IEP AFFECTED PARTY NOTIFICATIONS. */
  readonly affectedPartyNotifications?: 'may' | 'must-not';
  /** IEP ATTRIBUTION: whether the source must / may / must not be named when passed on. */
  readonly attribution?: 'may' | 'must' | 'must-not';
  /** IEP OBFUSCATE AFFECTED PARTIES: `must` makes victim identities be stripped on release. */
  readonly obfuscateAffectedParties?: 'may' | 'must' | 'must-not';
  /** IEP UNMODIFIED RESALE. */
  readonly unmodifiedResale?: 'may' | 'must-not';
  /** IEP EXPIRATION: after this STIX timestamp the information may no longer be released. */
  readonly expiresAt?: string;
}

/** IEP PERMITTED ACTIONS, from most restrictive (`none`) to least. */
export const PERMITTED_ACTIONS = [
  'none', 'contact-for-instruction', 'internally-visible', 'externally-visible-indirect', 'externally-visible-direct',
] as const;
export type PermittedAction = (typeof PERMITTED_ACTIONS)[number];

/**
 * The label of an object or of a part of it. Every component is optional: an absent component
 * places no restriction of its kind.
 */
export interface SecurityLabel {
  readonly tlp?: TlpLevel;
  readonly pap?: PapLevel;
  /** At most one classification per policy (combination keeps the higher level of each). */
  readonly classifications: ReadonlyArray<Classification>;
  /**
   * Releasability (STANAG 4774 permissive categories): a conjunction of `REL TO` lists. The
   * recipient must match at least one token (its country trigraph, or an alliance tetragraph
   * it belongs to) of EVERY list. Empty = no releasability restriction.
   */
  readonly releasableTo: ReadonlyArray<ReadonlyArray<string>>;
  /**
   * Restrictive categories (caveats, need-to-know compartments): the recipient must hold every
   * one. `NOFORN` is special: only nationals of the node's own country may receive it.
   */
  readonly caveats: ReadonlyArray<string>;
  /** Informative categories: carried and printed, never restricting. */
  readonly informative: ReadonlyArray<string>;
  readonly handling: HandlingRules;
}

/** The label of an object: the object-level label and the labels of parts of it. */
export interface ObjectLabels {
  /** From `object_marking_refs` (and the node's default label when the object carries none). */
  readonly object: SecurityLabel;
  /** From `granular_markings`: each selector with the label of its content. */
  readonly granular: ReadonlyArray<{ readonly selectors: ReadonlyArray<string>; readonly label: SecurityLabel }>;
  /** True when the object carried no marking at all and the default label was applied. */
  readonly defaulted: boolean;
}

export const ORGANISATION_KINDS = ['nation', 'agency', 'alliance', 'international-organisation', 'private-partner', 'academia'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** Alliance membership data: tetragraph (NATO, EU, FVEY) to member country trigraphs. */
export type AllianceDirectory = Readonly<Record<string, ReadonlyArray<string>>>;

/** What a recipient is, as far as labels are concerned. */
export interface LabelSubject {
  /** ISO 3166-1 alpha-3 trigraph of the recipient's nationality (user) or country (organisation). */
  readonly country: string;
  /** Alliance tetragraphs the recipient's country belongs to (derived from AllianceDirectory). */
  readonly alliances: ReadonlyArray<string>;
  /** Clearances held, at most one per policy. An organisation's are those its agreement allows. */
  readonly clearances: ReadonlyArray<Classification>;
  /** Restrictive categories (caveats, compartments) the recipient is accredited for. */
  readonly caveats: ReadonlyArray<string>;
}

/** Why a label does or does not admit a subject: one line per component checked. */
export interface LabelCheck {
  readonly component: 'tlp' | 'pap' | 'classification' | 'releasability' | 'caveat' | 'handling';
  readonly ok: boolean;
  readonly detail: string;
}
