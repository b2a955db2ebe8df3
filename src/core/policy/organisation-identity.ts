/**
 * Organisations travel in STIX as identities (`identity_class: organization`, or `class` for an
 * alliance) with an Entente property-extension that carries what the policy engine needs: the
 * code agreements use, the kind, the country and the alliance memberships. A peer that receives
 * one can add the organisation to its own directory with the same identity id, so that objects
 * created by it are attributed to it on every node.
 */
import { EntenteError } from '../errors.js';
import { ENTENTE_IDENTITY } from '../labels/stix-definitions.js';
import { ORGANISATION_KINDS, type OrganisationKind } from '../labels/types.js';
import type { Organisation } from './types.js';

export const ENTENTE_ORGANISATION_EXTENSION_ID = 'extension-definition--3f1c9a52-7d0e-4b8a-9c61-2e5d4f7a8b90';
export const ENTENTE_ORGANISATION_EPOCH = '2026-11-25T00:00:00.000Z';

/** The extension-definition of ENTENTE_ORGANISATION_EXTENSION_ID. */
export function organisationExtensionDefinition(): Readonly<Record<string, unknown>> {
  return {
    type: 'extension-definition', spec_version: '2.1', id: ENTENTE_ORGANISATION_EXTENSION_ID, created_by_ref: ENTENTE_IDENTITY.id,
    created: ENTENTE_ORGANISATION_EPOCH, modified: ENTENTE_ORGANISATION_EPOCH, name: 'Entente organisation',
    description: 'The code, kind, country and alliance memberships of an organisation that can be a party to Entente agreements.',
    schema: 'https://entente.example.org/schemas/organisation/1.0.0/identity.json', version: '1.0.0', extension_types: ['property-extension'],
  };
}

/** The STIX identity of an organisation. */
export function organisationIdentity(org: Organisation, at: string = ENTENTE_ORGANISATION_EPOCH): Readonly<Record<string, unknown>> {
  return {
    type: 'identity', spec_version: '2.1', id: org.id, created: at, modified: at, name: org.name,
    identity_class: org.kind === 'alliance' ? 'class' : 'organization',
    ...(org.sectors.length === 0 ? {} : { sectors: [...org.sectors] }),
    extensions: {
      [ENTENTE_ORGANISATION_EXTENSION_ID]: {
        extension_type: 'property-extension', code: org.code, kind: org.kind, country: org.country,
        ...(org.memberships.length === 0 ? {} : { memberships: [...org.memberships] }),
      },
    },
  };
}

/** Reads an organisation back from its identity; ENTENTE_INVALID_PARAMETER naming the path when it carries no organisation extension. */
export function organisationOfIdentity(identity: Readonly<Record<string, unknown>>): Organisation {
  const ext = (identity['extensions'] as Record<string, unknown> | undefined)?.[ENTENTE_ORGANISATION_EXTENSION_ID] as Record<string, unknown> | undefined;
  const path = `$.extensions['${ENTENTE_ORGANISATION_EXTENSION_ID}']`;
  const bad = (where: string, message: string): never => {
    throw new EntenteError('ENTENTE_INVALID_PARAMETER', `${where}: ${message}`, [{ path: where, message }]);
  };
  if (identity['type'] !== 'identity' || typeof identity['id'] !== 'string') bad('$.type', 'an identity is expected');
  if (ext === undefined) return bad(path, 'the identity carries no Entente organisation extension');
  for (const key of ['code', 'kind', 'country']) if (typeof ext[key] !== 'string') bad(`${path}.${key}`, 'a string is required');
  if (!(ORGANISATION_KINDS as ReadonlyArray<string>).includes(ext['kind'] as string)) bad(`${path}.kind`, `one of ${ORGANISATION_KINDS.join(', ')}`);
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return {
    id: identity['id'] as string, code: ext['code'] as string, name: typeof identity['name'] === 'string' ? identity['name'] : String(ext['code']),
    kind: ext['kind'] as OrganisationKind, country: ext['country'] as string, memberships: list(ext['memberships']), sectors: list(identity['sectors']),
  };
}
