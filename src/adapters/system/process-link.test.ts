import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { EntenteError } from '../../core/errors.js';
import { MemoryBus } from '../bus/memory-bus.js';
import { busRelay, RelayedBus } from '../bus/relayed-bus.js';
import { MemoryReplayGuard } from '../keys/replay-guards.js';
import { RelayedReplayGuard, replayRelay } from '../keys/relayed-replay-guard.js';
import { ManualClock } from './manual-clock.js';
import { ProcessLink, type IpcChannel, type LinkHandlers } from './process-link.js';

/** Two ends of an IPC channel whose messages are copied as advanced serialization copies them. */
function channelPair(): [IpcChannel & EventEmitter, IpcChannel & EventEmitter] {
  const a = new EventEmitter() as IpcChannel & EventEmitter;
  const b = new EventEmitter() as IpcChannel & EventEmitter;
  a.send = (message) => setImmediate(() => b.emit('message', structuredClone(message)));
  b.send = (message) => setImmediate(() => a.emit('message', structuredClone(message)));
  return [a, b];
}

function linked(primary: LinkHandlers, worker: LinkHandlers = {}): { primary: ProcessLink; worker: ProcessLink } {
  const [p, w] = channelPair();
  return { primary: new ProcessLink(p, primary), worker: new ProcessLink(w, worker) };
}

describe('ProcessLink', () => {
  it('calls the other side both ways, keeps an error\'s code, and fails what is waiting when closed', async () => {
    const { primary, worker } = linked(
      { double: async (n) => (n as number) * 2, refuse: async () => { throw new EntenteError('ENTENTE_CONFLICT', 'already there', [{ path: '$.objects[2].id', message: 'taken' }]); } },
      { hello: async () => 'from the worker' },
    );
    expect(await worker.call('double', 21)).toBe(42);
    expect(await primary.call('hello', null)).toBe('from the worker');
    await expect(worker.call('refuse', null)).rejects.toMatchObject({ code: 'ENTENTE_CONFLICT', message: 'already there', details: [{ path: '$.objects[2].id', message: 'taken' }] });
    await expect(worker.call('missing', null)).rejects.toThrow(/no method missing/);
    const waiting = worker.call('never-answered-after-close', null);
    worker.close('the primary exited');
    await expect(waiting).rejects.toThrow(/the primary exited/);
    await expect(worker.call('double', 1)).rejects.toThrow(/closed/);
  });

  it('gives up on a call not answered in time, and ignores the late answer', async () => {
    let answer: (value: string) => void = () => undefined;
    const { worker } = linked({ slow: () => new Promise((resolve) => (answer = resolve)), quick: async () => 'quick' });
    const late = worker.call('slow', null, 20);
    await expect(late).rejects.toThrow(/No answer to slow over the process link within 20 ms/);
    answer('too late');
    expect(await worker.call('quick', null, 1_000)).toBe('quick');
  });
});

describe('a worker process\'s bus and replay guard', () => {
  it('publish on the primary\'s bus, whose consumers see the change and whose stream dedups', async () => {
    const bus = new MemoryBus();
    const seen: string[] = [];
    await bus.consume({ filter: 'changes.>' }, async (d) => {
      seen.push(`${d.subject}:${new TextDecoder().decode(d.data)}`);
    });
    const { worker } = linked(busRelay(bus));
    const relayed = new RelayedBus(worker);
    const first = await relayed.publish('changes.intel', new TextEncoder().encode('one'), { msgId: 'm1' });
    const again = await relayed.publish('changes.intel', new TextEncoder().encode('one'), { msgId: 'm1' });
    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ seq: first.seq, duplicate: true });
    await expect.poll(() => seen).toEqual(['changes.intel:one']);
    await expect(relayed.consume()).rejects.toThrow(/consumers run in the primary process/);
    await bus.close();
  });

  it('refuse an envelope replayed to another worker, because the primary remembers for all', async () => {
    const guard = new MemoryReplayGuard(new ManualClock(1_000));
    const one = new RelayedReplayGuard(linked(replayRelay(guard)).worker);
    const two = new RelayedReplayGuard(linked(replayRelay(guard)).worker);
    expect(await one.remember('envelope-1', 5_000)).toBe(true);
    expect(await two.remember('envelope-1', 5_000)).toBe(false);
    expect(await two.remember('envelope-2', 5_000)).toBe(true);
  });
});
