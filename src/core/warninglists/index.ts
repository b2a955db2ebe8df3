/** Warninglists: known-benign values that suppress indicators and matches (docs/detection.md). */
export type * from './types.js';
export { VALUE_TYPES, WARNINGLIST_KINDS } from './types.js';
export { BUILTIN_WARNINGLISTS } from './builtin-lists.js';
export { WarninglistMatcher, normaliseDomain, urlHost } from './matcher.js';
export { parseWarninglists } from './parse-list.js';
export { patternValues, indicatorWarninglisted, matchedValues, matchWarninglisted, inferType } from './pattern-values.js';
export { WarninglistGuard, type SuppressedIndicator, type SuppressedMatch } from './guard.js';
