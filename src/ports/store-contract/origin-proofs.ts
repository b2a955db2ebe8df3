import { describe, expect, it } from 'vitest';
import type { StoredOriginProof } from '../origin-proof-store.js';
import { at, type ContractContext } from './builders.js';

const HASH = (n: number): string => Buffer.alloc(32, n).toString('base64url');

function proof(id: string, version: string, over: Partial<StoredOriginProof> = {}): StoredOriginProof {
  return {
    id, version, origin: 'FRA', batch: 'eyJhbGciOiJFZERTQSJ9.eyJvcmlnaW4iOiJGUkEifQ.c2lnbmF0dXJl', index: 3, path: [HASH(1), HASH(2), HASH(3)],
    receivedFrom: 'DEU', receivedAt: at(1), ...over,
  };
}

const ID = 'indicator--0a000000-0000-4000-8000-000000000001';
const OTHER = 'indicator--0a000000-0000-4000-8000-000000000002';

/** Origin proofs: kept per object version, the first one of a version stays. */
export function originProofSections(ctx: ContractContext): void {
  describe('origin proofs', () => {
    it('round-trips proofs field for field, and leaves out versions without one', async () => {
      const a = proof(ID, at(1));
      const b = proof(ID, at(2), { origin: 'POL', index: 0, path: [], receivedFrom: 'POL', receivedAt: at(3) });
      await ctx.store.putOriginProofs([a, b]);
      const found = await ctx.store.getOriginProofs([{ id: ID, version: at(1) }, { id: ID, version: at(2) }, { id: OTHER, version: at(1) }, { id: ID, version: at(9) }]);
      expect([...found].sort((x, y) => (x.version < y.version ? -1 : 1))).toStrictEqual([a, b]);
    });

    it('keeps the first proof of a version when another arrives for it', async () => {
      const first = proof(ID, at(1));
      await ctx.store.putOriginProofs([first]);
      await ctx.store.putOriginProofs([proof(ID, at(1), { batch: 'a.b.c', receivedFrom: 'NLD' })]);
      expect(await ctx.store.getOriginProofs([{ id: ID, version: at(1) }])).toStrictEqual([first]);
    });

    it('answers nothing for no versions and stores nothing for no proofs', async () => {
      await ctx.store.putOriginProofs([]);
      expect(await ctx.store.getOriginProofs([])).toEqual([]);
    });

    it('looks up more versions than one statement binds', async () => {
      const many = Array.from({ length: 1_200 }, (_, i) => proof(`indicator--0b000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`, at(i % 7)));
      await ctx.store.putOriginProofs(many);
      const found = await ctx.store.getOriginProofs(many.map((p) => ({ id: p.id, version: p.version })));
      expect(found).toHaveLength(1_200);
    });
  });
}
