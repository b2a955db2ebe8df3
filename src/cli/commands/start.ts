import cluster, { type Worker } from 'node:cluster';
import { join } from 'node:path';
import { Command } from 'commander';
import { pino } from 'pino';
import { buildNodeHttp, linkToPrimary, linkToWorker, nodeMetrics, openNode, type IpcChannel, type NodeServices, type ProcessLink } from '../../composition-root.js';
import type { NodeConfig } from '../../config/node-config.js';
import { renderAcrossProcesses, type EntenteMetrics } from '../../http/ops/index.js';
import { colour, makeOutput, type Output } from '../output.js';
import { configFrom, withNodeOptions, type NodeFlags } from '../node-options.js';
import type { SetupResult } from '../../services/setup/node-setup.js';
import { INITIAL_PASSWORD_FILE, initialise, reportSetup } from './init.js';

type StartFlags = NodeFlags & { port?: string; host?: string; workers?: string };

/** How long a scrape of /metrics waits for each worker's part. */
const METRICS_WAIT_MS = 1_000;

export function startCommand(): Command {
  return withNodeOptions(new Command('start'))
    .description('Run the node: TAXII 2.1 server, REST API, /healthz and /metrics (initialises the data dir on first start)')
    .option('-p, --port <port>', 'port to listen on (default 8080, or ENTENTE_PORT)')
    .option('-H, --host <host>', 'interface to listen on (default 127.0.0.1, or ENTENTE_HOST)')
    .option('-w, --workers <n>', 'processes serving HTTP, to use more cores (default 1, or ENTENTE_HTTP_WORKERS); see docs/operations.md')
    .action(async (opts: StartFlags) => {
      const config = configFrom(opts, { 'http.port': opts.port, 'http.host': opts.host, 'http.workers': opts.workers });
      if (cluster.isWorker) return serveAsWorker(config);
      if (config.http.workers > 1) return runPrimary(config);
      return runAlone(config);
    });
}

/** One process: the node and its HTTP interface together (the default). */
async function runAlone(config: NodeConfig): Promise<void> {
  const out = makeOutput(false);
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
  let address: string;
  try {
    address = await app.listen({ host: config.http.host, port: config.http.port });
  } catch (error) {
    // The port is taken or the host unknown: close what was opened, or the process never exits.
    await app.close();
    await node.close();
    throw error;
  }
  // Push to linked peers as soon as something is stored, and every half second besides.
  await node.federation.start(500, node.changes);
  printRunning(out, node, setup, address, undefined);
  // Keep the process alive until a signal closes the server.
  await new Promise<void>((resolve) => app.server.once('close', () => resolve()));
}

/**
 * The primary of several serving processes: it holds the node (the bus and its consumers, the
 * federation push, the WAL checkpoints, the replay guard) and serves no HTTP itself; the workers
 * share the listening port and reach the primary over IPC for what must be one per node.
 */
async function runPrimary(config: NodeConfig): Promise<void> {
  const out = makeOutput(false);
  const logger = pino({ level: config.log.level, name: config.node.name });
  cluster.setupPrimary({ serialization: 'advanced' });
  const node = await openNode(config, { logger, serving: true });
  const setup = await initialise(node, process.env['ENTENTE_ADMIN_PASSWORD']);
  if (setup.initialised) reportSetup(out, node, setup);

  const links = new Map<Worker, ProcessLink>();
  const handlers = {
    // A worker asked for /metrics: every worker's metrics, summed. A worker that does not answer
    // within a second (busy, or just dying) is left out of this scrape rather than holding it up.
    metrics: async () => renderAcrossProcesses(await Promise.all([...links.values()].map((link) => link.call<Parameters<typeof renderAcrossProcesses>[0][number]>('metrics.json', null, METRICS_WAIT_MS).catch(() => [])))),
  };
  let stopping = false;
  let listening = 0;
  const ready = new Promise<string>((resolve, reject) => {
    cluster.on('listening', (_worker, address) => {
      listening += 1;
      if (listening === config.http.workers) resolve(`http://${address.address ?? config.http.host}:${address.port}`);
    });
    const fork = (): void => {
      const worker = cluster.fork();
      links.set(worker, linkToWorker(node, worker as unknown as IpcChannel, handlers));
      let served = false;
      worker.once('listening', () => {
        served = true;
      });
      worker.on('exit', (code, signal) => {
        links.get(worker)?.close(`worker ${worker.process.pid ?? '?'} exited`);
        links.delete(worker);
        if (stopping || code === 0) return;
        // One that never served (a port in use, a bad setting) would fail again: stop there.
        if (!served) {
          reject(new Error(`a serving worker process exited with ${signal ?? `code ${code}`} before listening; see its log above`));
          return;
        }
        logger.warn({ pid: worker.process.pid, code, signal }, 'a serving worker process exited; starting another');
        fork();
      });
    };
    for (let i = 0; i < config.http.workers; i += 1) fork();
  });
  const stopWorkers = async (): Promise<void> => {
    stopping = true;
    await Promise.all([...links.keys()].map((worker) => new Promise<void>((resolve) => {
      if (worker.isDead()) return resolve();
      worker.once('exit', () => resolve());
      worker.process.kill('SIGTERM');
    })));
  };
  let address: string;
  try {
    address = await ready;
  } catch (error) {
    await stopWorkers();
    await node.close();
    throw error;
  }
  await node.federation.start(500, node.changes);
  const closed = new Promise<void>((resolve) => {
    const shutdown = async (signal: string) => {
      logger.info({ signal }, 'shutting down');
      await stopWorkers();
      await node.federation.stop();
      await node.close();
      resolve();
    };
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutdown(signal));
  });
  printRunning(out, node, setup, address, config.http.workers);
  await closed;
}

/** A serving worker: the HTTP interface on the node's store, its bus and replay guard the primary's. */
async function serveAsWorker(config: NodeConfig): Promise<void> {
  const logger = pino({ level: config.log.level, name: config.node.name }).child({ worker: cluster.worker?.id });
  // The primary may ask for this worker's metrics before they exist: none yet.
  const made: { metrics?: EntenteMetrics } = {};
  const { link, worker } = linkToPrimary(process as unknown as IpcChannel, {
    'metrics.json': async () => made.metrics?.registry.getMetricsAsJSON() ?? [],
  });
  const node = await openNode(config, { logger, worker });
  const own = nodeMetrics(node);
  made.metrics = own;
  const app = await buildNodeHttp(node, { metrics: { ...own, render: () => link.call<string>('metrics', null) } });
  let stopping = false;
  const shutdown = async (): Promise<void> => {
    // A signal and the primary's disconnection may both come: stop once.
    if (stopping) return;
    stopping = true;
    await app.close();
    await node.close();
    link.close('the worker stopped');
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutdown());
  // The primary gone (killed), nothing holds the node's bus any more: stop serving.
  process.once('disconnect', () => void shutdown());
  await app.listen({ host: config.http.host, port: config.http.port });
  await new Promise<void>((resolve) => app.server.once('close', () => resolve()));
}

function printRunning(out: Output, node: NodeServices, setup: SetupResult, address: string, workers: number | undefined): void {
  const { config } = node;
  const base = address.replace('://127.0.0.1', '://localhost');
  const serving = workers === undefined ? '' : `, ${workers} serving processes`;
  out.line('');
  out.line(`${colour.green('Entente node')} ${colour.bold(config.node.name)} is running (${node.store.kind} store, data in ${config.dataDir}${serving})`);
  out.line(`  TAXII 2.1 discovery  ${colour.cyan(`${base}/taxii2/`)}`);
  out.line(`  TAXII API root       ${colour.cyan(`${base}/taxii2/default/`)}`);
  out.line(`  REST API             ${colour.cyan(`${base}/api/v1/`)}  (OpenAPI: ${base}/api/v1/openapi.json)`);
  out.line(`  health / metrics     ${base}/healthz  ${base}/metrics`);
  out.line(
    `  log in               user ${colour.bold('admin')}, HTTP Basic or a bearer token (${colour.dim('entente tokens create admin')}); ` +
      (setup.generatedPassword !== undefined ? 'password above' : `initial password in ${join(config.dataDir, INITIAL_PASSWORD_FILE)} if it was generated`),
  );
  out.line(colour.dim('  Ctrl-C stops the node.'));
}

