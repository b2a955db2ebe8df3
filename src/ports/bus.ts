/**
 * The Bus: what carries the change feed and the telemetry work queue between processes. The
 * in-process adapter is the default (one process, nothing to set up); the NATS JetStream adapter
 * lets several API and worker processes share one stream. Both pass `bus.contract.ts`.
 *
 * Delivery is at-least-once: a message is delivered again until a handler settles it, so handlers
 * must be idempotent. Subjects here are relative (`changes.intel`); each adapter places them
 * under its own stream's prefix, so several nodes may share one NATS cluster.
 */
import { TELEMETRY_FORMATS, type TelemetryFormat } from '../core/telemetry/index.js';

/** The stream's acknowledgement of a published message. */
export interface PublishAck {
  /** Position in the stream, increasing. */
  readonly seq: number;
  /** The stream had already stored a message with the same `msgId`, and stored nothing. */
  readonly duplicate: boolean;
}

export interface PublishOptions {
  /** Publishing twice with one id stores one message (within the stream's duplicate window). */
  readonly msgId?: string;
}

/** One delivery of a stored message to a consumer. */
export interface Delivery {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly seq: number;
  /** 1 on the first delivery, more when the message comes again after a failure or a timeout. */
  readonly deliveryCount: number;
}

/**
 * Settles one delivery: resolving acknowledges it; rejecting asks for it again after
 * `retryDelayMs`; neither within `ackWaitMs` and the stream delivers it again.
 */
export type DeliveryHandler = (delivery: Delivery) => Promise<void>;

export interface ConsumeOptions {
  /** Subject filter, relative like subjects: `telemetry.batches`, `changes.*`, `changes.>`. */
  readonly filter: string;
  /**
   * Consumers that give the same name share the messages (a work queue: each is handled by one
   * of them) and resume where the name left off. Without a name the consumer is private: it
   * sees every message and is forgotten when stopped.
   */
  readonly durable?: string;
  /** Where a consumer that is new starts: every retained message (default) or only later ones. */
  readonly from?: 'all' | 'new';
  /** How long a delivery may stay unsettled before it is delivered again (default 30 s). */
  readonly ackWaitMs?: number;
  /** Deliveries of one message before it is given up (default 5). */
  readonly maxDeliver?: number;
  /** Deliveries unsettled at once, across every process sharing the name (default 256). */
  readonly maxAckPending?: number;
  /** Delay before a rejected delivery comes again (default 1 s). */
  readonly retryDelayMs?: number;
}

/** A running consumer; stopping it leaves a durable name's place in the stream as it was. */
export interface Consumption {
  stop(): Promise<void>;
}

export interface Bus {
  /** Stores a message in the stream; resolves once the stream has acknowledged it. */
  publish(subject: string, data: Uint8Array, options?: PublishOptions): Promise<PublishAck>;
  /** Starts handling the messages the filter selects; resolves once the consumer is in place. */
  consume(options: ConsumeOptions, handler: DeliveryHandler): Promise<Consumption>;
  /** Stops every consumer and lets go of the connection. */
  close(): Promise<void>;
}

/** The subjects Entente uses. */
export const SUBJECTS = {
  /** One message per successful intel write (IntelChange). */
  intelChanges: 'changes.intel',
  /** Sensor log lines waiting to be matched (TelemetryBatch). */
  telemetryBatches: 'telemetry.batches',
} as const;

/** What one successful write (or delete) changed; consumers read the store for the objects themselves. */
export interface IntelChange {
  /** `write`: versions were added; `delete`: versions were removed, and `version` is `*`. */
  readonly kind: 'write' | 'delete';
  readonly collectionId: string;
  readonly objects: ReadonlyArray<{ readonly id: string; readonly type: string; readonly version: string }>;
  /** When the write was taken (STIX timestamp). */
  readonly at: string;
}

/** Sensor log lines of one source and format, as a sensor or `entente detect publish` sent them. */
export interface TelemetryBatch {
  readonly format: TelemetryFormat | 'auto';
  /** Where the lines come from (a file name, a sensor name), reported with each match. */
  readonly source: string;
  /** Line number of the first line in its source, so matches point at the right line. */
  readonly firstLine: number;
  readonly lines: ReadonlyArray<string>;
  /** Lines read before `lines` to set the decoder up (Zeek TSV's `#fields` header), repeated in every batch of a file. */
  readonly header?: ReadonlyArray<string>;
  /** Zeek log name when records do not carry one (`conn` for lines of a `conn.log`). */
  readonly zeekPath?: string;
}

/** The change feed of intel writes, over a Bus. */
export interface ChangeFeed {
  publish(change: IntelChange): Promise<PublishAck>;
  subscribe(options: FeedOptions, handler: (change: IntelChange, delivery: Delivery) => Promise<void>): Promise<Consumption>;
}

/** The work queue of telemetry batches, over a Bus. */
export interface TelemetryQueue {
  publish(batch: TelemetryBatch): Promise<PublishAck>;
  consume(options: FeedOptions, handler: (batch: TelemetryBatch, delivery: Delivery) => Promise<void>): Promise<Consumption>;
}

/**
 * Consumer options of a typed feed; a message that does not decode is acknowledged (so it is not
 * delivered forever) and reported to `onInvalid`.
 */
export type FeedOptions = Omit<ConsumeOptions, 'filter'> & {
  readonly onInvalid?: (problem: string, delivery: Delivery) => void;
};

export function changeFeedOn(bus: Bus): ChangeFeed {
  return {
    publish: (change) => bus.publish(SUBJECTS.intelChanges, encodeJson(change)),
    subscribe: (options, handler) => consumeJson(bus, SUBJECTS.intelChanges, options, intelChangeProblem, handler),
  };
}

export function telemetryQueueOn(bus: Bus): TelemetryQueue {
  return {
    publish: (batch) => bus.publish(SUBJECTS.telemetryBatches, encodeJson(batch)),
    consume: (options, handler) => consumeJson(bus, SUBJECTS.telemetryBatches, options, telemetryBatchProblem, handler),
  };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

function consumeJson<T>(
  bus: Bus, filter: string, options: FeedOptions, problemOf: (value: unknown) => string | undefined,
  handler: (value: T, delivery: Delivery) => Promise<void>,
): Promise<Consumption> {
  const { onInvalid, ...consume } = options;
  return bus.consume({ ...consume, filter }, async (delivery) => {
    let value: unknown;
    try {
      value = JSON.parse(decoder.decode(delivery.data));
    } catch (error) {
      onInvalid?.(`message ${delivery.seq} on ${delivery.subject} is not UTF-8 JSON: ${(error as Error).message}`, delivery);
      return;
    }
    const problem = problemOf(value);
    if (problem !== undefined) {
      onInvalid?.(`message ${delivery.seq} on ${delivery.subject}: ${problem}`, delivery);
      return;
    }
    await handler(value as T, delivery);
  });
}

type Json = Readonly<Record<string, unknown>>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown): v is ReadonlyArray<string> => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Why a message is not an IntelChange, with the JSON path of the first problem. */
export function intelChangeProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return '$: not an object';
  if (value['kind'] !== 'write' && value['kind'] !== 'delete') return '$.kind: must be write or delete';
  if (typeof value['collectionId'] !== 'string') return '$.collectionId: must be a string';
  if (typeof value['at'] !== 'string') return '$.at: must be a string';
  const objects = value['objects'];
  if (!Array.isArray(objects)) return '$.objects: must be an array';
  for (const [i, o] of objects.entries()) {
    if (!isRecord(o)) return `$.objects[${i}]: not an object`;
    for (const key of ['id', 'type', 'version']) if (typeof o[key] !== 'string') return `$.objects[${i}].${key}: must be a string`;
  }
  return undefined;
}

/** Why a message is not a TelemetryBatch, with the JSON path of the first problem. */
export function telemetryBatchProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return '$: not an object';
  const format = value['format'];
  if (format !== 'auto' && !TELEMETRY_FORMATS.includes(format as TelemetryFormat)) return `$.format: must be auto or one of ${TELEMETRY_FORMATS.join(', ')}`;
  if (typeof value['source'] !== 'string') return '$.source: must be a string';
  const first = value['firstLine'];
  if (typeof first !== 'number' || !Number.isInteger(first) || first < 1) return '$.firstLine: must be a whole number from 1';
  if (!isStringArray(value['lines'])) return '$.lines: must be an array of strings';
  if (value['header'] !== undefined && !isStringArray(value['header'])) return '$.header: must be an array of strings';
  if (value['zeekPath'] !== undefined && typeof value['zeekPath'] !== 'string') return '$.zeekPath: must be a string';
  return undefined;
}
