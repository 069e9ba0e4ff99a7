/**
 * Decoding an extract's text strictly, a chunk at a time (services/imports/decode-text.ts): characters split across
 * the file stream's chunks (64 KiB) arrive whole, and what is not text in the named encoding is refused naming the
 * line. No database: the import tests cover what happens to the rows.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodedText, ExtractError } from '../../../services/imports/decode-text';

const CHUNK = 64 * 1024; // fs.createReadStream's default highWaterMark
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corewatch-decode-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

async function decode(file: string): Promise<string> {
  let text = '';
  for await (const chunk of decodedText(file)) text += chunk;
  return text;
}

async function refusal(file: string): Promise<string> {
  const error = await decode(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ExtractError);
  return (error as Error).message;
}

describe('decodedText', () => {
  it('UTF-8: a four-byte character split across two chunks arrives whole', async () => {
    // The emoji's first byte is the last of the first chunk.
    const text = 'a'.repeat(CHUNK - 1) + '🙂 Zoë\n';
    expect(Buffer.from(text).subarray(CHUNK - 1, CHUNK + 3)).toEqual(Buffer.from('🙂'));
    expect(await decode(write('split.csv', Buffer.from(text)))).toBe(text);
  });

  it('UTF-8: counts lines across chunks, and refuses a file that ends inside a character', async () => {
    const lines = `${'x'.repeat(100)}\n`.repeat(1000); // 1000 lines, past the first chunk
    const bad = Buffer.concat([Buffer.from(lines + 'Zo'), Buffer.from([0xc3, 0x0a])]);
    expect(await refusal(write('bad-late.csv', bad))).toMatch(/line 1001: byte 0xC3 is not UTF-8\./);
    const cut = Buffer.concat([Buffer.from('ok\nZo'), Buffer.from([0xc3])]);
    expect(await refusal(write('cut.csv', cut))).toMatch(
      /line 2: byte 0xC3 is not UTF-8 \(the file ends inside a character\)/,
    );
  });

  it('UTF-8: refuses overlong forms and code points above U+10FFFF', async () => {
    expect(await refusal(write('overlong.csv', Buffer.from([0x61, 0xc0, 0xaf])))).toMatch(
      /line 1: byte 0xC0 is not UTF-8/,
    );
    expect(await refusal(write('e0.csv', Buffer.from([0xe0, 0x80, 0x80])))).toMatch(/bytes 0xE0 0x80 are not UTF-8/);
    expect(await refusal(write('big.csv', Buffer.from([0xf4, 0x90, 0x80, 0x80])))).toMatch(
      /bytes 0xF4 0x90 are not UTF-8/,
    );
  });

  it('UTF-16 little-endian: a surrogate pair split across two chunks arrives whole, and the mark is dropped', async () => {
    // After the two-byte mark the first chunk holds 32,767 whole code units and the emoji's high surrogate.
    const text = 'a'.repeat(CHUNK / 2 - 1) + '🙂\nSiân';
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(bytes.readUInt16LE(CHUNK)).toBe(0xd83d); // the last unit of the first chunk (the mark is 2 bytes)
    const file = write('utf16-split.csv', bytes);
    expect(await decode(file)).toBe(text);
  });

  it('UTF-16 big-endian: decoded, and an odd byte at the end refused', async () => {
    const text = 'Łucja,Żółć\r\n';
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    expect(await decode(write('be.csv', be))).toBe(text);
    const odd = Buffer.concat([be, Buffer.from([0x00])]);
    expect(await refusal(write('odd.csv', odd))).toMatch(
      /not UTF-16 text: line 2: the file ends in the middle of a character/,
    );
  });

  it('UTF-16: a low surrogate with no high one before it is refused naming the line', async () => {
    const file = write('low.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a\nb\n\uDC00', 'utf16le')]));
    expect(await refusal(file)).toMatch(/line 3: an unpaired UTF-16 surrogate \(0xDC00\)/);
  });

  it('refuses UTF-32 by name', async () => {
    const file = write('utf32.csv', Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x61, 0x00, 0x00, 0x00]));
    expect(await refusal(file)).toMatch(/is UTF-32 text, which corewatch does not read/);
  });
});
