import { EntenteError, isEntenteError } from '../../core/errors.js';

/**
 * SQLSTATE classes that mean "the server cannot serve us now" rather than "the statement is
 * wrong": 08 connection exception, 53 insufficient resources, 57P0x operator intervention /
 * shutdown (PostgreSQL manual, Appendix A).
 */
const UNAVAILABLE_STATES = /^(08|53|57P0)/;
/** Node socket errors raised by `pg` before any SQLSTATE exists. */
const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE', 'EAI_AGAIN']);

interface PgLikeError {
  readonly code?: unknown;
  readonly message?: unknown;
}

/** True when the error says the server is unreachable or going away. */
export function isUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if (error instanceof AggregateError) return error.errors.some(isUnavailable);
  const { code, message } = error as PgLikeError;
  if (typeof code === 'string' && (UNAVAILABLE_STATES.test(code) || UNAVAILABLE_ERRNOS.has(code))) return true;
  // pg raises plain Errors without a code for these conditions.
  return typeof message === 'string' && /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(message);
}

/**
 * Translates a driver error into the catalogue at the adapter boundary: unavailability becomes
 * ENTENTE_STORE_UNAVAILABLE; our own errors pass through; anything else is an internal error
 * whose cause keeps the driver's message for the log.
 */
export function translatePgError(error: unknown, operation: string): EntenteError {
  if (isEntenteError(error)) return error;
  if (isUnavailable(error)) {
    return new EntenteError('ENTENTE_STORE_UNAVAILABLE', `PostgreSQL does not answer (${operation})`, [], { cause: error });
  }
  return new EntenteError('ENTENTE_INTERNAL', `PostgreSQL failed during ${operation}`, [], { cause: error });
}

/** SQLSTATE and constraint name of a constraint violation (23xxx), looked up through a translated error's cause. */
export function constraintViolation(error: unknown): { readonly state: string; readonly constraint: string | undefined } | undefined {
  for (let e: unknown = error, depth = 0; typeof e === 'object' && e !== null && depth < 3; e = (e as { cause?: unknown }).cause, depth += 1) {
    const { code, constraint } = e as { code?: unknown; constraint?: unknown };
    if (typeof code === 'string' && code.startsWith('23')) {
      return { state: code, constraint: typeof constraint === 'string' ? constraint : undefined };
    }
  }
  return undefined;
}
