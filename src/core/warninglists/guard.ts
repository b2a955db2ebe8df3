/**
 * Warninglists applied to detection: indicators wholly made of benign values are taken out
 * before matching (reported with their list), and a match whose values are all benign is
 * counted by list instead of reported.
 */
import { isEntenteError } from '../errors.js';
import { parsePattern, type Observation, type PatternExpression } from '../pattern/index.js';
import type { WarninglistMatcher } from './matcher.js';
import { indicatorWarninglisted, matchWarninglisted } from './pattern-values.js';

export interface SuppressedIndicator {
  readonly id: string;
  readonly list: string;
  readonly entry: string;
}

export interface SuppressedMatch {
  readonly id: string;
  readonly list: string;
  readonly value: string;
}

/** Parsed patterns kept for matched indicators only: matches are rare, indicators many. */
const MAX_CACHED = 10_000;

export class WarninglistGuard {
  readonly #matcher: WarninglistMatcher;
  readonly #asts = new Map<string, PatternExpression | null>();
  /** Suppressed matches per list. */
  readonly matchesByList = new Map<string, number>();
  /** The first suppressed matches, for the report. */
  readonly samples: SuppressedMatch[] = [];

  constructor(matcher: WarninglistMatcher) {
    this.#matcher = matcher;
  }

  /** The indicators (id → pattern text) that name only warninglisted values. */
  screenIndicators(patterns: ReadonlyMap<string, string>): SuppressedIndicator[] {
    const out: SuppressedIndicator[] = [];
    for (const [id, text] of patterns) {
      const ast = this.#parse(text);
      const hit = ast === null ? undefined : indicatorWarninglisted(ast, this.#matcher);
      if (hit !== undefined) out.push({ id, ...hit });
    }
    return out;
  }

  /** Whether a match of this indicator on this observation is only on warninglisted values; counts it when so. */
  screenMatch(id: string, pattern: string, observation: Observation): SuppressedMatch | undefined {
    let ast = this.#asts.get(id);
    if (ast === undefined) {
      ast = this.#parse(pattern);
      if (this.#asts.size < MAX_CACHED) this.#asts.set(id, ast);
    }
    if (ast === null) return undefined;
    const hit = matchWarninglisted(ast, observation, this.#matcher);
    if (hit === undefined) return undefined;
    const suppressed = { id, list: hit.list, value: hit.value };
    this.matchesByList.set(hit.list, (this.matchesByList.get(hit.list) ?? 0) + 1);
    if (this.samples.length < 10) this.samples.push(suppressed);
    return suppressed;
  }

  #parse(text: string): PatternExpression | null {
    try {
      return parsePattern(text);
    } catch (error) {
      if (isEntenteError(error)) return null;
      throw error;
    }
  }
}
