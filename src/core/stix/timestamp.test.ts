import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normaliseTimestamp } from './timestamp.js';
import { compareTimestamps } from './timestamp-order.js';
import { EntenteError } from '../errors.js';

describe('normaliseTimestamp', () => {
  it('pads to milliseconds', () => {
    expect(normaliseTimestamp('2016-05-12T08:17:27Z')).toBe('2016-05-12T08:17:27.000Z');
    expect(normaliseTimestamp('2016-05-12T08:17:27.1Z')).toBe('2016-05-12T08:17:27.100Z');
  });

  it('truncates sub-millisecond digits rather than rounding into the next second', () => {
    expect(normaliseTimestamp('2016-05-12T08:17:27.9999999Z')).toBe('2016-05-12T08:17:27.999Z');
  });

  it('converts an RFC 3339 offset to UTC', () => {
    expect(normaliseTimestamp('2016-05-12T10:17:27.5+02:00')).toBe('2016-05-12T08:17:27.500Z');
    expect(normaliseTimestamp('2016-05-12 08:17:27z')).toBe('2016-05-12T08:17:27.000Z');
  });

  it('refuses what is not a timestamp, and impossible dates', () => {
    for (const bad of ['yesterday', '2016-05-12', '2023-02-29T00:00:00Z', '2023-02-28T00:00:00+25:00', '']) {
      expect(() => normaliseTimestamp(bad)).toThrow(EntenteError);
    }
  });

  it('agrees with Date for any instant', () => {
    fc.assert(fc.property(fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), (date) => {
      expect(normaliseTimestamp(date.toISOString())).toBe(date.toISOString());
    }));
  });
});

describe('compareTimestamps', () => {
  it('orders fractions of different lengths by value', () => {
    expect(compareTimestamps('2016-05-12T08:17:27.1Z', '2016-05-12T08:17:27.100Z')).toBe(0);
    expect(compareTimestamps('2016-05-12T08:17:27.09Z', '2016-05-12T08:17:27.1Z')).toBe(-1);
    expect(compareTimestamps('2016-05-12T08:17:28Z', '2016-05-12T08:17:27.999Z')).toBe(1);
  });
});
