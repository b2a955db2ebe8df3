import type { FastifyError } from 'fastify';
import { EntenteError, isEntenteError } from '../../core/errors.js';

/**
 * Turns anything thrown while serving a request into a catalogue error: Fastify's own errors
 * (body too large, unsupported media type, schema validation) get their codes; anything
 * unexpected becomes ENTENTE_INTERNAL, whose cause is logged and never returned.
 */
export function toEntenteError(error: unknown, limits: { readonly maxContentLength: number }): EntenteError {
  if (isEntenteError(error)) return error;
  const e = error as Partial<FastifyError> | undefined;
  if (e?.validation !== undefined) {
    const details = e.validation.map((v) => ({ path: `${e.validationContext ?? 'body'}${v.instancePath.replaceAll('/', '.')}`, message: v.message ?? 'is invalid' }));
    return new EntenteError('ENTENTE_INVALID_PARAMETER', e.message ?? 'A parameter is invalid', details);
  }
  switch (e?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new EntenteError('ENTENTE_BODY_TOO_LARGE', `The body exceeds the maximum content length of ${limits.maxContentLength} bytes`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return new EntenteError('ENTENTE_UNSUPPORTED_MEDIA_TYPE', 'Unsupported Content-Type: send application/taxii+json;version=2.1 (TAXII) or application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new EntenteError('ENTENTE_BAD_REQUEST', 'The body is empty', [{ path: '$', message: 'empty body' }]);
    default:
      break;
  }
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new EntenteError(e.statusCode === 413 ? 'ENTENTE_BODY_TOO_LARGE' : 'ENTENTE_BAD_REQUEST', e.message);
  }
  return new EntenteError('ENTENTE_INTERNAL', undefined, [], { cause: error });
}
