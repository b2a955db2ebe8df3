import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../stix/canonical-json.js';
import { decisionItemsOf, decisionsEntryOf, recordsExactly } from './decision-tuples.js';
import { encodeEntry, entryLeafHash, readLedgerEntry, type DecisionItem, type LedgerEntry } from './entries.js';
import { toHex } from './hashing.js';
import { MemoryTree } from './merkle-tree.js';
import { checkProofDocument, proofDocumentJson, readProofDocument } from './proof-document.js';
import { inclusionProof } from './proofs.js';
import { problems } from './testing/problems.js';


const V = '2026-02-28T09:00:00.000Z';
const AT = '2026-03-01T10:00:05.000Z';
const item = (objectId: string, rest: Partial<DecisionItem> = {}): DecisionItem => ({ objectId, objectVersion: V, outcome: 'allow', agreementId: 'deu-pol', agreementVersion: 1, ...rest });
const PAGE: DecisionItem[] = [
  item('indicator--1'),
  { objectId: 'report--2', objectVersion: V, outcome: 'deny', reason: 'tlp-ceiling' },
  item('indicator--3', { outcome: 'redact', agreementId: 'nato-cti', agreementVersion: 3 }),
  item('indicator--4', { outcome: 'deny', reason: 'no-onward-release' }),
  item('indicator--5'),
];

/** Decision items as the release decision makes them: an agreement with both its id and version, or none. */
const text = fc.string({ unit: 'binary', minLength: 1 });
const timestamp = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString());
const decided = fc.record({
  objectId: text, objectVersion: timestamp, outcome: fc.constantFrom('allow' as const, 'redact' as const, 'deny' as const),
  agreement: fc.option(fc.tuple(fc.constantFrom('deu-pol', 'nato-cti', 'ü-agreement'), fc.nat({ max: 3 })), { nil: undefined }),
  reason: fc.option(text, { nil: undefined }),
}).map(({ agreement, reason, ...d }): DecisionItem => ({
  ...d, ...(agreement === undefined ? {} : { agreementId: agreement[0], agreementVersion: agreement[1] }), ...(reason === undefined ? {} : { reason }),
}));

describe('decisions-v2 ledger entries', () => {
  it('list the agreements once and each decision as a tuple naming one by its place', () => {
    const entry = decisionsEntryOf(AT, 'peer:POL', 'taxii', PAGE);
    expect(encodeEntry(entry)).toBe('{"agreements":[["deu-pol",1],["nato-cti",3]],"at":"2026-03-01T10:00:05.000Z","channel":"taxii","decisions":['
      + '["indicator--1","2026-02-28T09:00:00.000Z","allow",0],["report--2","2026-02-28T09:00:00.000Z","deny",null,"tlp-ceiling"],'
      + '["indicator--3","2026-02-28T09:00:00.000Z","redact",1],["indicator--4","2026-02-28T09:00:00.000Z","deny",0,"no-onward-release"],'
      + '["indicator--5","2026-02-28T09:00:00.000Z","allow",0]],"kind":"decisions-v2","recipient":"peer:POL"}');
    expect(decisionItemsOf(entry)).toEqual(PAGE);
  });

  it('are about half the bytes of the original form for a page of 100 decisions', () => {
    const page = Array.from({ length: 100 }, (_, i) => item(`indicator--${String(i).padStart(8, '0')}-17d4-4cbf-938f-98ee46b3cd3f`));
    const compact = encodeEntry(decisionsEntryOf(AT, 'peer:POL', 'taxii', page)).length;
    const original = encodeEntry({ kind: 'decisions', at: AT, recipient: 'peer:POL', channel: 'taxii', decisions: page }).length;
    expect(compact).toBeLessThan(original * 0.55);
  });

  it('fall back to the original form when an item names an agreement id without its version, or the reverse', () => {
    const odd = [item('indicator--1'), { objectId: 'indicator--2', objectVersion: V, outcome: 'allow' as const, agreementId: 'deu-pol' }];
    const entry = decisionsEntryOf(AT, 'peer:POL', 'taxii', odd);
    expect(entry).toEqual({ kind: 'decisions', at: AT, recipient: 'peer:POL', channel: 'taxii', decisions: odd });
    expect(decisionsEntryOf(AT, 'peer:POL', 'taxii', [{ objectId: 'x', objectVersion: V, outcome: 'allow', agreementVersion: 2 }]).kind).toBe('decisions');
  });

  it('keep every decision and pass their own validation, whatever the page decided', () => {
    fc.assert(fc.property(fc.array(decided, { minLength: 1, maxLength: 12 }), (items) => {
      const entry = decisionsEntryOf(AT, 'user:ann', 'rest', items);
      expect(entry.kind).toBe('decisions-v2');
      expect(decisionItemsOf(entry)).toEqual(items);
      const read = readLedgerEntry(JSON.parse(encodeEntry(entry)));
      expect(encodeEntry(read)).toBe(encodeEntry(entry));
    }), { numRuns: 300 });
  });

  it('say they record a page exactly only when every stamp and every field of every decision agrees', () => {
    const stamp = { at: AT, recipient: 'peer:POL', channel: 'taxii' };
    const changes: ReadonlyArray<(d: DecisionItem & typeof stamp) => DecisionItem & typeof stamp> = [
      (d) => ({ ...d, at: '2026-03-01T10:00:05Z' }), (d) => ({ ...d, recipient: 'peer:FRA' }), (d) => ({ ...d, channel: 'rest' }),
      (d) => ({ ...d, objectId: `${d.objectId}x` }), (d) => ({ ...d, objectVersion: V === d.objectVersion ? AT : V }),
      (d) => ({ ...d, outcome: d.outcome === 'allow' ? 'deny' : 'allow' }), (d) => ({ ...d, reason: `${d.reason ?? ''}x` }),
      ({ reason: _r, ...d }) => d, ({ agreementId: _a, agreementVersion: _v, ...d }) => d,
      (d) => ({ ...d, agreementId: 'other', agreementVersion: d.agreementVersion ?? 0 }), (d) => ({ ...d, agreementId: d.agreementId ?? 'x', agreementVersion: (d.agreementVersion ?? 0) + 1 }),
    ];
    fc.assert(fc.property(fc.array(decided, { minLength: 1, maxLength: 8 }), fc.nat(), fc.nat(), (items, which, how) => {
      const records = items.map((d) => ({ ...d, ...stamp }));
      const entry = decisionsEntryOf(AT, 'peer:POL', 'taxii', items);
      if (entry.kind !== 'decisions-v2') throw new Error('expected the compact form');
      expect(recordsExactly(entry, records)).toBe(true);
      const i = which % records.length;
      const changed = (changes[how % changes.length] as (typeof changes)[number])(records[i] as (typeof records)[number]);
      fc.pre(JSON.stringify(changed) !== JSON.stringify(records[i]));
      expect(recordsExactly(entry, records.map((r, n) => (n === i ? changed : r)))).toBe(false);
      expect(recordsExactly(entry, records.slice(1))).toBe(false);
    }), { numRuns: 300 });
  });

  it('encode exactly as the generic RFC 8785 encoder does, whatever they hold', () => {
    const text = fc.string({ unit: 'binary' });
    const scalar = fc.oneof(text, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null));
    const tuple = fc.oneof(fc.array(scalar, { maxLength: 6 }), fc.tuple(text, text, fc.constantFrom('allow', 'deny'), fc.nat()));
    // Lists holding nested values, undefined or holes, and entries with keys the type does not know, still encode canonically.
    const odd = fc.oneof(fc.jsonValue(), fc.array(fc.oneof(scalar, fc.constant(undefined), fc.jsonValue()), { maxLength: 4 }), fc.sparseArray(scalar, { maxLength: 4 }));
    const list = (of: fc.Arbitrary<unknown>) => fc.array(fc.oneof(of, of, of, odd), { maxLength: 8 });
    const entry = fc.record({ kind: fc.constant('decisions-v2'), at: text, recipient: text, channel: text, agreements: list(fc.tuple(text, fc.nat())), decisions: list(tuple) });
    fc.assert(fc.property(entry, fc.option(fc.jsonValue(), { nil: undefined }), (e, extra) => {
      const withExtra = extra === undefined ? e : { ...e, note: extra };
      const expected = (() => {
        try {
          return canonicalJson(withExtra);
        } catch (error) {
          return error;
        }
      })();
      if (expected instanceof Error) expect(() => encodeEntry(withExtra as unknown as LedgerEntry)).toThrow(expected.message);
      else expect(encodeEntry(withExtra as unknown as LedgerEntry)).toBe(expected);
    }), { numRuns: 1000 });
  });

  it('report a malformed entry with the JSON path of each problem', () => {
    const good = JSON.parse(encodeEntry(decisionsEntryOf(AT, 'peer:POL', 'taxii', PAGE))) as Record<string, unknown>;
    expect(readLedgerEntry(good)).toBe(good);
    const at = (path: string, message: string) => ({ path, message });
    expect(problems(() => readLedgerEntry({ ...good, agreements: [['deu-pol', 1], ['nato-cti', -3], ['deu-pol', 1], 'x'] }, '$.entries[4]'))).toEqual([
      at('$.entries[4].agreements[1][1]', 'must be a whole number >= 0'),
      at('$.entries[4].agreements[2]', 'repeats $.entries[4].agreements[0]'),
      at('$.entries[4].agreements[3]', 'must be [agreementId, agreementVersion]'),
    ]);
    const decisions = [
      ['indicator--1', V, 'allow', 0],
      ['indicator--2', 'yesterday', 'allow', 0],
      ['indicator--3', V, 'maybe'],
      ['indicator--4', V, 'allow', 2],
      ['indicator--5', V, 'allow', null],
      ['indicator--6', V, 'deny', null, ''],
      ['', V, 'allow'],
      ['indicator--8', V],
      { objectId: 'indicator--9' },
    ];
    expect(problems(() => readLedgerEntry({ ...good, decisions }))).toEqual([
      at('$.decisions[1][1]', 'must be a timestamp such as 2026-01-31T12:00:00.000Z'),
      at('$.decisions[2][2]', 'must be one of allow, redact, deny'),
      at('$.decisions[3][3]', 'must be null or the place of an agreement in agreements (0 to 1)'),
      at('$.decisions[4][3]', 'must be the place of an agreement in agreements (a decision without one ends after its outcome)'),
      at('$.decisions[5][4]', 'must be a non-empty string'),
      at('$.decisions[6][0]', 'must be a non-empty string'),
      at('$.decisions[7]', 'must be [objectId, objectVersion, outcome, agreement?, reason?]'),
      at('$.decisions[8]', 'must be [objectId, objectVersion, outcome, agreement?, reason?]'),
    ]);
    // One form per set of decisions: agreements in the order first named, each named.
    expect(problems(() => readLedgerEntry({ ...good, decisions: [['indicator--1', V, 'allow', 1], ['indicator--2', V, 'allow', 0]] }))).toEqual([
      at('$.decisions[0][3]', 'must be at most 0: agreements are listed in the order the decisions first name them'),
    ]);
    expect(problems(() => readLedgerEntry({ ...good, decisions: [['indicator--1', V, 'allow', 0]] }))).toEqual([at('$.agreements[1]', 'is named by no decision')]);
    expect(problems(() => readLedgerEntry({ ...good, agreements: [], decisions: [['indicator--1', V, 'allow', 0]] }))).toEqual([at('$.decisions[0][3]', 'must be null: agreements is empty')]);
    const { agreements: _a, ...missing } = good;
    expect(problems(() => readLedgerEntry({ ...missing, decisions: [], colour: 'red' }))).toEqual([
      at('$.colour', 'is not a property of a decisions-v2 entry'),
      at('$.agreements', 'is required'),
      at('$.decisions', 'must be a non-empty list of decisions'),
    ]);
  });

  it('leave entries of the original form verifying with the leaf hash they were written with', () => {
    const original: LedgerEntry = {
      kind: 'decisions', at: '2026-03-01T10:00:05Z', recipient: 'peer:POL', channel: 'taxii', decisions: [
        { objectId: 'indicator--1', objectVersion: '2026-01-01T00:00:00Z', outcome: 'allow', agreementId: 'nato-cti', agreementVersion: 1 },
        { objectId: 'report--1', objectVersion: '2026-01-01T00:00:00Z', outcome: 'deny', reason: 'tlp-ceiling' },
      ],
    };
    // Known answer: the leaf hash of this entry as nodes have always written it.
    expect(toHex(entryLeafHash(original))).toBe('37ed02dfbe6a4fe38a6b2b537f87c27f57549422baf8961fd900042ae0d14834');
    expect(readLedgerEntry(JSON.parse(encodeEntry(original)))).toEqual(original);
    const compact = decisionsEntryOf(original.at, original.recipient, original.channel, original.decisions);
    expect(decisionItemsOf(compact)).toEqual(original.decisions);
    // A log holding both forms: each entry's proof holds with the entry itself.
    const entries = [original, compact];
    const tree = MemoryTree.of(entries.map(entryLeafHash));
    entries.forEach((entry, index) => {
      const doc = proofDocumentJson({ type: 'inclusion', treeSize: 2, rootHash: tree.root(), leafIndex: index, leafHash: tree.leaf(index), path: inclusionProof(tree, index), entry });
      expect(checkProofDocument(readProofDocument(JSON.parse(JSON.stringify(doc))))).toEqual({ holds: true });
    });
  });
});
