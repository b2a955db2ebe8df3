import type { SwaggerOptions } from '@fastify/swagger';

/** The OpenAPI 3 frame around the route schemas: identity, security schemes, tags. */
export function openApiOptions(version: string): SwaggerOptions {
  return {
    // Shared schemas appear under components by their $id (`RestError`), not as `def-0`.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json['$id'] === 'string' ? json['$id'] : `def-${i}`) },
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Entente REST API',
        version,
        description: 'Search, objects, graph, imports and administration of one Entente node. Errors use `{ error: { code, message, details } }` with the codes of docs/errors.md. TAXII 2.1 is served separately under /taxii2/.',
      },
      components: {
        securitySchemes: {
          basicAuth: { type: 'http', scheme: 'basic', description: 'User name and password' },
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API token `ent_<id>_<secret>` from POST /api/v1/tokens' },
        },
      },
      security: [{ basicAuth: [] }, { bearerAuth: [] }],
      tags: [
        { name: 'intel', description: 'Search, objects, versions and the graph, limited to what the caller can read' },
        { name: 'imports', description: 'STIX bundles ingested into a collection, recorded as jobs' },
        { name: 'collections', description: 'Collections and who may read or write them' },
        { name: 'users', description: 'Accounts and roles (admin)' },
        { name: 'tokens', description: 'API tokens for scripts and TAXII clients' },
      ],
    },
  };
}
