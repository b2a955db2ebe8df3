import type { FastifyPluginAsync } from 'fastify';
import type { CollectionService } from '../../services/collections/collection-service.js';
import type { IntelService } from '../../services/intel/intel-service.js';
import type { ResolvedHttpConfig } from '../http-config.js';
import { TAXII_21 } from '../plugins/media-type.js';
import { apiRootOf, baseUrlOf, callerOf, sendTaxii, type ApiRootParams } from './taxii-context.js';
import { collectionResource, statusResource } from './taxii-format.js';

export interface TaxiiRouteDeps {
  readonly intel: IntelService;
  readonly collections: CollectionService;
  readonly config: ResolvedHttpConfig;
}

/** Discovery (4.1), API root information (4.2), status (4.3), collections (5.1) and one collection (5.2). */
export function taxiiDiscoveryRoutes({ intel, collections, config }: TaxiiRouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.get('/', async (request, reply) => {
      callerOf(request);
      const base = `${baseUrlOf(config, request)}/taxii2`;
      // Absolute URLs: section 4.1 allows relative ones, but not every client resolves them.
      const roots = config.apiRoots.map((r) => `${base}/${r.name}/`);
      return sendTaxii(reply, {
        title: config.title,
        ...(config.description === undefined ? {} : { description: config.description }),
        ...(config.contact === undefined ? {} : { contact: config.contact }),
        ...(roots[0] === undefined ? {} : { default: roots[0] }),
        api_roots: roots,
      });
    });

    app.get<{ Params: ApiRootParams }>('/:apiRoot/', async (request, reply) => {
      callerOf(request);
      const root = apiRootOf(config, request.params.apiRoot);
      return sendTaxii(reply, {
        title: root.title,
        ...(root.description === undefined ? {} : { description: root.description }),
        versions: [TAXII_21],
        max_content_length: config.maxContentLength,
      });
    });

    app.get<{ Params: ApiRootParams & { readonly statusId: string } }>('/:apiRoot/status/:statusId/', async (request, reply) => {
      const caller = callerOf(request);
      apiRootOf(config, request.params.apiRoot);
      return sendTaxii(reply, statusResource(await intel.status(request.params.statusId, caller)));
    });

    app.get<{ Params: ApiRootParams }>('/:apiRoot/collections/', async (request, reply) => {
      const caller = callerOf(request);
      apiRootOf(config, request.params.apiRoot);
      const visible = await collections.listVisible(caller);
      // Section 5.1: an empty list is left out rather than sent empty.
      return sendTaxii(reply, visible.length === 0 ? {} : { collections: visible.map((v) => collectionResource(v.collection, v)) });
    });

    app.get<{ Params: ApiRootParams & { readonly collectionId: string } }>('/:apiRoot/collections/:collectionId/', async (request, reply) => {
      const caller = callerOf(request);
      apiRootOf(config, request.params.apiRoot);
      const visible = await collections.resolve(caller, request.params.collectionId, 'see');
      return sendTaxii(reply, collectionResource(visible.collection, visible));
    });
  };
}
