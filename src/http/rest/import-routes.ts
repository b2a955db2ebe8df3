import type { FastifyPluginAsync } from 'fastify';
import { callerOf } from './caller.js';
import { importJobSchema, jobOf } from './import-jobs.js';
import type { RestDeps } from './rest-deps.js';
import { errorResponses, pageQueryProperties } from './schemas.js';

interface ImportQuery {
  readonly collection: string;
  readonly partial?: boolean;
  readonly strict?: boolean;
}

const bundleSchema = {
  type: 'object',
  description: 'A STIX 2.1 bundle. Each object is checked by the STIX validator; its errors come back with JSON paths.',
  required: ['type', 'objects'],
  properties: {
    type: { type: 'string', enum: ['bundle'] },
    id: { type: 'string' },
    objects: { type: 'array', items: { type: 'object', additionalProperties: true } },
  },
  additionalProperties: true,
} as const;

const postAnswerSchema = {
  ...importJobSchema,
  required: [...importJobSchema.required, 'summary'],
  properties: {
    ...importJobSchema.properties,
    summary: {
      type: 'object',
      description: 'How each object ended (only in the answer to the POST)',
      required: ['added', 'duplicates', 'rejected', 'notWritten'],
      properties: {
        added: { type: 'integer' },
        duplicates: { type: 'integer' },
        rejected: { type: 'integer' },
        notWritten: { type: 'integer', description: 'Valid, but not written because another object was rejected and partial was off' },
      },
    },
  },
} as const;

/** Import jobs: a STIX bundle ingested into a collection, recorded so it can be read back. */
export function importRoutes(deps: RestDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Querystring: ImportQuery; Body: unknown }>('/imports', {
      schema: {
        tags: ['imports'],
        summary: 'Import a STIX bundle into a collection',
        description: 'All-or-nothing unless `partial=true`: then valid objects are written and invalid ones reported. `strict=true` turns validator warnings into errors. The job is recorded and can be read back at `/imports/{id}`.',
        querystring: {
          type: 'object',
          required: ['collection'],
          additionalProperties: false,
          properties: {
            collection: { type: 'string', minLength: 1, description: 'Collection id or alias; the caller needs write access' },
            partial: { type: 'boolean', default: false },
            strict: { type: 'boolean', default: false },
          },
        },
        body: bundleSchema,
        response: { 201: postAnswerSchema, ...errorResponses(403, 404, 413, 415) },
      },
    }, async (request, reply) => {
      const principal = callerOf(request);
      const { collection, partial, strict } = request.query;
      const target = await deps.collections.resolve(principal, collection, 'write');
      const report = await deps.intel.ingest(target.collection.id, request.body, {
        actor: principal,
        partial: partial === true,
        strict: strict === true,
      });
      const status = await deps.intel.recordStatus(report, principal);
      const summary = { added: report.added, duplicates: report.duplicates, rejected: report.rejected, notWritten: report.notWritten };
      return reply.code(201).header('location', `${request.url.split('/imports')[0]}/imports/${status.id}`).send({ ...jobOf(status), summary });
    });

    app.get<{ Params: { readonly id: string } }>('/imports/:id', {
      schema: {
        tags: ['imports'],
        summary: 'One import job (its owner or an admin)',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 128 } } },
        response: { 200: importJobSchema, ...errorResponses(404) },
      },
    }, async (request) => jobOf(await deps.intel.status(request.params.id, callerOf(request))));

    app.get<{ Querystring: { readonly limit?: number; readonly cursor?: string } }>('/imports', {
      schema: {
        tags: ['imports'],
        summary: 'The caller\'s import jobs, newest first (an admin sees everyone\'s)',
        querystring: { type: 'object', additionalProperties: false, properties: { ...pageQueryProperties } },
        response: {
          200: { type: 'object', required: ['jobs'], properties: { jobs: { type: 'array', items: importJobSchema }, next: { type: 'string' } } },
        },
      },
    }, async (request) => {
      const page = await deps.intel.listStatuses(callerOf(request), {
        ...(request.query.limit === undefined ? {} : { limit: request.query.limit }),
        ...(request.query.cursor === undefined ? {} : { cursor: request.query.cursor }),
      });
      return { jobs: page.statuses.map(jobOf), ...(page.next === undefined ? {} : { next: page.next }) };
    });
  };
}
