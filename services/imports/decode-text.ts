/**
 * The text of a CSV extract, decoded strictly, chunk by chunk (never the whole file in memory).
 *
 * Which encodings, and why (README, "Importing case-system extracts"):
 * - UTF-8, with or without a byte order mark (the mark is dropped). What case systems and Excel's "CSV UTF-8" write.
 * - UTF-16, little- or big-endian, with a byte order mark (Excel's "Unicode text"; some case systems): decoded.
 * - Anything else must be valid UTF-8. A file that is not (a Latin-1 or Windows-1252 export, a truncated character,
 *   the UTF-8 bytes of a surrogate) is refused, naming the line and the bytes: corewatch does not guess another
 *   encoding, because a wrong guess stores a child's or a worker's name wrongly and silently (Latin-1 and
 *   Windows-1252 already disagree on 0x80-0x9F), and replacing the bad bytes would do the same with U+FFFD.
 * - UTF-16 with an unpaired surrogate is refused likewise: a lone surrogate cannot be stored (PostgreSQL refuses it
 *   in JSON, and UTF-8 cannot carry it).
 * - UTF-32 (its byte order mark) is refused by name; UTF-16 without a mark reads as text full of NUL characters,
 *   which read-rows.ts refuses in the header.
 *
 * Refused means an ExtractError before any row is imported: read-rows.ts reads the file through once first.
 */
import fs from 'node:fs';

/** The file cannot be imported as it is (encoding, CSV syntax, a workbook that cannot be read, its header): nothing was. */
export class ExtractError extends Error {
  override readonly name = 'ExtractError';
}

type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be';

const hex = (byte: number) => `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
const LF = 0x0a;

/** The encoding its byte order mark names (UTF-8 without one), and how many bytes the mark takes. */
async function detect(file: string): Promise<{ encoding: Encoding; skip: number }> {
  const handle = await fs.promises.open(file, 'r');
  const head = Buffer.alloc(4);
  let length: number;
  try {
    ({ bytesRead: length } = await handle.read(head, 0, 4, 0));
  } finally {
    await handle.close();
  }
  const starts = (...bytes: number[]) => length >= bytes.length && bytes.every((b, i) => head[i] === b);
  if (starts(0xff, 0xfe, 0x00, 0x00) || starts(0x00, 0x00, 0xfe, 0xff)) {
    throw new ExtractError(`${file} is UTF-32 text, which corewatch does not read: export it as UTF-8`);
  }
  if (starts(0xef, 0xbb, 0xbf)) return { encoding: 'utf-8', skip: 3 };
  if (starts(0xff, 0xfe)) return { encoding: 'utf-16le', skip: 2 };
  if (starts(0xfe, 0xff)) return { encoding: 'utf-16be', skip: 2 };
  return { encoding: 'utf-8', skip: 0 };
}

function notText(file: string, encoding: Encoding, line: number, what: string): ExtractError {
  const name = encoding === 'utf-8' ? 'UTF-8' : 'UTF-16';
  return new ExtractError(
    `${file} is not ${name} text: line ${line}: ${what}. corewatch reads CSV as UTF-8 (with or without a byte order ` +
      'mark) or as UTF-16 with a byte order mark, and does not guess another encoding: export the extract as UTF-8. ' +
      'Nothing was imported.',
  );
}

/**
 * Checks UTF-8 as the WHATWG decoder does (no overlong forms, no surrogates, nothing above U+10FFFF), across chunk
 * boundaries, keeping the line number for the message.
 */
class Utf8Check {
  private line = 1;
  /** Bytes of the sequence under way, and how many continuation bytes it still needs. */
  private pending: number[] = [];
  private needed = 0;
  private lower = 0x80;
  private upper = 0xbf;

  constructor(private readonly file: string) {}

  feed(chunk: Buffer): void {
    for (const byte of chunk) {
      if (this.needed > 0) {
        if (byte < this.lower || byte > this.upper) {
          // A byte that could start a character is not part of the bad sequence; any other is.
          const bad = byte < 0x80 || byte >= 0xc0 ? this.pending : [...this.pending, byte];
          throw this.invalid(bad);
        }
        this.pending.push(byte);
        this.lower = 0x80;
        this.upper = 0xbf;
        this.needed -= 1;
        if (this.needed === 0) this.pending = [];
        continue;
      }
      if (byte < 0x80) {
        if (byte === LF) this.line += 1;
        continue;
      }
      if (byte >= 0xc2 && byte <= 0xdf) this.needed = 1;
      else if (byte >= 0xe0 && byte <= 0xef) {
        this.needed = 2;
        if (byte === 0xe0) this.lower = 0xa0; // no overlong forms
        if (byte === 0xed) this.upper = 0x9f; // no surrogates (U+D800..U+DFFF)
      } else if (byte >= 0xf0 && byte <= 0xf4) {
        this.needed = 3;
        if (byte === 0xf0) this.lower = 0x90;
        if (byte === 0xf4) this.upper = 0x8f; // nothing above U+10FFFF
      } else throw this.invalid([byte]);
      this.pending = [byte];
    }
  }

  end(): void {
    if (this.needed > 0) throw this.invalid(this.pending, ' (the file ends inside a character)');
  }

  private invalid(bytes: readonly number[], after = ''): ExtractError {
    const what =
      bytes.length === 1 ? `byte ${hex(bytes[0]!)} is not UTF-8` : `bytes ${bytes.map(hex).join(' ')} are not UTF-8`;
    return notText(this.file, 'utf-8', this.line, what + after);
  }
}

/** Checks UTF-16 code units (little-endian here) for unpaired surrogates, across chunk boundaries. */
class Utf16Check {
  private line = 1;
  private highPending: number | undefined;

  constructor(private readonly file: string) {}

  feed(units: Buffer): void {
    for (let i = 0; i + 1 < units.length; i += 2) {
      const unit = units.readUInt16LE(i);
      if (this.highPending !== undefined) {
        if (unit < 0xdc00 || unit > 0xdfff) throw this.unpaired(this.highPending);
        this.highPending = undefined;
        continue;
      }
      if (unit >= 0xd800 && unit <= 0xdbff) this.highPending = unit;
      else if (unit >= 0xdc00 && unit <= 0xdfff) throw this.unpaired(unit);
      else if (unit === LF) this.line += 1;
    }
  }

  end(oddByte: boolean): void {
    if (this.highPending !== undefined) throw this.unpaired(this.highPending);
    if (oddByte) throw notText(this.file, 'utf-16le', this.line, 'the file ends in the middle of a character');
  }

  private unpaired(unit: number): ExtractError {
    return notText(
      this.file,
      'utf-16le',
      this.line,
      `an unpaired UTF-16 surrogate (0x${unit.toString(16).toUpperCase()})`,
    );
  }
}

/** The file's text, decoded from the encoding its byte order mark names, in chunks. Throws ExtractError. */
export async function* decodedText(file: string): AsyncGenerator<string> {
  const { encoding, skip } = await detect(file);
  const stream = fs.createReadStream(file, { start: skip });
  if (encoding === 'utf-8') {
    const check = new Utf8Check(file);
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      check.feed(chunk);
      yield decoder.decode(chunk, { stream: true });
    }
    check.end();
    yield decoder.decode();
    return;
  }
  const check = new Utf16Check(file);
  const decoder = new TextDecoder('utf-16le', { ignoreBOM: true });
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    // Whole code units only: an odd byte waits for the next chunk.
    const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const whole = bytes.length - (bytes.length % 2);
    carry = Buffer.from(bytes.subarray(whole));
    // Big-endian: swap each unit's bytes into a copy (the stream's buffer is not ours to change).
    const units = encoding === 'utf-16be' ? Buffer.from(bytes.subarray(0, whole)).swap16() : bytes.subarray(0, whole);
    check.feed(units);
    yield decoder.decode(units, { stream: true });
  }
  check.end(carry.length > 0);
  yield decoder.decode();
}
