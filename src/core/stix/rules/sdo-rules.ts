/** Rule table of the STIX Domain Objects (section 4) and Relationship Objects (section 5). */
import type { IssueSink } from '../issues.js';
import type { JsonRecord, TypeRule } from './property-spec.js';
import {
  atLeastOne, bool, closed, int, num, open, openList, order, ref, refs, str, strs, ts,
} from './property-spec.js';
import { killChainPhases } from './common-rules.js';
import { parsePattern } from '../../pattern/index.js';
import { isEntenteError } from '../../errors.js';
import * as V from './vocabularies.js';

const RELATIONSHIP_TYPE = /^[a-z0-9-]+$/;

/** Section 4.11: latitude and longitude come together; precision needs both. */
function checkCoordinates(value: JsonRecord, sink: IssueSink, path: string): void {
  const hasLat = value['latitude'] !== undefined;
  const hasLon = value['longitude'] !== undefined;
  if (hasLat !== hasLon) sink.error('dependent-property', `${path}.${hasLat ? 'longitude' : 'latitude'}`, 'latitude and longitude must be given together');
  if (value['precision'] !== undefined && !(hasLat && hasLon)) sink.error('dependent-property', `${path}.precision`, 'precision needs latitude and longitude');
}

/** Section 4.14: exactly one of objects (deprecated) and object_refs. */
function checkObservedContent(value: JsonRecord, sink: IssueSink, path: string): void {
  const hasObjects = value['objects'] !== undefined;
  const hasRefs = value['object_refs'] !== undefined;
  if (hasObjects && hasRefs) sink.error('mutually-exclusive', `${path}.objects`, 'observed-data must carry object_refs or objects, not both');
  if (!hasObjects && !hasRefs) sink.error('required-property', `${path}.object_refs`, 'observed-data must carry object_refs (or the deprecated objects)');
  const refsValue = value['object_refs'];
  if (Array.isArray(refsValue) && refsValue.length > 0 && !refsValue.some((r) => typeof r === 'string' && !r.startsWith('relationship--') && !r.startsWith('sighting--'))) {
    sink.error('invalid-ref-type', `${path}.object_refs`, 'object_refs must contain at least one SCO reference');
  }
}

/** Section 5.1: relationship_type uses a–z, 0–9 and hyphen. */
function checkRelationshipType(value: JsonRecord, sink: IssueSink, path: string): void {
  const type = value['relationship_type'];
  if (typeof type === 'string' && !RELATIONSHIP_TYPE.test(type)) {
    sink.error('invalid-relationship-type', `${path}.relationship_type`, `relationship_type must use only a-z, 0-9 and hyphen, not ${JSON.stringify(type)}`);
  }
}

/**
 * Section 4.7: a `stix` pattern MUST be valid STIX patterning (section 9); the pattern engine says
 * where it breaks. Other pattern languages (sigma, yara, ...) are not parsed here.
 */
function checkPattern(value: JsonRecord, sink: IssueSink, path: string): void {
  const pattern = value['pattern'];
  if (!sink.patterns || value['pattern_type'] !== 'stix' || typeof pattern !== 'string') return;
  try {
    parsePattern(pattern);
  } catch (error) {
    const reason = isEntenteError(error) ? error.message : 'the pattern could not be parsed';
    sink.error('invalid-pattern', `${path}.pattern`, reason);
  }
}

/** Section 4.9: name is required when is_family is true. */
function checkMalwareFamily(value: JsonRecord, sink: IssueSink, path: string): void {
  if (value['is_family'] === true && value['name'] === undefined) sink.error('required-property', `${path}.name`, 'a malware family (is_family: true) must have a name');
}

const seen = { first_seen: ts, last_seen: ts };
const seenOrder = order('first_seen', 'last_seen');
const motivations = { primary_motivation: open('attack-motivation-ov', V.ATTACK_MOTIVATION_OV), secondary_motivations: openList('attack-motivation-ov', V.ATTACK_MOTIVATION_OV) };
const resourceLevel = open('attack-resource-level-ov', V.ATTACK_RESOURCE_LEVEL_OV);

export const SDO_RULES: Readonly<Record<string, TypeRule>> = {
  'attack-pattern': { category: 'sdo', name: 'attack-pattern', properties: { name: str, description: str, aliases: strs, kill_chain_phases: killChainPhases }, required: ['name'] },
  campaign: {
    category: 'sdo', name: 'campaign', required: ['name'], constraints: [seenOrder],
    properties: { name: str, description: str, aliases: strs, ...seen, objective: str },
  },
  'course-of-action': { category: 'sdo', name: 'course-of-action', properties: { name: str, description: str }, required: ['name'] },
  grouping: {
    category: 'sdo', name: 'grouping', required: ['context', 'object_refs'],
    properties: { name: str, description: str, context: open('grouping-context-ov', V.GROUPING_CONTEXT_OV), object_refs: refs('any') },
  },
  identity: {
    category: 'sdo', name: 'identity', required: ['name'],
    properties: {
      name: str, description: str, roles: strs, identity_class: open('identity-class-ov', V.IDENTITY_CLASS_OV),
      sectors: openList('industry-sector-ov', V.INDUSTRY_SECTOR_OV), contact_information: str,
    },
  },
  incident: { category: 'sdo', name: 'incident', properties: { name: str, description: str, kill_chain_phases: killChainPhases }, required: ['name'] },
  indicator: {
    category: 'sdo', name: 'indicator', required: ['pattern', 'pattern_type', 'valid_from'],
    constraints: [order('valid_from', 'valid_until', true), { kind: 'check', check: checkPattern }],
    properties: {
      name: str, description: str, indicator_types: openList('indicator-type-ov', V.INDICATOR_TYPE_OV), pattern: str,
      pattern_type: open('pattern-type-ov', V.PATTERN_TYPE_OV), pattern_version: str, valid_from: ts, valid_until: ts,
      kill_chain_phases: killChainPhases,
    },
  },
  infrastructure: {
    category: 'sdo', name: 'infrastructure', required: ['name'], constraints: [seenOrder],
    properties: {
      name: str, description: str, infrastructure_types: openList('infrastructure-type-ov', V.INFRASTRUCTURE_TYPE_OV),
      aliases: strs, kill_chain_phases: killChainPhases, ...seen,
    },
  },
  'intrusion-set': {
    category: 'sdo', name: 'intrusion-set', required: ['name'], constraints: [seenOrder],
    properties: { name: str, description: str, aliases: strs, ...seen, goals: strs, resource_level: resourceLevel, ...motivations },
  },
  location: {
    category: 'sdo', name: 'location', constraints: [atLeastOne('region', 'country', 'latitude'), { kind: 'check', check: checkCoordinates }],
    properties: {
      name: str, description: str, latitude: num(-90, 90), longitude: num(-180, 180), precision: num(0),
      region: open('region-ov', V.REGION_OV), country: str, administrative_area: str, city: str, street_address: str, postal_code: str,
    },
  },
  malware: {
    category: 'sdo', name: 'malware', required: ['is_family'], constraints: [seenOrder, { kind: 'check', check: checkMalwareFamily }],
    properties: {
      name: str, description: str, malware_types: openList('malware-type-ov', V.MALWARE_TYPE_OV), is_family: bool, aliases: strs,
      kill_chain_phases: killChainPhases, ...seen, operating_system_refs: refs(['software']),
      architecture_execution_envs: openList('processor-architecture-ov', V.PROCESSOR_ARCHITECTURE_OV),
      implementation_languages: openList('implementation-language-ov', V.IMPLEMENTATION_LANGUAGE_OV),
      capabilities: openList('malware-capabilities-ov', V.MALWARE_CAPABILITIES_OV), sample_refs: refs(['file', 'artifact']),
    },
  },
  'malware-analysis': {
    category: 'sdo', name: 'malware-analysis', required: ['product'],
    constraints: [atLeastOne('result', 'analysis_sco_refs'), order('analysis_started', 'analysis_ended')],
    properties: {
      product: str, version: str, host_vm_ref: ref(['software']), operating_system_ref: ref(['software']),
      installed_software_refs: refs(['software']), configuration_version: str, modules: strs, analysis_engine_version: str,
      analysis_definition_version: str, submitted: ts, analysis_started: ts, analysis_ended: ts, result_name: str,
      result: open('malware-result-ov', V.MALWARE_RESULT_OV), analysis_sco_refs: refs('sco'), sample_ref: ref(['file', 'network-traffic', 'artifact']),
    },
  },
  note: { category: 'sdo', name: 'note', required: ['content', 'object_refs'], properties: { abstract: str, content: str, authors: strs, object_refs: refs('any') } },
  'observed-data': {
    category: 'sdo', name: 'observed-data', required: ['first_observed', 'last_observed', 'number_observed'],
    constraints: [order('first_observed', 'last_observed'), { kind: 'check', check: checkObservedContent }],
    deprecated: { objects: 'objects (the cyber observable container) is deprecated in STIX 2.1: use object_refs' },
    properties: { first_observed: ts, last_observed: ts, number_observed: int(1, 999999999), objects: { kind: 'any' }, object_refs: refs('sco-or-sro') },
  },
  opinion: {
    category: 'sdo', name: 'opinion', required: ['opinion', 'object_refs'],
    properties: { explanation: str, authors: strs, opinion: closed('opinion-enum', V.OPINION_ENUM), object_refs: refs('any') },
  },
  report: {
    category: 'sdo', name: 'report', required: ['name', 'published', 'object_refs'],
    properties: { name: str, description: str, report_types: openList('report-type-ov', V.REPORT_TYPE_OV), published: ts, object_refs: refs('any') },
  },
  'threat-actor': {
    category: 'sdo', name: 'threat-actor', required: ['name'], constraints: [seenOrder],
    properties: {
      name: str, description: str, threat_actor_types: openList('threat-actor-type-ov', V.THREAT_ACTOR_TYPE_OV), aliases: strs,
      ...seen, roles: openList('threat-actor-role-ov', V.THREAT_ACTOR_ROLE_OV), goals: strs,
      sophistication: open('threat-actor-sophistication-ov', V.THREAT_ACTOR_SOPHISTICATION_OV), resource_level: resourceLevel,
      ...motivations, personal_motivations: openList('attack-motivation-ov', V.ATTACK_MOTIVATION_OV),
    },
  },
  tool: {
    category: 'sdo', name: 'tool', required: ['name'],
    properties: { name: str, description: str, tool_types: openList('tool-type-ov', V.TOOL_TYPE_OV), aliases: strs, kill_chain_phases: killChainPhases, tool_version: str },
  },
  vulnerability: { category: 'sdo', name: 'vulnerability', required: ['name'], properties: { name: str, description: str } },
};

export const SRO_RULES: Readonly<Record<string, TypeRule>> = {
  relationship: {
    category: 'sro', name: 'relationship', required: ['relationship_type', 'source_ref', 'target_ref'],
    constraints: [order('start_time', 'stop_time', true), { kind: 'check', check: checkRelationshipType }],
    properties: { relationship_type: str, description: str, source_ref: ref('sdo-or-sco'), target_ref: ref('sdo-or-sco'), start_time: ts, stop_time: ts },
  },
  sighting: {
    category: 'sro', name: 'sighting', required: ['sighting_of_ref'], constraints: [order('first_seen', 'last_seen')],
    properties: {
      description: str, ...seen, count: int(0, 999999999), sighting_of_ref: ref('sdo'), observed_data_refs: refs(['observed-data']),
      where_sighted_refs: refs(['identity', 'location']), summary: bool,
    },
  },
};
