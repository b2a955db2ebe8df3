import type { StatusResource } from '../../ports/store.js';
import type { SqliteContext } from './context.js';

/** Status resources are read and written whole, so they are kept as one JSON document. */
export function saveStatus(ctx: SqliteContext, status: StatusResource): void {
  ctx.sql.get('INSERT INTO statuses (id, body) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body')
    .run(status.id, JSON.stringify(status));
}

export function getStatus(ctx: SqliteContext, id: string): StatusResource | undefined {
  const row = ctx.sql.get('SELECT body FROM statuses WHERE id = ?').get(id) as { body: string } | undefined;
  return row === undefined ? undefined : (JSON.parse(row.body) as StatusResource);
}
