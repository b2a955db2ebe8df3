/**
 * Dry runs of agreements: what a party would receive if an agreement were in force now, over
 * everything the node holds, and what would change between two versions. Nothing is logged:
 * nothing leaves the node.
 */
import { EntenteError } from '../../core/errors.js';
import { printBanner } from '../../core/labels/index.js';
import { compareRuns, diffAgreements, summarise, type AgreementChange, type OutcomeChange, type SimulationEntry, type SimulationSummary } from '../../core/policy/simulation.js';
import type { Agreement } from '../../core/policy/types.js';
import type { CollectionStore, ObjectStore, StixLike } from '../../ports/store.js';
import type { PolicyDirectory } from './policy-directory.js';
import type { ReleaseService } from './release-service.js';

export interface SimulationOptions {
  /** Only these collections (ids); all when absent. */
  readonly collectionIds?: ReadonlyArray<string>;
  /** How many examples per group (default 5). */
  readonly examples?: number;
  /** Called after each page with the number of objects decided so far. */
  readonly onProgress?: (decided: number) => void;
}

export interface SimulationResult {
  readonly agreement: { readonly id: string; readonly version: number; readonly status: string };
  readonly party: string;
  readonly summary: SimulationSummary;
}

export interface SimulationDiff {
  readonly party: string;
  readonly changes: ReadonlyArray<AgreementChange>;
  readonly before: SimulationSummary;
  readonly after: SimulationSummary;
  /** Objects whose outcome differs between the two versions. */
  readonly outcomes: ReadonlyArray<OutcomeChange>;
}

const PAGE = 1000;

export class AgreementSimulator {
  readonly #store: Pick<ObjectStore, 'queryObjects'> & Pick<CollectionStore, 'listCollections'>;
  readonly #release: ReleaseService;
  readonly #directory: PolicyDirectory;

  constructor(deps: { readonly store: Pick<ObjectStore, 'queryObjects'> & Pick<CollectionStore, 'listCollections'>; readonly release: ReleaseService; readonly directory: PolicyDirectory }) {
    this.#store = deps.store;
    this.#release = deps.release;
    this.#directory = deps.directory;
  }

  /**
   * What `party` would receive if `agreement` were active now. The party is judged under this
   * agreement alone; every other agreement in force stays, since agreements with third parties
   * decide what may be passed on to the party.
   */
  async simulate(agreement: Agreement, party: string, options: SimulationOptions = {}): Promise<SimulationResult> {
    const entries = await this.#run(agreement, party, options);
    return {
      agreement: { id: agreement.id, version: agreement.version, status: agreement.status }, party,
      summary: summarise(`peer:${party}`, entries, options.examples ?? 5),
    };
  }

  /** Both versions run over the same objects, and the objects whose outcome changes. */
  async compare(before: Agreement, after: Agreement, party: string, options: SimulationOptions = {}): Promise<SimulationDiff> {
    const a = await this.#run(before, party, options);
    const b = await this.#run(after, party, options);
    const examples = options.examples ?? 5;
    return {
      party, changes: diffAgreements(before, after),
      before: summarise(`peer:${party}`, a, examples), after: summarise(`peer:${party}`, b, examples), outcomes: compareRuns(a, b),
    };
  }

  async #run(agreement: Agreement, party: string, options: SimulationOptions): Promise<ReadonlyArray<SimulationEntry>> {
    // Only a party other than the node receives anything under the agreement: a simulation for
    // anyone else would only say "no agreement", which reads like an answer.
    const node = this.#release.node.organisation.code;
    if (!agreement.parties.includes(party) || party === node) {
      const why = party === node ? `${party} is this node's own organisation` : `${party} is not a party to ${agreement.id}`;
      throw new EntenteError('ENTENTE_INVALID_PARAMETER', `${why}: simulate for one of ${agreement.parties.filter((p) => p !== node).join(', ')}`, [{ path: 'party', message: why }]);
    }
    const state = await this.#directory.state();
    const candidate: Agreement = { ...agreement, status: 'active' };
    const others = state.agreements.filter((a) => a.id !== agreement.id);
    const recipient = await this.#release.prepare({ kind: 'party', code: party }, { agreements: [...others, candidate], onlyUnder: agreement.id });
    if (recipient === undefined) return [];
    const policies = this.#release.node.policies;
    const seen = new Set<string>();
    const entries: SimulationEntry[] = [];
    const collections = options.collectionIds ?? (await this.#store.listCollections()).map((c) => c.id);
    for (const collectionId of collections) {
      let cursor: string | undefined;
      do {
        const page = await this.#store.queryObjects({ collectionId, limit: PAGE, ...(cursor === undefined ? {} : { cursor }) });
        const objects: StixLike[] = page.objects.map((o) => o.object).filter((o) => !seen.has(o.id));
        for (const o of objects) seen.add(o.id);
        const decisions = await this.#release.decideAll(recipient, objects);
        const labelsOf = await this.#release.labelsOfAll(objects);
        for (const [i, object] of objects.entries()) {
          const decision = decisions[i];
          if (decision === undefined) continue;
          let banner: string;
          try {
            banner = printBanner(labelsOf(object).object, policies);
          } catch {
            banner = 'UNREADABLE LABEL';
          }
          entries.push({ object, decision, banner });
        }
        options.onProgress?.(entries.length);
        cursor = page.next;
      } while (cursor !== undefined);
    }
    return entries;
  }
}
