/**
 * Suricata EVE JSON (one record per line). Every event type carries the 5-tuple; the protocol
 * objects (`http`, `dns`, `tls`, `fileinfo`, `smtp`, `email`) add what an indicator may name.
 */
import { ObservationBuilder, port } from './observation-builder.js';
import type { CompactIocIndex } from '../pattern/compact-iocs.js';
import { isEventTime, parseEventTime } from './event-time.js';
import { isIp, isOutcome, jsonRecordOf, objectAt, parseJsonLine, stringsOf, type JsonRecord } from './json-line.js';
import type { LineDecoder, LineOutcome } from './types.js';

/** Event types that describe the sensor, not traffic. */
const NOT_TRAFFIC = new Set(['stats', 'engine']);

/** Decodes EVE JSON lines. */
export function suricataDecoder(): LineDecoder {
  return {
    format: 'suricata',
    decode: (text, line) => {
      const record = parseJsonLine(text, line);
      return isOutcome(record) ? record : normaliseSuricata(record, line);
    },
    finish: () => undefined,
    misses: suricataMisses,
  };
}

/**
 * True when the line is one EVE event (what `normaliseSuricata` would turn into an observation)
 * on which the compact index finds nothing: the values the normaliser would put in the
 * observation's address, domain, URL and file SCOs are looked up as they are, and no observation
 * is built. False when it cannot say so (a bad or skipped line, e-mail, a digest with colons, a
 * hit): the line then takes the full path.
 */
export function suricataMisses(text: string, index: CompactIocIndex): boolean {
  const record = jsonRecordOf(text);
  if (record === undefined) return false;
  const eventType = record['event_type'];
  if (typeof eventType !== 'string' || NOT_TRAFFIC.has(eventType) || !isEventTime(record['timestamp'])) return false;
  if (objectAt(record, 'email') !== undefined || objectAt(record, 'smtp') !== undefined) return false;
  if (hitsAddress(index, record['src_ip']) || hitsAddress(index, record['dest_ip'])) return false;
  const http = objectAt(record, 'http');
  if (http !== undefined) {
    const hostname = http['hostname'];
    const url = http['url'];
    if (typeof hostname === 'string' && !isIp(hostname) && hitsDomain(index, hostname)) return false;
    if (typeof hostname === 'string' && typeof url === 'string') {
      const scheme = port(record['dest_port']) === 443 || port(record['src_port']) === 443 ? 'https' : 'http';
      if (index.hasText('url', url.startsWith('http://') || url.startsWith('https://') ? url : `${scheme}://${hostname}${url}`)) return false;
    }
    const redirect = http['redirect'];
    if (typeof redirect === 'string' && redirect !== '' && index.hasText('url', redirect)) return false;
  }
  const dns = objectAt(record, 'dns');
  if (dns !== undefined && dnsHits(index, dns)) return false;
  const tls = objectAt(record, 'tls');
  if (tls !== undefined && typeof tls['sni'] === 'string' && !isIp(tls['sni']) && hitsDomain(index, tls['sni'])) return false;
  const fileinfo = objectAt(record, 'fileinfo');
  if (fileinfo !== undefined) {
    for (const [name, stixName] of FILE_HASHES) {
      const digest = fileinfo[name];
      if (typeof digest !== 'string' || !HEX_OR_COLONS.test(digest)) continue;
      if (digest.includes(':') || index.hasHash(stixName, digest)) return false;
    }
  }
  return true;
}

const FILE_HASHES: ReadonlyArray<readonly [string, string]> = [['md5', 'MD5'], ['sha1', 'SHA-1'], ['sha256', 'SHA-256']];
/** What `stixHashes` takes as a digest. */
const HEX_OR_COLONS = /^[0-9a-fA-F:]+$/;

/** An address the normaliser would add (any non-empty text) that the index names. */
function hitsAddress(index: CompactIocIndex, value: unknown): boolean {
  return typeof value === 'string' && value !== '' && index.hasAddress(value);
}

function hitsDomain(index: CompactIocIndex, value: unknown): boolean {
  return typeof value === 'string' && value !== '' && index.hasDomain(value);
}

/** The lookups `addDns` implies. */
function dnsHits(index: CompactIocIndex, dns: JsonRecord): boolean {
  const answers = Array.isArray(dns['answers']) ? (dns['answers'] as unknown[]) : [dns];
  for (const a of answers) {
    if (typeof a !== 'object' || a === null) continue;
    const rdata = (a as JsonRecord)['rdata'];
    const rrtype = (a as JsonRecord)['rrtype'];
    if (typeof rdata !== 'string') continue;
    if (rrtype === 'A' || rrtype === 'AAAA') {
      if (hitsAddress(index, rdata)) return true;
    } else if (rrtype === 'CNAME' || rrtype === 'NS' || rrtype === 'MX' || rrtype === 'PTR') {
      if (hitsDomain(index, rdata)) return true;
    }
  }
  if (hitsDomain(index, dns['rrname'])) return true;
  const queries = Array.isArray(dns['queries']) ? (dns['queries'] as unknown[]) : [];
  for (const q of queries) if (typeof q === 'object' && q !== null && hitsDomain(index, (q as JsonRecord)['rrname'])) return true;
  return false;
}

/** One EVE record to an observation. */
export function normaliseSuricata(record: JsonRecord, line: number): LineOutcome {
  const eventType = record['event_type'];
  if (typeof eventType !== 'string') return { kind: 'bad', line, reason: 'suricata: no event_type' };
  if (NOT_TRAFFIC.has(eventType)) return { kind: 'skipped', reason: `suricata ${eventType}` };
  const time = parseEventTime(record['timestamp']);
  if (time === undefined) return { kind: 'bad', line, reason: 'suricata: timestamp missing or not ISO 8601' };

  const b = new ObservationBuilder();
  const http = objectAt(record, 'http');
  const tls = objectAt(record, 'tls');
  const dns = objectAt(record, 'dns');
  const flow = objectAt(record, 'flow');
  const hostname = http?.['hostname'];
  b.network({
    src: record['src_ip'],
    dst: record['dest_ip'],
    srcPort: record['src_port'],
    dstPort: record['dest_port'],
    layers: [record['proto'], appLayer(record['app_proto']) ?? (http === undefined ? undefined : 'http')],
    extensions: http === undefined ? {} : {
      'http-request-ext': {
        request_method: http['http_method'],
        request_value: http['url'],
        request_version: typeof http['protocol'] === 'string' ? http['protocol'].toLowerCase() : undefined,
        request_header: ObservationBuilder.compact({ Host: hostname, 'User-Agent': http['http_user_agent'], Referer: http['http_refer'] }),
      },
    },
  });
  if (http !== undefined) {
    if (typeof hostname === 'string' && !isIp(hostname)) b.domain(hostname);
    if (typeof hostname === 'string' && typeof http['url'] === 'string') {
      const scheme = port(record['dest_port']) === 443 || port(record['src_port']) === 443 ? 'https' : 'http';
      b.url(http['url'].startsWith('http://') || http['url'].startsWith('https://') ? http['url'] : `${scheme}://${hostname}${http['url']}`);
    }
    if (typeof http['redirect'] === 'string') b.url(http['redirect']);
  }
  if (dns !== undefined) addDns(b, dns);
  if (tls !== undefined) addTls(b, tls);
  const fileinfo = objectAt(record, 'fileinfo');
  if (fileinfo !== undefined) {
    b.file({ name: fileinfo['filename'], size: fileinfo['size'], hashes: { md5: fileinfo['md5'], sha1: fileinfo['sha1'], sha256: fileinfo['sha256'] } });
  }
  const email = objectAt(record, 'email') ?? objectAt(record, 'smtp');
  if (email !== undefined) {
    for (const key of ['from', 'mail_from', 'to', 'rcpt_to', 'cc']) for (const a of stringsOf(email[key])) b.email(a.replace(/^.*<|>.*$/g, ''));
  }
  const first = parseEventTime(flow?.['start']) ?? time;
  const last = parseEventTime(flow?.['end']) ?? time;
  return { kind: 'events', events: [{ line, format: 'suricata', eventType, observation: b.build(`observed-data--line-${line}`, Math.min(first, time), Math.max(last, time)) }] };
}

/** `app_proto` names the protocol Suricata recognised; `failed` and `unknown` say it recognised none. */
function appLayer(value: unknown): string | undefined {
  return typeof value === 'string' && value !== 'failed' && value !== 'unknown' ? value : undefined;
}

/** EVE DNS v1 (one answer per record) and v2 (`answers` list, `grouped`). */
function addDns(b: ObservationBuilder, dns: JsonRecord): void {
  const resolved: string[] = [];
  const answers = Array.isArray(dns['answers']) ? (dns['answers'] as unknown[]) : [dns];
  for (const a of answers) {
    if (typeof a !== 'object' || a === null) continue;
    const rdata = (a as JsonRecord)['rdata'];
    const rrtype = (a as JsonRecord)['rrtype'];
    if (typeof rdata !== 'string') continue;
    if (rrtype === 'A' || rrtype === 'AAAA') {
      const ref = b.ip(rdata);
      if (ref !== undefined) resolved.push(ref);
    } else if (rrtype === 'CNAME' || rrtype === 'NS' || rrtype === 'MX' || rrtype === 'PTR') {
      b.domain(rdata);
    }
  }
  b.domain(dns['rrname'], resolved);
  const queries = Array.isArray(dns['queries']) ? (dns['queries'] as unknown[]) : [];
  for (const q of queries) if (typeof q === 'object' && q !== null) b.domain((q as JsonRecord)['rrname']);
}

function addTls(b: ObservationBuilder, tls: JsonRecord): void {
  if (typeof tls['sni'] === 'string' && !isIp(tls['sni'])) b.domain(tls['sni']);
  const cert = ObservationBuilder.compact({
    subject: tls['subject'],
    issuer: tls['issuerdn'],
    serial_number: tls['serial'],
    validity_not_before: isoOrUndefined(tls['notbefore']),
    validity_not_after: isoOrUndefined(tls['notafter']),
  });
  const fingerprint = typeof tls['fingerprint'] === 'string' ? tls['fingerprint'].replace(/:/g, '').toLowerCase() : undefined;
  // Suricata's fingerprint is the SHA-1 of the DER certificate.
  if (fingerprint !== undefined && /^[0-9a-f]{40}$/.test(fingerprint)) cert['hashes'] = { 'SHA-1': fingerprint };
  if (Object.keys(cert).length > 0) b.add('x509-certificate', cert);
}

/** Suricata writes certificate dates without a zone; they are UTC (RFC 5280 section 4.1.2.5). */
function isoOrUndefined(value: unknown): string | undefined {
  const ms = parseEventTime(value);
  return ms === undefined ? undefined : new Date(ms).toISOString();
}
