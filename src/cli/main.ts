import { Command, CommanderError } from 'commander';
import { isEntenteError } from '../core/errors.js';
import { collectionsCommand, tokensCommand, usersCommand } from './commands/accounts.js';
import { agreementsCommand } from './commands/agreements.js';
import { peersCommand } from './commands/peers.js';
import { bundleCommand } from './commands/bundle.js';
import { detectCommand } from './commands/detect.js';
import { withDetectService } from './commands/detect-service.js';
import { decisionsCommand, labelsCommand, orgsCommand } from './commands/directory.js';
import { exportCommand } from './commands/export.js';
import { importCommand } from './commands/import.js';
import { getCommand, graphCommand, searchCommand } from './commands/search.js';
import { initCommand } from './commands/init.js';
import { ledgerCommand } from './commands/ledger.js';
import { keysCommand } from './commands/keys.js';
import { patternCommand } from './commands/pattern.js';
import { sensorsCommand } from './commands/sensors.js';
import { startCommand } from './commands/start.js';
import { validateCommand } from './commands/validate.js';
import { colour } from './output.js';

/** Builds the `entente` command tree. Each sub-command lives in its own module. */
export function buildProgram(): Command {
  return new Command('entente')
    .description('Entente: coalition cyber-defence node (STIX 2.1 store, TAXII 2.1 server, policy-governed sharing)')
    .version('0.1.0')
    // Options after a sub-command belong to it: `detect serve --data-dir X` is serve's flag, not detect's.
    .enablePositionalOptions()
    .showHelpAfterError()
    .addCommand(initCommand())
    .addCommand(startCommand())
    .addCommand(importCommand())
    .addCommand(exportCommand())
    .addCommand(searchCommand())
    .addCommand(getCommand())
    .addCommand(graphCommand())
    .addCommand(usersCommand())
    .addCommand(tokensCommand())
    .addCommand(collectionsCommand())
    .addCommand(orgsCommand())
    .addCommand(agreementsCommand())
    .addCommand(peersCommand())
    .addCommand(decisionsCommand())
    .addCommand(labelsCommand())
    .addCommand(validateCommand())
    .addCommand(patternCommand())
    .addCommand(withDetectService(detectCommand()))
    .addCommand(sensorsCommand())
    .addCommand(keysCommand())
    .addCommand(bundleCommand())
    .addCommand(ledgerCommand());
}

/**
 * Runs the CLI and returns the exit code: 0 success, 1 a negative answer (invalid input, no
 * match), 2 an error (bad usage, unreachable store, unreadable file).
 */
export async function main(argv: ReadonlyArray<string>): Promise<number> {
  const program = buildProgram();
  const override = (command: Command): void => {
    command.exitOverride();
    command.commands.forEach(override);
  };
  override(program);
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (isEntenteError(error)) {
      // Machine output stays machine-readable when the command fails: one JSON object on stderr.
      if (argv.includes('--json')) {
        process.stderr.write(`${JSON.stringify({ error: { code: error.code, message: error.message, details: error.details } })}\n`);
        return 2;
      }
      process.stderr.write(`${colour.red('error')} ${colour.dim(error.code)} ${error.message}\n`);
      // A detail the message already says (`$.x: expected …`) is not printed again.
      for (const detail of error.details) if (!error.message.includes(detail.message)) process.stderr.write(`  ${detail.path ?? ''}  ${detail.message}\n`);
      // The operator on the host may see what HTTP callers may not: the underlying cause.
      if (error.cause instanceof Error) process.stderr.write(`  ${colour.dim('cause:')} ${error.cause.message}\n`);
      return 2;
    }
    process.stderr.write(`${colour.red('error')} ${(error as Error).stack ?? String(error)}\n`);
    return 2;
  }
}
