import { randomUUID } from 'node:crypto';
import { EntenteError } from '../../core/errors.js';
import { referencesOf } from '../../core/policy/release-set.js';
import type { ChangeFeed, IntelChange } from '../../ports/bus.js';
import { stixNow, type Clock } from '../../ports/clock.js';
import type {
  CollectionStore, GraphEdge, Neighbourhood, NeighbourQuery, ObjectPage, ObjectQuery, ObjectStore, SearchPage, StatusPage, StatusResource, StatusStore,
  StixLike, VersionSelector,
} from '../../ports/store.js';
import { isAdmin, type Principal } from '../accounts/principal.js';
import { isStixLike, objectsOf, planIngest, type ObjectResult } from './ingest-plan.js';
import type { LabelGate } from './label-gate.js';
import type { ReleaseGate, Reader } from './release-gate.js';
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
  /** Refuses objects whose markings cannot be read; absent only in unit tests of the service. */
  readonly labelGate?: LabelGate;
  /** The release decision on every read; absent only in unit tests of the service (then every read is unfiltered). */
  readonly release?: ReleaseGate;
  /**
   * Told of every successful write after it is stored. Best-effort: a publish that fails is
   * counted and reported to `onChangeLost`, never fails the ingest (consumers catch up from the store).
   */
  readonly changes?: ChangeFeed;
  readonly onChangeLost?: (error: unknown, change: IntelChange) => void;
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
  readonly #release: ReleaseGate | undefined;
  readonly #changes: ChangeFeed | undefined;
  readonly #onChangeLost: IntelServiceDeps['onChangeLost'];
  #changesLost = 0;

  constructor(deps: IntelServiceDeps) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#pages = deps.pageSizes ?? DEFAULT_PAGE_SIZES;
    this.#labelGate = deps.labelGate;
    this.#release = deps.release;
    this.#changes = deps.changes;
    this.#onChangeLost = deps.onChangeLost;
  }

  /** Change events that could not be published since start (see docs/bus.md). */
  get changesLost(): number {
    return this.#changesLost;
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
      toWrite.push({ index: entry.index, object: entry.object });
    }
    if (this.#labelGate !== undefined && toWrite.length > 0) {
      const verdicts = await this.#labelGate.check(toWrite.map((w) => w.object));
      const refused = new Set<number>();
      verdicts.forEach((verdict, i) => {
        const w = toWrite[i];
        if (verdict.kind === 'accept' || w === undefined) return;
        const entry = plan.find((e) => e.index === w.index);
        const path = verdict.path === undefined ? `${base}[${w.index}]` : verdict.path.replace(/^\$/, `${base}[${w.index}]`);
        entry?.errors.push({ path, code: 'label-refused', message: verdict.message });
        refused.add(i);
      });
      if (refused.size > 0) toWrite.splice(0, toWrite.length, ...toWrite.filter((_, i) => !refused.has(i)));
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
    const added = results.filter((r) => r.outcome === 'added');
    if (added.length > 0) await this.#announce({ kind: 'write', collectionId, at: requestedAt, objects: added.map((r) => ({ id: r.id, type: typeOf(r.id), version: r.version })) });
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
  async objects(collectionId: string, filters: ObjectFilters, reader: Reader): Promise<ObjectPage> {
    return this.#released(await this.#store.queryObjects(this.#query(collectionId, filters)), reader);
  }

  /** TAXII Get Object Manifests (section 5.3): same filters and paging as objects. */
  async manifest(collectionId: string, filters: ObjectFilters, reader: Reader): Promise<ObjectPage> {
    const page = await this.#store.queryManifest(this.#query(collectionId, filters));
    if (this.#release === undefined || reader.audience.kind === 'operator' || page.objects.length === 0) return page;
    // A manifest names objects: it lists only what the reader may receive. The decision needs
    // the objects themselves, which a manifest query does not read.
    const full = await this.#store.queryObjects({ ...this.#query(collectionId, filters), ids: [...new Set(page.objects.map((o) => o.id))], versions: ['all'], limit: this.#pages.max });
    const released = await this.#release.releaseStored(reader.audience, full.objects, reader.channel);
    const keep = new Set(released.map((o) => `${o.id}|${o.version}`));
    return { ...page, objects: page.objects.filter((o) => keep.has(`${o.id}|${o.version}`)) };
  }

  /** TAXII Get An Object (section 5.6): the versions of one id selected by the filters. */
  async object(collectionId: string, id: string, filters: ObjectFilters, reader: Reader): Promise<ObjectPage> {
    return this.#released(await this.#store.queryObjects(this.#query(collectionId, { ...filters, ids: [id] })), reader);
  }

  /** TAXII Get Object Versions (section 5.8): every version, oldest first. */
  async versions(collectionId: string, id: string, filters: ObjectFilters, reader: Reader): Promise<ObjectPage> {
    return this.#released(await this.#store.listVersions({ ...this.#query(collectionId, filters), ids: [id], versions: ['all'] }), reader);
  }

  /** TAXII Delete An Object (section 5.7); returns how many versions were removed. */
  async deleteObject(collectionId: string, id: string, filters: Pick<ObjectFilters, 'versions' | 'specVersions'> = {}): Promise<number> {
    const removed = await this.#store.deleteObjects({
      collectionId, id,
      ...(filters.versions === undefined ? {} : { versions: filters.versions }),
      ...(filters.specVersions === undefined ? {} : { specVersions: filters.specVersions }),
    });
    if (removed > 0) await this.#announce({ kind: 'delete', collectionId, at: stixNow(this.#clock), objects: [{ id, type: typeOf(id), version: '*' }] });
    return removed;
  }

  /** The latest version of an object, in any of the given collections (all when absent). */
  async latest(id: string, collectionIds: ReadonlyArray<string> | undefined, reader: Reader): Promise<StixLike | undefined> {
    const found = await this.#store.getLatest(id, collectionIds);
    if (found === undefined || this.#release === undefined) return found;
    return (await this.#release.releaseObjects(reader.audience, [found], reader.channel))[0];
  }

  /** Full-text search; the caller scopes it to the collections the user can read. */
  async search(input: SearchInput, reader: Reader): Promise<SearchPage> {
    if (input.text.trim() === '') throw new EntenteError('ENTENTE_INVALID_PARAMETER', 'Parameter q: the search text is empty', [{ path: 'q', message: 'empty' }]);
    const page = await this.#store.search({
      text: input.text,
      limit: this.#clamp(input.limit),
      ...(input.collectionIds === undefined ? {} : { collectionIds: input.collectionIds }),
      ...(input.types === undefined ? {} : { types: input.types }),
      ...(input.cursor === undefined ? {} : { cursor: input.cursor }),
    });
    if (this.#release === undefined || page.hits.length === 0) return page;
    const released = new Map((await this.#release.releaseObjects(reader.audience, page.hits.map((h) => h.object), reader.channel)).map((o) => [o.id, o]));
    const hits = page.hits.flatMap((h) => {
      const object = released.get(h.id);
      return object === undefined ? [] : [{ ...h, object }];
    });
    return { ...page, hits };
  }

  /** The relationship neighbourhood of an object to depth 1 or 2. */
  async neighbours(query: NeighbourQuery, reader: Reader): Promise<Neighbourhood> {
    if (query.depth !== 1 && query.depth !== 2) throw new EntenteError('ENTENTE_INVALID_PARAMETER', 'Parameter depth: must be 1 or 2', [{ path: 'depth', message: 'must be 1 or 2' }]);
    const graph = await this.#store.neighbours(query);
    if (this.#release === undefined || reader.audience.kind === 'operator') return graph;
    // An edge is shown only when both its ends and the relationship or sighting that makes it
    // are released (the root is released: the caller checked).
    const inGraph = new Set(graph.objects.map((o) => o.id));
    const vias = [...new Set(graph.edges.flatMap((e) => (e.via !== undefined && !inGraph.has(e.via) ? [e.via] : [])))];
    const viaObjects = (await Promise.all(vias.map((id) => this.#store.getLatest(id, query.collectionIds)))).filter((o): o is StixLike => o !== undefined);
    const released = await this.#release.releaseObjects(reader.audience, [...graph.objects, ...viaObjects], reader.channel);
    const shown = new Set([query.id, ...released.map((o) => o.id)]);
    // An end the node does not hold is shown when the object that names it (the relationship or
    // sighting, else the edge's source) went to the reader still naming it: redaction may have
    // removed the reference, and then the edge must not bring it back.
    const releasedById = new Map(released.map((o) => [o.id, o]));
    const missing = new Set(graph.missing);
    const named = (e: GraphEdge, end: string): boolean => {
      const carrier = releasedById.get(e.via ?? e.source);
      return carrier !== undefined && referencesOf(carrier).includes(end);
    };
    const reaches = (e: GraphEdge, end: string): boolean => shown.has(end) || (missing.has(end) && named(e, end));
    const edges = graph.edges.filter((e) => reaches(e, e.source) && reaches(e, e.target) && (e.via === undefined || shown.has(e.via)));
    return { objects: released.filter((o) => inGraph.has(o.id)), edges, missing: graph.missing.filter((id) => edges.some((e) => e.source === id || e.target === id)) };
  }

  /** Every matching object of a collection, page by page (keyset paging), for exports. */
  async *exportBundle(filters: ExportFilters, reader: Reader): AsyncGenerator<ReadonlyArray<StixLike>, void, undefined> {
    let cursor: string | undefined;
    do {
      const page = await this.#store.queryObjects(this.#query(filters.collectionId, {
        limit: filters.pageSize ?? this.#pages.max,
        ...(filters.types === undefined ? {} : { types: filters.types }),
        ...(filters.addedAfter === undefined ? {} : { addedAfter: filters.addedAfter }),
        ...(filters.versions === undefined ? {} : { versions: filters.versions }),
        ...(cursor === undefined ? {} : { cursor }),
      }));
      const objects = this.#release === undefined ? page.objects.map((o) => o.object) : await this.#release.releaseObjects(reader.audience, page.objects.map((o) => o.object), reader.channel);
      if (objects.length > 0) yield objects;
      cursor = page.next;
    } while (cursor !== undefined);
  }

  /** Counts for metrics and the CLI. */
  async count(collectionId?: string): Promise<number> {
    return this.#store.countObjects(collectionId);
  }

  /** Publishes a change once it is stored; the write stands whatever the bus says. */
  async #announce(change: IntelChange): Promise<void> {
    if (this.#changes === undefined) return;
    try {
      await this.#changes.publish(change);
    } catch (error) {
      this.#changesLost++;
      this.#onChangeLost?.(error, change);
    }
  }

  async #released(page: ObjectPage, reader: Reader): Promise<ObjectPage> {
    if (this.#release === undefined || page.objects.length === 0) return page;
    return { ...page, objects: await this.#release.releaseStored(reader.audience, page.objects, reader.channel) };
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

/** The type part of a STIX id (`indicator` of `indicator--…`). */
function typeOf(id: string): string {
  return id.slice(0, Math.max(0, id.indexOf('--')));
}
