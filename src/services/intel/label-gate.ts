import type { StixLike } from '../../ports/store.js';

/**
 * The seam where the label check of the intake path (DESIGN "Intel in": every object carries a
 * label, the node's default applies otherwise) plugs in. It is NOT implemented yet: when no gate
 * is given to IntelService, objects are stored without any label check. The labels feature
 * supplies the implementation.
 */
export interface LabelGate {
  check(object: StixLike, context: { readonly collectionId: string; readonly actor: string }): LabelVerdict;
}

export type LabelVerdict =
  /** Store `object`: the input, or the input with the node's default label applied. */
  | { readonly kind: 'accept'; readonly object: StixLike }
  | { readonly kind: 'reject'; readonly message: string };
