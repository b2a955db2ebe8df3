import type { FastifyReply, FastifyRequest } from 'fastify';
import { EntenteError } from '../../core/errors.js';
import type { Principal } from '../../services/accounts/principal.js';
import type { ApiRootConfig, ResolvedHttpConfig } from '../http-config.js';
import { requirePrincipal } from '../plugins/auth-plugin.js';
import { TAXII_21 } from '../plugins/media-type.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The media type negotiated for the answer of a TAXII request. */
    taxiiMediaType: string | undefined;
  }
}

export interface ApiRootParams {
  readonly apiRoot: string;
}

/** The API root a request names, or 404: the set of roots is configuration, not data. */
export function apiRootOf(config: ResolvedHttpConfig, name: string): ApiRootConfig {
  const root = config.apiRoots.find((r) => r.name === name);
  if (root === undefined) throw new EntenteError('ENTENTE_NOT_FOUND', `No API root ${name}`);
  return root;
}

/** The caller of a TAXII request (every TAXII endpoint needs one, discovery included). */
export function callerOf(request: FastifyRequest): Principal {
  return requirePrincipal(request);
}

/** Sends a TAXII resource with the negotiated media type. */
export function sendTaxii(reply: FastifyReply, body: unknown, status = 200, headers: Record<string, string> = {}): FastifyReply {
  return sendTaxiiJson(reply, JSON.stringify(body), status, headers);
}

/** Sends JSON already encoded, as text or as its UTF-8 bytes (see `envelopeBytes`). */
export function sendTaxiiJson(reply: FastifyReply, json: string | Buffer, status = 200, headers: Record<string, string> = {}): FastifyReply {
  // Sent as bytes so that Fastify keeps the header verbatim: for a string it rewrites a JSON media
  // type as `version="2.1"; charset=utf-8`, and taxii2-client compares `version=2.1` literally.
  return reply.code(status).headers(headers).header('content-type', reply.request.taxiiMediaType ?? TAXII_21).send(typeof json === 'string' ? Buffer.from(json) : json);
}

/** The base URL clients see: configured, or from the request (proxy headers only when trusted). */
export function baseUrlOf(config: ResolvedHttpConfig, request: FastifyRequest): string {
  if (config.publicUrl !== undefined) return config.publicUrl.replace(/\/+$/, '');
  return `${request.protocol}://${request.host}`;
}
