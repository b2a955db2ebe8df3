/**
 * Rows for `COPY … FROM STDIN (FORMAT binary)`, built straight into Buffers. Binary COPY costs
 * the server no text parsing: a text field is taken as its UTF-8 bytes (no escapes to scan for
 * in a kilobyte of JSON), an integer as four bytes, and a `tsvector` as its list of unique
 * lexemes, where the text form makes the server tokenise every word and deduplicate again
 * (measured: about ten times the server's cost of the rest of the row's COPY).
 *
 * Format (PostgreSQL documentation, "COPY", binary format): a signature and two zero int32s;
 * per row an int16 field count, then per field an int32 byte length (-1 for NULL) and the
 * bytes; an int16 -1 at the end. A `tsvector` is an int32 lexeme count, then per lexeme its
 * bytes, a NUL and an int16 count of positions (0 here).
 */

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** Buffers are handed to the driver at about this size. */
const CHUNK = 256 * 1024;

/** The lexemes of a tsvector field: how many, and each followed by NUL and a zero int16. */
export interface TsvectorPayload {
  readonly count: number;
  readonly text: string;
}

/**
 * The tsvector payload of a list of unique lexemes (the server keeps repeated lexemes it
 * receives in binary form, but puts them in order itself).
 */
export function tsvectorPayload(lexemes: ReadonlyArray<string>): TsvectorPayload {
  return { count: lexemes.length, text: lexemes.length === 0 ? '' : `${lexemes.join('\0\0\0')}\0\0\0` };
}

/**
 * Accumulates rows into chunks of about 256 KiB. A row is `startRow` (which returns the chunk
 * it completed, if any) then one call per field; `end` returns what is left with the trailer.
 * The first chunk starts with the signature.
 */
export class BinaryCopyWriter {
  private buffer = Buffer.allocUnsafe(CHUNK);
  private offset = 0;

  constructor() {
    this.offset = SIGNATURE.copy(this.buffer, 0);
    this.offset = this.buffer.writeInt32BE(0, this.offset);
    this.offset = this.buffer.writeInt32BE(0, this.offset);
  }

  /**
   * Starts a row of `fields` fields whose strings add up to `chars` UTF-16 units (UTF-8 takes
   * at most 3 bytes per unit, plus 4 bytes of length per field and 4 of count per tsvector).
   */
  startRow(fields: number, chars: number): Buffer | undefined {
    const bound = 2 + fields * 8 + chars * 3;
    let done: Buffer | undefined;
    if (this.offset + bound > this.buffer.length) {
      if (this.offset > 0) done = this.buffer.subarray(0, this.offset);
      this.buffer = Buffer.allocUnsafe(Math.max(CHUNK, bound));
      this.offset = 0;
    }
    this.offset = this.buffer.writeInt16BE(fields, this.offset);
    return done;
  }

  int4(value: number): void {
    this.offset = this.buffer.writeInt32BE(4, this.offset);
    this.offset = this.buffer.writeInt32BE(value, this.offset);
  }

  text(value: string | null): void {
    if (value === null) {
      this.offset = this.buffer.writeInt32BE(-1, this.offset);
      return;
    }
    const length = this.buffer.write(value, this.offset + 4, 'utf8');
    this.buffer.writeInt32BE(length, this.offset);
    this.offset += 4 + length;
  }

  tsvector(payload: TsvectorPayload): void {
    const length = this.buffer.write(payload.text, this.offset + 8, 'utf8');
    this.buffer.writeInt32BE(length + 4, this.offset);
    this.buffer.writeInt32BE(payload.count, this.offset + 4);
    this.offset += 8 + length;
  }

  /** The remaining bytes with the end marker. */
  end(): Buffer[] {
    if (this.offset + 2 > this.buffer.length) {
      const trailer = Buffer.allocUnsafe(2);
      trailer.writeInt16BE(-1, 0);
      return [this.buffer.subarray(0, this.offset), trailer];
    }
    this.offset = this.buffer.writeInt16BE(-1, this.offset);
    return [this.buffer.subarray(0, this.offset)];
  }
}
