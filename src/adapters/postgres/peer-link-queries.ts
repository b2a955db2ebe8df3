import type { PeerLink, PeerState } from '../../ports/peer-link-store.js';
import type { PgDatabase } from './pg-pool.js';

/*
 * Peer links and push states (migration 5). A link's scalars are columns and its pushed
 * collections `text[]`, like organisations. A state is one JSON document without its code, read
 * and written whole, kept as `text` rather than `jsonb`: an error a peer answered may hold NUL or
 * a lone surrogate, which JSON.stringify escapes but jsonb refuses. No foreign key from states to
 * links: a peer that only pushes to this node has a state and no link.
 */

interface LinkRow {
  readonly code: string;
  readonly url: string;
  readonly token: string;
  readonly collections: string[];
  readonly inbound: string;
  readonly enabled: boolean;
  readonly created_at: string;
}

const LINK_COLUMNS = 'code, url, token, collections, inbound, enabled, created_at';

const toLink = (r: LinkRow): PeerLink => ({
  code: r.code, url: r.url, token: r.token, collections: r.collections, inbound: r.inbound, enabled: r.enabled, createdAt: r.created_at,
});

/** What `getPeerState` answers for a peer nothing was saved for. */
export function freshPeerState(code: string): PeerState {
  return { code, cursors: {}, failures: 0, sentEnvelopes: 0, sentObjects: 0, receivedEnvelopes: 0, receivedObjects: 0, rejectedEnvelopes: 0 };
}

/** Upsert by code; the peer's state is another table and stays as it was. */
export async function putPeerLink(db: PgDatabase, l: PeerLink): Promise<void> {
  await db.query('putPeerLink',
    `INSERT INTO peer_links (${LINK_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (code) DO UPDATE SET url = EXCLUDED.url, token = EXCLUDED.token, collections = EXCLUDED.collections,
       inbound = EXCLUDED.inbound, enabled = EXCLUDED.enabled, created_at = EXCLUDED.created_at`,
    [l.code, l.url, l.token, l.collections, l.inbound, l.enabled, l.createdAt]);
}

export async function getPeerLink(db: PgDatabase, code: string): Promise<PeerLink | undefined> {
  const rows = await db.query<LinkRow>('getPeerLink', `SELECT ${LINK_COLUMNS} FROM peer_links WHERE code = $1`, [code]);
  return rows[0] === undefined ? undefined : toLink(rows[0]);
}

/** Byte order (COLLATE "C"), whatever the database's locale: the order SQLite gives. */
export async function listPeerLinks(db: PgDatabase): Promise<ReadonlyArray<PeerLink>> {
  return (await db.query<LinkRow>('listPeerLinks', `SELECT ${LINK_COLUMNS} FROM peer_links ORDER BY code COLLATE "C"`)).map(toLink);
}

/** One statement, so one transaction: the state goes with the link. */
export async function deletePeerLink(db: PgDatabase, code: string): Promise<boolean> {
  const rows = await db.query('deletePeerLink',
    'WITH state AS (DELETE FROM peer_states WHERE code = $1) DELETE FROM peer_links WHERE code = $1 RETURNING 1', [code]);
  return rows.length > 0;
}

export async function getPeerState(db: PgDatabase, code: string): Promise<PeerState> {
  const rows = await db.query<{ state: string }>('getPeerState', 'SELECT state FROM peer_states WHERE code = $1', [code]);
  const body = rows[0]?.state;
  return body === undefined ? freshPeerState(code) : { code, ...(JSON.parse(body) as Omit<PeerState, 'code'>) };
}

export async function savePeerState(db: PgDatabase, state: PeerState): Promise<void> {
  const { code, ...rest } = state;
  await db.query('savePeerState',
    'INSERT INTO peer_states (code, state) VALUES ($1, $2) ON CONFLICT (code) DO UPDATE SET state = EXCLUDED.state', [code, JSON.stringify(rest)]);
}
