/** The STIX patterning engine: parse, check, print and evaluate STIX 2.1 patterns (section 9). */
export type * from './ast.js';
export { parsePattern } from './parse.js';
export { printPattern, printPath, printLiteral } from './printer.js';
export { matchPattern, observationMatches, testExpression, type MatchResult } from './evaluator.js';
export { readObservations, type Observation, type StixObject } from './observations.js';
export { errorColumn } from './pattern-error.js';
export { PatternIndex } from './pattern-index.js';
export { CompactIocIndex, IndicatorIndex, simpleIocKeys } from './compact-iocs.js';
