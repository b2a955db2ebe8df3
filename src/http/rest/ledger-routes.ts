import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { EntenteError } from '../../core/errors.js';
import { isAdmin } from '../../services/accounts/index.js';
import { callerOf } from './caller.js';
import type { RestDeps } from './rest-deps.js';
import { errorResponses } from './schemas.js';

const anyObject = { type: 'object', additionalProperties: true } as const;

/** Ledger entries name recipients and objects: liaison officers, auditors with the admin role, and administrators. */
function auditorOf(request: FastifyRequest): void {
  const caller = callerOf(request);
  if (!isAdmin(caller) && !caller.roles.includes('liaison')) throw new EntenteError('ENTENTE_FORBIDDEN', `${caller.name} is neither a liaison officer nor an administrator`);
}

/** The transparency ledger: its state, signed checkpoints, and proofs to check offline (`entente ledger check-proof`). */
export function ledgerRoutes(deps: RestDeps): FastifyPluginAsync {
  const { ledger } = deps;
  return async (app) => {
    if (ledger === undefined) return;
    app.get('/ledger', {
      schema: { tags: ['ledger'], summary: 'Size and root of the ledger, and its latest signed checkpoint', response: { 200: anyObject, ...errorResponses(403) } },
    }, async (request) => {
      auditorOf(request);
      return ledger.summary();
    });
    app.post('/ledger/checkpoints', {
      schema: { tags: ['ledger'], summary: "Sign a checkpoint of the ledger as it is now with the node's key (admin)", response: { 201: anyObject, ...errorResponses(403) } },
    }, async (request, reply) => {
      if (!isAdmin(callerOf(request))) throw new EntenteError('ENTENTE_FORBIDDEN', 'Signing a checkpoint needs the admin role');
      return reply.code(201).send(await ledger.checkpoint());
    });
    app.get<{ Querystring: { entry: string } }>('/ledger/proofs/inclusion', {
      schema: {
        tags: ['ledger'], summary: 'The inclusion proof of an entry (index or leaf hash) against the latest checkpoint, as a proof document',
        querystring: { type: 'object', required: ['entry'], additionalProperties: false, properties: { entry: { type: 'string', maxLength: 128 } } },
        response: { 200: anyObject, ...errorResponses(403, 404) },
      },
    }, async (request) => {
      auditorOf(request);
      return (await ledger.inclusion(request.query.entry)).document;
    });
    app.get<{ Querystring: { from: number; to: number } }>('/ledger/proofs/consistency', {
      schema: {
        tags: ['ledger'], summary: 'The consistency proof between two sizes of the ledger, as a proof document',
        querystring: { type: 'object', required: ['from', 'to'], additionalProperties: false, properties: { from: { type: 'integer', minimum: 0 }, to: { type: 'integer', minimum: 0 } } },
        response: { 200: anyObject, ...errorResponses(403) },
      },
    }, async (request) => {
      auditorOf(request);
      return ledger.consistency(request.query.from, request.query.to);
    });
  };
}
