/**
 * Reads a sensor log line by line: detects the format (or takes the one given), hands each line
 * to that format's normaliser, and keeps counts. It never throws on input: a bad line is counted
 * with its number and reason, and reading goes on.
 */
import { detectFormat } from './detect-format.js';
import { ecsDecoder } from './ecs.js';
import { stixDecoder } from './stix-observed.js';
import { windowsDecoder } from './windows.js';
import { suricataDecoder } from './suricata.js';
import { zeekJsonDecoder } from './zeek-json.js';
import { zeekTsvDecoder } from './zeek-tsv.js';
import type { IndicatorIndex } from '../pattern/index.js';
import type { LineDecoder, LineOutcome, TelemetryEvent, TelemetryFormat } from './types.js';

export interface ReaderOptions {
  /** Zeek log name when records do not carry one (`conn` for a `conn.log`). */
  readonly zeekPath?: string;
  /** How many bad lines to keep, with number and reason, for the report (all are counted). */
  readonly keepBadLines?: number;
  /** Number of the first line pushed (default 1), for a reader given a later part of a file. */
  readonly firstLine?: number;
}

const NO_EVENTS: ReadonlyArray<TelemetryEvent> = Object.freeze([]);

export interface BadLine {
  readonly line: number;
  readonly reason: string;
}

export interface ReaderStats {
  readonly lines: number;
  readonly events: number;
  readonly skipped: number;
  readonly bad: number;
  /** Bad lines by reason, numbers in the reason replaced by N so that alike reasons group. */
  readonly badByReason: ReadonlyMap<string, number>;
  readonly badLines: ReadonlyArray<BadLine>;
}

/** Builds the decoder of one format. */
export function decoderFor(format: TelemetryFormat, options: ReaderOptions = {}): LineDecoder {
  switch (format) {
    case 'suricata': return suricataDecoder();
    case 'zeek-json': return zeekJsonDecoder(options.zeekPath);
    case 'zeek-tsv': return zeekTsvDecoder(options.zeekPath);
    case 'ecs': return ecsDecoder();
    case 'windows': return windowsDecoder();
    case 'stix': return stixDecoder();
  }
}

export class TelemetryReader {
  private decoder: LineDecoder | undefined;
  private lineNo: number;
  private readonly firstLine: number;
  private counts = { events: 0, skipped: 0, bad: 0 };
  private readonly byReason = new Map<string, number>();
  private readonly kept: BadLine[] = [];
  private readonly keep: number;

  constructor(format: TelemetryFormat | 'auto', private readonly options: ReaderOptions = {}) {
    this.decoder = format === 'auto' ? undefined : decoderFor(format, options);
    this.keep = options.keepBadLines ?? 100;
    this.firstLine = options.firstLine ?? 1;
    this.lineNo = this.firstLine - 1;
  }

  /** The format in use; undefined while auto-detection has not seen a telling line. */
  get format(): TelemetryFormat | undefined {
    return this.decoder?.format;
  }

  /** Reads the next line (without its line feed) and returns the events it gave. */
  push(text: string): ReadonlyArray<TelemetryEvent> {
    const line = ++this.lineNo;
    const clean = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (this.decoder === undefined) {
      const guess = detectFormat(clean);
      if (guess === undefined) return this.record({ kind: 'skipped', reason: 'blank' });
      if (guess === 'unknown') return this.record({ kind: 'bad', line, reason: 'unknown format: not Suricata EVE, Zeek, ECS, Windows events or STIX' });
      this.decoder = decoderFor(guess, this.options);
    }
    if (clean.trim() === '' && this.decoder.format !== 'stix') return this.record({ kind: 'skipped', reason: 'blank' });
    return this.record(this.decoder.decode(clean, line));
  }

  /**
   * Like `push`, for a caller that only wants what `index` matches: a line its decoder can tell,
   * without building an observation, is one event the index does not match is counted as an
   * event and gives nothing. The events returned still have to be matched. Used only while the
   * index holds no general pattern (those need the observation).
   */
  pushFor(text: string, index: IndicatorIndex): ReadonlyArray<TelemetryEvent> {
    const misses = this.decoder?.misses;
    if (misses !== undefined && index.general.size === 0 && misses(text.endsWith('\r') ? text.slice(0, -1) : text, index.simple)) {
      this.lineNo++;
      this.counts.events++;
      return NO_EVENTS;
    }
    return this.push(text);
  }

  /** Events so far; cheaper than `stats` for checking after every line. */
  get eventCount(): number {
    return this.counts.events;
  }

  /** Ends the input; reports a STIX document left open. */
  end(): ReadonlyArray<TelemetryEvent> {
    const last = this.decoder?.finish();
    return last === undefined ? [] : this.record(last);
  }

  /** Bad lines so far; cheaper than `stats` for checking after every line. */
  get badCount(): number {
    return this.counts.bad;
  }

  get stats(): ReaderStats {
    return { lines: this.lineNo - this.firstLine + 1, ...this.counts, badByReason: this.byReason, badLines: this.kept };
  }

  private record(outcome: LineOutcome): ReadonlyArray<TelemetryEvent> {
    switch (outcome.kind) {
      case 'events':
        this.counts.events += outcome.events.length;
        return outcome.events;
      case 'skipped':
        if (outcome.reason !== 'blank' && !outcome.reason.endsWith('continues') && !outcome.reason.endsWith('header')) this.counts.skipped++;
        return [];
      case 'bad': {
        this.counts.bad++;
        const key = reasonKey(outcome.reason);
        this.byReason.set(key, (this.byReason.get(key) ?? 0) + 1);
        if (this.kept.length < this.keep) this.kept.push({ line: outcome.line, reason: outcome.reason });
        return [];
      }
    }
  }
}

/** Groups alike reasons: JSON.parse's position text, counts and cell values differ from line to line. */
export function reasonKey(reason: string): string {
  const json = reason.indexOf('not JSON');
  const base = json >= 0 ? reason.slice(0, json + 'not JSON'.length) : reason.split(': ').slice(0, 2).join(': ');
  return base.replace(/\d+/g, 'N');
}
