import type { FastifyPluginAsync } from 'fastify';
import { readerOf, type Reader } from '../../services/intel/release-gate.js';
import { EntenteError } from '../../core/errors.js';
import { normaliseTimestamp } from '../../core/stix/index.js';
import type { StixLike, StoredObject } from '../../ports/store.js';
import { callerOf } from './caller.js';
import type { RestDeps } from './rest-deps.js';
import { errorResponses, STIX_TIMESTAMP_PATTERN, stixIdParams, stixObjectSchema } from './schemas.js';
import { readableScope } from './scope.js';

interface IdParams { readonly id: string }

const versionListSchema = {
  type: 'object',
  required: ['id', 'versions'],
  properties: {
    id: { type: 'string' },
    versions: {
      type: 'array',
      description: 'Oldest first',
      items: {
        type: 'object',
        required: ['version', 'collections'],
        properties: {
          version: { type: 'string' },
          specVersion: { type: 'string' },
          collections: { type: 'array', items: { type: 'string' }, description: 'Readable collections that hold this version' },
        },
      },
    },
  },
} as const;

const graphSchema = {
  type: 'object',
  required: ['nodes', 'edges', 'missing'],
  properties: {
    nodes: { type: 'array', items: stixObjectSchema, description: 'Latest version of every object reached, the start included' },
    edges: {
      type: 'array',
      items: {
        type: 'object',
        required: ['source', 'target', 'kind', 'label'],
        properties: {
          source: { type: 'string' },
          target: { type: 'string' },
          kind: { type: 'string', enum: ['relationship', 'sighting', 'ref'] },
          label: { type: 'string', description: 'relationship_type, or the property that holds the reference' },
          via: { type: 'string', description: 'The relationship or sighting that makes the edge' },
        },
      },
    },
    missing: { type: 'array', items: { type: 'string' }, description: 'Ids referenced by the nodes but not readable here' },
  },
} as const;

function notFound(id: string): EntenteError {
  // The same answer whether the object does not exist or lives only where the caller cannot read.
  return new EntenteError('ENTENTE_NOT_FOUND', `No object ${id}`, [{ path: 'id', message: 'not found' }]);
}

/** Every version of one object in one collection, following pages to the end. */
async function versionsIn(deps: RestDeps, collectionId: string, id: string, reader: Reader): Promise<StoredObject[]> {
  const all: StoredObject[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.intel.versions(collectionId, id, { limit: deps.intel.pageSizes.max, ...(cursor === undefined ? {} : { cursor }) }, reader);
    all.push(...page.objects);
    cursor = page.next;
  } while (cursor !== undefined);
  return all;
}

/** `GET /objects/{id}`, its versions and its neighbourhood, within the collections the caller can read. */
export function objectRoutes(deps: RestDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: IdParams; Querystring: { readonly version?: string } }>('/objects/:id', {
      schema: {
        tags: ['intel'],
        summary: 'One object: the latest version, or the one named by `version`',
        params: stixIdParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { version: { type: 'string', pattern: STIX_TIMESTAMP_PATTERN, description: 'The `modified` timestamp of the wanted version' } },
        },
        response: { 200: stixObjectSchema, ...errorResponses(404) },
      },
    }, async (request) => {
      const { id } = request.params;
      const reader = readerOf(callerOf(request), 'rest');
      const scope = await readableScope(deps, callerOf(request));
      if (scope.length === 0) throw notFound(id);
      if (request.query.version === undefined) {
        const latest = await deps.intel.latest(id, scope, reader);
        if (latest === undefined) throw notFound(id);
        return latest;
      }
      const at = normaliseTimestamp(request.query.version);
      const pages = await Promise.all(scope.map((c) => deps.intel.object(c, id, { versions: [{ at }], limit: 1 }, reader)));
      const found: StixLike | undefined = pages.find((p) => p.objects.length > 0)?.objects[0]?.object;
      if (found === undefined) throw new EntenteError('ENTENTE_NOT_FOUND', `No version ${at} of ${id}`, [{ path: 'version', message: 'not found' }]);
      return found;
    });

    app.get<{ Params: IdParams }>('/objects/:id/versions', {
      schema: {
        tags: ['intel'],
        summary: 'Every version of an object the caller can read, oldest first',
        params: stixIdParams,
        response: { 200: versionListSchema, ...errorResponses(404) },
      },
    }, async (request) => {
      const { id } = request.params;
      const scope = await readableScope(deps, callerOf(request));
      const reader = readerOf(callerOf(request), 'rest');
      const byVersion = new Map<string, { version: string; specVersion: string; collections: string[] }>();
      for (const collectionId of scope) {
        for (const stored of await versionsIn(deps, collectionId, id, reader)) {
          const entry = byVersion.get(stored.version) ?? { version: stored.version, specVersion: stored.specVersion, collections: [] };
          entry.collections.push(collectionId);
          byVersion.set(stored.version, entry);
        }
      }
      if (byVersion.size === 0) throw notFound(id);
      return { id, versions: [...byVersion.values()].sort((a, b) => a.version.localeCompare(b.version)) };
    });

    app.get<{ Params: IdParams; Querystring: { readonly depth?: 1 | 2; readonly direction?: 'in' | 'out' | 'both' } }>('/objects/:id/neighbours', {
      schema: {
        tags: ['intel'],
        summary: 'The graph around an object: relationships, sightings and embedded references',
        params: stixIdParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            depth: { type: 'integer', enum: [1, 2], default: 1 },
            direction: { type: 'string', enum: ['in', 'out', 'both'], default: 'both' },
          },
        },
        response: { 200: graphSchema, ...errorResponses(404) },
      },
    }, async (request) => {
      const { id } = request.params;
      const scope = await readableScope(deps, callerOf(request));
      const reader = readerOf(callerOf(request), 'rest');
      if (scope.length === 0 || (await deps.intel.latest(id, scope, reader)) === undefined) throw notFound(id);
      const graph = await deps.intel.neighbours({
        id,
        depth: request.query.depth ?? 1,
        direction: request.query.direction ?? 'both',
        collectionIds: scope,
      }, reader);
      return { nodes: graph.objects, edges: graph.edges, missing: graph.missing };
    });
  };
}
