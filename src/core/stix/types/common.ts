/**
 * Building blocks shared by every STIX 2.1 object (specification section 3 and 5): identifiers,
 * timestamps, common properties, external references, kill chain phases, granular markings.
 * These types describe valid objects; the validator is what establishes that a value is one.
 */

/** `type--UUID` (section 2.9). */
export type Identifier = string;
/** RFC 3339 in UTC with `Z`, e.g. `2016-05-12T08:17:27.000Z` (section 3.2). */
export type Timestamp = string;
/** Hash algorithm name (hash-algorithm-ov, e.g. `SHA-256`) to hex digest (section 2.7). */
export type Hashes = Readonly<Record<string, string>>;
/** A dictionary (section 2.8): keys of ASCII letters, digits, `-` and `_`. */
export type Dictionary = Readonly<Record<string, unknown>>;

export interface ExternalReference {
  readonly source_name: string;
  readonly description?: string;
  readonly url?: string;
  readonly hashes?: Hashes;
  readonly external_id?: string;
}

export interface KillChainPhase {
  readonly kill_chain_name: string;
  readonly phase_name: string;
}

/** Exactly one of `marking_ref` and `lang` (section 7.2.3). */
export interface GranularMarking {
  readonly selectors: ReadonlyArray<string>;
  readonly marking_ref?: Identifier;
  readonly lang?: string;
}

/** An entry of `extensions`: a predefined `*-ext` object or one keyed by an extension-definition id. */
export interface ExtensionInstance {
  readonly extension_type?: ExtensionType;
  readonly [property: string]: unknown;
}

export type ExtensionType = 'new-sdo' | 'new-sco' | 'new-sro' | 'property-extension' | 'toplevel-property-extension';

/** Common properties of SDOs and SROs (section 3.2). */
export interface StixCommon {
  readonly type: string;
  readonly spec_version: '2.1';
  readonly id: Identifier;
  readonly created_by_ref?: Identifier;
  readonly created: Timestamp;
  readonly modified: Timestamp;
  readonly revoked?: boolean;
  readonly labels?: ReadonlyArray<string>;
  readonly confidence?: number;
  readonly lang?: string;
  readonly external_references?: ReadonlyArray<ExternalReference>;
  readonly object_marking_refs?: ReadonlyArray<Identifier>;
  readonly granular_markings?: ReadonlyArray<GranularMarking>;
  readonly extensions?: Readonly<Record<string, ExtensionInstance>>;
}

/** Common properties of SCOs (section 6.1): not versioned, `spec_version` optional. */
export interface ScoCommon {
  readonly type: string;
  readonly id: Identifier;
  readonly spec_version?: '2.1';
  readonly object_marking_refs?: ReadonlyArray<Identifier>;
  readonly granular_markings?: ReadonlyArray<GranularMarking>;
  readonly defanged?: boolean;
  /** Predefined `*-ext` objects (section 6) or extension instances keyed by extension-definition id. */
  readonly extensions?: Readonly<Record<string, object>>;
}
