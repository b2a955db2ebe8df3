import swagger from '@fastify/swagger';
import type { FastifyPluginAsync } from 'fastify';
import { EntenteError } from '../../core/errors.js';
import { requireAuth } from '../plugins/auth-plugin.js';
import { collectionRoutes } from './collection-routes.js';
import { importRoutes } from './import-routes.js';
import { objectRoutes } from './object-routes.js';
import { ledgerRoutes } from './ledger-routes.js';
import { peerRoutes } from './peer-routes.js';
import { policyRoutes } from './policy-routes.js';
import { openApiOptions } from './openapi.js';
import type { RestDeps } from './rest-deps.js';
import { handleRestError } from './rest-errors.js';
import { errorSchema } from './schemas.js';
import { searchRoutes } from './search-routes.js';
import { rejectUnknownBodyProperties } from './strict-body.js';
import { tokenRoutes } from './token-routes.js';
import { userRoutes } from './user-routes.js';

export type { RestDeps } from './rest-deps.js';
export type { ImportJob, JobFailure } from './import-jobs.js';
export { restErrorBody, type RestErrorBody } from './rest-errors.js';

/** Where the REST API lives. */
export const REST_PREFIX = '/api/v1';

/**
 * The REST API under `/api/v1` as one encapsulated plugin: its own error format
 * (`{ error: { code, message, details } }`), its own 404, and its OpenAPI document at
 * `/api/v1/openapi.json`, generated from the route schemas. The TAXII routes live in another
 * plugin and are not in this document: TAXII 2.1 is specified by OASIS, not by us.
 * Authentication is the shared auth plugin's: every route reads the caller it established.
 */
export function restApi(deps: RestDeps): FastifyPluginAsync {
  return async (app) => {
    // Registered here, inside the encapsulated context, so the document lists exactly the REST routes.
    await app.register(swagger, openApiOptions(deps.version));
    app.addSchema(errorSchema);
    await app.register(async (api) => {
      // The REST API speaks JSON only; Fastify's default text/plain parser would hand a string
      // to the schema and answer 400 where 415 names the real problem.
      api.removeContentTypeParser('text/plain');
      api.setErrorHandler((error, request, reply) => handleRestError(error, request, reply));
      api.setNotFoundHandler((request, reply) =>
        handleRestError(new EntenteError('ENTENTE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`), request, reply),
      );
      // The document describes the API, not data: integrators' tools may fetch it without credentials.
      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
      await api.register(async (authenticated) => {
        // onRequest, before body parsing and validation: an anonymous caller learns nothing
        // about the shape its request should have, only that it must authenticate.
        authenticated.addHook('onRequest', requireAuth);
        authenticated.addHook('preValidation', rejectUnknownBodyProperties);
        for (const routes of [searchRoutes, objectRoutes, importRoutes, userRoutes, tokenRoutes, collectionRoutes, policyRoutes, peerRoutes, ledgerRoutes]) {
          await authenticated.register(routes(deps));
        }
      });
    }, { prefix: REST_PREFIX });
  };
}
