import type { PatternExpression } from './ast.js';
import { checkPattern } from './checks.js';
import { parseSyntax } from './parser.js';

/**
 * Parses and checks a STIX 2.1 pattern. Throws `EntenteError('ENTENTE_PATTERN_INVALID')` whose
 * single detail has `path: 'column N'` and says what was expected there. Nothing else is thrown.
 */
export function parsePattern(text: string): PatternExpression {
  const { ast, positions } = parseSyntax(text);
  checkPattern(ast, positions);
  return ast;
}
