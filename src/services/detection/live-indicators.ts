/**
 * The indicators a detection worker matches, kept current one indicator at a time: the same
 * choice as `selectIndicators` (latest version, STIX patterns only, neither revoked nor past
 * `valid_until`, STIX 2.1 section 4.7), applied incrementally through IndicatorIndex.add/remove so
 * that a change on the feed costs one indicator, not a rebuild.
 */
import { isEntenteError } from '../../core/errors.js';
import { IndicatorIndex, type Observation } from '../../core/pattern/index.js';
import { latestIndicators } from '../../core/telemetry/indicators.js';

type Stix = Readonly<Record<string, unknown>>;

/** What applying one object did to the index. */
export type IndexChange =
  | { readonly kind: 'added' | 'replaced'; readonly id: string }
  | { readonly kind: 'removed'; readonly id: string; readonly reason: string }
  | { readonly kind: 'unchanged'; readonly id: string }
  | { readonly kind: 'invalid'; readonly id: string; readonly reason: string };

export class LiveIndicators {
  // Simple IOCs (equality on values, CIDR blocks) in the compact index, the rest in PatternIndex.
  readonly #index = new IndicatorIndex();
  readonly #patterns = new Map<string, string>();
  /** `modified` of the version held, so that a late, older version never replaces a newer one. */
  readonly #versions = new Map<string, string>();
  readonly #until = new Map<string, number>();
  #nextExpiry = Number.POSITIVE_INFINITY;

  get size(): number {
    return this.#index.size;
  }

  pattern(id: string): string | undefined {
    return this.#patterns.get(id);
  }

  /** Loads many objects (bundles opened, any type); the latest version of each indicator wins. */
  load(objects: Iterable<unknown>, nowMs: number): ReadonlyArray<IndexChange> {
    const latest = latestIndicators(objects);
    return [...latest.values()].map((o) => this.apply(o['id'] as string, o, nowMs));
  }

  /**
   * Brings one indicator up to date with its latest stored version; `undefined` means the store
   * no longer has it (deleted). An older version than the one held changes nothing.
   */
  apply(id: string, latest: unknown, nowMs: number): IndexChange {
    if (latest === undefined) return this.#remove(id, 'deleted');
    if (!isRecord(latest) || latest['type'] !== 'indicator') return { kind: 'unchanged', id };
    const modified = String(latest['modified'] ?? latest['created'] ?? '');
    const held = this.#versions.get(id);
    if (held !== undefined && modified < held) return { kind: 'unchanged', id };
    this.#versions.set(id, modified);
    if (latest['revoked'] === true) return this.#remove(id, 'revoked');
    const until = typeof latest['valid_until'] === 'string' ? Date.parse(latest['valid_until']) : Number.NaN;
    if (!Number.isNaN(until) && until <= nowMs) return this.#remove(id, 'expired');
    if (latest['pattern_type'] !== undefined && latest['pattern_type'] !== 'stix') return this.#remove(id, `pattern_type ${String(latest['pattern_type'])}`);
    const pattern = latest['pattern'];
    if (typeof pattern !== 'string') {
      this.#remove(id, 'no pattern');
      return { kind: 'invalid', id, reason: 'no pattern' };
    }
    const had = this.#patterns.has(id);
    try {
      this.#index.add(id, pattern);
    } catch (error) {
      if (!isEntenteError(error)) throw error;
      this.#remove(id, 'invalid pattern');
      return { kind: 'invalid', id, reason: error.details[0]?.message ?? error.message };
    }
    this.#patterns.set(id, pattern);
    if (Number.isNaN(until)) {
      this.#until.delete(id);
    } else {
      this.#until.set(id, until);
      this.#nextExpiry = Math.min(this.#nextExpiry, until);
    }
    return { kind: had ? 'replaced' : 'added', id };
  }

  /** Removes indicators whose `valid_until` has passed; cheap when none is due. */
  expire(nowMs: number): ReadonlyArray<IndexChange> {
    if (nowMs < this.#nextExpiry) return [];
    const out: IndexChange[] = [];
    this.#nextExpiry = Number.POSITIVE_INFINITY;
    for (const [id, until] of [...this.#until]) {
      if (until <= nowMs) out.push(this.#remove(id, 'expired'));
      else this.#nextExpiry = Math.min(this.#nextExpiry, until);
    }
    return out;
  }

  /** Ids of the indicators matching one observation. */
  match(observation: Observation): string[] {
    return this.#index.match(observation);
  }

  #remove(id: string, reason: string): IndexChange {
    this.#until.delete(id);
    this.#patterns.delete(id);
    // The version is remembered even on removal, so a late older version does not bring it back.
    return this.#index.remove(id) ? { kind: 'removed', id, reason } : { kind: 'unchanged', id };
  }
}

function isRecord(value: unknown): value is Stix {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
