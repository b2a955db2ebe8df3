/** Exports of indicators for sensors: Suricata rules and datasets, Zeek Intel files, blocklists (docs/sensors.md). */
export type * from './types.js';
export { EXPORT_TYPES, emptyCounts } from './types.js';
export { reducePattern, formatAddress, type Reduction } from './simple-pattern.js';
export { selectForSensors, type SelectOptions } from './select.js';
export { suricataRules, suricataDatasets, type SuricataOptions } from './suricata.js';
export { DEFAULT_SID_RANGE, allocateSids, contentString, messageString, type SidRange } from './suricata-text.js';
export { zeekIntel, zeekIndicator, type ZeekOptions } from './zeek-intel.js';
export { blocklists } from './blocklist.js';
export { checkRules, type ParsedRule, type RuleProblem } from './rule-check.js';
