import { describe, expect, it } from 'vitest';
import { environmentLayer, resolveConfig } from './node-config.js';

const resolve = (...values: Record<string, unknown>[]) => resolveConfig(values.map((v, i) => ({ source: `layer${i}`, values: v })));

describe('bus configuration', () => {
  it('defaults to the in-process bus on the ENTENTE stream', () => {
    expect(resolve({}).bus).toEqual({ stream: 'ENTENTE' });
  });

  it('takes a NATS URL and stream from the environment', () => {
    const config = resolve(environmentLayer({ ENTENTE_BUS_URL: 'nats://a:4222,nats://b:4222', ENTENTE_BUS_STREAM: 'ENTENTE_FRA' }));
    expect(config.bus).toEqual({ url: 'nats://a:4222,nats://b:4222', stream: 'ENTENTE_FRA' });
  });

  it('names bus.url or bus.stream when they are wrong', () => {
    expect(() => resolve({ bus: { url: 'http://nats:4222' } })).toThrow(/bus\.url \(from layer0\) must be a nats:\/\/host:port URL/);
    expect(() => resolve({ bus: { stream: 'has.dot' } })).toThrow(/bus\.stream/);
  });
});
