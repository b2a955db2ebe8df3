import { afterEach, describe, expect, it } from 'vitest';
import { bundle, importBundle, indicator, startRestNode, withoutId, type RestNode } from './rest-harness.js';

describe('operations endpoints', () => {
  let node: RestNode;
  afterEach(async () => node.close());

  it('answers /healthz with the store kind and version, without credentials', async () => {
    node = await startRestNode();
    const res = await node.call(undefined, { method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', store: 'sqlite', version: '9.9.9-test' });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers /healthz with 503 and the reason once the store is closed', async () => {
    node = await startRestNode();
    await node.store.close();
    const res = await node.call(undefined, { method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(503);
    const body = res.json();
    expect(body).toMatchObject({ status: 'unavailable', store: 'sqlite', version: '9.9.9-test' });
    expect(body.reason).toMatch(/^ENTENTE_STORE_UNAVAILABLE/);
  });

  it('exposes request durations, ingest counts (TAXII and REST), TAXII pages and the store count after some traffic', async () => {
    node = await startRestNode();
    expect((await importBundle(node, 'alice', 'shared-intel', bundle(indicator(), indicator()))).statusCode).toBe(201);
    const bad = await importBundle(node, 'alice', 'shared-intel', bundle(indicator(), withoutId()), '&partial=true');
    expect(bad.statusCode).toBe(201);
    const taxii = await node.call('alice', {
      method: 'GET', url: `/taxii2/default/collections/${node.intelId}/objects/`, headers: { accept: 'application/taxii+json;version=2.1' },
    });
    expect(taxii.statusCode).toBe(200);
    const taxiiPost = await node.call('alice', {
      method: 'POST', url: `/taxii2/default/collections/${node.intelId}/objects/`,
      headers: { accept: 'application/taxii+json;version=2.1', 'content-type': 'application/taxii+json;version=2.1' },
      payload: JSON.stringify({ objects: [indicator()] }),
    });
    expect(taxiiPost.statusCode).toBe(202);
    await node.call('alice', { method: 'GET', url: '/api/v1/search?q=bad' });

    const res = await node.call(undefined, { method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    expect(text).toContain(`entente_objects_ingested_total{collection="${node.intelId}",outcome="added"} 4`);
    expect(text).toContain(`entente_objects_ingested_total{collection="${node.intelId}",outcome="rejected"} 1`);
    expect(text).toContain('entente_taxii_pages_served_total{endpoint="objects"} 1');
    expect(text).toMatch(/entente_http_request_duration_seconds_count\{route="\/api\/v1\/imports",method="POST",status="201"\} 2/);
    expect(text).toMatch(/entente_http_request_duration_seconds_count\{route="\/api\/v1\/search",method="GET",status="200"\} 1/);
    expect(text).toContain('entente_store_objects 4');
    expect(text).toContain('entente_store_up 1');
    expect(text).toContain('entente_process_resident_memory_bytes');
  });

  it('labels requests that match no route as unmatched, so URLs do not create series', async () => {
    node = await startRestNode();
    await node.call(undefined, { method: 'GET', url: '/no/such/path/12345' });
    const text = (await node.call(undefined, { method: 'GET', url: '/metrics' })).body;
    expect(text).toMatch(/entente_http_request_duration_seconds_count\{route="unmatched",method="GET",status="404"\} 1/);
    expect(text).not.toContain('12345');
  });

  it('keeps /metrics for administrators when http.metricsAuth is on', async () => {
    node = await startRestNode({ metricsAuth: true });
    const anonymous = await node.call(undefined, { method: 'GET', url: '/metrics' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('ENTENTE_UNAUTHENTICATED');
    expect(anonymous.headers['www-authenticate']).toBeDefined();
    const analyst = await node.call('alice', { method: 'GET', url: '/metrics' });
    expect(analyst.statusCode).toBe(403);
    expect(analyst.json().error.code).toBe('ENTENTE_FORBIDDEN');
    expect((await node.call('admin', { method: 'GET', url: '/metrics' })).statusCode).toBe(200);
    expect((await node.call(undefined, { method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
