/**
 * Elastic Common Schema documents, one per line, nested (`{"source": {"ip": …}}`) or flattened
 * with dotted keys (`{"source.ip": …}`, as Beats golden files and some exports write them).
 */
import { ObservationBuilder } from './observation-builder.js';
import type { CompactIocIndex } from '../pattern/compact-iocs.js';
import { isEventTime, parseEventTime } from './event-time.js';
import { isIp, isOutcome, jsonRecordOf, parseJsonLine, stringsOf, type JsonRecord } from './json-line.js';
import type { LineDecoder, LineOutcome } from './types.js';

/** Decodes ECS NDJSON. */
export function ecsDecoder(): LineDecoder {
  return {
    format: 'ecs',
    decode: (text, line) => {
      const record = parseJsonLine(text, line);
      return isOutcome(record) ? record : normaliseEcs(record, line);
    },
    finish: () => undefined,
    misses: ecsMisses,
  };
}

const DOMAIN_FIELDS = ['destination.domain', 'server.domain', 'url.domain', 'source.domain', 'tls.client.server_name', 'tls.server.x509.alternative_names'];
const EMAIL_FIELDS = ['email.from.address', 'email.to.address', 'email.cc.address', 'email.sender.address', 'email.reply_to.address', 'user.email'];
const HASHES: ReadonlyArray<readonly [string, string]> = [['md5', 'MD5'], ['sha1', 'SHA-1'], ['sha256', 'SHA-256'], ['sha512', 'SHA-512']];
const HEX_OR_COLONS = /^[0-9a-fA-F:]+$/;
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * True when the line is one ECS event with a destination (so never "nothing observable") on
 * which the compact index finds nothing, looking up the values `normaliseEcs` would put in the
 * observation without building it. False when it cannot say so (no destination, e-mail fields,
 * a digest with colons, a bad line, a hit).
 */
export function ecsMisses(text: string, index: CompactIocIndex): boolean {
  const doc = jsonRecordOf(text);
  if (doc === undefined) return false;
  const f = (name: string): unknown => ecsField(doc, name);
  const stamp = f('@timestamp') ?? f('event.created');
  if (stamp !== undefined && !isEventTime(stamp)) return false;
  const dst = f('destination.ip') ?? f('server.ip');
  if (dst === undefined && f('destination.port') === undefined) return false;
  for (const name of EMAIL_FIELDS) if (stringsOf(f(name)).length > 0) return false;
  if (hitsAddress(index, f('source.ip') ?? f('client.ip')) || hitsAddress(index, dst)) return false;
  for (const name of DOMAIN_FIELDS) {
    for (const d of stringsOf(f(name))) if (!isIp(d) && !d.startsWith('*') && index.hasDomain(d)) return false;
  }
  for (const ip of stringsOf(f('dns.resolved_ip'))) if (index.hasAddress(ip)) return false;
  const question = f('dns.question.name');
  if (typeof question === 'string' && question !== '' && index.hasDomain(question)) return false;
  for (const u of [f('url.full'), f('url.original')]) if (typeof u === 'string' && SCHEME.test(u) && index.hasText('url', u)) return false;
  for (const prefix of ['file', 'process', 'dll']) {
    for (const [name, stixName] of HASHES) {
      const digest = f(`${prefix}.hash.${name}`);
      if (typeof digest !== 'string' || !HEX_OR_COLONS.test(digest)) continue;
      if (digest.includes(':') || index.hasHash(stixName, digest)) return false;
    }
  }
  return true;
}

function hitsAddress(index: CompactIocIndex, value: unknown): boolean {
  return typeof value === 'string' && value !== '' && index.hasAddress(value);
}

/** A field by its ECS name, whether the document is flattened, nested, or a mix of both. */
export function ecsField(doc: JsonRecord, name: string): unknown {
  if (name in doc) return doc[name];
  const dot = name.indexOf('.');
  if (dot < 0) return undefined;
  // Try every split point: `{"dns": {"question.name": …}}` is also written by some shippers.
  for (let at = dot; at >= 0; at = name.indexOf('.', at + 1)) {
    const head = doc[name.slice(0, at)];
    if (typeof head === 'object' && head !== null && !Array.isArray(head)) {
      const found = ecsField(head as JsonRecord, name.slice(at + 1));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

export function normaliseEcs(doc: JsonRecord, line: number): LineOutcome {
  const f = (name: string): unknown => ecsField(doc, name);
  const stamp = f('@timestamp') ?? f('event.created');
  const parsed = parseEventTime(stamp);
  if (stamp !== undefined && parsed === undefined) return { kind: 'bad', line, reason: 'ecs: @timestamp is not ISO 8601' };
  // Without any time the event still matches single-observation patterns; it is placed at the
  // epoch, so START/STOP and WITHIN qualifiers will not hold for it (docs/detection.md says so).
  const time = parsed ?? 0;
  const b = new ObservationBuilder();
  const src = f('source.ip') ?? f('client.ip');
  const dst = f('destination.ip') ?? f('server.ip');
  const method = f('http.request.method');
  const userAgent = f('user_agent.original');
  const host = f('url.domain') ?? f('destination.domain') ?? f('server.domain');
  if (dst !== undefined || f('destination.port') !== undefined) {
    b.network({
      src,
      dst,
      srcPort: f('source.port') ?? f('client.port'),
      dstPort: f('destination.port') ?? f('server.port'),
      layers: [f('network.transport'), f('network.protocol')],
      extensions: method === undefined && userAgent === undefined ? {} : {
        'http-request-ext': {
          request_method: typeof method === 'string' ? method.toUpperCase() : undefined,
          request_value: f('url.path') ?? f('url.original'),
          request_version: typeof f('http.version') === 'string' ? `http/${String(f('http.version'))}` : undefined,
          request_header: ObservationBuilder.compact({ Host: host, 'User-Agent': userAgent }),
        },
      },
    });
  } else {
    b.ip(src);
  }
  for (const name of ['destination.domain', 'server.domain', 'url.domain', 'source.domain', 'tls.client.server_name', 'tls.server.x509.alternative_names']) {
    for (const d of stringsOf(f(name))) if (!isIp(d) && !d.startsWith('*')) b.domain(d);
  }
  const resolved = stringsOf(f('dns.resolved_ip')).map((ip) => b.ip(ip)).filter((r): r is string => r !== undefined);
  b.domain(f('dns.question.name'), resolved);
  for (const u of [f('url.full'), f('url.original')]) if (typeof u === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(u)) b.url(u);
  for (const prefix of ['file', 'process', 'dll']) {
    b.file({
      name: prefix === 'file' ? f('file.name') : undefined,
      size: prefix === 'file' ? f('file.size') : undefined,
      mimeType: prefix === 'file' ? f('file.mime_type') : undefined,
      hashes: { md5: f(`${prefix}.hash.md5`), sha1: f(`${prefix}.hash.sha1`), sha256: f(`${prefix}.hash.sha256`), sha512: f(`${prefix}.hash.sha512`) },
    });
  }
  const subject = f('tls.server.x509.subject.distinguished_name') ?? f('tls.server.subject');
  const issuer = f('tls.server.x509.issuer.distinguished_name') ?? f('tls.server.issuer');
  const sha1 = f('tls.server.hash.sha1');
  if (subject !== undefined || issuer !== undefined || sha1 !== undefined) {
    b.add('x509-certificate', ObservationBuilder.compact({
      subject, issuer,
      serial_number: f('tls.server.x509.serial_number'),
      hashes: typeof sha1 === 'string' ? { 'SHA-1': sha1.toLowerCase() } : undefined,
    }));
  }
  for (const name of ['email.from.address', 'email.to.address', 'email.cc.address', 'email.sender.address', 'email.reply_to.address', 'user.email']) {
    for (const a of stringsOf(f(name))) b.email(a);
  }
  if (b.isEmpty) return { kind: 'skipped', reason: 'ecs: nothing observable' };
  const eventType = stringsOf(f('event.dataset'))[0] ?? stringsOf(f('event.category'))[0] ?? 'event';
  const start = parseEventTime(f('event.start')) ?? time;
  const end = parseEventTime(f('event.end')) ?? time;
  return { kind: 'events', events: [{ line, format: 'ecs', eventType, observation: b.build(`observed-data--line-${line}`, Math.min(start, time), Math.max(end, time)) }] };
}
