import { randomBytes } from 'node:crypto';
import { openNatsBus, type NatsBus } from './nats-bus.js';

/** The test server's URL, or undefined when NATS tests are to be skipped. */
export const TEST_NATS_URL: string | undefined = process.env['ENTENTE_TEST_NATS_URL'] || undefined;

export const NATS_SKIP_NOTE = 'ENTENTE_TEST_NATS_URL is not set: NATS JetStream bus tests are skipped (set it, e.g. nats://127.0.0.1:4222, to run them)';

/** A fresh stream name, so tests in parallel never see each other's messages. */
export function testStream(): string {
  return `T_${randomBytes(6).toString('hex')}`;
}

/** Opens a bus on its own stream; cleanup closes it and deletes the stream. */
export async function openTestBus(url: string, stream = testStream()): Promise<{ bus: NatsBus; stream: string; cleanup: () => Promise<void> }> {
  const bus = await openNatsBus({ url, stream, maxAgeMs: 600_000 });
  return {
    bus,
    stream,
    cleanup: async () => {
      await bus.deleteStream().catch(() => undefined);
      await bus.close();
    },
  };
}
