import { describe, expect, it } from 'vitest';
import { storedFromJson, type StoredObject } from '../../ports/store.js';
import { envelopeBytes, envelopeJson } from './taxii-format.js';

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

describe('TAXII envelope as bytes', () => {
  const ascii = JSON.stringify(object);
  const accented = JSON.stringify({ ...object, name: 'Opération Écho 🐟' });

  it('is the UTF-8 encoding of the envelope text, whether stored texts carry their byte length or not', () => {
    const pages = [
      { objects: [storedFromJson(fields, ascii, undefined, Buffer.byteLength(ascii)), storedFromJson(fields, accented, undefined, Buffer.byteLength(accented))], next: 'abc' },
      { objects: [storedFromJson(fields, accented), storedFromJson(fields, ascii)] },
      { objects: [{ ...fields, object } satisfies StoredObject] },
      { objects: [] },
    ];
    for (const page of pages) expect(envelopeBytes(page).equals(Buffer.from(envelopeJson(page)))).toBe(true);
  });

  it('writes a non-ASCII text as UTF-8 even where its byte length is known', () => {
    const page = { objects: [storedFromJson(fields, accented, undefined, Buffer.byteLength(accented))] };
    expect(JSON.parse(envelopeBytes(page).toString('utf8'))).toEqual({ more: false, objects: [JSON.parse(accented)] });
  });

  it('falls back to encoding the text when a byte length is too long or too short for its text', () => {
    for (const wrong of [Buffer.byteLength(accented) + 5, Buffer.byteLength(accented) - 3]) {
      const page = { objects: [storedFromJson(fields, accented, undefined, wrong)] };
      expect(envelopeBytes(page).equals(Buffer.from(envelopeJson(page)))).toBe(true);
    }
  });

  it('falls back as well for an ASCII text whose byte length is wrong', () => {
    const page = { objects: [storedFromJson(fields, ascii, undefined, ascii.length + 1)] };
    expect(envelopeBytes(page).equals(Buffer.from(envelopeJson(page)))).toBe(true);
  });
});
