/**
 * Suricata rules for indicators, in two forms (docs/sensors.md):
 * - `suricataRules`: one rule per indicator and protocol, each naming its indicator;
 * - `suricataDatasets`: addresses and domains in Suricata datasets (one hash lookup whatever
 *   their number, Suricata 7 or later), a handful of rules reading them.
 * In both, file hashes go to the lists of the `filemd5`/`filesha1`/`filesha256` keywords:
 * a dataset can only be matched against a sticky buffer and no buffer holds a file's hash, while
 * those keywords check the hash Suricata computes for every file it extracts.
 */
import { urlHost } from '../warninglists/index.js';
import { DEFAULT_SID_RANGE, allocateSids, contentString, messageString, type SidRange } from './suricata-text.js';
import type { ExportType, SensorExport, SensorFile, SensorIndicator } from './types.js';

export interface SuricataOptions {
  readonly sids?: SidRange;
}

/** A rule before its sid is known. */
interface Draft {
  readonly key: string;
  readonly header: string;
  readonly msg: string;
  /** Options between msg and metadata, each ending with `;`. */
  readonly body: ReadonlyArray<string>;
  readonly metadata: string;
}

const HASH_TYPES = ['md5', 'sha1', 'sha256'] as const;
const HASH_KEYWORD: Readonly<Record<(typeof HASH_TYPES)[number], string>> = { md5: 'filemd5', sha1: 'filesha1', sha256: 'filesha256' };
/** Application protocols Suricata extracts files from that rules can name in every supported version. */
const FILE_PROTOCOLS = ['http', 'smtp', 'ftp-data', 'smb'] as const;
const DOMAIN_BUFFERS = [
  { proto: 'dns', buffer: 'dns.query', label: 'DNS query', nocase: true },
  { proto: 'tls', buffer: 'tls.sni', label: 'TLS SNI', nocase: true },
  // http.host is normalised to lower case by Suricata: a nocase there is refused.
  { proto: 'http', buffer: 'http.host', label: 'HTTP Host', nocase: false },
] as const;

const exact = (value: string, nocase: boolean): string => `content:${contentString(value)};${nocase ? ' nocase;' : ''} startswith; endswith;`;
const indicatorMeta = (i: SensorIndicator, type: string): string => `stix_id ${i.id}, entente_type ${type}`;

function addressDraft(i: SensorIndicator, values: ReadonlyArray<string>): Draft {
  // `<>`: traffic to the address and from it (a scanner, a C2 answering) both alert.
  return { key: `${i.id}|ip`, header: `alert ip any any <> [${values.join(',')}] any`, msg: `ENTENTE ${i.name} [${i.id}]`, body: [], metadata: indicatorMeta(i, 'address') };
}

function domainDrafts(i: SensorIndicator, domain: string): Draft[] {
  return DOMAIN_BUFFERS.map((b) => ({
    key: `${i.id}|${b.proto}|${domain}`, header: `alert ${b.proto} any any -> any any`, msg: `ENTENTE ${i.name} (${b.label} ${domain}) [${i.id}]`,
    body: [`${b.buffer};`, exact(domain, b.nocase)], metadata: indicatorMeta(i, 'domain'),
  }));
}

function urlDraft(i: SensorIndicator, url: string): Draft | undefined {
  const host = urlHost(url);
  if (host === undefined) return undefined;
  // The request target as sent: path and query, never the fragment; `/` when the URL has none.
  const rest = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '').replace(/#.*$/, '');
  const target = rest === '' ? '/' : rest.startsWith('/') ? rest : `/${rest}`;
  return {
    key: `${i.id}|url|${url}`, header: 'alert http any any -> any any', msg: `ENTENTE ${i.name} (URL) [${i.id}]`,
    body: ['http.host;', exact(host, false), 'http.uri.raw;', exact(target, false)], metadata: indicatorMeta(i, 'url'),
  };
}

/** Hash lists in the md5sum layout the file keywords read, with the indicator after each hash. */
function hashLists(indicators: ReadonlyArray<SensorIndicator>): { files: SensorFile[]; drafts: Draft[] } {
  const files: SensorFile[] = [];
  const drafts: Draft[] = [];
  for (const type of HASH_TYPES) {
    const lines = new Map<string, string[]>();
    for (const i of indicators) for (const v of i.values) if (v.type === type) lines.set(v.value, [...(lines.get(v.value) ?? []), i.id]);
    if (lines.size === 0) continue;
    const name = `entente-${type}.list`;
    files.push({ name, content: [...lines].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([h, ids]) => `${h}  ${ids.join(',')}\n`).join('') });
    for (const proto of FILE_PROTOCOLS) {
      drafts.push({
        key: `file-list|${type}|${proto}`, header: `alert ${proto} any any -> any any`,
        msg: `ENTENTE file ${type.toUpperCase()} on the indicator list (${proto}, see ${name})`,
        body: [`${HASH_KEYWORD[type]}:${name};`], metadata: `entente_list ${name}`,
      });
    }
  }
  return { files, drafts };
}

function render(drafts: ReadonlyArray<Draft>, range: SidRange, title: string): { text: string; rules: number } {
  const sids = allocateSids(drafts.map((d) => d.key), range);
  const lines = drafts.map((d) => {
    const options = [`msg:${messageString(d.msg)};`, ...d.body, `metadata:${d.metadata};`, `sid:${sids.get(d.key) ?? 0};`, 'rev:1;'];
    return `${d.header} (${options.join(' ')})`;
  });
  return { text: `# ${title}\n# Generated by Entente from STIX indicators; regenerate rather than edit.\n${lines.join('\n')}${lines.length > 0 ? '\n' : ''}`, rules: lines.length };
}

function countUnsupported(indicators: ReadonlyArray<SensorIndicator>, supported: ReadonlySet<ExportType>): Partial<Record<ExportType, number>> {
  const out: Partial<Record<ExportType, number>> = {};
  for (const i of indicators) for (const v of i.values) if (!supported.has(v.type)) out[v.type] = (out[v.type] ?? 0) + 1;
  return out;
}

/** One rule per indicator and protocol; hashes through file lists. */
export function suricataRules(indicators: ReadonlyArray<SensorIndicator>, options: SuricataOptions = {}): SensorExport {
  const drafts: Draft[] = [];
  for (const i of indicators) {
    const addresses = i.values.filter((v) => v.type === 'ipv4' || v.type === 'ipv6' || v.type === 'cidr').map((v) => v.value);
    if (addresses.length > 0) drafts.push(addressDraft(i, addresses));
    for (const v of i.values) {
      if (v.type === 'domain') drafts.push(...domainDrafts(i, v.value));
      if (v.type === 'url') { const d = urlDraft(i, v.value); if (d !== undefined) drafts.push(d); }
    }
  }
  const hashes = hashLists(indicators);
  const { text, rules } = render([...drafts, ...hashes.drafts], options.sids ?? DEFAULT_SID_RANGE, 'Entente indicators: one rule per indicator');
  return {
    files: [{ name: 'entente.rules', content: text }, ...hashes.files], rules,
    unsupported: countUnsupported(indicators, new Set(['ipv4', 'ipv6', 'cidr', 'domain', 'url', 'md5', 'sha1', 'sha256'])),
  };
}

/** Addresses and domains in datasets; blocks and URLs as rules of their own; hashes through file lists. */
export function suricataDatasets(indicators: ReadonlyArray<SensorIndicator>, options: SuricataOptions = {}): SensorExport {
  const addresses = new Map<string, string[]>();
  const domains = new Map<string, string[]>();
  const drafts: Draft[] = [];
  const note = (map: Map<string, string[]>, value: string, id: string): void => void map.set(value, [...(map.get(value) ?? []), id]);
  for (const i of indicators) {
    const blocks = i.values.filter((v) => v.type === 'cidr').map((v) => v.value);
    // A dataset of type ip holds addresses, not networks: blocks keep a rule each.
    if (blocks.length > 0) drafts.push(addressDraft(i, blocks));
    for (const v of i.values) {
      if (v.type === 'ipv4' || v.type === 'ipv6') note(addresses, v.value, i.id);
      if (v.type === 'domain') note(domains, v.value, i.id);
      if (v.type === 'url') { const d = urlDraft(i, v.value); if (d !== undefined) drafts.push(d); }
    }
  }
  const files: SensorFile[] = [];
  const index: string[] = [];
  if (addresses.size > 0) {
    const values = [...addresses.keys()].sort();
    files.push({ name: 'entente-ip.lst', content: values.map((v) => `${v}\n`).join('') });
    for (const v of values) index.push(`entente-ip\t${v}\t${v}\t${(addresses.get(v) ?? []).join(',')}`);
    for (const side of ['src', 'dst'] as const) {
      drafts.push({
        key: `dataset|ip|${side}`, header: 'alert ip any any -> any any',
        msg: `ENTENTE ${side === 'src' ? 'source' : 'destination'} address in the entente-ip dataset`,
        body: [`ip.${side};`, 'dataset:isset,entente-ip,type ip,load entente-ip.lst;'], metadata: 'entente_dataset entente-ip',
      });
    }
  }
  if (domains.size > 0) {
    const values = [...domains.keys()].sort();
    // Datasets of type string hold each value base64-encoded, one per line (user guide, "Datasets: File formats").
    const encoded = values.map((v) => Buffer.from(v, 'utf8').toString('base64'));
    files.push({ name: 'entente-domain.lst', content: encoded.map((v) => `${v}\n`).join('') });
    values.forEach((v, n) => index.push(`entente-domain\t${encoded[n] ?? ''}\t${v}\t${(domains.get(v) ?? []).join(',')}`));
    for (const b of DOMAIN_BUFFERS) {
      drafts.push({
        key: `dataset|domain|${b.proto}`, header: `alert ${b.proto} any any -> any any`, msg: `ENTENTE ${b.label} in the entente-domain dataset`,
        body: [`${b.buffer};`, 'dataset:isset,entente-domain,type string,load entente-domain.lst;'], metadata: 'entente_dataset entente-domain',
      });
    }
  }
  const hashes = hashLists(indicators);
  const { text, rules } = render([...drafts, ...hashes.drafts], options.sids ?? DEFAULT_SID_RANGE, 'Entente indicators: datasets, with rules for blocks, URLs and file hashes');
  if (index.length > 0) files.push({ name: 'entente-datasets.tsv', content: `#dataset\tline\tvalue\tindicators\n${index.join('\n')}\n` });
  return {
    files: [{ name: 'entente.rules', content: text }, ...files, ...hashes.files], rules,
    unsupported: countUnsupported(indicators, new Set(['ipv4', 'ipv6', 'cidr', 'domain', 'url', 'md5', 'sha1', 'sha256'])),
  };
}
