import type { FastifyRequest } from 'fastify';
import { EntenteError } from '../../core/errors.js';
import { isAdmin, type Principal } from '../../services/accounts/index.js';

/**
 * The authenticated caller of a REST request, as the shared auth plugin left it on the request.
 * Every REST route is authenticated; a request without a principal never reaches a handler.
 */
export function callerOf(request: FastifyRequest): Principal {
  const principal = (request as FastifyRequest & { principal?: Principal }).principal;
  if (principal === undefined) throw new EntenteError('ENTENTE_UNAUTHENTICATED');
  return principal;
}

/** The caller, when it holds the admin role; ENTENTE_FORBIDDEN otherwise. */
export function adminOf(request: FastifyRequest): Principal {
  const principal = callerOf(request);
  if (!isAdmin(principal)) throw new EntenteError('ENTENTE_FORBIDDEN', `${principal.name} is not an administrator; this route needs the admin role`);
  return principal;
}
