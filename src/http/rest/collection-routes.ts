import type { FastifyPluginAsync } from 'fastify';
import type { Collection } from '../../ports/store.js';
import { adminOf, callerOf } from './caller.js';
import type { RestDeps } from './rest-deps.js';
import { errorResponses } from './schemas.js';

const URL_SAFE = { type: 'string', pattern: '^[A-Za-z0-9._~-]{1,128}$', description: '1-128 URL-safe characters' } as const;

const collectionSchema = {
  type: 'object',
  required: ['id', 'title', 'mediaTypes', 'createdAt', 'canRead', 'canWrite'],
  properties: {
    id: { type: 'string' },
    title: { type: 'string' },
    description: { type: 'string' },
    alias: { type: 'string' },
    mediaTypes: { type: 'array', items: { type: 'string' } },
    createdAt: { type: 'string' },
    canRead: { type: 'boolean', description: 'Whether the caller may read it' },
    canWrite: { type: 'boolean', description: 'Whether the caller may write to it' },
  },
} as const;

const grantSchema = {
  type: 'object',
  required: ['collection', 'user', 'read', 'write'],
  properties: { collection: { type: 'string' }, user: { type: 'string' }, read: { type: 'boolean' }, write: { type: 'boolean' } },
} as const;

interface NewCollection { readonly title: string; readonly description?: string; readonly alias?: string; readonly id?: string }
interface GrantParams { readonly id: string; readonly user: string }

const view = (collection: Collection, canRead: boolean, canWrite: boolean) => ({ ...collection, canRead, canWrite });

/** Collections: anyone lists what they can see; an admin creates, deletes and grants. */
export function collectionRoutes(deps: RestDeps): FastifyPluginAsync {
  const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 128 } } } as const;
  return async (app) => {
    app.get('/collections', {
      schema: {
        tags: ['collections'],
        summary: 'The collections the caller can read or write, with its rights on each',
        response: { 200: { type: 'array', items: collectionSchema }, ...errorResponses() },
      },
    }, async (request) => (await deps.collections.listVisible(callerOf(request))).map((v) => view(v.collection, v.canRead, v.canWrite)));

    app.post<{ Body: NewCollection }>('/collections', {
      schema: {
        tags: ['collections'],
        summary: 'Create a collection (admin)',
        body: {
          type: 'object',
          required: ['title'],
          additionalProperties: false,
          properties: {
            title: { type: 'string', minLength: 1, maxLength: 500 },
            description: { type: 'string', maxLength: 10_000 },
            alias: URL_SAFE,
            id: { ...URL_SAFE, description: 'Defaults to a new UUID' },
          },
        },
        response: { 201: collectionSchema, ...errorResponses(403, 409) },
      },
    }, async (request, reply) => {
      adminOf(request);
      const { title, description, alias, id } = request.body;
      const collection = await deps.collections.create({
        title,
        ...(description === undefined ? {} : { description }),
        ...(alias === undefined ? {} : { alias }),
        ...(id === undefined ? {} : { id }),
      });
      return reply.code(201).send(view(collection, true, true));
    });

    app.delete<{ Params: { readonly id: string } }>('/collections/:id', {
      schema: {
        tags: ['collections'],
        summary: 'Delete a collection with its objects and grants (admin)',
        params: idParams,
        response: { 204: { type: 'null', description: 'Deleted' }, ...errorResponses(403, 404) },
      },
    }, async (request, reply) => {
      adminOf(request);
      await deps.collections.delete(request.params.id);
      return reply.code(204).send();
    });

    app.get<{ Params: { readonly id: string } }>('/collections/:id/grants', {
      schema: {
        tags: ['collections'],
        summary: 'Who may read or write a collection (admin)',
        params: idParams,
        response: { 200: { type: 'array', items: grantSchema }, ...errorResponses(403, 404) },
      },
    }, async (request) => {
      adminOf(request);
      return (await deps.collections.listGrants(request.params.id)).map((g) => ({ collection: g.collectionId, user: g.principal, read: g.canRead, write: g.canWrite }));
    });

    app.put<{ Params: GrantParams; Body: { readonly read: boolean; readonly write: boolean } }>('/collections/:id/grants/:user', {
      schema: {
        tags: ['collections'],
        summary: 'Set a user\'s rights on a collection (admin); read and write both false removes access',
        params: { type: 'object', required: ['id', 'user'], properties: { id: { type: 'string', maxLength: 128 }, user: { type: 'string', maxLength: 64 } } },
        body: { type: 'object', required: ['read', 'write'], additionalProperties: false, properties: { read: { type: 'boolean' }, write: { type: 'boolean' } } },
        response: { 200: grantSchema, ...errorResponses(403, 404) },
      },
    }, async (request) => {
      adminOf(request);
      const { id, user } = request.params;
      const grant = await deps.collections.grant(id, user, { canRead: request.body.read, canWrite: request.body.write });
      return { collection: grant.collectionId, user: grant.principal, read: grant.canRead, write: grant.canWrite };
    });
  };
}
