import { writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import type { NodeServices } from '../../composition-root.js';
import { CONFIG_FILE_NAME } from '../../config/load-config.js';
import { setUpNode, type SetupResult } from '../../services/setup/node-setup.js';
import { colour, makeOutput, type Output } from '../output.js';
import { withNode, withNodeOptions, type NodeFlags } from '../node-options.js';

export const INITIAL_PASSWORD_FILE = 'initial-admin-password';

export function initCommand(): Command {
  return withNodeOptions(new Command('init'))
    .description('Create a node: data directory, configuration file, database schema, the admin user and the default collection')
    .option('--admin-password <password>', 'password of the admin user (or ENTENTE_ADMIN_PASSWORD); generated and shown once when absent')
    .option('--json', 'machine output')
    .action(async (opts: NodeFlags & { adminPassword?: string; json?: boolean }) => {
      const out = makeOutput(opts.json === true);
      await withNode(opts, async (node) => {
        const result = await initialise(node, opts.adminPassword ?? process.env['ENTENTE_ADMIN_PASSWORD']);
        if (out.json) return out.data({ dataDir: node.config.dataDir, store: node.store.kind, ...result });
        reportSetup(out, node, result);
      });
    });
}

/** Creates the data dir and config file when absent, then sets up admin and default collection. */
export async function initialise(node: NodeServices, adminPassword: string | undefined): Promise<SetupResult> {
  const { dataDir } = node.config;
  mkdirSync(dataDir, { recursive: true });
  const configFile = join(dataDir, CONFIG_FILE_NAME);
  if (!existsSync(configFile)) writeFileSync(configFile, DEFAULT_CONFIG_FILE);
  const result = await setUpNode(node, adminPassword === undefined || adminPassword === '' ? {} : { adminPassword });
  // The node's signing and sealing keys are made now rather than at first use, and their
  // creation is the first fact of its ledger.
  if ((await node.keys.ring.ensure()).created) {
    await node.ledger.keyEvents((await node.keys.ring.list()).filter((k) => k.state === 'current'), 'created', new Date(node.clock.now()).toISOString());
  }
  if (result.generatedPassword !== undefined) {
    writeFileSync(join(dataDir, INITIAL_PASSWORD_FILE), `${result.generatedPassword}\n`, { mode: 0o600 });
  }
  return result;
}

export function reportSetup(out: Output, node: NodeServices, result: SetupResult): void {
  if (!result.initialised) {
    out.line(`${colour.dim('Node already initialised in')} ${node.config.dataDir}`);
    return;
  }
  out.line(`${colour.green('Initialised')} node in ${node.config.dataDir} (${node.store.kind} store)`);
  if (result.generatedPassword !== undefined) {
    out.line(`  admin user:     ${colour.bold(result.adminName)}`);
    out.line(`  admin password: ${colour.bold(result.generatedPassword)}  ${colour.dim(`(shown once; also in ${join(node.config.dataDir, INITIAL_PASSWORD_FILE)})`)}`);
  } else {
    out.line(`  admin user:     ${colour.bold(result.adminName)} (password as given)`);
  }
}

const DEFAULT_CONFIG_FILE = `# Entente node configuration. Every setting can also be given as an ENTENTE_* environment
# variable or a command-line flag; see the README for the full list.
node:
  name: entente
  # The code of this node's organisation in agreements, its country (ISO 3166 trigraph) and kind:
  # organisation: DEU
  # country: DEU
  # kind: nation
policy:
  # The label of objects that carry no marking.
  defaultLabel: 'TLP:AMBER'
http:
  host: 127.0.0.1
  port: 8080
  # tlsCertFile: tls/cert.pem
  # tlsKeyFile: tls/key.pem
# database:
#   url: postgres://entente@127.0.0.1:5432/entente   # PostgreSQL instead of the embedded SQLite
log:
  level: info
`;
