/**
 * IPv4/IPv6 addresses and CIDR blocks as used by the `value` of ipv4-addr and ipv6-addr objects
 * (STIX 2.1 sections 6.4, 6.5) and by ISSUBSET / ISSUPERSET (section 9.6.1).
 */

export interface Cidr {
  readonly version: 4 | 6;
  /** The address bits as written (host bits are kept, as the SCO may carry them). */
  readonly bits: bigint;
  readonly prefix: number;
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The 32-bit value of a dotted-quad match, or undefined when an octet exceeds 255. */
function v4Bits(m: RegExpExecArray | null): number | undefined {
  if (m === null) return undefined;
  let bits = 0;
  for (let i = 1; i <= 4; i++) {
    const n = Number(m[i]);
    if (n > 255) return undefined;
    bits = bits * 256 + n;
  }
  return bits;
}

function parseV4(text: string): bigint | undefined {
  const bits = v4Bits(V4.exec(text));
  // Plain number arithmetic, one BigInt at the end: this runs for every address an index sees.
  return bits === undefined ? undefined : BigInt(bits);
}

function parseV6(text: string): bigint | undefined {
  let body = text;
  const groups: number[] = [];
  // An embedded IPv4 tail (::ffff:192.0.2.1) counts as two groups.
  const v4Tail = /(?:^|:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(body);
  let tail: number[] = [];
  if (v4Tail !== null) {
    const v4 = parseV4(v4Tail[1] as string);
    if (v4 === undefined) return undefined;
    tail = [Number(v4 >> 16n), Number(v4 & 0xffffn)];
    body = body.slice(0, body.length - (v4Tail[1] as string).length);
    if (body.endsWith(':') && !body.endsWith('::')) body = body.slice(0, -1);
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parse(halves[0] as string);
  const rest = halves.length === 2 ? parse(halves[1] as string) : [];
  if (head === undefined || rest === undefined) return undefined;
  const known = head.length + rest.length + tail.length;
  if (halves.length === 2) {
    if (known > 7) return undefined;
    groups.push(...head, ...new Array<number>(8 - known).fill(0), ...rest, ...tail);
  } else {
    if (known !== 8) return undefined;
    groups.push(...head, ...tail);
  }
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

/** Parses `address` or `address/prefix` for IPv4 or IPv6; undefined when it is neither. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? undefined : text.slice(slash + 1);
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const v4 = parseV4(address);
  if (v4 !== undefined) {
    const prefix = prefixText === undefined ? 32 : Number(prefixText);
    return prefix > 32 ? undefined : { version: 4, bits: v4, prefix };
  }
  if (!address.includes(':')) return undefined;
  const v6 = parseV6(address);
  if (v6 === undefined) return undefined;
  const prefix = prefixText === undefined ? 128 : Number(prefixText);
  return prefix > 128 ? undefined : { version: 6, bits: v6, prefix };
}

function width(c: Cidr): bigint {
  return c.version === 4 ? 32n : 128n;
}

/** The network bits of `c` truncated to `prefix` bits. */
export function networkBits(c: Cidr, prefix: number): bigint {
  return c.bits >> (width(c) - BigInt(prefix));
}

/** True when every address of `inner` lies in `outer` (identical blocks included). */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return outer.version === inner.version && outer.prefix <= inner.prefix
    && networkBits(outer, outer.prefix) === networkBits(inner, outer.prefix);
}

/**
 * A canonical spelling: the same address written `10.0.0.1` and `10.0.0.1/32`, or with and
 * without IPv6 zero compression, gives the same key (section 6.4: the /32 suffix MAY be omitted).
 */
export function cidrKey(c: Cidr): string {
  return `${c.version}:${c.bits.toString(16)}/${c.prefix}`;
}

/** An IPv4 address or block as plain numbers: the index's fast path, free of BigInt. */
export interface Ipv4Parts {
  readonly bits: number;
  readonly prefix: number;
}

/** Parses `a.b.c.d[/n]`; undefined for anything else (IPv6 included). */
export function parseIpv4(text: string): Ipv4Parts | undefined {
  const slash = text.indexOf('/');
  const bits = v4Bits(V4.exec(slash < 0 ? text : text.slice(0, slash)));
  if (bits === undefined) return undefined;
  if (slash < 0) return { bits, prefix: 32 };
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > 32) return undefined;
  return { bits, prefix: Number(prefixText) };
}

/** Equals `cidrKey(parseCidr(text))` for the same IPv4 text. */
export function ipv4Key(p: Ipv4Parts): string {
  return `4:${p.bits.toString(16)}/${p.prefix}`;
}

/** Equals `networkBits(parseCidr(text), prefix).toString(16)` for the same IPv4 text. */
export function ipv4Network(p: Ipv4Parts, prefix: number): string {
  return Math.floor(p.bits / 2 ** (32 - prefix)).toString(16);
}
