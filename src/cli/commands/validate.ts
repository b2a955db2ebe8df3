import { Command } from 'commander';
import { isEntenteError } from '../../core/errors.js';
import { validateBundle, validateObject, type ValidationIssue } from '../../core/stix/index.js';
import { expandInputs } from '../input-files.js';
import { colour, makeOutput } from '../output.js';
import { readStixDocumentsByLine } from '../stix-documents.js';

interface FileReport {
  readonly file: string;
  readonly valid: boolean;
  readonly objects: number;
  readonly errors: ReadonlyArray<ValidationIssue>;
  readonly warnings: ReadonlyArray<ValidationIssue>;
}

export function validateCommand(): Command {
  return new Command('validate')
    .description('Check STIX 2.1 files (bundles, objects, arrays or NDJSON) against the specification; exit 1 when any is invalid')
    .argument('<files...>', 'files or directories to check; - reads standard input')
    .option('--strict', 'refuse what the specification only tolerates (warnings become errors)')
    .option('-q, --quiet', 'print only files with errors')
    .option('--json', 'machine output: one report per file')
    .action(async (files: string[], opts: { strict?: boolean; quiet?: boolean; json?: boolean }) => {
      const out = makeOutput(opts.json === true);
      const reports: FileReport[] = [];
      for (const input of await expandInputs(files)) {
        reports.push(checkFile(input.name, await input.read(), opts.strict === true));
      }
      process.exitCode = reports.every((r) => r.valid) ? 0 : 1;
      if (out.json) return out.data({ valid: process.exitCode === 0, files: reports });
      for (const report of reports) {
        if (opts.quiet && report.valid) continue;
        const mark = report.valid ? colour.green('valid  ') : colour.red('invalid');
        out.line(`${mark}  ${report.file}  ${colour.dim(`${report.objects} object(s), ${report.errors.length} error(s), ${report.warnings.length} warning(s)`)}`);
        for (const issue of [...report.errors, ...report.warnings]) {
          const tag = issue.severity === 'error' ? colour.red('error  ') : colour.yellow('warning');
          out.line(`  ${tag}  ${issue.path}  ${colour.dim(issue.code)}  ${issue.message}`);
        }
      }
      const bad = reports.filter((r) => !r.valid).length;
      out.line(bad === 0 ? colour.green(`${reports.length} file(s) valid`) : colour.red(`${bad} of ${reports.length} file(s) invalid`));
    });
}

function checkFile(file: string, text: string, strict: boolean): FileReport {
  let documents;
  const errors: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  let objects = 0;
  try {
    const read = readStixDocumentsByLine(text, file);
    documents = read.documents;
    // Every NDJSON line that is not JSON, not only the first.
    for (const line of read.unreadable) errors.push({ severity: 'error', code: 'ENTENTE_JSON_MALFORMED', path: line.path, message: line.message });
    objects += read.unreadable.length;
  } catch (error) {
    if (!isEntenteError(error)) throw error;
    const issue: ValidationIssue = { severity: 'error', code: error.code, path: error.details[0]?.path ?? '$', message: error.message };
    return { file, valid: false, objects: 0, errors: [issue], warnings: [] };
  }
  for (const doc of documents) {
    const value = doc.value as { type?: unknown; objects?: unknown } | null;
    const isBundle = typeof value === 'object' && value !== null && value.type === 'bundle';
    // A TAXII envelope ({"objects": [...]}, no type), as `import` and TAXII POST take it.
    const isEnvelope = typeof value === 'object' && value !== null && value.type === undefined && Array.isArray(value.objects);
    const results = isBundle ? [validateBundle(doc.value, { strict })]
      : isEnvelope ? (value.objects as unknown[]).map((o, i) => validateObject(o, { strict }, `$.objects[${i}]`))
      : [validateObject(doc.value, { strict })];
    objects += isBundle || isEnvelope ? ((value as { objects?: unknown[] }).objects?.length ?? 0) : 1;
    const relocate = (issue: ValidationIssue): ValidationIssue => (doc.path === '$' ? issue : { ...issue, path: doc.path + issue.path.slice(1) });
    for (const result of results) {
      errors.push(...result.errors.map(relocate));
      warnings.push(...result.warnings.map(relocate));
    }
  }
  return { file, valid: errors.length === 0, objects, errors, warnings };
}
