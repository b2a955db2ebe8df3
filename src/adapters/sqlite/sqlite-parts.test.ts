import { describe, expect, it } from 'vitest';
import { decodeObjectCursor, decodeSearchCursor, decodeVersionCursor, encodeObjectCursor, encodeSearchCursor, encodeVersionCursor } from './cursor.js';
import { edgesOf } from '../shared/object-edges.js';
import { titleOf } from '../../core/stix/index.js';
import { ftsQueryOf, searchTextOf } from './object-text.js';
import { normaliseTimestamp } from './timestamps.js';

describe('normaliseTimestamp', () => {
  it('pads, keeps or truncates the fraction to milliseconds', () => {
    expect(normaliseTimestamp('2024-05-06T07:08:09Z')).toBe('2024-05-06T07:08:09.000Z');
    expect(normaliseTimestamp('2024-05-06T07:08:09.1Z')).toBe('2024-05-06T07:08:09.100Z');
    expect(normaliseTimestamp('2024-05-06T07:08:09.999999Z')).toBe('2024-05-06T07:08:09.999Z');
  });

  it('refuses what is not a UTC STIX timestamp, naming the field', () => {
    expect(() => normaliseTimestamp('2024-05-06 07:08:09', 'modified')).toThrow(/modified/);
    expect(() => normaliseTimestamp('2024-05-06T07:08:09+01:00')).toThrow(/STIX timestamp/);
  });
});

describe('cursors', () => {
  it('round-trip and refuse a cursor of another listing', () => {
    expect(decodeObjectCursor(encodeObjectCursor(1_700_000_000_123, 42))).toEqual([1_700_000_000_123, 42]);
    expect(decodeSearchCursor(encodeSearchCursor(7))).toBe(7);
    expect(decodeVersionCursor(encodeVersionCursor('2024-01-01T00:00:00.000Z', 'x--1'))).toEqual(['2024-01-01T00:00:00.000Z', 'x--1']);
    expect(() => decodeObjectCursor(encodeSearchCursor(7))).toThrow(expect.objectContaining({ code: 'ENTENTE_INVALID_PARAMETER' }));
    expect(() => decodeVersionCursor('%%%')).toThrow(expect.objectContaining({ code: 'ENTENTE_INVALID_PARAMETER' }));
  });
});

describe('search text', () => {
  it('turns each word into a quoted prefix phrase of its tokens', () => {
    expect(ftsQueryOf('evil.example.com  Beacon')).toBe('"evil example com"* AND "Beacon"*');
    expect(ftsQueryOf('" OR (')).toBe('"OR"*');
    expect(ftsQueryOf('" ( *')).toBeUndefined();
  });

  it('indexes names, descriptions, patterns, values and hashes, and titles by name then value', () => {
    const file = { type: 'file', id: 'file--1', name: 'a.exe', hashes: { MD5: 'd41d8cd98f00b204e9800998ecf8427e' } };
    expect(searchTextOf(file)).toBe('a.exe\nd41d8cd98f00b204e9800998ecf8427e');
    expect(titleOf(file)).toBe('a.exe');
    expect(titleOf({ type: 'x509-certificate', id: 'x509-certificate--1' })).toBe('x509-certificate--1');
  });
});

describe('edgesOf', () => {
  it('derives relationship, sighting and ref edges and skips provenance refs', () => {
    expect(edgesOf({ type: 'relationship', id: 'relationship--1', relationship_type: 'uses', source_ref: 'a--1', target_ref: 'b--1', created_by_ref: 'identity--1' }))
      .toEqual([{ source: 'a--1', target: 'b--1', kind: 'relationship', label: 'uses', via: 'relationship--1' }]);
    expect(edgesOf({ type: 'sighting', id: 'sighting--1', sighting_of_ref: 'indicator--1', where_sighted_refs: ['identity--2'] }).map((e) => `${e.kind}:${e.label}:${e.target}`))
      .toEqual(['sighting:sighting_of_ref:indicator--1', 'sighting:where_sighted_refs:identity--2']);
    expect(edgesOf({ type: 'report', id: 'report--1', object_refs: ['a--1'], object_marking_refs: ['marking-definition--1'] }))
      .toEqual([{ source: 'report--1', target: 'a--1', kind: 'ref', label: 'object_refs' }]);
  });
});
