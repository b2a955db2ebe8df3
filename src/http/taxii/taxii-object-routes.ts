import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { EntenteError } from '../../core/errors.js';
import { readerOf } from '../../services/intel/release-gate.js';
import { ENDPOINT_FILTERS, parseTaxiiFilters, type FilterParameter, type ObjectFilters } from '../../services/intel/taxii-filters.js';
import { apiRootOf, callerOf, sendTaxii, sendTaxiiJson, type ApiRootParams } from './taxii-context.js';
import type { TaxiiRouteDeps } from './taxii-discovery-routes.js';
import { dateAddedHeaders, envelopeBytes, manifestResource, statusResource, versionsResource } from './taxii-format.js';

interface CollectionParams extends ApiRootParams {
  readonly collectionId: string;
}
interface ObjectParams extends CollectionParams {
  readonly objectId: string;
}

/** Manifest (5.3), objects (5.4, 5.5), one object (5.6, 5.7) and its versions (5.8). */
export function taxiiObjectRoutes({ intel, collections, config }: TaxiiRouteDeps): FastifyPluginAsync {
  const filtersOf = (request: FastifyRequest, supported: ReadonlyArray<FilterParameter>): ObjectFilters => {
    const filters = parseTaxiiFilters(request.query as Record<string, unknown>, supported);
    // The HTTP page sizes apply first; the service clamps again to its own ceiling.
    const limit = Math.min(filters.limit ?? config.pageSize.default, config.pageSize.max);
    return { ...filters, limit };
  };
  const collectionFor = async (request: FastifyRequest<{ Params: CollectionParams }>, need: 'read' | 'write') => {
    const caller = callerOf(request);
    apiRootOf(config, request.params.apiRoot);
    return { caller, ...(await collections.resolve(caller, request.params.collectionId, need)) };
  };

  return async (app) => {
    app.get<{ Params: CollectionParams }>('/:apiRoot/collections/:collectionId/manifest/', async (request, reply) => {
      const { caller, collection } = await collectionFor(request, 'read');
      const page = await intel.manifest(collection.id, filtersOf(request, ENDPOINT_FILTERS.manifest), readerOf(caller, 'taxii'));
      return sendTaxii(reply, manifestResource(page), 200, dateAddedHeaders(page.objects));
    });

    app.get<{ Params: CollectionParams }>('/:apiRoot/collections/:collectionId/objects/', async (request, reply) => {
      const { caller, collection } = await collectionFor(request, 'read');
      const page = await intel.objects(collection.id, filtersOf(request, ENDPOINT_FILTERS.objects), readerOf(caller, 'taxii'));
      return sendTaxiiJson(reply, envelopeBytes(page), 200, dateAddedHeaders(page.objects));
    });

    app.post<{ Params: CollectionParams }>('/:apiRoot/collections/:collectionId/objects/', async (request, reply) => {
      const { caller, collection } = await collectionFor(request, 'write');
      if (request.body === undefined || request.body === null) {
        throw new EntenteError('ENTENTE_BAD_REQUEST', 'The body must be a TAXII envelope: {"objects": [...]}', [{ path: '$', message: 'missing body' }]);
      }
      const report = await intel.ingest(collection.id, request.body, { actor: caller, partial: config.postMode === 'partial' });
      const status = await intel.recordStatus(report, caller);
      return sendTaxii(reply, statusResource(status), 202);
    });

    app.get<{ Params: ObjectParams }>('/:apiRoot/collections/:collectionId/objects/:objectId/', async (request, reply) => {
      const { caller, collection } = await collectionFor(request, 'read');
      const filters = filtersOf(request, ENDPOINT_FILTERS.object);
      const page = await intel.object(collection.id, request.params.objectId, filters, readerOf(caller, 'taxii'));
      if (page.objects.length === 0 && filters.cursor === undefined) throw new EntenteError('ENTENTE_NOT_FOUND', `No object ${request.params.objectId} matches in this collection`);
      return sendTaxiiJson(reply, envelopeBytes(page), 200, dateAddedHeaders(page.objects));
    });

    app.delete<{ Params: ObjectParams }>('/:apiRoot/collections/:collectionId/objects/:objectId/', async (request, reply) => {
      const { collection } = await collectionFor(request, 'write');
      const filters = parseTaxiiFilters(request.query as Record<string, unknown>, ENDPOINT_FILTERS.deleteObject);
      const removed = await intel.deleteObject(collection.id, request.params.objectId, filters);
      if (removed === 0) throw new EntenteError('ENTENTE_NOT_FOUND', `No object ${request.params.objectId} matches in this collection`);
      // Section 5.7: success is a 200 without a body.
      return reply.code(200).send();
    });

    app.get<{ Params: ObjectParams }>('/:apiRoot/collections/:collectionId/objects/:objectId/versions/', async (request, reply) => {
      const { caller, collection } = await collectionFor(request, 'read');
      const filters = filtersOf(request, ENDPOINT_FILTERS.versions);
      const page = await intel.versions(collection.id, request.params.objectId, filters, readerOf(caller, 'taxii'));
      if (page.objects.length === 0 && filters.cursor === undefined) throw new EntenteError('ENTENTE_NOT_FOUND', `No object ${request.params.objectId} matches in this collection`);
      return sendTaxii(reply, versionsResource(page), 200, dateAddedHeaders(page.objects));
    });
  };
}
