import { Command } from 'commander';
import { isEntenteError, type ErrorDetail } from '../../core/errors.js';
import { DEFAULT_COLLECTION } from '../../services/setup/node-setup.js';
import { expandInputs } from '../input-files.js';
import { colour, makeOutput } from '../output.js';
import { makeProgress } from '../progress.js';
import { readStixDocuments } from '../stix-documents.js';
import { LOCAL_OPERATOR, withNode, withNodeOptions, type NodeFlags } from '../node-options.js';

interface FileResult {
  readonly file: string;
  readonly status: 'imported' | 'partial' | 'rejected';
  readonly total: number;
  readonly added: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly errors: ReadonlyArray<ErrorDetail>;
}

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
    .description('Import STIX 2.1 bundles (files, directories, or - for stdin) into a collection; each bundle is stored whole or not at all')
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
          const result = await importFile(file.name, await file.read(), async (doc) => {
            const report = await node.intel.ingest(collection, doc, {
              actor: LOCAL_OPERATOR, strict: opts.strict === true, partial: opts.partial === true, bulk: opts.bulk === true,
            });
            objects += report.added + report.duplicates;
            return report;
          });
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

type Ingest = (document: unknown) => Promise<{ total: number; added: number; duplicates: number; rejected: number; results: ReadonlyArray<{ errors: ReadonlyArray<ErrorDetail>; outcome: string }> }>;

/** Imports every document of one file; each document (bundle) is one atomic ingest. */
async function importFile(file: string, text: string, ingest: Ingest): Promise<FileResult> {
  const tally = { total: 0, added: 0, duplicates: 0, rejected: 0 };
  const errors: ErrorDetail[] = [];
  let documents;
  try {
    documents = readStixDocuments(text, file);
  } catch (error) {
    if (!isEntenteError(error)) throw error;
    return { file, status: 'rejected', ...tally, errors: [{ path: error.details[0]?.path ?? '$', message: error.message }] };
  }
  let anyWritten = false;
  for (const doc of documents) {
    const isSingleObject = typeof doc.value === 'object' && doc.value !== null && !Array.isArray(doc.value) && !('objects' in doc.value);
    try {
      const report = await ingest(isSingleObject ? [doc.value] : doc.value);
      tally.total += report.total;
      tally.added += report.added;
      tally.duplicates += report.duplicates;
      tally.rejected += report.rejected;
      if (report.added + report.duplicates > 0) anyWritten = true;
      const prefix = (path: string | undefined) => (doc.path === '$' ? path : `${doc.path}${(path ?? '$').slice(1)}`);
      for (const r of report.results) for (const e of r.errors) if (r.outcome === 'rejected') errors.push({ ...e, path: prefix(e.path) ?? '$' });
    } catch (error) {
      if (!isEntenteError(error)) throw error;
      errors.push(...(error.details.length > 0 ? error.details : [{ path: doc.path, message: error.message }]));
    }
  }
  const status = errors.length === 0 ? 'imported' : anyWritten ? 'partial' : 'rejected';
  return { file, status, ...tally, errors };
}

function printResult(result: FileResult, maxErrors: number, line: (text: string) => void): void {
  const mark = result.status === 'imported' ? colour.green('imported') : result.status === 'partial' ? colour.yellow('partial ') : colour.red('rejected');
  line(`${mark}  ${result.file}  ${colour.dim(`${result.added} added, ${result.duplicates} already present, ${result.rejected} rejected`)}`);
  for (const error of result.errors.slice(0, maxErrors)) line(`  ${colour.red('error')}  ${error.path ?? '$'}  ${error.message}`);
  if (result.errors.length > maxErrors) line(colour.dim(`  … ${result.errors.length - maxErrors} more error(s); --max-errors to see them`));
}
