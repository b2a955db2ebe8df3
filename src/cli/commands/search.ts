import { Command } from 'commander';
import { EntenteError } from '../../core/errors.js';
import { titleOf } from '../../core/stix/index.js';
import { OPERATOR } from '../../services/intel/release-gate.js';
import { colour, makeOutput, table } from '../output.js';
import { withNode, withNodeOptions, type NodeFlags } from '../node-options.js';

export function searchCommand(): Command {
  return withNodeOptions(new Command('search'))
    .description('Full-text search over names, descriptions, patterns and observable values (latest versions)')
    .argument('<text...>', 'words to find; all must match, each as a prefix')
    .option('--type <types>', 'only these object types, comma-separated')
    .option('--limit <n>', 'how many hits', '25')
    .option('--json', 'machine output')
    .action(async (words: string[], opts: NodeFlags & { type?: string; limit: string; json?: boolean }) => {
      const out = makeOutput(opts.json === true);
      const limit = Number.parseInt(opts.limit, 10);
      if (!Number.isInteger(limit) || limit < 1) throw new EntenteError('ENTENTE_INVALID_PARAMETER', `--limit must be a positive integer, got ${opts.limit}`);
      await withNode(opts, async (node) => {
        const page = await node.intel.search({ text: words.join(' '), limit, ...(opts.type === undefined ? {} : { types: opts.type.split(',') }) }, OPERATOR);
        if (out.json) return out.data({ hits: page.hits.map(({ object: _o, ...hit }) => hit), ...(page.next === undefined ? {} : { next: page.next }) });
        if (page.hits.length === 0) return out.line(colour.dim('no match'));
        out.line(table(['TYPE', 'ID', 'TITLE'], page.hits.map((h) => [colour.cyan(h.type), h.id, truncate(h.title, 70)])));
        if (page.next !== undefined) out.line(colour.dim(`more results: raise --limit`));
      });
    });
}

export function getCommand(): Command {
  return withNodeOptions(new Command('get'))
    .description('Print the latest stored version of an object as JSON')
    .argument('<id>', 'STIX id, e.g. indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f')
    .option('--json', 'machine output (the object is printed as JSON either way)')
    .action(async (id: string, opts: NodeFlags) => {
      await withNode(opts, async (node) => {
        const object = await node.intel.latest(id, undefined, OPERATOR);
        if (object === undefined) throw new EntenteError('ENTENTE_NOT_FOUND', `No object ${id}`);
        process.stdout.write(`${JSON.stringify(object, null, 2)}\n`);
      });
    });
}

export function graphCommand(): Command {
  return withNodeOptions(new Command('graph'))
    .description('Walk the relationships of an object: relationship and sighting SROs and embedded references, in and out')
    .argument('<id>', 'STIX id of the starting object')
    .option('--depth <n>', '1 or 2', '1')
    .option('--direction <dir>', 'in, out or both', 'both')
    .option('--json', 'machine output: objects, edges and missing ids')
    .action(async (id: string, opts: NodeFlags & { depth: string; direction: string; json?: boolean }) => {
      const out = makeOutput(opts.json === true);
      const depth = Number(opts.depth);
      if (depth !== 1 && depth !== 2) throw new EntenteError('ENTENTE_INVALID_PARAMETER', `--depth must be 1 or 2, got ${opts.depth}`);
      if (!['in', 'out', 'both'].includes(opts.direction)) throw new EntenteError('ENTENTE_INVALID_PARAMETER', `--direction must be in, out or both, got ${opts.direction}`);
      await withNode(opts, async (node) => {
        const graph = await node.intel.neighbours({ id, depth, direction: opts.direction as 'in' | 'out' | 'both' }, OPERATOR);
        if (out.json) return out.data(graph);
        if (graph.missing.includes(id)) throw new EntenteError('ENTENTE_NOT_FOUND', `No object ${id}`);
        const titles = new Map(graph.objects.map((o) => [o.id, titleOf(o)]));
        const label = (ref: string) => `${ref}${titles.has(ref) ? colour.dim(` (${truncate(titles.get(ref) ?? '', 40)})`) : colour.yellow(' (not stored)')}`;
        out.line(table(['SOURCE', 'EDGE', 'TARGET'], graph.edges.map((e) => [label(e.source), colour.cyan(`${e.kind}:${e.label}`), label(e.target)])));
        out.line(colour.dim(`${graph.objects.length} object(s), ${graph.edges.length} edge(s), ${graph.missing.length} referenced but not stored`));
      });
    });
}

function truncate(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length <= width ? flat : `${flat.slice(0, width - 1)}…`;
}
