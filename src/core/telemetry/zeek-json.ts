/**
 * Zeek JSON logs in their three shapes: plain (`LogAscii::use_json`, no log name), streaming
 * (`_path` names the log), and the Kafka plugin's wrapper `{"dns": {...}}`.
 */
import type { CompactIocIndex } from '../pattern/compact-iocs.js';
import { isEventTime } from './event-time.js';
import { isIp, isOutcome, jsonRecordOf, objectAt, parseJsonLine, type JsonRecord } from './json-line.js';
import { NOT_TRAFFIC, normaliseZeek } from './zeek-record.js';
import type { LineDecoder, LineOutcome } from './types.js';

/** Decodes Zeek JSON lines; `defaultPath` names the log when records do not (e.g. from the file name). */
export function zeekJsonDecoder(defaultPath?: string): LineDecoder {
  return {
    format: 'zeek-json',
    decode: (text, line) => {
      const record = parseJsonLine(text, line);
      return isOutcome(record) ? record : normaliseZeekJson(record, line, defaultPath);
    },
    finish: () => undefined,
    misses: (text, index) => zeekJsonMisses(text, index, defaultPath),
  };
}

/**
 * True when the line is one conn, dns, http or ssl record (with `_path`, or from a file named
 * after its log) on which the compact index finds nothing, looking up the values `normaliseZeek`
 * would put in the observation without building it. False when it cannot say so (other logs,
 * the Kafka wrapper, a record without addresses or with an `email`, a bad line, a hit).
 */
export function zeekJsonMisses(text: string, index: CompactIocIndex, defaultPath?: string): boolean {
  const record = jsonRecordOf(text);
  if (record === undefined) return false;
  const path = typeof record['_path'] === 'string' ? record['_path'] : defaultPath;
  if (path === undefined || NOT_TRAFFIC.has(path) || !isEventTime(record['ts'])) return false;
  const src = record['id.orig_h'];
  const dst = record['id.resp_h'];
  // Without addresses the record may give nothing observable (skipped); with one key it may be the Kafka wrapper.
  if ((src === undefined && dst === undefined) || record['email'] !== undefined || hasOneKey(record)) return false;
  if (hitsAddress(index, src) || hitsAddress(index, dst)) return false;
  switch (path) {
    case 'conn': return true;
    case 'dns': {
      const answers = record['answers'];
      if (Array.isArray(answers)) {
        for (const a of answers) if (typeof a === 'string' && a !== '' && (isIp(a) ? index.hasAddress(a) : index.hasDomain(a))) return false;
      } else if (typeof answers === 'string' && answers !== '' && (isIp(answers) ? index.hasAddress(answers) : index.hasDomain(answers))) return false;
      const query = record['query'];
      return !(typeof query === 'string' && query !== '' && index.hasDomain(query));
    }
    case 'http': {
      const host = record['host'];
      const uri = record['uri'];
      if (typeof host === 'string') {
        const name = host.replace(/:\d+$/, '');
        if (!isIp(name) && name !== '' && index.hasDomain(name)) return false;
        if (typeof uri === 'string' && index.hasText('url', `http://${host}${uri}`)) return false;
      }
      const md5 = record['md5'];
      return !(typeof md5 === 'string' && /^[0-9a-fA-F:]+$/.test(md5) && (md5.includes(':') || index.hasHash('MD5', md5)));
    }
    case 'ssl': {
      const name = record['server_name'];
      return !(typeof name === 'string' && name !== '' && !isIp(name) && index.hasDomain(name));
    }
    default: return false;
  }
}

function hitsAddress(index: CompactIocIndex, value: unknown): boolean {
  return typeof value === 'string' && value !== '' && index.hasAddress(value);
}

function hasOneKey(record: JsonRecord): boolean {
  let n = 0;
  for (const key in record) if (Object.prototype.hasOwnProperty.call(record, key) && ++n > 1) return false;
  return n === 1;
}

export function normaliseZeekJson(record: JsonRecord, line: number, defaultPath?: string): LineOutcome {
  const keys = Object.keys(record);
  const wrapped = keys.length === 1 && keys[0] !== undefined ? objectAt(record, keys[0]) : undefined;
  if (wrapped !== undefined && keys[0] !== undefined) return normaliseZeek(keys[0], wrapped, line, 'zeek-json');
  const path = typeof record['_path'] === 'string' ? record['_path'] : (defaultPath ?? inferPath(record));
  if (path === undefined) return { kind: 'bad', line, reason: 'zeek-json: cannot tell which log this record is from (no _path)' };
  return normaliseZeek(path, record, line, 'zeek-json');
}

/** Guesses the log from fields only that log has, for plain JSON without `_path`. */
function inferPath(record: JsonRecord): string | undefined {
  if ('certificate.serial' in record) return 'x509';
  if ('fuid' in record) return 'files';
  if ('query' in record && 'trans_id' in record) return 'dns';
  if ('method' in record && 'uri' in record) return 'http';
  if ('server_name' in record || 'cipher' in record) return 'ssl';
  if ('mailfrom' in record || 'rcptto' in record) return 'smtp';
  if ('conn_state' in record || 'history' in record) return 'conn';
  if ('id.orig_h' in record) return 'conn';
  return undefined;
}
