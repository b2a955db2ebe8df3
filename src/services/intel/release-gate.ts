import type { DecisionChannel } from '../../ports/policy-store.js';
import type { StixLike, StoredObject } from '../../ports/store.js';
import type { Principal } from '../accounts/principal.js';

/**
 * Who data is being read for. Every read of the intel service names one, so that no path can
 * forget the release decision:
 * - `principal`: an authenticated user of the API (TAXII, REST), possibly of a partner organisation;
 * - `party`: an organisation of the directory, for exports made for it;
 * - `operator`: the person running the node's CLI on its own machine, who holds the database
 *   itself and so sees everything (backups, local inspection).
 */
export type Audience =
  | { readonly kind: 'principal'; readonly principal: Principal }
  | { readonly kind: 'party'; readonly code: string }
  | { readonly kind: 'operator' };

/** Who reads, and through which channel (recorded in the decision log). */
export interface Reader {
  readonly audience: Audience;
  readonly channel: DecisionChannel;
}

/** The local operator reading through the CLI. */
export const OPERATOR: Reader = { audience: { kind: 'operator' }, channel: 'export' };

export function readerOf(principal: Principal, channel: DecisionChannel): Reader {
  return { audience: { kind: 'principal', principal }, channel };
}

/**
 * The release decision applied to what the intel service reads (implemented by the policy
 * service). Objects the audience may not receive are left out as if they did not exist;
 * redacted ones are replaced by their redacted form.
 */
export interface ReleaseGate {
  releaseStored(audience: Audience, objects: ReadonlyArray<StoredObject>, channel: DecisionChannel): Promise<ReadonlyArray<StoredObject>>;
  releaseObjects(audience: Audience, objects: ReadonlyArray<StixLike>, channel: DecisionChannel): Promise<ReadonlyArray<StixLike>>;
}
