import { HttpPeerTransport } from './adapters/http-peer/http-peer-transport.js';
import { EntenteError } from './core/errors.js';
import { federationRoutes } from './http/federation/federation-routes.js';
import type { PeerTransport } from './ports/peer-transport.js';
import { EnvelopeService } from './services/federation/envelopes.js';
import { FederationService } from './services/federation/federation-service.js';
import { LedgerService } from './services/ledger/ledger-service.js';
import { DEFAULT_COLLECTION } from './services/setup/node-setup.js';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { MemoryBus } from './adapters/bus/memory-bus.js';
import { busRelay, RelayedBus } from './adapters/bus/relayed-bus.js';
import { RelayedReplayGuard, replayRelay } from './adapters/keys/relayed-replay-guard.js';
import { ProcessLink, type IpcChannel, type LinkHandlers } from './adapters/system/process-link.js';
import { openFileKeys, type NodeKeys } from './adapters/keys/index.js';
import { openNatsBus } from './adapters/nats/nats-bus.js';
import { openPostgresStore } from './adapters/postgres/index.js';
import { openSqliteStore } from './adapters/sqlite/index.js';
import { systemClock } from './adapters/system/system-clock.js';
import type { NodeConfig } from './config/node-config.js';
import { buildHttpApp } from './http/app.js';
import { createMetrics, instrumentIntel, metricsHooksPlugin, opsRoutes, type EntenteMetrics } from './http/ops/index.js';
import { restApi } from './http/rest/index.js';
import { changeFeedOn, type Bus, type ChangeFeed, type IntelChange } from './ports/bus.js';
import type { ReplayGuard } from './ports/key-ring.js';
import type { Clock } from './ports/clock.js';
import type { Store } from './ports/store.js';
import { AccountService } from './services/accounts/index.js';
import { CollectionService } from './services/collections/index.js';
import { IntelService } from './services/intel/index.js';
import { nodePolicyOf } from './services/policy/node-policy.js';
import { IntakeLabelGate } from './services/policy/intake-label-gate.js';
import { MarkingResolver } from './services/policy/marking-resolver.js';
import { PolicyDirectory } from './services/policy/policy-directory.js';
import { PolicyService } from './services/policy/policy-service.js';
import { AgreementSimulator } from './services/policy/agreement-simulator.js';
import { ReleaseService, type NodePolicy } from './services/policy/release-service.js';

/** The product version, from package.json (two levels above dist/ and src/). */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** A node's services wired on its adapters; the one place that knows which adapter runs. */
export interface NodeServices {
  readonly config: NodeConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly store: Store;
  readonly intel: IntelService;
  readonly accounts: AccountService;
  readonly collections: CollectionService;
  readonly policy: PolicyService;
  readonly release: ReleaseService;
  readonly simulator: AgreementSimulator;
  /** The node's keys (`DATA_DIR/keys/`), made at first use; its peers' pinned keys; envelope ids already opened. */
  readonly keys: NodeKeys;
  readonly envelopes: EnvelopeService;
  readonly federation: FederationService;
  /** The transparency ledger: state, signed checkpoints, proofs. */
  readonly ledger: LedgerService;
  /** In-process, or NATS JetStream when `bus.url` is set: the change feed and the telemetry queue (docs/bus.md). */
  readonly bus: Bus;
  readonly changes: ChangeFeed;
  close(): Promise<void>;
}

export interface OpenOptions {
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** How envelopes reach peers (HTTP by default). */
  readonly transport?: PeerTransport;
  /**
   * A node that serves (`entente start`, the detection service): on SQLite, checkpoint the WAL
   * from a thread of its own, off the path of requests. A one-off command starts no thread.
   */
  readonly serving?: boolean;
  /**
   * A serving worker process of `entente start --workers N`: its bus and replay guard are the
   * primary process's, reached over IPC (adapters/bus/relayed-bus.ts), unless a NATS bus is set,
   * which every process shares anyway.
   */
  readonly worker?: { readonly bus: Bus; readonly replay: ReplayGuard };
}

/** Opens the store the configuration names, applies migrations, and builds the services. */
export async function openNode(config: NodeConfig, options: OpenOptions = {}): Promise<NodeServices> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? pino({ level: config.log.level, name: config.node.name });
  const store: Store =
    config.database.url !== undefined
      ? await openPostgresStore({
          url: config.database.url,
          poolSize: config.database.poolSize,
          ...(config.database.schema === undefined ? {} : { schema: config.database.schema }),
        })
      : await openSqliteStore({
          file: config.database.sqliteFile,
          backgroundCheckpoints: options.serving === true,
          onCheckpointError: (message) => logger.warn({ err: message }, 'a background WAL checkpoint failed; commits checkpoint the WAL themselves meanwhile'),
        });
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  const pageSizes = { default: config.taxii.defaultPageSize, max: config.taxii.maxPageSize };
  const { policy, release, simulator, labelGate } = policyServices(store, clock, nodePolicyOf(config));
  try {
    await policy.ensureNodeOrganisation();
  } catch (error) {
    await store.close();
    throw error;
  }
  let bus: Bus;
  try {
    bus = config.bus.url !== undefined
      ? await openNatsBus({ url: config.bus.url, stream: config.bus.stream, name: config.node.name })
      : options.worker?.bus ?? new MemoryBus();
  } catch (error) {
    await store.close();
    throw error;
  }
  const changes = changeFeedOn(bus);
  const onChangeLost = (error: unknown, change: IntelChange): void =>
    logger.warn({ err: error, collectionId: change.collectionId, objects: change.objects.length }, 'change event not published (consumers catch up from the store)');
  const intel = new IntelService({ store, clock, pageSizes, labelGate, release, changes, onChangeLost });
  const collections = new CollectionService({ store, clock });
  const fileKeys = openFileKeys({ dataDir: config.dataDir, clock, passphrase: process.env['ENTENTE_KEY_PASSPHRASE'] });
  const keys = options.worker === undefined ? fileKeys : { ...fileKeys, replay: options.worker.replay };
  const envelopes = new EnvelopeService({ organisation: config.node.organisation, keys: keys.ring, peers: keys.peers, replay: keys.replay, clock });
  const federation = new FederationService({
    store, clock, release, intel, envelopes, keys, logger, organisation: config.node.organisation,
    resendWindowMs: config.federation.resendWindowSeconds * 1000,
    transport: options.transport ?? new HttpPeerTransport(),
    defaultInbound: async () => {
      const found = (await collections.listAll()).find((c) => c.alias === DEFAULT_COLLECTION.alias);
      if (found === undefined) throw new EntenteError('ENTENTE_COLLECTION_NOT_FOUND', `No collection ${DEFAULT_COLLECTION.alias} to receive peers' objects in`);
      return found.id;
    },
  });
  return {
    config,
    clock,
    logger,
    store,
    intel,
    accounts: new AccountService({ store, clock }),
    collections,
    policy,
    release,
    simulator,
    keys,
    envelopes,
    federation,
    ledger: new LedgerService({ store, keys: keys.ring, organisation: config.node.organisation }),
    bus,
    changes,
    close: async () => {
      await federation.stop();
      await bus.close();
      await store.close();
    },
  };
}

/** The policy engine's services on a store: what every read and every intake consults. */
export function policyServices(store: Store, clock: Clock, node: NodePolicy): {
  readonly policy: PolicyService; readonly release: ReleaseService; readonly simulator: AgreementSimulator; readonly labelGate: IntakeLabelGate;
} {
  const directory = new PolicyDirectory(store, clock);
  const markings = new MarkingResolver(store);
  const release = new ReleaseService({ store, clock, node, directory, markings });
  return {
    policy: new PolicyService({ store, clock, node, directory }),
    release,
    simulator: new AgreementSimulator({ store, release, directory }),
    labelGate: new IntakeLabelGate(markings, node),
  };
}

export type { IpcChannel, LinkHandlers, ProcessLink };

/**
 * A serving worker's link to its primary process (`entente start --workers N`): what the worker
 * opens its node with (its bus and replay guard relayed to the primary's), and the link that also
 * answers the primary with `handlers`.
 */
export function linkToPrimary(channel: IpcChannel, handlers: LinkHandlers): { readonly link: ProcessLink; readonly worker: NonNullable<OpenOptions['worker']> } {
  const link = new ProcessLink(channel, handlers);
  return { link, worker: { bus: new RelayedBus(link), replay: new RelayedReplayGuard(link) } };
}

/** The primary's link to one worker: publishes what the worker relays and checks its envelope ids, and answers `handlers`. */
export function linkToWorker(node: NodeServices, channel: IpcChannel, handlers: LinkHandlers): ProcessLink {
  return new ProcessLink(channel, { ...busRelay(node.bus), ...replayRelay(node.keys.replay), ...handlers });
}

/** The metrics of a node's HTTP interface: its traffic, its store and its peers. */
export function nodeMetrics(node: NodeServices): EntenteMetrics {
  return createMetrics({ store: node.store, peers: node.federation });
}

/** The node's HTTP interface: TAXII 2.1, the REST API with its OpenAPI document, /healthz and /metrics. */
export async function buildNodeHttp(node: NodeServices, options: {
  /** The app's metrics, when made by the caller (a worker process renders every worker's, summed). */
  readonly metrics?: EntenteMetrics;
} = {}): Promise<FastifyInstance> {
  const { config } = node;
  const metrics = options.metrics ?? nodeMetrics(node);
  const intel = instrumentIntel(node.intel, metrics);
  return buildHttpApp({
    intel,
    accounts: node.accounts,
    collections: node.collections,
    logger: node.logger,
    config: {
      title: config.taxii.title,
      description: config.taxii.description,
      contact: config.taxii.contact,
      maxContentLength: config.taxii.maxContentLength,
      pageSize: { default: config.taxii.defaultPageSize, max: config.taxii.maxPageSize },
      postMode: config.taxii.postMode,
      ...(config.http.tlsCertFile !== undefined && config.http.tlsKeyFile !== undefined
        ? { https: { certFile: config.http.tlsCertFile, keyFile: config.http.tlsKeyFile } }
        : {}),
    },
    extraPlugins: [
      metricsHooksPlugin({ metrics }),
      opsRoutes({ store: node.store, version: VERSION, metrics, metricsAuth: config.http.metricsAuth }),
      restApi({ intel, accounts: node.accounts, collections: node.collections, policy: node.policy, simulator: node.simulator, federation: node.federation, ledger: node.ledger, version: VERSION }),
      federationRoutes({ federation: node.federation, policy: node.policy, maxEnvelopeBytes: config.taxii.maxContentLength }),
    ],
  });
}
