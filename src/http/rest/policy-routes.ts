/**
 * The policy engine over REST: the directory of organisations, users' profiles, agreements with
 * their versions, dry runs and diffs, banners, and the decision log. Liaison officers and
 * administrators change agreements and the directory; anyone authenticated reads the directory
 * and parses banners; the decision log is for liaison officers and administrators.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { stringify } from 'yaml';
import { EntenteError } from '../../core/errors.js';
import { markingsForLabel, parseBanner, printBanner } from '../../core/labels/index.js';
import { organisationIdentity } from '../../core/policy/organisation-identity.js';
import type { DecisionChannel } from '../../ports/policy-store.js';
import type { ReleaseOutcome } from '../../core/policy/types.js';
import { isAdmin, type Principal } from '../../services/accounts/index.js';
import type { AgreementRecord } from '../../ports/policy-store.js';
import { adminOf, callerOf } from './caller.js';
import type { RestDeps } from './rest-deps.js';
import { errorResponses, pageQueryProperties } from './schemas.js';

const anyObject = { type: 'object', additionalProperties: true } as const;
const CODE = { type: 'string', pattern: '^[A-Z0-9][A-Z0-9-]{1,31}$', description: 'Organisation code' } as const;
const AGREEMENT_ID = { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,62}$' } as const;

const organisationSchema = {
  type: 'object',
  required: ['id', 'code', 'name', 'kind', 'country', 'memberships', 'sectors'],
  properties: {
    id: { type: 'string' }, code: { type: 'string' }, name: { type: 'string' }, kind: { type: 'string' }, country: { type: 'string' },
    memberships: { type: 'array', items: { type: 'string' } }, sectors: { type: 'array', items: { type: 'string' } },
  },
} as const;

const recordSchema = {
  type: 'object',
  required: ['agreement', 'source', 'recordedAt', 'recordedBy', 'change'],
  properties: { agreement: anyObject, source: { type: 'string' }, recordedAt: { type: 'string' }, recordedBy: { type: 'string' }, change: { type: 'string' } },
} as const;

const agreementBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    yaml: { type: 'string', maxLength: 1_000_000, description: 'The agreement as YAML text (kept verbatim)' },
    document: { ...anyObject, description: 'The agreement as a JSON object with the keys of the YAML format' },
  },
} as const;

/** Liaison officers negotiate agreements; administrators run the node. */
function liaisonOf(request: FastifyRequest): Principal {
  const principal = callerOf(request);
  if (!isAdmin(principal) && !principal.roles.includes('liaison')) {
    throw new EntenteError('ENTENTE_FORBIDDEN', `${principal.name} is neither a liaison officer nor an administrator; this route needs one of those roles`);
  }
  return principal;
}

function agreementText(body: { readonly yaml?: string; readonly document?: Record<string, unknown> }): string {
  if (body.yaml !== undefined) return body.yaml;
  if (body.document !== undefined) return stringify(body.document);
  throw new EntenteError('ENTENTE_BAD_REQUEST', 'Give the agreement as `yaml` (text) or `document` (an object)', [{ path: '$', message: 'yaml or document is required' }]);
}

export function policyRoutes(deps: RestDeps): FastifyPluginAsync {
  const { policy, simulator } = deps;
  const codeParams = { type: 'object', required: ['code'], properties: { code: CODE } } as const;
  const idParams = { type: 'object', required: ['id'], properties: { id: AGREEMENT_ID } } as const;
  const agreementFor = async (body: { readonly yaml?: string; readonly document?: Record<string, unknown>; readonly id?: string; readonly version?: number }) =>
    body.id !== undefined ? (await policy.getAgreement(body.id, body.version)).agreement : policy.readAgreementText(agreementText(body));

  return async (app) => {
    app.get('/organisations', {
      schema: { tags: ['policy'], summary: 'The directory: every organisation that can be a party', response: { 200: { type: 'array', items: organisationSchema }, ...errorResponses() } },
    }, async () => policy.listOrganisations());

    app.get<{ Params: { code: string } }>('/organisations/:code', {
      schema: { tags: ['policy'], summary: 'One organisation', params: codeParams, response: { 200: organisationSchema, ...errorResponses(404) } },
    }, async (request) => policy.getOrganisation(request.params.code));

    app.get<{ Params: { code: string } }>('/organisations/:code/identity', {
      schema: { tags: ['policy'], summary: 'One organisation as a STIX identity with the Entente organisation extension, for peers\' directories', params: codeParams, response: { 200: anyObject, ...errorResponses(404) } },
    }, async (request) => organisationIdentity(await policy.getOrganisation(request.params.code)));

    app.post<{ Body: { code: string; name: string; kind: string; country: string; memberships?: string[]; sectors?: string[]; id?: string } }>('/organisations', {
      schema: {
        tags: ['policy'], summary: 'Add an organisation to the directory (liaison, admin)',
        body: {
          type: 'object', required: ['code', 'name', 'kind', 'country'], additionalProperties: false,
          properties: {
            code: CODE, name: { type: 'string', minLength: 1, maxLength: 500 }, kind: { type: 'string' }, country: { type: 'string' },
            memberships: { type: 'array', items: { type: 'string' } }, sectors: { type: 'array', items: { type: 'string' } }, id: { type: 'string' },
          },
        },
        response: { 201: organisationSchema, ...errorResponses(403, 409) },
      },
    }, async (request, reply) => {
      liaisonOf(request);
      return reply.code(201).send(await policy.addOrganisation(request.body));
    });

    app.delete<{ Params: { code: string } }>('/organisations/:code', {
      schema: { tags: ['policy'], summary: 'Remove an organisation no agreement names (liaison, admin)', params: codeParams, response: { 204: { type: 'null' }, ...errorResponses(403, 404, 409) } },
    }, async (request, reply) => {
      liaisonOf(request);
      await policy.removeOrganisation(request.params.code);
      return reply.code(204).send();
    });

    app.get<{ Params: { name: string } }>('/users/:name/profile', {
      schema: { tags: ['policy'], summary: 'What the release decision knows of a user: nationality, clearances, caveats, organisation (admin, or the user)', response: { 200: anyObject, ...errorResponses(403, 404) } },
    }, async (request) => {
      const caller = callerOf(request);
      if (caller.name !== request.params.name) adminOf(request);
      return policy.getProfile(request.params.name);
    });

    app.put<{ Params: { name: string }; Body: { nationality?: string; clearances?: string[]; caveats?: string[]; organisation?: string } }>('/users/:name/profile', {
      schema: {
        tags: ['policy'], summary: 'Set a user\'s nationality, clearances (`NATO SECRET`), caveats and organisation (admin)',
        body: {
          type: 'object', additionalProperties: false,
          properties: {
            nationality: { type: 'string' }, clearances: { type: 'array', items: { type: 'string' } },
            caveats: { type: 'array', items: { type: 'string' } }, organisation: { type: 'string' },
          },
        },
        response: { 200: anyObject, ...errorResponses(403, 404) },
      },
    }, async (request) => {
      adminOf(request);
      return policy.setProfile(request.params.name, request.body);
    });

    app.get('/agreements', {
      schema: { tags: ['policy'], summary: 'The latest version of every agreement', response: { 200: { type: 'array', items: recordSchema }, ...errorResponses(403) } },
    }, async (request) => {
      liaisonOf(request);
      return policy.listAgreements();
    });

    app.post<{ Body: { yaml?: string; document?: Record<string, unknown> } }>('/agreements', {
      schema: {
        tags: ['policy'], summary: 'Record an agreement: a new one, or the next version of an existing one (liaison, admin)',
        body: agreementBody,
        response: { 201: { type: 'object', properties: { created: { type: 'boolean' }, record: recordSchema, changes: { type: 'array', items: anyObject } } }, ...errorResponses(403, 409, 422) },
      },
    }, async (request, reply) => {
      const caller = liaisonOf(request);
      const result = await policy.submitAgreement(agreementText(request.body), caller.name);
      return reply.code(result.created ? 201 : 200).send(result);
    });

    app.post<{ Body: { yaml?: string; document?: Record<string, unknown> } }>('/agreements/validate', {
      schema: { tags: ['policy'], summary: 'Check an agreement without recording it', body: agreementBody, response: { 200: anyObject, ...errorResponses(403, 422) } },
    }, async (request) => {
      liaisonOf(request);
      return { valid: true, agreement: await policy.readAgreementText(agreementText(request.body)) };
    });

    app.get<{ Params: { id: string }; Querystring: { version?: number } }>('/agreements/:id', {
      schema: {
        tags: ['policy'], summary: 'One agreement, latest or the given version', params: idParams,
        querystring: { type: 'object', additionalProperties: false, properties: { version: { type: 'integer', minimum: 1 } } },
        response: { 200: recordSchema, ...errorResponses(403, 404) },
      },
    }, async (request) => {
      liaisonOf(request);
      return policy.getAgreement(request.params.id, request.query.version);
    });

    app.get<{ Params: { id: string } }>('/agreements/:id/versions', {
      schema: { tags: ['policy'], summary: 'Every version of an agreement, oldest first, with who changed what', params: idParams, response: { 200: { type: 'array', items: recordSchema }, ...errorResponses(403, 404) } },
    }, async (request) => {
      liaisonOf(request);
      return (await policy.agreementHistory(request.params.id)) as ReadonlyArray<AgreementRecord>;
    });

    app.get<{ Params: { id: string }; Querystring: { from: number; to: number } }>('/agreements/:id/diff', {
      schema: {
        tags: ['policy'], summary: 'What changed between two versions', params: idParams,
        querystring: { type: 'object', required: ['from', 'to'], additionalProperties: false, properties: { from: { type: 'integer', minimum: 1 }, to: { type: 'integer', minimum: 1 } } },
        response: { 200: { type: 'array', items: anyObject }, ...errorResponses(403, 404) },
      },
    }, async (request) => {
      liaisonOf(request);
      return policy.diffVersions(request.params.id, request.query.from, request.query.to);
    });

    app.post<{ Params: { id: string }; Body: { status: string } }>('/agreements/:id/status', {
      schema: {
        tags: ['policy'], summary: 'Activate, suspend or expire an agreement (a new version) (liaison, admin)', params: idParams,
        body: { type: 'object', required: ['status'], additionalProperties: false, properties: { status: { type: 'string', enum: ['draft', 'active', 'suspended', 'expired'] } } },
        response: { 200: { type: 'object', properties: { created: { type: 'boolean' }, record: recordSchema, changes: { type: 'array', items: anyObject } } }, ...errorResponses(403, 404) },
      },
    }, async (request) => {
      const caller = liaisonOf(request);
      return policy.setAgreementStatus(request.params.id, request.body.status, caller.name);
    });

    app.post<{ Body: { yaml?: string; document?: Record<string, unknown>; id?: string; version?: number; party: string; collection?: string } }>('/agreements/simulate', {
      schema: {
        tags: ['policy'], summary: 'Dry run: what a party would receive if the agreement were active now, and why the rest would not go',
        body: {
          type: 'object', required: ['party'], additionalProperties: false,
          properties: { ...agreementBody.properties, id: AGREEMENT_ID, version: { type: 'integer', minimum: 1 }, party: CODE, collection: { type: 'string' } },
        },
        response: { 200: anyObject, ...errorResponses(403, 404, 422) },
      },
    }, async (request) => {
      const caller = liaisonOf(request);
      const agreement = await agreementFor(request.body);
      const scope = request.body.collection === undefined ? undefined : [(await deps.collections.resolve(caller, request.body.collection, 'read')).collection.id];
      return simulator.simulate(agreement, request.body.party, scope === undefined ? {} : { collectionIds: scope });
    });

    app.post<{ Params: { id: string }; Body: { from: number; to: number; party: string } }>('/agreements/:id/compare', {
      schema: {
        tags: ['policy'], summary: 'Dry run of two versions side by side: what changes for a party', params: idParams,
        body: { type: 'object', required: ['from', 'to', 'party'], additionalProperties: false, properties: { from: { type: 'integer', minimum: 1 }, to: { type: 'integer', minimum: 1 }, party: CODE } },
        response: { 200: anyObject, ...errorResponses(403, 404) },
      },
    }, async (request) => {
      liaisonOf(request);
      const [a, b] = await Promise.all([policy.getAgreement(request.params.id, request.body.from), policy.getAgreement(request.params.id, request.body.to)]);
      return simulator.compare(a.agreement, b.agreement, request.body.party);
    });

    app.get<{ Querystring: { recipient?: string; object?: string; agreement?: string; outcome?: ReleaseOutcome; channel?: DecisionChannel; since?: string; until?: string; limit?: number; cursor?: string } }>('/decisions', {
      schema: {
        tags: ['policy'], summary: 'The decision log: every release and denial of data leaving the node, oldest first (liaison, admin)',
        querystring: {
          type: 'object', additionalProperties: false,
          properties: {
            recipient: { type: 'string', description: '`peer:POL` or `user:alice`' }, object: { type: 'string' }, agreement: AGREEMENT_ID,
            outcome: { type: 'string', enum: ['allow', 'redact', 'deny'] }, channel: { type: 'string', enum: ['taxii', 'rest', 'export', 'federation', 'sensor-export'] },
            since: { type: 'string' }, until: { type: 'string' }, ...pageQueryProperties,
          },
        },
        response: { 200: { type: 'object', properties: { records: { type: 'array', items: anyObject }, next: { type: 'string' } } }, ...errorResponses(403) },
      },
    }, async (request) => {
      liaisonOf(request);
      const q = request.query;
      return policy.decisions({
        ...(q.recipient === undefined ? {} : { recipient: q.recipient }), ...(q.object === undefined ? {} : { objectId: q.object }),
        ...(q.agreement === undefined ? {} : { agreementId: q.agreement }), ...(q.outcome === undefined ? {} : { outcome: q.outcome }),
        ...(q.channel === undefined ? {} : { channel: q.channel }), ...(q.since === undefined ? {} : { since: q.since }),
        ...(q.until === undefined ? {} : { until: q.until }), ...(q.limit === undefined ? {} : { limit: q.limit }), ...(q.cursor === undefined ? {} : { cursor: q.cursor }),
      });
    });

    app.post<{ Body: { banner: string; defaultPolicy?: string } }>('/labels/parse', {
      schema: {
        tags: ['policy'], summary: 'Read a banner such as `NATO RESTRICTED // REL TO NATO`: the label, its canonical banner, and the STIX marking-definitions that carry it',
        body: {
          type: 'object', required: ['banner'], additionalProperties: false,
          properties: {
            banner: { type: 'string', maxLength: 1000 },
            defaultPolicy: { type: 'string', maxLength: 64, description: 'The classification policy a bare level belongs to (`USA` reads `SECRET//REL TO USA, GBR`); the canonical banner is then written for it too' },
          },
        },
        response: { 200: anyObject, ...errorResponses(422) },
      },
    }, async (request) => {
      const policies = policy.node.policies;
      const { banner, defaultPolicy } = request.body;
      const options = defaultPolicy === undefined ? {} : { defaultPolicy };
      const label = parseBanner(banner, { policies, ...options });
      return { label, banner: printBanner(label, policies, options), markings: markingsForLabel(label, policies) };
    });
  };
}
