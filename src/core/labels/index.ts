/**
 * Security labels: TLP 2.0, PAP, classifications under named policies, releasability, caveats
 * and IEP-style handling; their algebra, banners, STIX carriage and the check of a label
 * against a recipient. Everything here is pure.
 */
export type * from './types.js';
export { TLP_LEVELS, PAP_LEVELS, PERMITTED_ACTIONS, ORGANISATION_KINDS } from './types.js';
export { CLASSIFICATION_POLICIES, PROTECTION_STEPS, RELEASE_LIMIT_STEPS, policyById, levelRank, protectionStep, type ProtectionStep } from './classification-policies.js';
export { ALLIANCES, alliancesOf } from './alliances.js';
export { tlpRank, tlpAtMost, maxTlp, tlpLevelOf, parseTlp, printTlp, tlpCheck } from './tlp.js';
export { papRank, papAtMost, maxPap, papLevelOf, parsePap, printPap, papCheck } from './pap.js';
export { HANDLING_ORDERS, combineHandling, handlingDominates } from './handling.js';
export { EMPTY_LABEL, normaliseLabel, combineLabels, dominates, compareClassifications } from './label-algebra.js';
export { admits, labelAllows, NOFORN, type AdmitContext } from './admits.js';
export { classificationCeilingChecks, releaseLimitOf, withinReleaseLimit } from './ceilings.js';
export { parseBanner, printBanner, UNMARKED, type BannerOptions } from './banner.js';
export {
  ENTENTE_IDENTITY, ENTENTE_LABEL_EXTENSION_ID, ENTENTE_LABEL_EXTENSION_VERSION, ENTENTE_LABEL_SCHEMA_URL, ENTENTE_LABEL_EPOCH,
  ENTENTE_MARKING_NAMESPACE, TLP2_MARKING_DEFINITIONS, labelExtensionDefinition,
} from './stix-definitions.js';
export { markingsForLabel, labelOfMarkingDefinition, labelsOfObject, type MarkingLike, type MarkingResolver, type ObjectLabelOptions } from './stix-markings.js';
