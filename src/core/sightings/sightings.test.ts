import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readObservations, type Observation } from '../pattern/index.js';
import { deterministicScoId } from '../stix/sco-id.js';
import { validateObject } from '../stix/validate.js';
import { TelemetryReader } from '../telemetry/index.js';
import { aggregateSightings, mergeSighting, parseWindow, SightingAccumulator, sightingId, type DetectionMatch, type SightingSettings, type StixRecord } from './index.js';

const NODE = 'identity--df266b57-8cf3-40bc-a148-cae3d5492a01';
const OTHER_NODE = 'identity--3d7b11bb-ab97-471c-bc54-db4564a4b75d';
const IND_A = 'indicator--11111111-1111-4111-8111-111111111111';
const IND_B = 'indicator--22222222-2222-4222-8222-222222222222';
const settings: SightingSettings = { identityId: NODE, windowMs: 3_600_000, evidence: 5, now: '2026-12-01T08:00:00.000Z' };

/** The observation a Suricata DNS event gives, as `entente detect` builds it. */
function dnsEvent(time: string, client = '10.0.0.1', name = 'bad.example'): Observation {
  const line = JSON.stringify({
    timestamp: time, event_type: 'dns', src_ip: client, src_port: 53000, dest_ip: '10.0.0.53', dest_port: 53, proto: 'UDP',
    dns: { type: 'answer', rrname: name, rrtype: 'A', answers: [{ rrname: name, rrtype: 'A', rdata: '203.0.113.9' }] },
  });
  const [event] = new TelemetryReader('suricata').push(line);
  if (event === undefined) throw new Error(`no event from ${line}`);
  return event.observation;
}

const match = (indicatorId: string, observation: Observation, sensor = 'eve.json'): DetectionMatch => ({ indicatorId, observation, sensor });

function allObjects(drafts: ReturnType<typeof aggregateSightings>['drafts']): StixRecord[] {
  return drafts.flatMap((d) => [d.sighting, ...d.observedData, ...d.scos]);
}

describe('aggregating matches into sightings', () => {
  it('makes one sighting per indicator and aligned window, with count and first and last seen', () => {
    const { drafts } = aggregateSightings([
      match(IND_A, dnsEvent('2026-11-30T10:40:00.000000+0000')),
      match(IND_A, dnsEvent('2026-11-30T10:05:00.250000+0000'), 'zeek/dns.log'),
      match(IND_A, dnsEvent('2026-11-30T11:10:00.000000+0000')),
      match(IND_B, dnsEvent('2026-11-30T10:10:00.000000+0000')),
    ], settings);
    expect(drafts.map((d) => [d.indicatorId, new Date(d.windowStart).toISOString(), d.sighting['count']])).toEqual([
      [IND_A, '2026-11-30T10:00:00.000Z', 2], [IND_A, '2026-11-30T11:00:00.000Z', 1], [IND_B, '2026-11-30T10:00:00.000Z', 1],
    ]);
    const first = drafts[0]?.sighting;
    expect(first).toMatchObject({
      type: 'sighting', sighting_of_ref: IND_A, first_seen: '2026-11-30T10:05:00.250Z', last_seen: '2026-11-30T10:40:00.000Z',
      where_sighted_refs: [NODE], created_by_ref: NODE, created: settings.now, modified: settings.now,
    });
    expect(drafts[0]?.sensors).toEqual(['eve.json', 'zeek/dns.log']);
  });

  it('takes the window width from the settings', () => {
    const matches = [match(IND_A, dnsEvent('2026-11-30T10:05:00Z')), match(IND_A, dnsEvent('2026-11-30T10:40:00Z'))];
    expect(aggregateSightings(matches, { ...settings, windowMs: parseWindow('30m') }).drafts).toHaveLength(2);
    expect(aggregateSightings(matches, { ...settings, windowMs: parseWindow('1d') }).drafts).toHaveLength(1);
  });

  it('gives the same ids on a re-run, whatever the time of the run, and other ids to another node', () => {
    const matches = [match(IND_A, dnsEvent('2026-11-30T10:05:00Z')), match(IND_A, dnsEvent('2026-11-30T10:06:00Z', '10.0.0.2'))];
    const one = aggregateSightings(matches, settings).drafts[0];
    const two = aggregateSightings([...matches].reverse(), { ...settings, now: '2026-12-02T00:00:00.000Z' }).drafts[0];
    expect(two?.sighting['id']).toBe(one?.sighting['id']);
    expect(two?.sighting['observed_data_refs']).toEqual(one?.sighting['observed_data_refs']);
    expect(two?.scos.map((s) => s['id'])).toEqual(one?.scos.map((s) => s['id']));
    expect(one?.sighting['id']).toBe(sightingId(NODE, IND_A, Date.parse('2026-11-30T10:00:00Z'), 3_600_000));
    const elsewhere = aggregateSightings(matches, { ...settings, identityId: OTHER_NODE }).drafts[0];
    expect(elsewhere?.sighting['id']).not.toBe(one?.sighting['id']);
  });

  it('keeps at most the configured number of observed-data, the earliest events first', () => {
    const matches = Array.from({ length: 8 }, (_, i) => match(IND_A, dnsEvent(`2026-11-30T10:0${8 - i}:00Z`, `10.0.0.${i + 1}`)));
    const [draft] = aggregateSightings(matches, settings).drafts;
    expect(draft?.sighting['count']).toBe(8);
    expect(draft?.sighting['observed_data_refs']).toHaveLength(5);
    expect(draft?.observedData.map((od) => od['first_observed'])).toEqual(['01', '02', '03', '04', '05'].map((m) => `2026-11-30T10:${m}:00.000Z`));
    const [bare] = aggregateSightings(matches, { ...settings, evidence: 0 }).drafts;
    expect(bare?.sighting).not.toHaveProperty('observed_data_refs');
    expect(bare?.observedData).toEqual([]);
  });

  it('keeps the earliest events as evidence when matches arrive one by one, late ones first', () => {
    const accumulator = new SightingAccumulator({ windowMs: 86_400_000, evidence: 2 });
    for (let i = 200; i >= 1; i--) accumulator.add(match(IND_A, dnsEvent(new Date(Date.parse('2026-11-30T00:00:00Z') + i * 60_000).toISOString(), `10.0.${i % 7}.${i % 250}`)));
    const [draft] = accumulator.drafts(NODE, settings.now);
    expect(draft?.sighting['count']).toBe(200);
    expect(draft?.observedData.map((od) => od['first_observed'])).toEqual(['2026-11-30T00:01:00.000Z', '2026-11-30T00:02:00.000Z']);
  });

  it('makes only valid STIX 2.1, SCOs under their deterministic ids and references resolved among them', () => {
    const { drafts } = aggregateSightings([match(IND_A, dnsEvent('2026-11-30T10:05:00Z')), match(IND_B, dnsEvent('2026-11-30T12:05:00Z', '10.0.0.7'))], settings);
    const objects = allObjects(drafts);
    for (const object of objects) {
      const result = validateObject(object);
      expect(result.errors, JSON.stringify(object)).toEqual([]);
      expect(result.warnings.filter((w) => w.code === 'sco-id-mismatch')).toEqual([]);
    }
    const ids = new Set(objects.map((o) => o['id']));
    for (const draft of drafts) {
      for (const od of draft.observedData) for (const ref of od['object_refs'] as string[]) expect(ids).toContain(ref);
      const traffic = draft.scos.find((s) => s['type'] === 'network-traffic');
      expect(ids).toContain(traffic?.['src_ref']);
      const domain = draft.scos.find((s) => s['type'] === 'domain-name');
      expect(domain?.['id']).toBe(deterministicScoId('domain-name', { value: 'bad.example' }, ['value']));
      expect(ids).toContain((domain?.['resolves_to_refs'] as string[])[0]);
    }
  });

  it('rewrites the embedded objects of STIX 2.0-style observed-data into 2.1 SCOs with references', () => {
    const [observation] = readObservations({
      type: 'observed-data', id: 'observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf', first_observed: '2026-11-30T10:00:00Z', last_observed: '2026-11-30T10:00:05Z', number_observed: 3,
      objects: { 0: { type: 'ipv4-addr', value: '198.51.100.7' }, 1: { type: 'network-traffic', src_ref: '0', dst_port: 443, protocols: ['ipv4', 'tcp'] } },
    });
    const [draft] = aggregateSightings([match(IND_A, observation as Observation)], settings).drafts;
    expect(draft?.sighting['count']).toBe(3);
    const address = draft?.scos.find((s) => s['type'] === 'ipv4-addr');
    expect(draft?.scos.find((s) => s['type'] === 'network-traffic')?.['src_ref']).toBe(address?.['id']);
    expect(draft?.observedData[0]).toMatchObject({ number_observed: 3, last_observed: '2026-11-30T10:00:05.000Z' });
    for (const o of allObjects(draft === undefined ? [] : [draft])) expect(validateObject(o).errors).toEqual([]);
  });

  it('leaves out events whose time no STIX timestamp can hold, and refuses a bad window', () => {
    const odd: Observation = { ...dnsEvent('2026-11-30T10:05:00Z'), firstObserved: -5, lastObserved: -5 };
    expect(aggregateSightings([match(IND_A, odd)], settings)).toEqual({ drafts: [], untimed: 1 });
    expect(() => aggregateSightings([], { ...settings, windowMs: 10 })).toThrow(/window: the window must be/);
    expect(() => parseWindow('an hour')).toThrow(/window: "an hour" is not a window width/);
  });

  it('keeps, for any matches, counts that add up, times inside their window and evidence under the cap', () => {
    const base = Date.parse('2026-11-30T00:00:00Z');
    const arbitraryMatch = fc.record({ indicator: fc.constantFrom(IND_A, IND_B), offset: fc.integer({ min: 0, max: 3 * 86_400_000 }), host: fc.integer({ min: 1, max: 20 }) });
    fc.assert(fc.property(fc.array(arbitraryMatch, { maxLength: 40 }), fc.constantFrom('15m', '1h', '1d'), fc.integer({ min: 0, max: 6 }), (raw, width, evidence) => {
      const windowMs = parseWindow(width);
      const matches = raw.map((r) => match(r.indicator, dnsEvent(new Date(base + r.offset).toISOString(), `10.0.1.${r.host}`)));
      const { drafts } = aggregateSightings(matches, { ...settings, windowMs, evidence });
      expect(drafts.reduce((n, d) => n + (d.sighting['count'] as number), 0)).toBe(matches.length);
      expect(new Set(drafts.map((d) => d.sighting['id'])).size).toBe(drafts.length);
      for (const d of drafts) {
        const first = Date.parse(d.sighting['first_seen'] as string);
        const last = Date.parse(d.sighting['last_seen'] as string);
        expect(first).toBeGreaterThanOrEqual(d.windowStart);
        expect(last).toBeLessThan(d.windowStart + windowMs);
        expect(first).toBeLessThanOrEqual(last);
        expect(d.observedData.length).toBeLessThanOrEqual(evidence);
      }
      const shuffled = aggregateSightings([...matches].reverse(), { ...settings, windowMs, evidence }).drafts;
      expect(shuffled.map((d) => [d.sighting['id'], d.sighting['count']])).toEqual(drafts.map((d) => [d.sighting['id'], d.sighting['count']]));
    }), { numRuns: 60 });
  });
});

describe('merging a sighting into its stored version', () => {
  const early = aggregateSightings([match(IND_A, dnsEvent('2026-11-30T10:20:00Z')), match(IND_A, dnsEvent('2026-11-30T10:21:00Z', '10.0.0.2'))], settings).drafts[0];
  const storedSighting: StixRecord = { ...(early?.sighting ?? {}), object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'] };

  it('adds the counts, widens first and last seen, and makes a later version of the same id', () => {
    const later = aggregateSightings([
      match(IND_A, dnsEvent('2026-11-30T10:05:00Z', '10.0.0.3')), match(IND_A, dnsEvent('2026-11-30T10:50:00Z', '10.0.0.4')),
    ], { ...settings, now: '2026-12-01T09:00:00.000Z' }).drafts[0];
    if (later === undefined) throw new Error('no draft');
    const merged = mergeSighting(storedSighting, later, { evidence: 3, now: '2026-12-01T09:00:00.000Z' });
    expect(merged.sighting).toMatchObject({
      id: storedSighting['id'], created: settings.now, modified: '2026-12-01T09:00:00.000Z', count: 4,
      first_seen: '2026-11-30T10:05:00.000Z', last_seen: '2026-11-30T10:50:00.000Z',
      object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
    });
    // Two stored pieces of evidence stay; one new one fills the cap of three.
    const refs = merged.sighting['observed_data_refs'] as string[];
    expect(refs.slice(0, 2)).toEqual(storedSighting['observed_data_refs']);
    expect(refs).toHaveLength(3);
    expect(merged.observedData.map((od) => od['id'])).toEqual([refs[2]]);
    for (const sco of merged.scos) expect((merged.observedData[0]?.['object_refs'] as string[])).toContain(sco['id']);
    expect(validateObject(merged.sighting).errors).toEqual([]);
  });

  it('moves modified past the stored version even when the clock says otherwise', () => {
    if (early === undefined) throw new Error('no draft');
    const merged = mergeSighting({ ...storedSighting, modified: '2026-12-01T08:00:00.000Z' }, early, { evidence: 5, now: '2026-12-01T07:00:00.000Z' });
    expect(merged.sighting['modified']).toBe('2026-12-01T08:00:00.001Z');
    expect(merged.observedData).toEqual([]);
  });

  it('refuses a stored object that is not the same sighting', () => {
    if (early === undefined) throw new Error('no draft');
    expect(() => mergeSighting({ ...storedSighting, id: 'sighting--00000000-0000-4000-8000-000000000000' }, early, settings)).toThrow(/the stored object is not this sighting/);
  });
});
