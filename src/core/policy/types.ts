/**
 * The vocabulary of the policy engine: organisations that are parties to agreements, users as
 * the engine sees them, agreements, and the release decision with its explanation.
 */
import type { Classification, HandlingRules, OrganisationKind, PapLevel, TlpLevel } from '../labels/types.js';

/** An organisation that can be a party to an agreement; carried in STIX as an identity. */
export interface Organisation {
  /** The STIX identity id (`identity--<uuid>`). */
  readonly id: string;
  /** Short code used in agreements, CLI flags and banners: a trigraph for a nation (`POL`), else any code (`CERT-EU`). */
  readonly code: string;
  readonly name: string;
  readonly kind: OrganisationKind;
  /** Trigraph of the country the organisation belongs to; alliances and international bodies use their tetragraph. */
  readonly country: string;
  /** Alliance tetragraphs it is a member of, beyond those its country belongs to. */
  readonly memberships: ReadonlyArray<string>;
  readonly sectors: ReadonlyArray<string>;
}

/** A user of this node as the release decision sees them. */
export interface UserProfile {
  readonly name: string;
  /** Trigraph; defaults to the node's country. */
  readonly nationality: string;
  readonly clearances: ReadonlyArray<Classification>;
  /** Restrictive categories (need-to-know compartments, caveats) the user is accredited for. */
  readonly caveats: ReadonlyArray<string>;
  readonly roles: ReadonlyArray<string>;
  /** Code of the organisation the user belongs to; absent = the node's own organisation. */
  readonly organisation?: string;
}

export const AGREEMENT_STATUSES = ['draft', 'active', 'suspended', 'expired'] as const;
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];

/** Per-party ceiling: nothing above it reaches that party under the agreement. */
export interface Ceiling {
  readonly tlp: TlpLevel;
  readonly pap?: PapLevel;
  /** Highest classification per policy; a classified object under a policy not listed does not go. */
  readonly classifications: ReadonlyArray<Classification>;
}

export type RedactionRule =
  /** Remove identities of victims: identities targeted by the object or referred to as victims, and their names in the object. */
  | { readonly kind: 'strip-victim-identities' }
  /** Remove every custom property (`x_...`) and every extension not listed in `keep`. */
  | { readonly kind: 'strip-custom-properties'; readonly keep: ReadonlyArray<string> }
  /** Remove the named properties (dotted paths as in granular marking selectors). */
  | { readonly kind: 'strip-properties'; readonly properties: ReadonlyArray<string> }
  /** Replace IP addresses in observables and patterns by their network (IPv4 /prefix4, IPv6 /prefix6). */
  | { readonly kind: 'generalise-addresses'; readonly ipv4Prefix: number; readonly ipv6Prefix: number };

export type Obligation =
  | { readonly kind: 'acknowledge'; readonly withinHours: number }
  | { readonly kind: 'report-use'; readonly withinHours: number }
  | { readonly kind: 'delete-after'; readonly days: number }
  | { readonly kind: 'attribute-source' };

export interface AgreementScope {
  /** STIX types in scope; empty = every type. */
  readonly types: ReadonlyArray<string>;
  readonly excludeTypes: ReadonlyArray<string>;
  /** STIX `labels` (tags); when non-empty, an object must carry at least one. */
  readonly tags: ReadonlyArray<string>;
  /** Sectors; when non-empty, an object must concern at least one (its `sectors`, or a `sector:<name>` tag). */
  readonly sectors: ReadonlyArray<string>;
}

/** An agreement between this node's organisation and other parties, as its YAML says. */
export interface Agreement {
  /** Stable identifier chosen by the authors (`nato-cti`, `deu-pol-bilateral`). */
  readonly id: string;
  /** Increases by one with each change; every version is kept. */
  readonly version: number;
  readonly title: string;
  readonly purpose: string;
  readonly status: AgreementStatus;
  /** Organisation codes, this node's organisation included. */
  readonly parties: ReadonlyArray<string>;
  readonly validFrom: string;
  readonly validUntil?: string;
  readonly scope: AgreementScope;
  /** Ceiling applied to a party with no ceiling of its own. */
  readonly defaultCeiling: Ceiling;
  readonly ceilings: Readonly<Record<string, Ceiling>>;
  /** For each party, to whom it may pass on what it received (organisation codes or alliance tetragraphs); absent = nobody. */
  readonly onward: Readonly<Record<string, ReadonlyArray<string>>>;
  readonly obligations: ReadonlyArray<Obligation>;
  readonly redactions: ReadonlyArray<RedactionRule>;
  /** Handling the recipients must honour, carried with what is released. */
  readonly handling?: HandlingRules;
}

/** Who data is going to. */
export type Recipient =
  | { readonly kind: 'peer'; readonly organisation: Organisation }
  | { readonly kind: 'user'; readonly user: UserProfile };

/** One rule consulted by a decision and what it found. */
export interface DecisionStep {
  readonly rule: string;
  readonly outcome: 'pass' | 'fail' | 'redact' | 'skip';
  readonly detail: string;
}

export const RELEASE_OUTCOMES = ['allow', 'redact', 'deny'] as const;
export type ReleaseOutcome = (typeof RELEASE_OUTCOMES)[number];

export interface ReleaseDecision {
  readonly outcome: ReleaseOutcome;
  /** The object as released (redacted when `redact`); absent when denied. */
  readonly object?: Readonly<Record<string, unknown>>;
  /** The agreement that permitted the release (peers only). */
  readonly agreement?: { readonly id: string; readonly version: number };
  /** Stable code of the deciding rule for a denial (`tlp-ceiling`, `no-agreement`, ...). */
  readonly reason?: string;
  readonly steps: ReadonlyArray<DecisionStep>;
}
