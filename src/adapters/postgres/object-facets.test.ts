import { describe, expect, it } from 'vitest';
import type { StixLike } from '../../ports/store.js';
import { titleOf } from '../../core/stix/index.js';
import { edgesOf } from '../shared/object-edges.js';
import { normaliseTimestamp, searchLexemes, searchWords } from './object-facets.js';
import { copyText } from './staging.js';

describe('normaliseTimestamp', () => {
  it('pads or truncates the fraction to milliseconds', () => {
    expect(normaliseTimestamp('2024-02-03T04:05:06Z')).toBe('2024-02-03T04:05:06.000Z');
    expect(normaliseTimestamp('2024-02-03T04:05:06.5Z')).toBe('2024-02-03T04:05:06.500Z');
    expect(normaliseTimestamp('2024-02-03T04:05:06.123456Z')).toBe('2024-02-03T04:05:06.123Z');
  });
});

describe('search words', () => {
  it('splits on punctuation, lower-cases and drops diacritics', () => {
    expect(searchWords('Évil-Domain.example.COM')).toEqual(['evil', 'domain', 'example', 'com']);
    expect(searchWords("[url:value = 'x']")).toEqual(['url', 'value', 'x']);
  });

  it('collects lexemes from names, values, hashes and aliases but not from ids', () => {
    const object = { type: 'file', id: 'file--1', name: 'a.exe', hashes: { MD5: 'ABC123' }, aliases: ['Zeta'] } as StixLike;
    expect(searchLexemes(object).split(' ').sort()).toEqual(['a', 'abc123', 'exe', 'zeta']);
  });
});

describe('edgesOf', () => {
  it('gives a relationship one edge and no ref edges for its source and target', () => {
    const rel = { type: 'relationship', id: 'relationship--1', relationship_type: 'uses', source_ref: 'malware--1', target_ref: 'tool--1', created_by_ref: 'identity--1' } as StixLike;
    expect(edgesOf(rel)).toEqual([{ source: 'malware--1', target: 'tool--1', kind: 'relationship', label: 'uses', via: 'relationship--1' }]);
  });

  it('labels sighting edges by property and skips marking refs', () => {
    const sighting = { type: 'sighting', id: 'sighting--1', sighting_of_ref: 'indicator--1', where_sighted_refs: ['identity--2'], object_marking_refs: ['marking-definition--x'] } as StixLike;
    expect(edgesOf(sighting).map((e) => `${e.kind}:${e.label}:${e.target}`)).toEqual(['sighting:sighting_of_ref:indicator--1', 'sighting:where_sighted_refs:identity--2']);
  });
});

describe('titleOf and copyText', () => {
  it('prefers name, then value, then pattern, then id', () => {
    expect(titleOf({ type: 'x', id: 'x--1', value: 'v', pattern: 'p' } as StixLike)).toBe('v');
    expect(titleOf({ type: 'x', id: 'x--1' } as StixLike)).toBe('x--1');
  });

  it('escapes backslashes and separators for COPY text format', () => {
    expect(copyText('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyText('plain')).toBe('plain');
  });
});
