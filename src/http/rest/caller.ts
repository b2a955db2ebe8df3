import type { FastifyRequest } from 'fastify';
import { EntenteError } from '../../core/errors.js';
import { isAdmin, type Principal } from '../../services/accounts/index.js';
import { requirePrincipal } from '../plugins/auth-plugin.js';

/** The authenticated caller of a REST request (ENTENTE_UNAUTHENTICATED otherwise). */
export function callerOf(request: FastifyRequest): Principal {
  return requirePrincipal(request);
}

/** The caller, when it holds the admin role; ENTENTE_FORBIDDEN otherwise. */
export function adminOf(request: FastifyRequest): Principal {
  const principal = callerOf(request);
  if (!isAdmin(principal)) throw new EntenteError('ENTENTE_FORBIDDEN', `${principal.name} is not an administrator; this route needs the admin role`);
  return principal;
}
