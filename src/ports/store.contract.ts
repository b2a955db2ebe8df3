/**
 * The one contract suite every Store adapter passes (DESIGN.md: "Both Store adapters pass one
 * shared contract test suite"). An adapter's test file calls `describeStoreContract` with a
 * factory that opens a fresh, migrated, empty store; nothing here knows which engine runs.
 *
 * The sections under `store-contract/` follow the port's own (objects, filters, paging, search,
 * graph, collections, accounts, status), so a reader can hold one section of the port beside
 * one of the suite.
 */
import { afterEach, beforeEach, describe } from 'vitest';
import type { Store } from './store.js';
import { administrationSections } from './store-contract/administration.js';
import { A, at, B, T0, type ContractContext } from './store-contract/builders.js';
import { ledgerSections } from './store-contract/ledger.js';
import { objectSections } from './store-contract/objects.js';
import { originProofSections } from './store-contract/origin-proofs.js';
import { peerLinkSections } from './store-contract/peer-links.js';
import { policySections } from './store-contract/policy.js';
import { searchAndGraphSections } from './store-contract/search-graph.js';

export type OpenStore = () => Promise<{ readonly store: Store; readonly cleanup: () => Promise<void> }>;

/** Registers the contract tests for one adapter; `open` returns a fresh migrated store. */
export function describeStoreContract(name: string, open: OpenStore): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store | undefined;
    let cleanup: () => Promise<void> = async () => {};

    beforeEach(async () => {
      ({ store, cleanup } = await open());
      await store.createCollection({ id: A, title: 'Alpha', alias: 'alpha', mediaTypes: ['application/stix+json;version=2.1'], createdAt: T0 });
      await store.createCollection({ id: B, title: 'Beta', mediaTypes: ['application/stix+json;version=2.1'], createdAt: T0 });
    });
    afterEach(async () => {
      await cleanup();
    });

    const ctx: ContractContext = {
      get store(): Store {
        if (store === undefined) throw new Error('the contract store is opened in beforeEach');
        return store;
      },
      q: (over = {}) => ({ collectionId: A, limit: 100, ...over }),
      write: (objects, minute = 0, collectionId = A) => ctx.store.writeObjects(collectionId, objects, { dateAdded: at(minute) }),
    };

    objectSections(ctx);
    searchAndGraphSections(ctx);
    administrationSections(ctx);
    policySections(ctx);
    ledgerSections(ctx);
    peerLinkSections(ctx);
    originProofSections(ctx);
  });
}
