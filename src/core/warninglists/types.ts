/**
 * Warninglists: values known to be benign (public resolvers, private and reserved address
 * ranges, reserved and very popular domains, hashes of empty files), in the spirit of MISP's
 * warninglists. An indicator made only of such values, or a match on one, is almost always a
 * false positive; the reason shown is the list's name.
 */

/** How a list's entries are compared with a value. */
export type WarninglistKind = 'cidr' | 'domain-suffix' | 'exact' | 'hash';

export const WARNINGLIST_KINDS: ReadonlyArray<WarninglistKind> = ['cidr', 'domain-suffix', 'exact', 'hash'];

/** The observable types a value can be checked as (the STIX SCO it comes from; hashes of any file). */
export type ValueType = 'ipv4-addr' | 'ipv6-addr' | 'domain-name' | 'url' | 'email-addr' | 'file-hash';

export const VALUE_TYPES: ReadonlyArray<ValueType> = ['ipv4-addr', 'ipv6-addr', 'domain-name', 'url', 'email-addr', 'file-hash'];

export interface Warninglist {
  /** Short stable name, shown as the reason (`public-dns-resolvers`). */
  readonly name: string;
  readonly description: string;
  readonly kind: WarninglistKind;
  /**
   * The value types the list applies to; absent means the kind's default: cidr → addresses and
   * URLs with an address as host; domain-suffix → domains, URL hosts and e-mail domains; exact →
   * every type; hash → file hashes.
   */
  readonly types?: ReadonlyArray<ValueType>;
  readonly entries: ReadonlyArray<string>;
}

/** Which list a value is on, and the entry that covers it (`10.0.0.0/8` for `10.1.2.3`). */
export interface WarninglistHit {
  readonly list: string;
  readonly entry: string;
}

/** A value with the type it is checked as. */
export interface TypedValue {
  readonly type: ValueType;
  readonly value: string;
}

export const DEFAULT_TYPES: Readonly<Record<WarninglistKind, ReadonlyArray<ValueType>>> = {
  cidr: ['ipv4-addr', 'ipv6-addr', 'url'],
  'domain-suffix': ['domain-name', 'url', 'email-addr'],
  exact: VALUE_TYPES,
  hash: ['file-hash'],
};
