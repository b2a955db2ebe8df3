import type { Collection, ObjectPage, StatusDetail, StatusResource, StoredObject } from '../../ports/store.js';
import type { Rights } from '../../services/collections/collection-service.js';

/** TAXII 2.1 section 5.2: the collection resource, `can_read`/`can_write` from the caller's rights. */
export function collectionResource(collection: Collection, rights: Rights): Record<string, unknown> {
  return {
    id: collection.id,
    title: collection.title,
    ...(collection.description === undefined ? {} : { description: collection.description }),
    ...(collection.alias === undefined ? {} : { alias: collection.alias }),
    can_read: rights.canRead,
    can_write: rights.canWrite,
    media_types: collection.mediaTypes,
  };
}

/**
 * The section 3.7 envelope as JSON text (`more`, `next`, and `objects` left out when empty, as
 * TAXII lists are never empty), with each object's stored text spliced in as it is: a page of
 * objects is the hot path of every TAXII client, and re-encoding parsed objects would cost more
 * than reading them from the store.
 */
export function envelopeJson(page: ObjectPage): string {
  const head = envelopeHead(page);
  if (page.objects.length === 0) return `${head}}`;
  return `${head},"objects":[${page.objects.map((o) => o.json ?? JSON.stringify(o.object)).join(',')}]}`;
}

/**
 * The same envelope as `envelopeJson`, as the UTF-8 bytes sent. When every stored text is known
 * to be ASCII (as many bytes, `jsonBytes`, as UTF-16 units) the text is copied as Latin-1, with
 * no UTF-8 encoding. Most of the conversion's cost (~10 % of a page) is writing ~80 KB of fresh
 * memory, which either way pays; the encoding was about a fifth of it in a profile. Built as one
 * string and converted once: filling a buffer of the exact size piece by piece was measured
 * slower (a fresh buffer per page cost more system time than the join saved).
 */
export function envelopeBytes(page: ObjectPage): Buffer {
  const json = envelopeJson(page);
  return Buffer.from(json, isAsciiPage(page) ? 'latin1' : 'utf8');
}

// The envelope's own text is ASCII: booleans, punctuation and a base64url cursor.
function isAsciiPage(page: ObjectPage): boolean {
  if (page.next !== undefined && !/^[\x20-\x7e]*$/.test(page.next)) return false;
  for (const o of page.objects) {
    if (o.json === undefined || o.jsonBytes !== o.json.length) return false;
  }
  return true;
}

function envelopeHead(page: ObjectPage): string {
  return `{"more":${page.next !== undefined}${page.next === undefined ? '' : `,"next":${JSON.stringify(page.next)}`}`;
}

/** Section 5.3: one manifest record per object version. */
export function manifestResource(page: ObjectPage): Record<string, unknown> {
  return {
    more: page.next !== undefined,
    ...(page.next === undefined ? {} : { next: page.next }),
    ...(page.objects.length === 0
      ? {}
      : { objects: page.objects.map((o) => ({ id: o.id, date_added: o.dateAdded, version: o.version, media_type: `application/stix+json;version=${o.specVersion}` })) }),
  };
}

/** Section 5.8: the versions resource. */
export function versionsResource(page: ObjectPage): Record<string, unknown> {
  return {
    more: page.next !== undefined,
    ...(page.next === undefined ? {} : { next: page.next }),
    ...(page.objects.length === 0 ? {} : { versions: page.objects.map((o) => o.version) }),
  };
}

/**
 * Section 3.4.1: `X-TAXII-Date-Added-First` and `-Last` give the `date_added` of the first and
 * last object of the page; absent when the page is empty.
 */
export function dateAddedHeaders(objects: ReadonlyArray<StoredObject>): Record<string, string> {
  const first = objects[0];
  const last = objects[objects.length - 1];
  return first === undefined || last === undefined ? {} : { 'X-TAXII-Date-Added-First': first.dateAdded, 'X-TAXII-Date-Added-Last': last.dateAdded };
}

function details(list: ReadonlyArray<StatusDetail>): ReadonlyArray<Record<string, string>> {
  return list.map((d) => ({ id: d.id, version: d.version, ...(d.message === undefined ? {} : { message: d.message }) }));
}

/** Section 4.3.1: the status resource as the client sees it (the owner stays server-side). */
export function statusResource(status: StatusResource): Record<string, unknown> {
  return {
    id: status.id,
    status: status.status,
    request_timestamp: status.requestTimestamp,
    total_count: status.totalCount,
    success_count: status.successCount,
    ...(status.successes.length === 0 ? {} : { successes: details(status.successes) }),
    failure_count: status.failureCount,
    ...(status.failures.length === 0 ? {} : { failures: details(status.failures) }),
    pending_count: status.pendingCount,
    ...(status.pendings.length === 0 ? {} : { pendings: details(status.pendings) }),
  };
}
