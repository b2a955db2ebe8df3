import type { Clock } from '../../ports/clock.js';

/**
 * Values remembered for `ttlMs` of the Clock, then read again. For facts every request needs
 * and that change rarely (who a token belongs to, a collection, a grant): the service that
 * changes them clears the cache at once, and a change made by another process on the same
 * store (the CLI) is seen within `ttlMs`. A ttl of 0 disables it. Bounded: past `max` entries
 * it starts again empty rather than keeping an order of use.
 */
export class ShortLivedCache<V> {
  readonly #entries = new Map<string, { readonly value: V; readonly until: number }>();
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #max: number;
  #generation = 0;

  constructor(clock: Clock, ttlMs: number, max = 10_000) {
    this.#clock = clock;
    this.#ttlMs = ttlMs;
    this.#max = max;
  }

  /** The value remembered under `key`, or undefined when absent or expired. */
  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    const now = this.#clock.now();
    // A clock set back (a simulated one restarted) must not stretch an entry's life.
    if (now < entry.until && now >= entry.until - this.#ttlMs) return entry.value;
    this.#entries.delete(key);
    return undefined;
  }

  /**
   * Counts the clears. Read it before reading what will be cached and hand it to `set`: a value
   * read before a change and stored after the clear that followed it would outlive the change.
   */
  get generation(): number {
    return this.#generation;
  }

  /** Remembers `value`, unless the cache was cleared since `generation` was read. */
  set(key: string, value: V, generation: number): void {
    if (this.#ttlMs <= 0 || generation !== this.#generation) return;
    if (this.#entries.size >= this.#max) this.#entries.clear();
    this.#entries.set(key, { value, until: this.#clock.now() + this.#ttlMs });
  }

  /** Forgets everything; call it once a change is written. */
  clear(): void {
    this.#generation++;
    this.#entries.clear();
  }
}
