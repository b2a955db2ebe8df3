import { describe, expect, it } from 'vitest';
import { EntenteError } from '../core/errors.js';
import { environmentLayer, resolveConfig } from './node-config.js';

const resolve = (...values: Record<string, unknown>[]) => resolveConfig(values.map((v, i) => ({ source: `layer${i}`, values: v })));

describe('node configuration', () => {
  it('runs on embedded defaults: SQLite, loopback, page sizes within the maximum', () => {
    const config = resolve({});
    expect(config.database.url).toBeUndefined();
    expect(config.http.host).toBe('127.0.0.1');
    expect(config.taxii.defaultPageSize).toBeLessThanOrEqual(config.taxii.maxPageSize);
  });

  it('lets later layers win and reads numbers given as strings by the environment', () => {
    const config = resolve({ http: { port: 9000 } }, environmentLayer({ ENTENTE_PORT: '9100', ENTENTE_DATABASE_URL: 'postgres://db/x' }));
    expect(config.http.port).toBe(9100);
    expect(config.database.url).toBe('postgres://db/x');
  });

  it('names the setting and its source when a value is wrong', () => {
    expect(() => resolveConfig([{ source: 'entente.yaml', values: { http: { port: 'eighty' } } }])).toThrow(/http\.port \(from entente\.yaml\) must be an integer/);
  });

  it('refuses unknown settings instead of ignoring a typo', () => {
    try {
      resolve({ http: { prot: 80 } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EntenteError);
      expect((error as EntenteError).details[0]?.path).toBe('http.prot');
    }
  });

  it('refuses a database URL that is not PostgreSQL and a TLS certificate without its key', () => {
    expect(() => resolve({ database: { url: 'mysql://x' } })).toThrow(/database\.url/);
    expect(() => resolve({ http: { tlsCertFile: 'cert.pem' } })).toThrow(/http\.tlsKeyFile/);
  });

  it('lets the operator choose how a TAXII POST with invalid objects is stored', () => {
    expect(resolve({}).taxii.postMode).toBe('atomic');
    expect(resolve({ taxii: { postMode: 'partial' } }).taxii.postMode).toBe('partial');
    expect(resolve(environmentLayer({ ENTENTE_TAXII_POST_MODE: 'partial' })).taxii.postMode).toBe('partial');
    expect(() => resolve({ taxii: { postMode: 'some' } })).toThrow(/taxii\.postMode/);
  });
});
