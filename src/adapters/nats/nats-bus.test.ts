import { describe, expect, it } from 'vitest';
import { describeBusContract } from '../../ports/bus.contract.js';
import { openNatsBus } from './nats-bus.js';
import { NATS_SKIP_NOTE, TEST_NATS_URL, openTestBus } from './test-support.js';

if (TEST_NATS_URL === undefined) console.warn(NATS_SKIP_NOTE);

describe.skipIf(TEST_NATS_URL === undefined)('NatsBus', () => {
  describeBusContract('nats', () => openTestBus(TEST_NATS_URL as string));

  it('keeps messages in the stream across connections', async () => {
    const { bus, stream, cleanup } = await openTestBus(TEST_NATS_URL as string);
    try {
      await bus.publish('changes.intel', new TextEncoder().encode('kept'));
      await bus.close();
      const again = await openNatsBus({ url: TEST_NATS_URL as string, stream });
      const got: string[] = [];
      await again.consume({ filter: 'changes.intel' }, async (d) => void got.push(new TextDecoder().decode(d.data)));
      for (let i = 0; i < 200 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(got).toEqual(['kept']);
      await again.deleteStream();
      await again.close();
    } finally {
      await cleanup();
    }
  });
});

describe('openNatsBus', () => {
  it('says which URL does not answer', async () => {
    await expect(openNatsBus({ url: 'nats://127.0.0.1:1' })).rejects.toMatchObject({ code: 'ENTENTE_STORE_UNAVAILABLE', message: expect.stringContaining('nats://127.0.0.1:1') });
  });

  it('refuses a stream name NATS would refuse', async () => {
    await expect(openNatsBus({ url: 'nats://127.0.0.1:1', stream: 'a.b' })).rejects.toMatchObject({ code: 'ENTENTE_INVALID_PARAMETER' });
  });
});
