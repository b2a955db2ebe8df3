import type { FastifyPluginAsync } from 'fastify';
import { EntenteError } from '../../core/errors.js';
import { isAdmin } from '../../services/accounts/index.js';
import { callerOf } from './caller.js';
import type { RestDeps } from './rest-deps.js';
import { errorResponses, STIX_TIMESTAMP_PATTERN } from './schemas.js';

const tokenSchema = {
  type: 'object',
  required: ['id', 'userName', 'description', 'createdAt'],
  properties: {
    id: { type: 'string', description: 'The public part of the token, for listings and revocation' },
    userName: { type: 'string' },
    description: { type: 'string' },
    createdAt: { type: 'string' },
    expiresAt: { type: 'string' },
    lastUsedAt: { type: 'string' },
  },
} as const;

interface NewToken { readonly description?: string; readonly expiresAt?: string; readonly user?: string }

/** API tokens: each user manages their own; an admin manages everyone's. */
export function tokenRoutes(deps: RestDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: { readonly user?: string } }>('/tokens', {
      schema: {
        tags: ['tokens'],
        summary: 'The caller\'s tokens (an admin sees all, or one user\'s with `user`)',
        querystring: { type: 'object', additionalProperties: false, properties: { user: { type: 'string', maxLength: 64 } } },
        response: { 200: { type: 'array', items: tokenSchema }, ...errorResponses(403) },
      },
    }, async (request) => {
      const principal = callerOf(request);
      const { user } = request.query;
      if (isAdmin(principal)) return deps.accounts.listTokens(user);
      if (user !== undefined && user !== principal.name) throw new EntenteError('ENTENTE_FORBIDDEN', 'Only an administrator may list another user\'s tokens', [{ path: 'user', message: 'not the caller' }]);
      return deps.accounts.listTokens(principal.name);
    });

    app.post<{ Body: NewToken }>('/tokens', {
      schema: {
        tags: ['tokens'],
        summary: 'Issue a token; the secret is in this answer only',
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            description: { type: 'string', maxLength: 500 },
            expiresAt: { type: 'string', pattern: STIX_TIMESTAMP_PATTERN, description: 'Absent: no expiry' },
            user: { type: 'string', maxLength: 64, description: 'Another user (admin only); the caller by default' },
          },
        },
        response: {
          201: {
            ...tokenSchema,
            required: [...tokenSchema.required, 'token'],
            properties: { ...tokenSchema.properties, token: { type: 'string', description: '`ent_<id>_<secret>`: send as `Authorization: Bearer …`. Shown once.' } },
          },
          ...errorResponses(403, 404),
        },
      },
    }, async (request, reply) => {
      const principal = callerOf(request);
      const body = request.body ?? {};
      const owner = body.user ?? principal.name;
      if (owner !== principal.name && !isAdmin(principal)) {
        throw new EntenteError('ENTENTE_FORBIDDEN', 'Only an administrator may issue a token for another user', [{ path: '$.user', message: 'not the caller' }]);
      }
      const created = await deps.accounts.createToken(owner, {
        ...(body.description === undefined ? {} : { description: body.description }),
        ...(body.expiresAt === undefined ? {} : { expiresAt: body.expiresAt }),
      });
      void reply.header('cache-control', 'no-store');
      return reply.code(201).send({ ...created.info, token: created.token });
    });

    app.delete<{ Params: { readonly id: string } }>('/tokens/:id', {
      schema: {
        tags: ['tokens'],
        summary: 'Revoke a token (the caller\'s own; an admin any)',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } },
        response: { 204: { type: 'null', description: 'Revoked' }, ...errorResponses(404) },
      },
    }, async (request, reply) => {
      const principal = callerOf(request);
      const { id } = request.params;
      // Someone else's token is "not found" to a non-admin, so ids cannot be probed.
      if (!isAdmin(principal) && !(await deps.accounts.listTokens(principal.name)).some((t) => t.id === id)) {
        throw new EntenteError('ENTENTE_NOT_FOUND', `No token ${id}`, [{ path: 'id', message: 'not found' }]);
      }
      await deps.accounts.revokeToken(id);
      return reply.code(204).send();
    });
  };
}
