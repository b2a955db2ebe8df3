import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeBusContract, eventually } from '../../ports/bus.contract.js';
import { MemoryBus } from './memory-bus.js';
import { subjectMatches } from './subjects.js';

describeBusContract('in-process', async () => {
  const bus = new MemoryBus();
  return { bus, cleanup: () => bus.close() };
});

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('MemoryBus', () => {
  it('keeps at most maxMessages, dropping the oldest, so memory stays bounded without consumers', async () => {
    const bus = new MemoryBus({ maxMessages: 5 });
    for (let i = 0; i < 12; i++) await bus.publish('telemetry.batches', bytes(`m${i}`));
    expect(bus.dropped).toBe(7);
    const got: string[] = [];
    await bus.consume({ filter: 'telemetry.batches' }, async (d) => void got.push(new TextDecoder().decode(d.data)));
    await eventually(() => got.length === 5, 'the retained five');
    expect(got).toEqual(['m7', 'm8', 'm9', 'm10', 'm11']);
    await bus.close();
  });

  it('keeps at most maxBytes of payload', async () => {
    const bus = new MemoryBus({ maxBytes: 100 });
    for (let i = 0; i < 10; i++) await bus.publish('telemetry.batches', new Uint8Array(30));
    expect(bus.dropped).toBe(7);
    await bus.close();
  });

  it('refuses a durable name reused with another filter', async () => {
    const bus = new MemoryBus();
    await bus.consume({ filter: 'changes.intel', durable: 'x' }, async () => {});
    await expect(bus.consume({ filter: 'telemetry.batches', durable: 'x' }, async () => {})).rejects.toMatchObject({ code: 'ENTENTE_CONFLICT' });
    await bus.close();
  });

  it('handles every message successfully exactly once, whatever the workers and failures (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 8 }),
        fc.func(fc.boolean()),
        async (count, workers, maxAckPending, failsFirstTime) => {
          const bus = new MemoryBus();
          const succeeded = new Map<string, number>();
          for (let w = 0; w < workers; w++) {
            await bus.consume({ filter: 'telemetry.batches', durable: 'q', maxAckPending, retryDelayMs: 1, maxDeliver: 3 }, async (d) => {
              const id = new TextDecoder().decode(d.data);
              if (d.deliveryCount === 1 && failsFirstTime(id)) throw new Error('transient');
              succeeded.set(id, (succeeded.get(id) ?? 0) + 1);
            });
          }
          for (let i = 0; i < count; i++) await bus.publish('telemetry.batches', bytes(`m${i}`));
          await eventually(() => succeeded.size === count, 'all handled', 5_000);
          await new Promise((r) => setTimeout(r, 5));
          await bus.close();
          return [...succeeded.values()].every((n) => n === 1);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('subjectMatches', () => {
  it('matches NATS wildcards: * one token, > one or more at the end', () => {
    expect(subjectMatches('changes.intel', 'changes.intel')).toBe(true);
    expect(subjectMatches('changes.*', 'changes.intel')).toBe(true);
    expect(subjectMatches('changes.*', 'changes.intel.x')).toBe(false);
    expect(subjectMatches('changes.>', 'changes.intel.x')).toBe(true);
    expect(subjectMatches('changes.>', 'changes')).toBe(false);
    expect(subjectMatches('*.intel', 'telemetry.batches')).toBe(false);
  });

  it('a literal filter selects exactly its own subject (property)', () => {
    const token = fc.stringMatching(/^[a-z0-9_-]{1,6}$/);
    fc.assert(fc.property(fc.array(token, { minLength: 1, maxLength: 4 }), fc.array(token, { minLength: 1, maxLength: 4 }), (a, b) => {
      expect(subjectMatches(a.join('.'), b.join('.'))).toBe(a.join('.') === b.join('.'));
      expect(subjectMatches('>', b.join('.'))).toBe(true);
    }));
  });
});
