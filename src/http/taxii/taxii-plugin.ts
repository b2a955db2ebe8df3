import type { FastifyPluginAsync } from 'fastify';
import { EntenteError } from '../../core/errors.js';
import { isAcceptableBodyType, negotiator, STIX_21, TAXII_21 } from '../plugins/media-type.js';
import { callerOf } from './taxii-context.js';
import { taxiiDiscoveryRoutes, type TaxiiRouteDeps } from './taxii-discovery-routes.js';
import { taxiiObjectRoutes } from './taxii-object-routes.js';

/** The URL prefix of the TAXII interface: discovery is `/taxii2/`, API roots `/taxii2/<name>/`. */
export const TAXII_PREFIX = '/taxii2';

/** Whether a URL is served by the TAXII plugin (its errors then take the TAXII format). */
export function isTaxiiUrl(url: string): boolean {
  return url === TAXII_PREFIX || url.startsWith(`${TAXII_PREFIX}/`) || url.startsWith(`${TAXII_PREFIX}?`);
}

/**
 * The TAXII 2.1 server, encapsulated; register it with `{ prefix: TAXII_PREFIX }`. Every request
 * must be authenticated (401 first) and accept a TAXII or STIX media type (406 otherwise).
 */
export function taxiiPlugin(deps: TaxiiRouteDeps): FastifyPluginAsync {
  return async (app) => {
    const negotiateTaxii = negotiator([TAXII_21, STIX_21]);
    app.decorateRequest('taxiiMediaType', undefined);
    // onRequest, before the body is read: an anonymous caller or a wrong media type is refused
    // without spending effort on the body.
    app.addHook('onRequest', async (request) => {
      callerOf(request);
      const chosen = negotiateTaxii(request.headers.accept);
      if (chosen === undefined) {
        throw new EntenteError('ENTENTE_NOT_ACCEPTABLE', `Accept ${JSON.stringify(request.headers.accept ?? '')} names no media type this server produces: use ${TAXII_21}`);
      }
      request.taxiiMediaType = chosen;
      // Section 5.5: the body is a TAXII envelope; another TAXII version is refused with 415.
      if (request.method === 'POST' && !isAcceptableBodyType(request.headers['content-type'])) {
        throw new EntenteError('ENTENTE_UNSUPPORTED_MEDIA_TYPE', `Content-Type ${JSON.stringify(request.headers['content-type'] ?? '')} is not accepted: send ${TAXII_21}`);
      }
    });
    await app.register(taxiiDiscoveryRoutes(deps));
    await app.register(taxiiObjectRoutes(deps));
  };
}
