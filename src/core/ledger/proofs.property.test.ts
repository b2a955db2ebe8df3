import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompactTree, decodeEdge, encodeEdge } from './compact-tree.js';
import { leafHash, toHex, type Hash } from './hashing.js';
import { MemoryTree, merkleRoot } from './merkle-tree.js';
import { checkConsistency, checkInclusion, consistencyProof, inclusionProof } from './proofs.js';

/** Leaves i = SHA-256(0x00 || i as 4 bytes): distinct and cheap to make. */
const LEAVES: Hash[] = Array.from({ length: 300 }, (_, i) => {
  const data = Buffer.alloc(4);
  data.writeUInt32BE(i);
  return leafHash(data);
});
const TREE = MemoryTree.of(LEAVES);
const ROOTS = [merkleRoot([]), ...LEAVES.map((_, i) => TREE.hash(0, i + 1))];

const flipped = (h: Hash, byte: number, bit: number): Hash => {
  const copy = Uint8Array.from(h);
  copy[byte % copy.length] = (copy[byte % copy.length] as number) ^ (1 << bit);
  return copy;
};

const sizeAndIndex = fc.integer({ min: 1, max: LEAVES.length }).chain((size) => fc.tuple(fc.constant(size), fc.integer({ min: 0, max: size - 1 })));
const twoSizes = fc.integer({ min: 1, max: LEAVES.length }).chain((size2) => fc.tuple(fc.integer({ min: 1, max: size2 }), fc.constant(size2)));
const flip = fc.record({ byte: fc.nat(31), bit: fc.nat(7) });

describe('Merkle tree properties', () => {
  it('the incremental root equals the recursive MTH at every size, and survives a round trip of its state', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: LEAVES.length }), fc.integer({ min: 0, max: LEAVES.length }), (a, b) => {
      const [first, second] = [Math.min(a, b), Math.max(a, b)];
      const tree = new CompactTree();
      LEAVES.slice(0, first).forEach((leaf) => tree.append(leaf));
      expect(toHex(tree.root())).toBe(toHex(merkleRoot(LEAVES.slice(0, first))));
      const state = tree.state();
      const resumed = new CompactTree({ size: state.size, edge: decodeEdge(encodeEdge(state.edge)) });
      LEAVES.slice(first, second).forEach((leaf) => resumed.append(leaf));
      expect(toHex(resumed.root())).toBe(toHex(merkleRoot(LEAVES.slice(0, second))));
    }));
  });

  it('every inclusion proof verifies, and fails when any byte of it, the leaf or the root changes', () => {
    fc.assert(fc.property(sizeAndIndex, flip, fc.nat(), ([size, index], { byte, bit }, pick) => {
      const path = inclusionProof(TREE, index, size);
      const leaf = LEAVES[index] as Hash;
      const root = ROOTS[size] as Hash;
      expect(checkInclusion(leaf, index, size, path, root)).toEqual({ holds: true });
      expect(checkInclusion(flipped(leaf, byte, bit), index, size, path, root).holds).toBe(false);
      expect(checkInclusion(leaf, index, size, path, flipped(root, byte, bit)).holds).toBe(false);
      if (path.length > 0) {
        const at = pick % path.length;
        const tampered = path.map((h, i) => (i === at ? flipped(h, byte, bit) : h));
        expect(checkInclusion(leaf, index, size, tampered, root).holds).toBe(false);
        expect(checkInclusion(leaf, index, size, path.slice(1), root).holds).toBe(false);
      }
      expect(checkInclusion(leaf, index, size, [...path, root], root).holds).toBe(false);
    }));
  });

  // A proof binds the root and the leaf's position; the tree size only through the shape of the
  // path (RFC 9162 sizes that give the same left/right sequence verify alike). The checkpoint
  // signs size and root together, which is what pins the size.
  it('an inclusion proof fails for any other index, and for any tree size that shapes the path differently', () => {
    fc.assert(fc.property(sizeAndIndex, fc.integer({ min: 0, max: LEAVES.length }), fc.integer({ min: 1, max: LEAVES.length }), ([size, index], otherIndex, otherSize) => {
      const path = inclusionProof(TREE, index, size);
      const leaf = LEAVES[index] as Hash;
      if (otherIndex !== index) expect(checkInclusion(leaf, otherIndex, size, path, ROOTS[size] as Hash).holds).toBe(false);
      const held = checkInclusion(leaf, index, otherSize, path, ROOTS[size] as Hash).holds;
      if (held) expect(index < otherSize && inclusionProof(TREE, index, otherSize).length === path.length).toBe(true);
    }));
  });

  it('every consistency proof verifies, and fails when any byte of it or of either root changes', () => {
    fc.assert(fc.property(twoSizes, flip, fc.nat(), ([size1, size2], { byte, bit }, pick) => {
      const proof = consistencyProof(TREE, size1, size2);
      const [root1, root2] = [ROOTS[size1] as Hash, ROOTS[size2] as Hash];
      expect(checkConsistency(size1, size2, proof, root1, root2)).toEqual({ holds: true });
      expect(checkConsistency(size1, size2, proof, flipped(root1, byte, bit), root2).holds).toBe(false);
      expect(checkConsistency(size1, size2, proof, root1, flipped(root2, byte, bit)).holds).toBe(false);
      if (proof.length > 0) {
        const at = pick % proof.length;
        expect(checkConsistency(size1, size2, proof.map((h, i) => (i === at ? flipped(h, byte, bit) : h)), root1, root2).holds).toBe(false);
        expect(checkConsistency(size1, size2, proof.slice(0, -1), root1, root2).holds).toBe(false);
        expect(checkConsistency(size1, size2, [...proof, root2], root1, root2).holds).toBe(false);
      }
    }));
  });

  it('a consistency proof fails between trees that do not extend each other, and for sizes that shape it differently', () => {
    fc.assert(fc.property(twoSizes, fc.integer({ min: 1, max: LEAVES.length }), fc.nat(LEAVES.length - 1), ([size1, size2], other, changed) => {
      const proof = consistencyProof(TREE, size1, size2);
      const [root1, root2] = [ROOTS[size1] as Hash, ROOTS[size2] as Hash];
      // As for inclusion, other sizes can only pass when they shape the proof the same way.
      if (other !== size1 && other <= size2 && checkConsistency(other, size2, proof, root1, root2).holds) {
        expect(consistencyProof(TREE, other, size2).length).toBe(proof.length);
      }
      if (other !== size2 && other >= size1 && checkConsistency(size1, other, proof, root1, root2).holds) {
        expect(consistencyProof(TREE, size1, other).length).toBe(proof.length);
      }
      // A history that rewrote one leaf below size1: its root at size2 is not an extension.
      if (changed < size1) {
        const forked = MemoryTree.of(LEAVES.slice(0, size2).map((leaf, i) => (i === changed ? leafHash(Buffer.from('forged')) : leaf)));
        expect(checkConsistency(size1, size2, consistencyProof(forked, size1, size2), root1, forked.root()).holds).toBe(false);
      }
    }));
  });
});
