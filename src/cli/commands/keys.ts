import { readFile, writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { openFileKeys, readPublicKeySet, type NodeKeys } from '../../adapters/keys/index.js';
import { systemClock } from '../../adapters/system/system-clock.js';
import { EntenteError } from '../../core/errors.js';
import { formatFingerprint } from '../../core/federation/envelope-types.js';
import { parseJson } from '../../core/json/parse-json.js';
import type { Jwk } from '../../ports/key-ring.js';
import { configFrom, withNode, withNodeOptions, type NodeFlags } from '../node-options.js';
import { colour, makeOutput, table } from '../output.js';

type Flags = NodeFlags & { json?: boolean };
const DAY = 24 * 60 * 60 * 1000;
const sub = (name: string) => withNodeOptions(new Command(name)).option('--json', 'machine output');

/**
 * The keys need no database: only the data directory and ENTENTE_KEY_PASSPHRASE. So these
 * commands work on a node whose store is down, and on an offline enclave's workstation.
 */
function keysOf(flags: NodeFlags): { readonly keys: NodeKeys; readonly organisation: string } {
  const config = configFrom(flags);
  return { keys: openFileKeys({ dataDir: config.dataDir, clock: systemClock, passphrase: process.env['ENTENTE_KEY_PASSPHRASE'] }), organisation: config.node.organisation };
}

/** `entente keys`: the node's signing and key-agreement keys, and its peers' pinned keys. */
export function keysCommand(): Command {
  const cmd = new Command('keys').description("The node's Ed25519 signing and X25519 key-agreement keys, and the public keys pinned for its peers");
  cmd.addCommand(sub('show').description('Fingerprints, kids, creation time and state of every key of this node (created at first use)').action(async (opts: Flags) => {
    const out = makeOutput(opts.json === true);
    const { keys, organisation } = keysOf(opts);
    const list = await keys.ring.list();
    if (out.json) return out.data({ organisation, keys: list.map((k) => ({ ...k, fingerprint: formatFingerprint(k.kid) })) });
    out.line(`Keys of ${colour.bold(organisation)}`);
    out.line(table(['USE', 'STATE', 'CREATED', 'RETIRES', 'KID / FINGERPRINT'], list.flatMap((k) => [
      [k.use === 'sig' ? 'signing' : 'sealing', stateColour(k.state), k.created, k.retiresAt ?? '', k.kid],
      ['', '', '', '', colour.dim(formatFingerprint(k.kid))],
    ])));
  }));
  cmd.addCommand(sub('rotate').description('Make new keys; the current ones keep opening and verifying during the overlap period, then retire')
    .option('--overlap-days <days>', 'overlap period in days', '7')
    .action(async (opts: Flags & { overlapDays: string }) => {
      const out = makeOutput(opts.json === true);
      const days = Number(opts.overlapDays);
      if (!Number.isFinite(days) || days < 0) throw new EntenteError('ENTENTE_INVALID_PARAMETER', `--overlap-days must be a non-negative number, not ${opts.overlapDays}`);
      const list = await withNode(opts, async (node) => {
        const rotated = await node.keys.ring.rotate({ overlapMs: days * DAY });
        const at = new Date(node.clock.now()).toISOString();
        await node.ledger.keyEvents(rotated.filter((k) => k.state === 'current'), 'rotated', at);
        return rotated;
      });
      if (out.json) return out.data(list);
      for (const k of list.filter((key) => key.state === 'current')) out.line(`${colour.green('new')} ${k.use === 'sig' ? 'signing' : 'sealing'} key ${k.kid}  ${colour.dim(formatFingerprint(k.kid))}`);
      const retires = list.find((k) => k.state === 'overlap')?.retiresAt;
      if (retires !== undefined) out.line(`previous keys stay usable until ${retires}`);
      out.line('Give your peers the new public keys: entente keys export-public --out FILE');
    }));
  cmd.addCommand(withNodeOptions(new Command('export-public')).description('Write the public keys (JWK Set, current and overlap) to give to peers')
    .option('-o, --out <file>', 'write to this file instead of standard output')
    .action(async (opts: NodeFlags & { out?: string }) => {
      const { keys, organisation } = keysOf(opts);
      const set = { organisation, ...(await keys.ring.publicKeySet()) };
      const text = `${JSON.stringify(set, null, 2)}\n`;
      if (opts.out === undefined) return void process.stdout.write(text);
      await writeFile(opts.out, text);
      const out = makeOutput(false);
      out.line(`${colour.green('wrote')} ${set.keys.length} public key(s) of ${organisation} to ${opts.out}; fingerprints to read to the peer:`);
      for (const k of set.keys) out.line(`  ${k.use === 'sig' ? 'signing' : 'sealing'}  ${formatFingerprint(k.kid as string)}`);
    }));
  cmd.addCommand(sub('pin').description("Pin a peer's public keys (a JWK Set from entente keys export-public); compare the fingerprints printed with the peer's, out of band")
    .argument('<peer>', 'organisation code of the peer, e.g. POL')
    .argument('<file>', 'the JWK Set')
    .option('--valid-until <timestamp>', 'stop trusting these keys after this time')
    .action(async (peer: string, file: string, opts: Flags & { validUntil?: string }) => {
      const out = makeOutput(opts.json === true);
      const set = await readPublicKeySet(parseJson(await readText(file), { source: file }), file);
      if (set.organisation !== undefined && set.organisation !== peer) {
        throw new EntenteError('ENTENTE_INVALID_PARAMETER', `${file} holds the keys of ${set.organisation}, not ${peer}`);
      }
      if (opts.validUntil !== undefined && Number.isNaN(Date.parse(opts.validUntil))) {
        throw new EntenteError('ENTENTE_INVALID_PARAMETER', `--valid-until must be a timestamp, not ${opts.validUntil}`);
      }
      const { keys } = keysOf(opts);
      const record = {
        organisation: peer, signing: set.signing, encryption: set.encryption, pinnedAt: new Date(systemClock.now()).toISOString(),
        ...(opts.validUntil === undefined ? {} : { validUntil: new Date(Date.parse(opts.validUntil)).toISOString() }),
      };
      await keys.peers.pin(record);
      if (out.json) return out.data({ ...record, fingerprints: fingerprintsOf(record) });
      out.line(`${colour.green('pinned')} ${set.signing.length} signing and ${set.encryption.length} sealing key(s) for ${colour.bold(peer)}. Check with ${peer}, by telephone or in person:`);
      for (const { use, fingerprint } of fingerprintsOf(record)) out.line(`  ${use}  ${fingerprint}`);
    }));
  cmd.addCommand(sub('peers').description("Every peer's pinned keys with their fingerprints").action(async (opts: Flags) => {
    const out = makeOutput(opts.json === true);
    const peers = await keysOf(opts).keys.peers.list();
    if (out.json) return out.data(peers.map((p) => ({ ...p, fingerprints: fingerprintsOf(p) })));
    out.line(table(['PEER', 'USE', 'FINGERPRINT', 'PINNED', 'VALID UNTIL'], peers.flatMap((p) =>
      fingerprintsOf(p).map((f, i) => [i === 0 ? p.organisation : '', f.use, f.fingerprint, i === 0 ? p.pinnedAt : '', i === 0 ? p.validUntil ?? '' : '']))));
  }));
  cmd.addCommand(sub('unpin').description("Stop trusting a peer's keys").argument('<peer>').action(async (peer: string, opts: Flags) => {
    const removed = await keysOf(opts).keys.peers.remove(peer);
    if (!removed) throw new EntenteError('ENTENTE_PEER_KEYS_UNKNOWN', `No keys are pinned for ${peer}`);
    makeOutput(opts.json === true).line(`${colour.green('unpinned')} ${peer}`);
  }));
  return cmd;
}

/** Reads a file the operator named; a missing one is a clear error, not a stack trace. */
export async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new EntenteError('ENTENTE_INVALID_PARAMETER', `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, [{ path: file, message: 'unreadable' }]);
  }
}

function fingerprintsOf(p: { readonly signing: ReadonlyArray<Jwk>; readonly encryption: ReadonlyArray<Jwk> }): Array<{ use: string; kid: string; fingerprint: string }> {
  return [
    ...p.signing.map((k) => ({ use: 'signing', kid: k.kid as string, fingerprint: formatFingerprint(k.kid as string) })),
    ...p.encryption.map((k) => ({ use: 'sealing', kid: k.kid as string, fingerprint: formatFingerprint(k.kid as string) })),
  ];
}

function stateColour(state: string): string {
  return state === 'current' ? colour.green(state) : state === 'overlap' ? colour.yellow(state) : colour.dim(state);
}
