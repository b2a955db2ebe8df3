import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { EntenteError, isEntenteError } from '../../core/errors.js';
import type { AgreementChange, OutcomeCounts, SimulationSummary } from '../../core/policy/simulation.js';
import type { Agreement } from '../../core/policy/types.js';
import type { NodeServices } from '../../composition-root.js';
import { LOCAL_OPERATOR, withNode, withNodeOptions, type NodeFlags } from '../node-options.js';
import { colour, makeOutput, table, type Output } from '../output.js';

type Flags = NodeFlags & { json?: boolean };
const sub = (name: string) => withNodeOptions(new Command(name)).option('--json', 'machine output');

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new EntenteError('ENTENTE_INVALID_PARAMETER', `${file}: cannot read the agreement file`, [{ path: file, message: 'not found or unreadable' }]);
  }
}

/** An agreement named by a YAML file or by the id (and version) of a recorded one. */
async function agreementOf(node: NodeServices, ref: string, version?: string): Promise<Agreement> {
  if (existsSync(ref)) return node.policy.readAgreementText(await readText(ref));
  return (await node.policy.getAgreement(ref, version === undefined ? undefined : positive(version, '--version'))).agreement;
}

function positive(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new EntenteError('ENTENTE_INVALID_PARAMETER', `${what} must be a positive integer, got ${text}`);
  return n;
}

const STATUS_COLOUR: Record<string, (s: string) => string> = { active: colour.green, draft: colour.yellow, suspended: colour.red, expired: colour.dim };

export function agreementsCommand(): Command {
  const cmd = new Command('agreements').description('Sharing agreements as code: check, record, activate, dry-run and compare them');

  cmd.addCommand(
    sub('validate').description('Check agreement files against the directory and the classification policies; exit 1 when any is invalid')
      .argument('<files...>', 'agreement YAML files')
      .action(async (files: string[], opts: Flags) => {
        const out = makeOutput(opts.json === true);
        const reports = await withNode(opts, async (node) => {
          const list: Array<{ file: string; valid: boolean; id?: string; problems: ReadonlyArray<{ path?: string; message: string }> }> = [];
          for (const file of files) {
            try {
              const a = await node.policy.readAgreementText(await readText(file));
              list.push({ file, valid: true, id: a.id, problems: [] });
            } catch (error) {
              if (!isEntenteError(error) || error.code !== 'ENTENTE_AGREEMENT_INVALID') throw error;
              list.push({ file, valid: false, problems: error.details.length > 0 ? error.details : [{ message: error.message }] });
            }
          }
          return list;
        });
        process.exitCode = reports.every((r) => r.valid) ? 0 : 1;
        if (out.json) return out.data({ valid: process.exitCode === 0, files: reports });
        for (const r of reports) {
          out.line(`${r.valid ? colour.green('valid  ') : colour.red('invalid')}  ${r.file}${r.id === undefined ? '' : colour.dim(`  (${r.id})`)}`);
          for (const p of r.problems) out.line(`  ${colour.red('error')}  ${p.path ?? ''}  ${p.message}`);
        }
      }),
  );

  cmd.addCommand(
    sub('submit').description('Record agreement files: a new agreement, or the next version of one (every version is kept)')
      .argument('<files...>', 'agreement YAML files')
      .action(async (files: string[], opts: Flags) => {
        const out = makeOutput(opts.json === true);
        await withNode(opts, async (node) => {
          const results = [];
          for (const file of files) {
            const r = await node.policy.submitAgreement(await readText(file), LOCAL_OPERATOR.name);
            results.push({ file, id: r.record.agreement.id, version: r.record.agreement.version, status: r.record.agreement.status, created: r.created, change: r.record.change });
          }
          if (out.json) return out.data(results);
          out.line(table(['FILE', 'AGREEMENT', 'VERSION', 'STATUS', 'RESULT'], results.map((r) => [
            r.file, r.id, r.version, (STATUS_COLOUR[r.status] ?? String)(r.status), r.created ? colour.green(r.change) : colour.dim('unchanged'),
          ])));
        });
      }),
  );

  cmd.addCommand(
    sub('list').description('The latest version of every agreement').action(async (opts: Flags) => {
      const out = makeOutput(opts.json === true);
      await withNode(opts, async (node) => {
        const list = await node.policy.listAgreements();
        if (out.json) return out.data(list.map((r) => r.agreement));
        if (list.length === 0) return out.line(colour.dim('no agreement recorded'));
        out.line(table(['AGREEMENT', 'VERSION', 'STATUS', 'PARTIES', 'VALID', 'TITLE'], list.map(({ agreement: a }) => [
          a.id, a.version, (STATUS_COLOUR[a.status] ?? String)(a.status), a.parties.join(','), `${a.validFrom.slice(0, 10)}..${a.validUntil?.slice(0, 10) ?? ''}`, a.title,
        ])));
      });
    }),
  );

  cmd.addCommand(
    sub('show').description('One agreement as recorded: its YAML (or --json, the parsed agreement)').argument('<id>')
      .option('--version <n>', 'this version rather than the latest')
      .action(async (id: string, opts: Flags & { version?: string }) => {
        const out = makeOutput(opts.json === true);
        await withNode(opts, async (node) => {
          const r = await node.policy.getAgreement(id, opts.version === undefined ? undefined : positive(opts.version, '--version'));
          if (out.json) return out.data(r);
          out.line(colour.dim(`# ${r.agreement.id} version ${r.agreement.version}, recorded ${r.recordedAt} by ${r.recordedBy}: ${r.change}`));
          process.stdout.write(r.source.endsWith('\n') ? r.source : `${r.source}\n`);
        });
      }),
  );

  cmd.addCommand(
    sub('history').description('Every version of an agreement: when, by whom, what changed').argument('<id>').action(async (id: string, opts: Flags) => {
      const out = makeOutput(opts.json === true);
      await withNode(opts, async (node) => {
        const versions = await node.policy.agreementHistory(id);
        if (out.json) return out.data(versions.map(({ source: _s, ...r }) => r));
        out.line(table(['VERSION', 'STATUS', 'RECORDED', 'BY', 'CHANGE'], versions.map((r) => [
          r.agreement.version, (STATUS_COLOUR[r.agreement.status] ?? String)(r.agreement.status), r.recordedAt, r.recordedBy, r.change,
        ])));
      });
    }),
  );

  cmd.addCommand(
    sub('diff').description('What changed between two versions of an agreement').argument('<id>').argument('<from>').argument('<to>')
      .action(async (id: string, from: string, to: string, opts: Flags) => {
        const out = makeOutput(opts.json === true);
        await withNode(opts, async (node) => {
          const changes = await node.policy.diffVersions(id, positive(from, 'from'), positive(to, 'to'));
          if (out.json) return out.data(changes);
          printChanges(out, changes);
        });
      }),
  );

  for (const [verb, status] of [['activate', 'active'], ['suspend', 'suspended'], ['expire', 'expired'], ['draft', 'draft']] as const) {
    cmd.addCommand(
      sub(verb).description(`Set an agreement's status to ${status} (recorded as a new version)`).argument('<id>')
        .action(async (id: string, opts: Flags) => {
          const out = makeOutput(opts.json === true);
          await withNode(opts, async (node) => {
            const r = await node.policy.setAgreementStatus(id, status, LOCAL_OPERATOR.name);
            if (out.json) return out.data({ id, version: r.record.agreement.version, status, created: r.created });
            out.line(r.created ? `${colour.green(status)} ${id} (version ${r.record.agreement.version})` : colour.dim(`${id} is already ${status}`));
          });
        }),
    );
  }

  cmd.addCommand(
    sub('simulate').description('Dry run: what a party would receive if the agreement were active now, and why each other object would not go')
      .argument('<agreement>', 'an agreement YAML file, or the id of a recorded agreement')
      .requiredOption('--as <party>', 'the organisation code of the party')
      .option('--version <n>', 'with a recorded agreement: this version')
      .option('--collection <id>', 'only this collection (id or alias)')
      .option('--examples <n>', 'examples per group', '5')
      .action(async (ref: string, opts: Flags & { as: string; version?: string; collection?: string; examples: string }) => {
        const out = makeOutput(opts.json === true);
        await withNode(opts, async (node) => {
          const agreement = await agreementOf(node, ref, opts.version);
          const scope = opts.collection === undefined ? undefined : [(await node.collections.resolve(LOCAL_OPERATOR, opts.collection, 'read')).collection.id];
          const result = await node.simulator.simulate(agreement, opts.as, {
            examples: positive(opts.examples, '--examples'), ...(scope === undefined ? {} : { collectionIds: scope }),
            ...(out.json || !process.stderr.isTTY ? {} : { onProgress: (n: number) => process.stderr.write(`\r${colour.dim(`decided ${n} object(s)`)}`) }),
          });
          if (!out.json && process.stderr.isTTY) process.stderr.write('\r\u001b[K');
          if (out.json) return out.data(result);
          out.line(`${colour.bold(`${agreement.id} v${agreement.version}`)} as if active, for ${colour.bold(opts.as)}`);
          printSummary(out, result.summary);
        });
      }),
  );

  cmd.addCommand(
    sub('compare').description('Dry run of two versions of an agreement side by side: what changes for a party')
      .argument('<id>').argument('<from>').argument('<to>')
      .requiredOption('--as <party>', 'the organisation code of the party')
      .action(async (id: string, from: string, to: string, opts: Flags & { as: string }) => {
        const out = makeOutput(opts.json === true);
        await withNode(opts, async (node) => {
          const [a, b] = await Promise.all([node.policy.getAgreement(id, positive(from, 'from')), node.policy.getAgreement(id, positive(to, 'to'))]);
          const diff = await node.simulator.compare(a.agreement, b.agreement, opts.as);
          if (out.json) return out.data(diff);
          printChanges(out, diff.changes);
          out.line();
          out.line(table(['', 'RELEASED', 'REDACTED', 'DENIED'], [
            [`version ${from}`, ...counts(diff.before.counts)], [`version ${to}`, ...counts(diff.after.counts)],
          ]));
          if (diff.outcomes.length === 0) return out.line(colour.dim('no object changes outcome'));
          out.line();
          out.line(table(['OBJECT', 'TYPE', 'BEFORE', 'AFTER', 'REASON'], diff.outcomes.map((o) => [o.id, o.type, outcome(o.before), outcome(o.after), o.reason ?? ''])));
        });
      }),
  );
  return cmd;
}

const counts = (c: OutcomeCounts): string[] => [String(c.allow), String(c.redact), String(c.deny)];
const outcome = (o: string): string => (o === 'allow' ? colour.green(o) : o === 'redact' ? colour.yellow(o) : colour.red(o));

function printChanges(out: Output, changes: ReadonlyArray<AgreementChange>): void {
  if (changes.length === 0) return out.line(colour.dim('no change'));
  const show = (v: unknown): string => (v === undefined ? colour.dim('(absent)') : JSON.stringify(v));
  out.line(table(['FIELD', 'BEFORE', 'AFTER'], changes.map((c) => [c.path, show(c.before), show(c.after)])));
}

function printSummary(out: Output, s: SimulationSummary): void {
  out.line(`${s.total} object(s): ${colour.green(`${s.counts.allow} released`)}, ${colour.yellow(`${s.counts.redact} redacted`)}, ${colour.red(`${s.counts.deny} denied`)}`);
  out.line();
  out.line(table(['TYPE', 'RELEASED', 'REDACTED', 'DENIED'], Object.entries(s.byType).map(([type, c]) => [type, ...counts(c)])));
  out.line();
  out.line(table(['LABEL', 'RELEASED', 'REDACTED', 'DENIED'], Object.entries(s.byLabel).map(([label, c]) => [label, ...counts(c)])));
  if (s.examples.length > 0) {
    out.line();
    out.line(colour.bold('Examples of what would go'));
    for (const e of s.examples) out.line(`  ${outcome(e.outcome)}  ${e.id}  ${colour.dim(e.banner)}`);
  }
  if (s.denials.length > 0) {
    out.line();
    out.line(colour.bold('Why the rest would not go'));
    for (const d of s.denials) {
      out.line(`  ${colour.red(d.reason)}  ${d.count} object(s)`);
      for (const e of d.examples) out.line(`    ${e.id}  ${colour.dim(e.detail)}`);
    }
  }
}
