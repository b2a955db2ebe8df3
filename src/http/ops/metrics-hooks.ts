import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { EntenteMetrics } from './metrics.js';

export interface MetricsHooksOptions {
  readonly metrics: EntenteMetrics;
  /**
   * Names the TAXII page endpoint a route template serves, or undefined when it is not one.
   * The default recognises the TAXII 2.1 paths (section 5): `…/collections/{id}/objects/`,
   * `…/objects/{object-id}/`, `…/objects/{object-id}/versions/` and `…/manifest/`.
   */
  readonly taxiiEndpoint?: (routeTemplate: string) => string | undefined;
}

const TAXII_PAGE = /\/collections\/[^/]+\/(?:(manifest)|objects(?:\/[^/]+(\/versions)?)?)\/?$/;

/** The default TAXII page classifier; see {@link MetricsHooksOptions.taxiiEndpoint}. */
export function defaultTaxiiEndpoint(routeTemplate: string): string | undefined {
  const match = TAXII_PAGE.exec(routeTemplate);
  if (!match) return undefined;
  if (match[1]) return 'manifest';
  if (match[2]) return 'versions';
  return routeTemplate.replace(/\/$/, '').endsWith('/objects') ? 'objects' : 'object';
}

/**
 * Times every request of the app and counts TAXII pages. The label is the route template, not
 * the URL, so ids in paths do not create a series each; requests that match no route share
 * the label `unmatched` for the same reason.
 */
export function metricsHooksPlugin(options: MetricsHooksOptions): FastifyPluginAsync {
  const classify = options.taxiiEndpoint ?? defaultTaxiiEndpoint;
  const { httpDuration, taxiiPages } = options.metrics;
  const plugin: FastifyPluginAsync = async (app) => {
    app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      const status = reply.statusCode;
      httpDuration.observe({ route, method: request.method, status: String(status) }, reply.elapsedTime / 1000);
      if (request.method === 'GET' && status === 200 && route !== 'unmatched') {
        const endpoint = classify(route);
        if (endpoint) taxiiPages.inc({ endpoint });
      }
    });
  };
  // Fastify's documented escape from encapsulation (what fastify-plugin sets): the hook must
  // see the routes of every plugin, TAXII included, not only those registered inside it.
  Object.assign(plugin, { [Symbol.for('skip-override')]: true });
  return plugin;
}
