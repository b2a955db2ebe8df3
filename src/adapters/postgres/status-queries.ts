import type { StatusResource } from '../../ports/store.js';
import type { PgDatabase } from './pg-pool.js';

/** Saves (or replaces, as a pending status completes) a TAXII status resource. */
export async function saveStatus(db: PgDatabase, status: StatusResource): Promise<void> {
  await db.query('saveStatus',
    `INSERT INTO statuses (id, owner, collection_id, body) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET owner = EXCLUDED.owner, collection_id = EXCLUDED.collection_id, body = EXCLUDED.body`,
    [status.id, status.owner, status.collectionId, JSON.stringify(status)]);
}

export async function getStatus(db: PgDatabase, id: string): Promise<StatusResource | undefined> {
  const rows = await db.query<{ body: StatusResource }>('getStatus', 'SELECT body FROM statuses WHERE id = $1', [id]);
  return rows[0]?.body;
}
