import { EntenteError } from '../errors.js';
import type { ValidationResult } from './validation-result.js';

/** At most this many issues travel in `details`; the message says how many there were. */
const MAX_DETAILS = 100;

/**
 * The EntenteError an interface should raise for a failed validation, or undefined when it
 * passed. Duplicates alone map to ENTENTE_STIX_DUPLICATE_ID, wrong reference targets alone to
 * ENTENTE_STIX_INVALID_REF, anything else to ENTENTE_STIX_INVALID; `details` carries each error's
 * path, message and rule code.
 */
export function validationError(result: ValidationResult): EntenteError | undefined {
  const first = result.errors[0];
  if (result.valid || first === undefined) return undefined;
  const codes = new Set(result.errors.map((e) => e.code));
  const only = codes.size === 1 ? first.code : undefined;
  const code = only === 'duplicate-object' ? 'ENTENTE_STIX_DUPLICATE_ID' : only === 'invalid-ref-type' ? 'ENTENTE_STIX_INVALID_REF' : 'ENTENTE_STIX_INVALID';
  const count = result.errors.length;
  const message = `${count} STIX error${count === 1 ? '' : 's'}; first at ${first.path}: ${first.message}`;
  const details = result.errors.slice(0, MAX_DETAILS).map((e) => ({ path: e.path, message: e.message, code: e.code }));
  return new EntenteError(code, message, details);
}
