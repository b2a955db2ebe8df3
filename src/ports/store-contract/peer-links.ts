import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PeerLink, PeerState } from '../peer-link-store.js';
import { A, at, B, T0, type ContractContext } from './builders.js';

// Builders with safe defaults; optional fields are set only where a test says so.

function link(code: string, over: Partial<PeerLink> = {}): PeerLink {
  return {
    code, url: `https://cti.${code.toLowerCase()}.example:8443`, token: `token-for-${code}`, collections: [A, B], inbound: A,
    enabled: true, createdAt: T0, ...over,
  };
}

function fresh(code: string): PeerState {
  return { code, cursors: {}, failures: 0, sentEnvelopes: 0, sentObjects: 0, receivedEnvelopes: 0, receivedObjects: 0, rejectedEnvelopes: 0 };
}

/** A state after some pushes, with every optional field set. */
function busy(code: string, over: Partial<PeerState> = {}): PeerState {
  return {
    code, cursors: { [A]: at(10), [B]: at(3) }, lastContact: at(12), lastSuccess: at(11), lastError: 'connect ECONNREFUSED',
    failures: 2, nextAttempt: at(14), sentEnvelopes: 7, sentObjects: 1500, receivedEnvelopes: 4, receivedObjects: 80, rejectedEnvelopes: 1, ...over,
  };
}

const OPTIONAL_STATE = ['lastContact', 'lastSuccess', 'lastError', 'nextAttempt'] as const;

const timeArb = fc.integer({ min: 0, max: 10_000 }).map(at);

/**
 * Any state the port can express. Cursor keys are collection ids; an error text may be anything
 * a peer answered (NUL, lone surrogates), which a JSON column of PostgreSQL would refuse.
 */
const stateArb: fc.Arbitrary<PeerState> = fc.record({
  cursors: fc.dictionary(fc.stringMatching(/^[A-Za-z0-9._~-]{1,16}$/), timeArb, { maxKeys: 4, noNullPrototype: true }),
  lastContact: timeArb,
  lastSuccess: timeArb,
  lastError: fc.string({ unit: 'binary', maxLength: 40 }),
  nextAttempt: timeArb,
  failures: fc.nat({ max: 1_000 }),
  sentEnvelopes: fc.nat(), sentObjects: fc.nat(), receivedEnvelopes: fc.nat(), receivedObjects: fc.nat(), rejectedEnvelopes: fc.nat(),
}, { requiredKeys: ['cursors', 'failures', 'sentEnvelopes', 'sentObjects', 'receivedEnvelopes', 'receivedObjects', 'rejectedEnvelopes'] })
  .map((s) => ({ code: 'POL', ...s }));

/** Peer links and push states: federation's durable memory of each peer. */
export function peerLinkSections(ctx: ContractContext): void {
  describe('peer links', () => {
    it('round-trips a link field for field, and an unknown code reads as undefined', async () => {
      const pol = link('POL', { collections: [B], inbound: B, enabled: false, createdAt: at(5) });
      await ctx.store.putPeerLink(pol);
      expect(await ctx.store.getPeerLink('POL')).toStrictEqual(pol);
      expect(await ctx.store.getPeerLink('FRA')).toBeUndefined();
      expect(await ctx.store.getPeerLink('pol')).toBeUndefined();
    });

    it('round-trips a link that pushes no collection', async () => {
      await ctx.store.putPeerLink(link('NLD', { collections: [] }));
      expect(await ctx.store.getPeerLink('NLD')).toStrictEqual(link('NLD', { collections: [] }));
    });

    it('replaces a link by code, keeping one row and the state already saved', async () => {
      await ctx.store.putPeerLink(link('POL'));
      await ctx.store.savePeerState(busy('POL'));
      const moved = link('POL', { url: 'https://cti2.pol.example', token: 'rotated', collections: [A], enabled: false });
      await ctx.store.putPeerLink(moved);
      expect(await ctx.store.getPeerLink('POL')).toStrictEqual(moved);
      expect(await ctx.store.listPeerLinks()).toStrictEqual([moved]);
      expect(await ctx.store.getPeerState('POL')).toStrictEqual(busy('POL'));
    });

    it('lists links ordered by code in byte order, whatever the order they were added in', async () => {
      for (const code of ['POL', 'CERTA', 'DEU', 'CERT-EU', 'aus']) await ctx.store.putPeerLink(link(code));
      expect((await ctx.store.listPeerLinks()).map((l) => l.code)).toEqual(['CERT-EU', 'CERTA', 'DEU', 'POL', 'aus']);
      expect(await ctx.store.listPeerLinks()).toContainEqual(link('DEU'));
    });

    it('lists nothing on a fresh store', async () => {
      expect(await ctx.store.listPeerLinks()).toEqual([]);
    });

    it('deletes a link with its state, true once and false after; other peers are untouched', async () => {
      await ctx.store.putPeerLink(link('POL'));
      await ctx.store.putPeerLink(link('FRA'));
      await ctx.store.savePeerState(busy('POL'));
      await ctx.store.savePeerState(busy('FRA', { failures: 9 }));
      expect(await ctx.store.deletePeerLink('POL')).toBe(true);
      expect(await ctx.store.getPeerLink('POL')).toBeUndefined();
      expect(await ctx.store.getPeerState('POL')).toStrictEqual(fresh('POL'));
      expect(await ctx.store.deletePeerLink('POL')).toBe(false);
      expect(await ctx.store.listPeerLinks()).toStrictEqual([link('FRA')]);
      expect(await ctx.store.getPeerState('FRA')).toStrictEqual(busy('FRA', { failures: 9 }));
    });

    it('gives a link added again after deletion a fresh state', async () => {
      await ctx.store.putPeerLink(link('POL'));
      await ctx.store.savePeerState(busy('POL'));
      await ctx.store.deletePeerLink('POL');
      await ctx.store.putPeerLink(link('POL'));
      expect(await ctx.store.getPeerState('POL')).toStrictEqual(fresh('POL'));
    });
  });

  describe('peer states', () => {
    it('reads a fresh state, with no optional field, for a peer never saved', async () => {
      const state = await ctx.store.getPeerState('POL');
      expect(state).toStrictEqual(fresh('POL'));
      for (const key of OPTIONAL_STATE) expect(Object.hasOwn(state, key)).toBe(false);
      await ctx.store.putPeerLink(link('FRA'));
      expect(await ctx.store.getPeerState('FRA')).toStrictEqual(fresh('FRA'));
    });

    it('round-trips a state with every optional field, and one with none', async () => {
      await ctx.store.putPeerLink(link('POL'));
      await ctx.store.savePeerState(busy('POL'));
      expect(await ctx.store.getPeerState('POL')).toStrictEqual(busy('POL'));
      const bare = { ...fresh('FRA'), cursors: { [A]: at(1) }, failures: 1, sentEnvelopes: 3 };
      await ctx.store.savePeerState(bare);
      const read = await ctx.store.getPeerState('FRA');
      expect(read).toStrictEqual(bare);
      for (const key of OPTIONAL_STATE) expect(Object.hasOwn(read, key)).toBe(false);
    });

    it('replaces a state whole: fields absent from the new state are gone, cursors dropped are gone', async () => {
      await ctx.store.putPeerLink(link('POL'));
      await ctx.store.savePeerState(busy('POL'));
      const after = { ...fresh('POL'), cursors: { [A]: at(20) }, lastContact: at(21), lastSuccess: at(21), sentEnvelopes: 8, sentObjects: 1600 };
      await ctx.store.savePeerState(after);
      const read = await ctx.store.getPeerState('POL');
      expect(read).toStrictEqual(after);
      expect(Object.hasOwn(read, 'lastError')).toBe(false);
      expect(Object.hasOwn(read, 'nextAttempt')).toBe(false);
    });

    it('keeps both states when two peers are saved at the same time', async () => {
      await ctx.store.putPeerLink(link('POL'));
      await ctx.store.putPeerLink(link('FRA'));
      const pol = busy('POL', { sentObjects: 11 });
      const fra = busy('FRA', { cursors: { [B]: at(30) }, sentObjects: 22 });
      await Promise.all([ctx.store.savePeerState(pol), ctx.store.savePeerState(fra)]);
      expect(await ctx.store.getPeerState('POL')).toStrictEqual(pol);
      expect(await ctx.store.getPeerState('FRA')).toStrictEqual(fra);
    });

    it('keeps the state of a peer that has no link (one that only pushes to this node)', async () => {
      const state = { ...fresh('NLD'), receivedEnvelopes: 3, receivedObjects: 40, rejectedEnvelopes: 1, lastContact: at(2) };
      await ctx.store.savePeerState(state);
      expect(await ctx.store.getPeerState('NLD')).toStrictEqual(state);
      expect(await ctx.store.getPeerLink('NLD')).toBeUndefined();
      expect(await ctx.store.deletePeerLink('NLD')).toBe(false);
      expect(await ctx.store.getPeerState('NLD')).toStrictEqual(fresh('NLD'));
    });

    it('reads back any state exactly as saved, optional fields present or absent', async () => {
      await fc.assert(fc.asyncProperty(stateArb, async (state) => {
        await ctx.store.savePeerState(state);
        expect(await ctx.store.getPeerState('POL')).toStrictEqual(state);
      }), { numRuns: 40 });
    });
  });
}
