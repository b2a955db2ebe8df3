import { versionOf, type StixLike } from '../../ports/store.js';

/**
 * What the adapter derives from a STIX object before storing it: the normalised version, the
 * search lexemes and the graph edges. Pure functions, so the bulk and the small write paths
 * derive exactly the same rows.
 */

/** Text without any code point above U+007F (control characters included, they are separators). */
const ASCII_ONLY = /^[^\u0080-\uffff]*$/;

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/;

/** A STIX timestamp at millisecond precision (`…SS.mmmZ`), the form versions are compared in. */
export function normaliseTimestamp(value: string): string {
  const match = TIMESTAMP.exec(value);
  if (!match) return value;
  const fraction = (match[2] ?? '').padEnd(3, '0').slice(0, 3);
  return `${match[1]}.${fraction}Z`;
}

/** `versionOf` at millisecond precision: the key of dedup, as the Store port defines it. */
export function normalisedVersion(object: StixLike): string {
  return normaliseTimestamp(versionOf(object));
}

/** spec_version is optional on SCOs (STIX 2.1 section 3.1); absent means 2.1. */
export function specVersionOf(object: StixLike): string {
  return typeof object.spec_version === 'string' ? object.spec_version : '2.1';
}


/** Properties whose text is searchable: names, descriptions, patterns, observable values. */
const TEXT_PROPERTIES = ['name', 'description', 'pattern', 'value', 'aliases', 'abstract', 'content', 'explanation',
  'display_name', 'subject', 'path', 'key', 'command_line', 'hashes', 'x_mitre_aliases'] as const;
/** PostgreSQL refuses lexemes of 2 KiB and more; longer runs are not useful search terms. */
const MAX_LEXEME_LENGTH = 200;

/**
 * Splits text into search words the same way for documents and queries: Unicode letters and
 * digits, lower-cased, diacritics removed, everything else a separator (so `evil.example.com`
 * yields `evil`, `example`, `com`, and a prefix of any of them matches).
 */
export function searchWords(text: string): string[] {
  // Most feed text is ASCII: skip Unicode normalisation there (it dominates the cost otherwise).
  const words = ASCII_ONLY.test(text)
    ? text.toLowerCase().match(/[a-z0-9]+/g) ?? []
    : text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.filter((word) => word.length <= MAX_LEXEME_LENGTH);
}

/**
 * The lexemes of an object, each once, in order of first appearance. Bounded so a huge
 * description cannot exceed the 1 MiB limit of a tsvector.
 */
export function searchLexemeList(object: StixLike): string[] {
  const parts: string[] = [];
  const add = (value: unknown): void => {
    if (typeof value === 'string') parts.push(value);
    else if (Array.isArray(value)) for (const item of value) add(item);
    else if (typeof value === 'object' && value !== null) for (const item of Object.values(value)) add(item);
  };
  for (const key of TEXT_PROPERTIES) {
    const value = object[key];
    if (value !== undefined) add(value);
  }
  const text = parts.join(' ').slice(0, MAX_SEARCH_TEXT);
  if (!ASCII_ONLY.test(text)) return [...new Set(searchWords(text))];
  const unique = new Set<string>();
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) if (word.length <= MAX_LEXEME_LENGTH) unique.add(word);
  return [...unique];
}

/** The lexemes of an object, space-separated: a valid `tsvector` literal (letters and digits only). */
export function searchLexemes(object: StixLike): string {
  return searchLexemeList(object).join(' ');
}

const MAX_SEARCH_TEXT = 256 * 1024;
