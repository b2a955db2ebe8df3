/**
 * The one contract suite every Bus adapter passes: the in-process bus and NATS JetStream behave
 * alike for publishing, work sharing, fan-out, redelivery and the typed feeds built on them.
 * An adapter's test file calls `describeBusContract` with a factory that opens a fresh, empty bus.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isEntenteError } from '../core/errors.js';
import { changeFeedOn, telemetryQueueOn, type Bus, type Delivery, type IntelChange, type TelemetryBatch } from './bus.js';

export type OpenBus = () => Promise<{ readonly bus: Bus; readonly cleanup: () => Promise<void> }>;

const text = new TextEncoder();
const read = (d: Delivery): string => new TextDecoder().decode(d.data);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check` holds, failing with `what` after `ms`. */
export async function eventually(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export function describeBusContract(name: string, open: OpenBus): void {
  describe(`Bus contract: ${name}`, () => {
    let bus: Bus;
    let cleanup: () => Promise<void> = async () => {};

    beforeEach(async () => {
      ({ bus, cleanup } = await open());
    });
    afterEach(async () => {
      await cleanup();
    });

    const publishAll = async (subject: string, count: number): Promise<void> => {
      for (let i = 0; i < count; i++) await bus.publish(subject, text.encode(`m${i}`));
    };

    it('acknowledges publishes in increasing order and delivers subject, payload and a first delivery count', async () => {
      const a = await bus.publish('telemetry.batches', text.encode('one'));
      const b = await bus.publish('telemetry.batches', text.encode('two'));
      expect(b.seq).toBeGreaterThan(a.seq);
      expect(a.duplicate).toBe(false);
      const got: Delivery[] = [];
      await bus.consume({ filter: 'telemetry.batches' }, async (d) => void got.push(d));
      await eventually(() => got.length === 2, 'two deliveries');
      expect(got.map(read)).toEqual(['one', 'two']);
      expect(got.map((d) => [d.subject, d.seq, d.deliveryCount])).toEqual([['telemetry.batches', a.seq, 1], ['telemetry.batches', b.seq, 1]]);
    });

    it('delivers only the subjects a filter selects, with * for one token and > for the rest', async () => {
      await bus.publish('changes.intel', text.encode('c'));
      await bus.publish('telemetry.batches', text.encode('t'));
      await bus.publish('changes.intel.extra', text.encode('deep'));
      const star: string[] = [];
      const rest: string[] = [];
      await bus.consume({ filter: 'changes.*' }, async (d) => void star.push(read(d)));
      await bus.consume({ filter: 'changes.>' }, async (d) => void rest.push(read(d)));
      await eventually(() => star.length === 1 && rest.length === 2, 'filtered deliveries');
      await sleep(100);
      expect(star).toEqual(['c']);
      expect(rest).toEqual(['c', 'deep']);
    });

    it('stores a message published twice with one msgId once', async () => {
      const first = await bus.publish('changes.intel', text.encode('x'), { msgId: 'write-1' });
      const again = await bus.publish('changes.intel', text.encode('x'), { msgId: 'write-1' });
      expect(again).toEqual({ seq: first.seq, duplicate: true });
      const got: string[] = [];
      await bus.consume({ filter: 'changes.intel' }, async (d) => void got.push(read(d)));
      await eventually(() => got.length >= 1, 'one delivery');
      await sleep(150);
      expect(got).toEqual(['x']);
    });

    it('shares the messages of one durable name between its consumers, each message handled once', async () => {
      const handled = new Map<string, string[]>();
      const worker = (id: string) => async (d: Delivery): Promise<void> => {
        await sleep(5);
        handled.set(read(d), [...(handled.get(read(d)) ?? []), id]);
      };
      await bus.consume({ filter: 'telemetry.batches', durable: 'workers', maxAckPending: 4 }, worker('a'));
      await bus.consume({ filter: 'telemetry.batches', durable: 'workers', maxAckPending: 4 }, worker('b'));
      await publishAll('telemetry.batches', 60);
      await eventually(() => handled.size === 60, 'every message handled');
      await sleep(150);
      expect([...handled.values()].every((by) => by.length === 1)).toBe(true);
      const byWorker = [...handled.values()].flat();
      expect(byWorker.filter((w) => w === 'a').length).toBeGreaterThan(0);
      expect(byWorker.filter((w) => w === 'b').length).toBeGreaterThan(0);
    });

    it('gives every message to each durable name (fan-out)', async () => {
      await publishAll('changes.intel', 10);
      const one: string[] = [];
      const two: string[] = [];
      await bus.consume({ filter: 'changes.intel', durable: 'one' }, async (d) => void one.push(read(d)));
      await bus.consume({ filter: 'changes.intel', durable: 'two' }, async (d) => void two.push(read(d)));
      await eventually(() => one.length === 10 && two.length === 10, 'both names see all');
      expect(new Set(one)).toEqual(new Set(two));
    });

    it('delivers a rejected message again after the retry delay, counting deliveries', async () => {
      const counts: number[] = [];
      await bus.consume({ filter: 'changes.intel', retryDelayMs: 50 }, async (d) => {
        counts.push(d.deliveryCount);
        if (d.deliveryCount === 1) throw new Error('not yet');
      });
      await bus.publish('changes.intel', text.encode('retry me'));
      await eventually(() => counts.length === 2, 'a second delivery');
      await sleep(200);
      expect(counts).toEqual([1, 2]);
    });

    it('delivers a message again when its handler does not settle within ackWaitMs', async () => {
      const counts: number[] = [];
      await bus.consume({ filter: 'changes.intel', ackWaitMs: 400 }, (d) => {
        counts.push(d.deliveryCount);
        return d.deliveryCount === 1 ? new Promise<void>(() => {}) : Promise.resolve();
      });
      await bus.publish('changes.intel', text.encode('slow'));
      await eventually(() => counts.length === 2, 'a redelivery after the ack wait');
      expect(counts).toEqual([1, 2]);
    });

    it('gives a message up after maxDeliver deliveries', async () => {
      let calls = 0;
      await bus.consume({ filter: 'changes.intel', maxDeliver: 2, retryDelayMs: 20 }, async () => {
        calls++;
        throw new Error('always fails');
      });
      await bus.publish('changes.intel', text.encode('poison'));
      await eventually(() => calls === 2, 'two deliveries');
      await sleep(300);
      expect(calls).toBe(2);
    });

    it('resumes a durable name where it left off', async () => {
      const first: string[] = [];
      const c = await bus.consume({ filter: 'telemetry.batches', durable: 'resume' }, async (d) => void first.push(read(d)));
      await publishAll('telemetry.batches', 3);
      await eventually(() => first.length === 3, 'first three');
      await sleep(100);
      await c.stop();
      await bus.publish('telemetry.batches', text.encode('later'));
      const second: string[] = [];
      await bus.consume({ filter: 'telemetry.batches', durable: 'resume' }, async (d) => void second.push(read(d)));
      await eventually(() => second.length === 1, 'the later message');
      await sleep(100);
      expect(second).toEqual(['later']);
    });

    it('starts a new consumer at later messages only when asked to', async () => {
      await bus.publish('changes.intel', text.encode('before'));
      const fresh: string[] = [];
      await bus.consume({ filter: 'changes.intel', from: 'new' }, async (d) => void fresh.push(read(d)));
      await bus.publish('changes.intel', text.encode('after'));
      await eventually(() => fresh.length === 1, 'the later message');
      await sleep(100);
      expect(fresh).toEqual(['after']);
    });

    it('refuses subjects and durable names that NATS would refuse, saying which', async () => {
      const code = async (p: Promise<unknown>): Promise<string | undefined> => p.then(() => undefined, (e: unknown) => (isEntenteError(e) ? e.code : String(e)));
      expect(await code(bus.publish('changes.*', text.encode('x')))).toBe('ENTENTE_INVALID_PARAMETER');
      expect(await code(bus.publish('changes..intel', text.encode('x')))).toBe('ENTENTE_INVALID_PARAMETER');
      expect(await code(bus.consume({ filter: 'changes.>.x' }, async () => {}))).toBe('ENTENTE_INVALID_PARAMETER');
      expect(await code(bus.consume({ filter: 'changes.intel', durable: 'a.b' }, async () => {}))).toBe('ENTENTE_INVALID_PARAMETER');
    });

    it('carries intel changes and telemetry batches as typed messages, and drops what does not decode', async () => {
      const feed = changeFeedOn(bus);
      const queue = telemetryQueueOn(bus);
      const change: IntelChange = { kind: 'write', collectionId: 'c1', objects: [{ id: 'indicator--1', type: 'indicator', version: '2026-01-01T00:00:00.000Z' }], at: '2026-01-01T00:00:01.000Z' };
      const batch: TelemetryBatch = { format: 'suricata', source: 'eve.json', firstLine: 1, lines: ['{}'] };
      const changes: IntelChange[] = [];
      const batches: TelemetryBatch[] = [];
      const invalid: string[] = [];
      await feed.subscribe({ onInvalid: (p) => invalid.push(p) }, async (c) => void changes.push(c));
      await queue.consume({ durable: 'detect', onInvalid: (p) => invalid.push(p) }, async (b) => void batches.push(b));
      await bus.publish('changes.intel', text.encode('{"kind":"write"}'));
      await bus.publish('telemetry.batches', text.encode('not json'));
      await feed.publish(change);
      await queue.publish(batch);
      await eventually(() => changes.length === 1 && batches.length === 1 && invalid.length === 2, 'typed deliveries');
      await sleep(150);
      expect(changes).toEqual([change]);
      expect(batches).toEqual([batch]);
      expect(invalid.some((p) => p.includes('$.collectionId'))).toBe(true);
      expect(invalid.some((p) => p.includes('not UTF-8 JSON'))).toBe(true);
    });
  });
}
