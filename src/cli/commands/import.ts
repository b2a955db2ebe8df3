import { Command } from 'commander';
import { DEFAULT_COLLECTION } from '../../services/setup/node-setup.js';
import { expandInputs } from '../input-files.js';
import { colour, makeOutput } from '../output.js';
import { makeProgress } from '../progress.js';
import { importFile, type FileResult } from '../import-documents.js';
import { LOCAL_OPERATOR, withNode, withNodeOptions, type NodeFlags } from '../node-options.js';

interface ImportFlags extends NodeFlags {
  readonly collection: string;
  readonly partial?: boolean;
  readonly strict?: boolean;
  readonly bulk?: boolean;
  readonly json?: boolean;
  readonly maxErrors: string;
}

export function importCommand(): Command {
  return withNodeOptions(new Command('import'))
    .description('Import STIX 2.1 bundles (files, directories, or - for stdin) into a collection; each bundle is stored whole or not at all, each object of an NDJSON file or JSON array on its own')
    .argument('<inputs...>', 'files or directories of .json/.stix/.ndjson, or - for standard input')
    .option('--collection <id>', 'collection id or alias', DEFAULT_COLLECTION.alias)
    .option('--partial', 'store the valid objects of a bundle that has invalid ones (default: all or nothing)')
    .option('--strict', 'refuse what STIX only tolerates (validator warnings become errors)')
    .option('--bulk', 'throughput mode for very large imports')
    .option('--max-errors <n>', 'errors to print per file', '20')
    .option('--json', 'machine output: one result per file')
    .action(async (inputs: string[], opts: ImportFlags) => {
      const out = makeOutput(opts.json === true);
      const files = await expandInputs(inputs);
      const maxErrors = Number.parseInt(opts.maxErrors, 10);
      const results: FileResult[] = [];
      await withNode(opts, async (node) => {
        const collection = (await node.collections.resolve(LOCAL_OPERATOR, opts.collection)).collection.id;
        const progress = makeProgress(!out.json);
        progress.start(files.reduce((n, f) => n + f.size, 0), 'importing');
        let bytes = 0;
        let objects = 0;
        for (const file of files) {
          const result = await importFile(file.name, await file.read(), async (input, { partial }) => {
            const report = await node.intel.ingest(collection, input, { actor: LOCAL_OPERATOR, strict: opts.strict === true, partial, bulk: opts.bulk === true });
            objects += report.added + report.duplicates;
            return report;
          }, { partial: opts.partial === true });
          results.push(result);
          bytes += file.size;
          progress.update(bytes, { unit: `bytes, ${objects} objects` });
          if (!out.json) printResult(result, maxErrors, (line) => { progress.stop(); out.line(line); });
        }
        progress.stop();
      });
      const failed = results.filter((r) => r.status !== 'imported').length;
      process.exitCode = failed === 0 ? 0 : 1;
      const sum = (k: 'added' | 'duplicates' | 'rejected') => results.reduce((n, r) => n + r[k], 0);
      if (out.json) return out.data({ files: results, added: sum('added'), duplicates: sum('duplicates'), rejected: sum('rejected') });
      out.line(
        `${failed === 0 ? colour.green('done') : colour.yellow('done with problems')}: ${results.length} file(s), ` +
          `${sum('added')} added, ${sum('duplicates')} already present, ${sum('rejected')} rejected`,
      );
    });
}

function printResult(result: FileResult, maxErrors: number, line: (text: string) => void): void {
  const mark = result.status === 'imported' ? colour.green('imported') : result.status === 'partial' ? colour.yellow('partial ') : colour.red('rejected');
  line(`${mark}  ${result.file}  ${colour.dim(`${result.added} added, ${result.duplicates} already present, ${result.rejected} rejected`)}`);
  for (const error of result.errors.slice(0, maxErrors)) line(`  ${colour.red('error')}  ${error.path ?? '$'}  ${error.message}`);
  if (result.errors.length > maxErrors) line(colour.dim(`  … ${result.errors.length - maxErrors} more error(s); --max-errors to see them`));
}
