import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundles, readDirectory, readYamlTexts } from '../../examples/coalition/example-files.js';
import { intelIds } from '../../examples/coalition/intel-builder.js';
import { link, removeDir, startMember, type CoalitionNode, type Member } from './coalition-nodes.js';

/**
 * The coalition example on three real nodes: the German node holds the example's intelligence
 * and pushes to Poland and France under the example's agreements; what arrives is what the
 * example's README says each may receive, and the receiving nodes refuse nothing of it.
 */
const directory = readDirectory();
const coalition: ReadonlyArray<Member> = directory.map((o) => ({ code: o.code, id: o.id, kind: o.kind, country: o.country }));
const ids = intelIds();
const id = (key: string): string => ids.get(key) ?? '';
let deu: CoalitionNode;
let pol: CoalitionNode;
let fra: CoalitionNode;

beforeAll(async () => {
  [deu, pol, fra] = await Promise.all(['DEU', 'POL', 'FRA'].map((c) => startMember(c, undefined, 0, coalition))) as [CoalitionNode, CoalitionNode, CoalitionNode];
  for (const n of [deu, pol, fra]) {
    // The example's organisations with their countries and memberships, on every node.
    for (const o of directory) await n.node.policy.updateOrganisation(o.code, { name: o.name, kind: o.kind, country: o.country, memberships: o.memberships, sectors: o.sectors });
    // Each node records the agreements it is a party to (the example is written from Germany's side).
    for (const { text } of readYamlTexts('agreements')) {
      try {
        await n.node.policy.submitAgreement(text, 'test');
      } catch (error) {
        if ((error as { code?: string }).code !== 'ENTENTE_AGREEMENT_INVALID') throw error;
      }
    }
  }
  for (const { bundle } of readBundles()) {
    const report = await deu.node.intel.ingest(deu.intelId, bundle, { actor: { name: 'admin' } });
    expect(report.rejected).toBe(0);
  }
  await link(deu, pol);
  await link(deu, fra);
}, 120_000);
afterAll(async () => {
  for (const n of [deu, pol, fra]) {
    await n.close();
    removeDir(n.dir);
  }
});

describe('the coalition example across three nodes', () => {
  it('delivers to Poland and France what the agreements allow, and neither refuses anything delivered', async () => {
    const reports = await deu.node.federation.pushAll();
    expect(reports.map((r) => [r.peer, r.error])).toEqual([['FRA', undefined], ['POL', undefined]]);
    for (const r of reports) expect(r.sent).toBeGreaterThan(10);
    const held = async (n: CoalitionNode, key: string) => n.node.store.getLatest(id(key));
    // Poland: the AMBER+STRICT staging host only as its /24, never the TLP:RED source, never NOFORN.
    expect((await held(pol, 'ind-staging-ipv4'))?.['pattern']).toBe("[ipv4-addr:value = '198.51.100.0/24']");
    expect(await held(pol, 'ind-source-ipv4')).toBeUndefined();
    expect(await held(pol, 'ind-noforn-ipv4')).toBeUndefined();
    expect(await held(pol, 'ind-nato-secret-domain')).toBeUndefined();
    // France's own malware goes back to France only: TLP:AMBER from a third party never goes on.
    expect(await held(fra, 'malware-paperkite')).toBeDefined();
    expect(await held(pol, 'malware-paperkite')).toBeUndefined();
    // The report reaches both without the paragraph released only to the United States and the United Kingdom.
    for (const n of [pol, fra]) expect(await held(n, 'report-steppe-lynx')).not.toHaveProperty('description');
    // What was sent was accepted: the peers' states show no refused envelope, and every object was stored.
    const status = await deu.node.federation.status();
    expect(status.every((s) => s.state.failures === 0)).toBe(true);
    for (const n of [pol, fra]) {
      const sent = status.find((s) => s.link.code === n.code)?.state.sentObjects ?? 0;
      expect(await n.node.store.countObjects(n.intelId)).toBeGreaterThanOrEqual(sent);
    }
  }, 120_000);
});
