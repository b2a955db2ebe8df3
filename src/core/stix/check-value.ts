/**
 * Checks one property value against its PropertySpec (the data-type rules of STIX 2.1 section 2)
 * and embedded objects against their ObjectShape.
 */
import type { IssueSink } from './issues.js';
import type { JsonRecord, ObjectShape, PropertySpec } from './rules/property-spec.js';
import { describeTarget, parseIdentifier, refAllows } from './identifier.js';
import { compareTimestamps, isStixTimestamp } from './timestamp-order.js';
import { pathIndex, pathKey } from '../json/json-path.js';

export function isRecord(value: unknown): value is JsonRecord {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const HASH_FORMATS: Readonly<Record<string, RegExp>> = {
  MD5: /^[a-fA-F0-9]{32}$/,
  'SHA-1': /^[a-fA-F0-9]{40}$/,
  'SHA-256': /^[a-fA-F0-9]{64}$/,
  'SHA-512': /^[a-fA-F0-9]{128}$/,
  'SHA3-256': /^[a-fA-F0-9]{64}$/,
  'SHA3-512': /^[a-fA-F0-9]{128}$/,
  SSDEEP: /^[a-zA-Z0-9/+:.]{1,128}$/,
  TLSH: /^(?:T1)?[a-fA-F0-9]{70}$/,
};
const HASH_KEY = /^[a-zA-Z0-9_-]{3,250}$/;
const DICTIONARY_KEY = /^[a-zA-Z0-9_-]{1,250}$/;
const HEX = /^(?:[a-fA-F0-9]{2})+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const LANG = /^[a-zA-Z]{2,8}(?:-[a-zA-Z0-9]{1,8})*$/;
const PROPERTY_NAME = /^[a-z0-9_]{3,250}$/;
const FRACTION = /\.(\d+)Z$/;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)?.slice(0, 60)}`;
}

function wrongType(sink: IssueSink, path: string, expected: string, value: unknown): void {
  sink.error('invalid-type', path, `Expected ${expected}, found ${describe(value)}`);
}

/** Checks `value` at `path` against `spec`. */
export function checkValue(value: unknown, spec: PropertySpec, path: string, sink: IssueSink): void {
  switch (spec.kind) {
    case 'any':
      return;
    case 'string':
      if (typeof value !== 'string') wrongType(sink, path, 'a string', value);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') wrongType(sink, path, 'a boolean', value);
      return;
    case 'integer':
    case 'number': {
      const ok = spec.kind === 'integer' ? Number.isInteger(value) : typeof value === 'number' && Number.isFinite(value);
      if (!ok) return wrongType(sink, path, spec.kind === 'integer' ? 'an integer' : 'a number', value);
      const n = value as number;
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
        sink.error('out-of-range', path, `${n} is outside ${spec.min ?? '-∞'}..${spec.max ?? '∞'}`);
      }
      return;
    }
    case 'timestamp':
      if (!isStixTimestamp(value)) {
        sink.error('invalid-timestamp', path, `Expected an RFC 3339 UTC timestamp like 2016-05-12T08:17:27.000Z, found ${describe(value)}`);
      } else if (spec.millis === true && (FRACTION.exec(value)?.[1]?.length ?? 0) < 3) {
        sink.error('timestamp-precision', path, `${value} must be precise to the millisecond (three fractional digits)`);
      }
      return;
    case 'ref':
      return checkRef(value, spec.to, path, sink);
    case 'list':
      if (!Array.isArray(value)) return wrongType(sink, path, 'a list', value);
      if (value.length === 0) sink.error('empty-list', path, 'Empty lists are prohibited: omit the property instead');
      value.forEach((item, i) => checkValue(item, spec.of, pathIndex(path, i), sink));
      return;
    case 'enum':
      if (typeof value !== 'string' || !spec.values.has(value)) {
        sink.error('invalid-enum', path, `${describe(value)} is not a value of ${spec.name}: ${[...spec.values].join(', ')}`);
      }
      return;
    case 'vocab':
      if (typeof value !== 'string') return wrongType(sink, path, 'a string', value);
      if (!spec.values.has(value)) sink.warn('open-vocabulary', path, `${JSON.stringify(value)} is not in ${spec.name}`);
      return;
    case 'hashes':
      return checkHashes(value, path, sink);
    case 'dictionary':
      if (!isRecord(value)) return wrongType(sink, path, 'a dictionary', value);
      if (Object.keys(value).length === 0) sink.error('empty-dictionary', path, 'Empty dictionaries are prohibited: omit the property instead');
      for (const key of Object.keys(value)) {
        if (!DICTIONARY_KEY.test(key)) sink.warn('dictionary-key', pathKey(path, key), 'Dictionary keys should use ASCII letters, digits, - and _ (at most 250)');
      }
      return;
    case 'hex':
    case 'binary':
    case 'lang':
    case 'format': {
      const [regex, what] = spec.kind === 'hex' ? [HEX, 'hex (pairs of 0-9a-f)'] : spec.kind === 'binary' ? [BASE64, 'base64']
        : spec.kind === 'lang' ? [LANG, 'an RFC 5646 language code'] : [spec.regex, spec.description];
      if (typeof value !== 'string') return wrongType(sink, path, 'a string', value);
      if (!regex.test(value)) sink.error('invalid-format', path, `Expected ${what}, found ${JSON.stringify(value.slice(0, 80))}`);
      return;
    }
    case 'url':
      if (typeof value !== 'string') return wrongType(sink, path, 'a string', value);
      if (!URL.canParse(value)) sink.error('invalid-format', path, `Expected an absolute URL (RFC 3986), found ${JSON.stringify(value.slice(0, 80))}`);
      return;
    case 'object':
      if (!isRecord(value)) return wrongType(sink, path, `an object (${spec.shape.name})`, value);
      checkShape(value, spec.shape, path, sink);
      return;
  }
}

function checkRef(value: unknown, to: Parameters<typeof refAllows>[0], path: string, sink: IssueSink): void {
  if (typeof value !== 'string') return wrongType(sink, path, 'an identifier', value);
  const parsed = parseIdentifier(value);
  if (parsed === 'format') return sink.error('invalid-identifier', path, `${JSON.stringify(value.slice(0, 80))} is not an identifier of the form type--UUID`);
  if (parsed === 'not-rfc4122') return sink.error('invalid-identifier', path, `The UUID of ${value} is not RFC 4122-compliant (version 1-5, variant 10xx)`);
  if (!refAllows(to, parsed.type)) sink.error('invalid-ref-type', path, `Must refer to ${describeTarget(to)}, not ${parsed.type}`);
}

function checkHashes(value: unknown, path: string, sink: IssueSink): void {
  if (!isRecord(value)) return wrongType(sink, path, 'a hashes dictionary', value);
  if (Object.keys(value).length === 0) sink.error('empty-dictionary', path, 'hashes must hold at least one hash');
  for (const [key, digest] of Object.entries(value)) {
    const at = pathKey(path, key);
    if (typeof digest !== 'string') {
      wrongType(sink, at, 'a string', digest);
      continue;
    }
    const format = HASH_FORMATS[key];
    if (format !== undefined) {
      if (!format.test(digest)) sink.error('invalid-hash', at, `Not a valid ${key} value: ${JSON.stringify(digest.slice(0, 140))}`);
    } else if (!HASH_KEY.test(key)) {
      sink.error('invalid-hash', at, 'Hash names use ASCII letters, digits, - and _, 3 to 250 characters');
    } else {
      sink.warn('custom-hash-algorithm', at, `${key} is not in hash-algorithm-ov (MD5, SHA-1, SHA-256, SHA-512, SHA3-256, SHA3-512, SSDEEP, TLSH)`);
    }
  }
}

/** How unknown properties are judged: at the top level, reserved names and extension coverage count. */
export interface UnknownPolicy {
  readonly topLevel: boolean;
  /** A toplevel-property-extension is present, so unprefixed top-level properties are expected. */
  readonly coveredByExtension: boolean;
}

const RESERVED = new Set(['severity', 'action', 'username', 'phone_numbers']);

/** Section 11.1 and 3.1: names, the x_ prefix, reserved names; strict mode refuses what it does not know. */
export function checkUnknownProperty(name: string, path: string, sink: IssueSink, policy: UnknownPolicy): void {
  if (!PROPERTY_NAME.test(name)) {
    sink.error('invalid-property-name', path, 'Property names use a-z, 0-9 and _ only, 3 to 250 characters');
  } else if (policy.topLevel && RESERVED.has(name)) {
    sink.error('reserved-property', path, `${name} is reserved by STIX 2.1 and must not be used`);
  } else if (policy.coveredByExtension) {
    return;
  } else if (name.startsWith('x_')) {
    if (sink.strict) sink.error('unknown-property', path, `${name} is a custom property; strict mode accepts only properties defined by the specification or an extension`);
  } else {
    sink.warn('custom-property', path, `${name} is not defined for this object: custom properties should start with x_ or be defined by an extension-definition`);
  }
}

const EMBEDDED: UnknownPolicy = { topLevel: false, coveredByExtension: false };

/** Checks required properties, each property's value, unknown and deprecated properties, then constraints. */
export function checkShape(value: JsonRecord, shape: ObjectShape, path: string, sink: IssueSink, policy: UnknownPolicy = EMBEDDED): void {
  for (const name of shape.required ?? []) {
    if (value[name] === undefined) sink.error('required-property', pathKey(path, name), `${shape.name} requires ${name}`);
  }
  for (const name in value) {
    const v = value[name];
    if (v === undefined || !Object.hasOwn(value, name)) continue; // undefined is not JSON: a builder's way of leaving a property out
    const spec = shape.properties[name];
    const at = pathKey(path, name);
    if (spec === undefined) checkUnknownProperty(name, at, sink, policy);
    else checkValue(v, spec, at, sink);
    const deprecation = shape.deprecated?.[name];
    if (deprecation !== undefined) sink.warn('deprecated-property', at, deprecation);
  }
  for (const constraint of shape.constraints ?? []) {
    switch (constraint.kind) {
      case 'at-least-one':
        if (!constraint.properties.some((p) => value[p] !== undefined)) {
          sink.error('required-property', path, `${shape.name} requires at least one of ${constraint.properties.join(', ')}`);
        }
        break;
      case 'exclusive': {
        const present = constraint.properties.filter((p) => value[p] !== undefined);
        if (present.length > 1) sink.error('mutually-exclusive', pathKey(path, present[1] as string), `${present.join(' and ')} must not both be present`);
        break;
      }
      case 'requires':
        if (value[constraint.property] !== undefined) {
          for (const needed of constraint.requires) {
            if (value[needed] === undefined) sink.error('dependent-property', pathKey(path, needed), `${needed} is required when ${constraint.property} is present`);
          }
        }
        break;
      case 'order': {
        const earlier = value[constraint.earlier];
        const later = value[constraint.later];
        if (isStixTimestamp(earlier) && isStixTimestamp(later)) {
          const cmp = compareTimestamps(later, earlier);
          if (cmp < 0 || (constraint.strict && cmp === 0)) {
            sink.error(constraint.code ?? 'invalid-time-order', pathKey(path, constraint.later),
              `${constraint.later} (${later}) must be ${constraint.strict ? 'later than' : 'at or after'} ${constraint.earlier} (${earlier})`);
          }
        }
        break;
      }
      case 'check':
        constraint.check(value, sink, path);
        break;
    }
  }
}
