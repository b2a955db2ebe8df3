import { EntenteError } from '../../core/errors.js';
import type { PgClient, PgDatabase } from './pg-pool.js';
import { translatePgError } from './pg-errors.js';
import type { Migration } from '../shared/migration.js';

export type { Migration };

/**
 * Versioned migrations, applied in order, each in its own transaction, never edited once
 * released: a change of schema is a new entry. Timestamps are stored as the fixed-width ISO
 * text the port speaks (`YYYY-MM-DDTHH:MM:SS.mmmZ`), whose byte order is time order.
 */
export const MIGRATIONS: ReadonlyArray<Migration> = [
  {
    version: 1,
    name: 'objects, memberships, graph, search, collections, accounts, statuses',
    sql: `
      CREATE TABLE collections (
        id text PRIMARY KEY,
        title text NOT NULL,
        description text,
        alias text UNIQUE,
        media_types text[] NOT NULL,
        created_at text NOT NULL
      );
      CREATE TABLE grants (
        collection_id text NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
        principal text NOT NULL,
        can_read boolean NOT NULL,
        can_write boolean NOT NULL,
        PRIMARY KEY (collection_id, principal)
      );
      CREATE INDEX grants_principal ON grants (principal);

      -- One row per (id, version) whatever the number of collections holding it. The body is
      -- text, not jsonb: it is returned exactly as it came and costs no jsonb parse on COPY.
      CREATE TABLE objects (
        id text NOT NULL,
        version text NOT NULL,
        type text NOT NULL,
        spec_version text NOT NULL,
        body text NOT NULL,
        search tsvector NOT NULL,
        PRIMARY KEY (id, version)
      );
      CREATE INDEX objects_search ON objects USING gin (search);

      -- Membership of a version in a collection. seq is the keyset for paging (TAXII orders by
      -- date_added, which follows insertion order); is_first / is_last are kept exact on every
      -- write and delete so that match[version]=first|last is a plain index scan.
      CREATE TABLE members (
        collection_id text NOT NULL,
        id text NOT NULL,
        version text NOT NULL,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        type text NOT NULL,
        spec_version text NOT NULL,
        date_added text NOT NULL,
        is_first boolean NOT NULL,
        is_last boolean NOT NULL,
        PRIMARY KEY (id, version, collection_id)
      );
      CREATE UNIQUE INDEX members_collection_seq ON members (collection_id, seq);
      CREATE INDEX members_collection_type_seq ON members (collection_id, type, seq);
      CREATE INDEX members_collection_last_seq ON members (collection_id, seq) WHERE is_last;

      -- Edges derived from each stored version (owner); readers keep those of latest versions.
      CREATE TABLE edges (
        owner_id text NOT NULL,
        owner_version text NOT NULL,
        source text NOT NULL,
        target text NOT NULL,
        kind text NOT NULL,
        label text NOT NULL,
        via text
      );
      CREATE INDEX edges_source ON edges (source);
      CREATE INDEX edges_target ON edges (target);
      CREATE INDEX edges_owner ON edges (owner_id, owner_version);

      CREATE TABLE users (
        name text PRIMARY KEY,
        password_hash text NOT NULL,
        roles text[] NOT NULL,
        created_at text NOT NULL,
        disabled boolean NOT NULL
      );
      CREATE TABLE api_tokens (
        id text PRIMARY KEY,
        user_name text NOT NULL REFERENCES users (name) ON DELETE CASCADE,
        secret_hash text NOT NULL UNIQUE,
        description text NOT NULL,
        created_at text NOT NULL,
        expires_at text,
        last_used_at text
      );
      CREATE INDEX api_tokens_user ON api_tokens (user_name);

      CREATE TABLE statuses (
        id text PRIMARY KEY,
        owner text NOT NULL,
        collection_id text NOT NULL,
        body jsonb NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'status resources listed newest first, per owner',
    sql: `
      ALTER TABLE statuses ADD COLUMN requested_at text NOT NULL DEFAULT '';
      UPDATE statuses SET requested_at = body->>'requestTimestamp';
      CREATE INDEX statuses_newest ON statuses (requested_at DESC, id DESC);
      CREATE INDEX statuses_owner_newest ON statuses (owner, requested_at DESC, id DESC);
    `,
  },
  {
    version: 3,
    name: 'policy: organisations, user profiles, agreement versions, release decisions',
    sql: `
      -- Scalars as columns, lists as arrays like users.roles. code is UNIQUE: agreements name
      -- their parties by it, so two organisations with one code would make an agreement ambiguous.
      CREATE TABLE organisations (
        id text PRIMARY KEY,
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        kind text NOT NULL,
        country text NOT NULL,
        memberships text[] NOT NULL,
        sectors text[] NOT NULL
      );
      -- Read and written whole by the release decision.
      CREATE TABLE user_profiles (
        name text PRIMARY KEY,
        body jsonb NOT NULL
      );
      -- Every version of every agreement, never updated. The primary key is what makes
      -- saveAgreement race-safe: of two writers of the same next version exactly one inserts.
      CREATE TABLE agreement_versions (
        id text NOT NULL,
        version integer NOT NULL,
        agreement jsonb NOT NULL,
        source text NOT NULL,
        recorded_at text NOT NULL,
        recorded_by text NOT NULL,
        change text NOT NULL,
        PRIMARY KEY (id, version)
      );
      -- The release decision log, append-only, paged oldest first by seq. One index per filter,
      -- each ending with seq, so a filtered page is an index range scan from the cursor; the
      -- CHECK constraints refuse a channel or outcome the port does not know.
      CREATE TABLE decisions (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at text NOT NULL,
        recipient text NOT NULL,
        channel text NOT NULL CONSTRAINT decisions_channel CHECK (channel IN ('taxii', 'rest', 'export', 'federation', 'sensor-export')),
        object_id text NOT NULL,
        object_version text NOT NULL,
        agreement_id text,
        agreement_version integer,
        outcome text NOT NULL CONSTRAINT decisions_outcome CHECK (outcome IN ('allow', 'redact', 'deny')),
        reason text,
        steps jsonb NOT NULL
      );
      CREATE INDEX decisions_recipient ON decisions (recipient, seq);
      CREATE INDEX decisions_object ON decisions (object_id, seq);
      CREATE INDEX decisions_agreement ON decisions (agreement_id, seq) WHERE agreement_id IS NOT NULL;
      CREATE INDEX decisions_outcome ON decisions (outcome, seq);
      CREATE INDEX decisions_channel ON decisions (channel, seq);
      CREATE INDEX decisions_at ON decisions (at, seq);
    `,
  },
  {
    version: 4,
    name: 'ledger: entries with leaf hashes, tree state, checkpoints',
    sql: `
      -- Entries keyed by leaf index; the leaf hash is an entry's identity, so UNIQUE.
      CREATE TABLE ledger_entries (
        idx bigint PRIMARY KEY,
        leaf_hash bytea NOT NULL UNIQUE CHECK (octet_length(leaf_hash) = 32),
        entry text NOT NULL
      );
      -- One row, created here: appenders lock it FOR UPDATE, so appends take turns.
      CREATE TABLE ledger_state (
        id integer PRIMARY KEY CHECK (id = 1),
        size bigint NOT NULL,
        edge bytea NOT NULL
      );
      INSERT INTO ledger_state (id, size, edge) VALUES (1, 0, ''::bytea);
      CREATE TABLE ledger_checkpoints (
        tree_size bigint PRIMARY KEY,
        origin text NOT NULL,
        root_hash bytea NOT NULL CHECK (octet_length(root_hash) = 32),
        note text NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'federation: peer links and push states',
    sql: `
      -- Scalars as columns, the pushed collections as text[] like organisations' lists.
      CREATE TABLE peer_links (
        code text PRIMARY KEY,
        url text NOT NULL,
        token text NOT NULL,
        collections text[] NOT NULL,
        inbound text NOT NULL,
        enabled boolean NOT NULL,
        created_at text NOT NULL
      );
      -- Read and written whole. text, not jsonb: an error text a peer sent may hold NUL, which
      -- JSON escapes and jsonb refuses. No foreign key to peer_links: a peer that only pushes
      -- to this node has a state and no link; deletePeerLink removes both in one statement.
      CREATE TABLE peer_states (
        code text PRIMARY KEY,
        state text NOT NULL
      );
    `,
  },
  {
    version: 7,
    name: 'federation: origin proofs of objects received from other nodes',
    // One row per object version; the audit path as text[] of base64url hashes. See origin-proof-queries.ts.
    sql: `
      CREATE TABLE origin_proofs (
        object_id text NOT NULL,
        version text NOT NULL,
        origin text NOT NULL,
        batch text NOT NULL,
        leaf_index integer NOT NULL,
        path text[] NOT NULL,
        received_from text NOT NULL,
        received_at text NOT NULL,
        PRIMARY KEY (object_id, version)
      );
    `,
  },
  {
    version: 8,
    name: 'release facts beside each stored version',
    // What the release decision reads of an object (core/policy/release-facts.ts), written with
    // the object from now on. Versions stored before are filled at start (release-facts-fill.ts);
    // the partial index finds them, and is empty once they are, so later starts cost nothing.
    sql: `
      ALTER TABLE objects ADD COLUMN release_key text;
      ALTER TABLE objects ADD COLUMN release_refs text;
      CREATE INDEX objects_without_facts ON objects (id, version) WHERE release_key IS NULL;
    `,
  },
  {
    version: 9,
    name: 'release decisions: one row per batch, each explanation once',
    // Self-contained (it reads only the decisions table of migration 3), so it can take another
    // number without change. Every decision is carried over with its seq: consecutive rows
    // sharing time, recipient and channel, with no gap in seq (identity values skip after a
    // rollback), become one batch; each distinct steps text one explanation. See decision-queries.ts.
    sql: `
      CREATE TABLE decision_explanations (
        xkey integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        hash bytea NOT NULL UNIQUE CHECK (octet_length(hash) = 32),
        steps text NOT NULL
      );
      -- One row per run of decisions sharing time, recipient and channel (a TAXII page): the
      -- object ids between newlines, and per decision a JSON tuple [object_version,
      -- agreement_id, agreement_version, outcome, reason, xkey]; seq = first_seq + place.
      CREATE TABLE decision_batches (
        first_seq bigint PRIMARY KEY,
        last_seq bigint NOT NULL,
        at text NOT NULL,
        recipient text NOT NULL,
        channel text NOT NULL CONSTRAINT decisions_channel CHECK (channel IN ('taxii', 'rest', 'export', 'federation', 'sensor-export')),
        objects text NOT NULL,
        rows text NOT NULL
      );
      INSERT INTO decision_explanations (hash, steps)
        SELECT sha256(convert_to(steps, 'UTF8')), steps FROM (SELECT steps::text AS steps, min(seq) AS first FROM decisions GROUP BY steps::text) e ORDER BY first;
      INSERT INTO decision_batches (first_seq, last_seq, at, recipient, channel, objects, rows)
        SELECT min(seq), max(seq), at, recipient, channel, E'\\n' || string_agg(object_id, E'\\n' ORDER BY seq) || E'\\n',
          json_agg(json_build_array(object_version, agreement_id, agreement_version, outcome, reason, xkey) ORDER BY seq)::text
        FROM (
          SELECT *, sum(starts) OVER (ORDER BY seq) AS run FROM (
            SELECT d.seq, d.at, d.recipient, d.channel, d.object_id, d.object_version, d.agreement_id, d.agreement_version, d.outcome, d.reason, x.xkey,
              CASE WHEN lag(d.seq) OVER w = d.seq - 1 AND lag(d.at) OVER w = d.at AND lag(d.recipient) OVER w = d.recipient AND lag(d.channel) OVER w = d.channel
                THEN 0 ELSE 1 END AS starts
            FROM decisions d JOIN decision_explanations x ON x.hash = sha256(convert_to(d.steps::text, 'UTF8'))
            WINDOW w AS (ORDER BY d.seq)) marked) runs
        GROUP BY run, at, recipient, channel;
      DROP TABLE decisions;
      CREATE INDEX decision_batches_recipient ON decision_batches (recipient, first_seq);
    `,
  },
  {
    version: 10,
    name: 'release decisions kept by reference to the ledger leaf that records them',
    // A batch whose decisions a `decisions-v2` leaf records exactly names that leaf's index and
    // keeps only its explanation keys; rows written before keep their full form (leaf NULL), read
    // as before, so nothing is converted (and a nullable column without default rewrites nothing).
    sql: `
      ALTER TABLE decision_batches ADD COLUMN leaf bigint;
    `,
  },
];

/** Advisory lock key (bigint) for the migrations of one schema: hashtext of a fixed prefix + schema. */
const LOCK_KEY_SQL = `hashtextextended('entente:migrate:' || $1, 0)`;

/**
 * Applies pending migrations. A session advisory lock makes concurrent starters queue: the
 * first applies, the others then find nothing to do. Each migration runs in its own
 * transaction with its `schema_migrations` row, so a failure leaves nothing half-applied.
 */
export async function migrate(db: PgDatabase, migrations: ReadonlyArray<Migration> = MIGRATIONS): Promise<number> {
  return db.withClient('migrate', async (client) => {
    await client.query(`SELECT pg_advisory_lock(${LOCK_KEY_SQL})`, [db.schema]);
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${db.schema}"`);
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      const done = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
      const applied = new Set(done.rows.map((row) => row.version));
      let count = 0;
      for (const migration of migrations) {
        if (applied.has(migration.version)) continue;
        await applyOne(client, migration);
        count += 1;
      }
      return count;
    } finally {
      await client.query(`SELECT pg_advisory_unlock(${LOCK_KEY_SQL})`, [db.schema]).catch(() => undefined);
    }
  });
}

async function applyOne(client: PgClient, migration: Migration): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(migration.sql);
    await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    const cause = translatePgError(error, `migration ${migration.version}`);
    if (cause.code === 'ENTENTE_STORE_UNAVAILABLE') throw cause;
    throw new EntenteError('ENTENTE_STORE_MIGRATION_FAILED', `Migration ${migration.version} (${migration.name}) failed: ${describe(error)}`, [], { cause: error });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
