import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import type { NodeServices } from '../../composition-root.js';
import { EntenteError } from '../../core/errors.js';
import { parseJson } from '../../core/json/parse-json.js';
import {
  checkProofDocument, openCheckpoint, parseVerifierKey, readProofDocument, toBase64, type NoteVerifier, type ProofDocument,
} from '../../core/ledger/index.js';
import { LEDGER_CHUNK, verifyLedger } from '../../ports/ledger-store.js';
import type { LedgerService } from '../../services/ledger/ledger-service.js';
import { withNode, withNodeOptions, type NodeFlags } from '../node-options.js';
import { colour, makeOutput, type Output } from '../output.js';
import { makeProgress } from '../progress.js';

type Flags = NodeFlags & { json?: boolean };
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/**
 * `entente ledger`: check the node's transparency log and hand out proofs. Exit status: 0 the
 * log or proof holds, 1 it does not, 2 bad input or an error.
 */
function ledgerOf(node: NodeServices): LedgerService {
  return node.ledger;
}

export function ledgerCommand(): Command {
  const cmd = new Command('ledger').description('The transparency ledger: verify the log, prove entries, check proofs offline');

  cmd.addCommand(withNodeOptions(new Command('verify'))
    .description('Recompute the root of the whole log from the stored entries and compare it with the latest checkpoint')
    .option('--key <vkey>', 'also check the checkpoint signature against this verifier key (name+id+key); repeatable', collect)
    .option('--json', 'machine output')
    .addHelpText('after', '\nEvery stored entry is re-hashed and must give its stored leaf hash; the root at the checkpoint size\n'
      + 'must equal the checkpoint root, and the root of all entries the stored tree state.\nExit status: 0 consistent, 1 a mismatch, 2 an error.')
    .action(async (opts: Flags & { key?: string[] }) => {
      const out = makeOutput(opts.json === true);
      const verifiers = (opts.key ?? []).map(parseVerifierKey);
      await withNode(opts, async (node) => {
        const state = await node.store.getLedgerState();
        report(out, { ...await verifyLedger(node.store, { verifiers, progress: progressOf(!out.json, state.size, 'entries') }) });
      });
    }));

  cmd.addCommand(withNodeOptions(new Command('checkpoint'))
    .description("Sign a checkpoint of the ledger as it is now with the node's key (peers witness them; proofs are made against the latest)")
    .option('--json', 'machine output')
    .action(async (opts: Flags) => {
      const out = makeOutput(opts.json === true);
      await withNode(opts, async (node) => {
        const signed = await ledgerOf(node).checkpoint();
        if (out.json) return out.data(signed);
        out.line(`${colour.green('signed')} checkpoint of ${signed.treeSize} entries, root ${signed.rootHash}`);
        process.stdout.write(signed.note);
      });
    }));

  cmd.addCommand(withNodeOptions(new Command('prove'))
    .description('Print the inclusion proof of one entry (by index, or by leaf hash in hex or base64) against the latest checkpoint')
    .argument('<entry>', 'leaf index (0-based) or leaf hash')
    .option('--json', 'print only the proof document (the default also prints a summary on stderr)')
    .action(async (ref: string, opts: Flags) => {
      const out = makeOutput(opts.json === true);
      await withNode(opts, async (node) => {
        const size = (await node.store.getLedgerState()).size;
        const proof = await ledgerOf(node).inclusion(ref, progressOf(!out.json, size, 'leaves'));
        out.data(proof.document);
        if (!out.json) out.error(colour.dim(`entry ${proof.index} of ${proof.size}${proof.checkpointed ? ' (latest checkpoint)' : ' (no checkpoint yet: against the current tree)'}, ${(proof.document['path'] as unknown[]).length} hashes`));
      });
    }));

  cmd.addCommand(withNodeOptions(new Command('consistency'))
    .description('Print the consistency proof between the log at size OLD and at size NEW')
    .argument('<old>', 'the older tree size').argument('<new>', 'the newer tree size (at most the log size)')
    .option('--json', 'print only the proof document')
    .action(async (oldSize: string, newSize: string, opts: Flags) => {
      const out = makeOutput(opts.json === true);
      const [size1, size2] = [count(oldSize, 'OLD'), count(newSize, 'NEW')];
      await withNode(opts, async (node) => {
        out.data(await ledgerOf(node).consistency(size1, size2, progressOf(!out.json, size2, 'leaves')));
      });
    }));

  cmd.addCommand(new Command('check-proof')
    .description('Check an inclusion or consistency proof offline (no node, no data directory needed)')
    .argument('<file>', 'the proof as JSON; - reads standard input')
    .option('--key <vkey>', 'require the proof\'s checkpoint to be signed by this verifier key (name+id+key); repeatable', collect)
    .option('--json', 'machine output: {"holds", "reason"?, ...}')
    .addHelpText('after', `
Formats (hashes in base64 or hex, 32 bytes each):
  {"type":"inclusion","treeSize":N,"rootHash":H,"leafIndex":I,"leafHash":H,"path":[H,...]}
    ("entry": {...} may replace or accompany leafHash: its canonical JSON is hashed as the leaf)
  {"type":"consistency","size1":M,"size2":N,"root1":H,"root2":H,"path":[H,...]}
  Either may carry "checkpoint": the log's signed checkpoint note for the proven tree.
Exit status: 0 the proof holds, 1 it does not, 2 the file is malformed (the JSON path is shown).`)
    .action(async (file: string, opts: { key?: string[]; json?: boolean }) => {
      const out = makeOutput(opts.json === true);
      const verifiers = (opts.key ?? []).map(parseVerifierKey);
      const text = file === '-' ? await readStdin() : await readFile(file, 'utf8').catch((error: Error) => {
        throw new EntenteError('ENTENTE_INVALID_PARAMETER', `Cannot read ${file}: ${error.message}`);
      });
      const doc = readProofDocument(parseJson(text, { source: file === '-' ? 'standard input' : file }));
      report(out, checkDocument(doc, verifiers));
    }));
  return cmd;
}

type Verdict = { readonly holds: boolean; readonly reason?: string } & { readonly [key: string]: unknown };

function report(out: Output, verdict: Verdict): void {
  process.exitCode = verdict.holds ? 0 : 1;
  if (out.json) return out.data(verdict);
  const { holds, reason, ...facts } = verdict;
  out.line(holds ? colour.green('holds') : `${colour.red('does not hold')}: ${reason ?? ''}`);
  for (const [key, value] of Object.entries(facts)) out.line(`  ${key.padEnd(16)} ${typeof value === 'string' ? value : JSON.stringify(value)}`);
}

function checkDocument(doc: ProofDocument, verifiers: ReadonlyArray<NoteVerifier>): Verdict {
  const facts = doc.type === 'inclusion'
    ? { type: doc.type, treeSize: doc.treeSize, leafIndex: doc.leafIndex, rootHash: toBase64(doc.rootHash) }
    : { type: doc.type, size1: doc.size1, size2: doc.size2, root2: toBase64(doc.root2) };
  const check = checkProofDocument(doc);
  if (!check.holds) return { holds: false, reason: check.reason, ...facts };
  if (verifiers.length === 0) return { holds: true, ...facts, checkpoint: doc.checkpoint === undefined ? 'none given' : 'matches the proof (signature not checked: no --key)' };
  if (doc.checkpoint === undefined) return { holds: false, reason: 'a key was given but the proof carries no checkpoint to check it against', ...facts };
  try {
    const opened = openCheckpoint(doc.checkpoint, verifiers);
    return { holds: true, ...facts, checkpoint: `signed by ${opened.verifiedBy.join(', ')}` };
  } catch (error) {
    return { holds: false, reason: `the checkpoint: ${(error as Error).message}`, ...facts };
  }
}

function progressOf(interactive: boolean, total: number, unit: string): (done: number) => void {
  const progress = makeProgress(interactive && total >= LEDGER_CHUNK);
  progress.start(total, unit);
  return (done) => {
    progress.update(done);
    if (done >= total) progress.stop();
  };
}

function count(text: string, name: string): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new EntenteError('ENTENTE_INVALID_PARAMETER', `${name} must be a whole number >= 0, not ${JSON.stringify(text)}`);
  return Number(text);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
