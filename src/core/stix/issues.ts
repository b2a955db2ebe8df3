import type { ValidationIssue, ValidationOptions, ValidationResult } from './validation-result.js';

/**
 * Where checks report what they find. `strict` lets a check decide what only strict mode refuses;
 * `patterns` says whether indicator patterns are parsed.
 */
export interface IssueSink {
  readonly strict: boolean;
  readonly patterns: boolean;
  error(code: string, path: string, message: string): void;
  warn(code: string, path: string, message: string): void;
}

/** Collects issues in order; strict mode records every warning as an error. */
export class IssueCollector implements IssueSink {
  readonly strict: boolean;
  readonly patterns: boolean;
  readonly errors: ValidationIssue[] = [];
  readonly warnings: ValidationIssue[] = [];

  constructor(options?: ValidationOptions) {
    this.strict = options?.strict === true;
    this.patterns = options?.patterns !== false;
  }

  error(code: string, path: string, message: string): void {
    this.errors.push({ severity: 'error', code, path, message });
  }

  warn(code: string, path: string, message: string): void {
    if (this.strict) this.errors.push({ severity: 'error', code, path, message });
    else this.warnings.push({ severity: 'warning', code, path, message });
  }

  result(): ValidationResult {
    return { valid: this.errors.length === 0, errors: this.errors, warnings: this.warnings };
  }
}
