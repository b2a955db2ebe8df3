import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPostgresStore, type PostgresStore } from './postgres-store.js';

/** The test server's URL, or undefined when PostgreSQL tests are to be skipped. */
export const TEST_PG_URL: string | undefined = process.env['ENTENTE_TEST_PG_URL'] || undefined;

export const SKIP_NOTE = 'ENTENTE_TEST_PG_URL is not set: PostgreSQL store tests are skipped (set it, e.g. postgres://postgres@127.0.0.1:5432/test, to run them)';

/** A fresh schema name, so tests in parallel never see each other's rows. */
export function testSchema(): string {
  return `entente_t_${randomBytes(6).toString('hex')}`;
}

/** Drops a test schema with everything in it. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Opens a migrated store in its own schema; cleanup closes it and drops the schema. */
export async function openTestStore(url: string, poolSize = 4): Promise<{ store: PostgresStore; schema: string; cleanup: () => Promise<void> }> {
  const schema = testSchema();
  const store = await openPostgresStore({ url, schema, poolSize });
  await store.migrate();
  return {
    store,
    schema,
    cleanup: async () => {
      await store.close();
      await dropSchema(url, schema);
    },
  };
}
