import type { AccountService } from '../../services/accounts/index.js';
import type { CollectionService } from '../../services/collections/index.js';
import type { IntelService } from '../../services/intel/index.js';

/** What the REST API is built on: the services. */
export interface RestDeps {
  readonly intel: IntelService;
  readonly accounts: AccountService;
  readonly collections: CollectionService;
  /** The product version shown in the OpenAPI document. */
  readonly version: string;
}
