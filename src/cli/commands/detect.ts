import { open, readFile, readdir, stat } from 'node:fs/promises';
import { OPERATOR } from '../../services/intel/release-gate.js';
import { basename, extname, join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as sleep } from 'node:timers/promises';
import { Command, Option } from 'commander';
import { systemClock } from '../../adapters/system/system-clock.js';
import { EntenteError } from '../../core/errors.js';
import type { Clock } from '../../ports/clock.js';
import {
  TELEMETRY_FORMATS, TelemetryReader, reasonKey, selectIndicators, summarise,
  type IndicatorSelection, type TelemetryEvent, type TelemetryFormat,
} from '../../core/telemetry/index.js';
import { colour, table } from '../output.js';
import { withNode, withNodeOptions, type NodeFlags } from '../node-options.js';
import { readStixDocuments } from '../stix-documents.js';
import { detectionGuard, suppressionSummary } from './sensors.js';
import type { WarninglistGuard } from '../../core/warninglists/index.js';
import { parseWindow, SightingAccumulator } from '../../core/sightings/index.js';
import { SightingService, type SightingReport } from '../../services/detection/sighting-service.js';
import { MatchPool, POOL_FORMATS, defaultWorkerCount, type BatchResult } from '../../adapters/detect-workers/match-pool.js';

interface DetectFlags extends NodeFlags {
  readonly indicators?: ReadonlyArray<string>;
  readonly format: TelemetryFormat | 'auto';
  readonly follow?: boolean;
  readonly json?: boolean;
  readonly sightings?: boolean;
  readonly window: string;
  readonly evidence: string;
  readonly sightingsCollection?: string;
  readonly warninglist?: ReadonlyArray<string>;
  readonly warninglists: boolean;
  readonly workers?: string;
}

/** Files a directory argument contributes: sensor logs, not notes or hidden files. */
const LOG_EXTENSIONS = new Set(['', '.json', '.ndjson', '.jsonl', '.log', '.eve', '.zeektsv', '.tsv', '.txt', '.stix']);
const ZEEK_LOGS = /^(conn|dns|http|ssl|files|x509|smtp|notice|weird|dhcp|ftp|ssh)(\.|$)/;
const CHUNK = 64 * 1024;

/** Totals over every input, for the summary. */
interface Totals {
  events: number;
  matches: number;
  bad: number;
  lines: number;
  readonly perIndicator: Map<string, number>;
  readonly badByReason: Map<string, number>;
  readonly badSamples: Array<{ file: string; line: number; reason: string }>;
  /** With --sightings: the matches grouped per indicator and window as they are found. */
  readonly sightings?: SightingAccumulator;
}

/**
 * `entente detect`: match sensor logs (Suricata EVE, Zeek, ECS, STIX observed-data) against STIX
 * indicators, from bundles given with --indicators or from the node's store.
 * Exit codes: 0 it ran (with or without matches), 2 an error.
 */
export function detectCommand(): Command {
  return withNodeOptions(new Command('detect'))
    .description('Match sensor logs against STIX indicators (from --indicators bundles or the node store)')
    .argument('<inputs...>', 'log files, directories (read recursively) or - for standard input')
    .option('-i, --indicators <bundle>', 'STIX bundle holding indicators (repeat for several); without it, every indicator in the node store', collect)
    .addOption(new Option('-f, --format <format>', 'input format').choices(['auto', ...TELEMETRY_FORMATS]).default('auto'))
    .option('--follow', 'keep reading a growing file until interrupted (Ctrl-C)')
    .option('--json', 'print matches as NDJSON on standard output; the summary goes to standard error')
    .option('--sightings', 'store STIX sightings of the matches in the node and say what may go back to each indicator\'s producer')
    .option('--window <width>', 'with --sightings: one sighting per indicator and window of this width (30m, 1h, 1d)', '1h')
    .option('--evidence <n>', 'with --sightings: observed-data kept as evidence per sighting', '5')
    .option('--warninglist <file>', 'also suppress indicators and matches on this warninglist (JSON, Entente or MISP format; repeatable)', collect)
    .option('--no-warninglists', 'do not apply the built-in warninglists (those given with --warninglist still apply)')
    .option('--sightings-collection <collection>', 'with --sightings: collection id or alias to store them in (default intel)')
    .option('--workers <n>', `threads matching at once (default: one per CPU, here ${defaultWorkerCount()}); 1 matches on the main thread, as --follow always does`)
    .addHelpText('after', '\nExit status: 0 it ran (matches or not), 2 an error (unreadable file, bad indicators).\nSee docs/detection.md.')
    .action(async (inputs: string[], opts: DetectFlags) => {
      const clock: Clock = systemClock;
      const sightings = opts.sightings === true ? sightingAccumulator(opts) : undefined;
      const indicatorValues = await loadIndicators(opts);
      const selection = selectIndicators(indicatorValues, clock.now());
      const guard = await detectionGuard(selection, opts.warninglist, opts.warninglists);
      reportSelection(selection, opts.json === true);
      const totals: Totals = { events: 0, matches: 0, bad: 0, lines: 0, perIndicator: new Map(), badByReason: new Map(), badSamples: [], ...(sightings === undefined ? {} : { sightings }) };
      const files = await expand(inputs);
      if (opts.follow === true && (files.length !== 1 || files[0] === '-')) {
        throw new EntenteError('ENTENTE_INVALID_PARAMETER', '--follow takes exactly one file', [{ path: '--follow', message: 'give one file, not a directory or -' }]);
      }
      const workers = workerCount(opts);
      // The pool shares the index as it stands now: after the warninglists have screened it.
      const pool = workers > 1 && opts.follow !== true ? MatchPool.start(selection.index, selection.patterns, workers) : undefined;
      const progress = liveProgress(totals);
      const stop = new AbortController();
      const onSignal = (): void => stop.abort();
      process.once('SIGINT', onSignal);
      // `entente detect … | head` closes the pipe early: stop reading rather than die on EPIPE.
      const onStdoutError = (error: NodeJS.ErrnoException): void => {
        if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') stop.abort();
        else throw error;
      };
      process.stdout.on('error', onStdoutError);
      try {
        for (const file of files) await scanFile(file, opts, selection, totals, stop.signal, guard, pool);
      } finally {
        process.removeListener('SIGINT', onSignal);
        progress.stop();
        await pool?.close();
      }
      printSummary(totals, selection, opts.json === true, guard);
      if (sightings !== undefined) await recordSightings(opts, sightings, indicatorValues);
      process.exitCode = 0;
    });
}

/** --workers as a number: a whole number from 1 to 64, or one per CPU when not given. */
function workerCount(opts: DetectFlags): number {
  if (opts.workers === undefined) return defaultWorkerCount();
  const n = /^\d{1,2}$/.test(opts.workers) ? Number(opts.workers) : Number.NaN;
  if (!(n >= 1 && n <= 64)) throw new EntenteError('ENTENTE_INVALID_PARAMETER', `--workers: ${JSON.stringify(opts.workers)} is not a whole number from 1 to 64`, [{ path: '--workers', message: 'a whole number from 1 to 64' }]);
  return n;
}

function collect(value: string, previous: ReadonlyArray<string> | undefined): ReadonlyArray<string> {
  return [...(previous ?? []), value];
}

async function loadIndicators(opts: DetectFlags): Promise<unknown[]> {
  if (opts.indicators !== undefined) {
    const values: unknown[] = [];
    for (const file of opts.indicators) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch {
        throw new EntenteError('ENTENTE_INVALID_PARAMETER', `${file}: cannot read the indicators file`, [{ path: file, message: 'not found or unreadable' }]);
      }
      for (const d of readStixDocuments(text, file)) values.push(d.value);
    }
    return values;
  }
  return withNode(opts, async (node) => {
    const values: unknown[] = [];
    for (const collection of await node.collections.listAll()) {
      for await (const page of node.intel.exportBundle({ collectionId: collection.id, types: ['indicator'] }, OPERATOR)) values.push(...page);
    }
    return values;
  });
}

function reportSelection(s: IndicatorSelection, json: boolean): void {
  const skipped = [`${s.revoked} revoked`, `${s.expired} expired`, `${s.otherPatternTypes} not STIX patterns`, `${s.invalid.length} invalid`];
  process.stderr.write(`${colour.bold(String(s.index.size))} indicators loaded (skipped: ${skipped.join(', ')})\n`);
  if (!json) for (const bad of s.invalid.slice(0, 20)) process.stderr.write(`  ${colour.yellow('invalid')} ${bad.id}: ${bad.reason}\n`);
}

/** FILE|DIR|- arguments to a list of files; directories in name order, so runs are repeatable. */
async function expand(inputs: ReadonlyArray<string>): Promise<string[]> {
  const out: string[] = [];
  for (const input of inputs) {
    if (input === '-') { out.push('-'); continue; }
    const info = await stat(input).catch(() => undefined);
    if (info === undefined) throw new EntenteError('ENTENTE_INVALID_PARAMETER', `${input}: no such file or directory`, [{ path: input, message: 'not found' }]);
    if (info.isDirectory()) out.push(...(await walk(input)));
    else out.push(input);
  }
  return out;
}

async function walk(dir: string): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(path)));
    else if (e.isFile() && LOG_EXTENSIONS.has(extname(e.name).toLowerCase())) out.push(path);
  }
  return out;
}

/** A batch of lines handed to the pool, kept until its result is taken for the evidence of matches. */
interface InFlight {
  readonly firstLine: number;
  readonly lines: ReadonlyArray<string>;
  readonly result: Promise<BatchResult>;
}

/**
 * Reads and matches one file. Lines are read on this thread until the format is known; from then
 * on, with a pool and a format whose lines stand alone, batches go to the workers and their
 * results are taken in order (so output is the same as on one thread). The few events that match
 * are read again here to build their observation for reports and sightings.
 */
async function scanFile(file: string, opts: DetectFlags, selection: IndicatorSelection, totals: Totals, signal: AbortSignal, guard: WarninglistGuard | undefined, pool: MatchPool | undefined): Promise<void> {
  const zeekPath = ZEEK_LOGS.exec(basename(file))?.[1];
  const readerOptions = zeekPath === undefined ? {} : { zeekPath };
  const reader = new TelemetryReader(opts.format, readerOptions);
  const seen = { events: 0, bad: 0 };
  const report = (event: TelemetryEvent, ids: ReadonlyArray<string>, raw: string | undefined): void => {
    for (const id of ids) {
      if (guard?.screenMatch(id, selection.patterns.get(id) ?? '', event.observation) !== undefined) continue;
      totals.matches++;
      totals.perIndicator.set(id, (totals.perIndicator.get(id) ?? 0) + 1);
      totals.sightings?.add({ indicatorId: id, observation: event.observation, sensor: file });
      printMatch(id, selection.patterns.get(id) ?? '', file, event, event.format === 'stix' ? undefined : raw, opts.json === true);
    }
  };
  const onEvents = (events: ReadonlyArray<TelemetryEvent>, raw?: string): void => {
    for (const event of events) report(event, selection.index.match(event.observation), raw);
    totals.events += reader.eventCount - seen.events;
    seen.events = reader.eventCount;
    if (reader.badCount > seen.bad) {
      const stats = reader.stats;
      for (const bad of stats.badLines.slice(seen.bad)) if (totals.badSamples.length < 50) totals.badSamples.push({ file, ...bad });
      totals.bad += stats.bad - seen.bad;
      seen.bad = stats.bad;
    }
  };
  const pooled = (): boolean => pool !== undefined && reader.format !== undefined && POOL_FORMATS.has(reader.format);
  const inFlight: InFlight[] = [];
  const take = async (batch: InFlight): Promise<void> => {
    const result = await batch.result;
    totals.events += result.events;
    for (const m of result.matches) {
      const raw = batch.lines[m.line - batch.firstLine] as string;
      const event = new TelemetryReader(reader.format ?? opts.format, { ...readerOptions, firstLine: m.line }).push(raw)[m.nth];
      if (event !== undefined) report(event, m.ids, raw);
    }
    totals.bad += result.bad;
    for (const bad of result.badLines) if (totals.badSamples.length < 50) totals.badSamples.push({ file, ...bad });
    for (const [reason, n] of result.badByReason) totals.badByReason.set(reason, (totals.badByReason.get(reason) ?? 0) + n);
  };
  let nextLine = 1;
  const lines = file === '-' ? stdinLines() : fileLines(file, opts.follow === true, signal);
  try {
    reading: for await (const batch of lines) {
      let at = 0;
      for (; at < batch.length && !pooled(); at++) {
        const line = batch[at] as string;
        totals.lines++;
        nextLine++;
        onEvents(reader.pushFor(line, selection.index), line);
        if (signal.aborted) break reading;
      }
      if (pool === undefined || at === batch.length) continue;
      const rest = at === 0 ? batch : batch.slice(at);
      inFlight.push({ firstLine: nextLine, lines: rest, result: pool.submit({ format: reader.format as TelemetryFormat, firstLine: nextLine, lines: rest, ...readerOptions }) });
      nextLine += rest.length;
      totals.lines += rest.length;
      while (inFlight.length > 2 * pool.size) await take(inFlight.shift() as InFlight);
      if (signal.aborted) break;
    }
    while (inFlight.length > 0) await take(inFlight.shift() as InFlight);
  } finally {
    // Batches not taken (an error above) must not leave rejections unhandled.
    for (const batch of inFlight) batch.result.catch(() => undefined);
  }
  onEvents(reader.end());
  for (const [reason, n] of reader.stats.badByReason) totals.badByReason.set(reason, (totals.badByReason.get(reason) ?? 0) + n);
}

/**
 * A file's lines, read in chunks so that memory stays flat whatever the size, handed out a chunk's
 * worth at a time (one await per line would cost more than the matching); with `follow`, waits
 * at the end for more to be written until the signal aborts.
 */
async function* fileLines(path: string, follow: boolean, signal: AbortSignal): AsyncGenerator<string[]> {
  const handle = await open(path, 'r').catch(() => {
    throw new EntenteError('ENTENTE_INVALID_PARAMETER', `${path}: cannot open`, [{ path, message: 'unreadable' }]);
  });
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    const decoder = new StringDecoder('utf8');
    let pending = '';
    let position = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, position);
      if (bytesRead === 0) {
        if (!follow || signal.aborted) break;
        await sleep(250, undefined, { signal }).catch(() => undefined);
        continue;
      }
      position += bytesRead;
      pending += decoder.write(buffer.subarray(0, bytesRead));
      const batch: string[] = [];
      let start = 0;
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n', start)) {
        batch.push(pending.slice(start, nl));
        start = nl + 1;
      }
      pending = pending.slice(start);
      if (batch.length > 0) yield batch;
    }
    pending += decoder.end();
    if (pending !== '') yield [pending];
  } finally {
    await handle.close();
  }
}

async function* stdinLines(): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  for await (const chunk of process.stdin) {
    pending += decoder.write(chunk as Buffer);
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    if (parts.length > 0) yield parts;
  }
  pending += decoder.end();
  if (pending !== '') yield [pending];
}

/** Raw events longer than this are cut in the JSON output (the file and line lead to the rest). */
const MAX_RAW_CHARS = 8192;

function printMatch(id: string, pattern: string, file: string, event: TelemetryEvent, raw: string | undefined, json: boolean): void {
  const observed = summarise(event.observation);
  if (json) {
    const rawEvent = raw === undefined ? {} : { event: raw.length > MAX_RAW_CHARS ? `${raw.slice(0, MAX_RAW_CHARS)}…` : raw };
    process.stdout.write(`${JSON.stringify({ indicator: id, pattern, file, line: event.line, format: event.format, eventType: event.eventType, observed, ...rawEvent })}\n`);
  } else {
    process.stdout.write(`${colour.red('match')} ${id}  ${file}:${event.line}  ${event.eventType}  ${observed.filter((o) => !o.startsWith('network-traffic')).join(', ').slice(0, 160)}\n`);
  }
}

/** Events/s, matches and bad lines on one stderr line, refreshed twice a second, for terminals only. */
function liveProgress(totals: Totals): { stop(): void } {
  if (!process.stderr.isTTY) return { stop() {} };
  const started = performance.now();
  const draw = (): void => {
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? Math.round(totals.events / seconds) : 0;
    process.stderr.write(`\r${colour.dim(`events ${totals.events} (${rate}/s)  matches ${totals.matches}  bad lines ${totals.bad}`)}\u001b[K`);
  };
  const timer = setInterval(draw, 500);
  return { stop() { clearInterval(timer); draw(); process.stderr.write('\n'); } };
}

function printSummary(totals: Totals, selection: IndicatorSelection, json: boolean, guard: WarninglistGuard | undefined): void {
  const write = (text: string): void => void (json ? process.stderr : process.stdout).write(`${text}\n`);
  write(`${colour.bold('summary')}  ${totals.events} events, ${totals.matches} matches, ${totals.bad} bad lines`);
  for (const line of suppressionSummary(guard)) write(line);
  if (totals.perIndicator.size > 0) {
    const rows = [...totals.perIndicator].sort((a, b) => b[1] - a[1]).map(([id, n]) => [n, id, (selection.patterns.get(id) ?? '').slice(0, 80)]);
    write(table(['matches', 'indicator', 'pattern'], rows));
  }
  if (totals.badByReason.size > 0) {
    write(table(['bad lines', 'reason'], [...totals.badByReason].sort((a, b) => b[1] - a[1]).map(([r, n]) => [n, reasonKey(r)])));
    for (const bad of totals.badSamples.slice(0, 10)) write(colour.dim(`  ${bad.file}:${bad.line}  ${bad.reason}`));
  }
}

// --- Sightings (--sightings) ---------------------------------------------------------------

function sightingAccumulator(opts: DetectFlags): SightingAccumulator {
  const evidence = /^\d{1,4}$/.test(opts.evidence) ? Number(opts.evidence) : Number.NaN;
  if (Number.isNaN(evidence)) throw new EntenteError('ENTENTE_INVALID_PARAMETER', `--evidence: ${JSON.stringify(opts.evidence)} is not a whole number`, [{ path: '--evidence', message: 'a whole number, 0 or more' }]);
  return new SightingAccumulator({ windowMs: parseWindow(opts.window, '--window'), evidence });
}

/** Stores the sightings in the node (opened even when --indicators named the indicators) and prints what may go back to whom. */
async function recordSightings(opts: DetectFlags, sightings: SightingAccumulator, indicatorValues: ReadonlyArray<unknown>): Promise<void> {
  const indicators = new Map<string, Readonly<Record<string, unknown>>>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) { v.forEach(visit); return; }
    if (typeof v !== 'object' || v === null) return;
    const o = v as Readonly<Record<string, unknown>>;
    if (o['type'] === 'bundle') visit(o['objects']);
    else if (o['type'] === 'indicator' && typeof o['id'] === 'string') indicators.set(o['id'], o);
  };
  if (opts.indicators !== undefined) indicatorValues.forEach(visit);
  const report = await withNode(opts, (node) => new SightingService(node).record(sightings, {
    indicators, ...(opts.sightingsCollection === undefined ? {} : { collection: opts.sightingsCollection }),
  }));
  printSightings(report, opts.json === true);
}

function printSightings(report: SightingReport, json: boolean): void {
  const write = (text: string): void => void (json ? process.stderr : process.stdout).write(`${text}\n`);
  const untimed = report.untimed > 0 ? `, ${report.untimed} matches without a usable time left out` : '';
  write(`${colour.bold('sightings')}  ${report.created} created, ${report.updated} updated in collection ${report.collectionId}${untimed}`);
  if (report.revoked.length > 0) write(colour.yellow(`  ${report.revoked.length} held as revoked, not updated: ${report.revoked.slice(0, 5).join(', ')}`));
  if (report.offers.length > 0) {
    const rows = report.offers.map((o) => {
      const reasons = new Map<string, number>();
      for (const w of o.withheld) reasons.set(w.reason, (reasons.get(w.reason) ?? 0) + 1);
      const redacted = o.offered.filter((x) => x.outcome === 'redact').length;
      return [o.code, o.offered.length, redacted, o.withheld.length, [...reasons].map(([r, n]) => `${r} ${n}`).join(', ')];
    });
    write(table(['producer', 'may go back', 'of them redacted', 'withheld', 'why withheld'], rows));
  }
  const notOffered = new Map<string, number>();
  for (const n of report.notOffered) notOffered.set(n.reason, (notOffered.get(n.reason) ?? 0) + 1);
  const why: Readonly<Record<string, string>> = { 'own-indicator': "of this node's own indicators", 'producer-unknown': 'of indicators whose author is not in the directory', 'indicator-unknown': 'of indicators the node does not hold' };
  if (notOffered.size > 0) write(colour.dim(`not offered to anyone: ${[...notOffered].map(([r, n]) => `${n} ${why[r] ?? r}`).join(', ')}`));
  if (json) process.stderr.write(`${JSON.stringify({ sightings: report })}\n`);
}
