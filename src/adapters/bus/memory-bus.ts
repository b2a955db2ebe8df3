/**
 * The in-process Bus: the default when no `bus.url` is configured. It keeps JetStream's semantics
 * inside one process (a retained stream, durable consumers shared as work queues, explicit
 * acknowledgement, redelivery after a failure or `ackWaitMs`, `maxDeliver`), so code written
 * against it behaves the same on NATS. Memory is bounded: beyond `maxMessages` or `maxBytes` the
 * oldest messages are dropped, as a JetStream stream with limits retention and `discard: old`.
 * Nothing survives the process: consumers that need the past read it from the Store.
 */
import { EntenteError } from '../../core/errors.js';
import type { Bus, ConsumeOptions, Consumption, DeliveryHandler, PublishAck, PublishOptions } from '../../ports/bus.js';
import { checkSubject, consumerSettings, subjectMatches, type ConsumerSettings } from './subjects.js';

export interface MemoryBusOptions {
  /** Messages retained (default 10,000). */
  readonly maxMessages?: number;
  /** Bytes of payload retained (default 64 MiB). */
  readonly maxBytes?: number;
}

interface Stored {
  readonly seq: number;
  readonly subject: string;
  readonly data: Uint8Array;
  readonly msgId?: string;
}

interface Pending {
  count: number;
  /** Identifies the current delivery: a late settlement of an earlier one is ignored. */
  token: number;
  timer: NodeJS.Timeout | undefined;
}

interface Consumer {
  readonly name: string;
  readonly ephemeral: boolean;
  readonly settings: ConsumerSettings;
  /** The next stream position not yet delivered. */
  next: number;
  readonly pending: Map<number, Pending>;
  /** Positions due again, oldest first. */
  readonly again: number[];
  readonly workers: DeliveryHandler[];
  turn: number;
}

export class MemoryBus implements Bus {
  readonly #log: Stored[] = [];
  #bytes = 0;
  #lastSeq = 0;
  #token = 0;
  #anonymous = 0;
  #closed = false;
  readonly #ids = new Map<string, number>();
  readonly #consumers = new Map<string, Consumer>();
  readonly #maxMessages: number;
  readonly #maxBytes: number;

  constructor(options: MemoryBusOptions = {}) {
    this.#maxMessages = options.maxMessages ?? 10_000;
    this.#maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  }

  /** Messages dropped from the head to stay within bounds, for operators and tests. */
  dropped = 0;

  async publish(subject: string, data: Uint8Array, options: PublishOptions = {}): Promise<PublishAck> {
    this.#open();
    checkSubject(subject);
    if (options.msgId !== undefined) {
      const seq = this.#ids.get(options.msgId);
      if (seq !== undefined) return { seq, duplicate: true };
    }
    const seq = ++this.#lastSeq;
    const copy = Uint8Array.from(data);
    this.#log.push(options.msgId === undefined ? { seq, subject, data: copy } : { seq, subject, data: copy, msgId: options.msgId });
    if (options.msgId !== undefined) this.#ids.set(options.msgId, seq);
    this.#bytes += copy.byteLength;
    this.#trim();
    for (const consumer of this.#consumers.values()) this.#pump(consumer);
    return { seq, duplicate: false };
  }

  async consume(options: ConsumeOptions, handler: DeliveryHandler): Promise<Consumption> {
    this.#open();
    const settings = consumerSettings(options);
    const name = options.durable ?? `_private_${++this.#anonymous}`;
    let consumer = this.#consumers.get(name);
    if (consumer !== undefined && consumer.settings.filter !== settings.filter) {
      throw new EntenteError('ENTENTE_CONFLICT', `Durable consumer ${name} exists with filter ${consumer.settings.filter}, not ${settings.filter}`, [
        { path: 'durable', message: 'already used with another filter' },
      ]);
    }
    if (consumer === undefined) {
      const next = settings.from === 'new' ? this.#lastSeq + 1 : (this.#log[0]?.seq ?? this.#lastSeq + 1);
      consumer = { name, ephemeral: options.durable === undefined, settings, next, pending: new Map(), again: [], workers: [], turn: 0 };
      this.#consumers.set(name, consumer);
    }
    const owner = consumer;
    // Each consume call is its own worker, even when one function handles for several.
    const worker: DeliveryHandler = (delivery) => handler(delivery);
    owner.workers.push(worker);
    this.#pump(owner);
    return {
      stop: async () => {
        const at = owner.workers.indexOf(worker);
        if (at >= 0) owner.workers.splice(at, 1);
        if (owner.ephemeral) this.#forget(owner);
      },
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const consumer of [...this.#consumers.values()]) this.#forget(consumer);
  }

  #open(): void {
    if (this.#closed) throw new EntenteError('ENTENTE_INTERNAL', 'The in-process bus is closed');
  }

  #forget(consumer: Consumer): void {
    for (const p of consumer.pending.values()) clearTimeout(p.timer);
    consumer.pending.clear();
    consumer.workers.length = 0;
    this.#consumers.delete(consumer.name);
  }

  #trim(): void {
    while (this.#log.length > this.#maxMessages || (this.#bytes > this.#maxBytes && this.#log.length > 1)) {
      const gone = this.#log.shift() as Stored;
      this.#bytes -= gone.data.byteLength;
      if (gone.msgId !== undefined) this.#ids.delete(gone.msgId);
      this.dropped++;
    }
  }

  #find(seq: number): Stored | undefined {
    const first = this.#log[0];
    return first === undefined ? undefined : this.#log[seq - first.seq];
  }

  /** Hands out deliveries while the consumer has workers and room under maxAckPending. */
  #pump(consumer: Consumer): void {
    while (consumer.workers.length > 0 && this.#consumers.get(consumer.name) === consumer) {
      const message = this.#nextFor(consumer);
      if (message === undefined) return;
      const pending = consumer.pending.get(message.seq) ?? { count: 0, token: 0, timer: undefined };
      pending.count++;
      pending.token = ++this.#token;
      consumer.pending.set(message.seq, pending);
      const token = pending.token;
      pending.timer = setTimeout(() => this.#settle(consumer, message.seq, token, 'timeout'), consumer.settings.ackWaitMs);
      pending.timer.unref();
      const worker = consumer.workers[consumer.turn++ % consumer.workers.length] as DeliveryHandler;
      const delivery = { subject: message.subject, data: message.data, seq: message.seq, deliveryCount: pending.count };
      // Handlers run on a later tick: publish returns at once, and no handler runs inside another.
      setImmediate(() => {
        worker(delivery).then(
          () => this.#settle(consumer, message.seq, token, 'ack'),
          () => this.#settle(consumer, message.seq, token, 'nak'),
        );
      });
    }
  }

  #nextFor(consumer: Consumer): Stored | undefined {
    while (consumer.again.length > 0) {
      const seq = consumer.again.shift() as number;
      const message = this.#find(seq);
      if (message !== undefined) return message;
      consumer.pending.delete(seq);
    }
    if (consumer.pending.size >= consumer.settings.maxAckPending) return undefined;
    const first = this.#log[0]?.seq ?? this.#lastSeq + 1;
    if (consumer.next < first) consumer.next = first;
    while (consumer.next <= this.#lastSeq) {
      const message = this.#find(consumer.next++);
      if (message !== undefined && subjectMatches(consumer.settings.filter, message.subject)) return message;
    }
    return undefined;
  }

  #settle(consumer: Consumer, seq: number, token: number, how: 'ack' | 'nak' | 'timeout'): void {
    const pending = consumer.pending.get(seq);
    if (pending === undefined || pending.token !== token) return;
    clearTimeout(pending.timer);
    pending.timer = undefined;
    pending.token = 0;
    if (how === 'ack' || pending.count >= consumer.settings.maxDeliver) {
      consumer.pending.delete(seq);
      this.#pump(consumer);
      return;
    }
    const due = (): void => {
      if (!consumer.pending.has(seq)) return;
      consumer.again.push(seq);
      this.#pump(consumer);
    };
    if (how === 'timeout') due();
    else setTimeout(due, consumer.settings.retryDelayMs).unref();
  }
}
