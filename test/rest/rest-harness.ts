import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { openSqliteStore } from '../../src/adapters/sqlite/index.js';
import { ManualClock } from '../../src/adapters/system/manual-clock.js';
import { buildHttpApp } from '../../src/http/app.js';
import { createMetrics, instrumentIntel, metricsHooksPlugin, opsRoutes, type EntenteMetrics } from '../../src/http/ops/index.js';
import { restApi } from '../../src/http/rest/index.js';
import type { Store } from '../../src/ports/store.js';
import { AccountService } from '../../src/services/accounts/index.js';
import { CollectionService } from '../../src/services/collections/index.js';
import type { PolicyService } from '../../src/services/policy/policy-service.js';
import { IntelService } from '../../src/services/intel/index.js';
import { policyServices } from '../../src/composition-root.js';
import { resolveConfig } from '../../src/config/node-config.js';
import { nodePolicyOf } from '../../src/services/policy/node-policy.js';

export const PASSWORDS = { admin: 'admin-password-1', alice: 'alice-password-1', bob: 'bob-password-12', carol: 'carol-password-1' } as const;
export type UserName = keyof typeof PASSWORDS;

/** The Authorization header for HTTP Basic. */
export function basic(user: UserName, password: string = PASSWORDS[user]): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/**
 * A node wired as the composition root wires it (REST, operations, metrics), on a real SQLite
 * store in a temp dir. Collection `intel` (alias `shared-intel`): alice reads and writes, bob
 * reads. Collection `secret`: only the admin. Carol has no grant at all.
 */
export interface RestNode {
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly clock: ManualClock;
  readonly metrics: EntenteMetrics;
  readonly accounts: AccountService;
  readonly policy: PolicyService;
  readonly intel: IntelService;
  readonly intelId: string;
  readonly secretId: string;
  /** `app.inject` as `user` (anonymous when undefined). */
  call(user: UserName | undefined, options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function startRestNode(options: { readonly metricsAuth?: boolean; readonly maxContentLength?: number } = {}): Promise<RestNode> {
  const dir = mkdtempSync(join(tmpdir(), 'entente-rest-'));
  const store = await openSqliteStore({ file: join(dir, 'entente.db') });
  await store.migrate();
  const clock = new ManualClock('2026-01-01T00:00:00.000Z');
  const metrics = createMetrics({ store });
  // A cheap scrypt cost: the tests exercise the logic, not the work factor.
  const accounts = new AccountService({ store, clock, scryptCost: { N: 1024, r: 8, p: 1 } });
  const collections = new CollectionService({ store, clock });
  const policy = policyServices(store, clock, nodePolicyOf(resolveConfig([{ source: 'test', values: { node: { organisation: 'DEU', country: 'DEU', kind: 'nation' } } }])));
  await policy.policy.ensureNodeOrganisation();
  const intel = instrumentIntel(new IntelService({ store, clock, labelGate: policy.labelGate, release: policy.release }), metrics);
  await accounts.bootstrapAdmin(PASSWORDS.admin);
  await accounts.createUser('alice', PASSWORDS.alice, ['analyst']);
  await accounts.createUser('bob', PASSWORDS.bob, ['liaison']);
  await accounts.createUser('carol', PASSWORDS.carol, ['analyst']);
  const shared = await collections.create({ title: 'Shared intel', alias: 'shared-intel' });
  const secret = await collections.create({ title: 'Secret', alias: 'secret' });
  await collections.grant(shared.id, 'alice', { canRead: true, canWrite: true });
  await collections.grant(shared.id, 'bob', { canRead: true, canWrite: false });
  const app = await buildHttpApp({
    intel, accounts, collections,
    config: { title: 'Entente REST test node', ...(options.maxContentLength === undefined ? {} : { maxContentLength: options.maxContentLength }) },
    extraPlugins: [
      metricsHooksPlugin({ metrics }),
      opsRoutes({ store, version: '9.9.9-test', metrics, metricsAuth: options.metricsAuth ?? false }),
      restApi({ intel, accounts, collections, policy: policy.policy, simulator: policy.simulator, version: '9.9.9-test' }),
    ],
  });
  await app.ready();
  let closed = false;
  return {
    app, store, clock, metrics, accounts, policy: policy.policy, intel, intelId: shared.id, secretId: secret.id,
    call: (user, request) => app.inject({ ...request, headers: { ...(user === undefined ? {} : { authorization: basic(user) }), ...request.headers } }),
    async close() {
      await app.close();
      if (!closed) await store.close();
      closed = true;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
const uuidTail = (): string => (++counter).toString(16).padStart(12, '0');

/** A valid indicator with a fresh id unless one is given. */
export function indicator(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const n = counter + 1;
  return {
    type: 'indicator', spec_version: '2.1', id: `indicator--8e2e2d2b-17d4-4cbf-938f-${uuidTail()}`,
    created: '2025-06-01T00:00:00.000Z', modified: '2025-06-01T00:00:00.000Z',
    name: `Bad address ${n}`, pattern: `[ipv4-addr:value = '198.51.100.${n % 250}']`, pattern_type: 'stix', valid_from: '2025-06-01T00:00:00Z',
    ...overrides,
  };
}

/** A valid malware family. */
export function malware(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'malware', spec_version: '2.1', id: `malware--31b940d4-6f7f-459a-80ea-${uuidTail()}`,
    created: '2025-06-01T00:00:00.000Z', modified: '2025-06-01T00:00:00.000Z', name: 'Family', is_family: true,
    ...overrides,
  };
}

/** A relationship between two objects. */
export function relationship(source: string, type: string, target: string): Record<string, unknown> {
  return {
    type: 'relationship', spec_version: '2.1', id: `relationship--44298a74-ba52-4f0c-87a3-${uuidTail()}`,
    created: '2025-06-01T00:00:00.000Z', modified: '2025-06-01T00:00:00.000Z',
    relationship_type: type, source_ref: source, target_ref: target,
  };
}

/** A bundle of objects. */
export function bundle(...objects: ReadonlyArray<Record<string, unknown>>): Record<string, unknown> {
  return { type: 'bundle', id: `bundle--5d0092c5-5f74-4287-9642-${uuidTail()}`, objects };
}

/** Imports a bundle as `user` into a collection; returns the answer. */
export function importBundle(node: RestNode, user: UserName, collection: string, body: unknown, query = ''): Promise<LightMyRequestResponse> {
  return node.call(user, { method: 'POST', url: `/api/v1/imports?collection=${collection}${query}`, payload: body as Record<string, unknown> });
}

/**
 * An object every version of the validator rejects: it has no id (`$.objects[i].id` is
 * required by STIX 2.1 section 3.2 for every object).
 */
export function withoutId(): Record<string, unknown> {
  const { id: _id, ...rest } = indicator();
  void _id;
  return rest;
}
