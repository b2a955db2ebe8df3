import { describe, expect, it } from 'vitest';
import type { StatusResource } from '../../ports/store.js';
import { jobOf } from './import-jobs.js';

const status = (failures: StatusResource['failures']): StatusResource => ({
  id: 'job-1', status: 'complete', requestTimestamp: '2026-01-01T00:00:00.000Z',
  totalCount: 1 + failures.length, successCount: 1, successes: [{ id: 'indicator--a', version: 'v' }],
  failureCount: failures.length, failures, pendingCount: 0, pendings: [], owner: 'alice', collectionId: 'c1',
});

describe('jobOf', () => {
  it('shows a status resource as a job with counts', () => {
    expect(jobOf(status([]))).toEqual({
      id: 'job-1', status: 'complete', collection: 'c1', owner: 'alice', createdAt: '2026-01-01T00:00:00.000Z',
      total: 1, succeeded: 1, failed: 0, pending: 0, failures: [],
    });
  });

  it('splits a failure message back into located problems', () => {
    const job = jobOf(status([{ id: 'indicator--b', version: 'v', message: '$.objects[1].id: indicator requires id; $.objects[1].created: not a timestamp; with a semicolon' }]));
    expect(job.failures[0]?.errors).toEqual([
      { path: '$.objects[1].id', message: 'indicator requires id' },
      { path: '$.objects[1].created', message: 'not a timestamp; with a semicolon' },
    ]);
  });

  it('keeps a message without a path as it is', () => {
    const job = jobOf(status([{ id: 'indicator--b', version: 'v', message: 'refused by the label gate' }, { id: 'indicator--c', version: 'v' }]));
    expect(job.failures.map((f) => f.errors)).toEqual([[{ message: 'refused by the label gate' }], [{ message: 'failed' }]]);
  });
});
