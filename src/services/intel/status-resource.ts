import type { StatusDetail, StatusResource } from '../../ports/store.js';
import type { ObjectResult } from './ingest-plan.js';
import type { IngestReport } from './intel-service.js';

const MAX_MESSAGE = 2000;

function messageOf(result: ObjectResult): string {
  const text = result.errors.map((e) => (e.path === undefined ? e.message : `${e.path}: ${e.message}`)).join('; ');
  return text.length <= MAX_MESSAGE ? text : `${text.slice(0, MAX_MESSAGE - 1)}…`;
}

function detailOf(result: ObjectResult, message?: string): StatusDetail {
  // An object without an id still needs an entry, or the counts would not add up.
  const id = result.id === '' ? `(object at index ${result.index} has no id)` : result.id;
  return { id, version: result.version, ...(message === undefined ? {} : { message }) };
}

/**
 * The TAXII 2.1 status resource (section 4.3.1) of an ingest that has finished: every object is a
 * success (added, or already present) or a failure
 * with the validator's message and JSON path; nothing is pending because writes are synchronous.
 * A version the collection already held counts as a success: the client's aim, that the
 * collection holds it, is met.
 */
export function statusFromReport(report: IngestReport, id: string, owner: string): StatusResource {
  const successes = report.results
    .filter((r) => r.outcome === 'added' || r.outcome === 'duplicate')
    .map((r) => detailOf(r, r.outcome === 'duplicate' ? 'already present' : undefined));
  const failures = report.results.filter((r) => r.outcome === 'rejected' || r.outcome === 'not-written').map((r) => detailOf(r, messageOf(r)));
  return {
    id,
    status: 'complete',
    requestTimestamp: report.requestedAt,
    totalCount: report.total,
    successCount: successes.length,
    successes,
    failureCount: failures.length,
    failures,
    pendingCount: 0,
    pendings: [],
    owner,
    collectionId: report.collectionId,
  };
}
