/**
 * Windows event logs as flattened JSON lines (the OTRF/Mordor export form: `Channel`, `EventID`,
 * the EventData fields at the top level): Sysmon process, network, image-load, file, registry
 * and DNS events, and the Security events that name processes or addresses.
 */
import { ObservationBuilder, stixHashes } from './observation-builder.js';
import { parseEventTime } from './event-time.js';
import { isIp, isOutcome, parseJsonLine, type JsonRecord } from './json-line.js';
import type { LineDecoder, LineOutcome } from './types.js';

const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
/** IANA protocol numbers the Windows Filtering Platform writes (events 5156-5158). */
const IP_PROTOCOLS: Readonly<Record<string, string>> = { '1': 'icmp', '6': 'tcp', '17': 'udp', '58': 'ipv6-icmp' };

export function windowsDecoder(): LineDecoder {
  return {
    format: 'windows',
    decode: (text, line) => {
      const record = parseJsonLine(text, line);
      return isOutcome(record) ? record : normaliseWindows(record, line);
    },
    finish: () => undefined,
  };
}

export function normaliseWindows(record: JsonRecord, line: number): LineOutcome {
  // Windows writes `-` for an empty field.
  const v = (name: string): string | undefined => {
    const value = record[name];
    if (typeof value === 'number') return String(value);
    return typeof value === 'string' && value !== '-' && value !== '' ? value : undefined;
  };
  const channel = v('Channel') ?? '';
  const id = Number(record['EventID']);
  if (!Number.isInteger(id)) return { kind: 'bad', line, reason: 'windows: no EventID' };
  // Sysmon's UtcTime is UTC; TimeCreated is the exporting host's local time, so it comes second.
  const time = parseEventTime(v('UtcTime')) ?? parseEventTime(v('@timestamp')) ?? parseEventTime(v('TimeCreated'));
  if (time === undefined) return { kind: 'bad', line, reason: 'windows: UtcTime, @timestamp and TimeCreated missing or unreadable' };
  const b = new ObservationBuilder();
  const sysmon = channel === SYSMON;
  if (sysmon && (id === 1 || id === 7)) {
    const image = id === 1 ? v('Image') : v('ImageLoaded');
    const fileRef = imageFile(b, image, hashesOf(v('Hashes')));
    if (id === 1) b.add('process', ObservationBuilder.compact({ pid: toInt(v('ProcessId')), command_line: v('CommandLine'), image_ref: fileRef }));
  } else if (sysmon && (id === 5 || id === 10)) {
    // Process ended / process accessed (10 is how LSASS reads show up): the executables involved.
    for (const path of id === 5 ? [v('Image')] : [v('SourceImage'), v('TargetImage')]) imageFile(b, path, undefined);
  } else if (sysmon && id === 3) {
    b.network({ src: v('SourceIp'), dst: v('DestinationIp'), srcPort: v('SourcePort'), dstPort: v('DestinationPort'), layers: [v('Protocol')] });
    for (const name of [v('DestinationHostname'), v('SourceHostname')]) if (name !== undefined && name.includes('.') && !isIp(name)) b.domain(name);
  } else if (sysmon && id === 22) {
    const resolved: string[] = [];
    for (const item of (v('QueryResults') ?? '').split(';')) {
      const answer = item.trim().replace(/^::ffff:/, '');
      if (answer === '') continue;
      if (isIp(answer)) {
        const ref = b.ip(answer);
        if (ref !== undefined) resolved.push(ref);
      } else {
        const cname = /^type:\s*\d+\s+(\S+)$/.exec(answer);
        if (cname?.[1] !== undefined) b.domain(cname[1]);
      }
    }
    b.domain(v('QueryName'), resolved);
  } else if (sysmon && (id === 11 || id === 23 || id === 26 || id === 15)) {
    imageFile(b, v('TargetFilename'), hashesOf(v('Hashes')));
  } else if (sysmon && (id === 12 || id === 13 || id === 14)) {
    const target = v('TargetObject');
    if (target !== undefined) {
      const cut = target.lastIndexOf('\\');
      const details = v('Details');
      if (id === 13 && cut > 0) b.add('windows-registry-key', { key: target.slice(0, cut), values: [ObservationBuilder.compact({ name: target.slice(cut + 1), data: details })] });
      else b.add('windows-registry-key', { key: target });
    }
  } else if (channel === 'Security' && id === 4688) {
    const fileRef = imageFile(b, v('NewProcessName'), undefined);
    b.add('process', ObservationBuilder.compact({ pid: toInt(v('NewProcessId')), command_line: v('CommandLine'), image_ref: fileRef }));
  } else if (channel === 'Security' && (id === 5156 || id === 5157)) {
    const protocol = IP_PROTOCOLS[v('Protocol') ?? ''];
    b.network({ src: v('SourceAddress'), dst: v('DestAddress'), srcPort: v('SourcePort'), dstPort: v('DestPort'), layers: [protocol] });
  } else if (channel === 'Security' && (id === 5140 || id === 5145 || id === 4624 || id === 4625)) {
    const address = v('IpAddress');
    if (address !== undefined && address !== '::1' && address !== '127.0.0.1') b.ip(address.replace(/^::ffff:/, ''));
  }
  if (b.isEmpty) return { kind: 'skipped', reason: `windows ${channel} ${id}: nothing observable` };
  return { kind: 'events', events: [{ line, format: 'windows', eventType: `${sysmon ? 'sysmon' : channel.toLowerCase()}-${id}`, observation: b.build(`observed-data--line-${line}`, time) }] };
}

/** A file from a Windows path: its name, the directory it is in, and its hashes. */
function imageFile(b: ObservationBuilder, path: string | undefined, hashes: Record<string, string> | undefined): string | undefined {
  if (path === undefined || (!path.includes('\\') && hashes === undefined)) return undefined;
  const cut = path.lastIndexOf('\\');
  const dirRef = cut > 0 ? b.add('directory', { path: path.slice(0, cut) }, path.slice(0, cut).toLowerCase()) : undefined;
  return b.add('file', ObservationBuilder.compact({ name: path.slice(cut + 1), parent_directory_ref: dirRef, hashes }));
}

/** Sysmon's `SHA1=…,MD5=…,SHA256=…,IMPHASH=…`; IMPHASH has no STIX hash name and is left out. */
function hashesOf(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined) return undefined;
  const pairs: Record<string, string> = {};
  for (const part of text.split(',')) {
    const at = part.indexOf('=');
    if (at > 0) pairs[part.slice(0, at)] = part.slice(at + 1);
  }
  return stixHashes(pairs);
}

function toInt(text: string | undefined): number | undefined {
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}
