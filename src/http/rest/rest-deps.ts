import type { AccountService } from '../../services/accounts/index.js';
import type { CollectionService } from '../../services/collections/index.js';
import type { IntelService } from '../../services/intel/index.js';
import type { FederationService } from '../../services/federation/federation-service.js';
import type { LedgerService } from '../../services/ledger/ledger-service.js';
import type { AgreementSimulator } from '../../services/policy/agreement-simulator.js';
import type { PolicyService } from '../../services/policy/policy-service.js';

/** What the REST API is built on: the services. */
export interface RestDeps {
  readonly intel: IntelService;
  readonly accounts: AccountService;
  readonly collections: CollectionService;
  readonly policy: PolicyService;
  readonly simulator: AgreementSimulator;
  /** Absent when the node does not federate (tests of the REST API alone): then `/peers` is not served. */
  readonly federation?: FederationService;
  /** Absent in tests of the REST API alone: then `/ledger` is not served. */
  readonly ledger?: LedgerService;
  /** The product version shown in the OpenAPI document. */
  readonly version: string;
}
