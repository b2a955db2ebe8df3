import { EMPTY_ROOT, HASH_SIZE, nodeHash, splitPoint, type Hash } from './hashing.js';

/**
 * Where proofs read subtree hashes from. `hash(start, end)` is MTH(D[start:end]) for
 * 0 <= start < end <= size; generation of proofs asks only for subtrees of the RFC 9162
 * decomposition, so an implementation may cache the perfect (power-of-two, aligned) ones.
 */
export interface SubtreeSource {
  readonly size: number;
  hash(start: number, end: number): Hash;
}

/**
 * MTH(D[n]) by the definition of RFC 9162 section 2.1.1: the empty hash for no leaves, the leaf
 * hash for one, else HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n])) with k the largest power of two
 * smaller than n. `leaves` are leaf hashes. Recursive, O(n): the reference the faster paths are
 * tested against.
 */
export function merkleRoot(leaves: ReadonlyArray<Hash>): Hash {
  if (leaves.length === 0) return EMPTY_ROOT;
  const mth = (start: number, end: number): Hash => {
    if (end - start === 1) return leaves[start] as Hash;
    const k = splitPoint(end - start);
    return nodeHash(mth(start, start + k), mth(start + k, end));
  };
  return mth(0, leaves.length);
}

/**
 * A whole tree in memory over its leaf hashes, laid out in one buffer (32 bytes per leaf: a
 * million leaves are 32 MB, not a million objects). The perfect subtrees of every level are
 * computed once, on the first request, which costs one node hash per leaf; every proof after
 * that costs O(log² n) hashes at most.
 */
export class MemoryTree implements SubtreeSource {
  /** levels[h] holds the hashes of the perfect subtrees of 2^h leaves, left to right. */
  private levels: Uint8Array[] | undefined;

  constructor(private readonly leaves: Uint8Array) {
    if (leaves.length % HASH_SIZE !== 0) throw new RangeError(`leaf hashes must be ${HASH_SIZE} bytes each`);
  }

  /** From separate leaf hashes (copied into one buffer). */
  static of(leaves: ReadonlyArray<Hash>): MemoryTree {
    const buffer = new Uint8Array(leaves.length * HASH_SIZE);
    leaves.forEach((leaf, i) => buffer.set(leaf, i * HASH_SIZE));
    return new MemoryTree(buffer);
  }

  get size(): number {
    return this.leaves.length / HASH_SIZE;
  }

  leaf(index: number): Hash {
    return this.leaves.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE);
  }

  root(): Hash {
    return this.size === 0 ? EMPTY_ROOT : this.hash(0, this.size);
  }

  hash(start: number, end: number): Hash {
    if (!(Number.isSafeInteger(start) && Number.isSafeInteger(end) && start >= 0 && start < end && end <= this.size)) {
      throw new RangeError(`no subtree [${start}, ${end}) in a tree of ${this.size} leaves`);
    }
    const width = end - start;
    // A perfect, aligned subtree is one stored node of its level.
    if ((width & (width - 1)) === 0 && start % width === 0) return this.node(Math.log2(width), start / width);
    const k = splitPoint(width);
    return nodeHash(this.hash(start, start + k), this.hash(start + k, end));
  }

  private node(level: number, index: number): Hash {
    if (level === 0) return this.leaf(index);
    const levels = (this.levels ??= this.buildLevels());
    const row = levels[level] as Uint8Array;
    return row.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE);
  }

  private buildLevels(): Uint8Array[] {
    const levels = [this.leaves];
    let below = this.leaves;
    while (below.length >= 2 * HASH_SIZE) {
      const count = Math.floor(below.length / (2 * HASH_SIZE));
      const row = new Uint8Array(count * HASH_SIZE);
      for (let i = 0; i < count; i += 1) {
        const left = below.subarray(2 * i * HASH_SIZE, (2 * i + 1) * HASH_SIZE);
        const right = below.subarray((2 * i + 1) * HASH_SIZE, (2 * i + 2) * HASH_SIZE);
        row.set(nodeHash(left, right), i * HASH_SIZE);
      }
      levels.push(row);
      below = row;
    }
    return levels;
  }
}
