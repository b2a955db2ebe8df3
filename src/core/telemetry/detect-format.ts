/** Top-level ECS field sets that identify a document even without `@timestamp` (Beats golden files drop it). */
const ECS_FIELD_SETS = new Set(['ecs', 'event', 'source', 'destination', 'client', 'server', 'network', 'dns', 'url', 'tls', 'user_agent']);

/** Guesses the sensor format of a file from one of its lines. */
import type { TelemetryFormat } from './types.js';

/**
 * The format a line looks like, or undefined when it tells nothing (blank) or nothing known.
 * Decisive fields: Suricata `event_type`; Zeek `_path`, `id.orig_h` or the Kafka wrapper; ECS
 * `@timestamp` with ECS field sets; STIX `type` of bundle or observed-data, or a JSON value that
 * does not close on its first line (pretty-printed bundles).
 */
export function detectFormat(text: string): TelemetryFormat | 'unknown' | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (trimmed.startsWith('#separator') || trimmed.startsWith('#fields') || trimmed.startsWith('#path')) return 'zeek-tsv';
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return 'unknown';
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return trimmed === '{' || trimmed === '[' || /^[[{]\s*"/.test(trimmed) && !trimmed.endsWith('}') ? 'stix' : 'unknown';
  }
  if (Array.isArray(value)) return 'stix';
  if (typeof value !== 'object' || value === null) return 'unknown';
  const record = value as Record<string, unknown>;
  if (record['type'] === 'bundle' || record['type'] === 'observed-data') return 'stix';
  if (typeof record['event_type'] === 'string' && 'timestamp' in record) return 'suricata';
  // Flattened Windows events (OTRF form) carry EventID and Channel at the top; Winlogbeat nests them under winlog.
  if ('EventID' in record && 'Channel' in record) return 'windows';
  if ('_path' in record || 'id.orig_h' in record || 'uid' in record) return 'zeek-json';
  const keys = Object.keys(record);
  if (keys.length === 1) {
    const inner = record[keys[0] as string];
    if (typeof inner === 'object' && inner !== null && 'ts' in inner) return 'zeek-json';
  }
  if ('@timestamp' in record || keys.some((k) => ECS_FIELD_SETS.has(k.split('.')[0] as string))) return 'ecs';
  return 'unknown';
}
