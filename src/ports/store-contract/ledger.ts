import { describe, expect, it } from 'vitest';
import { CompactTree, type TreeState } from '../../core/ledger/compact-tree.js';
import { entryLeafHash, encodeEntry, type LedgerEntry } from '../../core/ledger/entries.js';
import { leafHash, toHex } from '../../core/ledger/hashing.js';
import { merkleRoot } from '../../core/ledger/merkle-tree.js';
import type { LedgerLeaf } from '../ledger-store.js';
import type { DecisionRecord } from '../policy-store.js';
import { at, expectCode, type ContractContext } from './builders.js';

/** Entry `n`: a release to a rotating peer, distinct by its time. */
function entry(n: number): LedgerEntry {
  return { kind: 'release', at: at(n), recipient: ['peer:POL', 'peer:FRA', 'peer:NLD'][n % 3] as string, objectId: `indicator--${n}`, objectVersion: at(0), outcome: 'allow' };
}
const leaf = (n: number): LedgerLeaf => ({ leafHash: entryLeafHash(entry(n)), entry: encodeEntry(entry(n)) });
const leaves = (from: number, to: number): LedgerLeaf[] => Array.from({ length: to - from }, (_, i) => leaf(from + i));

/** The advance every real appender passes: the incremental tree over the new leaf hashes. */
const grow = (batch: ReadonlyArray<LedgerLeaf>) => (state: TreeState): TreeState => {
  const tree = new CompactTree(state);
  for (const l of batch) tree.append(l.leafHash);
  return tree.state();
};
const append = (ctx: ContractContext, batch: ReadonlyArray<LedgerLeaf>) => ctx.store.appendLedger(batch, grow(batch));

const hex = (bytes: Uint8Array) => toHex(bytes);
const checkpoint = (treeSize: number, root: Uint8Array) => ({ origin: 'entente.example/deu', treeSize, rootHash: root, note: `entente.example/deu\n${treeSize}\n...\n\n\u2014 sig\n` });

/** The transparency ledger: entries, leaf hashes, tree state, checkpoints. */
export function ledgerSections(ctx: ContractContext): void {
  describe('ledger', () => {
    it('starts empty, appends batches at consecutive indexes, and keeps the tree state the appender computed', async () => {
      expect(await ctx.store.getLedgerState()).toEqual({ size: 0, edge: [] });
      expect(await append(ctx, leaves(0, 5))).toEqual([0, 1, 2, 3, 4]);
      expect(await append(ctx, leaves(5, 6))).toEqual([5]);
      expect(await append(ctx, [])).toEqual([]);
      const state = await ctx.store.getLedgerState();
      expect(state.size).toBe(6);
      expect(state.edge.map(hex)).toEqual(grow(leaves(0, 6))({ size: 0, edge: [] }).edge.map(hex));
      expect(hex(new CompactTree(state).root())).toBe(hex(merkleRoot(leaves(0, 6).map((l) => l.leafHash))));
    });

    it('reads entries by index, by leaf hash, and in ranges, byte for byte as appended', async () => {
      await append(ctx, leaves(0, 40));
      const fifth = await ctx.store.getLedgerEntry(5);
      expect(fifth && { ...fifth, leafHash: hex(fifth.leafHash) }).toEqual({ index: 5, leafHash: hex(leaf(5).leafHash), entry: leaf(5).entry });
      expect((await ctx.store.findLedgerEntry(leaf(17).leafHash))?.index).toBe(17);
      expect(await ctx.store.findLedgerEntry(leafHash(Buffer.from('never appended')))).toBeUndefined();
      expect(await ctx.store.getLedgerEntry(40)).toBeUndefined();
      expect(await ctx.store.getLedgerEntry(-1)).toBeUndefined();
      const range = await ctx.store.readLeafHashes(3, 35);
      expect(range.length).toBe(32 * 32);
      expect(hex(range)).toBe(leaves(3, 35).map((l) => hex(l.leafHash)).join(''));
      expect((await ctx.store.readLeafHashes(40, 40)).length).toBe(0);
      const entries = await ctx.store.readLedgerEntries(38, 40);
      expect(entries.map((e) => [e.index, e.entry])).toEqual([[38, leaf(38).entry], [39, leaf(39).entry]]);
      expect(JSON.parse(entries[0]?.entry ?? '')).toEqual(entry(38));
    });

    it('refuses ranges outside the log with ENTENTE_INVALID_PARAMETER', async () => {
      await append(ctx, leaves(0, 3));
      await expectCode(ctx.store.readLeafHashes(0, 4), 'ENTENTE_INVALID_PARAMETER');
      await expectCode(ctx.store.readLeafHashes(2, 1), 'ENTENTE_INVALID_PARAMETER');
      await expectCode(ctx.store.readLedgerEntries(-1, 2), 'ENTENTE_INVALID_PARAMETER');
    });

    it('refuses a leaf already in the log, or twice in a batch, with ENTENTE_CONFLICT naming it, appending nothing', async () => {
      await append(ctx, leaves(0, 3));
      await expect(append(ctx, [leaf(3), leaf(1)])).rejects.toMatchObject({ code: 'ENTENTE_CONFLICT', message: expect.stringMatching(/^leaves\[1\]/) });
      await expect(append(ctx, [leaf(3), leaf(4), leaf(3)])).rejects.toMatchObject({ code: 'ENTENTE_CONFLICT', message: expect.stringMatching(/^leaves\[2\]/) });
      expect((await ctx.store.getLedgerState()).size).toBe(3);
      expect(await ctx.store.getLedgerEntry(3)).toBeUndefined();
      expect(await append(ctx, [leaf(3)])).toEqual([3]);
    });

    it('appends nothing when a hash is not 32 bytes, the advanced state has the wrong size, or advance throws', async () => {
      await append(ctx, leaves(0, 2));
      await expectCode(ctx.store.appendLedger([{ leafHash: new Uint8Array(31), entry: '{}' }], grow([])), 'ENTENTE_INVALID_PARAMETER');
      await expectCode(ctx.store.appendLedger(leaves(2, 4), grow(leaves(2, 3))), 'ENTENTE_INVALID_PARAMETER');
      await expect(ctx.store.appendLedger(leaves(2, 4), () => {
        throw new Error('the appender gave up');
      })).rejects.toBeDefined();
      expect((await ctx.store.getLedgerState()).size).toBe(2);
      expect(await ctx.store.findLedgerEntry(leaf(2).leafHash)).toBeUndefined();
    });

    it('serialises concurrent appenders: every entry gets its own index and the state covers them all', async () => {
      const batches = Array.from({ length: 8 }, (_, b) => leaves(b * 10, b * 10 + 10));
      const results = await Promise.all(batches.map((batch) => append(ctx, batch)));
      expect(results.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 80 }, (_, i) => i));
      results.forEach((indexes) => expect(indexes).toEqual(Array.from({ length: 10 }, (_, i) => (indexes[0] as number) + i)));
      const stored = await ctx.store.readLeafHashes(0, 80);
      const state = await ctx.store.getLedgerState();
      const chunks = Array.from({ length: 80 }, (_, i) => stored.subarray(i * 32, i * 32 + 32));
      expect(hex(new CompactTree(state).root())).toBe(hex(merkleRoot(chunks)));
    });

    it('writes decisions and their leaves in one transaction: both, or neither when a leaf is already in the log', async () => {
      const page = (n: number): DecisionRecord[] => Array.from({ length: 3 }, (_, i) => ({
        at: at(n), recipient: 'peer:POL', channel: 'taxii', objectId: `indicator--${n}-${i}`, objectVersion: at(0), outcome: 'allow', agreementId: 'deu-pol', agreementVersion: 1,
        steps: [{ rule: 'tlp', outcome: 'pass', detail: 'TLP:GREEN within TLP:AMBER' }],
      }));
      await append(ctx, leaves(0, 2));
      await ctx.store.appendDecisions(page(1), { leaves: [leaf(2), leaf(3)], advance: grow([leaf(2), leaf(3)]) });
      expect((await ctx.store.getLedgerState()).size).toBe(4);
      expect((await ctx.store.findLedgerEntry(leaf(3).leafHash))?.index).toBe(3);
      expect((await ctx.store.queryDecisions({ limit: 10 })).records.map((r) => r.objectId)).toEqual(page(1).map((r) => r.objectId));

      await expect(ctx.store.appendDecisions(page(2), { leaves: [leaf(4), leaf(1)], advance: grow([leaf(4), leaf(1)]) }))
        .rejects.toMatchObject({ code: 'ENTENTE_CONFLICT' });
      await expect(ctx.store.appendDecisions(page(2), { leaves: [leaf(4)], advance: grow([]) })).rejects.toMatchObject({ code: 'ENTENTE_INVALID_PARAMETER' });
      expect((await ctx.store.getLedgerState()).size).toBe(4);
      expect(await ctx.store.findLedgerEntry(leaf(4).leafHash)).toBeUndefined();
      expect((await ctx.store.queryDecisions({ limit: 10 })).records).toHaveLength(3);

      await ctx.store.appendDecisions(page(3), { leaves: [leaf(4)], advance: grow([leaf(4)]) });
      expect((await ctx.store.getLedgerState()).size).toBe(5);
      const state = await ctx.store.getLedgerState();
      expect(hex(new CompactTree(state).root())).toBe(hex(merkleRoot(leaves(0, 5).map((l) => l.leafHash))));
      expect((await ctx.store.queryDecisions({ limit: 10 })).records.map((r) => r.at)).toEqual([...page(1), ...page(3)].map((r) => r.at));
    });

    it('keeps checkpoints, gives the latest, ignores a repeat and refuses a second root for one size', async () => {
      expect(await ctx.store.getLatestCheckpoint()).toBeUndefined();
      const r5 = leafHash(Buffer.from('root 5'));
      const r9 = leafHash(Buffer.from('root 9'));
      await ctx.store.saveCheckpoint(checkpoint(9, r9));
      await ctx.store.saveCheckpoint(checkpoint(5, r5));
      await ctx.store.saveCheckpoint(checkpoint(9, r9));
      const latest = await ctx.store.getLatestCheckpoint();
      expect(latest && { ...latest, rootHash: hex(latest.rootHash) }).toEqual({ ...checkpoint(9, r9), rootHash: hex(r9) });
      expect((await ctx.store.getCheckpoint(5))?.note).toBe(checkpoint(5, r5).note);
      expect(await ctx.store.getCheckpoint(6)).toBeUndefined();
      await expect(ctx.store.saveCheckpoint(checkpoint(5, r9))).rejects.toMatchObject({ code: 'ENTENTE_CONFLICT', message: expect.stringMatching(/tree size 5/) });
      expect(hex((await ctx.store.getCheckpoint(5))?.rootHash ?? new Uint8Array())).toBe(hex(r5));
    });
  });
}
