/**
 * The public surface of the STIX 2.1 domain: validation of objects and bundles, titles for
 * listings, timestamps, deterministic SCO ids, and the types of every STIX object. Everything here
 * is pure (no I/O, no clock).
 */
export { validateObject, validateBundle } from './validate.js';
export { validationError } from './validation-error.js';
export { titleOf } from './title.js';
export { normaliseTimestamp } from './timestamp.js';
export { compareTimestamps, isStixTimestamp } from './timestamp-order.js';
export { deterministicScoId, SCO_ID_NAMESPACE } from './sco-id.js';
export { canonicalJson } from './canonical-json.js';
export { parseIdentifier, typeOfId, categoryOf, SDO_TYPES, SRO_TYPES, SCO_TYPES, META_TYPES } from './identifier.js';
export { TLP1_MARKING_IDS, TLP2_MARKING_IDS, TLP2_EXTENSION_ID } from './rules/marking-rules.js';
export type { ParsedIdentifier } from './identifier.js';
export type { ValidationIssue, ValidationOptions, ValidationResult, BundleValidationResult } from './validation-result.js';
export type * from './types/index.js';
