/**
 * Release decisions per second (issue 3, "Proof": >= 200k decisions/s per core on typical
 * objects, so that policy filtering adds less than 10% to a TAXII page). Run:
 * `npx tsx bench/release-decision.ts` (OBJECTS=n, RUNS=n, ONLY=peer|user override). Single-threaded: one core;
 * rates are decisions per CPU-second of this process, with the wall-clock rate beside them.
 *
 * A German node decides a feed-like mix of objects (indicators, malware, relationships, reports
 * with 5-20 refs, identities, addresses; TLP, classifications, REL TO and caveats mixed; granular
 * markings on 10%) for a Polish peer with three agreements in force, and for a German analyst.
 * Measured: decide() alone on labels read beforehand; decide() + consistentRelease over pages of
 * 100; and a TAXII page proxy, where the policy path (labels read from the markings, decide,
 * consistentRelease, filter) is set against JSON.stringify of the same page envelope.
 */
import { performance } from 'node:perf_hooks';
import { cpus } from 'node:os';
import { ALLIANCES, CLASSIFICATION_POLICIES, EMPTY_LABEL, labelsOfObject, markingsForLabel, parseBanner, type ObjectLabels } from '../src/core/labels/index.js';
import { prepareRecipient, type PolicyContext, type PreparedRecipient } from '../src/core/policy/recipient.js';
import { decide } from '../src/core/policy/release-decision.js';
import { consistentRelease, outsideReferences, type ReleaseItem } from '../src/core/policy/release-set.js';
import type { Agreement, Organisation, ReleaseDecision } from '../src/core/policy/types.js';
import { formatRate, median } from './lib/run-stats.js';
import { seededRandom } from './lib/seeded-random.js';

const OBJECTS = Number(process.env.OBJECTS ?? 20_000);
const RUNS = Number(process.env.RUNS ?? 5);
/** `ONLY=peer` or `ONLY=user` decides for one recipient (for profiling). */
const ONLY = process.env.ONLY ?? '';
const PAGE = 100;
/** Median latency of one TAXII page of 100 over HTTP on 1M objects (BENCHMARKS.md, TAXII paging). */
const TAXII_PAGE_MS = 1.15;
const T = '2026-01-01T00:00:00.000Z';
const NOW = '2026-11-25T12:00:00.000Z';

const { int, hex } = seededRandom(0x2ea5e);
const uuid = (n: number): string => `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${n.toString(16).padStart(12, '0')}`;

const org = (n: number, code: string, kind: Organisation['kind'] = 'nation'): Organisation => ({
  id: `identity--0b0b0b0b-0000-4000-8000-${n.toString(16).padStart(12, '0')}`, code, name: code, kind, country: code, memberships: [], sectors: [],
});
const DEU = org(1, 'DEU');
const POL = org(2, 'POL');
const FRA = org(3, 'FRA');
const USA = org(4, 'USA');
const DIRECTORY = [DEU, POL, FRA, USA];

const base = { version: 1, purpose: 'bench', status: 'active' as const, validFrom: '2026-01-01T00:00:00.000Z', scope: { types: [], excludeTypes: [], tags: [], sectors: [] }, ceilings: {}, onward: {}, obligations: [], redactions: [] };
/** Three agreements in force with Poland: NATO-wide, EU-wide and a bilateral one that strips custom properties. */
const AGREEMENTS: ReadonlyArray<Agreement> = [
  { ...base, id: 'deu-pol', title: 'DEU-POL', parties: ['DEU', 'POL'], defaultCeiling: { tlp: 'amber+strict', classifications: [{ policy: 'NATO', level: 'CONFIDENTIAL' }] }, redactions: [{ kind: 'strip-custom-properties', keep: [] }] },
  { ...base, id: 'eu-cti', title: 'EU CTI', parties: ['DEU', 'POL', 'FRA'], defaultCeiling: { tlp: 'green', classifications: [{ policy: 'EU', level: 'RESTREINT UE' }] } },
  { ...base, id: 'nato-cti', title: 'NATO CTI', parties: ['DEU', 'POL', 'FRA', 'USA'], defaultCeiling: { tlp: 'amber', classifications: [{ policy: 'NATO', level: 'RESTRICTED' }] }, onward: { DEU: ['NATO'] } },
];
const CONTEXT: PolicyContext = { node: DEU, organisations: new Map(DIRECTORY.map((o) => [o.code, o])), agreements: AGREEMENTS, policies: CLASSIFICATION_POLICIES, alliances: ALLIANCES, now: NOW };
const RECIPIENTS: ReadonlyArray<readonly [string, PreparedRecipient]> = [
  ['peer POL (3 agreements)', prepareRecipient({ kind: 'peer', organisation: POL }, CONTEXT)],
  ['user (DEU, NATO SECRET)', prepareRecipient({ kind: 'user', user: { name: 'anna', nationality: 'DEU', clearances: [{ policy: 'NATO', level: 'SECRET' }, { policy: 'DEU', level: 'GEHEIM' }], caveats: [], roles: ['analyst'] } }, CONTEXT)],
];

/** Object-level banners with their share of the feed; granular banners for the 10% with a marked paragraph. */
const BANNERS: ReadonlyArray<readonly [string, number]> = [
  ['TLP:CLEAR', 15], ['TLP:GREEN', 35], ['TLP:AMBER', 18], ['TLP:AMBER+STRICT', 4], ['TLP:RED', 3],
  ['NATO RESTRICTED // REL TO NATO // TLP:AMBER', 12], ['NATO UNCLASSIFIED // TLP:GREEN', 4], ['NATO CONFIDENTIAL // REL TO NATO', 2],
  ['VS-NfD // TLP:GREEN', 3], ['RESTREINT UE/EU RESTRICTED // TLP:GREEN', 2], ['TLP:GREEN // NOFORN', 1], ['TLP:AMBER // IEP EXPIRES=2027-01-01T00:00:00.000Z', 1],
];
const GRANULAR = ['REL TO USA, GBR', 'NATO SECRET', 'TLP:RED'];
const parse = (banner: string) => parseBanner(banner, { policies: CLASSIFICATION_POLICIES, defaultPolicy: 'NATO' });
const DEFINITIONS = new Map<string, Readonly<Record<string, unknown>>>();
function refsFor(banner: string): string[] {
  const { definitions, refs } = markingsForLabel(parse(banner), CLASSIFICATION_POLICIES);
  for (const d of definitions) DEFINITIONS.set(d.id, d as unknown as Readonly<Record<string, unknown>>);
  return [...refs];
}
const OBJECT_REFS = BANNERS.map(([b, w]) => [refsFor(b), w] as const);
const GRANULAR_REFS = GRANULAR.map((b) => refsFor(b)[0] as string);
const TOTAL_WEIGHT = BANNERS.reduce((s, [, w]) => s + w, 0);
function pickMarkings(): string[] {
  let r = int(TOTAL_WEIGHT);
  for (const [refs, w] of OBJECT_REFS) if ((r -= w) < 0) return refs;
  return [];
}

/** Objects in pages of 100: the first 60 of a page are indicators, malware, identities and addresses, then relationships and reports among them. */
function feed(count: number): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (let p = 0; out.length < count; p++) {
    const page: Array<Record<string, unknown>> = [];
    const sdos: string[] = [];
    for (let i = 0; i < PAGE; i++) {
      const n = p * PAGE + i;
      const r = int(100);
      const creator = r % 10 === 0 ? FRA.id : r % 10 === 1 ? POL.id : DEU.id;
      const common = { spec_version: '2.1', created: T, modified: T, created_by_ref: creator, object_marking_refs: pickMarkings() };
      let o: Record<string, unknown>;
      if (i < 60) {
        if (r < 70) o = { type: 'indicator', id: `indicator--${uuid(n)}`, ...common, name: `C2 ${n}`, description: `Command and control server seen in campaign ${n % 97}.`, pattern: `[ipv4-addr:value = '10.${int(256)}.${int(256)}.${1 + int(254)}']`, pattern_type: 'stix', valid_from: T, labels: ['malicious-activity'] };
        else if (r < 85) o = { type: 'malware', id: `malware--${uuid(n)}`, ...common, name: `Family ${n % 31}`, is_family: true, description: 'Loader delivering a second stage.' };
        else if (r < 93) o = { type: 'identity', id: `identity--${uuid(n)}`, ...common, name: `Operator ${n}`, description: 'Hosting provider used by the operators.', identity_class: 'organization', sectors: ['energy'] };
        else o = { type: 'ipv4-addr', id: `ipv4-addr--${uuid(n)}`, spec_version: '2.1', value: `10.${int(256)}.${int(256)}.${1 + int(254)}`, object_marking_refs: common.object_marking_refs };
        if (o['type'] !== 'ipv4-addr') sdos.push(String(o['id']));
      } else if (i < 90) {
        o = { type: 'relationship', id: `relationship--${uuid(n)}`, ...common, relationship_type: 'indicates', description: 'Seen together in one intrusion.', source_ref: sdos[int(sdos.length)], target_ref: int(10) === 0 ? `malware--${uuid(n + 1_000_000)}` : sdos[int(sdos.length)] };
      } else {
        const refs = new Set<string>();
        const want = 5 + int(16);
        while (refs.size < want) refs.add(int(8) === 0 ? `indicator--${uuid(n * 100 + refs.size + 2_000_000)}` : (sdos[int(sdos.length)] as string));
        o = { type: 'report', id: `report--${uuid(n)}`, ...common, name: `Weekly report ${n}`, description: 'Activity against the energy sector this week.', published: T, object_refs: [...refs] };
      }
      if (int(10) === 0 && o['type'] !== 'ipv4-addr') o['x_internal_case'] = `K-${n}`;
      if (int(10) === 0 && typeof o['description'] === 'string') o['granular_markings'] = [{ marking_ref: GRANULAR_REFS[int(GRANULAR_REFS.length)], selectors: ['description'] }];
      page.push(o);
    }
    out.push(...page);
  }
  return out.slice(0, count);
}

const resolve = (id: string) => DEFINITIONS.get(id);
const labelOptions = { defaultLabel: { ...EMPTY_LABEL, tlp: 'green' as const }, policies: CLASSIFICATION_POLICIES };

interface Timing { readonly wallMs: number; readonly cpuMs: number }
function timed(work: () => void): Timing {
  const cpu = process.cpuUsage();
  const start = performance.now();
  work();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

function pages<T>(list: ReadonlyArray<T>): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += PAGE) out.push(list.slice(i, i + PAGE));
  return out;
}

/** The policy path of one page as the release service runs it, minus the store reads. */
function releasePage(recipient: PreparedRecipient, page: ReadonlyArray<Record<string, unknown>>, labels?: ReadonlyArray<ObjectLabels>): Array<Readonly<Record<string, unknown>>> {
  const items: ReleaseItem[] = page.map((object, i) => ({ object, decision: decide(recipient, { object, labels: labels?.[i] ?? labelsOfObject(object, resolve, labelOptions) }) }));
  // References outside the page are taken as released: the service decides them with the same
  // function, so their cost is that of one more decision each, not measured here.
  const outside = new Set(outsideReferences(items));
  return consistentRelease(items, outside).flatMap((d: ReleaseDecision) => (d.outcome === 'deny' || d.object === undefined ? [] : [d.object]));
}

function main(): void {
  console.log(`Release decision, ${OBJECTS.toLocaleString('en-US')} objects, ${RUNS} runs, one core of ${cpus().length} (${cpus()[0]?.model ?? '?'}), Node ${process.version}`);
  const objects = feed(OBJECTS);
  const labels = objects.map((o) => labelsOfObject(o, resolve, labelOptions));
  const byPage = pages(objects);
  const labelPages = pages(labels);
  const envelope = (objs: ReadonlyArray<unknown>) => JSON.stringify({ more: true, next: '1764072000000000-indicator--00000000-0000-4000-8000-000000000000', objects: objs });
  const results: Array<{ name: string; decide: Timing[]; paged: Timing[]; page: Timing[]; stringify: Timing[]; outcomes: Record<string, number> }> = [];
  for (const [name, recipient] of RECIPIENTS.filter(([n]) => n.startsWith(ONLY))) {
    const outcomes: Record<string, number> = {};
    for (let i = 0; i < objects.length; i++) {
      const d = decide(recipient, { object: objects[i] as Record<string, unknown>, labels: labels[i] as ObjectLabels });
      outcomes[d.outcome] = (outcomes[d.outcome] ?? 0) + 1;
    }
    const r = { name, decide: [] as Timing[], paged: [] as Timing[], page: [] as Timing[], stringify: [] as Timing[], outcomes };
    for (let run = 0; run <= RUNS; run++) {
      const one = timed(() => { for (let i = 0; i < objects.length; i++) decide(recipient, { object: objects[i] as Record<string, unknown>, labels: labels[i] as ObjectLabels }); });
      const paged = timed(() => { byPage.forEach((page, p) => releasePage(recipient, page, labelPages[p])); });
      const page = timed(() => { for (const p of byPage) releasePage(recipient, p); });
      const stringify = timed(() => { for (const p of byPage) envelope(p); });
      if (run === 0) continue; // warm-up
      r.decide.push(one); r.paged.push(paged); r.page.push(page); r.stringify.push(stringify);
      console.log(`${name} run ${run}: decide ${formatRate((OBJECTS * 1000) / one.cpuMs)}, decide+consistentRelease ${formatRate((OBJECTS * 1000) / paged.cpuMs)}, page with labels ${(page.cpuMs / byPage.length * 1000).toFixed(0)} µs, stringify ${(stringify.cpuMs / byPage.length * 1000).toFixed(0)} µs`);
    }
    results.push(r);
  }
  const rate = (ts: Timing[], key: keyof Timing) => median(ts.map((t) => (OBJECTS * 1000) / t[key]));
  const perPage = (ts: Timing[]) => median(ts.map((t) => (t.cpuMs * 1000) / byPage.length));
  console.log('\n| recipient | outcomes | decide() per core (wall) | decide() + consistentRelease, pages of 100 | policy per page, labels read too | JSON.stringify of the page | policy / stringify | policy / 1.15 ms TAXII page |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of results) {
    const paged = rate(r.paged, 'cpuMs');
    const policy = perPage(r.page);
    const json = perPage(r.stringify);
    const pct = (x: number, of: number) => `${((100 * x) / of).toFixed(0)} %`;
    console.log(`| ${r.name} | ${Object.entries(r.outcomes).map(([k, v]) => `${k} ${Math.round((100 * v) / OBJECTS)} %`).join(', ')} | ${formatRate(rate(r.decide, 'cpuMs'))} (${formatRate(rate(r.decide, 'wallMs'))}) `
      + `| ${formatRate(paged)} (${((PAGE * 1e6) / paged).toFixed(0)} µs a page) | ${policy.toFixed(0)} µs | ${json.toFixed(0)} µs | ${pct(policy, json)} | ${pct(policy, TAXII_PAGE_MS * 1000)} |`);
  }
  console.log(`\nmedians of ${RUNS} runs; target >= 200,000 decisions/s per core`);
}

main();
