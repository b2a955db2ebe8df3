import type { StixLike } from '../../ports/store.js';

/**
 * The label check of the intake path (DESIGN "Intel in": every object carries a label, the
 * node's default applies otherwise). Objects whose markings this node cannot read are refused
 * rather than stored as if unmarked. The policy service implements it.
 */
export interface LabelGate {
  /** One verdict per object, in order; `batch` is every object of the same input (markings may come with them). */
  check(objects: ReadonlyArray<StixLike>): Promise<ReadonlyArray<LabelVerdict>>;
}

export type LabelVerdict =
  | { readonly kind: 'accept' }
  | { readonly kind: 'reject'; readonly message: string; readonly path?: string };
