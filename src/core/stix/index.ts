/**
 * The public surface of the STIX 2.1 domain: validation of objects and bundles, titles for
 * listings, timestamp normalisation. Everything here is pure (no I/O, no clock).
 */
export { validateObject, validateBundle } from './validate.js';
export { titleOf } from './title.js';
export { normaliseTimestamp } from './timestamp.js';
export type { ValidationIssue, ValidationOptions, ValidationResult, BundleValidationResult } from './validation-result.js';
