import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { parse } from 'yaml';
import { EntenteError } from '../../core/errors.js';
import { CLASSIFICATION_POLICIES, markingsForLabel, parseBanner, printBanner } from '../../core/labels/index.js';
import type { DecisionChannel } from '../../ports/policy-store.js';
import type { ReleaseOutcome } from '../../core/policy/types.js';
import { organisationIdentity, organisationOfIdentity } from '../../core/policy/organisation-identity.js';
import type { OrganisationInput } from '../../services/policy/policy-service.js';
import { withNode, withNodeOptions, type NodeFlags } from '../node-options.js';
import { colour, makeOutput, table } from '../output.js';

type Flags = NodeFlags & { json?: boolean };
const sub = (name: string) => withNodeOptions(new Command(name)).option('--json', 'machine output');
const list = (text: string | undefined): string[] => (text === undefined || text === '' ? [] : text.split(',').map((s) => s.trim()).filter((s) => s !== ''));

/** `entente orgs`: the directory of organisations that can be parties to agreements. */
export function orgsCommand(): Command {
  const cmd = new Command('orgs').description('The directory of organisations (nations, agencies, alliances, partners) that agreements name');
  cmd.addCommand(sub('list').description('Every organisation').action(async (opts: Flags) => {
    const out = makeOutput(opts.json === true);
    await withNode(opts, async (node) => {
      const orgs = await node.policy.listOrganisations();
      if (out.json) return out.data(orgs);
      out.line(table(['CODE', 'KIND', 'COUNTRY', 'NAME', 'IDENTITY'], orgs.map((o) => [
        o.code === node.policy.node.organisation.code ? colour.bold(`${o.code} *`) : o.code, o.kind, o.country, o.name, colour.dim(o.id),
      ])));
    });
  }));
  cmd.addCommand(sub('add').description('Add an organisation').argument('<code>', 'e.g. POL, CERT-EU')
    .requiredOption('--name <name>', 'full name')
    .requiredOption('--kind <kind>', 'nation, agency, alliance, international-organisation, private-partner or academia')
    .requiredOption('--country <code>', 'country trigraph (POL), or the alliance tetragraph for an alliance body (NATO)')
    .option('--memberships <list>', 'extra alliance memberships, comma-separated')
    .option('--sectors <list>', 'sectors, comma-separated')
    .option('--id <identity>', 'its STIX identity id, when it already has one')
    .action(async (code: string, opts: Flags & { name: string; kind: string; country: string; memberships?: string; sectors?: string; id?: string }) => {
      const out = makeOutput(opts.json === true);
      await withNode(opts, async (node) => {
        const org = await node.policy.addOrganisation({
          code, name: opts.name, kind: opts.kind, country: opts.country, memberships: list(opts.memberships), sectors: list(opts.sectors), ...(opts.id === undefined ? {} : { id: opts.id }),
        });
        if (out.json) return out.data(org);
        out.line(`${colour.green('added')} ${org.code} ${colour.dim(org.id)}`);
      });
    }));
  cmd.addCommand(sub('import').description('Add or update the organisations of a directory file (YAML: organisations: [{code, name, kind, country, id?, memberships?, sectors?}]) or of a STIX bundle of organisation identities')
    .argument('<file>')
    .action(async (file: string, opts: Flags) => {
      const out = makeOutput(opts.json === true);
      const entries = await readDirectoryFile(file);
      await withNode(opts, async (node) => {
        const results: Array<{ code: string; result: 'added' | 'updated' | 'unchanged' }> = [];
        for (const entry of entries) {
          const existing = (await node.policy.listOrganisations()).find((o) => o.code === entry.code);
          if (existing === undefined) {
            await node.policy.addOrganisation(entry);
            results.push({ code: entry.code, result: 'added' });
            continue;
          }
          const next = await node.policy.updateOrganisation(entry.code, { ...entry, id: entry.id ?? existing.id });
          results.push({ code: entry.code, result: JSON.stringify(next) === JSON.stringify(existing) ? 'unchanged' : 'updated' });
        }
        if (out.json) return out.data(results);
        out.line(table(['CODE', 'RESULT'], results.map((r) => [r.code, r.result === 'unchanged' ? colour.dim(r.result) : colour.green(r.result)])));
      });
    }));
  cmd.addCommand(sub('show').description('One organisation; --stix prints it as a STIX identity for peers\' directories').argument('<code>')
    .option('--stix', 'the STIX identity with the Entente organisation extension')
    .action(async (code: string, opts: Flags & { stix?: boolean }) => {
      const out = makeOutput(opts.json === true);
      await withNode(opts, async (node) => {
        const org = await node.policy.getOrganisation(code);
        if (opts.stix === true) return out.data(organisationIdentity(org));
        if (out.json) return out.data(org);
        out.line(table(['FIELD', 'VALUE'], [
          ['code', org.code], ['name', org.name], ['kind', org.kind], ['country', org.country], ['identity', org.id],
          ['memberships', org.memberships.join(', ')], ['sectors', org.sectors.join(', ')],
        ]));
      });
    }));
  cmd.addCommand(sub('remove').description('Remove an organisation that no agreement names').argument('<code>').action(async (code: string, opts: Flags) => {
    await withNode(opts, (node) => node.policy.removeOrganisation(code));
    makeOutput(opts.json === true).line(`${colour.green('removed')} ${code}`);
  }));
  return cmd;
}

async function readDirectoryFile(file: string): Promise<ReadonlyArray<OrganisationInput>> {
  let value: unknown;
  try {
    value = parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new EntenteError('ENTENTE_INVALID_PARAMETER', `${file}: not a readable YAML file (${(error as Error).message.split('\n')[0] ?? ''})`, [{ path: file, message: 'unreadable' }]);
  }
  const bundle = value as { type?: unknown; objects?: unknown } | null;
  if (bundle?.type === 'bundle' && Array.isArray(bundle.objects)) {
    // A STIX bundle of identities carrying the Entente organisation extension (from a peer's `orgs show --stix`).
    return bundle.objects.filter((o: Record<string, unknown>) => o['type'] === 'identity').map((o: Record<string, unknown>) => organisationOfIdentity(o));
  }
  const orgs = (value as { organisations?: unknown } | null)?.organisations;
  if (!Array.isArray(orgs)) throw new EntenteError('ENTENTE_INVALID_PARAMETER', `${file}: expected a mapping with an \`organisations\` list`, [{ path: '$.organisations', message: 'missing' }]);
  return orgs.map((o: Record<string, unknown>, i) => {
    for (const key of ['code', 'name', 'kind', 'country']) {
      if (typeof o[key] !== 'string') throw new EntenteError('ENTENTE_INVALID_PARAMETER', `${file}: $.organisations[${i}].${key} must be a string`, [{ path: `$.organisations[${i}].${key}`, message: 'required string' }]);
    }
    return {
      code: o['code'] as string, name: o['name'] as string, kind: o['kind'] as string, country: o['country'] as string,
      ...(Array.isArray(o['memberships']) ? { memberships: o['memberships'] as string[] } : {}),
      ...(Array.isArray(o['sectors']) ? { sectors: o['sectors'] as string[] } : {}),
      ...(typeof o['id'] === 'string' ? { id: o['id'] } : {}),
    };
  });
}

/** `entente decisions`: the log of releases and denials of data leaving the node. */
export function decisionsCommand(): Command {
  const cmd = new Command('decisions').description('The decision log: every release and denial of data that left (or would have left) the node');
  cmd.addCommand(sub('list').description('Decisions, oldest first, filtered')
    .option('--recipient <who>', 'peer:POL or user:alice')
    .option('--object <id>', 'one object')
    .option('--agreement <id>', 'decided under this agreement')
    .option('--outcome <outcome>', 'allow, redact or deny')
    .option('--channel <channel>', 'taxii, rest, export, federation or sensor-export')
    .option('--since <timestamp>', 'from this time')
    .option('--limit <n>', 'how many', '100')
    .option('--cursor <cursor>', 'the next page, as printed by the previous one')
    .option('--explain', 'print every rule each decision consulted')
    .action(async (opts: Flags & { recipient?: string; object?: string; agreement?: string; outcome?: string; channel?: string; since?: string; limit: string; cursor?: string; explain?: boolean }) => {
      const out = makeOutput(opts.json === true);
      await withNode(opts, async (node) => {
        const page = await node.policy.decisions({
          limit: Number(opts.limit),
          ...(opts.recipient === undefined ? {} : { recipient: opts.recipient }), ...(opts.object === undefined ? {} : { objectId: opts.object }),
          ...(opts.agreement === undefined ? {} : { agreementId: opts.agreement }), ...(opts.outcome === undefined ? {} : { outcome: opts.outcome as ReleaseOutcome }),
          ...(opts.channel === undefined ? {} : { channel: opts.channel as DecisionChannel }), ...(opts.since === undefined ? {} : { since: opts.since }),
          ...(opts.cursor === undefined ? {} : { cursor: opts.cursor }),
        });
        if (out.json) return out.data(page);
        const mark = (o: string) => (o === 'allow' ? colour.green(o) : o === 'redact' ? colour.yellow(o) : colour.red(o));
        out.line(table(['SEQ', 'AT', 'RECIPIENT', 'CHANNEL', 'OUTCOME', 'REASON', 'AGREEMENT', 'OBJECT'], page.records.map((r) => [
          r.seq, r.at, r.recipient, r.channel, mark(r.outcome), r.reason ?? '', r.agreementId === undefined ? '' : `${r.agreementId} v${r.agreementVersion ?? ''}`, r.objectId,
        ])));
        if (opts.explain === true) {
          for (const r of page.records) {
            out.line(`\n${colour.bold(`#${r.seq}`)} ${r.objectId} -> ${r.recipient}: ${mark(r.outcome)}`);
            for (const s of r.steps) out.line(`  ${mark(s.outcome === 'fail' ? 'deny' : s.outcome === 'redact' ? 'redact' : 'allow')}  ${s.rule}  ${colour.dim(s.detail)}`);
          }
        }
        if (page.next !== undefined) out.line(colour.dim(`more: --cursor ${page.next}`));
      });
    }));
  return cmd;
}

/** `entente labels`: banners, and the STIX markings that carry them. */
export function labelsCommand(): Command {
  const cmd = new Command('labels').description('Security labels: read banners and produce their STIX marking-definitions');
  cmd.addCommand(new Command('parse').description('Read a banner (e.g. "NATO RESTRICTED // REL TO NATO"); exit 2 with the column when it does not parse')
    .argument('<banner>')
    .option('--default-policy <policy>', 'the policy of a bare level such as SECRET (e.g. USA)')
    .option('--stix', 'print the marking-definitions that carry the label, as a STIX bundle')
    .option('--json', 'machine output: the label and its canonical banner')
    .action((banner: string, opts: { defaultPolicy?: string; stix?: boolean; json?: boolean }) => {
      const out = makeOutput(opts.json === true);
      const label = parseBanner(banner, { policies: CLASSIFICATION_POLICIES, ...(opts.defaultPolicy === undefined ? {} : { defaultPolicy: opts.defaultPolicy }) });
      const canonical = printBanner(label, CLASSIFICATION_POLICIES);
      if (opts.stix === true) {
        const { definitions, refs } = markingsForLabel(label, CLASSIFICATION_POLICIES);
        // The objects refer to these markings by `refs`; the bundle carries their definitions.
        if (out.json) return out.data({ banner: canonical, refs, definitions });
        return out.data({ type: 'bundle', id: `bundle--${randomUUID()}`, objects: definitions });
      }
      if (out.json) return out.data({ banner: canonical, label });
      out.line(colour.bold(canonical));
      out.line(table(['COMPONENT', 'VALUE'], [
        ['TLP', label.tlp ?? ''], ['PAP', label.pap ?? ''],
        ['classification', label.classifications.map((c) => `${c.policy} ${c.level}`).join(', ')],
        ['releasable to', label.releasableTo.map((l) => l.join(' | ')).join(' AND ')],
        ['caveats', label.caveats.join(', ')], ['informative', label.informative.join(', ')],
        ['handling', Object.entries(label.handling).map(([k, v]) => `${k}=${String(v)}`).join(', ')],
      ].filter(([, v]) => v !== '')));
    }));
  return cmd;
}
