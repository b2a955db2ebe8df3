import { decodeStatusCursor, encodeStatusCursor } from '../shared/status-cursor.js';
import type { StatusPage, StatusQuery, StatusResource } from '../../ports/store.js';
import type { SqliteContext } from './context.js';
import { LIMIT_PARAM } from './statements.js';

/** Status resources are read and written whole, so they are kept as one JSON document. */
export function saveStatus(ctx: SqliteContext, status: StatusResource): void {
  ctx.sql.get(`INSERT INTO statuses (id, body, owner, requested_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET body = excluded.body, owner = excluded.owner, requested_at = excluded.requested_at`)
    .run(status.id, JSON.stringify(status), status.owner, status.requestTimestamp);
}

export function getStatus(ctx: SqliteContext, id: string): StatusResource | undefined {
  const row = ctx.sql.get('SELECT body FROM statuses WHERE id = ?').get(id) as { body: string } | undefined;
  return row === undefined ? undefined : (JSON.parse(row.body) as StatusResource);
}

export function listStatuses(ctx: SqliteContext, query: StatusQuery): StatusPage {
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.owner !== undefined) {
    where.push('owner = ?');
    params.push(query.owner);
  }
  if (query.cursor !== undefined) {
    const [requestedAt, id] = decodeStatusCursor(query.cursor);
    where.push('(requested_at, id) < (?, ?)');
    params.push(requestedAt, id);
  }
  const sql = `SELECT body, requested_at, id FROM statuses ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
    ORDER BY requested_at DESC, id DESC ${LIMIT_PARAM}`;
  const rows = ctx.sql.get(sql).all(...params, query.limit + 1) as Array<{ body: string; requested_at: string; id: string }>;
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const statuses = page.map((r) => JSON.parse(r.body) as StatusResource);
  return rows.length > query.limit && last !== undefined ? { statuses, next: encodeStatusCursor(last.requested_at, last.id) } : { statuses };
}
