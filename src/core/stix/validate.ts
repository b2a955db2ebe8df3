/**
 * STIX 2.1 validation of objects and bundles. MUST rules of the specification produce errors,
 * SHOULD rules warnings; strict mode turns warnings into errors and refuses unknown properties.
 */
import type { BundleValidationResult, ValidationOptions, ValidationResult } from './validation-result.js';
import type { IssueSink } from './issues.js';
import type { JsonRecord, TypeRule } from './rules/property-spec.js';
import { IssueCollector } from './issues.js';
import { checkShape, isRecord } from './check-value.js';
import { checkExtensions, extensionFacts } from './check-extensions.js';
import { checkSelectors } from './check-markings.js';
import { isValidTypeName, parseIdentifier } from './identifier.js';
import { TYPE_RULES, customRule } from './rules/index.js';
import { deterministicScoId } from './sco-id.js';
import { isStixTimestamp } from './timestamp-order.js';
import { pathKey } from '../json/json-path.js';

/** Validates one STIX 2.1 object; every issue's path starts with `path` (default `$`). */
export function validateObject(value: unknown, options?: ValidationOptions, path = '$'): ValidationResult {
  const sink = new IssueCollector(options);
  checkObject(value, path, sink);
  return sink.result();
}

function checkObject(value: unknown, path: string, sink: IssueSink): void {
  if (!isRecord(value)) {
    sink.error('not-an-object', path, 'A STIX object must be a JSON object');
    return;
  }
  const type = value['type'];
  if (typeof type !== 'string') {
    if (type === undefined) sink.error('required-property', pathKey(path, 'type'), 'Every STIX object requires type');
    else sink.error('invalid-type', pathKey(path, 'type'), 'type must be a string');
    return;
  }
  if (type === 'bundle') {
    sink.error('unexpected-bundle', pathKey(path, 'type'), 'A bundle cannot appear here: bundles do not nest and are validated as bundles');
    return;
  }
  if (!isValidTypeName(type)) {
    sink.error('invalid-type-name', pathKey(path, 'type'), 'Type names use a-z, 0-9 and hyphen, start with a letter, 3 to 250 characters');
  }
  const facts = extensionFacts(value['extensions']);
  const known = TYPE_RULES.get(type);
  const rule = known ?? customRuleFor(type, value, facts.definesCategory, path, sink);
  checkIdentity(value, type, rule, path, sink);
  // The properties of a custom object are its own, not custom properties of a STIX type.
  checkShape(value, rule, path, sink, { topLevel: true, coveredByExtension: facts.toplevel || known === undefined });
  if (value['extensions'] !== undefined) checkExtensions(value['extensions'], type, rule.extensions ?? [], pathKey(path, 'extensions'), sink);
  checkSelectors(value, path, sink);
  if (rule.category === 'sco' && rule.idContributing !== undefined) checkScoId(value, type, rule.idContributing, path, sink);
}

/**
 * Custom objects (section 11.2): their category comes from a new-* extension, else from whether
 * they are versioned like an SDO. Their type SHOULD be defined by an extension-definition or start
 * with `x-`.
 */
function customRuleFor(type: string, value: JsonRecord, defined: TypeRule['category'] | undefined, path: string, sink: IssueSink): TypeRule {
  if (type === 'action') sink.error('reserved-type', pathKey(path, 'type'), 'action is a reserved type name in STIX 2.1');
  if (defined === undefined && !type.startsWith('x-')) {
    sink.warn('custom-object-type', pathKey(path, 'type'), `${type} is not a STIX 2.1 type: custom types should be defined by an extension-definition (new-sdo, new-sco, new-sro) or start with x-`);
  }
  const category = defined ?? (value['created'] !== undefined || value['modified'] !== undefined ? 'sdo' : 'sco');
  return customRule(type, category);
}

/** Section 2.9 (identifier) and 3.2 (spec_version). */
function checkIdentity(value: JsonRecord, type: string, rule: TypeRule, path: string, sink: IssueSink): void {
  const id = value['id'];
  const idPath = pathKey(path, 'id');
  if (typeof id === 'string') {
    const parsed = parseIdentifier(id);
    if (parsed === 'format') {
      sink.error('invalid-identifier', idPath, `${JSON.stringify(id.slice(0, 80))} is not an identifier of the form ${type}--UUID`);
    } else if (parsed === 'not-rfc4122') {
      sink.error('invalid-identifier', idPath, `The UUID of ${id} is not RFC 4122-compliant (version 1-5, variant 10xx)`);
    } else {
      if (parsed.type !== type) sink.error('id-type-mismatch', idPath, `The id names type ${parsed.type} but the object is a ${type}`);
      if (rule.category !== 'sco' && parsed.version !== 4) {
        sink.warn('uuid-not-v4', idPath, `SDOs, SROs and meta objects should use a UUIDv4; this one is version ${parsed.version}`);
      }
    }
  } else if (id !== undefined) {
    sink.error('invalid-type', idPath, 'id must be a string');
  }
  const specVersion = value['spec_version'];
  if (specVersion !== undefined && specVersion !== '2.1') {
    sink.error('invalid-spec-version', pathKey(path, 'spec_version'), `spec_version must be "2.1", found ${JSON.stringify(specVersion)}`);
  }
}

/** Section 2.9: SCO ids SHOULD be the UUIDv5 of their ID contributing properties. */
function checkScoId(value: JsonRecord, type: string, sets: ReadonlyArray<ReadonlyArray<string>>, path: string, sink: IssueSink): void {
  const id = value['id'];
  if (typeof id !== 'string') return;
  let expected: string | undefined;
  try {
    for (const set of sets) {
      const candidate = deterministicScoId(type, value, set);
      if (candidate === undefined) continue;
      if (candidate === id.toLowerCase()) return;
      expected ??= candidate;
    }
  } catch {
    return; // a non-finite number cannot be canonicalised; the property checks already reported the value
  }
  if (expected !== undefined) {
    sink.warn('sco-id-mismatch', pathKey(path, 'id'), `The id should be the deterministic ${expected} computed from the ID contributing properties`);
  }
}

/** Validates a STIX 2.1 bundle and each of its objects (paths `$.objects[i]...`). */
export function validateBundle(value: unknown, options?: ValidationOptions): BundleValidationResult {
  const own = new IssueCollector(options);
  const objects: ValidationResult[] = [];
  if (!isRecord(value)) {
    own.error('not-an-object', '$', 'A bundle must be a JSON object');
  } else {
    checkBundleEnvelope(value, own);
    const entries = value['objects'];
    if (Array.isArray(entries)) {
      const perObject = entries.map((entry, i) => {
        const sink = new IssueCollector(options);
        checkObject(entry, `$.objects[${i}]`, sink);
        return sink;
      });
      findDuplicates(entries, perObject);
      objects.push(...perObject.map((sink) => sink.result()));
    }
  }
  const errors = [...own.errors, ...objects.flatMap((o) => o.errors)];
  const warnings = [...own.warnings, ...objects.flatMap((o) => o.warnings)];
  return { valid: errors.length === 0, errors, warnings, objects };
}

/** Section 8: type bundle, id bundle--UUID, objects a list; 2.1 bundles carry no spec_version. */
function checkBundleEnvelope(bundle: JsonRecord, sink: IssueSink): void {
  if (bundle['type'] !== 'bundle') sink.error('invalid-bundle', '$.type', `A bundle has type "bundle", found ${JSON.stringify(bundle['type'])}`);
  const id = bundle['id'];
  if (id === undefined) sink.error('required-property', '$.id', 'A bundle requires id');
  else if (typeof id !== 'string' || typeof parseIdentifier(id) === 'string' || !id.startsWith('bundle--')) {
    sink.error('invalid-identifier', '$.id', `A bundle id has the form bundle--UUID, found ${JSON.stringify(id)}`);
  }
  const objects = bundle['objects'];
  if (objects !== undefined && !Array.isArray(objects)) sink.error('invalid-type', '$.objects', 'objects must be a list');
  if (Array.isArray(objects) && objects.length === 0) sink.error('empty-list', '$.objects', 'Empty lists are prohibited: omit objects instead');
  if (bundle['spec_version'] !== undefined) sink.warn('bundle-spec-version', '$.spec_version', 'STIX 2.1 bundles have no spec_version (a STIX 2.0 habit)');
  for (const key of Object.keys(bundle)) {
    if (!['type', 'id', 'objects', 'spec_version'].includes(key)) sink.warn('custom-property', pathKey('$', key), `${key} is not a bundle property`);
  }
}

/** The same (id, version) twice in one bundle is an error at the second occurrence (TAXII and the store dedup on it). */
function findDuplicates(entries: ReadonlyArray<unknown>, sinks: ReadonlyArray<IssueSink>): void {
  const seen = new Map<string, number>();
  entries.forEach((entry, i) => {
    if (!isRecord(entry) || typeof entry['id'] !== 'string') return;
    const key = `${entry['id']}\u0000${versionKey(entry)}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else sinks[i]?.error('duplicate-object', `$.objects[${i}]`, `${entry['id']} at this version already appears at $.objects[${first}]`);
  });
}

/** The version at millisecond precision, as the store keys it (see normaliseTimestamp). */
function versionKey(entry: JsonRecord): string {
  const version = entry['modified'] ?? entry['created'];
  if (!isStixTimestamp(version)) return String(version ?? '');
  const fraction = version.length > 20 ? version.slice(20, -1) : '';
  return `${version.slice(0, 19)}.${fraction.padEnd(3, '0').slice(0, 3)}`;
}
