/**
 * A Zeek Intelligence Framework file (Zeek manual, "Intelligence Framework: Loading
 * Intelligence"; `Intel::Type` in base/frameworks/intel/main.zeek and files.zeek): tab-separated,
 * one item per line under a `#fields` header, `-` for an empty field.
 */
import type { ExportType, SensorExport, SensorIndicator } from './types.js';

export interface ZeekOptions {
  /** `meta.source`: Zeek keys an item's metadata by it, so one source per feed. */
  readonly source?: string;
  /** `meta.url` prefix; the indicator id is appended. Absent, `-`. */
  readonly urlPrefix?: string;
}

const INTEL_TYPE: Readonly<Record<ExportType, string>> = {
  ipv4: 'Intel::ADDR', ipv6: 'Intel::ADDR', cidr: 'Intel::SUBNET', domain: 'Intel::DOMAIN', url: 'Intel::URL', email: 'Intel::EMAIL',
  md5: 'Intel::FILE_HASH', sha1: 'Intel::FILE_HASH', sha256: 'Intel::FILE_HASH',
};

/** A field without the separators of the format; empty becomes `-`, Zeek's unset value. */
function field(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\t\r\n\u0000-\u001f]+/g, ' ').trim();
  return clean === '' ? '-' : clean;
}

/**
 * The indicator as Zeek compares it: Intel::URL holds a URL without its scheme (Zeek's HTTP
 * script builds the seen URL as host and URI), everything else as exported.
 */
export function zeekIndicator(type: ExportType, value: string): string {
  return type === 'url' ? value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '') : value;
}

/** The Intel file for the indicators: one line per (value, indicator). */
export function zeekIntel(indicators: ReadonlyArray<SensorIndicator>, options: ZeekOptions = {}): SensorExport {
  const source = field(options.source ?? 'entente');
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const i of indicators) {
    for (const v of i.values) {
      const indicator = zeekIndicator(v.type, v.value);
      // Zeek keeps one metadata record per (indicator, type, source): a second line would replace the first.
      const key = `${indicator.toLowerCase()}\t${INTEL_TYPE[v.type]}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const url = options.urlPrefix === undefined ? '-' : field(`${options.urlPrefix}${i.id}`);
      lines.push([field(indicator), INTEL_TYPE[v.type], source, field(`${i.name} [${i.id}]`), url].join('\t'));
    }
  }
  const header = '#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url';
  return { files: [{ name: 'entente.intel', content: `${header}\n${lines.map((l) => `${l}\n`).join('')}` }], rules: 0, unsupported: {} };
}
