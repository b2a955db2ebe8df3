/**
 * A deterministic stream of realistic STIX 2.1 objects for ingest benchmarks: the mix of a
 * threat-intel feed (indicators with patterns, observables, relationships between them, a few
 * SDOs), TLP markings and a creator identity, with a share of re-sent duplicates and of new
 * versions of earlier objects so that dedup and versioning are exercised.
 */

const TLP_GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const CREATOR = 'identity--f431f809-377b-45e0-aa1c-6a4751cae5ff';
const T0 = Date.parse('2025-01-01T00:00:00.000Z');

/** A UUID v4-shaped id derived from a number (deterministic, unique per number). */
function uuidOf(n: number, salt: number): string {
  const a = (Math.imul(n ^ 0x5bd1e995, 0x27d4eb2d) >>> 0).toString(16).padStart(8, '0');
  const b = (n >>> 0).toString(16).padStart(12, '0');
  return `${a}-${(salt & 0xffff).toString(16).padStart(4, '0')}-4${(n % 4096).toString(16).padStart(3, '0')}-8${(salt % 4096).toString(16).padStart(3, '0')}-${b}`;
}

function timestamp(offsetSeconds: number): string {
  return new Date(T0 + offsetSeconds * 1000).toISOString();
}

function ipOf(n: number): string {
  return `${10 + (n % 200)}.${(n >>> 8) & 255}.${(n >>> 16) & 255}.${n & 255}`;
}

function hexOf(n: number, length: number): string {
  let out = '';
  let x = n >>> 0 || 1;
  while (out.length < length) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    out += (x >>> 0).toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}

const FAMILIES = ['Emotet', 'QakBot', 'Cobalt Strike', 'IcedID', 'AsyncRAT', 'Remcos', 'Lumma Stealer', 'PlugX'];

/** The n-th fresh object of the feed (version 1). */
export function freshObject(n: number): Record<string, unknown> {
  const created = timestamp(n);
  const common = { spec_version: '2.1', created, modified: created, created_by_ref: CREATOR, object_marking_refs: [TLP_GREEN] };
  const family = FAMILIES[n % FAMILIES.length] as string;
  switch (n % 20) {
    case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7: case 8: case 9: {
      const ip = ipOf(n);
      return {
        type: 'indicator', id: `indicator--${uuidOf(n, 1)}`, ...common,
        name: `${family} C2 ${ip}`,
        description: `Command and control server of ${family} seen in campaign wave ${n % 97}. The host answered beacons `
          + `on ports 443 and 8443 with a self-signed certificate; traffic matched the ${family} profile of the sharing `
          + `partner. Block at the perimeter and hunt for connections in proxy and firewall logs of the last 30 days.`,
        indicator_types: ['malicious-activity'], pattern: `[ipv4-addr:value = '${ip}' OR network-traffic:dst_ref.value = '${ip}']`,
        pattern_type: 'stix', valid_from: created, labels: ['c2', family.toLowerCase()], confidence: 60 + (n % 40),
        kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'command-and-control' }],
        external_references: [
          { source_name: 'feed', url: `https://feed.example/ioc/${n}`, external_id: `FEED-${n}` },
          { source_name: 'mitre-attack', external_id: 'T1071.001', url: 'https://attack.mitre.org/techniques/T1071/001/' },
        ],
      };
    }
    case 10: case 11:
      return { type: 'ipv4-addr', spec_version: '2.1', id: `ipv4-addr--${uuidOf(n, 2)}`, value: ipOf(n) };
    case 12:
      return { type: 'domain-name', spec_version: '2.1', id: `domain-name--${uuidOf(n, 3)}`, value: `host${n}.${family.toLowerCase().replace(/\s/g, '')}.example` };
    case 13:
      return { type: 'url', spec_version: '2.1', id: `url--${uuidOf(n, 4)}`, value: `https://cdn${n % 50}.example.net/${hexOf(n, 12)}/payload.bin` };
    case 14:
      return { type: 'file', spec_version: '2.1', id: `file--${uuidOf(n, 5)}`, name: `invoice_${n}.exe`, size: 20_000 + (n % 90_000),
        hashes: { MD5: hexOf(n, 32), 'SHA-1': hexOf(n * 5 + 1, 40), 'SHA-256': hexOf(n * 7 + 3, 64), 'SHA-512': hexOf(n * 11 + 7, 128) } };
    case 15: case 16: case 17:
      return {
        type: 'relationship', id: `relationship--${uuidOf(n, 6)}`, ...common, relationship_type: 'indicates',
        description: `Infrastructure attributed to ${family} by the originating CERT after sandbox detonation and passive DNS correlation.`,
        source_ref: `indicator--${uuidOf(n - (n % 20), 1)}`, target_ref: `malware--${uuidOf(n % FAMILIES.length, 7)}`,
      };
    case 18:
      return { type: 'malware', id: `malware--${uuidOf(n % 5000, 7)}`, ...common, name: family, is_family: true,
        malware_types: ['trojan'], description: `${family} family profile: loader and backdoor delivered by malicious attachments; modular plug-ins for credential theft, lateral movement and ransomware staging.`, aliases: [`${family}-${n % 5000}`] };
    default:
      return { type: 'sighting', id: `sighting--${uuidOf(n, 8)}`, ...common, sighting_of_ref: `indicator--${uuidOf(n - (n % 20), 1)}`,
        count: 1 + (n % 9), first_seen: created, last_seen: created, where_sighted_refs: [CREATOR],
        description: `Connections from ${1 + (n % 9)} internal hosts to the indicated address were blocked by the perimeter firewall.` };
  }
}

/**
 * The n-th object of the stream: 1% re-send an earlier object unchanged (dedup), 1% are
 * a later version of an earlier object, the rest are fresh. Ids never repeat inside one batch
 * of `batchSize` as long as the stream positions referenced lie in earlier batches.
 */
export function streamObject(n: number, batchSize: number): Record<string, unknown> {
  const batchStart = n - (n % batchSize);
  const roll = n % 100;
  if (batchStart > 0 && roll === 37) {
    const earlier = freshObject((n * 7919) % batchStart);
    return earlier;
  }
  if (batchStart > 0 && roll === 73) {
    const earlier = freshObject((n * 104729) % batchStart);
    if (typeof earlier['modified'] === 'string') return { ...earlier, modified: timestamp(1_000_000 + n), revoked: n % 2 === 0 };
  }
  return freshObject(n);
}
