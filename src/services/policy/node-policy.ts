import { EntenteError, isEntenteError } from '../../core/errors.js';
import { ALLIANCES, CLASSIFICATION_POLICIES, ORGANISATION_KINDS, parseBanner, type OrganisationKind } from '../../core/labels/index.js';
import { uuidV5 } from '../../core/stix/sco-id.js';
import type { NodeConfig } from '../../config/node-config.js';
import type { NodePolicy } from './release-service.js';

/** Namespace of the identity ids Entente derives for an organisation from its code. */
const ORGANISATION_NAMESPACE = Buffer.from('5d1f3c64b1a84f0c9e4a2b7c8d9e0f11', 'hex');

/** The identity id a node gives its own organisation when the directory has none yet: the same code, the same id. */
export function organisationIdFor(code: string): string {
  return `identity--${uuidV5(code, ORGANISATION_NAMESPACE)}`;
}

/** What the node's configuration says about itself, for the policy engine. */
export function nodePolicyOf(config: NodeConfig): NodePolicy {
  const kind = config.node.kind;
  if (!(ORGANISATION_KINDS as ReadonlyArray<string>).includes(kind)) {
    throw new EntenteError('ENTENTE_CONFIG_INVALID', `Setting node.kind must be one of ${ORGANISATION_KINDS.join(', ')}; got ${JSON.stringify(kind)}`, [{ path: 'node.kind', message: 'unknown kind' }]);
  }
  let defaultLabel;
  try {
    defaultLabel = parseBanner(config.policy.defaultLabel, { policies: CLASSIFICATION_POLICIES });
  } catch (error) {
    if (!isEntenteError(error)) throw error;
    throw new EntenteError('ENTENTE_CONFIG_INVALID', `Setting policy.defaultLabel is not a banner: ${error.message}`, [{ path: 'policy.defaultLabel', message: error.message }]);
  }
  return {
    organisation: {
      id: organisationIdFor(config.node.organisation), code: config.node.organisation, name: config.node.name,
      kind: kind as OrganisationKind, country: config.node.country, memberships: [], sectors: [],
    },
    defaultLabel, policies: CLASSIFICATION_POLICIES, alliances: ALLIANCES, logLocalReads: config.policy.logLocalReads,
  };
}
