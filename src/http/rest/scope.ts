import type { Principal } from '../../services/accounts/index.js';
import type { RestDeps } from './rest-deps.js';

/**
 * The collections a read may look into: those the caller can read, or the one it names (404
 * when it cannot see it, 403 when it sees but cannot read it). The security invariant rests on
 * every REST read passing this scope to the store.
 */
export async function readableScope(deps: Pick<RestDeps, 'collections'>, principal: Principal, collection?: string): Promise<ReadonlyArray<string>> {
  if (collection !== undefined) return [(await deps.collections.resolve(principal, collection, 'read')).collection.id];
  return deps.collections.readableIds(principal);
}
