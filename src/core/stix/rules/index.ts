/**
 * All type rules with the common properties of their category merged in, computed once.
 */
import type { Category, Constraint, PropertySpec, TypeRule } from './property-spec.js';
import { SCO_COMMON, SCO_COMMON_REQUIRED, SDO_COMMON, SDO_COMMON_REQUIRED } from './common-rules.js';
import { SDO_RULES, SRO_RULES } from './sdo-rules.js';
import { SCO_RULES } from './sco-rules.js';
import { META_RULES } from './meta-rules.js';

/** Section 3.2: modified MUST be later than or equal to created. */
const MODIFIED_AFTER_CREATED: Constraint = { kind: 'order', earlier: 'created', later: 'modified', strict: false, code: 'modified-before-created' };

/** A rule completed with its category's common properties. */
export function completeRule(rule: TypeRule): TypeRule {
  const common: Readonly<Record<string, PropertySpec>> = rule.category === 'sco' ? SCO_COMMON : rule.category === 'meta' ? {} : SDO_COMMON;
  const commonRequired = rule.category === 'sco' ? SCO_COMMON_REQUIRED : rule.category === 'meta' ? [] : SDO_COMMON_REQUIRED;
  const versioned = rule.category !== 'sco';
  return {
    ...rule,
    properties: { ...common, ...rule.properties },
    required: [...new Set([...commonRequired, ...(rule.required ?? [])])],
    constraints: [...(versioned ? [MODIFIED_AFTER_CREATED] : []), ...(rule.constraints ?? [])],
  };
}

export const TYPE_RULES: ReadonlyMap<string, TypeRule> = new Map(
  Object.entries({ ...SDO_RULES, ...SRO_RULES, ...SCO_RULES, ...META_RULES }).map(([type, rule]) => [type, completeRule(rule)]),
);

/** The rule for a custom object type: common properties of its category, any other property allowed as custom. */
export function customRule(type: string, category: Category): TypeRule {
  return completeRule({ category, name: type, properties: {} });
}
