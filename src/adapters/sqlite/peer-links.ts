import type { PeerLink, PeerState } from '../../ports/peer-link-store.js';
import type { SqliteContext } from './context.js';

/*
 * Peer links and push states (migration 5). A link's scalars are columns and its pushed
 * collections JSON, like organisations; a state is one JSON document without its code, read and
 * written whole, so an optional field absent when saved is absent when read. No foreign key from
 * states to links: a peer that only pushes to this node has a state and no link.
 */

interface LinkRow {
  readonly code: string;
  readonly url: string;
  readonly token: string;
  readonly collections: string;
  readonly inbound: string;
  readonly enabled: number;
  readonly created_at: string;
}

const LINK_COLUMNS = 'code, url, token, collections, inbound, enabled, created_at';

const toLink = (r: LinkRow): PeerLink => ({
  code: r.code, url: r.url, token: r.token, collections: JSON.parse(r.collections) as string[], inbound: r.inbound,
  enabled: r.enabled === 1, createdAt: r.created_at,
});

/** What `getPeerState` answers for a peer nothing was saved for. */
export function freshPeerState(code: string): PeerState {
  return { code, cursors: {}, failures: 0, sentEnvelopes: 0, sentObjects: 0, receivedEnvelopes: 0, receivedObjects: 0, rejectedEnvelopes: 0 };
}

/** Upsert by code; the peer's state is another table and stays as it was. */
export function putPeerLink(ctx: SqliteContext, l: PeerLink): void {
  ctx.sql.get(`INSERT INTO peer_links (${LINK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (code) DO UPDATE SET url = excluded.url, token = excluded.token, collections = excluded.collections,
      inbound = excluded.inbound, enabled = excluded.enabled, created_at = excluded.created_at`)
    .run(l.code, l.url, l.token, JSON.stringify(l.collections), l.inbound, l.enabled ? 1 : 0, l.createdAt);
}

export function getPeerLink(ctx: SqliteContext, code: string): PeerLink | undefined {
  const row = ctx.sql.get(`SELECT ${LINK_COLUMNS} FROM peer_links WHERE code = ?`).get(code) as LinkRow | undefined;
  return row === undefined ? undefined : toLink(row);
}

/** The primary key's BINARY collation is byte order, the order PostgreSQL gets with COLLATE "C". */
export function listPeerLinks(ctx: SqliteContext): PeerLink[] {
  return (ctx.sql.get(`SELECT ${LINK_COLUMNS} FROM peer_links ORDER BY code`).all() as LinkRow[]).map(toLink);
}

/** Run inside the caller's transaction, so the link and its state go together. */
export function deletePeerLink(ctx: SqliteContext, code: string): boolean {
  ctx.sql.get('DELETE FROM peer_states WHERE code = ?').run(code);
  return ctx.sql.get('DELETE FROM peer_links WHERE code = ?').run(code).changes > 0;
}

export function getPeerState(ctx: SqliteContext, code: string): PeerState {
  const body = ctx.sql.get('SELECT state FROM peer_states WHERE code = ?').pluck(true).get(code) as string | undefined;
  return body === undefined ? freshPeerState(code) : { code, ...(JSON.parse(body) as Omit<PeerState, 'code'>) };
}

export function savePeerState(ctx: SqliteContext, state: PeerState): void {
  const { code, ...rest } = state;
  ctx.sql.get('INSERT INTO peer_states (code, state) VALUES (?, ?) ON CONFLICT (code) DO UPDATE SET state = excluded.state')
    .run(code, JSON.stringify(rest));
}
