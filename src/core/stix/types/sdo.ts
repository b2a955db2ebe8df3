/** The STIX 2.1 Domain Objects (section 4). */
import type { Identifier, KillChainPhase, StixCommon, Timestamp } from './common.js';

export interface AttackPattern extends StixCommon {
  readonly type: 'attack-pattern';
  readonly name: string;
  readonly description?: string;
  readonly aliases?: ReadonlyArray<string>;
  readonly kill_chain_phases?: ReadonlyArray<KillChainPhase>;
}

export interface Campaign extends StixCommon {
  readonly type: 'campaign';
  readonly name: string;
  readonly description?: string;
  readonly aliases?: ReadonlyArray<string>;
  readonly first_seen?: Timestamp;
  readonly last_seen?: Timestamp;
  readonly objective?: string;
}

export interface CourseOfAction extends StixCommon {
  readonly type: 'course-of-action';
  readonly name: string;
  readonly description?: string;
}

export interface Grouping extends StixCommon {
  readonly type: 'grouping';
  readonly name?: string;
  readonly description?: string;
  readonly context: string;
  readonly object_refs: ReadonlyArray<Identifier>;
}

export interface Identity extends StixCommon {
  readonly type: 'identity';
  readonly name: string;
  readonly description?: string;
  readonly roles?: ReadonlyArray<string>;
  readonly identity_class?: string;
  readonly sectors?: ReadonlyArray<string>;
  readonly contact_information?: string;
}

export interface Incident extends StixCommon {
  readonly type: 'incident';
  readonly name: string;
  readonly description?: string;
  readonly kill_chain_phases?: ReadonlyArray<KillChainPhase>;
}

export interface Indicator extends StixCommon {
  readonly type: 'indicator';
  readonly name?: string;
  readonly description?: string;
  readonly indicator_types?: ReadonlyArray<string>;
  readonly pattern: string;
  readonly pattern_type: string;
  readonly pattern_version?: string;
  readonly valid_from: Timestamp;
  readonly valid_until?: Timestamp;
  readonly kill_chain_phases?: ReadonlyArray<KillChainPhase>;
}

export interface Infrastructure extends StixCommon {
  readonly type: 'infrastructure';
  readonly name: string;
  readonly description?: string;
  readonly infrastructure_types?: ReadonlyArray<string>;
  readonly aliases?: ReadonlyArray<string>;
  readonly kill_chain_phases?: ReadonlyArray<KillChainPhase>;
  readonly first_seen?: Timestamp;
  readonly last_seen?: Timestamp;
}

export interface IntrusionSet extends StixCommon {
  readonly type: 'intrusion-set';
  readonly name: string;
  readonly description?: string;
  readonly aliases?: ReadonlyArray<string>;
  readonly first_seen?: Timestamp;
  readonly last_seen?: Timestamp;
  readonly goals?: ReadonlyArray<string>;
  readonly resource_level?: string;
  readonly primary_motivation?: string;
  readonly secondary_motivations?: ReadonlyArray<string>;
}

export interface Location extends StixCommon {
  readonly type: 'location';
  readonly name?: string;
  readonly description?: string;
  readonly latitude?: number;
  readonly longitude?: number;
  readonly precision?: number;
  readonly region?: string;
  readonly country?: string;
  readonly administrative_area?: string;
  readonly city?: string;
  readonly street_address?: string;
  readonly postal_code?: string;
}

export interface Malware extends StixCommon {
  readonly type: 'malware';
  readonly name?: string;
  readonly description?: string;
  readonly malware_types?: ReadonlyArray<string>;
  readonly is_family: boolean;
  readonly aliases?: ReadonlyArray<string>;
  readonly kill_chain_phases?: ReadonlyArray<KillChainPhase>;
  readonly first_seen?: Timestamp;
  readonly last_seen?: Timestamp;
  readonly operating_system_refs?: ReadonlyArray<Identifier>;
  readonly architecture_execution_envs?: ReadonlyArray<string>;
  readonly implementation_languages?: ReadonlyArray<string>;
  readonly capabilities?: ReadonlyArray<string>;
  readonly sample_refs?: ReadonlyArray<Identifier>;
}

export interface MalwareAnalysis extends StixCommon {
  readonly type: 'malware-analysis';
  readonly product: string;
  readonly version?: string;
  readonly host_vm_ref?: Identifier;
  readonly operating_system_ref?: Identifier;
  readonly installed_software_refs?: ReadonlyArray<Identifier>;
  readonly configuration_version?: string;
  readonly modules?: ReadonlyArray<string>;
  readonly analysis_engine_version?: string;
  readonly analysis_definition_version?: string;
  readonly submitted?: Timestamp;
  readonly analysis_started?: Timestamp;
  readonly analysis_ended?: Timestamp;
  readonly result_name?: string;
  readonly result?: string;
  readonly analysis_sco_refs?: ReadonlyArray<Identifier>;
  readonly sample_ref?: Identifier;
}

export interface Note extends StixCommon {
  readonly type: 'note';
  readonly abstract?: string;
  readonly content: string;
  readonly authors?: ReadonlyArray<string>;
  readonly object_refs: ReadonlyArray<Identifier>;
}

export interface ObservedData extends StixCommon {
  readonly type: 'observed-data';
  readonly first_observed: Timestamp;
  readonly last_observed: Timestamp;
  readonly number_observed: number;
  /** Deprecated in 2.1 (the cyber observable container); use object_refs. */
  readonly objects?: Readonly<Record<string, unknown>>;
  readonly object_refs?: ReadonlyArray<Identifier>;
}

export type OpinionValue = 'strongly-disagree' | 'disagree' | 'neutral' | 'agree' | 'strongly-agree';

export interface Opinion extends StixCommon {
  readonly type: 'opinion';
  readonly explanation?: string;
  readonly authors?: ReadonlyArray<string>;
  readonly opinion: OpinionValue;
  readonly object_refs: ReadonlyArray<Identifier>;
}

export interface Report extends StixCommon {
  readonly type: 'report';
  readonly name: string;
  readonly description?: string;
  readonly report_types?: ReadonlyArray<string>;
  readonly published: Timestamp;
  readonly object_refs: ReadonlyArray<Identifier>;
}

export interface ThreatActor extends StixCommon {
  readonly type: 'threat-actor';
  readonly name: string;
  readonly description?: string;
  readonly threat_actor_types?: ReadonlyArray<string>;
  readonly aliases?: ReadonlyArray<string>;
  readonly first_seen?: Timestamp;
  readonly last_seen?: Timestamp;
  readonly roles?: ReadonlyArray<string>;
  readonly goals?: ReadonlyArray<string>;
  readonly sophistication?: string;
  readonly resource_level?: string;
  readonly primary_motivation?: string;
  readonly secondary_motivations?: ReadonlyArray<string>;
  readonly personal_motivations?: ReadonlyArray<string>;
}

export interface Tool extends StixCommon {
  readonly type: 'tool';
  readonly name: string;
  readonly description?: string;
  readonly tool_types?: ReadonlyArray<string>;
  readonly aliases?: ReadonlyArray<string>;
  readonly kill_chain_phases?: ReadonlyArray<KillChainPhase>;
  readonly tool_version?: string;
}

export interface Vulnerability extends StixCommon {
  readonly type: 'vulnerability';
  readonly name: string;
  readonly description?: string;
}

export type StixDomainObject =
  | AttackPattern | Campaign | CourseOfAction | Grouping | Identity | Incident | Indicator | Infrastructure
  | IntrusionSet | Location | Malware | MalwareAnalysis | Note | ObservedData | Opinion | Report | ThreatActor
  | Tool | Vulnerability;
