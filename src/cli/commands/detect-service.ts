import { createReadStream, createWriteStream } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { Command, Option } from 'commander';
import { pino } from 'pino';
import { openNatsBus } from '../../adapters/nats/nats-bus.js';
import { openNode } from '../../composition-root.js';
import type { NodeConfig } from '../../config/node-config.js';
import { EntenteError } from '../../core/errors.js';
import type { Observation } from '../../core/pattern/index.js';
import { TELEMETRY_FORMATS, type TelemetryFormat } from '../../core/telemetry/index.js';
import { WarninglistGuard } from '../../core/warninglists/index.js';
import { telemetryQueueOn, type TelemetryBatch } from '../../ports/bus.js';
import { DetectionService, type IndicatorSource } from '../../services/detection/index.js';
import { OPERATOR } from '../../services/intel/release-gate.js';
import type { NodeServices } from '../../composition-root.js';
import { configFrom, withNodeOptions, type NodeFlags } from '../node-options.js';
import { loadWarninglists } from './sensors.js';

interface BusFlags extends NodeFlags {
  readonly busUrl?: string;
  readonly busStream?: string;
}

interface ServeFlags extends BusFlags {
  readonly output?: string;
  readonly warninglist?: ReadonlyArray<string>;
  readonly warninglists: boolean;
  readonly durable: string;
  readonly concurrency: string;
}

interface PublishFlags extends BusFlags {
  readonly format: TelemetryFormat | 'auto';
  readonly source?: string;
  readonly batchLines: string;
}

/** Zeek logs named after their path (`conn.log`), as `entente detect` reads them. */
const ZEEK_LOGS = /^(conn|dns|http|ssl|files|x509|smtp|notice|weird|dhcp|ftp|ssh)(\.|$)/;
/** Zeek TSV header lines: sent again with every batch, since a worker sees batches alone. */
const ZEEK_HEADER = /^#(separator|set_separator|empty_field|unset_field|path|open|fields|types)\b/;
/** Stays well under NATS's default 1 MiB message limit, JSON escaping included. */
const MAX_BATCH_BYTES = 512 * 1024;

/** Adds `serve` and `publish` to `entente detect`. */
export function withDetectService(detect: Command): Command {
  // Positional options: `detect publish FILE --format zeek-tsv` gives --format to publish, not to detect.
  return detect.enablePositionalOptions().addCommand(detectServeCommand()).addCommand(detectPublishCommand());
}

function withBusOptions(command: Command): Command {
  return withNodeOptions(command)
    .option('--bus-url <url>', 'NATS URL (or bus.url, ENTENTE_BUS_URL)')
    .option('--bus-stream <name>', 'JetStream stream (or bus.stream, ENTENTE_BUS_STREAM; default ENTENTE)');
}

function busConfig(opts: BusFlags): NodeConfig & { readonly bus: { readonly url: string } } {
  const config = configFrom(opts, { 'bus.url': opts.busUrl, 'bus.stream': opts.busStream });
  const url = config.bus.url;
  if (url === undefined) {
    throw new EntenteError('ENTENTE_CONFIG_INVALID', 'bus.url is not set: detect serve and publish work through a NATS JetStream bus shared by the node, the sensors and the workers (in one process, use entente detect --follow)', [
      { path: 'bus.url', message: 'a nats:// URL is required' },
    ]);
  }
  return { ...config, bus: { ...config.bus, url } };
}

export function detectServeCommand(): Command {
  return withBusOptions(new Command('serve'))
    .description('Match telemetry batches from the bus against the node\'s indicators, kept current from the change feed; several workers share the queue')
    .option('-o, --output <file>', 'append matches as NDJSON to this file (default standard output)')
    .option('--durable <name>', 'queue name the workers share', 'detect')
    .option('--concurrency <n>', 'batches in hand at once across the workers sharing the name', '64')
    .option('--warninglist <file>', 'also suppress matches on this warninglist (JSON, Entente or MISP format; repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--no-warninglists', 'do not apply the built-in warninglists (those given with --warninglist still apply)')
    .addHelpText('after', '\nRuns until SIGINT or SIGTERM. See docs/bus.md.')
    .action(async (opts: ServeFlags) => {
      const config = busConfig(opts);
      // Matches on known-benign values (public resolvers, private ranges, ...) are suppressed, as in entente detect.
      const matcher = await loadWarninglists(opts.warninglist, opts.warninglists);
      const guard = matcher === undefined ? undefined : new WarninglistGuard(matcher);
      const logger = pino({ level: 'warn' }, pino.destination(2));
      const node = await openNode(config, { logger, serving: true });
      const out = opts.output === undefined ? process.stdout : createWriteStream(opts.output, { flags: 'a' });
      const write = (line: string): Promise<void> => new Promise((resolve, reject) => {
        out.write(`${line}\n`, (error) => (error ? reject(error) : resolve()));
      });
      const service = new DetectionService({
        queue: telemetryQueueOn(node.bus), changes: node.changes, indicators: storeIndicators(node), clock: node.clock,
        durable: opts.durable, maxAckPending: positive(opts.concurrency, '--concurrency'),
        onMatch: (match) => write(JSON.stringify(match)),
        onIndexChange: (c) => process.stderr.write(`index: ${c.kind} ${c.id}${'reason' in c ? ` (${c.reason})` : ''}\n`),
        onInvalid: (problem) => process.stderr.write(`invalid message: ${problem}\n`),
        ...(guard === undefined ? {} : { screen: (id: string, pattern: string, observation: Observation) => guard.screenMatch(id, pattern, observation) !== undefined }),
      });
      try {
        await service.start();
        process.stderr.write(`ready: ${service.indicatorCount} indicators, queue ${opts.durable} on stream ${config.bus.stream}\n`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
      } finally {
        await service.stop();
        await node.close();
        if (out !== process.stdout) await new Promise<void>((resolve) => out.end(resolve));
      }
      const s = service.stats;
      process.stderr.write(`stopped: ${s.batches} batches, ${s.events} events, ${s.matches} matches, ${s.suppressed} suppressed by warninglists, ${s.badLines} bad lines, ${s.indexChanges} index changes\n`);
      process.exitCode = 0;
    });
}

/** The store's indicators as the operator sees them: detection runs on the node's own host. */
function storeIndicators(node: NodeServices): IndicatorSource {
  return {
    all: async function* () {
      for (const collection of await node.collections.listAll()) {
        yield* node.intel.exportBundle({ collectionId: collection.id, types: ['indicator'] }, OPERATOR);
      }
    },
    latest: (id) => node.intel.latest(id, undefined, OPERATOR),
  };
}

export function detectPublishCommand(): Command {
  return withBusOptions(new Command('publish'))
    .description('Put sensor log lines on the bus\'s telemetry queue, in batches, for detect serve workers')
    .argument('<files...>', 'log files, or - for standard input')
    .addOption(new Option('-f, --format <format>', 'input format').choices(['auto', ...TELEMETRY_FORMATS]).default('auto'))
    .option('--source <name>', 'source name reported with matches (default the file name)')
    .option('--batch-lines <n>', 'lines per batch', '1000')
    .addHelpText('after', '\nA STIX document spanning several lines must be sent with --format stix (one file, one batch). See docs/bus.md.')
    .action(async (files: string[], opts: PublishFlags) => {
      const config = busConfig(opts);
      const batchLines = positive(opts.batchLines, '--batch-lines');
      const bus = await openNatsBus({ url: config.bus.url, stream: config.bus.stream, name: `${config.node.name}-publish` });
      const queue = telemetryQueueOn(bus);
      let lines = 0;
      let batches = 0;
      try {
        for (const file of files) {
          const source = opts.source ?? file;
          const zeekPath = ZEEK_LOGS.exec(basename(file))?.[1];
          const send = async (batch: Omit<TelemetryBatch, 'format' | 'source'>): Promise<void> => {
            await queue.publish({ format: opts.format, source, ...(zeekPath === undefined ? {} : { zeekPath }), ...batch });
            batches++;
            lines += batch.lines.length;
          };
          await batchFile(file, opts.format === 'stix' ? Number.POSITIVE_INFINITY : batchLines, opts.format === 'stix' ? Number.POSITIVE_INFINITY : MAX_BATCH_BYTES, send);
        }
      } finally {
        await bus.close();
      }
      process.stderr.write(`published ${lines} lines in ${batches} batches to stream ${config.bus.stream}\n`);
      process.exitCode = 0;
    });
}

/** Reads a file's lines and hands them out in batches, each with the Zeek header seen before it. */
async function batchFile(file: string, maxLines: number, maxBytes: number, send: (batch: Omit<TelemetryBatch, 'format' | 'source'>) => Promise<void>): Promise<void> {
  const input = file === '-' ? process.stdin : createReadStream(file);
  const opened = new Promise<void>((resolve, reject) => {
    if (file === '-') resolve();
    input.once('open', () => resolve());
    input.once('error', (e: Error) => reject(new EntenteError('ENTENTE_INVALID_PARAMETER', `${file}: cannot open (${e.message})`, [{ path: file, message: 'unreadable' }])));
  });
  await opened;
  let header: string[] = [];
  let inHeader = false;
  let lines: string[] = [];
  let bytes = 0;
  let first = 1;
  let lineNo = 0;
  const flush = async (): Promise<void> => {
    if (lines.length > 0) await send({ firstLine: first, lines, ...(header.length > 0 ? { header } : {}) });
    lines = [];
    bytes = 0;
  };
  for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    lineNo++;
    if (ZEEK_HEADER.test(line)) {
      // A new header block (a rotated log appended) starts a new batch with its own header.
      if (!inHeader) { await flush(); header = []; inHeader = true; }
      header.push(line);
      continue;
    }
    inHeader = false;
    if (lines.length === 0) first = lineNo;
    lines.push(line);
    bytes += line.length + 8;
    if (lines.length >= maxLines || bytes >= maxBytes) await flush();
  }
  await flush();
}

function positive(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new EntenteError('ENTENTE_INVALID_PARAMETER', `${flag} must be a whole number from 1; got ${value}`, [{ path: flag, message: 'must be a whole number from 1' }]);
  return n;
}
