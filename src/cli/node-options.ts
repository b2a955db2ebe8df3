import type { Command } from 'commander';
import { loadConfig } from '../config/load-config.js';
import type { NodeConfig } from '../config/node-config.js';
import { openNode, type NodeServices } from '../composition-root.js';
import { pino } from 'pino';
import type { Principal } from '../services/accounts/index.js';

export interface NodeFlags {
  readonly dataDir?: string;
  readonly config?: string;
  readonly databaseUrl?: string;
}

/** The options every command that opens the node's store takes. */
export function withNodeOptions(command: Command): Command {
  return command
    .option('-d, --data-dir <dir>', 'data directory (default ./data, or ENTENTE_DATA_DIR)')
    .option('-c, --config <file>', 'configuration file (default DATA_DIR/entente.yaml when present)')
    .option('--database-url <url>', 'PostgreSQL URL instead of SQLite (or ENTENTE_DATABASE_URL)');
}

export function configFrom(flags: NodeFlags, extra: Readonly<Record<string, unknown>> = {}): NodeConfig {
  return loadConfig({
    ...(flags.config === undefined ? {} : { configFile: flags.config }),
    flags: { dataDir: flags.dataDir, 'database.url': flags.databaseUrl, ...extra },
  });
}

/**
 * Opens the node's store and services for one command, runs it, and closes them whatever
 * happens. Logs go to stderr at `warn` so that command output stays readable and pipeable.
 */
export async function withNode<T>(flags: NodeFlags, run: (node: NodeServices) => Promise<T>): Promise<T> {
  const config = configFrom(flags);
  const node = await openNode(config, { logger: pino({ level: 'warn' }, pino.destination(2)) });
  try {
    return await run(node);
  } finally {
    await node.close();
  }
}

/**
 * Whoever runs the CLI on the node's host has the data dir and the database in hand: the CLI acts
 * with an administrator's rights, named so in what it records.
 */
export const LOCAL_OPERATOR: Principal = { name: 'local-operator', roles: ['admin'] };
