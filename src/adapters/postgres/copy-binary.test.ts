import { describe, expect, it } from 'vitest';
import { BinaryCopyWriter, tsvectorPayload } from './copy-binary.js';

type Row = readonly [number, string | null, ReadonlyArray<string>];

/** Reads back a binary COPY stream of (int4, text, tsvector) rows. */
function decode(stream: Buffer): Row[] {
  expect(stream.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
  expect([stream.readInt32BE(11), stream.readInt32BE(15)]).toEqual([0, 0]);
  const rows: Row[] = [];
  let at = 19;
  for (;;) {
    const fields = stream.readInt16BE(at);
    at += 2;
    if (fields === -1) break;
    expect(fields).toBe(3);
    expect(stream.readInt32BE(at)).toBe(4);
    const ord = stream.readInt32BE(at + 4);
    at += 8;
    const textLength = stream.readInt32BE(at);
    at += 4;
    const text = textLength === -1 ? null : stream.subarray(at, at + textLength).toString('utf8');
    at += Math.max(textLength, 0);
    const vectorLength = stream.readInt32BE(at);
    const end = at + 4 + vectorLength;
    const count = stream.readInt32BE(at + 4);
    at += 8;
    const lexemes: string[] = [];
    for (let i = 0; i < count; i++) {
      const nul = stream.indexOf(0, at);
      lexemes.push(stream.subarray(at, nul).toString('utf8'));
      expect(stream.readUInt16BE(nul + 1)).toBe(0);
      at = nul + 3;
    }
    expect(at).toBe(end);
    rows.push([ord, text, lexemes]);
  }
  expect(at).toBe(stream.length);
  return rows;
}

function encode(rows: ReadonlyArray<Row>): Buffer[] {
  const writer = new BinaryCopyWriter();
  const chunks: Buffer[] = [];
  for (const [ord, text, lexemes] of rows) {
    const payload = tsvectorPayload(lexemes);
    const full = writer.startRow(3, (text?.length ?? 0) + payload.text.length);
    if (full !== undefined) chunks.push(full);
    writer.int4(ord);
    writer.text(text);
    writer.tsvector(payload);
  }
  return [...chunks, ...writer.end()];
}

describe('BinaryCopyWriter', () => {
  it('writes rows that read back exactly: NULL, empty and non-ASCII text, empty and non-ASCII lexemes', () => {
    const rows: Row[] = [
      [0, 'plain', ['alpha', 'beta']],
      [1, null, []],
      [-7, '', ['\u00e9t\u00e9']],
      [2 ** 31 - 1, 'tab\tnew\nline \\ \u{1D4B3} caf\u00e9', ['\u{1D4B3}', 'x1']],
    ];
    expect(decode(Buffer.concat(encode(rows)))).toEqual(rows);
  });

  it('cuts the stream into chunks of about 256 KiB, or of the size of a larger row', () => {
    const big = '\u00e9'.repeat(400_000);
    const rows: Row[] = Array.from({ length: 3000 }, (_, i): Row => [i, i === 1500 ? big : `row ${i} ${'x'.repeat(200)}`, [`w${i}`, 'common']]);
    const chunks = encode(rows);
    expect(chunks.map((c) => c.length > 0 && c.length <= 256 * 1024)).toEqual([true, true, false]);
    expect(chunks[2]?.length).toBeGreaterThanOrEqual(big.length * 2);
    expect(chunks[2]?.length).toBeLessThanOrEqual(big.length * 3 + 256 * 1024);
    expect(decode(Buffer.concat(chunks))).toEqual(rows);
  });

  it('puts the end marker in a chunk of its own when the last one is full to the byte', () => {
    const writer = new BinaryCopyWriter();
    // 19 bytes of header; one row of 2 + 4 + n bytes fills the 256 KiB buffer exactly.
    const n = 256 * 1024 - 19 - 6;
    // A bound of n / 3 units per field keeps the row in the first buffer.
    expect(writer.startRow(1, Math.floor((n - 8) / 3))).toBeUndefined();
    writer.text('a'.repeat(n));
    const last = writer.end();
    expect(last.map((c) => c.length)).toEqual([256 * 1024, 2]);
    expect(last[1]?.readInt16BE(0)).toBe(-1);
  });
});

describe('tsvectorPayload', () => {
  it('ends every lexeme with a NUL and a zero position count', () => {
    expect(tsvectorPayload(['ab', 'c'])).toEqual({ count: 2, text: 'ab\0\0\0c\0\0\0' });
    expect(tsvectorPayload([])).toEqual({ count: 0, text: '' });
  });
});
