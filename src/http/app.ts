import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { AccountService } from '../services/accounts/account-service.js';
import type { CollectionService } from '../services/collections/collection-service.js';
import type { IntelService } from '../services/intel/intel-service.js';
import { resolveHttpConfig, type HttpConfig, type HttpsConfig } from './http-config.js';
import { authPlugin } from './plugins/auth-plugin.js';
import { errorPlugin } from './plugins/error-plugin.js';
import { jsonBodyPlugin } from './plugins/json-body-plugin.js';
import { isTaxiiUrl, TAXII_PREFIX, taxiiPlugin } from './taxii/taxii-plugin.js';

export interface HttpDeps {
  readonly intel: IntelService;
  readonly accounts: AccountService;
  readonly collections: CollectionService;
  /** A pino logger; no logging when absent. */
  readonly logger?: FastifyBaseLogger;
  readonly config: HttpConfig;
  /**
   * Further area plugins (REST, operations), registered after the shared plugins so that they
   * see `request.principal` and the JSON parser, each encapsulated.
   */
  readonly extraPlugins?: ReadonlyArray<FastifyPluginAsync>;
}

function httpsOptions(https: HttpsConfig): { readonly cert: string | Buffer; readonly key: string | Buffer } {
  return 'certFile' in https ? { cert: readFileSync(https.certFile), key: readFileSync(https.keyFile) } : https;
}

/**
 * The HTTP interface of a node: shared plugins (authentication, JSON bodies with the depth
 * limit, error mapping), then the TAXII 2.1 server under `/taxii2/`, then `extraPlugins`.
 * Returns the app ready to `listen` or `inject`.
 */
export async function buildHttpApp(deps: HttpDeps): Promise<FastifyInstance> {
  const config = resolveHttpConfig(deps.config);
  const app = fastify({
    ...(deps.logger === undefined ? { logger: false } : { loggerInstance: deps.logger }),
    ...(config.https === undefined ? {} : { https: httpsOptions(config.https) }),
    bodyLimit: config.maxContentLength,
    trustProxy: config.trustProxy ?? false,
    genReqId: () => randomUUID(),
    // Object ids run to ~80 characters, collection ids to 128.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 300 },
  }) as unknown as FastifyInstance; // the https variant types its server differently; routes and inject are the same

  await app.register(errorPlugin({ maxContentLength: config.maxContentLength, isTaxiiUrl, ...(config.errorDocsUrl === undefined ? {} : { errorDocsUrl: config.errorDocsUrl }) }));
  await app.register(authPlugin(deps.accounts));
  await app.register(jsonBodyPlugin({ maxDepth: config.maxJsonDepth }));
  await app.register(taxiiPlugin({ intel: deps.intel, collections: deps.collections, config }), { prefix: TAXII_PREFIX });
  for (const plugin of deps.extraPlugins ?? []) await app.register(plugin);
  return app;
}
