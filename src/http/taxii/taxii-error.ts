import type { EntenteError } from '../../core/errors.js';

/** The TAXII 2.1 error message (section 3.6.1). `http_status` is a string there. */
export interface TaxiiErrorBody {
  readonly title: string;
  readonly description: string;
  readonly error_id: string;
  readonly error_code: string;
  readonly http_status: string;
  readonly external_details?: string;
  readonly details: { readonly problems: ReadonlyArray<{ readonly path?: string; readonly message: string }> };
}

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 406: 'Not Acceptable', 409: 'Conflict',
  413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

/**
 * The TAXII error body of a catalogue error: `error_code` is the Entente code, `error_id` the
 * request id (it appears in the server log), `details.problems` each problem with its JSON path.
 */
export function taxiiErrorBody(error: EntenteError, requestId: string, errorDocsUrl?: string): TaxiiErrorBody {
  return {
    title: TITLES[error.status] ?? 'Error',
    // Internal errors say nothing of their cause: the log has it under error_id.
    description: error.status >= 500 && error.code === 'ENTENTE_INTERNAL' ? 'An unexpected error occurred; quote the error_id to the operator' : error.message,
    error_id: requestId,
    error_code: error.code,
    http_status: String(error.status),
    ...(errorDocsUrl === undefined ? {} : { external_details: `${errorDocsUrl}#${error.code.toLowerCase()}` }),
    details: { problems: error.details.map((d) => ({ ...(d.path === undefined ? {} : { path: d.path }), message: d.message })) },
  };
}
