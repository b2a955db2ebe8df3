import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { EntenteError, isEntenteError, type ErrorCode, type ErrorDetail } from '../../core/errors.js';
import { WWW_AUTHENTICATE } from '../plugins/auth-plugin.js';

/** The body of every REST error: `{ error: { code, message, details: [{ path, message }] } }`. */
export interface RestErrorBody {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly details: ReadonlyArray<ErrorDetail>;
  };
}

interface AjvIssue {
  readonly instancePath: string;
  readonly keyword: string;
  readonly message?: string;
  readonly params: Record<string, unknown>;
}

/**
 * A JSON pointer of a body value (`/objects/3/id`) as the JSON path the rest of Entente uses
 * (`$.objects[3].id`); a query or path parameter is named by itself (`limit`), as the services
 * name parameters in their own errors.
 */
export function pathOf(context: string | undefined, pointer: string, missing?: unknown): string {
  const segments = pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (typeof missing === 'string') segments.push(missing);
  if (context === 'body' || context === undefined) {
    return segments.reduce((path, s) => (/^\d+$/.test(s) ? `${path}[${s}]` : /^[A-Za-z_$][\w$]*$/.test(s) ? `${path}.${s}` : `${path}[${JSON.stringify(s)}]`), '$');
  }
  return segments.join('.');
}

function fromValidation(error: FastifyError): EntenteError {
  const context = error.validationContext;
  const issues = (error.validation ?? []) as ReadonlyArray<AjvIssue>;
  const details = issues.map((issue) => {
    const missing = issue.keyword === 'required' ? issue.params['missingProperty'] : issue.keyword === 'additionalProperties' ? issue.params['additionalProperty'] : undefined;
    const message = issue.keyword === 'additionalProperties' ? 'is not a known property' : issue.keyword === 'required' ? 'is required' : (issue.message ?? 'is invalid');
    return { path: pathOf(context, issue.instancePath, missing), message };
  });
  const where = context === 'body' ? 'The body' : context === 'querystring' ? 'A query parameter' : 'A path parameter';
  const summary = details.map((d) => `${d.path} ${d.message}`).join('; ');
  const code: ErrorCode = context === 'body' ? 'ENTENTE_BAD_REQUEST' : 'ENTENTE_INVALID_PARAMETER';
  return new EntenteError(code, `${where} is invalid: ${summary}`, details);
}

/** Fastify's own errors (body parsing, limits) mapped onto the catalogue. */
function fromFastify(error: FastifyError): EntenteError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new EntenteError('ENTENTE_JSON_MALFORMED', `The body is not well-formed JSON: ${error.message}`, [{ path: '$', message: error.message }]);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new EntenteError('ENTENTE_BAD_REQUEST', 'The body is empty but the content type says JSON', [{ path: '$', message: 'empty body' }]);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new EntenteError('ENTENTE_BODY_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new EntenteError('ENTENTE_UNSUPPORTED_MEDIA_TYPE', `${error.message}; send application/json`);
    default:
      return undefined;
  }
}

/** Turns anything thrown on a REST route into a catalogue error. */
export function toRestError(error: unknown): EntenteError {
  if (isEntenteError(error)) return error;
  const fastifyError = error as FastifyError;
  if (fastifyError?.validation) return fromValidation(fastifyError);
  if (typeof fastifyError?.code === 'string') {
    const mapped = fromFastify(fastifyError);
    if (mapped) return mapped;
    if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode < 500) return new EntenteError('ENTENTE_BAD_REQUEST', fastifyError.message);
  }
  return new EntenteError('ENTENTE_INTERNAL', undefined, [], { cause: error });
}

/** The REST error body of an error. */
export function restErrorBody(error: EntenteError): RestErrorBody {
  return { error: { code: error.code, message: error.message, details: error.details.map((d) => ({ ...d })) } };
}

/** Error handler for the REST plugin: catalogue code, status and JSON body; internals are logged, not returned. */
export function handleRestError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const mapped = toRestError(error);
  if (mapped.status >= 500) request.log.error({ err: error }, 'REST request failed');
  if (mapped.status === 401) void reply.header('www-authenticate', WWW_AUTHENTICATE);
  // A server-side error's message may carry a driver's text (hosts, file paths): the log has
  // it, the answer gets the catalogue message of its code only.
  const shown = mapped.status >= 500 ? new EntenteError(mapped.code) : mapped;
  return reply.code(mapped.status).type('application/json; charset=utf-8').send(restErrorBody(shown));
}
