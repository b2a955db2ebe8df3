import { describe, expect, it } from 'vitest';
import { CompactTree } from './compact-tree.js';
import { EMPTY_ROOT, leafHash, leafHashOfText, toHex } from './hashing.js';
import { MemoryTree, merkleRoot } from './merkle-tree.js';
import { checkConsistency, checkInclusion, consistencyProof, inclusionProof } from './proofs.js';

/*
 * Known answers from the Certificate Transparency test data for RFC 6962 / RFC 9162 hashing:
 * the eight leaf inputs, the tree heads for sizes 1..8, and the audit paths and consistency
 * proofs, as published in transparency-dev/merkle `proof/verify_test.go` (carried over from
 * google/certificate-transparency's C++ `merkle_tree_test.cc`). In that file leaf numbers are
 * 1-based; here indexes are 0-based, so its leaf 6 is index 5.
 */
const INPUTS = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const INCLUSION = [
  { index: 0, size: 8, path: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { index: 5, size: 8, path: ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
  { index: 2, size: 3, path: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  { index: 1, size: 5, path: ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'] },
  { index: 0, size: 1, path: [] },
];
const CONSISTENCY = [
  { size1: 1, size2: 1, path: [] },
  { size1: 1, size2: 8, path: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { size1: 6, size2: 8, path: ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
  { size1: 2, size2: 5, path: ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'] },
  { size1: 6, size2: 7, path: ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
];

const hex = (h: string) => Buffer.from(h, 'hex');
const LEAVES = INPUTS.map((input) => leafHash(hex(input)));
const tree = MemoryTree.of(LEAVES);
const root = (size: number) => hex(ROOTS[size - 1] as string);

describe('RFC 9162 hashing against the Certificate Transparency test data', () => {
  it('gives SHA-256 of nothing as the root of the empty tree', () => {
    expect(toHex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(toHex(merkleRoot([]))).toBe(toHex(EMPTY_ROOT));
    expect(toHex(new CompactTree().root())).toBe(toHex(EMPTY_ROOT));
  });

  it('computes the published tree head for every size 1..8, recursively, from memory and incrementally', () => {
    const incremental = new CompactTree();
    for (let size = 1; size <= 8; size += 1) {
      incremental.append(LEAVES[size - 1] as Uint8Array);
      expect(toHex(merkleRoot(LEAVES.slice(0, size))), `size ${size}`).toBe(ROOTS[size - 1]);
      expect(toHex(MemoryTree.of(LEAVES.slice(0, size)).root()), `size ${size}`).toBe(ROOTS[size - 1]);
      expect(toHex(incremental.root()), `size ${size}`).toBe(ROOTS[size - 1]);
    }
  });

  it.each(INCLUSION)('generates and verifies the published audit path of leaf $index in a tree of $size', ({ index, size, path }) => {
    expect(inclusionProof(tree, index, size).map(toHex)).toEqual(path);
    expect(checkInclusion(LEAVES[index] as Uint8Array, index, size, path.map(hex), root(size))).toEqual({ holds: true });
  });

  it.each(CONSISTENCY)('generates and verifies the published consistency proof from $size1 to $size2', ({ size1, size2, path }) => {
    expect(consistencyProof(tree, size1, size2).map(toHex)).toEqual(path);
    expect(checkConsistency(size1, size2, path.map(hex), root(size1), root(size2))).toEqual({ holds: true });
  });

  it('refuses the published proofs when the index, the sizes or the roots are off', () => {
    const { index, size, path } = INCLUSION[1] as (typeof INCLUSION)[number];
    const leaf = LEAVES[index] as Uint8Array;
    const p = path.map(hex);
    expect(checkInclusion(leaf, index - 1, size, p, root(size)).holds).toBe(false);
    expect(checkInclusion(leaf, index + 1, size, p, root(size)).holds).toBe(false);
    expect(checkInclusion(leaf, index, size * 2, p, root(size)).holds).toBe(false);
    expect(checkInclusion(leaf, index, size / 2, p, root(size)).holds).toBe(false);
    expect(checkInclusion(leaf, index, size, p, EMPTY_ROOT).holds).toBe(false);
    expect(checkInclusion(leaf, index, size, [...p, root(size)], root(size))).toMatchObject({ holds: false, reason: expect.stringMatching(/more than/) });
    expect(checkInclusion(leaf, index, size, p.slice(0, -1), root(size))).toMatchObject({ holds: false, reason: expect.stringMatching(/fewer than/) });
    const c = (CONSISTENCY[2] as (typeof CONSISTENCY)[number]).path.map(hex);
    expect(checkConsistency(6, 8, c, root(8), root(6)).holds).toBe(false);
    expect(checkConsistency(5, 8, c, root(6), root(8)).holds).toBe(false);
    expect(checkConsistency(6, 8, [], root(6), root(8))).toMatchObject({ holds: false, reason: 'the proof is empty' });
    expect(checkConsistency(8, 6, c, root(8), root(6)).holds).toBe(false);
    expect(checkConsistency(0, 8, [], EMPTY_ROOT, root(8)).holds).toBe(true);
    expect(checkConsistency(0, 8, [], root(1), root(8)).holds).toBe(false);
    expect(checkConsistency(3, 3, [], root(3), root(4))).toMatchObject({ holds: false, reason: expect.stringMatching(/two different roots/) });
  });
});

describe('leaf hashes of entry text', () => {
  it('hash the UTF-8 bytes of the text exactly as leafHash hashes bytes', () => {
    for (const text of ['', '{"kind":"release"}', 'Ærø — 東京 🛰']) expect(toHex(leafHashOfText(text))).toBe(toHex(leafHash(Buffer.from(text, 'utf8'))));
  });
});
