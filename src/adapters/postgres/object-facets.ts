import { versionOf, type GraphEdge, type StixLike } from '../../ports/store.js';

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

/** A short human label: name, value, pattern or id (the order of the SearchHit contract). */
export function titleOf(object: StixLike): string {
  for (const key of ['name', 'value', 'pattern'] as const) {
    const value = object[key];
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return object.id;
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
 * The lexemes of an object, space-separated: a valid `tsvector` literal (letters and digits
 * only; PostgreSQL removes repeats on input). Bounded so a huge description cannot exceed the
 * 1 MiB limit of a tsvector.
 */
export function searchLexemes(object: StixLike): string {
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
  if (ASCII_ONLY.test(text)) {
    const words = text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
    return words.length <= MAX_LEXEME_LENGTH || !LONG_WORD.test(words) ? words : words.replace(LONG_WORDS, ' ').trim();
  }
  return searchWords(text).join(' ');
}

const MAX_SEARCH_TEXT = 256 * 1024;
const LONG_WORD = new RegExp(`[^ ]{${MAX_LEXEME_LENGTH + 1}}`);
const LONG_WORDS = new RegExp(`[^ ]{${MAX_LEXEME_LENGTH + 1},}`, 'g');

/** Refs that are provenance or marking rather than graph: the Store port excludes them. */
const NON_GRAPH_REFS = new Set(['created_by_ref', 'object_marking_refs']);
const RELATIONSHIP_REFS = new Set(['source_ref', 'target_ref']);
const SIGHTING_REFS = new Set(['sighting_of_ref', 'observed_data_refs', 'where_sighted_refs']);

/**
 * The edges an object contributes (see GraphEdge): a relationship SRO gives one
 * `relationship` edge; a sighting gives `sighting` edges from itself to each referenced object;
 * every other top-level `_ref` / `_refs` gives `ref` edges from the object.
 */
export function edgesOf(object: StixLike): GraphEdge[] {
  const edges: GraphEdge[] = [];
  const isRelationship = object.type === 'relationship';
  const isSighting = object.type === 'sighting';
  if (isRelationship && typeof object.source_ref === 'string' && typeof object.target_ref === 'string') {
    const label = typeof object.relationship_type === 'string' ? object.relationship_type : 'related-to';
    edges.push({ source: object.source_ref, target: object.target_ref, kind: 'relationship', label, via: object.id });
  }
  for (const [key, value] of Object.entries(object)) {
    if (!(key.endsWith('_ref') || key.endsWith('_refs')) || NON_GRAPH_REFS.has(key)) continue;
    if (isRelationship && RELATIONSHIP_REFS.has(key)) continue;
    const kind = isSighting && SIGHTING_REFS.has(key) ? 'sighting' : 'ref';
    const targets = Array.isArray(value) ? value : [value];
    for (const target of targets) {
      if (typeof target !== 'string') continue;
      edges.push(kind === 'sighting'
        ? { source: object.id, target, kind, label: key, via: object.id }
        : { source: object.id, target, kind, label: key });
    }
  }
  return edges;
}
