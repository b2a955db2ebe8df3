import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { EntenteError, isEntenteError } from '../../core/errors.js';
import { errorColumn, matchPattern, parsePattern, printPattern, readObservations, type PatternExpression } from '../../core/pattern/index.js';
import { colour, makeOutput, type Output } from '../output.js';
import { readStixDocuments } from '../stix-documents.js';

/**
 * `entente pattern check|match`: validate STIX 2.1 patterns and try them against observed-data.
 * Exit codes: 0 valid / matched, 1 no match, 2 invalid pattern or observations.
 */
export function patternCommand(): Command {
  const pattern = new Command('pattern').description('Check STIX 2.1 patterns and match them against observed-data');

  pattern.command('check')
    .description('Check a pattern against the STIX 2.1 grammar and rules (section 9); print its canonical form')
    .argument('<pattern>', "the pattern, quoted for the shell, e.g. \"[file:name = 'foo.dll']\"")
    .option('--json', 'machine output: {"valid", "pattern"} or {"valid": false, "error"}')
    .addHelpText('after', '\nExit status: 0 valid, 2 invalid (the error shows the column with a caret).')
    .action((text: string, opts: { json?: boolean }) => {
      const out = makeOutput(opts.json === true);
      const ast = parseOrReport(text, out);
      if (ast === undefined) return;
      const canonical = printPattern(ast);
      process.exitCode = 0;
      if (out.json) out.data({ valid: true, pattern: canonical });
      else out.line(`${colour.green('valid')}  ${canonical}`);
    });

  pattern.command('match')
    .description('Evaluate a pattern over the observed-data in FILE (a bundle, an array of bundles or of STIX objects, or NDJSON)')
    .argument('<pattern>', 'the pattern')
    .argument('<file>', 'JSON file with observed-data and the SCOs they reference; - reads standard input')
    .option('--json', 'machine output: {"matched", "observedDataIds", "observations"}')
    .addHelpText('after', '\nExit status: 0 matched (the matching observed-data ids are printed), 1 no match, 2 invalid pattern or observations.')
    .action(async (text: string, file: string, opts: { json?: boolean }) => {
      const out = makeOutput(opts.json === true);
      const ast = parseOrReport(text, out);
      if (ast === undefined) return;
      let observations;
      try {
        const source = file === '-' ? await readStdin() : await readSource(file);
        const documents = readStixDocuments(source, file);
        observations = readObservations(documents.length === 1 && documents[0]?.path === '$' ? documents[0].value : documents.map((d) => d.value));
      } catch (error) {
        if (!isEntenteError(error)) throw error;
        process.exitCode = 2;
        if (out.json) return out.data({ matched: false, error: { code: error.code, message: error.message, details: error.details } });
        out.line(`${colour.red('invalid observations')}  ${error.message}`);
        for (const d of error.details) out.line(`  ${d.path ?? ''}  ${d.message}`);
        return;
      }
      const result = matchPattern(ast, observations);
      process.exitCode = result.matched ? 0 : 1;
      if (out.json) return out.data({ matched: result.matched, observedDataIds: result.observedDataIds, observations: observations.length });
      if (!result.matched) return out.line(colour.yellow(`no match in ${observations.length} observed-data`));
      for (const id of result.observedDataIds) out.line(id);
    });

  return pattern;
}

/** Parses the pattern, or prints the error with a caret under its column and sets exit code 2. */
function parseOrReport(text: string, out: Output): PatternExpression | undefined {
  try {
    return parsePattern(text);
  } catch (error) {
    if (!isEntenteError(error)) throw error;
    process.exitCode = 2;
    const column = errorColumn(error);
    const message = error.details[0]?.message ?? error.message;
    if (out.json) {
      out.data({ valid: false, error: { code: error.code, column: column ?? null, message } });
    } else {
      out.line(`${colour.red('invalid')}  ${column === undefined ? '' : `column ${column}: `}${message}`);
      if (column !== undefined) for (const line of caret(text, column)) out.line(`  ${line}`);
    }
    return undefined;
  }
}

/** The source line holding `column` and a caret under it; tabs are kept so the caret lines up. */
export function caret(text: string, column: number): [string, string] {
  const index = column - 1;
  const start = text.lastIndexOf('\n', index - 1) + 1;
  const endAt = text.indexOf('\n', index);
  const line = text.slice(start, endAt < 0 ? text.length : endAt).replace(/\r$/, '');
  const pad = line.slice(0, index - start).replace(/[^\t]/g, ' ');
  return [line, `${pad}^`];
}

async function readSource(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new EntenteError('ENTENTE_INVALID_PARAMETER', `${file}: cannot read the file`, [{ path: file, message: 'not readable' }]);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
