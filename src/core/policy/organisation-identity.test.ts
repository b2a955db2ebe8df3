import { describe, expect, it } from 'vitest';
import { validateObject } from '../stix/index.js';
import { organisationExtensionDefinition, organisationIdentity, organisationOfIdentity } from './organisation-identity.js';
import { ACME, POL } from './testing/policy-builders.js';

describe('organisations as STIX identities', () => {
  it('round-trips an organisation through a valid STIX identity', () => {
    for (const org of [POL, { ...ACME, sectors: ['energy'], memberships: ['NATO'] }]) {
      const identity = organisationIdentity(org);
      expect(validateObject(identity).errors).toEqual([]);
      expect(organisationOfIdentity(identity)).toEqual(org);
    }
  });

  it('writes an alliance body as a class of identity', () => {
    expect(organisationIdentity({ ...POL, kind: 'alliance', country: 'NATO' })).toMatchObject({ identity_class: 'class' });
  });

  it('publishes a valid extension-definition', () => {
    expect(validateObject(organisationExtensionDefinition()).errors).toEqual([]);
  });

  it('refuses an identity without the extension, naming where', () => {
    expect(() => organisationOfIdentity({ type: 'identity', id: POL.id, name: 'x' })).toThrow(/extensions.*no Entente organisation extension/);
  });
});
