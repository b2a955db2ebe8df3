/**
 * Zeek JSON logs in their three shapes: plain (`LogAscii::use_json`, no log name), streaming
 * (`_path` names the log), and the Kafka plugin's wrapper `{"dns": {...}}`.
 */
import { isOutcome, objectAt, parseJsonLine, type JsonRecord } from './json-line.js';
import { normaliseZeek } from './zeek-record.js';
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
  };
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
