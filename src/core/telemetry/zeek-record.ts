/**
 * One Zeek log record (conn, dns, http, ssl, files, x509, smtp, notice, weird, …) with Zeek's
 * field names (`id.orig_h`, `certificate.serial`), whether it came from JSON or TSV.
 */
import { ObservationBuilder } from './observation-builder.js';
import { parseEventTime } from './event-time.js';
import { isIp, stringsOf, type JsonRecord } from './json-line.js';
import type { LineOutcome, TelemetryFormat } from './types.js';

/** Logs about the sensor itself: nothing an indicator could name. */
export const NOT_TRAFFIC: ReadonlySet<string> = new Set(['capture_loss', 'stats', 'loaded_scripts', 'packet_filter', 'reporter', 'broker', 'cluster', 'print']);

/** Turns a record of the named log into an observation, or says why it cannot. */
export function normaliseZeek(path: string, record: JsonRecord, line: number, format: TelemetryFormat): LineOutcome {
  if (NOT_TRAFFIC.has(path)) return { kind: 'skipped', reason: `zeek ${path}` };
  const time = parseEventTime(record['ts']);
  if (time === undefined) return { kind: 'bad', line, reason: `zeek ${path}: ts missing or not a time` };
  const b = new ObservationBuilder();
  const http = path === 'http';
  if (record['id.orig_h'] !== undefined || record['id.resp_h'] !== undefined) {
    b.network({
      src: record['id.orig_h'],
      dst: record['id.resp_h'],
      srcPort: record['id.orig_p'],
      dstPort: record['id.resp_p'],
      layers: [record['proto'] ?? (http || path === 'ssl' || path === 'smtp' ? 'tcp' : undefined), record['service'] ?? (path === 'conn' ? undefined : path)],
      extensions: http ? {
        'http-request-ext': {
          request_method: record['method'],
          request_value: record['uri'],
          request_version: typeof record['version'] === 'string' ? `http/${record['version']}` : undefined,
          request_header: ObservationBuilder.compact({ Host: record['host'], 'User-Agent': record['user_agent'], Referer: record['referrer'] }),
        },
      } : {},
    });
  }
  switch (path) {
    case 'dns': {
      const resolved: string[] = [];
      for (const answer of stringsOf(record['answers'])) {
        if (isIp(answer)) {
          const ref = b.ip(answer);
          if (ref !== undefined) resolved.push(ref);
        } else {
          b.domain(answer);
        }
      }
      b.domain(record['query'], resolved);
      break;
    }
    case 'http': {
      const host = record['host'];
      if (typeof host === 'string' && !isIp(host.replace(/:\d+$/, ''))) b.domain(host.replace(/:\d+$/, ''));
      if (typeof host === 'string' && typeof record['uri'] === 'string') b.url(`http://${host}${record['uri']}`);
      b.file({ name: record['filename'], mimeType: record['mime_type'], hashes: { md5: record['md5'] } });
      break;
    }
    case 'ssl':
      if (typeof record['server_name'] === 'string' && !isIp(record['server_name'])) b.domain(record['server_name']);
      if (record['subject'] !== undefined || record['issuer'] !== undefined) {
        b.add('x509-certificate', ObservationBuilder.compact({ subject: record['subject'], issuer: record['issuer'] }));
      }
      break;
    case 'files':
      for (const host of [...stringsOf(record['tx_hosts']), ...stringsOf(record['rx_hosts'])]) b.ip(host);
      b.file({
        name: record['filename'],
        size: record['total_bytes'] ?? undefined,
        mimeType: record['mime_type'],
        hashes: { md5: record['md5'], sha1: record['sha1'], sha256: record['sha256'] },
      });
      break;
    case 'x509':
      b.add('x509-certificate', ObservationBuilder.compact({
        version: typeof record['certificate.version'] === 'number' ? String(record['certificate.version']) : undefined,
        serial_number: record['certificate.serial'],
        subject: record['certificate.subject'],
        issuer: record['certificate.issuer'],
        validity_not_before: isoTime(record['certificate.not_valid_before']),
        validity_not_after: isoTime(record['certificate.not_valid_after']),
        signature_algorithm: record['certificate.sig_alg'],
        subject_public_key_algorithm: record['certificate.key_alg'],
      }));
      for (const name of stringsOf(record['san.dns'])) if (!name.startsWith('*')) b.domain(name);
      for (const ip of stringsOf(record['san.ip'])) b.ip(ip);
      for (const email of stringsOf(record['san.email'])) b.email(email);
      break;
    case 'smtp':
      for (const key of ['mailfrom', 'rcptto', 'from', 'to', 'reply_to']) for (const a of stringsOf(record[key])) b.email(a.replace(/^.*<|>.*$/g, ''));
      break;
    default:
      break;
  }
  // Metron's samples add an `email` field to http records; any log may carry one.
  if (typeof record['email'] === 'string') b.email(record['email']);
  if (b.isEmpty) return { kind: 'skipped', reason: `zeek ${path}: nothing observable` };
  const duration = typeof record['duration'] === 'number' ? record['duration'] * 1000 : 0;
  return { kind: 'events', events: [{ line, format, eventType: path, observation: b.build(`observed-data--line-${line}`, time, time + duration) }] };
}

function isoTime(value: unknown): string | undefined {
  const ms = parseEventTime(value);
  return ms === undefined ? undefined : new Date(ms).toISOString();
}
