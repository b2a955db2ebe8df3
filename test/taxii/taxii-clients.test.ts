import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, indicator, startNode, TAXII, type TestNode } from './node-harness.js';

// What the real clients do, request for request, where they cannot run here: the rules below are
// those of taxii2-client (v21) and of OpenCTI's TAXII 2.1 ingester.
let node: TestNode;
beforeAll(async () => {
  node = await startNode();
  node.clock.set('2026-02-01T00:00:00.000Z');
  await node.intel.ingest(node.intelId, { objects: Array.from({ length: 9 }, () => indicator()) }, { actor: { name: 'alice' } });
});
afterAll(async () => node.close());

const ROOT = 'http://localhost:80/taxii2/default/';
const get = (url: string, headers: Record<string, string> = {}) => node.app.inject({ method: 'GET', url, headers: { authorization: basic('alice'), accept: TAXII, ...headers } });

/** taxii2-client's `valid_content_type` for 2.1: every Accept token present, first token TAXII. */
function taxii2ClientAccepts(contentType: string, accept: string): boolean {
  const acceptTokens = accept.replaceAll(' ', '').split(';');
  const tokens = contentType.replaceAll(' ', '').split(';');
  return acceptTokens.every((t) => tokens.includes(t)) && tokens[0] === 'application/taxii+json';
}

describe('as taxii2-client does it', () => {
  it('gets answers whose Content-Type passes the client check', async () => {
    for (const url of ['/taxii2/', '/taxii2/default/', '/taxii2/default/collections/', `/taxii2/default/collections/${node.intelId}/objects/`]) {
      const res = await get(url);
      expect(taxii2ClientAccepts(String(res.headers['content-type']), TAXII), url).toBe(true);
    }
  });

  it('follows the collection URL built from the id it was given, and the status URL without a trailing slash', async () => {
    const list = (await get('/taxii2/default/collections/')).json() as { collections: Array<{ id: string }> };
    const id = list.collections[0]?.id ?? '';
    expect((await get(`/taxii2/default/collections/${id}/`)).json()).toMatchObject({ id, can_read: true, can_write: true });
    const posted = await node.app.inject({
      method: 'POST', url: `/taxii2/default/collections/${id}/objects/`,
      headers: { authorization: basic('alice'), accept: TAXII, 'content-type': TAXII }, payload: JSON.stringify({ objects: [indicator()] }),
    });
    const status = posted.json() as { id: string; total_count: number; success_count: number; failure_count: number; pending_count: number; successes: unknown[] };
    // The client's Status._validate_status: the counts add up and each list matches its count.
    expect(status.success_count + status.failure_count + status.pending_count).toBe(status.total_count);
    expect(status.successes).toHaveLength(status.success_count);
    // add_objects joins "../../status/<id>" to the collection URL: no trailing slash.
    expect((await get(`/taxii2/default/status/${status.id}`)).statusCode).toBe(200);
  });

  it('pages with as_pages: limit and next until more is false', async () => {
    let page = (await get(`/taxii2/default/collections/${node.intelId}/objects/?limit=4`)).json() as { more: boolean; next?: string; objects: unknown[] };
    let total = page.objects.length;
    while (page.more) {
      page = (await get(`/taxii2/default/collections/${node.intelId}/objects/?limit=4&next=${encodeURIComponent(page.next ?? '')}`)).json();
      total += page.objects.length;
    }
    expect(total).toBe(10);
  });
});

describe('as the OpenCTI TAXII 2.1 ingester does it', () => {
  it('discovers the default API root the URL of which it is configured with', async () => {
    expect((await get('/taxii2/')).json()).toMatchObject({ default: ROOT });
  });

  it('pages with next and added_after together, then resumes from X-TAXII-Date-Added-Last without repeats', async () => {
    const url = `/taxii2/default/collections/${node.intelId}/objects/`;
    const seen: string[] = [];
    let res = await get(`${url}?limit=3&added_after=2026-01-01T00:00:00.000Z`);
    for (;;) {
      const body = res.json() as { more: boolean; next?: string; objects: Array<{ id: string }> };
      seen.push(...body.objects.map((o) => o.id));
      if (!body.more) break;
      res = await get(`${url}?limit=3&added_after=2026-01-01T00:00:00.000Z&next=${encodeURIComponent(body.next ?? '')}`);
    }
    expect(new Set(seen).size).toBe(10);
    const last = String(res.headers['x-taxii-date-added-last']);
    expect((await get(`${url}?added_after=${last}`)).json()).toEqual({ more: false });
    node.clock.advance(1000);
    await node.intel.ingest(node.intelId, { objects: [indicator()] }, { actor: { name: 'alice' } });
    expect(((await get(`${url}?added_after=${last}`)).json() as { objects: unknown[] }).objects).toHaveLength(1);
  });
});
