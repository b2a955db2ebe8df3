/**
 * The Bus on NATS JetStream: one stream per node (`bus.stream`) holding every subject under the
 * stream's prefix, limits retention (each consumer sees every retained message; the oldest go
 * beyond `maxAgeMs` or `maxBytes`), durable pull consumers with explicit acknowledgement. Several
 * processes that consume under one durable name share its messages. The client reconnects on
 * its own for as long as the process runs; publishes wait for the stream's acknowledgement.
 */
import {
  AckPolicy, DeliverPolicy, DiscardPolicy, JetStreamApiError, RetentionPolicy, StorageType, jetstream, jetstreamManager,
  type ConsumerConfig, type ConsumerMessages, type JetStreamClient, type JetStreamManager, type JsMsg, type StreamConfig,
} from '@nats-io/jetstream';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import { EntenteError } from '../../core/errors.js';
import type { Bus, ConsumeOptions, Consumption, DeliveryHandler, PublishAck, PublishOptions } from '../../ports/bus.js';
import { checkName, checkSubject, consumerSettings } from '../bus/subjects.js';

export interface NatsBusOptions {
  /** `nats://host:port`, several separated by commas for a cluster. */
  readonly url: string;
  /** Stream name (default `ENTENTE`); its subjects are `<name in lower case>.>`. */
  readonly stream?: string;
  /** Age past which messages leave the stream (default 24 h). */
  readonly maxAgeMs?: number;
  /** Stream size past which the oldest messages leave (default 1 GiB). */
  readonly maxBytes?: number;
  /** How long a publish waits for the stream's acknowledgement (default 5 s). */
  readonly publishTimeoutMs?: number;
  /** Connection name shown by the NATS server's monitoring. */
  readonly name?: string;
}

/** Connects, creates the stream when it is missing, and returns the Bus. */
export async function openNatsBus(options: NatsBusOptions): Promise<NatsBus> {
  const stream = options.stream ?? 'ENTENTE';
  checkName(stream, 'bus.stream');
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: options.url.split(',').map((s) => s.trim()),
      name: options.name ?? 'entente',
      // Keep trying for as long as the process runs: a NATS restart must not stop a worker.
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1_000,
    });
  } catch (error) {
    throw new EntenteError('ENTENTE_STORE_UNAVAILABLE', `The bus at ${options.url} does not answer: ${(error as Error).message}`, [
      { path: 'bus.url', message: 'NATS unreachable' },
    ], { cause: error });
  }
  try {
    const jsm = await jetstreamManager(nc);
    const prefix = stream.toLowerCase();
    await ensureStream(jsm, {
      name: stream,
      subjects: [`${prefix}.>`],
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      storage: StorageType.File,
      max_age: nanos(options.maxAgeMs ?? 24 * 3_600_000),
      max_bytes: options.maxBytes ?? 1024 ** 3,
      duplicate_window: nanos(120_000),
    });
    return new NatsBus(nc, jsm, jetstream(nc), stream, prefix, options.publishTimeoutMs ?? 5_000);
  } catch (error) {
    await nc.close();
    if (error instanceof EntenteError) throw error;
    throw new EntenteError('ENTENTE_STORE_UNAVAILABLE', `JetStream at ${options.url} refused the stream ${stream}: ${(error as Error).message}`, [
      { path: 'bus.stream', message: 'JetStream unavailable or stream refused' },
    ], { cause: error });
  }
}

async function ensureStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { readonly name: string; readonly subjects: string[] }): Promise<void> {
  try {
    const info = await jsm.streams.info(config.name);
    const subject = config.subjects[0] as string;
    if (!info.config.subjects.includes(subject)) {
      throw new EntenteError('ENTENTE_CONFLICT', `NATS stream ${config.name} exists without the subjects ${subject}`, [{ path: 'bus.stream', message: 'stream exists with other subjects' }]);
    }
  } catch (error) {
    if (!(error instanceof JetStreamApiError) || error.code !== 10059) throw error; // 10059: stream not found
    await jsm.streams.add(config);
  }
}

export class NatsBus implements Bus {
  readonly #running = new Set<Consumption>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly js: JetStreamClient,
    /** The stream's name. */
    readonly stream: string,
    private readonly prefix: string,
    private readonly publishTimeoutMs: number,
  ) {}

  async publish(subject: string, data: Uint8Array, options: PublishOptions = {}): Promise<PublishAck> {
    checkSubject(subject);
    try {
      const ack = await this.js.publish(`${this.prefix}.${subject}`, data, {
        timeout: this.publishTimeoutMs,
        ...(options.msgId === undefined ? {} : { msgID: options.msgId }),
      });
      return { seq: ack.seq, duplicate: ack.duplicate };
    } catch (error) {
      throw new EntenteError('ENTENTE_STORE_UNAVAILABLE', `Publishing on ${subject} to stream ${this.stream} failed: ${(error as Error).message}`, [], { cause: error });
    }
  }

  async consume(options: ConsumeOptions, handler: DeliveryHandler): Promise<Consumption> {
    const settings = consumerSettings(options);
    const config: Partial<ConsumerConfig> = {
      filter_subject: `${this.prefix}.${settings.filter}`,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(settings.ackWaitMs),
      max_deliver: settings.maxDeliver,
      max_ack_pending: settings.maxAckPending,
      deliver_policy: settings.from === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
      ...(options.durable === undefined
        // A private consumer the server forgets on its own should this process die without stopping it.
        ? { inactive_threshold: nanos(Math.max(60_000, settings.ackWaitMs * 2)) }
        : { durable_name: options.durable }),
    };
    let name: string;
    try {
      name = (await this.jsm.consumers.add(this.stream, config)).name;
    } catch (error) {
      throw new EntenteError('ENTENTE_CONFLICT', `Consumer ${options.durable ?? '(private)'} on stream ${this.stream} could not be created: ${(error as Error).message}`, [
        { path: 'durable', message: 'refused by JetStream (an existing durable with other settings?)' },
      ], { cause: error });
    }
    const consumer = await this.js.consumers.get(this.stream, name);
    const inFlight = new Set<Promise<void>>();
    const run = (m: JsMsg): void => {
      const delivery = { subject: m.subject.slice(this.prefix.length + 1), data: m.data, seq: m.seq, deliveryCount: m.info.deliveryCount };
      const settled = handler(delivery).then(() => m.ack(), () => m.nak(settings.retryDelayMs));
      inFlight.add(settled);
      void settled.finally(() => inFlight.delete(settled));
    };
    // Pulls at most what may be pending, so one process does not take a batch another could work on.
    const messages: ConsumerMessages = await consumer.consume({ max_messages: Math.min(settings.maxAckPending, 64), callback: run });
    const consumption: Consumption = {
      stop: async () => {
        if (!this.#running.delete(consumption)) return;
        await messages.close();
        // Handlers under way may still acknowledge; one that hangs is left to the ack wait.
        const grace = new Promise<void>((resolve) => setTimeout(resolve, Math.min(settings.ackWaitMs, 5_000)).unref());
        await Promise.race([Promise.allSettled([...inFlight]), grace]);
        if (options.durable === undefined) await this.jsm.consumers.delete(this.stream, name).catch(() => false);
      },
    };
    this.#running.add(consumption);
    return consumption;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#running].map((c) => c.stop()));
    if (!this.nc.isClosed()) await this.nc.drain();
  }

  /** Removes the stream and everything in it (tests and `entente` maintenance only). */
  async deleteStream(): Promise<void> {
    await this.jsm.streams.delete(this.stream);
  }
}
