import { Command } from 'commander';
import { LOCAL_OPERATOR, withNode, withNodeOptions, type NodeFlags } from '../node-options.js';
import { colour, makeOutput, table } from '../output.js';

type Flags = NodeFlags & { json?: boolean };
const sub = (name: string) => withNodeOptions(new Command(name)).option('--json', 'machine output');
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `entente peers`: the nodes this node pushes to, and how pushing goes. */
export function peersCommand(): Command {
  const cmd = new Command('peers').description('Peer nodes this node pushes intelligence to (sealed, signed, under the agreements), and their status');
  cmd.addCommand(sub('add').description('Link a peer: where it listens and the token it issued to this node (its keys must be pinned first: entente keys pin)')
    .argument('<code>', 'the peer organisation code')
    .requiredOption('--url <url>', 'the peer node\'s base URL, e.g. https://cert.pl.example:8443')
    .option('--token <token>', 'the API token the peer issued to this node (or ENTENTE_PEER_TOKEN)')
    .option('--collection <id>', 'a collection (id or alias) whose new objects are pushed; repeat for several (default: intel)', collect)
    .option('--inbound <id>', 'where objects from the peer are stored (default: intel)')
    .action(async (code: string, opts: Flags & { url: string; token?: string; collection?: string[]; inbound?: string }) => {
      const out = makeOutput(opts.json === true);
      await withNode(opts, async (node) => {
        const resolve = async (c: string) => (await node.collections.resolve(LOCAL_OPERATOR, c)).collection.id;
        const collections = await Promise.all((opts.collection ?? ['intel']).map(resolve));
        const link = await node.federation.addPeer({
          code, url: opts.url, token: opts.token ?? process.env['ENTENTE_PEER_TOKEN'] ?? '', collections,
          ...(opts.inbound === undefined ? {} : { inbound: await resolve(opts.inbound) }),
        });
        if (out.json) return out.data({ ...link, token: undefined });
        out.line(`${colour.green('linked')} ${code} at ${link.url}: pushing ${collections.length} collection(s); started with the next round of entente start`);
      });
    }));
  cmd.addCommand(sub('list').description('Every peer with its last contact, errors, backoff and counts').action(async (opts: Flags) => {
    const out = makeOutput(opts.json === true);
    await withNode(opts, async (node) => {
      const status = await node.federation.status();
      if (out.json) return out.data(status);
      if (status.length === 0) return out.line(colour.dim('no peer linked (entente peers add)'));
      out.line(table(['PEER', 'URL', 'LAST CONTACT', 'LAST SUCCESS', 'FAILURES', 'SENT ENV/OBJ', 'RECEIVED ENV/OBJ', 'REFUSED', 'LAST ERROR'], status.map(({ link, state }) => [
        link.enabled ? colour.bold(link.code) : colour.dim(link.code), link.url, state.lastContact ?? colour.dim('never'), state.lastSuccess ?? colour.dim('never'),
        state.failures > 0 ? colour.red(String(state.failures)) : '0', `${state.sentEnvelopes}/${state.sentObjects}`, `${state.receivedEnvelopes}/${state.receivedObjects}`,
        String(state.rejectedEnvelopes), state.lastError === undefined ? '' : colour.red(state.lastError.slice(0, 60)),
      ])));
    });
  }));
  cmd.addCommand(sub('push').description('Push now to one peer, or to every peer not backing off').argument('[code]')
    .action(async (code: string | undefined, opts: Flags) => {
      const out = makeOutput(opts.json === true);
      await withNode(opts, async (node) => {
        const reports = code === undefined ? await node.federation.pushAll() : [await node.federation.push(code)];
        if (out.json) return out.data(reports);
        out.line(table(['PEER', 'ENVELOPES', 'SENT', 'WITHHELD', 'RESULT'], reports.map((r) => [
          r.peer, r.envelopes, r.sent, r.withheld, r.skipped === true ? colour.dim('backing off') : r.error === undefined ? colour.green('ok') : colour.red(r.error),
        ])));
        if (reports.some((r) => r.error !== undefined)) process.exitCode = 1;
      });
    }));
  cmd.addCommand(sub('pull').description("Pull what is new from a peer's TAXII server (the fallback when it cannot push here), with the same checks as a push")
    .argument('<code>')
    .option('--collection <id>', "the peer's collection (id or alias)", 'intel')
    .action(async (code: string, opts: Flags & { collection: string }) => {
      const out = makeOutput(opts.json === true);
      await withNode(opts, async (node) => {
        const report = await node.federation.pull(code, opts.collection);
        if (out.json) return out.data(report);
        if (report.error !== undefined) {
          out.line(`${colour.red('failed')} ${code}: ${report.error}`);
          process.exitCode = 1;
          return;
        }
        out.line(`${colour.green('pulled')} from ${code}: ${report.added} added, ${report.duplicates} already held, ${report.refused} refused by the agreements`);
      });
    }));
  cmd.addCommand(sub('resync').description('Offer the peer everything again (after an agreement widened what it may receive)').argument('<code>')
    .action(async (code: string, opts: Flags) => {
      await withNode(opts, (node) => node.federation.resync(code));
      makeOutput(opts.json === true).line(`${colour.green('reset')} ${code}: the next push offers everything it may receive`);
    }));
  cmd.addCommand(sub('remove').description('Unlink a peer (its pinned keys stay: entente keys unpin)').argument('<code>')
    .action(async (code: string, opts: Flags) => {
      await withNode(opts, (node) => node.federation.removePeer(code));
      makeOutput(opts.json === true).line(`${colour.green('removed')} ${code}`);
    }));
  return cmd;
}
