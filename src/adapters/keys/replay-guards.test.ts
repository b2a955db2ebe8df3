import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../system/manual-clock.js';
import { FileReplayGuard, MemoryReplayGuard } from './replay-guards.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('replay guards', () => {
  it('remember an id until its expiry, in memory and on disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'entente-replay-'));
    dirs.push(dir);
    const clock = new ManualClock(1_000);
    for (const guard of [new MemoryReplayGuard(clock), new FileReplayGuard(dir, clock)]) {
      clock.set(1_000);
      expect(await guard.remember('a', 5_000)).toBe(true);
      expect(await guard.remember('a', 5_000)).toBe(false);
      expect(await guard.remember('b', 2_000)).toBe(true);
      clock.set(5_000);
      expect(await guard.remember('a', 9_000)).toBe(true);
    }
    expect(await new FileReplayGuard(dir, clock).remember('a', 9_000)).toBe(false);
  });

  it('forgets expired ids so the memory guard holds only live envelopes', async () => {
    const clock = new ManualClock(0);
    const guard = new MemoryReplayGuard(clock);
    for (let i = 0; i < 100; i += 1) await guard.remember(`id-${i}`, 10 + i);
    clock.set(60);
    await guard.remember('late', 1_000);
    expect(guard.size).toBe(50);
  });

  it('accepts an id once when the same envelope arrives twice at the same moment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'entente-replay-'));
    dirs.push(dir);
    const guard = new FileReplayGuard(dir, new ManualClock(1_000));
    const answers = await Promise.all([guard.remember('twice', 5_000), guard.remember('twice', 5_000), guard.remember('other', 5_000)]);
    expect(answers.filter((a, i) => a && i < 2)).toHaveLength(1);
    expect(answers[2]).toBe(true);
  });
});
