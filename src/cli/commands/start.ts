import { Command } from 'commander';
import { pino } from 'pino';
import { buildNodeHttp, openNode } from '../../composition-root.js';
import { colour, makeOutput } from '../output.js';
import { configFrom, withNodeOptions, type NodeFlags } from '../node-options.js';
import { INITIAL_PASSWORD_FILE, initialise, reportSetup } from './init.js';
import { join } from 'node:path';

export function startCommand(): Command {
  return withNodeOptions(new Command('start'))
    .description('Run the node: TAXII 2.1 server, REST API, /healthz and /metrics (initialises the data dir on first start)')
    .option('-p, --port <port>', 'port to listen on (default 8080, or ENTENTE_PORT)')
    .option('-H, --host <host>', 'interface to listen on (default 127.0.0.1, or ENTENTE_HOST)')
    .action(async (opts: NodeFlags & { port?: string; host?: string }) => {
      const out = makeOutput(false);
      const config = configFrom(opts, { 'http.port': opts.port, 'http.host': opts.host });
      const logger = pino({ level: config.log.level, name: config.node.name });
      const node = await openNode(config, { logger, serving: true });
      const setup = await initialise(node, process.env['ENTENTE_ADMIN_PASSWORD']);
      if (setup.initialised) reportSetup(out, node, setup);
      const app = await buildNodeHttp(node);
      const shutdown = async (signal: string) => {
        logger.info({ signal }, 'shutting down');
        await node.federation.stop();
        await app.close();
        await node.close();
      };
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutdown(signal));
      const address = await app.listen({ host: config.http.host, port: config.http.port });
      // Push to linked peers as soon as something is stored, and every half second besides.
      await node.federation.start(500, node.changes);
      const base = address.replace('://127.0.0.1', '://localhost');
      out.line('');
      out.line(`${colour.green('Entente node')} ${colour.bold(config.node.name)} is running (${node.store.kind} store, data in ${config.dataDir})`);
      out.line(`  TAXII 2.1 discovery  ${colour.cyan(`${base}/taxii2/`)}`);
      out.line(`  TAXII API root       ${colour.cyan(`${base}/taxii2/default/`)}`);
      out.line(`  REST API             ${colour.cyan(`${base}/api/v1/`)}  (OpenAPI: ${base}/api/v1/openapi.json)`);
      out.line(`  health / metrics     ${base}/healthz  ${base}/metrics`);
      out.line(
        `  log in               user ${colour.bold('admin')}, HTTP Basic or a bearer token (${colour.dim('entente tokens create admin')}); ` +
          (setup.generatedPassword !== undefined ? 'password above' : `initial password in ${join(config.dataDir, INITIAL_PASSWORD_FILE)} if it was generated`),
      );
      out.line(colour.dim('  Ctrl-C stops the node.'));
      // Keep the process alive until a signal closes the server.
      await new Promise<void>((resolve) => app.server.once('close', () => resolve()));
    });
}
