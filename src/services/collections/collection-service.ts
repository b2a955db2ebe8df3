import { randomUUID } from 'node:crypto';
import { EntenteError } from '../../core/errors.js';
import { stixNow, type Clock } from '../../ports/clock.js';
import type { AccountStore, Collection, CollectionStore, Grant } from '../../ports/store.js';
import { isAdmin, type Principal } from '../accounts/principal.js';
import { ShortLivedCache } from '../shared/short-lived-cache.js';

export interface CollectionServiceDeps {
  /** Collections and grants; users only to check that a grant names one. */
  readonly store: CollectionStore & Pick<AccountStore, 'getUser'>;
  readonly clock: Clock;
  /**
   * How long a collection and a user's grant on it are remembered for `resolve`, in ms (default
   * 1 s; 0 disables). Creating, deleting or granting through this service forgets every entry at
   * once; the same changes made by another process (the CLI on the same data directory) take
   * effect here within this time.
   */
  readonly cacheMs?: number;
}

export interface Rights {
  readonly canRead: boolean;
  readonly canWrite: boolean;
}

/** A collection together with what the caller may do in it (TAXII `can_read` / `can_write`). */
export interface VisibleCollection extends Rights {
  readonly collection: Collection;
}

export interface NewCollection {
  readonly title: string;
  readonly description?: string;
  readonly alias?: string;
  /** Defaults to a fresh UUID, as TAXII 2.1 section 5.2 suggests for collection ids. */
  readonly id?: string;
  readonly mediaTypes?: ReadonlyArray<string>;
}

const NONE: Rights = { canRead: false, canWrite: false };
const ALL: Rights = { canRead: true, canWrite: true };
// Ids and aliases appear in TAXII URLs: keep them to unreserved URL characters.
const URL_SAFE = /^[A-Za-z0-9._~-]{1,128}$/;
export const DEFAULT_MEDIA_TYPES: ReadonlyArray<string> = ['application/stix+json;version=2.1'];

/** Collections and who may read or write them. */
export class CollectionService {
  readonly #store: CollectionStore & Pick<AccountStore, 'getUser'>;
  readonly #clock: Clock;
  // Every TAXII request resolves its collection and the caller's grant on it: two statements
  // saved per page. Only collections that exist are remembered; absent grants are (no access).
  readonly #collections: ShortLivedCache<Collection>;
  readonly #grants: ShortLivedCache<Grant | null>;

  constructor(deps: CollectionServiceDeps) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#collections = new ShortLivedCache(deps.clock, deps.cacheMs ?? 1000);
    this.#grants = new ShortLivedCache(deps.clock, deps.cacheMs ?? 1000);
  }

  /** Creates a collection; the id and alias must be URL-safe and not taken by another id or alias. */
  async create(input: NewCollection): Promise<Collection> {
    const id = input.id ?? randomUUID();
    if (!URL_SAFE.test(id)) throw new EntenteError('ENTENTE_INVALID_PARAMETER', `Collection id ${JSON.stringify(id)} must be 1-128 URL-safe characters`);
    if (input.alias !== undefined && !URL_SAFE.test(input.alias)) {
      throw new EntenteError('ENTENTE_INVALID_PARAMETER', `Collection alias ${JSON.stringify(input.alias)} must be 1-128 URL-safe characters`);
    }
    if (input.title.trim() === '') throw new EntenteError('ENTENTE_INVALID_PARAMETER', 'A collection needs a title');
    for (const key of [id, input.alias]) {
      if (key !== undefined && (await this.#store.getCollection(key)) !== undefined) {
        throw new EntenteError('ENTENTE_CONFLICT', `A collection with id or alias ${key} already exists`);
      }
    }
    const collection: Collection = {
      id,
      title: input.title,
      mediaTypes: input.mediaTypes ?? DEFAULT_MEDIA_TYPES,
      createdAt: stixNow(this.#clock),
      ...(input.description === undefined ? {} : { description: input.description }),
      ...(input.alias === undefined ? {} : { alias: input.alias }),
    };
    await this.#changed(this.#store.createCollection(collection));
    return collection;
  }

  /** Every collection, for administration (no rights filter). */
  async listAll(): Promise<ReadonlyArray<Collection>> {
    return this.#store.listCollections();
  }

  /** The collections the principal can read or write, with its rights on each. */
  async listVisible(principal: Principal): Promise<ReadonlyArray<VisibleCollection>> {
    const collections = await this.#store.listCollections();
    if (isAdmin(principal)) return collections.map((collection) => ({ collection, ...ALL }));
    const grants = await this.#store.listGrants({ principal: principal.name });
    const byCollection = new Map(grants.map((g) => [g.collectionId, g]));
    return collections.flatMap((collection) => {
      const rights = this.#fromGrant(principal, byCollection.get(collection.id));
      return rights.canRead || rights.canWrite ? [{ collection, ...rights }] : [];
    });
  }

  /** Ids of the collections the principal can read: the scope of its searches and graph walks. */
  async readableIds(principal: Principal): Promise<ReadonlyArray<string>> {
    return (await this.listVisible(principal)).filter((v) => v.canRead).map((v) => v.collection.id);
  }

  /** What the principal may do in a collection (given by id); admin may do everything. */
  async rights(principal: Principal, collectionId: string): Promise<Rights> {
    if (isAdmin(principal)) return ALL;
    return this.#fromGrant(principal, await this.#grantOf(collectionId, principal.name));
  }

  /**
   * The collection named by id or alias if the principal may use it as asked. A collection the
   * principal cannot see at all is reported as absent (404), because its existence is itself
   * sensitive; one it can see but not use as asked is a 403.
   */
  async resolve(principal: Principal, idOrAlias: string, need: 'read' | 'write' | 'see' = 'see'): Promise<VisibleCollection> {
    const collection = await this.#collectionOf(idOrAlias);
    const rights = collection === undefined ? NONE : await this.rights(principal, collection.id);
    if (collection === undefined || (!rights.canRead && !rights.canWrite)) {
      throw new EntenteError('ENTENTE_COLLECTION_NOT_FOUND', `No collection ${idOrAlias}`);
    }
    if (need === 'read' && !rights.canRead) throw new EntenteError('ENTENTE_FORBIDDEN', `${principal.name} may not read collection ${idOrAlias}`);
    if (need === 'write' && !rights.canWrite) throw new EntenteError('ENTENTE_FORBIDDEN', `${principal.name} may not write to collection ${idOrAlias}`);
    return { collection, ...rights };
  }

  /** Deletes a collection and, through the store, its objects and grants. */
  async delete(idOrAlias: string): Promise<void> {
    const collection = await this.#store.getCollection(idOrAlias);
    if (collection === undefined || !(await this.#changed(this.#store.deleteCollection(collection.id)))) {
      throw new EntenteError('ENTENTE_COLLECTION_NOT_FOUND', `No collection ${idOrAlias}`);
    }
  }

  /** Sets (replaces) a user's rights on a collection; both false removes its access. */
  async grant(idOrAlias: string, userName: string, rights: Rights): Promise<Grant> {
    const collection = await this.#store.getCollection(idOrAlias);
    if (collection === undefined) throw new EntenteError('ENTENTE_COLLECTION_NOT_FOUND', `No collection ${idOrAlias}`);
    // A grant to a misspelt name would give nobody access, and a user created later under that name would inherit it.
    if ((await this.#store.getUser(userName)) === undefined) throw new EntenteError('ENTENTE_NOT_FOUND', `No user ${userName}`, [{ path: 'user', message: 'not found' }]);
    const grant: Grant = { collectionId: collection.id, principal: userName, canRead: rights.canRead, canWrite: rights.canWrite };
    await this.#changed(this.#store.setGrant(grant));
    return grant;
  }

  async listGrants(idOrAlias?: string): Promise<ReadonlyArray<Grant>> {
    if (idOrAlias === undefined) return this.#store.listGrants();
    const collection = await this.#store.getCollection(idOrAlias);
    if (collection === undefined) throw new EntenteError('ENTENTE_COLLECTION_NOT_FOUND', `No collection ${idOrAlias}`);
    return this.#store.listGrants({ collectionId: collection.id });
  }

  async #collectionOf(idOrAlias: string): Promise<Collection | undefined> {
    const generation = this.#collections.generation;
    const cached = this.#collections.get(idOrAlias);
    if (cached !== undefined) return cached;
    const collection = await this.#store.getCollection(idOrAlias);
    if (collection !== undefined) this.#collections.set(idOrAlias, collection, generation);
    return collection;
  }

  async #grantOf(collectionId: string, principal: string): Promise<Grant | undefined> {
    const key = `${collectionId}\u0000${principal}`;
    const generation = this.#grants.generation;
    const cached = this.#grants.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const [grant] = await this.#store.listGrants({ collectionId, principal });
    this.#grants.set(key, grant ?? null, generation);
    return grant;
  }

  /** Awaits a change of collections or grants, then forgets what was remembered, whatever came of it. */
  async #changed<T>(write: Promise<T>): Promise<T> {
    try {
      return await write;
    } finally {
      this.#collections.clear();
      this.#grants.clear();
    }
  }

  // The read-only role caps any grant at reading, whatever an administrator granted.
  #fromGrant(principal: Principal, grant: Grant | undefined): Rights {
    if (grant === undefined) return NONE;
    const readOnly = principal.roles.length > 0 && principal.roles.every((r) => r === 'read-only');
    return { canRead: grant.canRead, canWrite: grant.canWrite && !readOnly };
  }
}
