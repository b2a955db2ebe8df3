/**
 * The vocabulary the rule tables are written in: what kind of value each property holds and the
 * cross-property constraints of a type. The tables (one file per family of objects) are data;
 * `check-value.ts` and `check-object.ts` interpret them.
 */
import type { IssueSink } from '../issues.js';

/** Which object types a `_ref`/`_refs` may point to. Category names admit custom types of that category. */
export type RefTarget = 'any' | 'sdo' | 'sco' | 'sdo-or-sco' | 'sco-or-sro' | ReadonlyArray<string>;

export type PropertySpec =
  | { readonly kind: 'string' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'integer'; readonly min?: number; readonly max?: number }
  | { readonly kind: 'number'; readonly min?: number; readonly max?: number }
  /** `millis`: at least millisecond precision is required (created, modified). */
  | { readonly kind: 'timestamp'; readonly millis?: boolean }
  | { readonly kind: 'ref'; readonly to: RefTarget }
  | { readonly kind: 'list'; readonly of: PropertySpec }
  /** A closed enumeration: any other value is an error. */
  | { readonly kind: 'enum'; readonly name: string; readonly values: ReadonlySet<string> }
  /** An open vocabulary: other values are allowed but draw a warning. */
  | { readonly kind: 'vocab'; readonly name: string; readonly values: ReadonlySet<string> }
  | { readonly kind: 'hashes' }
  | { readonly kind: 'dictionary' }
  | { readonly kind: 'hex' }
  | { readonly kind: 'binary' }
  | { readonly kind: 'url' }
  | { readonly kind: 'lang' }
  /** A string that MUST match a format. */
  | { readonly kind: 'format'; readonly regex: RegExp; readonly description: string }
  | { readonly kind: 'object'; readonly shape: ObjectShape }
  | { readonly kind: 'any' };

/** A JSON object whose properties the checker has established are an object. */
export type JsonRecord = { readonly [key: string]: unknown };

export type Constraint =
  /** At least one of the properties MUST be present. */
  | { readonly kind: 'at-least-one'; readonly properties: ReadonlyArray<string> }
  /** At most one of the properties may be present. */
  | { readonly kind: 'exclusive'; readonly properties: ReadonlyArray<string> }
  /** When `property` is present, every one of `requires` MUST be present. */
  | { readonly kind: 'requires'; readonly property: string; readonly requires: ReadonlyArray<string> }
  /** `later` MUST be >= `earlier` (or > when strict); `code` names the rule in issues. */
  | { readonly kind: 'order'; readonly earlier: string; readonly later: string; readonly strict: boolean; readonly code?: string }
  | { readonly kind: 'check'; readonly check: (value: JsonRecord, sink: IssueSink, path: string) => void };

export interface ObjectShape {
  /** Named in messages, e.g. `kill-chain-phase`. */
  readonly name: string;
  readonly properties: Readonly<Record<string, PropertySpec>>;
  readonly required?: ReadonlyArray<string>;
  readonly constraints?: ReadonlyArray<Constraint>;
  /** Properties the specification deprecates, with the advice to give. */
  readonly deprecated?: Readonly<Record<string, string>>;
}

export type Category = 'sdo' | 'sro' | 'sco' | 'meta';

/** The rules of one top-level object type. */
export interface TypeRule extends ObjectShape {
  readonly category: Category;
  /** Predefined extension names (`*-ext`) this type may carry. */
  readonly extensions?: ReadonlyArray<string>;
  /**
   * SCOs: the ID contributing properties (section 2.9) for the deterministic UUIDv5. Several sets
   * when producers in the field disagree; an id matching any of them is accepted.
   */
  readonly idContributing?: ReadonlyArray<ReadonlyArray<string>>;
}

// Small constructors keep the tables readable.
export const str: PropertySpec = { kind: 'string' };
export const bool: PropertySpec = { kind: 'boolean' };
export const int = (min?: number, max?: number): PropertySpec =>
  ({ kind: 'integer', ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) });
export const num = (min?: number, max?: number): PropertySpec =>
  ({ kind: 'number', ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) });
export const ts: PropertySpec = { kind: 'timestamp' };
export const ref = (to: RefTarget): PropertySpec => ({ kind: 'ref', to });
export const refs = (to: RefTarget): PropertySpec => ({ kind: 'list', of: { kind: 'ref', to } });
export const list = (of: PropertySpec): PropertySpec => ({ kind: 'list', of });
export const strs: PropertySpec = list(str);
export const closed = (name: string, values: ReadonlyArray<string>): PropertySpec => ({ kind: 'enum', name, values: new Set(values) });
export const open = (name: string, values: ReadonlyArray<string>): PropertySpec => ({ kind: 'vocab', name, values: new Set(values) });
export const openList = (name: string, values: ReadonlyArray<string>): PropertySpec => list(open(name, values));
export const hashes: PropertySpec = { kind: 'hashes' };
export const dict: PropertySpec = { kind: 'dictionary' };
export const hex: PropertySpec = { kind: 'hex' };
export const object = (shape: ObjectShape): PropertySpec => ({ kind: 'object', shape });
export const order = (earlier: string, later: string, strict = false): Constraint => ({ kind: 'order', earlier, later, strict });
export const atLeastOne = (...properties: string[]): Constraint => ({ kind: 'at-least-one', properties });
export const exclusive = (...properties: string[]): Constraint => ({ kind: 'exclusive', properties });
