import type { BundleValidationResult, ValidationIssue, ValidationOptions, ValidationResult } from './validation-result.js';

// Minimal first body; the table-driven validator replaces it.

function result(issues: ValidationIssue[], options: ValidationOptions | undefined): ValidationResult {
  const strict = options?.strict === true;
  const errors = issues.filter((i) => i.severity === 'error' || strict).map((i) => ({ ...i, severity: 'error' as const }));
  const warnings = strict ? [] : issues.filter((i) => i.severity === 'warning');
  return { valid: errors.length === 0, errors, warnings };
}

/** Validates one STIX 2.1 object; every issue's path starts with `path` (default `$`). */
export function validateObject(value: unknown, options?: ValidationOptions, path = '$'): ValidationResult {
  const issues: ValidationIssue[] = [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    issues.push({ severity: 'error', code: 'not-an-object', path, message: 'A STIX object must be a JSON object' });
  } else {
    const o = value as Record<string, unknown>;
    for (const p of ['type', 'id']) {
      if (typeof o[p] !== 'string') issues.push({ severity: 'error', code: 'required-property', path: `${path}.${p}`, message: `${p} is required` });
    }
  }
  return result(issues, options);
}

/** Validates a STIX 2.1 bundle and each of its objects (paths `$.objects[i]...`). */
export function validateBundle(value: unknown, options?: ValidationOptions): BundleValidationResult {
  const issues: ValidationIssue[] = [];
  const objects: ValidationResult[] = [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    issues.push({ severity: 'error', code: 'not-an-object', path: '$', message: 'A bundle must be a JSON object' });
  } else {
    const b = value as Record<string, unknown>;
    if (b['type'] !== 'bundle') issues.push({ severity: 'error', code: 'invalid-bundle', path: '$.type', message: 'type must be "bundle"' });
    if (Array.isArray(b['objects'])) b['objects'].forEach((o, i) => objects.push(validateObject(o, options, `$.objects[${i}]`)));
  }
  const own = result(issues, options);
  const errors = [...own.errors, ...objects.flatMap((o) => o.errors)];
  const warnings = [...own.warnings, ...objects.flatMap((o) => o.warnings)];
  return { valid: errors.length === 0, errors, warnings, objects };
}
