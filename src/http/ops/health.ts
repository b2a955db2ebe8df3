import { ERROR_CATALOGUE, isEntenteError } from '../../core/errors.js';

/** What the health check needs from the store. */
export interface PingSource {
  readonly kind: string;
  ping(): Promise<void>;
}

export type Health =
  | { readonly status: 'ok'; readonly store: string; readonly version: string }
  | { readonly status: 'unavailable'; readonly store: string; readonly version: string; readonly reason: string };

export interface HealthCheck {
  readonly health: Health;
  /** The error behind an `unavailable` answer, for the log (never for the answer). */
  readonly cause?: unknown;
}

/**
 * Asks the store to answer within `timeoutMs`. A ping that hangs (a PostgreSQL server behind a
 * dead route) must turn into a 503 quickly, or the load balancer's probe times out instead of
 * reading a reason. The reason carries the catalogue message only: /healthz needs no
 * credentials, so it must not echo driver messages that could name hosts or files.
 */
export async function checkHealth(store: PingSource, version: string, timeoutMs: number): Promise<HealthCheck> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const answer = await Promise.race([store.ping().then(() => 'ok' as const), timeout]);
    if (answer === 'ok') return { health: { status: 'ok', store: store.kind, version } };
    const reason = `ENTENTE_STORE_UNAVAILABLE: no answer within ${timeoutMs} ms`;
    return { health: { status: 'unavailable', store: store.kind, version, reason } };
  } catch (error) {
    const code = isEntenteError(error) ? error.code : 'ENTENTE_STORE_UNAVAILABLE';
    const reason = `${code}: ${ERROR_CATALOGUE[code].message}`;
    return { health: { status: 'unavailable', store: store.kind, version, reason }, cause: error };
  } finally {
    clearTimeout(timer);
  }
}
