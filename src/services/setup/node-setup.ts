import { randomBytes } from 'node:crypto';
import type { AccountService } from '../accounts/index.js';
import type { CollectionService } from '../collections/index.js';

/** The collection a fresh node starts with, where imports go unless told otherwise. */
export const DEFAULT_COLLECTION = { alias: 'intel', title: 'Intelligence', description: "The node's own intelligence" } as const;

export interface SetupResult {
  /** False when the node already had an administrator: nothing was changed. */
  readonly initialised: boolean;
  readonly adminName: string;
  /** Set when the password was generated here; the caller shows it once. */
  readonly generatedPassword?: string;
}

/**
 * First start of a node: an `admin` user (with the given password, or a generated one) and the
 * default collection. Idempotent: a node that has an administrator is left as it is.
 */
export async function setUpNode(
  deps: { readonly accounts: AccountService; readonly collections: CollectionService },
  options: { readonly adminPassword?: string } = {},
): Promise<SetupResult> {
  const users = await deps.accounts.listUsers();
  if (users.some((u) => u.roles.includes('admin'))) return { initialised: false, adminName: 'admin' };
  const generated = options.adminPassword === undefined ? randomBytes(15).toString('base64url') : undefined;
  const admin = await deps.accounts.bootstrapAdmin(options.adminPassword ?? (generated as string));
  const existing = await deps.collections.listAll();
  if (!existing.some((c) => c.alias === DEFAULT_COLLECTION.alias)) await deps.collections.create(DEFAULT_COLLECTION);
  return { initialised: true, adminName: admin.name, ...(generated === undefined ? {} : { generatedPassword: generated }) };
}
