import type { ErrorDetail } from '../../core/errors.js';
import type { StatusDetail, StatusResource } from '../../ports/store.js';
import { errorDetailSchema } from './schemas.js';

/**
 * An import job as the REST API shows it. A job IS the TAXII status resource of its ingest
 * (same id, same store record), so a TAXII client can poll it at `…/status/{id}/` too.
 */
export interface ImportJob {
  readonly id: string;
  readonly status: 'pending' | 'complete';
  readonly collection: string;
  readonly owner: string;
  readonly createdAt: string;
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly pending: number;
  readonly failures: ReadonlyArray<JobFailure>;
}

export interface JobFailure {
  readonly id: string;
  readonly version: string;
  /** Each problem of the object with the JSON path of the offending value. */
  readonly errors: ReadonlyArray<ErrorDetail>;
}

// The status resource keeps one message per failed object: `$.objects[3].created: must be …`
// problems joined by `; ` (see statusFromReport). Split it back into located details.
function errorsOf(detail: StatusDetail): ReadonlyArray<ErrorDetail> {
  const message = detail.message ?? 'failed';
  const parts = message.split(/; (?=\$)/);
  return parts.map((part) => {
    const located = /^(\$\S*): ([\s\S]*)$/.exec(part);
    return located ? { path: located[1] as string, message: located[2] as string } : { message: part };
  });
}

/** The REST view of a status resource. */
export function jobOf(status: StatusResource): ImportJob {
  return {
    id: status.id,
    status: status.status,
    collection: status.collectionId,
    owner: status.owner,
    createdAt: status.requestTimestamp,
    total: status.totalCount,
    succeeded: status.successCount,
    failed: status.failureCount,
    pending: status.pendingCount,
    failures: status.failures.map((f) => ({ id: f.id, version: f.version, errors: errorsOf(f) })),
  };
}

export const importJobSchema = {
  type: 'object',
  required: ['id', 'status', 'collection', 'owner', 'createdAt', 'total', 'succeeded', 'failed', 'pending', 'failures'],
  properties: {
    id: { type: 'string', description: 'Also the id of the TAXII status resource' },
    status: { type: 'string', enum: ['pending', 'complete'] },
    collection: { type: 'string' },
    owner: { type: 'string' },
    createdAt: { type: 'string' },
    total: { type: 'integer' },
    succeeded: { type: 'integer', description: 'Added, or already present (a duplicate is a success)' },
    failed: { type: 'integer', description: 'Rejected, or not written because the import was all-or-nothing' },
    pending: { type: 'integer' },
    failures: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'version', 'errors'],
        properties: { id: { type: 'string' }, version: { type: 'string' }, errors: { type: 'array', items: errorDetailSchema } },
      },
    },
  },
} as const;
