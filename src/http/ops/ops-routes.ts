import type { FastifyPluginAsync } from 'fastify';
import { EntenteError } from '../../core/errors.js';
import { isAdmin } from '../../services/accounts/index.js';
import { requirePrincipal } from '../plugins/auth-plugin.js';
import { checkHealth, type PingSource } from './health.js';
import type { EntenteMetrics } from './metrics.js';

export interface OpsRoutesOptions {
  readonly store: PingSource;
  /** The product version reported by /healthz (the composition root reads package.json). */
  readonly version: string;
  readonly metrics: EntenteMetrics;
  /**
   * Setting `http.metricsAuth`. False (the default): /metrics is open, for a Prometheus on the
   * node's management network. True: only an authenticated admin may scrape it.
   */
  readonly metricsAuth: boolean;
  /** How long /healthz waits for the store; 2 s by default. */
  readonly healthTimeoutMs?: number;
}

const healthSchema = {
  type: 'object',
  required: ['status', 'store', 'version'],
  properties: {
    status: { type: 'string', enum: ['ok', 'unavailable'] },
    store: { type: 'string' },
    version: { type: 'string' },
    reason: { type: 'string' },
  },
} as const;

/**
 * `GET /healthz` (no credentials: load balancers and orchestrators probe it) and `GET /metrics`
 * (Prometheus text exposition format 0.0.4). Neither route is part of the REST API document.
 */
export function opsRoutes(options: OpsRoutesOptions): FastifyPluginAsync {
  const timeoutMs = options.healthTimeoutMs ?? 2000;
  return async (app) => {
    app.get('/healthz', { schema: { response: { 200: healthSchema, 503: healthSchema } } }, async (request, reply) => {
      const { health, cause } = await checkHealth(options.store, options.version, timeoutMs);
      if (cause !== undefined) request.log.warn({ err: cause }, 'health check: the store did not answer');
      void reply.header('cache-control', 'no-store');
      return reply.code(health.status === 'ok' ? 200 : 503).send(health);
    });

    app.get('/metrics', async (request, reply) => {
      if (options.metricsAuth && !isAdmin(requirePrincipal(request))) {
        throw new EntenteError('ENTENTE_FORBIDDEN', 'Only an administrator may read /metrics on this node (http.metricsAuth is on)');
      }
      const text = await options.metrics.render();
      return reply.header('cache-control', 'no-store').type(options.metrics.registry.contentType).send(text);
    });
  };
}
