import { describe, expect, it } from 'vitest';
import { EntenteError } from '../errors.js';
import { matchPattern } from './evaluator.js';
import { readObservations, type StixObject } from './observations.js';
import { observed, sco } from './test-builders.js';

const T0 = '2024-01-01T00:00:00Z';
const at = (seconds: number): string => new Date(Date.parse(T0) + seconds * 1000).toISOString();

/** One observed-data seeing a file named `name` at `seconds` after T0. */
function fileSeen(name: string, seconds: number, count = 1, lastSeconds = seconds): StixObject[] {
  return observed([sco('file', { name })], { first: at(seconds), last: at(lastSeconds), count });
}

function run(pattern: string, ...groups: StixObject[][]): { matched: boolean; ids: ReadonlyArray<string>; all: string[] } {
  const items = groups.flat();
  const result = matchPattern(pattern, readObservations(items));
  const all = items.filter((o) => o.type === 'observed-data').map((o) => o.id as string);
  return { matched: result.matched, ids: result.observedDataIds, all };
}

describe('observation operators (section 9.5.2)', () => {
  it('returns the ids of the observed-data that matched', () => {
    const r = run("[file:name = 'a']", fileSeen('a', 0), fileSeen('b', 1), fileSeen('a', 2));
    expect(r.ids).toEqual([r.all[0], r.all[2]]);
  });

  it('requires AND to hold on two different observations', () => {
    expect(run("[file:name = 'a'] AND [file:name LIKE 'a%']", fileSeen('a', 0)).matched).toBe(false);
    const r = run("[file:name = 'a'] AND [file:name = 'b']", fileSeen('a', 0), fileSeen('b', 5));
    expect(r.matched).toBe(true);
    expect(r.ids).toEqual(r.all);
  });

  it('counts number_observed as separate observations', () => {
    expect(run("[file:name = 'a'] AND [file:name LIKE 'a%']", fileSeen('a', 0, 2)).matched).toBe(true);
  });

  it('needs only one side of OR', () => {
    const r = run("[file:name = 'x'] OR [file:name = 'b']", fileSeen('a', 0), fileSeen('b', 5));
    expect(r.ids).toEqual([r.all[1]]);
  });

  it('orders FOLLOWEDBY by observation time', () => {
    expect(run("[file:name = 'a'] FOLLOWEDBY [file:name = 'b']", fileSeen('a', 0), fileSeen('b', 10)).matched).toBe(true);
    expect(run("[file:name = 'a'] FOLLOWEDBY [file:name = 'b']", fileSeen('a', 10), fileSeen('b', 0)).matched).toBe(false);
    expect(run("[file:name = 'a'] FOLLOWEDBY [file:name = 'b']", fileSeen('a', 10), fileSeen('b', 10)).matched).toBe(true);
  });

  it('lets FOLLOWEDBY hold when the windows allow that order', () => {
    expect(run("[file:name = 'a'] FOLLOWEDBY [file:name = 'b']", fileSeen('a', 5, 1, 20), fileSeen('b', 0, 1, 10)).matched).toBe(true);
  });
});

describe('qualifiers (section 9.5.1)', () => {
  it('REPEATS needs that many different observations', () => {
    expect(run("[file:name = 'a'] REPEATS 3 TIMES", fileSeen('a', 0), fileSeen('a', 1)).matched).toBe(false);
    const r = run("[file:name = 'a'] REPEATS 3 TIMES", fileSeen('a', 0), fileSeen('a', 1), fileSeen('a', 2));
    expect(r.matched).toBe(true);
    expect(r.ids).toHaveLength(3);
  });

  it('REPEATS counts number_observed', () => {
    expect(run("[file:name = 'a'] REPEATS 5 TIMES", fileSeen('a', 0, 5)).matched).toBe(true);
    expect(run("[file:name = 'a'] REPEATS 5 TIMES", fileSeen('a', 0, 4)).matched).toBe(false);
    expect(run("[file:name = 'a'] REPEATS 5 TIMES", fileSeen('a', 0, 3), fileSeen('a', 9, 2)).matched).toBe(true);
  });

  it('WITHIN keeps observations no further apart than the window, its ends included', () => {
    expect(run("([file:name = 'a'] AND [file:name = 'b']) WITHIN 60 SECONDS", fileSeen('a', 0), fileSeen('b', 59)).matched).toBe(true);
    expect(run("([file:name = 'a'] AND [file:name = 'b']) WITHIN 60 SECONDS", fileSeen('a', 0), fileSeen('b', 60)).matched).toBe(true);
    expect(run("([file:name = 'a'] AND [file:name = 'b']) WITHIN 60 SECONDS", fileSeen('a', 0), fileSeen('b', 60.001)).matched).toBe(false);
    expect(run("([file:name = 'a'] AND [file:name = 'b']) WITHIN 0.5 SECONDS", fileSeen('a', 0), fileSeen('b', 0.25)).matched).toBe(true);
  });

  it('WITHIN holds when the observed windows overlap', () => {
    expect(run("([file:name = 'a'] AND [file:name = 'b']) WITHIN 1 SECONDS", fileSeen('a', 0, 1, 100), fileSeen('b', 50)).matched).toBe(true);
  });

  it('START/STOP keeps observations in [start, stop)', () => {
    const q = `START t'${at(10)}' STOP t'${at(20)}'`;
    expect(run(`[file:name = 'a'] ${q}`, fileSeen('a', 10)).matched).toBe(true);
    expect(run(`[file:name = 'a'] ${q}`, fileSeen('a', 20)).matched).toBe(false);
    expect(run(`[file:name = 'a'] ${q}`, fileSeen('a', 5)).matched).toBe(false);
    expect(run(`[file:name = 'a'] ${q}`, fileSeen('a', 5, 1, 15)).matched).toBe(true);
  });

  it('applies REPEATS on a group to whole groups: 5 pairs need 10 observations (section 9.5.2)', () => {
    const pairs = (n: number): StixObject[][] => Array.from({ length: n }, (_, i) => [fileSeen('a', i * 10), fileSeen('b', i * 10 + 1)]).flat();
    expect(run("([file:name = 'a'] FOLLOWEDBY [file:name = 'b']) REPEATS 5 TIMES", ...pairs(5)).matched).toBe(true);
    expect(run("([file:name = 'a'] FOLLOWEDBY [file:name = 'b']) REPEATS 5 TIMES", ...pairs(4)).matched).toBe(false);
    expect(run("[file:name = 'a'] FOLLOWEDBY [file:name = 'b'] REPEATS 5 TIMES", fileSeen('a', 0), fileSeen('b', 1, 5)).matched).toBe(true);
  });

  it('combines REPEATS and WITHIN on the beaconing example', () => {
    const dst = (s: number): StixObject[] => {
      const d = sco('domain-name', { value: 'example.com' });
      return observed([sco('network-traffic', { dst_ref: d.id }), d], { first: at(s) });
    };
    const pattern = "[network-traffic:dst_ref.type = 'domain-name' AND network-traffic:dst_ref.value = 'example.com'] REPEATS 5 TIMES WITHIN 1800 SECONDS";
    expect(run(pattern, ...[0, 100, 200, 300, 400].map(dst)).matched).toBe(true);
    expect(run(pattern, ...[0, 1000, 2000, 3000, 4000].map(dst)).matched).toBe(false);
  });
});

describe('readObservations', () => {
  it('reads bundles, arrays of bundles and the embedded objects form', () => {
    const a = fileSeen('a', 0);
    const bundle = { type: 'bundle', id: 'bundle--1', objects: a };
    expect(readObservations(bundle)).toHaveLength(1);
    expect(readObservations([bundle, { ...bundle, objects: fileSeen('b', 0) }])).toHaveLength(2);
  });

  it('reports malformed observed-data with JSON paths', () => {
    const bad = { type: 'observed-data', id: 'observed-data--x', first_observed: 'yesterday', last_observed: T0, number_observed: 0 };
    try {
      readObservations({ type: 'bundle', objects: [sco('file'), bad] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EntenteError);
      expect((error as EntenteError).code).toBe('ENTENTE_STIX_INVALID');
      expect((error as EntenteError).details.map((d) => d.path)).toEqual([
        '$.objects[1].first_observed', '$.objects[1].number_observed', '$.objects[1].object_refs',
      ]);
    }
  });
});

describe('hash values', () => {
  it('compare without regard to case, in the evaluator and through the index alike', async () => {
    const { PatternIndex } = await import('./pattern-index.js');
    const upper = "[file:hashes.MD5 = 'D41D8CD98F00B204E9800998ECF8427E']";
    const seen = observed([sco('file', { hashes: { MD5: 'd41d8cd98f00b204e9800998ecf8427e' } })], { first: at(0), last: at(0), count: 1 });
    expect(run(upper, seen).matched).toBe(true);
    expect(run("[file:hashes.MD5 IN ('00000000000000000000000000000000', 'D41D8CD98F00B204E9800998ECF8427E')]", seen).matched).toBe(true);
    expect(run("[file:hashes.MD5 != 'D41D8CD98F00B204E9800998ECF8427E']", seen).matched).toBe(false);
    const index = new PatternIndex();
    index.add('indicator--1', upper);
    const [observation] = readObservations(seen);
    expect(observation === undefined ? [] : index.match(observation)).toEqual(['indicator--1']);
  });

  it('keeps names and other strings case-sensitive', () => {
    expect(run("[file:name = 'A']", fileSeen('a', 0)).matched).toBe(false);
  });
});
