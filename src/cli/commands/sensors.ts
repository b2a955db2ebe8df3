import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { systemClock } from '../../adapters/system/system-clock.js';
import { EntenteError } from '../../core/errors.js';
import {
  EXPORT_TYPES, blocklists, checkRules, selectForSensors, suricataDatasets, suricataRules, zeekIntel,
  type ExportType, type SensorExport, type SensorSelection,
} from '../../core/sensor-exports/index.js';
import { BUILTIN_WARNINGLISTS, WarninglistGuard, WarninglistMatcher, parseWarninglists, type Warninglist } from '../../core/warninglists/index.js';
import { OPERATOR, type Reader } from '../../services/intel/release-gate.js';
import { colour, table } from '../output.js';
import { LOCAL_OPERATOR, withNode, withNodeOptions, type NodeFlags } from '../node-options.js';
import { readStixDocuments } from '../stix-documents.js';

const FORMATS = ['suricata', 'suricata-datasets', 'zeek', 'blocklist'] as const;
type Format = (typeof FORMATS)[number];

interface ExportFlags extends NodeFlags {
  readonly format: Format;
  readonly out?: string;
  readonly for?: string;
  readonly collection?: string;
  readonly type?: string;
  readonly sidBase: string;
  readonly sidRange: string;
  readonly indicators?: ReadonlyArray<string>;
  readonly warninglist?: ReadonlyArray<string>;
  readonly warninglists: boolean;
  readonly source?: string;
  readonly json?: boolean;
}

function collect(value: string, previous: ReadonlyArray<string> | undefined): ReadonlyArray<string> {
  return [...(previous ?? []), value];
}

const invalid = (option: string, message: string): EntenteError =>
  new EntenteError('ENTENTE_INVALID_PARAMETER', `${option}: ${message}`, [{ path: option, message }]);

/**
 * The warninglists a command applies: the built-in ones unless `--no-warninglists`, then the
 * operator's files (which apply either way). Shared by `detect` and `sensors export`.
 */
export async function loadWarninglists(files: ReadonlyArray<string> | undefined, builtin: boolean): Promise<WarninglistMatcher | undefined> {
  const lists: Warninglist[] = builtin ? [...BUILTIN_WARNINGLISTS] : [];
  for (const file of files ?? []) {
    const text = await readFile(file, 'utf8').catch(() => {
      throw invalid('--warninglist', `${file}: cannot read the warninglist file`);
    });
    lists.push(...parseWarninglists(text, file));
  }
  return lists.length === 0 ? undefined : new WarninglistMatcher(lists);
}

/** `entente sensors`: indicators for network sensors. */
export function sensorsCommand(): Command {
  return new Command('sensors')
    .description('Indicators for network sensors: Suricata rules or datasets, Zeek Intel files, plain blocklists')
    .addCommand(exportCommand());
}

function exportCommand(): Command {
  return withNodeOptions(new Command('export'))
    .description('Write the indicators a sensor may use, filtered by the release decision for its owner (see docs/sensors.md)')
    .addOption(new Option('-f, --format <format>', 'output format').choices([...FORMATS]).makeOptionMandatory())
    .option('-o, --out <path>', 'output directory (suricata, suricata-datasets, blocklist) or file (zeek, or blocklist with one --type); standard output for those when absent')
    .option('--for <party>', 'export only what this organisation may receive under the agreements in force (every decision is logged, channel sensor-export)')
    .option('--collection <id>', 'only this collection (id or alias); default every collection')
    .option('--type <types>', `only these value types, comma-separated: ${EXPORT_TYPES.join(', ')}`)
    .option('--sid-base <n>', 'first Suricata sid of the range rules are numbered in', '1000000')
    .option('--sid-range <n>', 'how many sids the range holds', '1000000')
    .option('-i, --indicators <bundle>', 'export from a STIX bundle file instead of the node (repeat for several)', collect)
    .option('--warninglist <file>', 'also leave out values on this warninglist (JSON, Entente or MISP format; repeatable)', collect)
    .option('--no-warninglists', 'do not apply the built-in warninglists (those given with --warninglist still apply)')
    .option('--source <name>', 'Zeek meta.source of every item', 'entente')
    .option('--json', 'print the summary as JSON')
    .addHelpText('after', '\nExit status: 0 exported, 2 an error (bad option, unknown party, unreadable file).\nSee docs/sensors.md.')
    .action(async (opts: ExportFlags) => {
      const types = parseTypes(opts.type);
      const sids = { base: positive('--sid-base', opts.sidBase), size: positive('--sid-range', opts.sidRange) };
      if (sids.base + sids.size - 1 > 0xffffffff) throw invalid('--sid-range', 'the range ends beyond 4294967295, the largest sid');
      if (opts.indicators !== undefined && (opts.for !== undefined || opts.collection !== undefined)) {
        throw invalid(opts.for !== undefined ? '--for' : '--collection', 'applies to the node\'s store, not to --indicators files');
      }
      const warninglists = await loadWarninglists(opts.warninglist, opts.warninglists);
      const { objects, nowMs } = await loadObjects(opts);
      const selection = selectForSensors(objects, { nowMs, ...(warninglists === undefined ? {} : { warninglists }), ...(types === undefined ? {} : { types: new Set(types) }) });
      const result = render(opts.format, selection, sids, types, opts.source ?? 'entente');
      const written = await write(result, opts);
      printSummary(opts, selection, result, written);
      process.exitCode = 0;
    });
}

function parseTypes(text: string | undefined): ExportType[] | undefined {
  if (text === undefined) return undefined;
  const types = text.split(',').map((t) => t.trim()).filter((t) => t !== '');
  const unknown = types.filter((t) => !(EXPORT_TYPES as ReadonlyArray<string>).includes(t));
  if (unknown.length > 0 || types.length === 0) throw invalid('--type', `${unknown.join(', ') || 'nothing'} is not one of ${EXPORT_TYPES.join(', ')}`);
  return [...new Set(types)] as ExportType[];
}

function positive(option: string, text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 0xffffffff) throw invalid(option, `"${text}" is not a whole number between 1 and 4294967295`);
  return Number(text);
}

async function loadObjects(opts: ExportFlags): Promise<{ objects: unknown[]; nowMs: number }> {
  const objects: unknown[] = [];
  if (opts.indicators !== undefined) {
    for (const file of opts.indicators) {
      const text = await readFile(file, 'utf8').catch(() => {
        throw invalid('--indicators', `${file}: cannot read the indicators file`);
      });
      for (const d of readStixDocuments(text, file)) objects.push(d.value);
    }
    return { objects, nowMs: systemClock.now() };
  }
  return withNode(opts, async (node) => {
    const collections = opts.collection === undefined
      ? await node.collections.listAll()
      : [(await node.collections.resolve(LOCAL_OPERATOR, opts.collection, 'read')).collection];
    const reader: Reader = opts.for === undefined ? OPERATOR : { audience: { kind: 'party', code: opts.for }, channel: 'sensor-export' };
    const live = opts.json !== true && process.stderr.isTTY;
    for (const collection of collections) {
      for await (const page of node.intel.exportBundle({ collectionId: collection.id, types: ['indicator'] }, reader)) {
        objects.push(...page);
        if (live) process.stderr.write(`\r${colour.dim(`indicators read ${objects.length}`)}\u001b[K`);
      }
    }
    if (live) process.stderr.write('\n');
    return { objects, nowMs: node.clock.now() };
  });
}

function render(format: Format, selection: SensorSelection, sids: { base: number; size: number }, types: ReadonlyArray<ExportType> | undefined, source: string): SensorExport {
  switch (format) {
    case 'suricata':
    case 'suricata-datasets': {
      const out = format === 'suricata' ? suricataRules(selection.indicators, { sids }) : suricataDatasets(selection.indicators, { sids });
      const problems = checkRules(out.files[0]?.content ?? '').problems;
      if (problems.length > 0) {
        throw new EntenteError('ENTENTE_INTERNAL', 'the generated Suricata rules do not pass the grammar check', problems.slice(0, 10).map((p) => ({ path: `entente.rules:${p.line}`, message: p.message })));
      }
      return out;
    }
    case 'zeek': return zeekIntel(selection.indicators, { source });
    case 'blocklist': return blocklists(selection.indicators, types ?? EXPORT_TYPES);
  }
}

/** Writes the files; a single-file export may go to standard output. Returns the paths written. */
async function write(result: SensorExport, opts: ExportFlags): Promise<string[]> {
  const single = result.files.length === 1 && (opts.format === 'zeek' || opts.format === 'blocklist') ? result.files[0] : undefined;
  if (opts.out === undefined) {
    if (single === undefined) throw invalid('--out', `${opts.format} writes several files: give a directory`);
    process.stdout.write(single.content);
    return [];
  }
  const info = await stat(opts.out).catch(() => undefined);
  if (single !== undefined && info?.isDirectory() !== true) {
    await writeAtomically(opts.out, single.content);
    return [opts.out];
  }
  if (info !== undefined && !info.isDirectory()) throw invalid('--out', `${opts.out} is a file; ${opts.format} writes several files into a directory`);
  await mkdir(opts.out, { recursive: true });
  const paths: string[] = [];
  for (const file of result.files) {
    const path = join(opts.out, file.name);
    await writeAtomically(path, file.content);
    paths.push(path);
  }
  return paths;
}

/** Write then rename, so that a sensor reloading meanwhile reads the old file or the new one, never half. */
async function writeAtomically(path: string, content: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, content, 'utf8').catch((cause: unknown) => {
    throw new EntenteError('ENTENTE_INVALID_PARAMETER', `${path}: cannot write`, [{ path, message: 'not writable' }], { cause });
  });
  await rename(temporary, path);
}

function grouped(items: ReadonlyArray<string>): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

function printSummary(opts: ExportFlags, s: SensorSelection, result: SensorExport, written: ReadonlyArray<string>): void {
  const summary = {
    format: opts.format,
    ...(opts.for === undefined ? {} : { for: opts.for }),
    indicators: s.indicators.length,
    values: s.valuesByType,
    notExpressible: { count: s.notExpressible.length, reasons: grouped(s.notExpressible.map((n) => n.reason)).map(([reason, count]) => ({ reason, count })) },
    warninglisted: { count: s.warninglisted.length, byList: Object.fromEntries(grouped(s.warninglisted.map((w) => w.list))) },
    revoked: s.revoked,
    expired: s.expired,
    otherTypes: s.otherTypes,
    unsupported: result.unsupported,
    rules: result.rules,
    files: written,
  };
  // The summary never mixes with an export written to standard output.
  const stream = opts.out === undefined ? process.stderr : process.stdout;
  if (opts.json === true) {
    stream.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  const line = (text: string): void => void stream.write(`${text}\n`);
  line(`${colour.bold('exported')}  ${s.indicators.length} indicator(s) as ${opts.format}${opts.for === undefined ? '' : ` for ${opts.for}`}${result.rules > 0 ? `, ${result.rules} rule(s)` : ''}`);
  const rows = EXPORT_TYPES.filter((t) => s.valuesByType[t] > 0).map((t) => [t, s.valuesByType[t], result.unsupported[t] ?? '']);
  if (rows.length > 0) line(table(['type', 'values', 'not in this format'], rows));
  line(table(['left out', 'count'], [
    ['not expressible', s.notExpressible.length], ['warninglisted values', s.warninglisted.length],
    ['revoked', s.revoked], ['expired', s.expired], ['other types', s.otherTypes],
  ]));
  for (const [reason, count] of grouped(s.notExpressible.map((n) => n.reason)).slice(0, 10)) line(colour.dim(`  not expressible ${count}  ${reason}`));
  for (const [list, count] of grouped(s.warninglisted.map((w) => w.list))) line(colour.dim(`  warninglisted ${count}  ${list}`));
  for (const path of written) line(colour.dim(`  wrote ${path}`));
}

/**
 * Warninglists for `entente detect`: takes out of the index the indicators whose every value is
 * on a list, reports each with its list on standard error, and returns the guard that screens
 * matches (undefined when no list applies).
 */
export async function detectionGuard(
  selection: { readonly index: { remove(id: string): boolean }; readonly patterns: ReadonlyMap<string, string> },
  files: ReadonlyArray<string> | undefined, builtin: boolean,
): Promise<WarninglistGuard | undefined> {
  const matcher = await loadWarninglists(files, builtin);
  if (matcher === undefined) return undefined;
  const guard = new WarninglistGuard(matcher);
  const suppressed = guard.screenIndicators(selection.patterns);
  for (const s of suppressed) selection.index.remove(s.id);
  if (suppressed.length > 0) {
    process.stderr.write(`${colour.bold(String(suppressed.length))} indicators suppressed by warninglists (not matched)\n`);
    for (const s of suppressed.slice(0, 20)) process.stderr.write(`  ${colour.yellow('warninglisted')} ${s.id}: ${s.list} (${s.entry})\n`);
  }
  return guard;
}

/** The summary lines of matches suppressed by warninglists: counts by list, then the first few. */
export function suppressionSummary(guard: WarninglistGuard | undefined): string[] {
  if (guard === undefined || guard.matchesByList.size === 0) return [];
  return [
    table(['suppressed', 'warninglist'], [...guard.matchesByList].sort((a, b) => b[1] - a[1]).map(([list, n]) => [n, list])),
    ...guard.samples.map((m) => colour.dim(`  ${m.id}  ${m.value}  ${m.list}`)),
  ];
}
