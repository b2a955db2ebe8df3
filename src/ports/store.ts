/**
 * The Store port: everything durable about intelligence objects, collections, accounts and
 * TAXII status resources. Two adapters implement it (SQLite, the embedded default, and
 * PostgreSQL) and both pass the one contract suite in `store.contract.ts`.
 *
 * Validation happens before the store: adapters receive objects that the STIX validator has
 * accepted, and only enforce what storage itself guarantees (atomicity, dedup, ordering).
 */
import type { ReleaseFacts } from '../core/policy/release-facts.js';
import type { LedgerStore } from './ledger-store.js';
import type { OriginProofStore } from './origin-proof-store.js';
import type { PeerLinkStore } from './peer-link-store.js';
import type { PolicyStore } from './policy-store.js';

/** A JSON object as parsed; STIX objects are stored as they came, property for property. */
export type JsonObject = { readonly [key: string]: unknown };

/** A STIX object with the properties the store indexes. */
export interface StixLike extends JsonObject {
  readonly type: string;
  readonly id: string;
  readonly spec_version?: string;
  readonly created?: string;
  readonly modified?: string;
  readonly revoked?: boolean;
}

/**
 * The version of an object as TAXII 2.1 defines it (section 3.6): `modified`, else `created`,
 * else (objects that are not versioned, such as most SCOs) the constant epoch below, so that
 * re-posting an unversioned object is a duplicate rather than a new version.
 */
export const UNVERSIONED = '1970-01-01T00:00:00.000Z';
export function versionOf(object: StixLike): string {
  return object.modified ?? object.created ?? UNVERSIONED;
}

// ---------------------------------------------------------------------------------------------
// Objects

/** The latest version of an object as the release decision sees it. */
export interface LatestReleaseFacts {
  readonly type: string;
  readonly version: string;
  readonly release?: ReleaseFacts;
}

/** One version of one object as a member of one collection. */
export interface StoredObject {
  readonly id: string;
  readonly type: string;
  /** `versionOf(object)`: the STIX `modified` timestamp, normalised to millisecond precision. */
  readonly version: string;
  readonly specVersion: string;
  /** When this version was added to the collection (TAXII `date_added`), ms precision, UTC. */
  readonly dateAdded: string;
  readonly object: StixLike;
  /**
   * The object's JSON text as the adapter holds it, when it holds text: interfaces that only send
   * the object on (TAXII pages, exports) write it as it is instead of parsing and re-encoding it.
   * Always `JSON.parse`-equal to `object`.
   */
  readonly json?: string;
  /**
   * The UTF-8 length of `json` in bytes, when the adapter knows it without reading the text
   * (SQLite's `octet_length`): a TAXII page is then sized at once, and a text with as many bytes
   * as UTF-16 units is ASCII, copied into the answer without encoding.
   */
  readonly jsonBytes?: number | undefined;
  /**
   * What the release decision reads of the object (core/policy/release-facts.ts), kept beside
   * its text at write time; absent for versions written before the store kept it.
   */
  readonly release?: ReleaseFacts | undefined;
}

/**
 * A StoredObject over stored JSON text whose `object` is parsed only when first read, so a TAXII
 * page that sends `json` on never pays for the parse.
 */
export function storedFromJson(fields: Omit<StoredObject, 'object' | 'json' | 'jsonBytes' | 'release'>, json: string, release?: ReleaseFacts, jsonBytes?: number): StoredObject {
  return new LazyStoredObject(fields.id, fields.type, fields.version, fields.specVersion, fields.dateAdded, json, release, jsonBytes);
}

// A class rather than an object literal with a getter: constructing it on every row of every
// page is the hot path, and a prototype getter costs nothing per instance.
class LazyStoredObject implements StoredObject {
  #parsed: StixLike | undefined;
  constructor(
    readonly id: string,
    readonly type: string,
    readonly version: string,
    readonly specVersion: string,
    readonly dateAdded: string,
    readonly json: string,
    readonly release: ReleaseFacts | undefined,
    readonly jsonBytes: number | undefined,
  ) {}
  get object(): StixLike {
    this.#parsed ??= JSON.parse(this.json) as StixLike;
    return this.#parsed;
  }
  toJSON(): Omit<StoredObject, 'json'> {
    return { id: this.id, type: this.type, version: this.version, specVersion: this.specVersion, dateAdded: this.dateAdded, object: this.object };
  }
}

export type WriteOutcome =
  /** A new (id, version) in this collection. */
  | 'added'
  /** The collection already held this (id, version): nothing was written (TAXII success). */
  | 'duplicate';

export interface WriteResult {
  readonly id: string;
  readonly version: string;
  readonly outcome: WriteOutcome;
  /** For a duplicate, the date_added the collection first recorded (TAXII keeps the original). */
  readonly dateAdded: string;
}

export interface WriteOptions {
  /** The `date_added` to record for everything this call adds (from the Clock). */
  readonly dateAdded: string;
  /**
   * Bulk loading hint: the caller sends many large batches in a row (an import of millions of
   * objects). An adapter may trade per-call durability work for throughput, but a call that
   * returned is still durable and atomic.
   */
  readonly bulk?: boolean;
}

/** A TAXII `match[version]` value: `first`, `last`, `all` or a STIX timestamp. */
export type VersionSelector = 'first' | 'last' | 'all' | { readonly at: string };

/**
 * The TAXII 2.1 object filters (section 3.5) plus keyset pagination. Results come in date_added
 * order (TAXII 3.4), objects of one write in the order of the batch. An unknown collection is
 * ENTENTE_COLLECTION_NOT_FOUND; a cursor the store did not issue is ENTENTE_INVALID_PARAMETER.
 * A spec_version absent from an object counts as `2.1` (STIX 2.1 section 3.1, for SCOs).
 */
export interface ObjectQuery {
  readonly collectionId: string;
  readonly ids?: ReadonlyArray<string>;
  readonly types?: ReadonlyArray<string>;
  /** Defaults to `['last']`. Several selectors are OR-ed, as TAXII says. */
  readonly versions?: ReadonlyArray<VersionSelector>;
  /** When absent, only the latest spec_version of each object is returned (TAXII default). */
  readonly specVersions?: ReadonlyArray<string>;
  /** Strictly after this `date_added`. */
  readonly addedAfter?: string;
  /** At least 1; the service clamps it to the server maximum before calling. */
  readonly limit: number;
  /** An opaque cursor from a previous page's `next`. Pages never use OFFSET. */
  readonly cursor?: string;
}

export interface ObjectPage {
  readonly objects: ReadonlyArray<StoredObject>;
  /** Set when more results follow; pass back as `cursor`. */
  readonly next?: string;
}

/**
 * TAXII 2.1 section 5.8: without `versions` every version is removed, and without
 * `specVersions` every spec version (unlike the listings, whose defaults are `last` and the
 * latest spec_version). first/last are recomputed from what remains.
 */
export interface DeleteQuery {
  readonly collectionId: string;
  readonly id: string;
  readonly versions?: ReadonlyArray<VersionSelector>;
  readonly specVersions?: ReadonlyArray<string>;
}

/**
 * Hits are latest versions (the latest in at least one collection searched), newest stored first:
 * relevance ranking cannot be paged by keyset. Query syntax typed by a user is plain text.
 */
export interface SearchQuery {
  /**
   * Free text: words are AND-ed, matched as prefixes, case-insensitively. A word with
   * punctuation (`evil.example.com`, `198.51.100.7`) matches its parts in that order.
   */
  readonly text: string;
  /** Limit the search to objects in these collections (all collections when absent). */
  readonly collectionIds?: ReadonlyArray<string>;
  readonly types?: ReadonlyArray<string>;
  readonly limit: number;
  readonly cursor?: string;
}

export interface SearchHit {
  readonly id: string;
  readonly type: string;
  readonly version: string;
  /** A short human label: name, value, pattern or id. */
  readonly title: string;
  readonly object: StixLike;
}

export interface SearchPage {
  readonly hits: ReadonlyArray<SearchHit>;
  readonly next?: string;
}

/**
 * An edge of the object graph, derived from the latest version of the object that carries it.
 * `relationship` edges come from relationship SROs (source_ref → target_ref, via = the SRO id,
 * label = relationship_type; the SRO itself is not a node); `sighting` edges go from the
 * sighting to each object it references (via = the sighting id, label = the property:
 * sighting_of_ref, observed_data_refs, where_sighted_refs); `ref` edges go from an object to
 * what its top-level `_ref` and `_refs` properties name, other than created_by_ref and
 * object_marking_refs (label = property, no via).
 */
export interface GraphEdge {
  readonly source: string;
  readonly target: string;
  readonly kind: 'relationship' | 'sighting' | 'ref';
  readonly label: string;
  readonly via?: string;
}

export interface Neighbourhood {
  /**
   * Latest version of every object reached, the start included; ids absent from the store are
   * listed in `missing`. An unknown start gives no objects, no edges and `missing: [id]`.
   */
  readonly objects: ReadonlyArray<StixLike>;
  readonly edges: ReadonlyArray<GraphEdge>;
  readonly missing: ReadonlyArray<string>;
}

export interface NeighbourQuery {
  readonly id: string;
  /** 1 or 2. */
  readonly depth: 1 | 2;
  readonly direction?: 'in' | 'out' | 'both';
  /** Limit to objects in these collections (all when absent). */
  readonly collectionIds?: ReadonlyArray<string>;
}

export interface ObjectStore {
  /**
   * Writes a bundle's objects into a collection in one transaction: all of them or none (a
   * failure rolls back and rethrows). Dedup is on (id, version) per collection. The caller
   * has validated the objects and rejected duplicates inside the batch.
   */
  writeObjects(collectionId: string, objects: ReadonlyArray<StixLike>, options: WriteOptions): Promise<ReadonlyArray<WriteResult>>;
  /** The TAXII object query with keyset pagination: page N costs what page 1 costs. */
  queryObjects(query: ObjectQuery): Promise<ObjectPage>;
  /** The TAXII manifest: same filters, same order, same paging as queryObjects. */
  queryManifest(query: ObjectQuery): Promise<ObjectPage>;
  /**
   * Every version of one object in a collection, oldest first (TAXII versions endpoint): the
   * versions default is `all`; with several ids the order is by version, then id.
   */
  listVersions(query: ObjectQuery & { readonly ids: ReadonlyArray<string> }): Promise<ObjectPage>;
  /** Removes matching versions from the collection; returns how many were removed (0 for an unknown collection). */
  deleteObjects(query: DeleteQuery): Promise<number>;
  /** The latest stored version of an object in any collection (or in the given ones). */
  getLatest(id: string, collectionIds?: ReadonlyArray<string>): Promise<StixLike | undefined>;
  /**
   * For each id the store holds, the type and release facts of its latest version in any
   * collection (what `getLatest` would return); `release` is absent for versions written before
   * the store kept facts. Ids the store does not hold are absent from the map.
   */
  latestReleaseFacts(ids: ReadonlyArray<string>): Promise<ReadonlyMap<string, LatestReleaseFacts>>;
  /** Full-text search over names, descriptions, patterns and observable values; latest versions. */
  search(query: SearchQuery): Promise<SearchPage>;
  /** Relationship neighbours of an object, in and out, to depth 1 or 2. */
  neighbours(query: NeighbourQuery): Promise<Neighbourhood>;
  /**
   * Counts for metrics and the CLI: the versions a collection holds, or, without a collection,
   * the distinct (id, version) pairs stored (one object in two collections counts once).
   */
  countObjects(collectionId?: string): Promise<number>;
}

// ---------------------------------------------------------------------------------------------
// Collections and rights

export interface Collection {
  /** A UUID or another URL-safe identifier; TAXII uses it in paths. */
  readonly id: string;
  readonly title: string;
  readonly description?: string;
  readonly alias?: string;
  readonly mediaTypes: ReadonlyArray<string>;
  readonly createdAt: string;
}

export interface Grant {
  readonly collectionId: string;
  /** A user name; the admin role has every right without grants. */
  readonly principal: string;
  readonly canRead: boolean;
  readonly canWrite: boolean;
}

export interface CollectionStore {
  createCollection(collection: Collection): Promise<void>;
  getCollection(idOrAlias: string): Promise<Collection | undefined>;
  listCollections(): Promise<ReadonlyArray<Collection>>;
  /** Also removes the collection's memberships and grants. */
  deleteCollection(id: string): Promise<boolean>;
  /** Upserts the grant of a principal on a collection; ENTENTE_COLLECTION_NOT_FOUND when it does not exist. */
  setGrant(grant: Grant): Promise<void>;
  listGrants(filter?: { readonly collectionId?: string; readonly principal?: string }): Promise<ReadonlyArray<Grant>>;
}

// ---------------------------------------------------------------------------------------------
// Accounts

export interface User {
  readonly name: string;
  /** An scrypt hash in PHC-like form; never the password. */
  readonly passwordHash: string;
  readonly roles: ReadonlyArray<string>;
  readonly createdAt: string;
  readonly disabled: boolean;
}

export interface ApiToken {
  /** A short public id shown in listings; the secret itself is never stored. */
  readonly id: string;
  readonly userName: string;
  /** SHA-256 of the secret, hex. */
  readonly secretHash: string;
  readonly description: string;
  readonly createdAt: string;
  readonly expiresAt?: string;
  readonly lastUsedAt?: string;
}

export interface AccountStore {
  /** ENTENTE_CONFLICT when the name is taken (likewise createToken for a taken id or secret). */
  createUser(user: User): Promise<void>;
  getUser(name: string): Promise<User | undefined>;
  listUsers(): Promise<ReadonlyArray<User>>;
  updateUser(name: string, change: Partial<Pick<User, 'passwordHash' | 'roles' | 'disabled'>>): Promise<boolean>;
  /** Also removes the user's tokens. */
  deleteUser(name: string): Promise<boolean>;
  createToken(token: ApiToken): Promise<void>;
  findTokenBySecretHash(secretHash: string): Promise<ApiToken | undefined>;
  listTokens(userName?: string): Promise<ReadonlyArray<ApiToken>>;
  deleteToken(id: string): Promise<boolean>;
  touchToken(id: string, at: string): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// TAXII status resources and import jobs

export interface StatusDetail {
  readonly id: string;
  readonly version: string;
  readonly message?: string;
}

/** A TAXII 2.1 status resource (section 4.3.1), kept so clients can poll it. */
export interface StatusResource {
  readonly id: string;
  readonly status: 'pending' | 'complete';
  readonly requestTimestamp: string;
  readonly totalCount: number;
  readonly successCount: number;
  readonly successes: ReadonlyArray<StatusDetail>;
  readonly failureCount: number;
  readonly failures: ReadonlyArray<StatusDetail>;
  readonly pendingCount: number;
  readonly pendings: ReadonlyArray<StatusDetail>;
  /** Who may read it back: the user that posted. */
  readonly owner: string;
  readonly collectionId: string;
}

export interface StatusQuery {
  /** Only this user's status resources (all users' when absent). */
  readonly owner?: string;
  readonly limit: number;
  /** An opaque cursor from a previous page's `next`. */
  readonly cursor?: string;
}

export interface StatusPage {
  readonly statuses: ReadonlyArray<StatusResource>;
  readonly next?: string;
}

export interface StatusStore {
  saveStatus(status: StatusResource): Promise<void>;
  getStatus(id: string): Promise<StatusResource | undefined>;
  /** Status resources newest first (requestTimestamp, then id, descending), keyset-paged: the import jobs listing. */
  listStatuses(query: StatusQuery): Promise<StatusPage>;
}

// ---------------------------------------------------------------------------------------------

/** The whole store as the composition root sees it. */
export interface Store extends ObjectStore, CollectionStore, AccountStore, StatusStore, PolicyStore, LedgerStore, PeerLinkStore, OriginProofStore {
  /** A short name for logs and health: `sqlite` or `postgres`. */
  readonly kind: string;
  /** Applies pending versioned migrations; idempotent. Called once at start. */
  migrate(): Promise<void>;
  /** Answers quickly when the store is reachable; throws ENTENTE_STORE_UNAVAILABLE otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
