/**
 * Indicators reduced to the plain values sensors understand (addresses, blocks, domains, URLs,
 * hashes, mailboxes), and the files written for them. See docs/sensors.md.
 */

/** The kinds of value a sensor export carries; also the names of the plain blocklists. */
export type ExportType = 'ipv4' | 'ipv6' | 'cidr' | 'domain' | 'url' | 'md5' | 'sha1' | 'sha256' | 'email';

export const EXPORT_TYPES: ReadonlyArray<ExportType> = ['ipv4', 'ipv6', 'cidr', 'domain', 'url', 'md5', 'sha1', 'sha256', 'email'];

export interface ExportValue {
  readonly type: ExportType;
  /** Canonical form: addresses and blocks normalised, domains and hashes in lower case. */
  readonly value: string;
}

/** An indicator that can go to sensors, with the values that remain after filtering. */
export interface SensorIndicator {
  readonly id: string;
  readonly name: string;
  readonly values: ReadonlyArray<ExportValue>;
}

export interface SensorSelection {
  readonly indicators: ReadonlyArray<SensorIndicator>;
  /** Values exported, by type. */
  readonly valuesByType: Readonly<Record<ExportType, number>>;
  /** Indicators whose pattern is not a set of simple comparisons, with the reason. */
  readonly notExpressible: ReadonlyArray<{ readonly id: string; readonly reason: string }>;
  /** Values left out because a warninglist holds them. */
  readonly warninglisted: ReadonlyArray<{ readonly id: string; readonly value: string; readonly list: string }>;
  readonly revoked: number;
  readonly expired: number;
  /** Indicators left with no value once the types asked for were kept. */
  readonly otherTypes: number;
}

/** One file of an export, named relative to the output directory. */
export interface SensorFile {
  readonly name: string;
  readonly content: string;
}

export interface SensorExport {
  readonly files: ReadonlyArray<SensorFile>;
  /** Suricata rules written (0 for the other formats). */
  readonly rules: number;
  /** Values the format has no way to carry (e-mail addresses in Suricata, say), by type. */
  readonly unsupported: Readonly<Partial<Record<ExportType, number>>>;
}

export function emptyCounts(): Record<ExportType, number> {
  return { ipv4: 0, ipv6: 0, cidr: 0, domain: 0, url: 0, md5: 0, sha1: 0, sha256: 0, email: 0 };
}
