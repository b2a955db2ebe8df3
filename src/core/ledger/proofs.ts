import { EMPTY_ROOT, HASH_SIZE, hashesEqual, nodeHash, splitPoint, type Hash } from './hashing.js';
import type { SubtreeSource } from './merkle-tree.js';

/** Whether a proof holds, and when it does not, why (for an auditor reading the answer). */
export type ProofCheck = { readonly holds: true } | { readonly holds: false; readonly reason: string };

const HOLDS: ProofCheck = { holds: true };
const fails = (reason: string): ProofCheck => ({ holds: false, reason });

const isSize = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;

/**
 * The inclusion proof (audit path) of leaf `index` in the tree of the first `size` leaves of
 * `tree`, RFC 9162 section 2.1.3.1: PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) when m < k,
 * else PATH(m - k, D[k:n]) : MTH(D[0:k]). The sibling nearest the leaf comes first.
 */
export function inclusionProof(tree: SubtreeSource, index: number, size: number = tree.size): Hash[] {
  if (!(isSize(size) && size <= tree.size && Number.isSafeInteger(index) && index >= 0 && index < size)) {
    throw new RangeError(`no leaf ${index} in a tree of ${size} leaves`);
  }
  const path: Hash[] = [];
  const walk = (start: number, end: number): void => {
    if (end - start === 1) return;
    const k = splitPoint(end - start);
    if (index - start < k) {
      walk(start, start + k);
      path.push(tree.hash(start + k, end));
    } else {
      walk(start + k, end);
      path.push(tree.hash(start, start + k));
    }
  };
  walk(0, size);
  return path;
}

/**
 * Recomputes the root from a leaf hash and its audit path, by the verification algorithm of
 * RFC 9162 section 2.1.3.2 (fn is the leaf's position, sn the last position, both shifted
 * right level by level; the proof is used up exactly when sn reaches 0).
 */
export function checkInclusion(leaf: Hash, index: number, size: number, path: ReadonlyArray<Hash>, root: Hash): ProofCheck {
  if (!isSize(size) || !Number.isSafeInteger(index) || index < 0) return fails('the leaf index and tree size must be whole numbers >= 0');
  if (index >= size) return fails(`leaf index ${index} is not below tree size ${size}`);
  if (leaf.length !== HASH_SIZE || root.length !== HASH_SIZE || path.some((p) => p.length !== HASH_SIZE)) return fails(`every hash must be ${HASH_SIZE} bytes`);
  // Sizes go up to 2^53, beyond 32-bit operators: halving with Math.floor keeps them exact.
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return fails(`the path has ${path.length} hashes, more than a leaf at index ${index} of a tree of ${size} needs`);
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) return fails(`the path has ${path.length} hashes, fewer than a leaf at index ${index} of a tree of ${size} needs`);
  return hashesEqual(r, root) ? HOLDS : fails('the root computed from the leaf and its path differs from the given root');
}

export function verifyInclusion(leaf: Hash, index: number, size: number, path: ReadonlyArray<Hash>, root: Hash): boolean {
  return checkInclusion(leaf, index, size, path, root).holds;
}

/**
 * The consistency proof between the first `size1` and the first `size2` leaves of `tree`,
 * RFC 9162 section 2.1.4.1: PROOF(m, D[n]) = SUBPROOF(m, D[n], true), where SUBPROOF splits at
 * k like MTH and records MTH of the side that the old tree does not determine. Empty when
 * size1 is 0 or equals size2 (nothing to prove beyond equal roots).
 */
export function consistencyProof(tree: SubtreeSource, size1: number, size2: number = tree.size): Hash[] {
  if (!(isSize(size1) && isSize(size2) && size1 <= size2 && size2 <= tree.size)) {
    throw new RangeError(`no consistency proof from ${size1} to ${size2} leaves in a tree of ${tree.size}`);
  }
  const proof: Hash[] = [];
  if (size1 === 0) return proof;
  const sub = (start: number, end: number, whole: boolean): void => {
    if (size1 === end) {
      // The old tree is exactly this subtree: the verifier knows it already only at the top.
      if (!whole) proof.push(tree.hash(start, end));
      return;
    }
    const k = splitPoint(end - start);
    if (size1 - start <= k) {
      sub(start, start + k, whole);
      proof.push(tree.hash(start + k, end));
    } else {
      sub(start + k, end, false);
      proof.push(tree.hash(start, start + k));
    }
  };
  sub(0, size2, true);
  return proof;
}

/**
 * Checks that the tree of `size2` leaves with root `root2` extends the tree of `size1` with
 * `root1`, by the algorithm of RFC 9162 section 2.1.4.2: fr rebuilds the old root and sr the new
 * one from the same path. Equal sizes need an empty proof and equal roots; size1 = 0 needs an
 * empty proof and the empty-tree root (every tree extends the empty one).
 */
export function checkConsistency(size1: number, size2: number, proof: ReadonlyArray<Hash>, root1: Hash, root2: Hash): ProofCheck {
  if (!isSize(size1) || !isSize(size2)) return fails('the tree sizes must be whole numbers >= 0');
  if (size1 > size2) return fails(`size1 ${size1} is larger than size2 ${size2}: a log only grows`);
  if (root1.length !== HASH_SIZE || root2.length !== HASH_SIZE || proof.some((p) => p.length !== HASH_SIZE)) return fails(`every hash must be ${HASH_SIZE} bytes`);
  if (size1 === size2) {
    if (proof.length !== 0) return fails('two trees of the same size need an empty proof');
    return hashesEqual(root1, root2) ? HOLDS : fails(`two different roots for the same tree size ${size1}`);
  }
  if (size1 === 0) {
    if (proof.length !== 0) return fails('a proof from the empty tree must be empty');
    return hashesEqual(root1, EMPTY_ROOT) ? HOLDS : fails('root1 is not the root of the empty tree');
  }
  if (proof.length === 0) return fails('the proof is empty');
  // Step 2: when size1 is a power of two the old root is itself a node of the new tree, and
  // the proof leaves it out.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0] as Hash;
  let sr = path[0] as Hash;
  for (const c of path.slice(1)) {
    if (sn === 0) return fails(`the proof has ${proof.length} hashes, more than sizes ${size1} and ${size2} need`);
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) return fails(`the proof has ${proof.length} hashes, fewer than sizes ${size1} and ${size2} need`);
  if (!hashesEqual(fr, root1)) return fails('the old root computed from the proof differs from root1');
  return hashesEqual(sr, root2) ? HOLDS : fails('the new root computed from the proof differs from root2');
}

export function verifyConsistency(size1: number, size2: number, proof: ReadonlyArray<Hash>, root1: Hash, root2: Hash): boolean {
  return checkConsistency(size1, size2, proof, root1, root2).holds;
}

function isPowerOfTwo(n: number): boolean {
  let m = n;
  while (m > 1 && m % 2 === 0) m /= 2;
  return m === 1;
}
