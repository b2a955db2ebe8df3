import { describe, expect, it } from 'vitest';
import { EntenteError } from '../../core/errors.js';
import { checkHealth } from './health.js';

describe('checkHealth', () => {
  it('is ok when the store answers', async () => {
    const { health } = await checkHealth({ kind: 'sqlite', ping: async () => {} }, '1.2.3', 100);
    expect(health).toEqual({ status: 'ok', store: 'sqlite', version: '1.2.3' });
  });

  it('gives the catalogue reason, not the driver message, when the ping fails', async () => {
    const cause = new EntenteError('ENTENTE_STORE_UNAVAILABLE', 'connect ECONNREFUSED 10.0.0.5:5432');
    const { health, cause: logged } = await checkHealth({ kind: 'postgres', ping: async () => { throw cause; } }, '1', 100);
    expect(health).toEqual({ status: 'unavailable', store: 'postgres', version: '1', reason: 'ENTENTE_STORE_UNAVAILABLE: The store does not answer' });
    expect(logged).toBe(cause);
  });

  it('answers unavailable when the ping hangs past the timeout', async () => {
    const { health } = await checkHealth({ kind: 'postgres', ping: () => new Promise(() => {}) }, '1', 20);
    expect(health.status).toBe('unavailable');
    expect(health.status === 'unavailable' && health.reason).toMatch(/no answer within 20 ms/);
  });
});
