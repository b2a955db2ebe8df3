import { describe, expect, it } from 'vitest';
import { createMetrics, renderAcrossProcesses } from './metrics.js';
import { defaultTaxiiEndpoint } from './metrics-hooks.js';

describe('createMetrics', () => {
  it('counts ingested objects by collection and outcome', async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.observeIngest('c1', [{ outcome: 'added' }, { outcome: 'added' }, { outcome: 'duplicate' }]);
    metrics.observeIngest('c1', [{ outcome: 'added' }]);
    const text = await metrics.render();
    expect(text).toContain('entente_objects_ingested_total{collection="c1",outcome="added"} 3');
    expect(text).toContain('entente_objects_ingested_total{collection="c1",outcome="duplicate"} 1');
  });

  it('keeps each app on its own registry so two apps do not share counts', async () => {
    const a = createMetrics({ processMetrics: false });
    const b = createMetrics({ processMetrics: false });
    a.taxiiPages.inc({ endpoint: 'objects' });
    expect(await a.render()).toContain('entente_taxii_pages_served_total{endpoint="objects"} 1');
    expect(await b.render()).not.toContain('entente_taxii_pages_served_total{endpoint="objects"}');
  });

  it('counts store objects at scrape time and reports a store that fails as down without failing the scrape', async () => {
    let count = 7;
    let fail = false;
    const metrics = createMetrics({
      processMetrics: false,
      store: { countObjects: async () => { if (fail) throw new Error('closed'); return count; } },
    });
    expect(await metrics.render()).toMatch(/entente_store_objects 7\n[\s\S]*entente_store_up 1/);
    count = 9;
    expect(await metrics.render()).toContain('entente_store_objects 9');
    fail = true;
    const text = await metrics.render();
    expect(text).toContain('entente_store_up 0');
    expect(text).toMatch(/entente_store_objects nan/i);
  });

  it('includes process metrics by default', async () => {
    expect(await createMetrics().render()).toContain('entente_process_cpu_user_seconds_total');
  });
});

describe('defaultTaxiiEndpoint', () => {
  it.each([
    ['/taxii2/:root/collections/:id/objects/', 'objects'],
    ['/taxii2/:root/collections/:id/objects/:objectId/', 'object'],
    ['/taxii2/:root/collections/:id/objects/:objectId/versions/', 'versions'],
    ['/taxii2/:root/collections/:id/manifest/', 'manifest'],
  ])('names %s as a %s page', (template, endpoint) => {
    expect(defaultTaxiiEndpoint(template)).toBe(endpoint);
  });

  it.each(['/taxii2/', '/taxii2/:root/collections/:id/', '/taxii2/:root/status/:id/', '/api/v1/objects/:id'])(
    'does not count %s as a TAXII page',
    (template) => expect(defaultTaxiiEndpoint(template)).toBeUndefined(),
  );
});

describe('metrics of several serving processes', () => {
  it('sums traffic over the processes and takes the store\'s and peers\' gauges once', async () => {
    const store = { countObjects: async () => 5 };
    const peers = { status: async () => [{ link: { code: 'POL' }, state: { failures: 0, sentEnvelopes: 7, sentObjects: 70, receivedEnvelopes: 1, receivedObjects: 2, rejectedEnvelopes: 0 } }] };
    const workers = [createMetrics({ store, peers, processMetrics: false }), createMetrics({ store, peers, processMetrics: false })];
    workers[0]?.taxiiPages.inc({ endpoint: 'objects' }, 3);
    workers[1]?.taxiiPages.inc({ endpoint: 'objects' }, 4);
    const text = await renderAcrossProcesses(await Promise.all(workers.map((m) => m.registry.getMetricsAsJSON())));
    expect(text).toContain('entente_taxii_pages_served_total{endpoint="objects"} 7');
    expect(text).toContain('entente_store_objects 5');
    expect(text).toContain('entente_store_up 1');
    expect(text).toContain('entente_peer_sent_envelopes{peer="POL"} 7');
  });
});
