import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { EntenteError } from '../../core/errors.js';
import type { AccountService } from '../../services/accounts/account-service.js';
import { isAdmin, type Principal } from '../../services/accounts/principal.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller, or undefined when the request carried no valid credentials. */
    principal: Principal | undefined;
    /** Why credentials that were sent did not hold; undefined when none were sent or they held. */
    authProblem: string | undefined;
  }
}

/** The challenges of a 401 (RFC 7235 section 4.1): both schemes the server accepts. */
export const WWW_AUTHENTICATE = ['Basic realm="entente", charset="UTF-8"', 'Bearer realm="entente"'];

/** Decodes `Authorization: Basic` (RFC 7617): user and password split at the first colon. */
function decodeBasic(encoded: string): { readonly user: string; readonly password: string } | undefined {
  const text = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon <= 0 ? undefined : { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

async function authenticate(accounts: AccountService, header: string): Promise<Principal | string> {
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const value = space < 0 ? '' : header.slice(space + 1).trim();
  if (scheme === 'basic') {
    const credentials = decodeBasic(value);
    if (credentials === undefined) return 'malformed Basic credentials';
    return (await accounts.authenticateBasic(credentials.user, credentials.password)) ?? 'unknown user or wrong password';
  }
  // taxii2-client's TokenAuth sends `Authorization: Token <key>`: the same token, another name.
  if (scheme === 'bearer' || scheme === 'token') return (await accounts.authenticateBearer(value)) ?? 'unknown, revoked or expired token';
  return `unsupported authorization scheme ${JSON.stringify(scheme.slice(0, 20))}: use Basic, Bearer or Token`;
}

/**
 * Authenticates every request that carries `Authorization` (Basic or Bearer) and sets
 * `request.principal`. It rejects nothing itself, so open routes (/healthz) stay open; routes
 * that need a caller call `requirePrincipal`. Not encapsulated: every plugin sees the principal.
 */
export function authPlugin(accounts: AccountService): FastifyPluginAsync {
  const plugin: FastifyPluginAsync = async (app) => {
    app.decorateRequest('principal', undefined);
    app.decorateRequest('authProblem', undefined);
    app.addHook('onRequest', async (request) => {
      const header = request.headers.authorization;
      if (header === undefined || header === '') return;
      const outcome = await authenticate(accounts, header);
      if (typeof outcome === 'string') request.authProblem = outcome;
      else request.principal = outcome;
    });
  };
  // What fastify-plugin sets: the hook and decorators must reach sibling plugins.
  Object.assign(plugin, { [Symbol.for('skip-override')]: true });
  return plugin;
}

/** The caller, or ENTENTE_UNAUTHENTICATED (401; the error handler adds the challenges). */
export function requirePrincipal(request: FastifyRequest): Principal {
  if (request.principal !== undefined) return request.principal;
  throw new EntenteError('ENTENTE_UNAUTHENTICATED', request.authProblem === undefined ? 'Authentication is required: HTTP Basic or a Bearer token' : `Authentication failed: ${request.authProblem}`);
}

/** A preHandler for routes that need a caller. */
export async function requireAuth(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  requirePrincipal(request);
}

/** Whether the caller is an authenticated admin (for /metrics when it is protected). */
export function isAdminRequest(request: FastifyRequest): boolean {
  return request.principal !== undefined && isAdmin(request.principal);
}
