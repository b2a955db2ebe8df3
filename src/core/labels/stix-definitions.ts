/**
 * The fixed STIX objects labels travel with: the OASIS TLP 2.0 marking-definitions exactly as
 * published in oasis-open/cti-stix-common-objects, and Entente's own identity and
 * extension-definition. Their ids never change: every node must produce the same objects.
 */
import type { ExtensionDefinition, Identity, MarkingDefinition } from '../stix/types/index.js';
import { TLP2_EXTENSION_ID, TLP2_MARKING_IDS } from '../stix/rules/marking-rules.js';
import type { TlpLevel } from './types.js';

/** The identity that creates Entente's extension-definition and label marking-definitions. */
export const ENTENTE_IDENTITY: Identity = Object.freeze({
  type: 'identity',
  spec_version: '2.1',
  id: 'identity--5a78f9d1-0b9f-4027-a6e1-1414c12517db',
  created: '2026-11-25T00:00:00.000Z',
  modified: '2026-11-25T00:00:00.000Z',
  name: 'Entente',
  description: 'The Entente coalition cyber-defence platform, author of the Entente security label extension.',
  identity_class: 'system',
});

/** Entente's property-extension on marking-definitions that carries a structured security label. */
export const ENTENTE_LABEL_EXTENSION_ID = 'extension-definition--0b6abbd2-4146-4a0b-93b1-f845ce04648f';
export const ENTENTE_LABEL_EXTENSION_VERSION = '1.0.0';
/** Where the extension's schema is documented (docs/labels.md, "How labels travel in STIX"). */
export const ENTENTE_LABEL_SCHEMA_URL = 'https://entente.example.org/schemas/security-label/1.0.0/marking-definition.json';

/**
 * `created` of every Entente label marking-definition unless the caller chooses otherwise: the
 * same label then yields the same object, not only the same id, on every node.
 */
export const ENTENTE_LABEL_EPOCH = '2026-11-25T00:00:00.000Z';

/** Namespace of the UUIDv5 ids of label marking-definitions (name = the canonical banner). */
export const ENTENTE_MARKING_NAMESPACE = '712fd20d-1e57-4892-920b-39c8bc796015';

/** The extension-definition object for ENTENTE_LABEL_EXTENSION_ID. */
export function labelExtensionDefinition(): ExtensionDefinition {
  return {
    type: 'extension-definition',
    spec_version: '2.1',
    id: ENTENTE_LABEL_EXTENSION_ID,
    created_by_ref: ENTENTE_IDENTITY.id,
    created: ENTENTE_LABEL_EPOCH,
    modified: ENTENTE_LABEL_EPOCH,
    name: 'Entente security label',
    description: 'A STANAG 4774-style confidentiality label on a marking-definition: classifications under named policies, '
      + 'REL TO lists (permissive), caveats (restrictive), informative categories, IEP 2.0 handling rules and PAP.',
    schema: ENTENTE_LABEL_SCHEMA_URL,
    version: ENTENTE_LABEL_EXTENSION_VERSION,
    extension_types: ['property-extension'],
  };
}

function tlp2Definition(level: TlpLevel): MarkingDefinition {
  return Object.freeze({
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP2_MARKING_IDS[level] ?? '',
    created: '2022-10-01T00:00:00.000Z',
    name: `TLP:${level.toUpperCase()}`,
    extensions: { [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: level } },
  });
}

/** The TLP 2.0 marking-definitions as OASIS publishes them. */
export const TLP2_MARKING_DEFINITIONS: Readonly<Record<TlpLevel, MarkingDefinition>> = Object.freeze({
  clear: tlp2Definition('clear'), green: tlp2Definition('green'), amber: tlp2Definition('amber'),
  'amber+strict': tlp2Definition('amber+strict'), red: tlp2Definition('red'),
});
