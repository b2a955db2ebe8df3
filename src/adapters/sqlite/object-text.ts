import type { StixLike } from '../../ports/store.js';

/*
 * What full-text search sees of an object. Pure and engine-neutral so that every Store adapter
 * indexes the same words. The properties are those an analyst types: names and descriptions of
 * SDOs, indicator patterns, and the values that identify SCOs (STIX 2.1 section 6: `value` of
 * domain-name, ipv4/ipv6-addr, url, email-addr…; `name` and `hashes` of file; `key` of
 * windows-registry-key; `path` of directory).
 */

const TEXT_PROPERTIES = ['name', 'description', 'pattern', 'value', 'display_name', 'path', 'key', 'subject', 'abstract', 'content', 'explanation'] as const;
const LIST_PROPERTIES = ['aliases', 'labels'] as const;

/** The text FTS indexes for one object; empty when it has nothing searchable. */
export function searchTextOf(object: StixLike): string {
  const parts: string[] = [];
  for (const key of TEXT_PROPERTIES) {
    const value = object[key];
    if (typeof value === 'string') parts.push(value);
  }
  for (const key of LIST_PROPERTIES) {
    const value = object[key];
    if (Array.isArray(value)) for (const item of value) if (typeof item === 'string') parts.push(item);
  }
  const hashes = object['hashes'];
  if (typeof hashes === 'object' && hashes !== null) {
    for (const value of Object.values(hashes)) if (typeof value === 'string') parts.push(value);
  }
  const refs = object['external_references'];
  if (Array.isArray(refs)) {
    for (const ref of refs) {
      const externalId = (ref as { external_id?: unknown } | null)?.external_id;
      if (typeof externalId === 'string') parts.push(externalId);
    }
  }
  return parts.join('\n');
}

/**
 * The FTS5 MATCH expression for free text, or undefined when the text holds no word. Each
 * whitespace-separated word becomes a quoted phrase of its tokens with a prefix star, so
 * `evil.example.com` matches the tokens `evil example com` in that order, and FTS syntax typed
 * by a user (quotes, AND, NEAR, column filters) is only ever text.
 */
export function ftsQueryOf(text: string): string | undefined {
  const phrases: string[] = [];
  for (const word of text.split(/\s+/)) {
    const tokens = word.match(/[\p{L}\p{N}\p{Co}]+/gu);
    if (tokens !== null) phrases.push(`"${tokens.join(' ')}"*`);
  }
  return phrases.length === 0 ? undefined : phrases.join(' AND ');
}
