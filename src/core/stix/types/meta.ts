/** STIX 2.1 Meta Objects (section 7) and the Bundle (section 8). */
import type { Dictionary, ExtensionType, ExternalReference, GranularMarking, Identifier, StixCommon, Timestamp } from './common.js';

export interface TlpMarkingDefinition1 {
  readonly tlp: 'white' | 'green' | 'amber' | 'red';
}

export interface StatementMarking {
  readonly statement: string;
}

/**
 * A marking-definition (section 7.2.1). TLP 1.0 and statements use `definition_type` and
 * `definition`; TLP 2.0 and other markings use an extension-definition in `extensions`.
 */
export interface MarkingDefinition {
  readonly type: 'marking-definition';
  readonly spec_version: '2.1';
  readonly id: Identifier;
  readonly created_by_ref?: Identifier;
  readonly created: Timestamp;
  readonly external_references?: ReadonlyArray<ExternalReference>;
  readonly object_marking_refs?: ReadonlyArray<Identifier>;
  readonly granular_markings?: ReadonlyArray<GranularMarking>;
  readonly name?: string;
  readonly definition_type?: 'statement' | 'tlp' | string;
  readonly definition?: TlpMarkingDefinition1 | StatementMarking | Readonly<Record<string, unknown>>;
  readonly extensions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface LanguageContent extends Omit<StixCommon, 'lang'> {
  readonly type: 'language-content';
  readonly object_ref: Identifier;
  readonly object_modified?: Timestamp;
  /** Language code to a dictionary of translated property values. */
  readonly contents: Readonly<Record<string, Dictionary>>;
}

export interface ExtensionDefinition extends Omit<StixCommon, 'lang' | 'confidence' | 'extensions'> {
  readonly type: 'extension-definition';
  readonly created_by_ref: Identifier;
  readonly name: string;
  readonly description?: string;
  readonly schema: string;
  readonly version: string;
  readonly extension_types: ReadonlyArray<ExtensionType>;
  readonly extension_properties?: ReadonlyArray<string>;
}

export type StixMetaObject = MarkingDefinition | LanguageContent | ExtensionDefinition;

export interface Bundle {
  readonly type: 'bundle';
  readonly id: Identifier;
  readonly objects?: ReadonlyArray<Readonly<Record<string, unknown>>>;
}
