import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import type { NodeServices } from '../../composition-root.js';
import { EntenteError } from '../../core/errors.js';
import { parseJson } from '../../core/json/parse-json.js';
import { EnvelopeService } from '../../services/federation/envelopes.js';
import { withNode, withNodeOptions, type NodeFlags } from '../node-options.js';
import { colour, makeOutput } from '../output.js';
import { readStixDocuments } from '../stix-documents.js';
import { readText } from './keys.js';

const HOUR = 60 * 60 * 1000;

/** The node's envelope service, with the replay guard kept on disk so a bundle opens once. */
export function envelopesOf(node: NodeServices): EnvelopeService {
  return new EnvelopeService({ organisation: node.config.node.organisation, keys: node.keys.ring, peers: node.keys.peers, replay: node.keys.replay, clock: node.clock });
}

/** `entente bundle`: sealed STIX bundles for transfer on removable media, with the checks of online traffic. */
export function bundleCommand(): Command {
  const cmd = new Command('bundle').description('Seal a STIX bundle for peers, or open one sealed to this node, for offline transfer');
  cmd.addCommand(withNodeOptions(new Command('seal'))
    .description('Sign a STIX bundle as this node and seal it to the recipients; only what every recipient may receive under the agreements is sealed')
    .argument('<file>', 'STIX bundle (or objects) to seal')
    .requiredOption('--to <codes>', 'recipients, comma-separated organisation codes (e.g. DEU,POL)')
    .requiredOption('-o, --out <file>', 'where to write the envelope')
    .option('--expires <when>', 'expiry: a duration (12h, 30d) or a timestamp', '7d')
    .option('--id <uuid>', 'envelope id (a UUID; made when absent)')
    .option('--json', 'machine output')
    .action(async (file: string, opts: NodeFlags & { to: string; out: string; expires: string; id?: string; json?: boolean }) => {
      const out = makeOutput(opts.json === true);
      const recipients = opts.to.split(',').map((s) => s.trim()).filter((s) => s !== '');
      const content = bundleOf(readStixDocuments(await readText(file), file).map((d) => d.value));
      await withNode(opts, async (node) => {
        // The release decision, as for any data leaving the node (logged per recipient on the
        // federation channel), then the origin proofs, exactly as a push.
        const sealed = await node.federation.seal({
          content, recipients, expiresAt: expiryOf(opts.expires, node.clock.now()), ...(opts.id === undefined ? {} : { id: opts.id }),
        });
        await writeFile(opts.out, `${JSON.stringify(sealed.envelope)}\n`);
        const summary = { id: sealed.id, origin: node.config.node.organisation, recipients, objects: sealed.content.objects.length, withheld: content.objects.length - sealed.content.objects.length, out: opts.out };
        if (out.json) return out.data(summary);
        out.line(`${colour.green('sealed')} envelope ${sealed.id}: ${summary.objects} object(s) from ${summary.origin} to ${recipients.join(', ')} in ${opts.out}`);
      });
    }));
  cmd.addCommand(withNodeOptions(new Command('open'))
    .description('Open an envelope sealed to this node: decrypt, verify the signatures against pinned keys, check expiry and replay; write the STIX bundle')
    .argument('<file>', 'the envelope')
    .option('-o, --out <file>', 'write the bundle to this file instead of standard output')
    .option('--import', 'store the objects, with exactly the checks of an envelope pushed online (agreement, ceilings), and print the signed receipt')
    .action(async (file: string, opts: NodeFlags & { out?: string; import?: boolean }) => {
      const envelope = parseJson(await readText(file), { source: file });
      await withNode(opts, async (node) => {
        if (opts.import === true) {
          const signed = await node.federation.receive(envelope);
          const { receipt } = signed;
          const count = (o: string) => receipt.results.filter((r) => r.outcome === o).length;
          process.stderr.write(`${colour.green('imported')} envelope ${receipt.envelope} from ${receipt.origin}: ${count('added')} added, ${count('duplicate')} already held, ${count('rejected')} refused\n`);
          for (const r of receipt.results.filter((x) => x.outcome === 'rejected')) process.stderr.write(`  ${colour.red('refused')}  ${r.id}  ${r.reason ?? ''}\n`);
          const text = `${JSON.stringify(signed, null, 2)}\n`;
          if (opts.out === undefined) process.stdout.write(text);
          else await writeFile(opts.out, text);
          if (count('rejected') > 0) process.exitCode = 1;
          return;
        }
        const opened = await envelopesOf(node).open(envelope);
        const text = `${JSON.stringify(opened.content, null, 2)}\n`;
        const summary = `${colour.green('opened')} envelope ${opened.id} from ${opened.origin} (signed by ${opened.signers.join(', ')}, created ${opened.created}, expires ${opened.expires}): ${opened.content.objects.length} object(s)`;
        if (opts.out === undefined) {
          process.stdout.write(text);
          process.stderr.write(`${summary}\n`);
        } else {
          await writeFile(opts.out, text);
          makeOutput(false).line(`${summary} in ${opts.out}`);
        }
      });
    }));
  return cmd;
}

/** One bundle as given, or the objects of the file wrapped in a new one. */
function bundleOf(values: ReadonlyArray<unknown>): { readonly type: 'bundle'; readonly id: string; readonly objects: ReadonlyArray<Readonly<Record<string, unknown>>> } {
  const only = values[0] as { type?: unknown; id?: unknown; objects?: unknown } | undefined;
  if (values.length === 1 && only?.type === 'bundle' && Array.isArray(only.objects)) return only as never;
  const objects = values.flatMap((v) => ((v as { type?: unknown }).type === 'bundle' ? ((v as { objects?: unknown[] }).objects ?? []) : [v])) as Array<Readonly<Record<string, unknown>>>;
  return { type: 'bundle', id: `bundle--${randomUUID()}`, objects };
}

/** `30d`, `12h` or a timestamp. */
function expiryOf(text: string, now: number): string {
  const duration = /^(\d+)([dh])$/.exec(text);
  if (duration !== null) return new Date(now + Number(duration[1]) * (duration[2] === 'd' ? 24 : 1) * HOUR).toISOString();
  const at = Date.parse(text);
  if (Number.isNaN(at)) throw new EntenteError('ENTENTE_INVALID_PARAMETER', `--expires must be a duration such as 30d or 12h, or a timestamp, not ${text}`);
  return new Date(at).toISOString();
}
