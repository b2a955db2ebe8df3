/** The STIX 2.1 Relationship Objects (section 5). */
import type { Identifier, StixCommon, Timestamp } from './common.js';

export interface Relationship extends StixCommon {
  readonly type: 'relationship';
  readonly relationship_type: string;
  readonly description?: string;
  readonly source_ref: Identifier;
  readonly target_ref: Identifier;
  readonly start_time?: Timestamp;
  readonly stop_time?: Timestamp;
}

export interface Sighting extends StixCommon {
  readonly type: 'sighting';
  readonly description?: string;
  readonly first_seen?: Timestamp;
  readonly last_seen?: Timestamp;
  readonly count?: number;
  readonly sighting_of_ref: Identifier;
  readonly observed_data_refs?: ReadonlyArray<Identifier>;
  readonly where_sighted_refs?: ReadonlyArray<Identifier>;
  readonly summary?: boolean;
}

export type StixRelationshipObject = Relationship | Sighting;
