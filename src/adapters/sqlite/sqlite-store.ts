import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Database as Connection } from 'better-sqlite3';
import { EntenteError } from '../../core/errors.js';
import type { Organisation, UserProfile } from '../../core/policy/types.js';
import type { LedgerAppend, LedgerLeaf, StoredCheckpoint, StoredLedgerEntry, TreeState } from '../../ports/ledger-store.js';
import type { PeerLink, PeerState } from '../../ports/peer-link-store.js';
import type { StoredOriginProof } from '../../ports/origin-proof-store.js';
import type { AgreementRecord, DecisionPage, DecisionQuery, DecisionRecord } from '../../ports/policy-store.js';
import type {
  ApiToken, Collection, DeleteQuery, Grant, Neighbourhood, NeighbourQuery, ObjectPage, ObjectQuery, SearchPage,
  SearchQuery, StatusPage, StatusQuery, StatusResource, StixLike, LatestReleaseFacts, Store, User, WriteOptions, WriteResult,
} from '../../ports/store.js';
import { ExplanationCache } from '../shared/decision-batches.js';
import * as accounts from './accounts.js';
import * as collections from './collections.js';
import type { SqliteContext } from './context.js';
import * as decisions from './decisions.js';
import * as ledger from './ledger.js';
import { registerIdHash } from './id-keys.js';
import { applyMigrations } from './migrations.js';
import { fillReleaseFacts } from './release-facts-fill.js';
import { deleteObjects } from './object-deletes.js';
import { LatestFactsCache } from './latest-facts-cache.js';
import { WalCheckpointer } from './wal-checkpointer.js';
import { countObjects, getLatest, listVersions, queryObjects } from './object-queries.js';
import { writeBatch } from './object-writes.js';
import * as peers from './peer-links.js';
import * as originProofs from './origin-proofs.js';
import { neighbours } from './graph.js';
import * as policy from './policy.js';
import { search } from './search.js';
import { translateSqliteError } from './sqlite-errors.js';
import type { ConstraintMeaning } from './sqlite-errors.js';
import { StatementCache } from './statements.js';
import * as statuses from './status.js';

export interface SqliteStoreOptions {
  /** The database file (created with its directory if absent), or `:memory:` for tests. */
  readonly file: string;
  /** Page cache in MiB (default 64); reads mostly go through the memory map instead. */
  readonly cacheMiB?: number;
  /** Memory-mapped read window in MiB (default 1024; 0 turns it off). */
  readonly mmapMiB?: number;
  /**
   * Checkpoint the WAL from a thread of its own (wal-checkpointer.ts) rather than in the commit
   * that fills it: what a node does. Off by default, so that a store opened for a moment (a
   * test, a CLI command) starts no thread; ignored for `:memory:`.
   */
  readonly backgroundCheckpoints?: boolean;
  /** Hears a background checkpoint that failed (the log of the node that opened the store). */
  readonly onCheckpointError?: (message: string) => void;
}

/**
 * Pages of WAL before an automatic checkpoint (80 MiB of 8 KiB pages; 40 MiB in a file made
 * with 4 KiB pages). Measured over 200k objects, 4x as many pages changed nothing; at 1M, a 400 MiB WAL
 * for bulk loads was slower overall than this: reads must consult an ever larger WAL index and
 * each checkpoint stalls longer, which outweighs copying hot pages less often.
 */
const CHECKPOINT_PAGES = 10_000;

/** Page size of a new file: fewer, fuller B-tree pages per object row and index entry. */
const PAGE_BYTES = 8192;

/**
 * The Store on one SQLite file in WAL mode. better-sqlite3 is synchronous: every method does its
 * work at once and returns a settled promise, which keeps the port identical to PostgreSQL's.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  private readonly ctx: SqliteContext;
  /** Keys of the decision explanations already stored (rebuilt as appends meet them). */
  private readonly explanations = new ExplanationCache();
  private readonly latestFacts = new LatestFactsCache();
  private closed = false;

  constructor(private readonly db: Connection, private readonly checkpointer?: WalCheckpointer) {
    this.ctx = { db, sql: new StatementCache(db) };
  }

  private run<T>(work: () => T, meaning?: ConstraintMeaning): Promise<T> {
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(translateSqliteError(error, meaning));
    }
  }

  migrate(): Promise<void> {
    return this.run(() => {
      this.latestFacts.written();
      applyMigrations(this.db);
      fillReleaseFacts(this.db);
    });
  }

  ping(): Promise<void> {
    return this.run(() => {
      if (this.closed) throw new EntenteError('ENTENTE_STORE_UNAVAILABLE', 'The SQLite store is closed');
      this.ctx.sql.get('SELECT 1').get();
    });
  }

  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      await this.checkpointer?.stop();
      // Folds the WAL back into the main file so a copied data directory is one self-contained file.
      return this.run(() => {
        try {
          this.db.pragma('wal_checkpoint(TRUNCATE)');
        } finally {
          this.db.close();
        }
      });
    }
    return Promise.resolve();
  }

  writeObjects(collectionId: string, objects: ReadonlyArray<StixLike>, options: WriteOptions): Promise<ReadonlyArray<WriteResult>> {
    return this.run(() => {
      // `bulk` takes no separate path. Measured side by side (200k and 1M objects): a 512 MiB
      // page cache and a 400 MiB WAL made loads slower; deferring search text and edges to a
      // batched flush made each call ~1.8x faster but the load plus the flush no faster at 200k
      // and ~15 % more CPU at 1M (the flush re-reads and parses the JSON, and FTS5 costs the
      // same per row in large batches). See docs/storage.md.
      // IMMEDIATE takes the write lock up front: with several processes on one file a deferred
      // transaction that upgrades from read to write can fail with SQLITE_BUSY instead of waiting.
      this.latestFacts.written();
      return this.db.transaction(() => writeBatch(this.ctx, collectionId, objects, options)).immediate();
    });
  }

  queryObjects(query: ObjectQuery): Promise<ObjectPage> {
    return this.run(() => queryObjects(this.ctx, query));
  }

  /** The manifest shares the object query: same filters, order and cursor by construction. */
  queryManifest(query: ObjectQuery): Promise<ObjectPage> {
    return this.run(() => queryObjects(this.ctx, query));
  }

  listVersions(query: ObjectQuery & { readonly ids: ReadonlyArray<string> }): Promise<ObjectPage> {
    return this.run(() => listVersions(this.ctx, query));
  }

  deleteObjects(query: DeleteQuery): Promise<number> {
    return this.run(() => {
      this.latestFacts.written();
      return this.db.transaction(() => deleteObjects(this.ctx, query)).immediate();
    });
  }

  getLatest(id: string, collectionIds?: ReadonlyArray<string>): Promise<StixLike | undefined> {
    return this.run(() => getLatest(this.ctx, id, collectionIds));
  }

  latestReleaseFacts(ids: ReadonlyArray<string>): Promise<ReadonlyMap<string, LatestReleaseFacts>> {
    return this.run(() => this.latestFacts.get(this.ctx, ids));
  }

  search(query: SearchQuery): Promise<SearchPage> {
    return this.run(() => search(this.ctx, query));
  }

  neighbours(query: NeighbourQuery): Promise<Neighbourhood> {
    return this.run(() => neighbours(this.ctx, query));
  }

  countObjects(collectionId?: string): Promise<number> {
    return this.run(() => countObjects(this.ctx, collectionId));
  }

  createCollection(collection: Collection): Promise<void> {
    return this.run(() => collections.createCollection(this.ctx, collection), {
      unique: ['ENTENTE_CONFLICT', `A collection with id ${collection.id} or alias ${collection.alias ?? '-'} already exists`],
    });
  }

  getCollection(idOrAlias: string): Promise<Collection | undefined> {
    return this.run(() => collections.getCollection(this.ctx, idOrAlias));
  }

  listCollections(): Promise<ReadonlyArray<Collection>> {
    return this.run(() => collections.listCollections(this.ctx));
  }

  deleteCollection(id: string): Promise<boolean> {
    return this.run(() => {
      this.latestFacts.written();
      return this.db.transaction(() => collections.deleteCollection(this.ctx, id)).immediate();
    });
  }

  setGrant(grant: Grant): Promise<void> {
    return this.run(() => collections.setGrant(this.ctx, grant), {
      foreignKey: ['ENTENTE_COLLECTION_NOT_FOUND', `Collection ${grant.collectionId} does not exist`],
    });
  }

  listGrants(filter?: { readonly collectionId?: string; readonly principal?: string }): Promise<ReadonlyArray<Grant>> {
    return this.run(() => collections.listGrants(this.ctx, filter));
  }

  createUser(user: User): Promise<void> {
    return this.run(() => accounts.createUser(this.ctx, user), { unique: ['ENTENTE_CONFLICT', `User ${user.name} already exists`] });
  }

  getUser(name: string): Promise<User | undefined> {
    return this.run(() => accounts.getUser(this.ctx, name));
  }

  listUsers(): Promise<ReadonlyArray<User>> {
    return this.run(() => accounts.listUsers(this.ctx));
  }

  updateUser(name: string, change: Partial<Pick<User, 'passwordHash' | 'roles' | 'disabled'>>): Promise<boolean> {
    return this.run(() => accounts.updateUser(this.ctx, name, change));
  }

  deleteUser(name: string): Promise<boolean> {
    return this.run(() => accounts.deleteUser(this.ctx, name));
  }

  createToken(token: ApiToken): Promise<void> {
    return this.run(() => accounts.createToken(this.ctx, token), {
      unique: ['ENTENTE_CONFLICT', 'A token with that id or secret already exists'],
      foreignKey: ['ENTENTE_NOT_FOUND', `User ${token.userName} does not exist`],
    });
  }

  findTokenBySecretHash(secretHash: string): Promise<ApiToken | undefined> {
    return this.run(() => accounts.findTokenBySecretHash(this.ctx, secretHash));
  }

  listTokens(userName?: string): Promise<ReadonlyArray<ApiToken>> {
    return this.run(() => accounts.listTokens(this.ctx, userName));
  }

  deleteToken(id: string): Promise<boolean> {
    return this.run(() => accounts.deleteToken(this.ctx, id));
  }

  touchToken(id: string, at: string): Promise<void> {
    return this.run(() => accounts.touchToken(this.ctx, id, at));
  }

  saveStatus(status: StatusResource): Promise<void> {
    return this.run(() => statuses.saveStatus(this.ctx, status));
  }

  getStatus(id: string): Promise<StatusResource | undefined> {
    return this.run(() => statuses.getStatus(this.ctx, id));
  }

  listStatuses(query: StatusQuery): Promise<StatusPage> {
    return this.run(() => statuses.listStatuses(this.ctx, query));
  }

  putOrganisation(organisation: Organisation): Promise<void> {
    return this.run(() => policy.putOrganisation(this.ctx, organisation), {
      unique: ['ENTENTE_CONFLICT', `Organisation code ${organisation.code} is already used by an organisation other than ${organisation.id}`],
    });
  }

  getOrganisation(codeOrId: string): Promise<Organisation | undefined> {
    return this.run(() => policy.getOrganisation(this.ctx, codeOrId));
  }

  listOrganisations(): Promise<ReadonlyArray<Organisation>> {
    return this.run(() => policy.listOrganisations(this.ctx));
  }

  deleteOrganisation(code: string): Promise<boolean> {
    return this.run(() => policy.deleteOrganisation(this.ctx, code));
  }

  putUserProfile(profile: UserProfile): Promise<void> {
    return this.run(() => policy.putUserProfile(this.ctx, profile));
  }

  getUserProfile(name: string): Promise<UserProfile | undefined> {
    return this.run(() => policy.getUserProfile(this.ctx, name));
  }

  saveAgreement(record: AgreementRecord): Promise<void> {
    return this.run(() => this.db.transaction(() => policy.saveAgreement(this.ctx, record)).immediate());
  }

  getAgreement(id: string, version?: number): Promise<AgreementRecord | undefined> {
    return this.run(() => policy.getAgreement(this.ctx, id, version));
  }

  listAgreements(): Promise<ReadonlyArray<AgreementRecord>> {
    return this.run(() => policy.listAgreements(this.ctx));
  }

  listAgreementVersions(id: string): Promise<ReadonlyArray<AgreementRecord>> {
    return this.run(() => policy.listAgreementVersions(this.ctx, id));
  }

  appendDecisions(records: ReadonlyArray<DecisionRecord>, ledgerAppend?: LedgerAppend): Promise<void> {
    return this.run(() => {
      const fresh = this.db.transaction(() => {
        // The leaves first: a batch kept by reference names its leaf's index.
        const indexes = ledgerAppend === undefined ? [] : ledger.appendLedger(this.ctx, ledgerAppend.leaves, ledgerAppend.advance);
        const leaf = ledgerAppend?.decisionsLeaf === undefined ? undefined : indexes[ledgerAppend.decisionsLeaf];
        return decisions.appendDecisions(this.ctx, this.explanations, records, leaf);
      }).immediate();
      this.explanations.remember(fresh);
    });
  }

  queryDecisions(query: DecisionQuery): Promise<DecisionPage> {
    return this.run(() => decisions.queryDecisions(this.ctx, query));
  }

  appendLedger(leaves: ReadonlyArray<LedgerLeaf>, advance: (state: TreeState) => TreeState): Promise<ReadonlyArray<number>> {
    return this.run(() => this.db.transaction(() => ledger.appendLedger(this.ctx, leaves, advance)).immediate());
  }

  getLedgerState(): Promise<TreeState> {
    return this.run(() => ledger.getLedgerState(this.ctx));
  }

  getLedgerEntry(index: number): Promise<StoredLedgerEntry | undefined> {
    return this.run(() => ledger.getLedgerEntry(this.ctx, index));
  }

  findLedgerEntry(leafHash: Uint8Array): Promise<StoredLedgerEntry | undefined> {
    return this.run(() => ledger.findLedgerEntry(this.ctx, leafHash));
  }

  readLeafHashes(start: number, end: number): Promise<Uint8Array> {
    return this.run(() => ledger.readLeafHashes(this.ctx, start, end));
  }

  readLedgerEntries(start: number, end: number): Promise<ReadonlyArray<StoredLedgerEntry>> {
    return this.run(() => ledger.readLedgerEntries(this.ctx, start, end));
  }

  saveCheckpoint(checkpoint: StoredCheckpoint): Promise<void> {
    return this.run(() => this.db.transaction(() => ledger.saveCheckpoint(this.ctx, checkpoint)).immediate());
  }

  getLatestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    return this.run(() => ledger.getLatestCheckpoint(this.ctx));
  }

  getCheckpoint(treeSize: number): Promise<StoredCheckpoint | undefined> {
    return this.run(() => ledger.getCheckpoint(this.ctx, treeSize));
  }

  putPeerLink(link: PeerLink): Promise<void> {
    return this.run(() => peers.putPeerLink(this.ctx, link));
  }

  getPeerLink(code: string): Promise<PeerLink | undefined> {
    return this.run(() => peers.getPeerLink(this.ctx, code));
  }

  listPeerLinks(): Promise<ReadonlyArray<PeerLink>> {
    return this.run(() => peers.listPeerLinks(this.ctx));
  }

  deletePeerLink(code: string): Promise<boolean> {
    return this.run(() => this.db.transaction(() => peers.deletePeerLink(this.ctx, code)).immediate());
  }

  getPeerState(code: string): Promise<PeerState> {
    return this.run(() => peers.getPeerState(this.ctx, code));
  }

  savePeerState(state: PeerState): Promise<void> {
    return this.run(() => peers.savePeerState(this.ctx, state));
  }

  putOriginProofs(proofs: ReadonlyArray<StoredOriginProof>): Promise<void> {
    return this.run(() => this.db.transaction(() => originProofs.putOriginProofs(this.ctx, proofs)).immediate());
  }

  getOriginProofs(versions: ReadonlyArray<{ readonly id: string; readonly version: string }>): Promise<ReadonlyArray<StoredOriginProof>> {
    return this.run(() => originProofs.getOriginProofs(this.ctx, versions));
  }
}

/**
 * Opens (creating if needed) the SQLite store. Call `migrate()` before use.
 *
 * synchronous=NORMAL in WAL mode: a commit appends to the WAL with a write() the OS then owns, so
 * a crash of this process loses nothing committed; only an OS crash or power loss may lose the
 * last commits since the previous checkpoint's fsync, and the file is never corrupted either way
 * (sqlite.org/pragma.html#pragma_synchronous, sqlite.org/wal.html).
 */
export function openSqliteStore(options: SqliteStoreOptions): Promise<SqliteStore> {
  try {
    const inFile = options.file !== ':memory:' && options.file !== '';
    if (inFile) mkdirSync(dirname(options.file), { recursive: true });
    const db = new Database(options.file);
    registerIdHash(db);
    const cacheMiB = options.cacheMiB ?? 64;
    // Takes effect only when the file is created (an existing file keeps its page size). Measured
    // against 4 KiB over 200k objects: ~15 % less CPU per object written, TAXII pages unchanged.
    db.pragma(`page_size = ${PAGE_BYTES}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma(`cache_size = -${cacheMiB * 1024}`);
    db.pragma('temp_store = MEMORY');
    db.pragma(`wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
    // Reads through the memory map skip a system call and a copy per page (sqlite.org/mmap.html);
    // the WAL still takes every write, so this changes nothing about durability.
    db.pragma(`mmap_size = ${(options.mmapMiB ?? 1024) * 2 ** 20}`);
    return Promise.resolve(new SqliteStore(db, options.backgroundCheckpoints === true && inFile ? new WalCheckpointer(options.file, options.onCheckpointError === undefined ? {} : { onError: options.onCheckpointError }) : undefined));
  } catch (error) {
    return Promise.reject(new EntenteError('ENTENTE_STORE_UNAVAILABLE', `Cannot open the SQLite store at ${options.file}: ${String(error)}`, [], { cause: error }));
  }
}
