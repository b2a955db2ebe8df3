/**
 * What the policy engine keeps: the organisations that can be parties, the profiles of users
 * (nationality, clearances, accreditations), every version of every agreement, and the log of
 * release decisions. Part of the Store port; both adapters pass the one contract suite.
 */
import type { Agreement, DecisionStep, Organisation, ReleaseOutcome, UserProfile } from '../core/policy/types.js';
import type { LedgerAppend } from './ledger-store.js';

/** One version of an agreement with who recorded it, when, and what changed. */
export interface AgreementRecord {
  readonly agreement: Agreement;
  /** The YAML text as written by its authors (kept verbatim for audit). */
  readonly source: string;
  readonly recordedAt: string;
  readonly recordedBy: string;
  /** One line saying what changed from the previous version (`created`, `status draft -> active`, ...). */
  readonly change: string;
}

/** The channels through which data leaves the node. */
export const DECISION_CHANNELS = ['taxii', 'rest', 'export', 'federation', 'sensor-export'] as const;
export type DecisionChannel = (typeof DECISION_CHANNELS)[number];

/** One recorded release decision. */
export interface DecisionRecord {
  /** Assigned by the store on append, increasing; absent on input. */
  readonly seq?: number;
  readonly at: string;
  /** `peer:<organisation code>` or `user:<user name>`. */
  readonly recipient: string;
  readonly channel: DecisionChannel;
  readonly objectId: string;
  readonly objectVersion: string;
  readonly agreementId?: string;
  readonly agreementVersion?: number;
  readonly outcome: ReleaseOutcome;
  readonly reason?: string;
  readonly steps: ReadonlyArray<DecisionStep>;
}

export interface DecisionQuery {
  readonly recipient?: string;
  readonly objectId?: string;
  readonly agreementId?: string;
  readonly outcome?: ReleaseOutcome;
  readonly channel?: DecisionChannel;
  /** Inclusive lower bound on `at` (a STIX timestamp, compared at millisecond precision). */
  readonly since?: string;
  /** Exclusive upper bound on `at`. */
  readonly until?: string;
  readonly limit: number;
  /** Opaque keyset cursor from a previous page (never an offset). */
  readonly cursor?: string;
}

export interface DecisionPage {
  /** Oldest first (by seq). */
  readonly records: ReadonlyArray<DecisionRecord & { readonly seq: number }>;
  readonly next?: string;
}

export interface PolicyStore {
  /** Adds or replaces an organisation (by id). A code already used by another id: ENTENTE_CONFLICT. */
  putOrganisation(organisation: Organisation): Promise<void>;
  /** By code or by identity id. */
  getOrganisation(codeOrId: string): Promise<Organisation | undefined>;
  /** Ordered by code, in byte order (`CERT-EU` before `CERTA`) whatever the engine's locale. */
  listOrganisations(): Promise<ReadonlyArray<Organisation>>;
  deleteOrganisation(code: string): Promise<boolean>;

  /** Adds or replaces the profile of a user. */
  putUserProfile(profile: UserProfile): Promise<void>;
  getUserProfile(name: string): Promise<UserProfile | undefined>;

  /**
   * Records a new version of an agreement. Its `version` must be 1 for a new id and the latest
   * version + 1 otherwise; anything else is refused with ENTENTE_CONFLICT and nothing is written.
   */
  saveAgreement(record: AgreementRecord): Promise<void>;
  /** The latest version, or the given one. */
  getAgreement(id: string, version?: number): Promise<AgreementRecord | undefined>;
  /** The latest version of each agreement, ordered by id in byte order. */
  listAgreements(): Promise<ReadonlyArray<AgreementRecord>>;
  /** Every version of one agreement, oldest first. */
  listAgreementVersions(id: string): Promise<ReadonlyArray<AgreementRecord>>;

  /**
   * Appends decisions in one transaction, all or none, assigning increasing `seq` in batch order.
   * A record the store refuses (a channel or outcome it does not know, an `at` that is not a
   * timestamp) fails the batch with ENTENTE_INVALID_PARAMETER naming it (`records[3].outcome`).
   * With `ledger`, its leaves are appended in the same transaction, as `appendLedger` appends
   * them (and refuses them: a leaf already in the log is ENTENTE_CONFLICT); then nothing is
   * written unless both are.
   */
  appendDecisions(records: ReadonlyArray<DecisionRecord>, ledger?: LedgerAppend): Promise<void>;
  /** Every filter of the query, oldest first; a cursor the store did not issue is ENTENTE_INVALID_PARAMETER. */
  queryDecisions(query: DecisionQuery): Promise<DecisionPage>;
}
