import { EntenteError } from '../errors.js';

/**
 * The one error a pattern can raise: `ENTENTE_PATTERN_INVALID`, with a detail whose path is
 * `column N` (1-based) so that tools can put a caret under the problem.
 */
export function patternError(column: number, message: string): EntenteError {
  return new EntenteError('ENTENTE_PATTERN_INVALID', `Invalid STIX pattern at column ${column}: ${message}`, [
    { path: `column ${column}`, message },
  ]);
}

/** The column carried by a pattern error, when there is one. */
export function errorColumn(error: EntenteError): number | undefined {
  const path = error.details[0]?.path;
  const m = path === undefined ? null : /^column (\d+)$/.exec(path);
  return m === null ? undefined : Number(m[1]);
}
