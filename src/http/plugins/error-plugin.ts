import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { EntenteError } from '../../core/errors.js';
import { taxiiErrorBody } from '../taxii/taxii-error.js';
import { WWW_AUTHENTICATE } from './auth-plugin.js';
import { toEntenteError } from './error-mapping.js';
import { TAXII_21 } from './media-type.js';

export interface ErrorPluginOptions {
  readonly maxContentLength: number;
  readonly errorDocsUrl?: string;
  /** Whether a URL belongs to the TAXII interface, whose errors take the TAXII format. */
  readonly isTaxiiUrl: (url: string) => boolean;
}

/**
 * The error mapping of the whole app (not encapsulated): every error becomes a catalogue code and
 * status; TAXII URLs answer with the TAXII error message, others with `{ error: { code,
 * message, details } }`. An area plugin may set its own handler for its routes.
 */
export function errorPlugin(options: ErrorPluginOptions): FastifyPluginAsync {
  const send = (error: EntenteError, cause: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (error.status >= 500) request.log.error({ err: cause }, 'request failed');
    if (error.status === 401) void reply.header('www-authenticate', WWW_AUTHENTICATE);
    if (options.isTaxiiUrl(request.url)) {
      // Bytes, so that Fastify keeps the media type verbatim (see sendTaxii).
      return reply.code(error.status).header('content-type', TAXII_21).send(Buffer.from(JSON.stringify(taxiiErrorBody(error, request.id, options.errorDocsUrl))));
    }
    const body = { error: { code: error.code, message: error.status >= 500 ? 'Internal error' : error.message, details: error.details } };
    return reply.code(error.status).type('application/json; charset=utf-8').send(JSON.stringify(body));
  };
  const plugin: FastifyPluginAsync = async (app) => {
    app.setErrorHandler((error, request, reply) => send(toEntenteError(error, options), error, request, reply));
    app.setNotFoundHandler((request, reply) => {
      const error = new EntenteError('ENTENTE_NOT_FOUND', `No resource at ${request.method} ${request.url.split('?')[0] ?? ''}`);
      return send(error, error, request, reply);
    });
  };
  Object.assign(plugin, { [Symbol.for('skip-override')]: true });
  return plugin;
}
