import { randomUUID } from 'node:crypto';
import { EntenteError } from '../../core/errors.js';
import { stixNow, type Clock } from '../../ports/clock.js';
import type {
  CollectionStore, Neighbourhood, NeighbourQuery, ObjectPage, ObjectQuery, ObjectStore, SearchPage, StatusPage, StatusResource, StatusStore,
  StixLike, VersionSelector,
} from '../../ports/store.js';
import { isAdmin, type Principal } from '../accounts/principal.js';
import { isStixLike, objectsOf, planIngest, type ObjectResult } from './ingest-plan.js';
import type { LabelGate } from './label-gate.js';
import { statusFromReport } from './status-resource.js';
import type { ObjectFilters } from './taxii-filters.js';

export interface PageSizes {
  /** Used when the client names no limit. */
  readonly default: number;
  /** Any larger limit is clamped to this (TAXII 2.1 section 3.4: the server may return fewer). */
  readonly max: number;
}

export interface IntelServiceDeps {
  readonly store: ObjectStore & StatusStore & Pick<CollectionStore, 'getCollection'>;
  readonly clock: Clock;
  readonly pageSizes?: PageSizes;
  /** Absent until the labels feature lands: then no label check is made (see LabelGate). */
  readonly labelGate?: LabelGate;
}

export interface IngestOptions {
  /** Warnings of the validator become errors. */
  readonly strict?: boolean;
  /** Write the valid objects and report the invalid ones, instead of all-or-nothing. */
  readonly partial?: boolean;
  readonly actor: { readonly name: string };
  /** Throughput hint for long imports (see WriteOptions.bulk). */
  readonly bulk?: boolean;
}

export interface IngestReport {
  readonly collectionId: string;
  /** When the request was taken (the `date_added` of what it added). */
  readonly requestedAt: string;
  readonly total: number;
  readonly added: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly notWritten: number;
  /** One entry per input object, in input order. */
  readonly results: ReadonlyArray<ObjectResult>;
}

export interface SearchInput {
  readonly text: string;
  readonly collectionIds?: ReadonlyArray<string>;
  readonly types?: ReadonlyArray<string>;
  readonly limit?: number;
  readonly cursor?: string;
}

export interface ExportFilters {
  readonly collectionId: string;
  readonly types?: ReadonlyArray<string>;
  readonly addedAfter?: string;
  readonly versions?: ReadonlyArray<VersionSelector>;
  readonly pageSize?: number;
}

export const DEFAULT_PAGE_SIZES: PageSizes = { default: 1000, max: 10_000 };

/** Intake, versioned storage and retrieval of STIX intelligence in collections. */
export class IntelService {
  readonly #store: IntelServiceDeps['store'];
  readonly #clock: Clock;
  readonly #pages: PageSizes;
  readonly #labelGate: LabelGate | undefined;

  constructor(deps: IntelServiceDeps) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#pages = deps.pageSizes ?? DEFAULT_PAGE_SIZES;
    this.#labelGate = deps.labelGate;
  }

  /** The page sizes in force, for the TAXII API root and for clients. */
  get pageSizes(): PageSizes {
    return this.#pages;
  }

  /**
   * Validates and stores objects (a TAXII envelope, a STIX bundle or an array) in a collection.
   * All-or-nothing unless `partial`: one rejected object means nothing is written. Every input
   * object gets a result with its errors and their JSON paths.
   */
  async ingest(collectionId: string, input: unknown, options: IngestOptions): Promise<IngestReport> {
    if ((await this.#store.getCollection(collectionId)) === undefined) {
      throw new EntenteError('ENTENTE_COLLECTION_NOT_FOUND', `No collection ${collectionId}`);
    }
    const requestedAt = stixNow(this.#clock);
    const { objects, base } = objectsOf(input);
    const plan = planIngest(objects, base, options.strict === true);
    const toWrite: Array<{ readonly index: number; readonly object: StixLike }> = [];
    for (const entry of plan) {
      if (entry.errors.length > 0) continue;
      if (!isStixLike(entry.object)) {
        // The validator requires both; this guards the store should it ever be lenient.
        entry.errors.push({ path: `${base}[${entry.index}]`, code: 'not-stix', message: 'not a STIX object: type and id are required' });
        continue;
      }
      const verdict = this.#labelGate?.check(entry.object, { collectionId, actor: options.actor.name }) ?? { kind: 'accept', object: entry.object };
      if (verdict.kind === 'reject') entry.errors.push({ path: `${base}[${entry.index}]`, code: 'label-refused', message: verdict.message });
      else toWrite.push({ index: entry.index, object: verdict.object });
    }
    const rejected = plan.filter((e) => e.errors.length > 0).length;
    const writeNow = options.partial === true || rejected === 0;
    const written = writeNow && toWrite.length > 0
      ? await this.#store.writeObjects(collectionId, toWrite.map((w) => w.object), { dateAdded: requestedAt, ...(options.bulk === true ? { bulk: true } : {}) })
      : [];
    const byIndex = new Map(toWrite.map((w, i) => [w.index, written[i]]));
    const results: ObjectResult[] = plan.map((entry) => {
      const common = { index: entry.index, id: entry.id, warnings: entry.warnings };
      if (entry.errors.length > 0) return { ...common, version: entry.version, outcome: 'rejected', errors: entry.errors };
      const write = byIndex.get(entry.index);
      if (write === undefined) {
        const message = `not written: the batch is all-or-nothing and ${rejected} object(s) in it were rejected`;
        return { ...common, version: entry.version, outcome: 'not-written', errors: [{ path: `${base}[${entry.index}]`, message }] };
      }
      return { ...common, version: write.version, outcome: write.outcome, errors: [] };
    });
    const count = (o: ObjectResult['outcome']): number => results.filter((r) => r.outcome === o).length;
    return {
      collectionId, requestedAt, total: results.length, results,
      added: count('added'), duplicates: count('duplicate'), rejected: count('rejected'), notWritten: count('not-written'),
    };
  }

  /** Saves the TAXII status resource of a finished ingest so that its poster can read it back. */
  async recordStatus(report: IngestReport, owner: Principal): Promise<StatusResource> {
    const status = statusFromReport(report, randomUUID(), owner.name);
    await this.#store.saveStatus(status);
    return status;
  }

  /**
   * A status resource (TAXII 2.1 section 4.3 Get Status) for its owner or an admin; to anyone
   * else it does not exist, since a status names the objects another user posted.
   */
  async status(id: string, principal: Principal): Promise<StatusResource> {
    const status = await this.#store.getStatus(id);
    if (status === undefined || (status.owner !== principal.name && !isAdmin(principal))) {
      throw new EntenteError('ENTENTE_NOT_FOUND', `No status ${id}`);
    }
    return status;
  }

  /** Status resources (import jobs) newest first: the caller's own, or everyone's to an admin. */
  async listStatuses(principal: Principal, page: { readonly limit?: number; readonly cursor?: string } = {}): Promise<StatusPage> {
    return this.#store.listStatuses({
      limit: Math.max(1, Math.min(page.limit ?? 100, 1000)),
      ...(isAdmin(principal) ? {} : { owner: principal.name }),
      ...(page.cursor === undefined ? {} : { cursor: page.cursor }),
    });
  }

  /** TAXII Get Objects (section 5.4): latest versions unless `versions` says otherwise. */
  async objects(collectionId: string, filters: ObjectFilters = {}): Promise<ObjectPage> {
    return this.#store.queryObjects(this.#query(collectionId, filters));
  }

  /** TAXII Get Object Manifests (section 5.3): same filters and paging as objects. */
  async manifest(collectionId: string, filters: ObjectFilters = {}): Promise<ObjectPage> {
    return this.#store.queryManifest(this.#query(collectionId, filters));
  }

  /** TAXII Get An Object (section 5.6): the versions of one id selected by the filters. */
  async object(collectionId: string, id: string, filters: ObjectFilters = {}): Promise<ObjectPage> {
    return this.#store.queryObjects(this.#query(collectionId, { ...filters, ids: [id] }));
  }

  /** TAXII Get Object Versions (section 5.8): every version, oldest first. */
  async versions(collectionId: string, id: string, filters: ObjectFilters = {}): Promise<ObjectPage> {
    return this.#store.listVersions({ ...this.#query(collectionId, filters), ids: [id], versions: ['all'] });
  }

  /** TAXII Delete An Object (section 5.7); returns how many versions were removed. */
  async deleteObject(collectionId: string, id: string, filters: Pick<ObjectFilters, 'versions' | 'specVersions'> = {}): Promise<number> {
    return this.#store.deleteObjects({
      collectionId, id,
      ...(filters.versions === undefined ? {} : { versions: filters.versions }),
      ...(filters.specVersions === undefined ? {} : { specVersions: filters.specVersions }),
    });
  }

  /** The latest version of an object, in any of the given collections (all when absent). */
  async latest(id: string, collectionIds?: ReadonlyArray<string>): Promise<StixLike | undefined> {
    return this.#store.getLatest(id, collectionIds);
  }

  /** Full-text search; the caller scopes it to the collections the user can read. */
  async search(input: SearchInput): Promise<SearchPage> {
    if (input.text.trim() === '') throw new EntenteError('ENTENTE_INVALID_PARAMETER', 'Parameter q: the search text is empty', [{ path: 'q', message: 'empty' }]);
    return this.#store.search({
      text: input.text,
      limit: this.#clamp(input.limit),
      ...(input.collectionIds === undefined ? {} : { collectionIds: input.collectionIds }),
      ...(input.types === undefined ? {} : { types: input.types }),
      ...(input.cursor === undefined ? {} : { cursor: input.cursor }),
    });
  }

  /** The relationship neighbourhood of an object to depth 1 or 2. */
  async neighbours(query: NeighbourQuery): Promise<Neighbourhood> {
    if (query.depth !== 1 && query.depth !== 2) throw new EntenteError('ENTENTE_INVALID_PARAMETER', 'Parameter depth: must be 1 or 2', [{ path: 'depth', message: 'must be 1 or 2' }]);
    return this.#store.neighbours(query);
  }

  /** Every matching object of a collection, page by page (keyset paging), for exports. */
  async *exportBundle(filters: ExportFilters): AsyncGenerator<ReadonlyArray<StixLike>, void, undefined> {
    let cursor: string | undefined;
    do {
      const page = await this.#store.queryObjects(this.#query(filters.collectionId, {
        limit: filters.pageSize ?? this.#pages.max,
        ...(filters.types === undefined ? {} : { types: filters.types }),
        ...(filters.addedAfter === undefined ? {} : { addedAfter: filters.addedAfter }),
        ...(filters.versions === undefined ? {} : { versions: filters.versions }),
        ...(cursor === undefined ? {} : { cursor }),
      }));
      if (page.objects.length > 0) yield page.objects.map((o) => o.object);
      cursor = page.next;
    } while (cursor !== undefined);
  }

  /** Counts for metrics and the CLI. */
  async count(collectionId?: string): Promise<number> {
    return this.#store.countObjects(collectionId);
  }

  #clamp(limit: number | undefined): number {
    return Math.max(1, Math.min(limit ?? this.#pages.default, this.#pages.max));
  }

  #query(collectionId: string, f: ObjectFilters): ObjectQuery {
    return {
      collectionId,
      limit: this.#clamp(f.limit),
      ...(f.ids === undefined ? {} : { ids: f.ids }),
      ...(f.types === undefined ? {} : { types: f.types }),
      ...(f.versions === undefined ? {} : { versions: f.versions }),
      ...(f.specVersions === undefined ? {} : { specVersions: f.specVersions }),
      ...(f.addedAfter === undefined ? {} : { addedAfter: f.addedAfter }),
      ...(f.cursor === undefined ? {} : { cursor: f.cursor }),
    };
  }
}
