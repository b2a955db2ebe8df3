import type { Database } from 'better-sqlite3';
import { EntenteError } from '../../core/errors.js';
import type { Migration } from '../shared/migration.js';
import { registerIdHash } from './id-keys.js';

export type { Migration };

/*
 * Layout (see docs/storage.md):
 * - `objects` holds each (id, version) once as JSON text; a row is shared by every collection
 *   holding that version. It has no secondary index: it is reached by `okey` from `members`.
 * - `members` is the per-collection membership, clustered on the keyset (collection,
 *   date_added, seq): TAXII 2.1 (section 3.4) orders results by date_added, and `seq` (from the
 *   `sequences` row, growing with every membership, never reused) breaks ties inside one write
 *   and keeps batch order. Clustering makes a page one range read with no index-to-table hop,
 *   makes `added_after` a range start rather than a filter over the whole collection, and saves
 *   an index on every insert. date_added is integer milliseconds (compact keys). The secondary
 *   index (ckey, type, date_added) carries the primary key, so it is the (collection, type,
 *   date_added, seq) keyset for type filters; (id, ckey, version) is dedup and id lookup.
 *   `is_first`, `is_last` and `spec_latest` are maintained on write so the TAXII default
 *   (`match[version]=last`, latest spec_version) is a filter on an ordered range scan.
 *   No foreign key to collections: the writer resolves the collection once per batch, and a
 *   per-row check would cost on every insert of a bulk load.
 * - `search_fts` is a contentless FTS5 table whose rowid is `okey`; contentless_delete lets a
 *   deleted version leave the index without storing the text twice.
 * - `edges` are derived from each stored version (relationships, sightings, embedded refs).
 * - Integer keys (version 6): `ids` maps each object id (stored, or only referenced by an edge)
 *   to an integer `ikey` handed out in order of first sight. Random UUID text is then a key in
 *   that one B-tree only; the indexes a write touches are keyed by integers that grow with the
 *   load, so over millions of objects an insert dirties the last pages of each, not a random
 *   page per index. `members_object` is (ikey, ckey, version, spec_version, okey): dedup, id
 *   lookup, and covering for the writer, which reads every version of a known id (they lie all
 *   over the clustered table) and then updates flags by primary key. Edges are found by
 *   `source_key` / `target_key`; their text columns stay for reading. The id text stays in
 *   `members` and `objects`, so listings read no extra table.
 * - Id hashes (version 10): `ids` is keyed by `ikey` (a new id is appended) and found through
 *   an index on a 32-bit hash of the id (`ids_hash`), not on the id text. That index is the one
 *   place a new id lands at random, and at ~13 bytes an entry instead of ~60 a write batch dirties
 *   (and its commit writes to the WAL) about a fifth of the pages. Lookups compare the text too, so
 *   colliding hashes are harmless; queries bind the hash, or join with entente_id_hash(o.id).
 * - Policy (version 3): `organisations` keeps its scalar fields as columns (code is UNIQUE: it
 *   is how agreements name parties) and its lists as JSON; `user_profiles` are read whole, so
 *   one JSON document each. `agreement_versions` keeps every version (id, version) with the
 *   YAML source verbatim; nothing updates a row.
 * - Release decisions (version 9; version 3 had a row per decision with six indexes): an
 *   append-only log of `decision_batches`, one row per run of decisions sharing time,
 *   recipient and channel (a TAXII page), keyed by its `first_seq`; `seq` values are never
 *   reused, since nothing deletes a batch and the next one starts after the last `last_seq`.
 *   The only secondary index is on `recipient`. Each distinct explanation is one row of
 *   `decision_explanations` (UNIQUE text, integer key). See decisions.ts.
 * - Decisions by reference (version 11): a batch recorded with a `decisions-v2` ledger leaf that
 *   holds exactly its decisions (a partner's page) keeps `leaf`, that leaf's index, and in `rows`
 *   only its explanation keys; its objects, versions and outcomes are read from the leaf.
 */
export const MIGRATIONS: ReadonlyArray<Migration> = [
  {
    version: 1,
    name: 'objects, memberships, search, graph, collections, accounts, status',
    sql: `
      CREATE TABLE collections (
        ckey INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        description TEXT,
        alias TEXT UNIQUE,
        media_types TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE objects (
        okey INTEGER PRIMARY KEY,
        id TEXT NOT NULL,
        version TEXT NOT NULL,
        json TEXT NOT NULL
      );
      CREATE TABLE members (
        ckey INTEGER NOT NULL,
        date_added INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        okey INTEGER NOT NULL,
        id TEXT NOT NULL,
        type TEXT NOT NULL,
        version TEXT NOT NULL,
        spec_version TEXT NOT NULL,
        is_first INTEGER NOT NULL,
        is_last INTEGER NOT NULL,
        spec_latest INTEGER NOT NULL,
        PRIMARY KEY (ckey, date_added, seq)
      ) WITHOUT ROWID;
      CREATE UNIQUE INDEX members_object ON members(id, ckey, version);
      CREATE INDEX members_type_added ON members(ckey, type, date_added);
      CREATE TABLE sequences (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
      INSERT INTO sequences (name, value) VALUES ('members', 0);
      CREATE VIRTUAL TABLE search_fts USING fts5(body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
      CREATE TABLE edges (
        okey INTEGER NOT NULL,
        n INTEGER NOT NULL,
        source TEXT NOT NULL,
        target TEXT NOT NULL,
        kind TEXT NOT NULL,
        label TEXT NOT NULL,
        via TEXT,
        PRIMARY KEY (okey, n)
      ) WITHOUT ROWID;
      CREATE INDEX edges_source ON edges(source);
      CREATE INDEX edges_target ON edges(target);
      CREATE TABLE grants (
        collection_id TEXT NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
        principal TEXT NOT NULL,
        can_read INTEGER NOT NULL,
        can_write INTEGER NOT NULL,
        PRIMARY KEY (collection_id, principal)
      );
      CREATE INDEX grants_principal ON grants(principal);
      CREATE TABLE users (
        name TEXT PRIMARY KEY,
        password_hash TEXT NOT NULL,
        roles TEXT NOT NULL,
        created_at TEXT NOT NULL,
        disabled INTEGER NOT NULL
      );
      CREATE TABLE tokens (
        id TEXT PRIMARY KEY,
        user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
        secret_hash TEXT NOT NULL UNIQUE,
        description TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT,
        last_used_at TEXT
      );
      CREATE INDEX tokens_user ON tokens(user_name);
      CREATE TABLE statuses (
        id TEXT PRIMARY KEY,
        body TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'status resources listed newest first, per owner',
    sql: `
      ALTER TABLE statuses ADD COLUMN owner TEXT NOT NULL DEFAULT '';
      ALTER TABLE statuses ADD COLUMN requested_at TEXT NOT NULL DEFAULT '';
      UPDATE statuses SET owner = json_extract(body, '$.owner'), requested_at = json_extract(body, '$.requestTimestamp');
      CREATE INDEX statuses_newest ON statuses(requested_at DESC, id DESC);
      CREATE INDEX statuses_owner_newest ON statuses(owner, requested_at DESC, id DESC);
    `,
  },
  {
    version: 3,
    name: 'policy: organisations, user profiles, agreement versions, release decisions',
    sql: `
      CREATE TABLE organisations (
        id TEXT PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        country TEXT NOT NULL,
        memberships TEXT NOT NULL,
        sectors TEXT NOT NULL
      );
      CREATE TABLE user_profiles (
        name TEXT PRIMARY KEY,
        body TEXT NOT NULL
      );
      CREATE TABLE agreement_versions (
        id TEXT NOT NULL,
        version INTEGER NOT NULL,
        agreement TEXT NOT NULL,
        source TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        recorded_by TEXT NOT NULL,
        change TEXT NOT NULL,
        PRIMARY KEY (id, version)
      );
      CREATE TABLE decisions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        recipient TEXT NOT NULL,
        channel TEXT NOT NULL CONSTRAINT decisions_channel CHECK (channel IN ('taxii', 'rest', 'export', 'federation', 'sensor-export')),
        object_id TEXT NOT NULL,
        object_version TEXT NOT NULL,
        agreement_id TEXT,
        agreement_version INTEGER,
        outcome TEXT NOT NULL CONSTRAINT decisions_outcome CHECK (outcome IN ('allow', 'redact', 'deny')),
        reason TEXT,
        steps TEXT NOT NULL
      );
      CREATE INDEX decisions_recipient ON decisions(recipient);
      CREATE INDEX decisions_agreement ON decisions(agreement_id) WHERE agreement_id IS NOT NULL;
      CREATE INDEX decisions_outcome ON decisions(outcome);
      CREATE INDEX decisions_channel ON decisions(channel);
      CREATE INDEX decisions_at ON decisions(at);
    `,
  },
  {
    version: 4,
    name: 'ledger: entries with leaf hashes, tree state, checkpoints',
    // Entries keyed by their leaf index (the rowid), leaf hashes UNIQUE (an entry's identity);
    // the tree state is one row, created here so every appender updates the same row.
    sql: `
      CREATE TABLE ledger_entries (
        idx INTEGER PRIMARY KEY,
        leaf_hash BLOB NOT NULL CHECK (length(leaf_hash) = 32),
        entry TEXT NOT NULL
      );
      CREATE UNIQUE INDEX ledger_entries_leaf ON ledger_entries(leaf_hash);
      CREATE TABLE ledger_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        size INTEGER NOT NULL,
        edge BLOB NOT NULL
      );
      INSERT INTO ledger_state (id, size, edge) VALUES (1, 0, x'');
      CREATE TABLE ledger_checkpoints (
        tree_size INTEGER PRIMARY KEY,
        origin TEXT NOT NULL,
        root_hash BLOB NOT NULL CHECK (length(root_hash) = 32),
        note TEXT NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'federation: peer links and push states',
    // States have no foreign key to links: a peer that only pushes to this node has a state and
    // no link. deletePeerLink removes both in one transaction. See peer-links.ts.
    sql: `
      CREATE TABLE peer_links (
        code TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        token TEXT NOT NULL,
        collections TEXT NOT NULL,
        inbound TEXT NOT NULL,
        enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        created_at TEXT NOT NULL
      );
      CREATE TABLE peer_states (
        code TEXT PRIMARY KEY,
        state TEXT NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'integer keys for object ids',
    // Rewrites the id-keyed indexes of an existing store in place; see the layout comment above.
    sql: `
      CREATE TABLE ids (id TEXT PRIMARY KEY, ikey INTEGER NOT NULL) WITHOUT ROWID;
      INSERT INTO ids (id, ikey) SELECT id, row_number() OVER (ORDER BY id)
        FROM (SELECT id FROM members UNION SELECT source FROM edges UNION SELECT target FROM edges);
      INSERT INTO sequences (name, value) VALUES ('ids', (SELECT count(*) FROM ids));
      ALTER TABLE members ADD COLUMN ikey INTEGER NOT NULL DEFAULT 0;
      UPDATE members SET ikey = (SELECT ikey FROM ids WHERE ids.id = members.id);
      DROP INDEX members_object;
      CREATE UNIQUE INDEX members_object ON members(ikey, ckey, version, spec_version, okey);
      ALTER TABLE edges ADD COLUMN source_key INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE edges ADD COLUMN target_key INTEGER NOT NULL DEFAULT 0;
      UPDATE edges SET source_key = (SELECT ikey FROM ids WHERE ids.id = edges.source),
        target_key = (SELECT ikey FROM ids WHERE ids.id = edges.target);
      DROP INDEX edges_source;
      DROP INDEX edges_target;
      CREATE INDEX edges_source ON edges(source_key);
      CREATE INDEX edges_target ON edges(target_key);
    `,
  },
  {
    version: 7,
    name: 'federation: origin proofs of objects received from other nodes',
    // One row per object version; the path is a JSON array of base64url hashes. See origin-proofs.ts.
    sql: `
      CREATE TABLE origin_proofs (
        object_id TEXT NOT NULL,
        version TEXT NOT NULL,
        origin TEXT NOT NULL,
        batch TEXT NOT NULL,
        leaf_index INTEGER NOT NULL,
        path TEXT NOT NULL,
        received_from TEXT NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (object_id, version)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 8,
    name: 'release facts beside each stored version',
    // What the release decision reads of an object (core/policy/release-facts.ts), written with
    // the object from now on. Versions stored before are filled at start (release-facts-fill.ts);
    // the partial index finds them, and is empty once they are, so later starts cost nothing.
    sql: `
      ALTER TABLE objects ADD COLUMN release_key TEXT;
      ALTER TABLE objects ADD COLUMN release_refs TEXT;
      CREATE INDEX objects_without_facts ON objects(okey) WHERE release_key IS NULL;
    `,
  },
  {
    version: 9,
    name: 'release decisions: one row per batch, each explanation once',
    // Self-contained (it reads only the decisions table of migration 3), so it can take another
    // number without change. Every existing decision is carried over with its seq: consecutive
    // rows sharing time, recipient and channel, with no gap in seq, become one batch; each
    // distinct steps text one explanation. See the layout comment above and decisions.ts.
    sql: `
      CREATE TABLE decision_explanations (
        xkey INTEGER PRIMARY KEY,
        steps TEXT NOT NULL UNIQUE
      );
      CREATE TABLE decision_batches (
        first_seq INTEGER PRIMARY KEY,
        last_seq INTEGER NOT NULL,
        at TEXT NOT NULL,
        recipient TEXT NOT NULL,
        channel TEXT NOT NULL CONSTRAINT decisions_channel CHECK (channel IN ('taxii', 'rest', 'export', 'federation', 'sensor-export')),
        objects TEXT NOT NULL,
        rows TEXT NOT NULL
      );
      INSERT INTO decision_explanations (steps) SELECT steps FROM decisions GROUP BY steps ORDER BY min(seq);
      INSERT INTO decision_batches (first_seq, last_seq, at, recipient, channel, objects, rows)
        SELECT min(seq), max(seq), at, recipient, channel, char(10) || group_concat(object_id, char(10) ORDER BY seq) || char(10),
          json_group_array(json_array(object_version, agreement_id, agreement_version, outcome, reason, xkey) ORDER BY seq)
        FROM (
          SELECT seq, at, recipient, channel, object_id, object_version, agreement_id, agreement_version, outcome, reason, xkey,
            sum(starts) OVER (ORDER BY seq) AS run
          FROM (
            SELECT d.*, x.xkey,
              CASE WHEN lag(seq) OVER w = seq - 1 AND lag(at) OVER w = at AND lag(recipient) OVER w = recipient AND lag(channel) OVER w = channel
                THEN 0 ELSE 1 END AS starts
            FROM decisions d JOIN decision_explanations x ON x.steps = d.steps
            WINDOW w AS (ORDER BY seq)))
        GROUP BY run;
      DROP TABLE decisions;
      CREATE INDEX decision_batches_recipient ON decision_batches(recipient);
    `,
  },
  {
    version: 10,
    name: 'object id keys found by a hash of the id',
    // Rebuilds `ids` keyed by ikey, with an index on entente_id_hash(id) (registered on the
    // connection by applyMigrations); see the layout comment above and id-keys.ts.
    sql: `
      CREATE TABLE ids_by_key (ikey INTEGER PRIMARY KEY, hash INTEGER NOT NULL, id TEXT NOT NULL);
      INSERT INTO ids_by_key (ikey, hash, id) SELECT ikey, entente_id_hash(id), id FROM ids ORDER BY ikey;
      DROP TABLE ids;
      ALTER TABLE ids_by_key RENAME TO ids;
      CREATE INDEX ids_hash ON ids(hash);
    `,
  },
  {
    version: 11,
    name: 'release decisions kept by reference to the ledger leaf that records them',
    // A batch whose decisions a `decisions-v2` leaf records exactly names that leaf's index and
    // keeps only its explanation keys; rows written before keep their full form (leaf NULL), which
    // is read as before, so nothing is converted. See decisions.ts.
    sql: `
      ALTER TABLE decision_batches ADD COLUMN leaf INTEGER;
    `,
  },
];

/**
 * Applies the migrations not yet recorded in `schema_migrations`, each in its own IMMEDIATE
 * transaction (the write lock is taken before the check, so two processes starting together do
 * not both apply one). A failure rolls that migration back and stops.
 */
export function applyMigrations(db: Database, migrations: ReadonlyArray<Migration> = MIGRATIONS): number {
  registerIdHash(db);
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const isApplied = db.prepare<[number], { version: number }>('SELECT version FROM schema_migrations WHERE version = ?');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, strftime(\'%Y-%m-%dT%H:%M:%fZ\', \'now\'))');
  let applied = 0;
  for (const migration of migrations) {
    const apply = db.transaction(() => {
      if (isApplied.get(migration.version) !== undefined) return false;
      db.exec(migration.sql);
      record.run(migration.version, migration.name);
      return true;
    });
    try {
      if (apply.immediate()) applied += 1;
    } catch (error) {
      throw new EntenteError('ENTENTE_STORE_MIGRATION_FAILED', `SQLite migration ${migration.version} (${migration.name}) failed: ${String(error)}`, [], { cause: error });
    }
  }
  return applied;
}
