import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/node-config.js';
import { buildNodeHttp, openNode } from '../../src/composition-root.js';
import { setUpNode } from '../../src/services/setup/node-setup.js';
import { bundle, indicator } from '../support/stix-builders.js';
import { tempDir } from '../support/cli.js';

const PG_URL = process.env['ENTENTE_TEST_PG_URL'];
const silent = pino({ level: 'silent' });
const dir = tempDir('entente-root-');
afterAll(() => dir.remove());

/** One node end to end: configuration, store, services, HTTP, a TAXII round trip. */
async function roundTrip(values: Record<string, unknown>, expectedKind: string): Promise<void> {
  const config = resolveConfig([{ source: 'test', values }]);
  const node = await openNode(config, { logger: silent });
  try {
    expect(node.store.kind).toBe(expectedKind);
    await setUpNode(node, { adminPassword: 'composition root test' });
    const token = (await node.accounts.createToken('admin')).token;
    const app = await buildNodeHttp(node);
    const collection = (await node.collections.listAll())[0]?.id ?? '';
    const headers = { authorization: `Bearer ${token}`, accept: 'application/taxii+json;version=2.1', 'content-type': 'application/taxii+json;version=2.1' };
    const object = indicator();
    const post = await app.inject({ method: 'POST', url: `/taxii2/default/collections/${collection}/objects/`, headers, payload: bundle([object]) });
    expect(post.statusCode).toBe(202);
    const get = await app.inject({ method: 'GET', url: `/taxii2/default/collections/${collection}/objects/${object['id'] as string}/`, headers });
    expect(get.json()).toMatchObject({ objects: [object] });
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toMatchObject({ status: 'ok', store: expectedKind });
    await app.close();
  } finally {
    await node.close();
  }
}

describe('composition root', () => {
  it('runs a node on the embedded SQLite store by default', async () => {
    await roundTrip({ dataDir: dir.path, database: { sqliteFile: `${dir.path}/entente.db` } }, 'sqlite');
  });

  describe.skipIf(PG_URL === undefined)('with a PostgreSQL URL', () => {
    it('selects the PostgreSQL store and serves the same round trip', async () => {
      const schema = `entente_root_${randomBytes(4).toString('hex')}`;
      await roundTrip({ dataDir: dir.path, database: { url: PG_URL, schema } }, 'postgres');
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    });
  });
  if (PG_URL === undefined) console.warn('ENTENTE_TEST_PG_URL is not set: the PostgreSQL composition test is skipped');
});
