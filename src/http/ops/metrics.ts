import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type MetricObjectWithValues, type MetricValue } from 'prom-client';

/** What the metrics need from the store: one count, taken when Prometheus scrapes. */
export interface CountSource {
  countObjects(collectionId?: string): Promise<number>;
}

/** One object's outcome as the intel service reports it (`added`, `duplicate`, `rejected`, …). */
export interface IngestOutcome {
  readonly outcome: string;
}

/**
 * The metrics of one HTTP app. Each app owns a Registry rather than using prom-client's global
 * one, so several apps in one process (multi-node tests, a TAXII and an admin listener) neither
 * clash on metric names nor report each other's traffic.
 */
export interface EntenteMetrics {
  readonly registry: Registry;
  readonly httpDuration: Histogram<'route' | 'method' | 'status'>;
  readonly objectsIngested: Counter<'collection' | 'outcome'>;
  readonly taxiiPages: Counter<'endpoint'>;
  /** Counts every object of one ingest call by its outcome. */
  observeIngest(collectionId: string, results: ReadonlyArray<IngestOutcome>): void;
  /** The Prometheus text exposition of everything registered. */
  render(): Promise<string>;
}

/** The push state of each peer, read when Prometheus scrapes. */
export interface PeerSource {
  status(): Promise<ReadonlyArray<{ readonly link: { readonly code: string }; readonly state: PeerCounters }>>;
}

export interface PeerCounters {
  readonly failures: number;
  readonly sentEnvelopes: number;
  readonly sentObjects: number;
  readonly receivedEnvelopes: number;
  readonly receivedObjects: number;
  readonly rejectedEnvelopes: number;
  readonly lastSuccess?: string;
  readonly lastContact?: string;
  /** Forks of the peer's ledger caught by witnessing. */
  readonly forks?: ReadonlyArray<unknown>;
}

export interface MetricsOptions {
  /** Store object count, collected on scrape; absent means the gauge is not registered. */
  readonly store?: CountSource;
  /** Peers' push states, collected on scrape; absent means the peer metrics are not registered. */
  readonly peers?: PeerSource;
  /** Prefix of every metric name; `entente_` by default. */
  readonly prefix?: string;
  /** Process metrics (CPU, memory, event loop, GC); on by default. */
  readonly processMetrics?: boolean;
}

/** Latency buckets in seconds: TAXII pages and REST reads sit in the low milliseconds, imports in seconds. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Creates the metrics of one app on a fresh Registry. */
export function createMetrics(options: MetricsOptions = {}): EntenteMetrics {
  const prefix = options.prefix ?? 'entente_';
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix });

  const httpDuration = new Histogram({
    name: `${prefix}http_request_duration_seconds`,
    help: 'HTTP request duration by route template, method and status code',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const objectsIngested = new Counter({
    name: `${prefix}objects_ingested_total`,
    help: 'STIX objects submitted for ingest, by collection and outcome (added, duplicate, rejected)',
    labelNames: ['collection', 'outcome'] as const,
    registers: [registry],
  });
  const taxiiPages = new Counter({
    name: `${prefix}taxii_pages_served_total`,
    help: 'TAXII 2.1 pages served (objects, manifest, versions), by endpoint',
    labelNames: ['endpoint'] as const,
    registers: [registry],
  });
  const store = options.store;
  if (store) {
    // prom-client collects all metrics of a scrape concurrently: both gauges share one count
    // per scrape instead of asking the store twice. A store that does not answer must not fail
    // the scrape: process metrics and store_up=0 are what the operator needs at that moment.
    let pending: Promise<number | undefined> | undefined;
    const sample = (): Promise<number | undefined> =>
      (pending ??= store.countObjects().then(
        (n) => n,
        () => undefined,
      ).finally(() => {
        pending = undefined;
      }));
    new Gauge({
      name: `${prefix}store_objects`,
      help: 'Object versions held by the store across all collections, counted at scrape time',
      // Every serving process counts the same store: summed over processes it would multiply.
      aggregator: 'first',
      registers: [registry],
      async collect() {
        this.set((await sample()) ?? Number.NaN);
      },
    });
    new Gauge({
      name: `${prefix}store_up`,
      help: '1 when the store answered the object count of this scrape, 0 otherwise',
      aggregator: 'min',
      registers: [registry],
      async collect() {
        this.set((await sample()) === undefined ? 0 : 1);
      },
    });
  }

  const peers = options.peers;
  if (peers) {
    // One read of the peer states per scrape, shared by every peer gauge (as the store count is).
    let pending: Promise<Awaited<ReturnType<PeerSource['status']>>> | undefined;
    const states = () => (pending ??= peers.status().catch(() => []).finally(() => {
      pending = undefined;
    }));
    const perPeer = (name: string, help: string, value: (s: PeerCounters) => number | undefined): void => {
      new Gauge({
        name: `${prefix}peer_${name}`, help, labelNames: ['peer'] as const, registers: [registry], aggregator: 'first',
        async collect() {
          this.reset();
          for (const { link, state } of await states()) {
            const v = value(state);
            if (v !== undefined) this.set({ peer: link.code }, v);
          }
        },
      });
    };
    const seconds = (at: string | undefined) => (at === undefined ? undefined : Date.parse(at) / 1000);
    perPeer('failures', 'Consecutive failed pushes to the peer (0 when the last one succeeded)', (s) => s.failures);
    perPeer('sent_envelopes', 'Envelopes pushed to the peer and acknowledged by a signed receipt', (s) => s.sentEnvelopes);
    perPeer('sent_objects', 'Objects pushed to the peer and acknowledged', (s) => s.sentObjects);
    perPeer('received_envelopes', 'Envelopes received from the peer', (s) => s.receivedEnvelopes);
    perPeer('received_objects', 'Objects received from the peer and stored', (s) => s.receivedObjects);
    perPeer('rejected_envelopes', 'Envelopes from the peer refused whole (tampered, replayed, unknown signer, expired)', (s) => s.rejectedEnvelopes);
    perPeer('forks', 'Times the peer showed a checkpoint contradicting its earlier history (any value above 0 needs investigating)', (s) => s.forks?.length ?? 0);
    perPeer('last_success_timestamp_seconds', 'When a push to the peer last succeeded (Unix time); lag = now - this', (s) => seconds(s.lastSuccess));
    perPeer('last_contact_timestamp_seconds', 'When the peer was last in contact (Unix time)', (s) => seconds(s.lastContact));
  }

  return {
    registry,
    httpDuration,
    objectsIngested,
    taxiiPages,
    observeIngest(collectionId, results) {
      const counts = new Map<string, number>();
      for (const { outcome } of results) counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
      for (const [outcome, n] of counts) objectsIngested.inc({ collection: collectionId, outcome }, n);
    },
    render: () => registry.metrics(),
  };
}

/**
 * The metrics of several serving processes of one node (`entente start --workers N`) as one
 * exposition: traffic counters and histograms summed, the store's and the peers' gauges (the
 * same for every process) taken once, process metrics by prom-client's own rules.
 */
export async function renderAcrossProcesses(parts: ReadonlyArray<ReadonlyArray<MetricObjectWithValues<MetricValue<string>>>>): Promise<string> {
  return AggregatorRegistry.aggregate(parts.map((p) => [...p])).metrics();
}
