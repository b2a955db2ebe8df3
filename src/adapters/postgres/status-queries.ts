import { decodeStatusCursor, encodeStatusCursor } from '../shared/status-cursor.js';
import type { StatusPage, StatusQuery, StatusResource } from '../../ports/store.js';
import type { PgDatabase } from './pg-pool.js';

/** Saves (or replaces, as a pending status completes) a TAXII status resource. */
export async function saveStatus(db: PgDatabase, status: StatusResource): Promise<void> {
  await db.query('saveStatus',
    `INSERT INTO statuses (id, owner, collection_id, body, requested_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET owner = EXCLUDED.owner, collection_id = EXCLUDED.collection_id, body = EXCLUDED.body, requested_at = EXCLUDED.requested_at`,
    [status.id, status.owner, status.collectionId, JSON.stringify(status), status.requestTimestamp]);
}

export async function getStatus(db: PgDatabase, id: string): Promise<StatusResource | undefined> {
  const rows = await db.query<{ body: StatusResource }>('getStatus', 'SELECT body FROM statuses WHERE id = $1', [id]);
  return rows[0]?.body;
}

/** Newest first, keyset on (requested_at, id) descending. */
export async function listStatuses(db: PgDatabase, query: StatusQuery): Promise<StatusPage> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.owner !== undefined) {
    params.push(query.owner);
    where.push(`owner = $${params.length}`);
  }
  if (query.cursor !== undefined) {
    const [requestedAt, id] = decodeStatusCursor(query.cursor);
    params.push(requestedAt, id);
    where.push(`(requested_at, id) < ($${params.length - 1}, $${params.length})`);
  }
  params.push(query.limit + 1);
  const rows = await db.query<{ body: StatusResource; requested_at: string; id: string }>('listStatuses',
    `SELECT body, requested_at, id FROM statuses ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
     ORDER BY requested_at DESC, id DESC LIMIT $${params.length}`, params);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const statuses = page.map((r) => r.body);
  return rows.length > query.limit && last !== undefined ? { statuses, next: encodeStatusCursor(last.requested_at, last.id) } : { statuses };
}
