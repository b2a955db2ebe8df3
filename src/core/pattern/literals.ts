/**
 * Helpers for pattern constants (STIX 2.1 section 9.2) and the STIX timestamp type (section 2.16).
 */
import type { Literal } from './ast.js';

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/;

/** A timestamp reduced to a totally ordered key plus milliseconds for time arithmetic. */
export interface Instant {
  /** Fixed-width `YYYY-MM-DDTHH:MM:SS` plus the fraction without trailing zeros: compares as text. */
  readonly key: string;
  readonly epochMs: number;
}

/**
 * Parses a STIX timestamp (`YYYY-MM-DDTHH:MM:SS[.s+]Z`, section 2.16); undefined when the text is
 * not one or names a day that does not exist. Second 60 is accepted for leap seconds.
 */
export function parseTimestamp(text: string): Instant | undefined {
  const m = TIMESTAMP.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return undefined;
  const fraction = (m[7] ?? '').replace(/0+$/, '');
  const epochMs = Date.UTC(year, month - 1, day, hour, minute, second) + (fraction === '' ? 0 : Number(`0.${fraction}`) * 1000);
  return { key: `${text.slice(0, 19)}${fraction === '' ? '' : `.${fraction}`}`, epochMs };
}

/** Compares two instants: negative, zero or positive. */
export function compareInstants(a: Instant, b: Instant): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes strict base64 (RFC 4648 with padding); undefined when malformed. */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!BASE64.test(text)) return undefined;
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** Decodes an even-length hexadecimal string; undefined when malformed. */
export function decodeHex(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return undefined;
  return new Uint8Array(Buffer.from(text, 'hex'));
}

/**
 * The octets of a string whose code points are all below U+0100 (section 9.6.4: such a string
 * converts to binary by mapping U+0000..U+00FF to 00..ff); undefined otherwise.
 */
export function latin1Bytes(text: string): Uint8Array | undefined {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) return undefined;
    out[i] = c;
  }
  return out;
}

/** The bytes of a binary or hex literal; undefined for other kinds. */
export function literalBytes(literal: Literal): Uint8Array | undefined {
  if (literal.kind === 'binary') return decodeBase64(literal.value);
  if (literal.kind === 'hex') return decodeHex(literal.value);
  return undefined;
}

/** Unsigned octet comparison; a longer value that is otherwise equal is greater (section 9.6.3). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** Code point comparison of two strings (section 9.6.2), not UTF-16 code unit order. */
export function compareCodePoints(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a.codePointAt(i) as number;
    const y = b.codePointAt(j) as number;
    if (x !== y) return x - y;
    i += x > 0xffff ? 2 : 1;
    j += y > 0xffff ? 2 : 1;
  }
  return (a.length - i) - (b.length - j);
}

/**
 * Writes a number as a pattern float literal: plain decimal digits with a point, never exponent
 * notation, which the grammar does not allow.
 */
export function formatFloat(value: number): string {
  const text = String(Math.abs(value));
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  const exp = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  let plain = text;
  if (exp !== null) {
    const digits = `${exp[1]}${exp[2] ?? ''}`;
    const shift = Number(exp[3]);
    if (shift > 0) {
      plain = digits.padEnd(shift + 1, '0');
      plain = `${plain.slice(0, shift + 1)}${plain.length > shift + 1 ? `.${plain.slice(shift + 1)}` : ''}`;
    } else {
      plain = `0.${'0'.repeat(-shift - 1)}${digits}`;
    }
  }
  return `${sign}${plain.includes('.') ? plain : `${plain}.0`}`;
}
