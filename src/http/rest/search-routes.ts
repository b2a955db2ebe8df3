import type { FastifyPluginAsync } from 'fastify';
import { readerOf } from '../../services/intel/release-gate.js';
import type { RestDeps } from './rest-deps.js';
import { callerOf } from './caller.js';
import { readableScope } from './scope.js';
import { errorResponses, pageQueryProperties, stixObjectSchema } from './schemas.js';

interface SearchQuery {
  readonly q: string;
  readonly type?: string;
  readonly collection?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

const hitSchema = {
  type: 'object',
  required: ['id', 'type', 'version', 'title', 'object'],
  properties: {
    id: { type: 'string' },
    type: { type: 'string' },
    version: { type: 'string', description: 'The `modified` of the latest version' },
    title: { type: 'string', description: 'A short label: name, value, pattern or id' },
    object: stixObjectSchema,
  },
} as const;

/** `GET /search`: full-text search over the latest versions the caller can read. */
export function searchRoutes(deps: RestDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: SearchQuery }>('/search', {
      schema: {
        tags: ['intel'],
        summary: 'Full-text search',
        description: 'Words are AND-ed and matched as prefixes, case-insensitively, over names, descriptions, patterns and observable values. Only collections the caller can read are searched.',
        querystring: {
          type: 'object',
          required: ['q'],
          additionalProperties: false,
          properties: {
            q: { type: 'string', minLength: 1, maxLength: 1000, description: 'The search text' },
            type: { type: 'string', pattern: '^[a-z0-9-]+(,[a-z0-9-]+)*$', description: 'STIX types, comma-separated (`indicator,malware`)' },
            collection: { type: 'string', description: 'Limit to one collection (id or alias)' },
            ...pageQueryProperties,
          },
        },
        response: {
          200: { type: 'object', required: ['hits'], properties: { hits: { type: 'array', items: hitSchema }, next: { type: 'string' } } },
          ...errorResponses(403, 404),
        },
      },
    }, async (request) => {
      const principal = callerOf(request);
      const { q, type, collection, limit, cursor } = request.query;
      const scope = await readableScope(deps, principal, collection);
      // An empty scope means "nothing", whereas the store reads an absent one as "everything".
      if (scope.length === 0) return { hits: [] };
      const page = await deps.intel.search({
        text: q,
        collectionIds: scope,
        ...(type === undefined ? {} : { types: type.split(',') }),
        ...(limit === undefined ? {} : { limit }),
        ...(cursor === undefined ? {} : { cursor }),
      }, readerOf(principal, 'rest'));
      return { hits: page.hits, ...(page.next === undefined ? {} : { next: page.next }) };
    });
  };
}
