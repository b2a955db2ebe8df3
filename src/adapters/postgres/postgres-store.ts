import type { Organisation, UserProfile } from '../../core/policy/types.js';
import type { LedgerAppend, LedgerLeaf, StoredCheckpoint, StoredLedgerEntry, TreeState } from '../../ports/ledger-store.js';
import type { PeerLink, PeerState } from '../../ports/peer-link-store.js';
import type { StoredOriginProof } from '../../ports/origin-proof-store.js';
import type { AgreementRecord, DecisionPage, DecisionQuery, DecisionRecord } from '../../ports/policy-store.js';
import type {
  ApiToken, Collection, DeleteQuery, Grant, Neighbourhood, NeighbourQuery, ObjectPage, ObjectQuery, SearchPage,
  SearchQuery, StatusPage, StatusQuery, StatusResource, StixLike, LatestReleaseFacts, Store, User, WriteOptions, WriteResult,
} from '../../ports/store.js';
import { AccountQueries } from './account-queries.js';
import * as collections from './collection-queries.js';
import { ExplanationCache } from '../shared/decision-batches.js';
import { appendDecisions, queryDecisions } from './decision-queries.js';
import * as ledger from './ledger-queries.js';
import { migrate } from './migrations.js';
import { fillReleaseFacts } from './release-facts-fill.js';
import { deleteObjects } from './object-deletes.js';
import * as reads from './object-queries.js';
import { writeObjects } from './object-writes.js';
import * as peers from './peer-link-queries.js';
import * as originProofs from './origin-proof-queries.js';
import { PgDatabase } from './pg-pool.js';
import * as policy from './policy-queries.js';
import { neighbours } from './graph-queries.js';
import { search } from './search-queries.js';
import { getStatus, listStatuses, saveStatus } from './status-queries.js';

export interface PostgresStoreOptions {
  /** `postgres://user@host:port/database`; every libpq URL parameter `pg` understands works. */
  readonly url: string;
  /** The schema holding Entente's tables (created by migrate); `public` when absent. */
  readonly schema?: string;
  /** Connections kept by this process; 10 when absent. */
  readonly poolSize?: number;
}

/**
 * The Store port on PostgreSQL. Nothing is kept in the process beyond the pool, so several
 * API and worker processes can share one database.
 */
export class PostgresStore implements Store {
  readonly kind = 'postgres';
  private readonly db: PgDatabase;
  /** Keys of the decision explanations already stored (a cache: rebuilt as appends meet them). */
  private readonly explanations = new ExplanationCache();
  private readonly accounts: AccountQueries;

  constructor(options: PostgresStoreOptions) {
    this.db = new PgDatabase(options);
    this.accounts = new AccountQueries(this.db);
  }

  async migrate(): Promise<void> {
    await migrate(this.db);
    await fillReleaseFacts(this.db);
  }

  async ping(): Promise<void> {
    await this.db.query('ping', 'SELECT 1');
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  writeObjects(collectionId: string, objects: ReadonlyArray<StixLike>, options: WriteOptions): Promise<ReadonlyArray<WriteResult>> {
    return writeObjects(this.db, collectionId, objects, options);
  }

  queryObjects(query: ObjectQuery): Promise<ObjectPage> {
    return reads.queryObjects(this.db, query);
  }

  /** The manifest lists the same rows as the objects endpoint (TAXII 2.1 section 5.3). */
  queryManifest(query: ObjectQuery): Promise<ObjectPage> {
    return reads.queryObjects(this.db, query);
  }

  listVersions(query: ObjectQuery & { readonly ids: ReadonlyArray<string> }): Promise<ObjectPage> {
    return reads.listVersions(this.db, query);
  }

  deleteObjects(query: DeleteQuery): Promise<number> {
    return deleteObjects(this.db, query);
  }

  getLatest(id: string, collectionIds?: ReadonlyArray<string>): Promise<StixLike | undefined> {
    return reads.getLatest(this.db, id, collectionIds);
  }

  latestReleaseFacts(ids: ReadonlyArray<string>): Promise<ReadonlyMap<string, LatestReleaseFacts>> {
    return reads.latestReleaseFacts(this.db, ids);
  }

  search(query: SearchQuery): Promise<SearchPage> {
    return search(this.db, query);
  }

  neighbours(query: NeighbourQuery): Promise<Neighbourhood> {
    return neighbours(this.db, query);
  }

  countObjects(collectionId?: string): Promise<number> {
    return reads.countObjects(this.db, collectionId);
  }

  createCollection(collection: Collection): Promise<void> {
    return collections.createCollection(this.db, collection);
  }

  getCollection(idOrAlias: string): Promise<Collection | undefined> {
    return collections.getCollection(this.db, idOrAlias);
  }

  listCollections(): Promise<ReadonlyArray<Collection>> {
    return collections.listCollections(this.db);
  }

  deleteCollection(id: string): Promise<boolean> {
    return collections.deleteCollection(this.db, id);
  }

  setGrant(grant: Grant): Promise<void> {
    return collections.setGrant(this.db, grant);
  }

  listGrants(filter?: { readonly collectionId?: string; readonly principal?: string }): Promise<ReadonlyArray<Grant>> {
    return collections.listGrants(this.db, filter);
  }

  createUser(user: User): Promise<void> {
    return this.accounts.createUser(user);
  }

  getUser(name: string): Promise<User | undefined> {
    return this.accounts.getUser(name);
  }

  listUsers(): Promise<ReadonlyArray<User>> {
    return this.accounts.listUsers();
  }

  updateUser(name: string, change: Partial<Pick<User, 'passwordHash' | 'roles' | 'disabled'>>): Promise<boolean> {
    return this.accounts.updateUser(name, change);
  }

  deleteUser(name: string): Promise<boolean> {
    return this.accounts.deleteUser(name);
  }

  createToken(token: ApiToken): Promise<void> {
    return this.accounts.createToken(token);
  }

  findTokenBySecretHash(secretHash: string): Promise<ApiToken | undefined> {
    return this.accounts.findTokenBySecretHash(secretHash);
  }

  listTokens(userName?: string): Promise<ReadonlyArray<ApiToken>> {
    return this.accounts.listTokens(userName);
  }

  deleteToken(id: string): Promise<boolean> {
    return this.accounts.deleteToken(id);
  }

  touchToken(id: string, at: string): Promise<void> {
    return this.accounts.touchToken(id, at);
  }

  saveStatus(status: StatusResource): Promise<void> {
    return saveStatus(this.db, status);
  }

  getStatus(id: string): Promise<StatusResource | undefined> {
    return getStatus(this.db, id);
  }

  listStatuses(query: StatusQuery): Promise<StatusPage> {
    return listStatuses(this.db, query);
  }

  putOrganisation(organisation: Organisation): Promise<void> {
    return policy.putOrganisation(this.db, organisation);
  }

  getOrganisation(codeOrId: string): Promise<Organisation | undefined> {
    return policy.getOrganisation(this.db, codeOrId);
  }

  listOrganisations(): Promise<ReadonlyArray<Organisation>> {
    return policy.listOrganisations(this.db);
  }

  deleteOrganisation(code: string): Promise<boolean> {
    return policy.deleteOrganisation(this.db, code);
  }

  putUserProfile(profile: UserProfile): Promise<void> {
    return policy.putUserProfile(this.db, profile);
  }

  getUserProfile(name: string): Promise<UserProfile | undefined> {
    return policy.getUserProfile(this.db, name);
  }

  saveAgreement(record: AgreementRecord): Promise<void> {
    return policy.saveAgreement(this.db, record);
  }

  getAgreement(id: string, version?: number): Promise<AgreementRecord | undefined> {
    return policy.getAgreement(this.db, id, version);
  }

  listAgreements(): Promise<ReadonlyArray<AgreementRecord>> {
    return policy.listAgreements(this.db);
  }

  listAgreementVersions(id: string): Promise<ReadonlyArray<AgreementRecord>> {
    return policy.listAgreementVersions(this.db, id);
  }

  appendDecisions(records: ReadonlyArray<DecisionRecord>, ledgerAppend?: LedgerAppend): Promise<void> {
    return appendDecisions(this.db, this.explanations, records, ledgerAppend);
  }

  queryDecisions(query: DecisionQuery): Promise<DecisionPage> {
    return queryDecisions(this.db, query);
  }

  appendLedger(leaves: ReadonlyArray<LedgerLeaf>, advance: (state: TreeState) => TreeState): Promise<ReadonlyArray<number>> {
    return ledger.appendLedger(this.db, leaves, advance);
  }

  getLedgerState(): Promise<TreeState> {
    return ledger.getLedgerState(this.db);
  }

  getLedgerEntry(index: number): Promise<StoredLedgerEntry | undefined> {
    return ledger.getLedgerEntry(this.db, index);
  }

  findLedgerEntry(leafHash: Uint8Array): Promise<StoredLedgerEntry | undefined> {
    return ledger.findLedgerEntry(this.db, leafHash);
  }

  readLeafHashes(start: number, end: number): Promise<Uint8Array> {
    return ledger.readLeafHashes(this.db, start, end);
  }

  readLedgerEntries(start: number, end: number): Promise<ReadonlyArray<StoredLedgerEntry>> {
    return ledger.readLedgerEntries(this.db, start, end);
  }

  saveCheckpoint(checkpoint: StoredCheckpoint): Promise<void> {
    return ledger.saveCheckpoint(this.db, checkpoint);
  }

  getLatestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    return ledger.getLatestCheckpoint(this.db);
  }

  getCheckpoint(treeSize: number): Promise<StoredCheckpoint | undefined> {
    return ledger.getCheckpoint(this.db, treeSize);
  }

  putPeerLink(link: PeerLink): Promise<void> {
    return peers.putPeerLink(this.db, link);
  }

  getPeerLink(code: string): Promise<PeerLink | undefined> {
    return peers.getPeerLink(this.db, code);
  }

  listPeerLinks(): Promise<ReadonlyArray<PeerLink>> {
    return peers.listPeerLinks(this.db);
  }

  deletePeerLink(code: string): Promise<boolean> {
    return peers.deletePeerLink(this.db, code);
  }

  getPeerState(code: string): Promise<PeerState> {
    return peers.getPeerState(this.db, code);
  }

  savePeerState(state: PeerState): Promise<void> {
    return peers.savePeerState(this.db, state);
  }

  putOriginProofs(proofs: ReadonlyArray<StoredOriginProof>): Promise<void> {
    return originProofs.putOriginProofs(this.db, proofs);
  }

  getOriginProofs(versions: ReadonlyArray<{ readonly id: string; readonly version: string }>): Promise<ReadonlyArray<StoredOriginProof>> {
    return originProofs.getOriginProofs(this.db, versions);
  }
}

/**
 * Opens a PostgreSQL store. The pool connects lazily: call `migrate()` once at start (it also
 * creates the schema), and `ping()` for health.
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  return new PostgresStore(options);
}
