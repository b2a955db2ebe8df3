import type { FastifyPluginAsync } from 'fastify';
import { EntenteError } from '../../core/errors.js';
import { isAdmin } from '../../services/accounts/index.js';
import { callerOf } from './caller.js';
import type { RestDeps } from './rest-deps.js';
import { errorResponses } from './schemas.js';

const anyObject = { type: 'object', additionalProperties: true } as const;

/** Federation status for operators and liaison officers: every peer, its last contact, backlog, errors and counts. */
export function peerRoutes(deps: RestDeps): FastifyPluginAsync {
  const { federation } = deps;
  return async (app) => {
    if (federation === undefined) return;
    app.get('/peers', {
      schema: { tags: ['federation'], summary: 'Every linked peer with its push state (liaison, admin); tokens are never shown', response: { 200: { type: 'array', items: anyObject }, ...errorResponses(403) } },
    }, async (request) => {
      const caller = callerOf(request);
      if (!isAdmin(caller) && !caller.roles.includes('liaison')) throw new EntenteError('ENTENTE_FORBIDDEN', `${caller.name} is neither a liaison officer nor an administrator`);
      return federation.status();
    });
  };
}
