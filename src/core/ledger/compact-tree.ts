import { EMPTY_ROOT, HASH_SIZE, nodeHash, type Hash } from './hashing.js';

/**
 * The state of a log's tree that appending needs: its size and the roots of the perfect subtrees
 * along its right edge, one per set bit of `size`, largest (leftmost) first. A tree of a million
 * leaves has at most 20 of them. The root is these folded together right to left, which equals
 * MTH of RFC 9162 because its split at the largest power of two is exactly this decomposition.
 */
export interface TreeState {
  readonly size: number;
  readonly edge: ReadonlyArray<Hash>;
}

export const EMPTY_TREE: TreeState = { size: 0, edge: [] };

/** The number of set bits: how many edge hashes a tree of `size` leaves has. */
function popcount(size: number): number {
  let count = 0;
  for (let n = size; n > 0; n = Math.floor(n / 2)) count += n % 2;
  return count;
}

/** True when `state` is well formed (right number of 32-byte hashes for its size). */
export function isTreeState(state: TreeState): boolean {
  return Number.isSafeInteger(state.size) && state.size >= 0 && state.edge.length === popcount(state.size)
    && state.edge.every((h) => h.length === HASH_SIZE);
}

/** The root hash of a tree state. */
export function stateRoot(state: TreeState): Hash {
  const { edge } = state;
  if (edge.length === 0) return EMPTY_ROOT;
  let root = edge[edge.length - 1] as Hash;
  for (let i = edge.length - 2; i >= 0; i -= 1) root = nodeHash(edge[i] as Hash, root);
  return root;
}

/**
 * An incremental tree: append leaf hashes, read the root at any time, in O(log n) memory. Each
 * append merges equal-sized subtrees at the right edge like a binary counter carries, so n
 * appends cost n - popcount(n) node hashes in all. Mutable on purpose: it is the inner loop of
 * appending and of verifying a whole log; `state()` gives an immutable snapshot.
 */
export class CompactTree {
  private readonly edge: Hash[];
  private count: number;

  constructor(from: TreeState = EMPTY_TREE) {
    if (!isTreeState(from)) throw new RangeError(`a tree of ${from.size} leaves has ${popcount(from.size)} edge hashes, not ${from.edge.length}`);
    this.edge = [...from.edge];
    this.count = from.size;
  }

  get size(): number {
    return this.count;
  }

  append(leaf: Hash): void {
    let node = leaf;
    // Each trailing set bit of the old size is a subtree as large as the one being carried.
    for (let n = this.count; n % 2 === 1; n = (n - 1) / 2) node = nodeHash(this.edge.pop() as Hash, node);
    this.edge.push(node);
    this.count += 1;
  }

  /** Appends every 32-byte hash of a buffer of concatenated leaf hashes. */
  appendAll(leaves: Uint8Array): void {
    for (let offset = 0; offset < leaves.length; offset += HASH_SIZE) this.append(leaves.slice(offset, offset + HASH_SIZE));
  }

  root(): Hash {
    return stateRoot({ size: this.count, edge: this.edge });
  }

  state(): TreeState {
    return { size: this.count, edge: [...this.edge] };
  }
}

/** The edge hashes as one buffer (how stores keep them) and back. */
export function encodeEdge(edge: ReadonlyArray<Hash>): Uint8Array {
  const out = new Uint8Array(edge.length * HASH_SIZE);
  edge.forEach((h, i) => out.set(h, i * HASH_SIZE));
  return out;
}

export function decodeEdge(bytes: Uint8Array): Hash[] {
  const edge: Hash[] = [];
  for (let offset = 0; offset < bytes.length; offset += HASH_SIZE) edge.push(bytes.slice(offset, offset + HASH_SIZE));
  return edge;
}
