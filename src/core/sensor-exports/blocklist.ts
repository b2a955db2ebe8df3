/**
 * Plain blocklists: one value per line, one file per type (`ipv4.txt`, `domain.txt`, …), sorted
 * and without duplicates or comments, for firewalls, DNS resolvers (RPZ builders), proxies and
 * EDR tools that read nothing richer.
 */
import { EXPORT_TYPES, type ExportType, type SensorExport, type SensorIndicator } from './types.js';

/**
 * The lists of the given types (every type when absent). A type with no value still gets its
 * file, empty, so that a refresh clears what is no longer listed.
 */
export function blocklists(indicators: ReadonlyArray<SensorIndicator>, types: ReadonlyArray<ExportType> = EXPORT_TYPES): SensorExport {
  const byType = new Map<ExportType, Set<string>>(types.map((t) => [t, new Set()]));
  for (const i of indicators) for (const v of i.values) byType.get(v.type)?.add(v.value);
  const files = [...byType].map(([type, values]) => ({ name: `${type}.txt`, content: [...values].sort().map((v) => `${v}\n`).join('') }));
  return { files, rules: 0, unsupported: {} };
}
