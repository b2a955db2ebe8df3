import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Agreement, Organisation, UserProfile } from '../../core/policy/types.js';
import { decisionsEntryOf } from '../../core/ledger/decision-tuples.js';
import { recordDecisions } from '../ledger-store.js';
import type { AgreementRecord, DecisionPage, DecisionQuery, DecisionRecord } from '../policy-store.js';
import { at, expectCode, newId, T0, type ContractContext } from './builders.js';

// ---------------------------------------------------------------------------------------------
// Builders with safe defaults; every optional field is set only where a test says so.

function organisation(code: string, over: Partial<Organisation> = {}): Organisation {
  return { id: newId('identity'), code, name: `${code} national CERT`, kind: 'nation', country: code, memberships: ['NATO'], sectors: ['government'], ...over };
}

function agreement(id: string, version: number, over: Partial<Agreement> = {}): Agreement {
  return {
    id, version, title: `Agreement ${id}`, purpose: 'Share indicators of compromise', status: 'active', parties: ['DEU', 'POL'], validFrom: T0,
    scope: { types: [], excludeTypes: ['report'], tags: [], sectors: ['energy'] },
    defaultCeiling: { tlp: 'green', classifications: [] },
    ceilings: { POL: { tlp: 'amber', pap: 'green', classifications: [{ policy: 'NATO', level: 'RESTRICTED' }] } },
    onward: { POL: ['NATO'] },
    obligations: [{ kind: 'acknowledge', withinHours: 24 }, { kind: 'attribute-source' }],
    redactions: [{ kind: 'strip-victim-identities' }, { kind: 'generalise-addresses', ipv4Prefix: 24, ipv6Prefix: 48 }],
    ...over,
  };
}

function saved(a: Agreement, over: Partial<AgreementRecord> = {}): AgreementRecord {
  return { agreement: a, source: `id: ${a.id}\nversion: ${a.version}\ntitle: "${a.title}"\n`, recordedAt: at(a.version), recordedBy: 'liaison-deu',
    change: a.version === 1 ? 'created' : `version ${a.version}`, ...over };
}

const RECIPIENTS = ['peer:POL', 'peer:DEU', 'user:ann'] as const;
const CHANNELS = ['taxii', 'rest', 'federation', 'export', 'sensor-export'] as const;
const OUTCOMES = ['allow', 'redact', 'deny'] as const;

/** Decision `n` of a varied log: recipients, channels, outcomes and agreements rotate at different rates. */
function decision(n: number, over: Partial<DecisionRecord> = {}): DecisionRecord {
  const recipient = RECIPIENTS[n % 3] as string;
  const peer = recipient.startsWith('peer:');
  return {
    at: at(n), recipient, channel: CHANNELS[n % 5] as DecisionRecord['channel'], objectId: `indicator--${n % 4}`, objectVersion: at(0),
    ...(peer ? { agreementId: n % 2 === 0 ? 'nato-cti' : 'deu-pol', agreementVersion: 1 + (n % 2) } : {}),
    outcome: OUTCOMES[Math.floor(n / 2) % 3] as DecisionRecord['outcome'],
    ...(n % 3 === 1 ? { reason: 'tlp-ceiling' } : {}),
    steps: [{ rule: 'label', outcome: 'pass', detail: `step of decision ${n}` }],
    ...over,
  };
}

/** What a query must return, by the port's own words: every filter, oldest first. */
function expected(log: ReadonlyArray<DecisionRecord & { seq: number }>, q: Omit<DecisionQuery, 'limit' | 'cursor'>): Array<DecisionRecord & { seq: number }> {
  return log.filter((d) => (q.recipient === undefined || d.recipient === q.recipient)
    && (q.objectId === undefined || d.objectId === q.objectId)
    && (q.agreementId === undefined || d.agreementId === q.agreementId)
    && (q.outcome === undefined || d.outcome === q.outcome)
    && (q.channel === undefined || d.channel === q.channel)
    && (q.since === undefined || d.at >= q.since)
    && (q.until === undefined || d.at < q.until));
}

/** Every page of a query, failing if the store loops or overfills a page. */
async function allDecisions(ctx: ContractContext, query: Omit<DecisionQuery, 'cursor'>): Promise<{ records: DecisionPage['records'][number][]; pages: number }> {
  const records: DecisionPage['records'][number][] = [];
  let cursor: string | undefined;
  for (let pages = 1; pages < 1000; pages += 1) {
    const page = await ctx.store.queryDecisions({ ...query, ...(cursor === undefined ? {} : { cursor }) });
    expect(page.records.length).toBeLessThanOrEqual(query.limit);
    records.push(...page.records);
    if (page.next === undefined) return { records, pages };
    cursor = page.next;
  }
  throw new Error('decision paging did not end');
}

/** Organisations, user profiles, agreement versions and the release decision log. */
export function policySections(ctx: ContractContext): void {
  describe('organisations and user profiles', () => {
    it('stores an organisation field for field, finds it by code or by id, and replaces it by id', async () => {
      const pol = organisation('POL', { memberships: ['NATO', 'EU'], sectors: [] });
      await ctx.store.putOrganisation(pol);
      expect(await ctx.store.getOrganisation('POL')).toEqual(pol);
      expect(await ctx.store.getOrganisation(pol.id)).toEqual(pol);
      expect(await ctx.store.getOrganisation('pol')).toBeUndefined();
      const renamed = { ...pol, code: 'PL-CERT', name: 'CERT Polska', kind: 'agency' as const, memberships: [], sectors: ['energy', 'finance'] };
      await ctx.store.putOrganisation(renamed);
      expect(await ctx.store.getOrganisation(pol.id)).toEqual(renamed);
      expect(await ctx.store.getOrganisation('POL')).toBeUndefined();
      expect(await ctx.store.listOrganisations()).toEqual([renamed]);
    });

    it('refuses a code already used by another organisation with ENTENTE_CONFLICT and changes nothing', async () => {
      const deu = organisation('DEU');
      const pol = organisation('POL');
      await ctx.store.putOrganisation(deu);
      await ctx.store.putOrganisation(pol);
      await expectCode(ctx.store.putOrganisation(organisation('DEU')), 'ENTENTE_CONFLICT');
      await expect(ctx.store.putOrganisation({ ...pol, code: 'DEU' })).rejects.toMatchObject({ code: 'ENTENTE_CONFLICT', message: expect.stringContaining('DEU') });
      expect(await ctx.store.listOrganisations()).toEqual([deu, pol]);
    });

    it('lists organisations in byte order of their code and deletes them by code', async () => {
      for (const code of ['POL', 'CERTA', 'DEU', 'CERT-EU', 'NATO']) await ctx.store.putOrganisation(organisation(code));
      expect((await ctx.store.listOrganisations()).map((o) => o.code)).toEqual(['CERT-EU', 'CERTA', 'DEU', 'NATO', 'POL']);
      expect(await ctx.store.deleteOrganisation('CERTA')).toBe(true);
      expect(await ctx.store.deleteOrganisation('CERTA')).toBe(false);
      expect(await ctx.store.getOrganisation('CERTA')).toBeUndefined();
      expect(await ctx.store.listOrganisations()).toHaveLength(4);
    });

    it('stores user profiles with and without an organisation and replaces them by name', async () => {
      const ann: UserProfile = { name: 'ann', nationality: 'DEU', clearances: [{ policy: 'NATO', level: 'SECRET' }, { policy: 'DEU', level: 'VS-NfD' }],
        caveats: ['CYBER'], roles: ['analyst'], organisation: 'BSI' };
      const bob: UserProfile = { name: 'bob', nationality: 'POL', clearances: [], caveats: [], roles: [] };
      await ctx.store.putUserProfile(ann);
      await ctx.store.putUserProfile(bob);
      expect(await ctx.store.getUserProfile('ann')).toEqual(ann);
      const bobBack = await ctx.store.getUserProfile('bob');
      expect(bobBack).toEqual(bob);
      expect(bobBack !== undefined && 'organisation' in bobBack).toBe(false);
      const annWithout: UserProfile = { name: ann.name, nationality: ann.nationality, clearances: ann.clearances, caveats: ann.caveats, roles: ann.roles };
      await ctx.store.putUserProfile({ ...annWithout, roles: ['analyst', 'liaison'] });
      expect(await ctx.store.getUserProfile('ann')).toEqual({ ...annWithout, roles: ['analyst', 'liaison'] });
      expect(await ctx.store.getUserProfile('zed')).toBeUndefined();
    });
  });

  describe('agreements', () => {
    it('records versions in sequence and reads the latest, a given one, or all of them oldest first', async () => {
      const v1 = saved(agreement('nato-cti', 1, { status: 'draft' }));
      const v2 = saved(agreement('nato-cti', 2, { validUntil: at(5000), handling: { encryptInTransit: 'must', permittedActions: 'internally-visible', expiresAt: at(9000) } }),
        { change: 'status draft -> active' });
      const v3 = saved(agreement('nato-cti', 3, { status: 'suspended', ceilings: {}, onward: {}, obligations: [], redactions: [] }));
      for (const record of [v1, v2, v3]) await ctx.store.saveAgreement(record);
      expect(await ctx.store.getAgreement('nato-cti')).toEqual(v3);
      expect(await ctx.store.getAgreement('nato-cti', 2)).toEqual(v2);
      const first = await ctx.store.getAgreement('nato-cti', 1);
      expect(first).toEqual(v1);
      expect(first !== undefined && ('validUntil' in first.agreement || 'handling' in first.agreement)).toBe(false);
      expect(await ctx.store.getAgreement('nato-cti', 4)).toBeUndefined();
      expect(await ctx.store.getAgreement('unknown')).toBeUndefined();
      expect(await ctx.store.listAgreementVersions('nato-cti')).toEqual([v1, v2, v3]);
      expect(await ctx.store.listAgreementVersions('unknown')).toEqual([]);
    });

    it('refuses a version out of sequence with ENTENTE_CONFLICT naming the agreement and versions, writing nothing', async () => {
      await expect(ctx.store.saveAgreement(saved(agreement('deu-pol', 2)))).rejects.toMatchObject({
        code: 'ENTENTE_CONFLICT', message: expect.stringMatching(/deu-pol.*version 2.*version 1/),
      });
      expect(await ctx.store.listAgreementVersions('deu-pol')).toEqual([]);
      const v1 = saved(agreement('deu-pol', 1));
      await ctx.store.saveAgreement(v1);
      for (const version of [1, 3, 0, 1.5]) {
        await expect(ctx.store.saveAgreement(saved(agreement('deu-pol', version, { title: 'Rewritten' })))).rejects.toMatchObject({
          code: 'ENTENTE_CONFLICT', message: expect.stringMatching(new RegExp(`deu-pol.*version ${version}\\b.*latest version is 1.*next must be 2`)),
        });
      }
      expect(await ctx.store.listAgreementVersions('deu-pol')).toEqual([v1]);
      expect(await ctx.store.getAgreement('deu-pol')).toEqual(v1);
    });

    it('lets exactly one of two concurrent saves of the same next version win', async () => {
      await ctx.store.saveAgreement(saved(agreement('nato-cti', 1)));
      const a = saved(agreement('nato-cti', 2, { title: 'From writer A' }));
      const b = saved(agreement('nato-cti', 2, { title: 'From writer B' }));
      const results = await Promise.allSettled([ctx.store.saveAgreement(a), ctx.store.saveAgreement(b)]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
      expect(won).toHaveLength(1);
      expect(lost).toEqual([expect.objectContaining({ code: 'ENTENTE_CONFLICT' })]);
      const winner = results[0]?.status === 'fulfilled' ? a : b;
      expect(await ctx.store.listAgreementVersions('nato-cti')).toHaveLength(2);
      expect(await ctx.store.getAgreement('nato-cti')).toEqual(winner);
    });

    it('lists the latest version of each agreement in byte order of the id', async () => {
      await ctx.store.saveAgreement(saved(agreement('nato-cti', 1)));
      await ctx.store.saveAgreement(saved(agreement('nato-cti', 2)));
      await ctx.store.saveAgreement(saved(agreement('deu-pol', 1)));
      await ctx.store.saveAgreement(saved(agreement('deu-fra', 1)));
      await ctx.store.saveAgreement(saved(agreement('deu-fra', 2)));
      await ctx.store.saveAgreement(saved(agreement('deu-fra', 3)));
      await ctx.store.saveAgreement(saved(agreement('Eu-Cert', 1)));
      const latest = await ctx.store.listAgreements();
      expect(latest.map((r) => [r.agreement.id, r.agreement.version])).toEqual([['Eu-Cert', 1], ['deu-fra', 3], ['deu-pol', 1], ['nato-cti', 2]]);
    });
  });

  describe('release decisions', () => {
    it('round-trips every field, optional ones absent or present, with increasing seq in batch order', async () => {
      const full = decision(1, { reason: 'tlp-ceiling', agreementId: 'nato-cti', agreementVersion: 3, outcome: 'deny', steps: [
        { rule: 'tlp', outcome: 'fail', detail: 'AMBER+STRICT above the ceiling AMBER' }, { rule: 'pap', outcome: 'skip', detail: '' }] });
      const bare: DecisionRecord = { at: at(2), recipient: 'user:bob', channel: 'rest', objectId: 'malware--1', objectVersion: at(1), outcome: 'allow', steps: [] };
      await ctx.store.appendDecisions([full, bare]);
      await ctx.store.appendDecisions([]);
      await ctx.store.appendDecisions([decision(3)]);
      const page = await ctx.store.queryDecisions({ limit: 10 });
      expect(page.next).toBeUndefined();
      expect(page.records.map(({ seq: _seq, ...rest }) => rest)).toEqual([full, bare, decision(3)]);
      const stored = page.records[1];
      expect(stored !== undefined && ['agreementId', 'agreementVersion', 'reason'].some((k) => k in stored)).toBe(false);
      const seqs = page.records.map((r) => r.seq);
      expect(seqs.every((s, i) => Number.isSafeInteger(s) && (i === 0 || s > (seqs[i - 1] as number)))).toBe(true);
    });

    it('appends a page-sized batch in order, text with tabs, newlines, backslashes and quotes intact', async () => {
      const awkward = 'tab\there\nnew line \\N back\\slash "quoted" \r \u00e9\u4e2d';
      const batch = Array.from({ length: 2500 }, (_, n) => decision(n, n % 7 === 0
        ? { reason: awkward, steps: [{ rule: 'redaction', outcome: 'redact', detail: awkward }], objectId: `note--${n}` }
        : {}));
      await ctx.store.appendDecisions(batch);
      const { records } = await allDecisions(ctx, { limit: 1000 });
      expect(records.map(({ seq: _seq, ...rest }) => rest)).toEqual(batch);
      await expect(ctx.store.appendDecisions([...batch.slice(0, 1500), { ...decision(1), outcome: 'allowed' } as unknown as DecisionRecord, ...batch.slice(0, 500)]))
        .rejects.toMatchObject({ code: 'ENTENTE_INVALID_PARAMETER', message: expect.stringContaining('records[1500].outcome') });
      expect((await allDecisions(ctx, { limit: 1000 })).records).toHaveLength(2500);
    });

    it('applies each filter alone, and several together, oldest first', async () => {
      await ctx.store.appendDecisions(Array.from({ length: 30 }, (_, n) => decision(n)));
      const log = (await ctx.store.queryDecisions({ limit: 100 })).records;
      expect(log).toHaveLength(30);
      const filters: Array<Omit<DecisionQuery, 'limit'>> = [
        { recipient: 'peer:POL' }, { objectId: 'indicator--2' }, { agreementId: 'deu-pol' }, { outcome: 'deny' }, { outcome: 'redact' },
        { channel: 'federation' }, { since: at(20) }, { until: at(7) }, { since: at(3), until: at(9) },
        { recipient: 'peer:DEU', outcome: 'allow' }, { agreementId: 'nato-cti', channel: 'taxii', since: at(4) },
        { recipient: 'user:ann', objectId: 'indicator--0', until: at(25) },
        // Users receive no agreement: a combination that matches nothing.
        { recipient: 'user:ann', agreementId: 'nato-cti' },
      ];
      for (const filter of filters) {
        const want = expected(log, filter);
        const got = (await ctx.store.queryDecisions({ ...filter, limit: 100 })).records;
        expect({ filter, seqs: got.map((r) => r.seq) }).toEqual({ filter, seqs: want.map((r) => r.seq) });
        // Each single filter must actually select: neither nothing nor everything.
        if (Object.keys(filter).length === 1) expect(want.length > 0 && want.length < log.length).toBe(true);
      }
    });

    it('pages through the log with no duplicate and no gap, with or without filters, for any page size', async () => {
      await ctx.store.appendDecisions(Array.from({ length: 17 }, (_, n) => decision(n)));
      await ctx.store.appendDecisions(Array.from({ length: 8 }, (_, n) => decision(17 + n)));
      const log = (await ctx.store.queryDecisions({ limit: 1000 })).records;
      const paged = await allDecisions(ctx, { limit: 4 });
      expect(paged.pages).toBe(7);
      expect(paged.records).toEqual(log);
      const filterArb = fc.record({
        recipient: fc.constantFrom(...RECIPIENTS), outcome: fc.constantFrom(...OUTCOMES), channel: fc.constantFrom(...CHANNELS),
        since: fc.integer({ min: 0, max: 26 }).map(at),
      }, { requiredKeys: [] });
      await fc.assert(fc.asyncProperty(filterArb, fc.integer({ min: 1, max: 6 }), async (filter, limit) => {
        const { records } = await allDecisions(ctx, { ...filter, limit });
        expect(records).toEqual(expected(log, filter));
      }), { numRuns: 40 });
    });

    it('answers every filter alike whether a page is kept by reference to its ledger leaf or alone', async () => {
      // Pages of 7 decisions sharing time, recipient and channel; ids that JSON escapes, two
      // agreements on one page. Even pages go with a decisions-v2 leaf, odd ones alone.
      const ids = ['indicator--0', 'indicator--1', 'note--"quoted"', 'note--back\\slash', 'note--é', 'indicator--10'];
      const pages = Array.from({ length: 12 }, (_, p) => Array.from({ length: 7 }, (_, i): DecisionRecord => {
        const n = p * 7 + i;
        const recipient = RECIPIENTS[p % 3] as string;
        return {
          at: at(p), recipient, channel: CHANNELS[p % 5] as DecisionRecord['channel'], objectId: ids[n % ids.length] as string, objectVersion: at(n % 4),
          ...(recipient.startsWith('peer:') && n % 4 !== 3 ? { agreementId: n % 3 === 0 ? 'nato-cti' : 'deu-pol', agreementVersion: 1 + (n % 2) } : {}),
          outcome: OUTCOMES[n % 3] as DecisionRecord['outcome'], ...(n % 3 === 2 ? { reason: n % 2 === 0 ? 'tlp-ceiling' : 'no-agreement' } : {}),
          steps: [{ rule: 'label', outcome: 'pass', detail: `explanation ${n % 4}` }],
        };
      }));
      for (const [p, page] of pages.entries()) {
        const head = page[0] as DecisionRecord;
        if (p % 2 === 0) await recordDecisions(ctx.store, page, [decisionsEntryOf(head.at, head.recipient, head.channel, page)]);
        else await ctx.store.appendDecisions(page);
      }
      expect((await ctx.store.getLedgerState()).size).toBe(6);
      const log = (await ctx.store.queryDecisions({ limit: 1000 })).records;
      expect(log.map(({ seq: _seq, ...rest }) => rest)).toEqual(pages.flat());
      const filters: Array<Omit<DecisionQuery, 'limit'>> = [
        {}, { recipient: 'peer:POL' }, { objectId: 'note--"quoted"' }, { objectId: 'note--back\\slash' }, { objectId: 'note--é' }, { objectId: 'indicator--1' },
        { agreementId: 'deu-pol' }, { agreementId: 'nato-cti', outcome: 'deny' }, { outcome: 'redact' }, { channel: 'taxii' }, { since: at(3), until: at(8) },
        { recipient: 'peer:DEU', objectId: 'indicator--0', outcome: 'allow' },
      ];
      for (const filter of filters) {
        for (const limit of [1000, 3]) {
          const { records } = await allDecisions(ctx, { ...filter, limit });
          expect({ filter, records }).toEqual({ filter, records: expected(log, filter) });
        }
        if (filter.objectId !== undefined) expect(expected(log, filter).length).toBeGreaterThan(0);
      }
    });

    it('refuses a cursor it did not issue with ENTENTE_INVALID_PARAMETER', async () => {
      await ctx.store.saveStatus({ id: 's1', status: 'complete', requestTimestamp: T0, totalCount: 0, successCount: 0, successes: [], failureCount: 0,
        failures: [], pendingCount: 0, pendings: [], owner: 'ann', collectionId: 'coll-a' });
      await ctx.store.saveStatus({ id: 's2', status: 'complete', requestTimestamp: T0, totalCount: 0, successCount: 0, successes: [], failureCount: 0,
        failures: [], pendingCount: 0, pendings: [], owner: 'ann', collectionId: 'coll-a' });
      const statusCursor = (await ctx.store.listStatuses({ limit: 1 })).next;
      expect(statusCursor).toBeDefined();
      for (const cursor of ['not-a-cursor', '', 'eyJ4IjoxfQ', statusCursor as string]) {
        await expectCode(ctx.store.queryDecisions({ limit: 5, cursor }), 'ENTENTE_INVALID_PARAMETER');
      }
    });

    it('refuses a since or until that is not a timestamp, naming the field', async () => {
      await expect(ctx.store.queryDecisions({ limit: 5, since: 'yesterday' })).rejects.toMatchObject({ code: 'ENTENTE_INVALID_PARAMETER', message: expect.stringContaining('since') });
      await expect(ctx.store.queryDecisions({ limit: 5, until: '2024-13' })).rejects.toMatchObject({ code: 'ENTENTE_INVALID_PARAMETER', message: expect.stringContaining('until') });
    });

    it('writes no decision of a batch when one record is refused, and names the record', async () => {
      await ctx.store.appendDecisions([decision(0)]);
      const badOutcome = { ...decision(2), outcome: 'maybe' } as unknown as DecisionRecord;
      const badChannel = { ...decision(3), channel: 'carrier-pigeon' } as unknown as DecisionRecord;
      const batch = (bad: DecisionRecord) => [decision(1), decision(2), bad, decision(4)];
      await expect(ctx.store.appendDecisions(batch(badOutcome))).rejects.toMatchObject({
        code: 'ENTENTE_INVALID_PARAMETER', message: expect.stringContaining('records[2].outcome'),
      });
      await expect(ctx.store.appendDecisions(batch(badChannel))).rejects.toMatchObject({
        code: 'ENTENTE_INVALID_PARAMETER', message: expect.stringContaining('records[2].channel'),
      });
      await expect(ctx.store.appendDecisions(batch(decision(3, { at: 'now' })))).rejects.toMatchObject({
        code: 'ENTENTE_INVALID_PARAMETER', message: expect.stringContaining('records[2].at'),
      });
      expect((await ctx.store.queryDecisions({ limit: 100 })).records.map((r) => r.objectId)).toEqual([decision(0).objectId]);
      await ctx.store.appendDecisions(batch(decision(3)));
      const after = (await ctx.store.queryDecisions({ limit: 100 })).records;
      expect(after.map(({ seq: _seq, ...rest }) => rest)).toEqual([0, 1, 2, 3, 4].map((n) => decision(n)));
    });
  });
}
