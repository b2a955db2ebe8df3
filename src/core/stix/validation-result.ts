/**
 * What the STIX validator returns. Errors break a MUST of STIX 2.1; warnings break a SHOULD or
 * flag something only tolerated (strict mode turns those into errors). Every issue carries the
 * JSON path of the offending value, e.g. `$.objects[2].valid_from`.
 */
export interface ValidationIssue {
  readonly severity: 'error' | 'warning';
  /** Stable rule code, e.g. `required-property`, `invalid-ref-type`, `modified-before-created`. */
  readonly code: string;
  readonly path: string;
  readonly message: string;
}

export interface ValidationOptions {
  /** Refuse what the specification only tolerates: warnings become errors. */
  readonly strict?: boolean;
  /**
   * Parse the `pattern` of indicators whose pattern_type is `stix` (default true). Turn off only
   * for trusted bulk loads: parsing is the most expensive check on indicator-heavy feeds.
   */
  readonly patterns?: boolean;
}

export interface ValidationResult {
  readonly valid: boolean;
  readonly errors: ReadonlyArray<ValidationIssue>;
  readonly warnings: ReadonlyArray<ValidationIssue>;
}

/** The result for a bundle: the whole, and one result per entry of `objects` (same order). */
export interface BundleValidationResult extends ValidationResult {
  readonly objects: ReadonlyArray<ValidationResult>;
}
