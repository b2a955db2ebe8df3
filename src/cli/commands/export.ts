import { randomUUID } from 'node:crypto';
import { OPERATOR } from '../../services/intel/release-gate.js';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Command } from 'commander';
import { parseTaxiiFilters } from '../../services/intel/index.js';
import { DEFAULT_COLLECTION } from '../../services/setup/node-setup.js';
import { colour, makeOutput } from '../output.js';
import { makeProgress } from '../progress.js';
import { LOCAL_OPERATOR, withNode, withNodeOptions, type NodeFlags } from '../node-options.js';

interface ExportFlags extends NodeFlags {
  readonly collection: string;
  readonly type?: string;
  readonly addedAfter?: string;
  readonly versions?: string;
  readonly out?: string;
  readonly for?: string;
  readonly json?: boolean;
}

export function exportCommand(): Command {
  return withNodeOptions(new Command('export'))
    .description('Write the objects of a collection that match the filters as one STIX 2.1 bundle, streamed page by page')
    .option('--collection <id>', 'collection id or alias', DEFAULT_COLLECTION.alias)
    .option('--type <types>', 'only these object types, comma-separated (e.g. indicator,malware)')
    .option('--added-after <timestamp>', 'only objects added to the collection after this time')
    .option('--versions <which>', 'last (default), first, all, or a timestamp; comma-separated', 'last')
    .option('-o, --out <file>', 'write to this file instead of standard output')
    .option('--json', 'machine output: with --out, the summary as JSON (the bundle is JSON either way)')
    .option('--for <party>', 'export only what this organisation may receive under the agreements in force (redacted as they say; every decision is logged)')
    .action(async (opts: ExportFlags) => {
      const out = makeOutput(opts.json === true);
      const filters = parseTaxiiFilters(
        {
          ...(opts.type === undefined ? {} : { 'match[type]': opts.type }),
          ...(opts.addedAfter === undefined ? {} : { added_after: opts.addedAfter }),
          'match[version]': opts.versions ?? 'last',
        },
        ['match[type]', 'match[version]', 'added_after'],
      );
      await withNode(opts, async (node) => {
        const collection = (await node.collections.resolve(LOCAL_OPERATOR, opts.collection, 'read')).collection;
        const total = await node.intel.count(collection.id);
        const sink = opts.out === undefined ? process.stdout : createWriteStream(opts.out);
        const write = async (text: string) => {
          if (!sink.write(text)) await once(sink, 'drain');
        };
        const progress = makeProgress(opts.out !== undefined);
        progress.start(total, 'exporting');
        let count = 0;
        await write(`{"type":"bundle","id":"bundle--${randomUUID()}","objects":[`);
        for await (const page of node.intel.exportBundle({
          collectionId: collection.id,
          ...(filters.types === undefined ? {} : { types: filters.types }),
          ...(filters.addedAfter === undefined ? {} : { addedAfter: filters.addedAfter }),
          ...(filters.versions === undefined ? {} : { versions: filters.versions }),
        }, opts.for === undefined ? OPERATOR : { audience: { kind: 'party', code: opts.for }, channel: 'export' })) {
          await write(page.map((o, i) => (count + i === 0 ? '\n' : ',\n') + JSON.stringify(o)).join(''));
          count += page.length;
          progress.update(count);
        }
        await write('\n]}\n');
        progress.stop();
        if (sink !== process.stdout) {
          sink.end();
          await once(sink, 'finish');
          if (out.json) out.data({ collection: collection.id, objects: count, file: opts.out });
          else out.line(`${colour.green('exported')} ${count} object(s) from ${collection.alias ?? collection.id} to ${opts.out}`);
        }
      });
    });
}
