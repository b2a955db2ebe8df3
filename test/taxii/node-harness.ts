import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openSqliteStore } from '../../src/adapters/sqlite/index.js';
import { ManualClock } from '../../src/adapters/system/manual-clock.js';
import { buildHttpApp } from '../../src/http/app.js';
import type { HttpConfig } from '../../src/http/http-config.js';
import type { Store } from '../../src/ports/store.js';
import { AccountService } from '../../src/services/accounts/account-service.js';
import { CollectionService } from '../../src/services/collections/collection-service.js';
import { IntelService } from '../../src/services/intel/intel-service.js';

/** A node as the tests drive it: real SQLite store in a temp dir, manual clock, three users. */
export interface TestNode {
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly clock: ManualClock;
  readonly accounts: AccountService;
  readonly collections: CollectionService;
  readonly intel: IntelService;
  /** Collection `intel` (alias `shared-intel`): alice reads and writes, bob reads. `secret`: only admin. */
  readonly intelId: string;
  readonly secretId: string;
  close(): Promise<void>;
}

export const PASSWORDS = { admin: 'admin-password-1', alice: 'alice-password-1', bob: 'bob-password-12', carol: 'carol-password-1' } as const;

/** The Authorization header for HTTP Basic. */
export function basic(user: keyof typeof PASSWORDS): string {
  return `Basic ${Buffer.from(`${user}:${PASSWORDS[user]}`).toString('base64')}`;
}

export const TAXII = 'application/taxii+json;version=2.1';

/** Starts a node; `config` overrides the HTTP configuration. */
export async function startNode(config: Partial<HttpConfig> = {}): Promise<TestNode> {
  const dir = mkdtempSync(join(tmpdir(), 'entente-taxii-'));
  const store = await openSqliteStore({ file: join(dir, 'entente.db') });
  await store.migrate();
  const clock = new ManualClock('2026-01-01T00:00:00.000Z');
  // A cheap scrypt cost: the tests exercise the logic, not the work factor.
  const accounts = new AccountService({ store, clock, scryptCost: { N: 1024, r: 8, p: 1 } });
  const collections = new CollectionService({ store, clock });
  const intel = new IntelService({ store, clock });
  await accounts.bootstrapAdmin(PASSWORDS.admin);
  await accounts.createUser('alice', PASSWORDS.alice, ['analyst']);
  await accounts.createUser('bob', PASSWORDS.bob, ['liaison']);
  await accounts.createUser('carol', PASSWORDS.carol, ['analyst']);
  const intelCollection = await collections.create({ title: 'Shared intel', alias: 'shared-intel', description: 'Test collection' });
  const secret = await collections.create({ title: 'Secret' });
  await collections.grant(intelCollection.id, 'alice', { canRead: true, canWrite: true });
  await collections.grant(intelCollection.id, 'bob', { canRead: true, canWrite: false });
  const app = await buildHttpApp({ intel, accounts, collections, config: { title: 'Entente test node', description: 'TAXII under test', contact: 'soc@example.org', ...config } });
  await app.ready();
  return {
    app, store, clock, accounts, collections, intel, intelId: intelCollection.id, secretId: secret.id,
    async close() {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let counter = 0;

/** A valid STIX 2.1 indicator with a fresh id unless one is given. */
export function indicator(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter++;
  const hex = counter.toString(16).padStart(12, '0');
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--8e2e2d2b-17d4-4cbf-938f-${hex}`,
    created: '2025-06-01T00:00:00.000Z',
    modified: '2025-06-01T00:00:00.000Z',
    name: `Bad address ${counter}`,
    pattern: `[ipv4-addr:value = '198.51.100.${counter % 250}']`,
    pattern_type: 'stix',
    valid_from: '2025-06-01T00:00:00Z',
    ...overrides,
  };
}

/** A valid STIX 2.1 malware object. */
export function malware(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter++;
  const hex = counter.toString(16).padStart(12, '0');
  return {
    type: 'malware', spec_version: '2.1', id: `malware--31b940d4-6f7f-459a-80ea-${hex}`,
    created: '2025-06-01T00:00:00.000Z', modified: '2025-06-01T00:00:00.000Z', name: `Family ${counter}`, is_family: true,
    ...overrides,
  };
}
