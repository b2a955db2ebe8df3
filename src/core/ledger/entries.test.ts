import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../stix/canonical-json.js';
import { encodeEntry, entryLeafHash, readLedgerEntry, type LedgerEntry } from './entries.js';
import { leafHash, toHex } from './hashing.js';
import { MemoryTree } from './merkle-tree.js';
import { inclusionProof } from './proofs.js';
import { checkProofDocument, proofDocumentJson, readProofDocument } from './proof-document.js';
import { problems } from './testing/problems.js';

const release: LedgerEntry = {
  kind: 'release', at: '2026-03-01T10:00:00.000Z', recipient: 'peer:POL', objectId: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  objectVersion: '2026-02-28T09:00:00.000Z', outcome: 'redact', agreementId: 'deu-pol-energy', agreementVersion: 2,
};


describe('ledger entries', () => {
  it('hash the RFC 8785 canonical JSON, so key order does not change an entry identity', () => {
    expect(encodeEntry(release)).toBe('{"agreementId":"deu-pol-energy","agreementVersion":2,"at":"2026-03-01T10:00:00.000Z","kind":"release",'
      + '"objectId":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","objectVersion":"2026-02-28T09:00:00.000Z","outcome":"redact","recipient":"peer:POL"}');
    const reordered = Object.fromEntries(Object.entries(release).reverse()) as LedgerEntry;
    expect(toHex(entryLeafHash(reordered))).toBe(toHex(entryLeafHash(release)));
    expect(toHex(entryLeafHash(release))).toBe(toHex(leafHash(Buffer.from(encodeEntry(release)))));
    expect(toHex(entryLeafHash({ ...release, outcome: 'allow' }))).not.toBe(toHex(entryLeafHash(release)));
  });

  it('encodes a decisions entry exactly as the generic RFC 8785 encoder does, whatever its items hold', () => {
    const text = fc.string({ unit: 'binary' });
    const item = fc.record({
      objectId: text, objectVersion: text, outcome: fc.constantFrom('allow', 'redact', 'deny'),
      agreementId: fc.option(text, { nil: undefined }), agreementVersion: fc.option(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })), { nil: undefined }),
      reason: fc.option(text, { nil: undefined }),
    }, { requiredKeys: ['objectId', 'objectVersion', 'outcome'] });
    // Items with a key the type does not know, or a nested value, still encode canonically.
    const odd = fc.oneof(item, fc.record({ objectId: text, extra: fc.jsonValue() }), fc.record({ objectId: fc.array(text), outcome: text }));
    const entry = fc.record({ kind: fc.constant('decisions'), at: text, recipient: text, channel: text, decisions: fc.array(fc.oneof(item, item, odd), { maxLength: 8 }) });
    fc.assert(fc.property(entry, fc.option(fc.jsonValue(), { nil: undefined }), (e, extra) => {
      const withExtra = extra === undefined ? e : { ...e, note: extra };
      expect(encodeEntry(withExtra as unknown as LedgerEntry)).toBe(canonicalJson(withExtra));
    }), { numRuns: 500 });
  });

  it('accepts each kind with its fields', () => {
    const entries: LedgerEntry[] = [
      release,
      { kind: 'denial', at: '2026-03-01T10:00:00Z', recipient: 'user:ann', objectId: 'report--1', objectVersion: '2026-01-01T00:00:00Z', reason: 'tlp-ceiling' },
      { kind: 'receipt', at: '2026-03-01T10:00:01Z', direction: 'received', peer: 'POL', envelopeId: 'env-1', contentHash: 'ab'.repeat(32) },
      { kind: 'agreement-change', at: '2026-03-01T10:00:02Z', agreementId: 'nato-cti', version: 3, change: 'status draft -> active', recordedBy: 'liaison' },
      { kind: 'key-event', at: '2026-03-01T10:00:03Z', event: 'rotated', keyId: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs', use: 'sign', owner: 'DEU' },
      { kind: 'checkpoint-witness', at: '2026-03-01T10:00:04Z', origin: 'entente.example/pol', treeSize: 42, rootHash: 'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=', peer: 'POL' },
      {
        kind: 'decisions', at: '2026-03-01T10:00:05Z', recipient: 'peer:POL', channel: 'taxii', decisions: [
          { objectId: 'indicator--1', objectVersion: '2026-01-01T00:00:00Z', outcome: 'allow', agreementId: 'nato-cti', agreementVersion: 1 },
          { objectId: 'report--1', objectVersion: '2026-01-01T00:00:00Z', outcome: 'deny', reason: 'tlp-ceiling' },
        ],
      },
    ];
    for (const entry of entries) expect(readLedgerEntry(entry)).toBe(entry);
  });

  it('reports every problem of a bad entry with its JSON path', () => {
    expect(problems(() => readLedgerEntry({ kind: 'release', at: 'yesterday', recipient: '', objectVersion: '2026-01-01T00:00:00Z', outcome: 'maybe', colour: 'red' }, '$.entries[2]'))).toEqual([
      { path: '$.entries[2].at', message: 'must be a timestamp such as 2026-01-31T12:00:00.000Z' },
      { path: '$.entries[2].recipient', message: 'must be a non-empty string' },
      { path: '$.entries[2].objectId', message: 'is required' },
      { path: '$.entries[2].outcome', message: 'must be one of allow, redact' },
      { path: '$.entries[2].colour', message: 'is not a property of a release entry' },
    ]);
    expect(problems(() => readLedgerEntry({ kind: 'gossip' }))).toEqual([{ path: '$.kind', message: expect.stringMatching(/^must be one of release, denial/) }]);
    expect(problems(() => readLedgerEntry([]))).toEqual([{ path: '$', message: 'must be an object' }]);
    expect(problems(() => readLedgerEntry({ ...release, agreementVersion: -1 }))).toEqual([{ path: '$.agreementVersion', message: 'must be a whole number >= 0' }]);
    const batch = { kind: 'decisions', at: '2026-03-01T10:00:05Z', recipient: 'peer:POL', channel: 'taxii' };
    expect(problems(() => readLedgerEntry({ ...batch, decisions: [] }))).toEqual([{ path: '$.decisions', message: 'must be a non-empty list of decisions' }]);
    expect(problems(() => readLedgerEntry({ ...batch, decisions: [{ objectId: 'x', objectVersion: '2026-01-01T00:00:00Z', outcome: 'perhaps' }] }))).toEqual([
      { path: '$.decisions', message: '[0].outcome must be one of allow, redact, deny' },
    ]);
    expect(problems(() => readLedgerEntry({ ...batch, decisions: [{ objectId: 'x', objectVersion: '2026-01-01T00:00:00Z', outcome: 'deny', colour: 'red' }] }))).toEqual([
      { path: '$.decisions', message: '[0].colour is not a property of a decision' },
    ]);
  });
});

describe('proof documents', () => {
  const entries = Array.from({ length: 11 }, (_, i): LedgerEntry => ({ ...release, at: `2026-03-01T10:00:${String(i).padStart(2, '0')}.000Z` }));
  const tree = MemoryTree.of(entries.map(entryLeafHash));
  const inclusion = (index: number) => ({
    type: 'inclusion' as const, treeSize: 11, rootHash: tree.root(), leafIndex: index, leafHash: tree.leaf(index), path: inclusionProof(tree, index),
  });

  it('round-trips an inclusion proof through its JSON form and holds, with the leaf given by hash or by entry', () => {
    const json = proofDocumentJson({ ...inclusion(6), entry: entries[6] });
    expect(json).toMatchObject({ type: 'inclusion', treeSize: 11, leafIndex: 6, rootHash: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/) });
    expect(checkProofDocument(readProofDocument(JSON.parse(JSON.stringify(json))))).toEqual({ holds: true });
    const byEntry = Object.fromEntries(Object.entries(json).filter(([key]) => key !== 'leafHash'));
    expect(checkProofDocument(readProofDocument(byEntry))).toEqual({ holds: true });
    const hex = { ...json, rootHash: toHex(tree.root()), path: inclusionProof(tree, 6).map(toHex), entry: undefined };
    expect(checkProofDocument(readProofDocument(JSON.parse(JSON.stringify(hex))))).toEqual({ holds: true });
  });

  it('does not hold when the entry does not hash to the leaf or the leaf is elsewhere', () => {
    expect(checkProofDocument(readProofDocument(proofDocumentJson({ ...inclusion(6), entry: entries[5] })))).toEqual({ holds: false, reason: 'the entry does not hash to leafHash' });
    expect(checkProofDocument(readProofDocument({ ...proofDocumentJson(inclusion(6)), leafIndex: 7 })).holds).toBe(false);
  });

  it('reports malformed documents with the JSON path of each problem', () => {
    const good = proofDocumentJson(inclusion(2)) as Record<string, unknown>;
    expect(problems(() => readProofDocument({ ...good, treeSize: '11', path: ['zz', ...(good['path'] as string[]).slice(1)], extra: 1 }))).toEqual([
      { path: '$.extra', message: expect.stringMatching(/^is not a field of an inclusion proof/) },
      { path: '$.treeSize', message: 'must be a whole number >= 0' },
      { path: '$.path[0]', message: 'must be a 32-byte hash in hex (64 characters) or base64 (44 characters)' },
    ]);
    expect(problems(() => readProofDocument({ type: 'audit' }))).toEqual([{ path: '$.type', message: 'must be "inclusion" or "consistency"' }]);
    expect(problems(() => readProofDocument({ type: 'consistency', size1: 1, size2: 2, root1: toHex(tree.root()), path: [] }))).toEqual([{ path: '$.root2', message: 'is required' }]);
    expect(problems(() => readProofDocument({ ...good, checkpoint: 'not a note' }))).toEqual([{ path: '$.checkpoint', message: expect.stringMatching(/Malformed signed note/) }]);
  });

  it('never accepts a document whose hashes are not exactly 32 bytes', () => {
    fc.assert(fc.property(fc.string(), (text) => {
      fc.pre(!/^[0-9a-fA-F]{64}$/.test(text) && !/^[A-Za-z0-9+/]{43}=$/.test(text));
      expect(() => readProofDocument({ ...proofDocumentJson(inclusion(0)), rootHash: text })).toThrow(/\$\.rootHash/);
    }));
  });
});
