/**
 * Small builders for policy tests: a directory of organisations, agreements with safe defaults,
 * and a decision context. Defaults describe a German node sharing with Poland under NATO rules.
 */
import { ALLIANCES } from '../../labels/alliances.js';
import { CLASSIFICATION_POLICIES } from '../../labels/classification-policies.js';
import type { OrganisationKind } from '../../labels/types.js';
import type { AgreementContext } from '../agreement-reader.js';
import type { PolicyContext } from '../recipient.js';
import type { Agreement, Organisation } from '../types.js';

let counter = 0;

export function org(code: string, kind: OrganisationKind = 'nation', country = code): Organisation {
  counter++;
  const hex = counter.toString(16).padStart(12, '0');
  return { id: `identity--00000000-0000-4000-8000-${hex}`, code, name: `${code} CERT`, kind, country, memberships: [], sectors: [] };
}

export const DEU = org('DEU');
export const POL = org('POL');
export const FRA = org('FRA');
export const USA = org('USA');
export const SWE = org('SWE');
export const ACME = org('ACME', 'private-partner', 'DEU');
export const UNI = org('UNI-BW', 'academia', 'DEU');

export const DIRECTORY: ReadonlyArray<Organisation> = [DEU, POL, FRA, USA, SWE, ACME, UNI];

export function agreementContext(nodeOrganisation = 'DEU', organisations = DIRECTORY): AgreementContext {
  return { nodeOrganisation, organisations: new Map(organisations.map((o) => [o.code, o])), policies: CLASSIFICATION_POLICIES, alliances: ALLIANCES };
}

export function agreement(over: Partial<Agreement> = {}): Agreement {
  return {
    id: 'deu-pol', version: 1, title: 'DEU-POL bilateral', purpose: 'test', status: 'active',
    parties: ['DEU', 'POL'], validFrom: '2026-01-01T00:00:00.000Z',
    scope: { types: [], excludeTypes: [], tags: [], sectors: [] },
    defaultCeiling: { tlp: 'amber', classifications: [{ policy: 'NATO', level: 'RESTRICTED' }] },
    ceilings: {}, onward: {}, obligations: [], redactions: [],
    ...over,
  };
}

export function policyContext(agreements: ReadonlyArray<Agreement>, node: Organisation = DEU, now = '2026-11-25T12:00:00.000Z'): PolicyContext {
  return { node, organisations: new Map(DIRECTORY.map((o) => [o.code, o])), agreements, policies: CLASSIFICATION_POLICIES, alliances: ALLIANCES, now };
}
