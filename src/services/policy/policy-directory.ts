import type { Clock } from '../../ports/clock.js';
import type { PolicyStore } from '../../ports/policy-store.js';
import type { Agreement, Organisation } from '../../core/policy/types.js';

/** The organisations and agreements decisions are made on, as last read from the store. */
export interface DirectoryState {
  readonly organisations: ReadonlyMap<string, Organisation>;
  readonly agreements: ReadonlyArray<Agreement>;
}

/**
 * A short-lived cache of the directory and the agreements: every TAXII page needs them, and they
 * change rarely. Changes made through this process invalidate it at once; changes made by
 * another process (the CLI, another API process on the same database) are seen within `ttlMs`.
 */
export class PolicyDirectory {
  readonly #store: Pick<PolicyStore, 'listOrganisations' | 'listAgreements'>;
  readonly #clock: Clock;
  readonly #ttlMs: number;
  #cached: { readonly state: DirectoryState; readonly until: number } | undefined;

  constructor(store: Pick<PolicyStore, 'listOrganisations' | 'listAgreements'>, clock: Clock, ttlMs = 2000) {
    this.#store = store;
    this.#clock = clock;
    this.#ttlMs = ttlMs;
  }

  async state(): Promise<DirectoryState> {
    const now = this.#clock.now();
    if (this.#cached !== undefined && now < this.#cached.until) return this.#cached.state;
    const [organisations, agreements] = await Promise.all([this.#store.listOrganisations(), this.#store.listAgreements()]);
    const state = { organisations: new Map(organisations.map((o) => [o.code, o])), agreements: agreements.map((r) => r.agreement) };
    this.#cached = { state, until: now + this.#ttlMs };
    return state;
  }

  invalidate(): void {
    this.#cached = undefined;
  }
}
