/**
 * The detection service mode: a worker that takes telemetry batches from the work queue, matches
 * their events against the node's indicators, and keeps its indicators current from the change
 * feed. Several workers sharing one durable name share the queue (each batch handled by one);
 * each worker follows the whole change feed, so every one holds the whole index.
 *
 * The change feed only says which objects changed: the worker reads their latest version from
 * the store, so a lost, late or repeated event is harmless once a later one, or a restart,
 * brings the object's state in.
 */
import type { Observation } from '../../core/pattern/index.js';
import { TelemetryReader, summarise, type TelemetryFormat } from '../../core/telemetry/index.js';
import type { ChangeFeed, Consumption, Delivery, IntelChange, TelemetryBatch, TelemetryQueue } from '../../ports/bus.js';
import type { Clock } from '../../ports/clock.js';
import { LiveIndicators, type IndexChange } from './live-indicators.js';

/** Where the indicators come from: the node's store, behind the release-free operator view. */
export interface IndicatorSource {
  /** Every indicator held, page by page (other types are ignored). */
  all(): AsyncIterable<ReadonlyArray<unknown>>;
  /** The latest version of one object in any collection; undefined when none is left. */
  latest(id: string): Promise<unknown>;
}

/** One event of a batch that matched an indicator. */
export interface DetectionMatch {
  readonly indicator: string;
  readonly pattern: string;
  readonly source: string;
  /** Line in the source, counted as the publisher counted it. */
  readonly line: number;
  readonly format: TelemetryFormat;
  readonly eventType: string;
  readonly observed: ReadonlyArray<string>;
  /** The raw line, cut at 8 KiB; absent for STIX documents. */
  readonly event?: string;
  /** The queue message the event came in, for tracing a redelivered batch. */
  readonly message: number;
}

export interface DetectionStats {
  batches: number;
  events: number;
  matches: number;
  badLines: number;
  invalidMessages: number;
  indexChanges: number;
  /** Matches the `screen` hook suppressed (warninglisted values). */
  suppressed: number;
}

export interface DetectionServiceDeps {
  readonly queue: TelemetryQueue;
  readonly changes: ChangeFeed;
  readonly indicators: IndicatorSource;
  readonly clock: Clock;
  /**
   * Called for every match before the batch is acknowledged; a rejection sends the batch back to
   * the queue (so a batch redelivered after a crash may report its matches twice).
   */
  readonly onMatch: (match: DetectionMatch) => void | Promise<void>;
  /** True suppresses a match before it is reported (warninglists: a known-benign value). */
  readonly screen?: (indicator: string, pattern: string, observation: Observation) => boolean;
  /** Told of every change the index takes, and of messages that do not decode. */
  readonly onIndexChange?: (change: IndexChange) => void;
  readonly onInvalid?: (problem: string) => void;
  /** Durable name the workers share on the telemetry queue (default `detect`). */
  readonly durable?: string;
  /** Batches handled at once across the workers sharing the name (default 64). */
  readonly maxAckPending?: number;
}

const MAX_RAW_CHARS = 8192;

export class DetectionService {
  readonly #deps: DetectionServiceDeps;
  readonly #live = new LiveIndicators();
  readonly #running: Consumption[] = [];
  readonly stats: DetectionStats = { batches: 0, events: 0, matches: 0, badLines: 0, invalidMessages: 0, indexChanges: 0, suppressed: 0 };

  constructor(deps: DetectionServiceDeps) {
    this.#deps = deps;
  }

  get indicatorCount(): number {
    return this.#live.size;
  }

  /**
   * Follows the change feed from now on, loads every indicator, then starts taking batches.
   * Changes that arrive during the load wait for it, so none is overwritten by the snapshot.
   */
  async start(): Promise<void> {
    let loaded!: () => void;
    const ready = new Promise<void>((resolve) => (loaded = resolve));
    const onInvalid = (problem: string): void => {
      this.stats.invalidMessages++;
      this.#deps.onInvalid?.(problem);
    };
    this.#running.push(await this.#deps.changes.subscribe({ from: 'new', onInvalid }, async (change) => {
      await ready;
      await this.#applyChange(change);
    }));
    const snapshot: unknown[] = [];
    for await (const page of this.#deps.indicators.all()) snapshot.push(...page);
    for (const change of this.#live.load(snapshot, this.#deps.clock.now())) this.#report(change);
    loaded();
    this.#running.push(await this.#deps.queue.consume({
      durable: this.#deps.durable ?? 'detect',
      maxAckPending: this.#deps.maxAckPending ?? 64,
      onInvalid,
    }, (batch, delivery) => this.#handle(batch, delivery)));
  }

  async stop(): Promise<void> {
    const running = this.#running.splice(0);
    await Promise.all(running.map((c) => c.stop()));
  }

  async #applyChange(change: IntelChange): Promise<void> {
    for (const o of change.objects) {
      if (o.type !== 'indicator') continue;
      const latest = await this.#deps.indicators.latest(o.id);
      this.#report(this.#live.apply(o.id, latest, this.#deps.clock.now()));
    }
  }

  #report(change: IndexChange): void {
    if (change.kind === 'unchanged') return;
    this.stats.indexChanges++;
    this.#deps.onIndexChange?.(change);
  }

  /** Matches one batch; resolves once every match is reported, which acknowledges the batch. */
  async #handle(batch: TelemetryBatch, delivery: Delivery): Promise<void> {
    for (const change of this.#live.expire(this.#deps.clock.now())) this.#report(change);
    const reader = new TelemetryReader(batch.format, batch.zeekPath === undefined ? {} : { zeekPath: batch.zeekPath });
    const header = batch.header ?? [];
    for (const line of header) reader.push(line);
    const found: DetectionMatch[] = [];
    const collect = (events: ReturnType<TelemetryReader['push']>, raw: string | undefined): void => {
      for (const event of events) {
        for (const id of this.#live.match(event.observation)) {
          if (this.#deps.screen?.(id, this.#live.pattern(id) ?? '', event.observation) === true) {
            this.stats.suppressed++;
            continue;
          }
          const cut = raw === undefined || event.format === 'stix' ? {} : { event: raw.length > MAX_RAW_CHARS ? `${raw.slice(0, MAX_RAW_CHARS)}…` : raw };
          found.push({
            indicator: id, pattern: this.#live.pattern(id) ?? '', source: batch.source,
            line: batch.firstLine + event.line - header.length - 1,
            format: event.format, eventType: event.eventType, observed: summarise(event.observation), message: delivery.seq, ...cut,
          });
        }
      }
    };
    for (const line of batch.lines) collect(reader.push(line), line);
    collect(reader.end(), undefined);
    for (const match of found) await this.#deps.onMatch(match);
    const stats = reader.stats;
    this.stats.batches++;
    this.stats.events += stats.events;
    this.stats.badLines += stats.bad;
    this.stats.matches += found.length;
  }
}
