/**
 * Several nodes in one test process, each with its own data dir, store, keys and HTTP server on
 * a loopback port: a small coalition whose members know each other (directory, agreements,
 * pinned keys, accounts for each other, peer links).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { readPublicKeySet } from '../../src/adapters/keys/index.js';
import { buildNodeHttp, openNode, type NodeServices } from '../../src/composition-root.js';
import { resolveConfig } from '../../src/config/node-config.js';
import type { OrganisationKind } from '../../src/core/labels/types.js';
import { setUpNode } from '../../src/services/setup/node-setup.js';

export interface CoalitionNode {
  readonly code: string;
  readonly node: NodeServices;
  readonly app: FastifyInstance;
  readonly url: string;
  readonly dir: string;
  readonly intelId: string;
  close(): Promise<void>;
}

export const MEMBERS: ReadonlyArray<Member> = [
  { code: 'DEU', id: 'identity--0d000000-0000-4000-8000-000000000001', kind: 'nation' },
  { code: 'POL', id: 'identity--0d000000-0000-4000-8000-000000000002', kind: 'nation' },
  { code: 'FRA', id: 'identity--0d000000-0000-4000-8000-000000000003', kind: 'nation' },
];

/** Opens (or reopens, with `dir`) one member's node and serves it on a loopback port (any free one unless given). */
export type Member = { readonly code: string; readonly id: string; readonly kind: OrganisationKind; readonly country?: string };

/** `count` nations with fixed identities, for larger coalitions (benchmarks). */
export function members(codes: ReadonlyArray<string>): ReadonlyArray<Member> {
  return codes.map((code, i) => ({ code, id: `identity--0d000000-0000-4000-8000-${(i + 1).toString(16).padStart(12, '0')}`, kind: 'nation' }));
}

export async function startMember(
  code: string, dir = mkdtempSync(join(tmpdir(), `entente-fed-${code.toLowerCase()}-`)), port = 0, coalition: ReadonlyArray<Member> = MEMBERS, logger: Logger = pino({ level: 'silent' }),
): Promise<CoalitionNode> {
  const config = resolveConfig([{ source: 'test', values: {
    dataDir: dir, database: { sqliteFile: join(dir, 'entente.db') }, node: { name: `node-${code}`, organisation: code, country: code, kind: 'nation' }, log: { level: 'silent' },
  } }]);
  const node = await openNode(config, { logger });
  await setUpNode(node, { adminPassword: 'federation admin password' });
  for (const m of coalition) {
    const existing = (await node.policy.listOrganisations()).find((o) => o.code === m.code);
    if (existing === undefined) await node.policy.addOrganisation({ code: m.code, name: `${m.code} CERT`, kind: m.kind, country: m.country ?? m.code, id: m.id });
    else if (existing.id !== m.id) await node.policy.updateOrganisation(m.code, { id: m.id });
  }
  await node.keys.ring.ensure();
  const app = await buildNodeHttp(node);
  const address = await app.listen({ host: '127.0.0.1', port });
  const intelId = (await node.collections.listAll()).find((c) => c.alias === 'intel')?.id ?? '';
  return {
    code, node, app, url: address, dir, intelId,
    async close() {
      await app.close();
      await node.close();
    },
  };
}

/** Records the same agreement text on every node. */
export async function agree(nodes: ReadonlyArray<CoalitionNode>, yaml: string): Promise<void> {
  for (const n of nodes) await n.node.policy.submitAgreement(yaml, 'test');
}

/**
 * Makes `from` able to push to `to`: `to` pins `from`'s keys and gives it an account of its
 * organisation; `from` pins `to`'s keys and links it with that account's token.
 */
export async function link(from: CoalitionNode, to: CoalitionNode): Promise<void> {
  await pin(to, from);
  await pin(from, to);
  const account = `node-${from.code.toLowerCase()}`;
  if ((await to.node.accounts.listUsers()).every((u) => u.name !== account)) {
    await to.node.accounts.createUser(account, 'peer node password 1', ['analyst']);
    await to.node.policy.setProfile(account, { nationality: from.code, organisation: from.code });
  }
  const token = await to.node.accounts.createToken(account, { description: `push from ${from.code}` });
  await from.node.federation.addPeer({ code: to.code, url: to.url, token: token.token, collections: [from.intelId] });
}

/** `holder` pins `owner`'s public keys (the fingerprints checked out of band). */
export async function pin(holder: CoalitionNode, owner: CoalitionNode): Promise<void> {
  const set = await readPublicKeySet(await owner.node.keys.ring.publicKeySet(), owner.code);
  await holder.node.keys.peers.pin({ organisation: owner.code, signing: set.signing, encryption: set.encryption, pinnedAt: '2026-01-01T00:00:00.000Z' });
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
