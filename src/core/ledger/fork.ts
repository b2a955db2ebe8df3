import { EntenteError } from '../errors.js';
import type { Checkpoint } from './checkpoint.js';
import { hashesEqual, toBase64, type Hash } from './hashing.js';
import { checkConsistency } from './proofs.js';

/**
 * Proof that a log showed two histories: two checkpoints of one origin that no consistency
 * proof can join. When both are signed notes, the evidence stands on its own: anyone holding
 * the log's public key can check both signatures and see the contradiction.
 */
export interface ForkEvidence {
  readonly origin: string;
  readonly treeSize: number;
  /** Base64 roots of the two histories at `treeSize`. */
  readonly rootHashes: readonly [string, string];
  /** The two signed notes, when the checkpoints came as notes. */
  readonly notes?: readonly [string, string];
}

export type ForkCheck =
  /** One history: same size and root, or a consistency proof joins them. */
  | { readonly kind: 'consistent' }
  /** Two histories, proven by the evidence. */
  | { readonly kind: 'fork'; readonly evidence: ForkEvidence }
  /** Sizes differ and no proof (or a failing one) was given: ask the log for one. */
  | { readonly kind: 'unproven'; readonly reason: string };

type Noted = Checkpoint & { readonly note?: string };

/**
 * Compares two checkpoints of the same log. Equal sizes decide by themselves: different roots
 * are a fork. Different sizes need the consistency proof from the smaller to the larger; a proof
 * that fails is `unproven` rather than a fork, because a relay may have damaged it — the log
 * must then produce a valid one, and a log that cannot has forked.
 */
export function compareCheckpoints(a: Noted, b: Noted, proof?: ReadonlyArray<Hash>): ForkCheck {
  if (a.origin !== b.origin) {
    throw new EntenteError('ENTENTE_INVALID_PARAMETER', `Checkpoints of two different logs (${a.origin}, ${b.origin}) cannot be compared`,
      [{ path: '$.origin', message: 'origins differ' }]);
  }
  if (a.treeSize === b.treeSize) {
    if (hashesEqual(a.rootHash, b.rootHash)) return { kind: 'consistent' };
    return {
      kind: 'fork',
      evidence: {
        origin: a.origin, treeSize: a.treeSize, rootHashes: [toBase64(a.rootHash), toBase64(b.rootHash)],
        ...(a.note !== undefined && b.note !== undefined ? { notes: [a.note, b.note] as const } : {}),
      },
    };
  }
  const [older, newer] = a.treeSize < b.treeSize ? [a, b] : [b, a];
  if (proof === undefined) return { kind: 'unproven', reason: `no consistency proof from size ${older.treeSize} to ${newer.treeSize} was given` };
  const check = checkConsistency(older.treeSize, newer.treeSize, proof, older.rootHash, newer.rootHash);
  return check.holds ? { kind: 'consistent' } : { kind: 'unproven', reason: check.reason };
}
