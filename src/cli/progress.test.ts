import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeProgress } from './progress.js';

describe('makeProgress', () => {
  const wasTty = process.stderr.isTTY;
  afterEach(() => {
    Object.defineProperty(process.stderr, 'isTTY', { value: wasTty, configurable: true });
    vi.restoreAllMocks();
  });

  it('shows the bar again after it was stopped to print a line', () => {
    Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
    let written = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written += chunk.toString();
      return true;
    });
    const progress = makeProgress(true);
    progress.start(100, 'importing');
    progress.update(10);
    progress.stop();
    written = '';
    progress.update(60, { unit: 'bytes' });
    progress.stop();
    expect(written).toContain('importing');
    expect(written).toContain('60/100');
  });
});
