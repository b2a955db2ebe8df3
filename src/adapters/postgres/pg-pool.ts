import pg from 'pg';
import { EntenteError } from '../../core/errors.js';
import { isUnavailable, translatePgError } from './pg-errors.js';

export type PgClient = pg.PoolClient;

export interface PgPoolOptions {
  readonly url: string;
  /** The schema that holds Entente's tables; `public` when absent. */
  readonly schema?: string;
  readonly poolSize?: number;
}

/** A schema name we are willing to interpolate as a quoted identifier. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Validates a schema name; it reaches SQL as an identifier, so only a safe subset is accepted. */
export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new EntenteError('ENTENTE_CONFIG_INVALID', `store.postgres.schema: "${schema}" must match ${SCHEMA_NAME.source}`);
  }
  return schema;
}

/**
 * The pool of connections with the few helpers every query module uses. `search_path` is sent
 * as a startup option, so each pooled connection lands in the schema without an extra round
 * trip and no statement ever names the schema.
 */
export class PgDatabase {
  readonly pool: pg.Pool;
  readonly schema: string;
  private closed = false;

  constructor(options: PgPoolOptions) {
    this.schema = checkSchemaName(options.schema ?? 'public');
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      // temp_buffers must be set before a session first touches a temporary table: the staging
      // tables of a bulk write (tens of MB) then stay in memory instead of spilling to disk.
      // jit off: the store's statements run for milliseconds, while the planner's estimates for
      // a merge over a large table pass the JIT thresholds and compiling then cost more than
      // the statement itself (measured: half the server's CPU per object at 200k objects).
      options: `-c search_path=${this.schema} -c temp_buffers=64MB -c jit=off`,
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
    });
    // An idle client that loses its server emits here; without a listener Node would crash.
    this.pool.on('error', () => undefined);
  }

  /** One statement on any pooled connection. */
  async query<R extends pg.QueryResultRow>(operation: string, text: string, values?: ReadonlyArray<unknown>): Promise<R[]> {
    this.assertOpen(operation);
    try {
      const result = await this.pool.query<R>(text, values as unknown[] | undefined);
      return result.rows;
    } catch (error) {
      throw translatePgError(error, operation);
    }
  }

  /** Runs `work` on one connection, released afterwards (destroyed if it broke). */
  async withClient<T>(operation: string, work: (client: PgClient) => Promise<T>): Promise<T> {
    this.assertOpen(operation);
    let client: PgClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw translatePgError(error, operation);
    }
    let broken: Error | undefined;
    try {
      return await work(client);
    } catch (error) {
      // Only a connection that lost its server is discarded; after a SQL error it is still sound.
      if (isUnavailable(error)) broken = error instanceof Error ? error : new Error(String(error));
      throw translatePgError(error, operation);
    } finally {
      client.release(broken);
    }
  }

  /** Runs `work` inside BEGIN … COMMIT; any failure rolls the whole transaction back. */
  async transaction<T>(operation: string, work: (client: PgClient) => Promise<T>): Promise<T> {
    return this.withClient(operation, async (client) => {
      await client.query('BEGIN');
      try {
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  /** Ends the pool; a second call does nothing. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private assertOpen(operation: string): void {
    if (this.closed) throw new EntenteError('ENTENTE_STORE_UNAVAILABLE', `The PostgreSQL store is closed (${operation})`);
  }
}
