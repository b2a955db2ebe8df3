import { describe, expect, it } from 'vitest';
import { storedFromJson, type StoredObject } from '../../ports/store.js';
import { envelopeJson } from './taxii-format.js';

const fields = { id: 'indicator--1a0e4b4e-7f3c-4a8b-9c1d-2e3f4a5b6c7d', type: 'indicator', version: '2026-01-01T00:00:00.000Z', specVersion: '2.1', dateAdded: '2026-01-02T00:00:00.000Z' };
const object = { type: 'indicator', id: fields.id, name: 'a "quoted" name' };

describe('TAXII envelope as JSON text', () => {
  it('splices stored JSON text in as it is and reads the same as the parsed objects', () => {
    const raw = storedFromJson(fields, JSON.stringify(object));
    const parsed: StoredObject = { ...fields, object };
    for (const stored of [raw, parsed]) {
      expect(JSON.parse(envelopeJson({ objects: [stored, stored], next: 'abc' }))).toEqual({ more: true, next: 'abc', objects: [object, object] });
    }
  });

  it('leaves out objects on an empty page and says there is no more', () => {
    expect(JSON.parse(envelopeJson({ objects: [] }))).toEqual({ more: false });
  });

  it('parses stored text only when the object is read', () => {
    const stored = storedFromJson(fields, '{"type":"indicator","id":"x"}');
    expect(stored.json).toBe('{"type":"indicator","id":"x"}');
    expect(stored.object).toEqual({ type: 'indicator', id: 'x' });
    expect(stored.object).toBe(stored.object);
  });
});
