/**
 * Declares each worksheet's extent: the `<dimension ref="A1:Q123"/>` element of every sheet of an .xlsx.
 *
 * exceljs's streaming writer never writes it (lib/stream/xlsx/worksheet-writer.js: "Excel can't handle dimensions at
 * the bottom of the file and we don't know the dimensions until the commit, so don't write them"), and a reader that
 * sizes a sheet from it (openpyxl in read-only mode, pandas over it, tools built on them) then sees an unsized sheet
 * or one row. The schema puts the element near the top of the sheet (after `<sheetPr>`, before `<sheetViews>`), so it
 * is added once the file is complete: this copies the zip entry by entry (yauzl reads, yazl writes, both streaming),
 * reading each worksheet twice, first for the extent of its cells, then to insert (or correct) the element. Memory
 * stays flat: nothing but a few kilobytes of a sheet's head is held.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import { Transform, type TransformCallback, type Readable } from 'node:stream';
import * as yauzl from 'yauzl';
import * as yazl from 'yazl';

const WORKSHEET = /^\/?xl\/worksheets\/[^/]+\.xml$/;
/** A cell reference, as SpreadsheetML writes it in `<c r="...">`. */
const CELL_REF = /<c r="([A-Z]{1,3})([0-9]{1,7})"/g;
/** Enough of a previous chunk to complete a cell reference cut in two (`<c r="XFD1048576"` is 18 characters). */
const CARRY = 32;
/** What follows `<dimension>` in CT_Worksheet's sequence: it goes before the first of these. */
const AFTER_DIMENSION = ['<sheetViews', '<sheetFormatPr', '<cols', '<sheetData'];
/** Far more than any sheet's head before `<sheetData>`; a part without any of the markers by then is not a sheet. */
const MAX_HEAD = 1024 * 1024;

/** Copies the workbook at `source` to `target` (created, never overwritten) with every worksheet's dimension declared. */
export async function declareDimensions(source: string, target: string): Promise<Record<string, string>> {
  const zip = await openZip(source);
  const declared: Record<string, string> = {};
  try {
    const entries = await readEntries(zip);
    const out = fs.createWriteStream(target, { flags: 'wx' });
    const writer = new yazl.ZipFile();
    const written = new Promise<void>((resolve, reject) => {
      out.once('close', resolve);
      out.once('error', reject);
      writer.outputStream.once('error', reject);
    });
    writer.outputStream.pipe(out);
    for (const entry of entries) {
      const options = { mtime: entry.getLastModDate(), compress: true };
      if (entry.fileName.endsWith('/')) {
        writer.addEmptyDirectory(entry.fileName, { mtime: options.mtime });
        continue;
      }
      if (WORKSHEET.test(entry.fileName)) {
        const ref = await extentOf(await entryStream(zip, entry));
        declared[entry.fileName] = ref;
        const rewritten = (await entryStream(zip, entry)).pipe(new DimensionInserter(ref, entry.fileName));
        writer.addReadStream(rewritten, entry.fileName, options);
        // One entry at a time: the next is opened once this one is in the zip.
        await once(rewritten, 'end');
      } else {
        const stream = await entryStream(zip, entry);
        writer.addReadStream(stream, entry.fileName, options);
        await once(stream, 'end');
      }
    }
    writer.end();
    await written;
    return declared;
  } finally {
    zip.close();
  }
}

/** `A1:Q123` for the cells a sheet holds; `A1` for a sheet without cells (what Excel writes for an empty sheet). */
export async function extentOf(xml: Readable): Promise<string> {
  let top = Infinity;
  let left = Infinity;
  let bottom = 0;
  let right = 0;
  let carry = '';
  for await (const chunk of xml as AsyncIterable<Buffer>) {
    // latin1 keeps one character per byte: the markup searched for is ASCII, and no multi-byte character is split.
    const text = carry + chunk.toString('latin1');
    for (const match of text.matchAll(CELL_REF)) {
      const column = columnNumber(match[1]!);
      const row = Number(match[2]);
      top = Math.min(top, row);
      bottom = Math.max(bottom, row);
      left = Math.min(left, column);
      right = Math.max(right, column);
    }
    carry = text.slice(-CARRY);
  }
  if (bottom === 0) return 'A1';
  const from = `${columnName(left)}${top}`;
  const to = `${columnName(right)}${bottom}`;
  return from === to ? from : `${from}:${to}`;
}

/** 'A' -> 1, 'Q' -> 17, 'AA' -> 27. */
export function columnNumber(name: string): number {
  let n = 0;
  for (const ch of name) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/** 1 -> 'A', 27 -> 'AA'. */
export function columnName(n: number): string {
  let name = '';
  for (let rest = n; rest > 0; rest = Math.floor((rest - 1) / 26))
    name = String.fromCharCode(65 + ((rest - 1) % 26)) + name;
  return name;
}

/** Passes a worksheet's XML through, with `<dimension ref>` inserted where the schema puts it (or corrected). */
class DimensionInserter extends Transform {
  private head: Buffer[] = [];
  private headLength = 0;
  private done = false;

  constructor(
    private readonly ref: string,
    private readonly part: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.done) {
      callback(null, chunk);
      return;
    }
    this.head.push(chunk);
    this.headLength += chunk.length;
    const head = Buffer.concat(this.head);
    const text = head.toString('latin1');
    const existing = /<dimension\b[^>]*\/>/.exec(text);
    const at = existing ? existing.index : firstIndex(text, AFTER_DIMENSION);
    if (at < 0) {
      if (this.headLength > MAX_HEAD)
        callback(new Error(`${this.part}: no <sheetData> in its first ${MAX_HEAD} bytes`));
      else callback();
      return;
    }
    this.done = true;
    this.head = [];
    const element = Buffer.from(`<dimension ref="${this.ref}"/>`, 'latin1');
    const skip = existing ? existing[0].length : 0;
    callback(null, Buffer.concat([head.subarray(0, at), element, head.subarray(at + skip)]));
  }

  override _flush(callback: TransformCallback): void {
    callback(this.done ? null : new Error(`${this.part}: not a worksheet (no <sheetData>)`));
  }
}

function firstIndex(text: string, markers: readonly string[]): number {
  let first = -1;
  for (const marker of markers) {
    const i = text.indexOf(marker);
    if (i >= 0 && (first < 0 || i < first)) first = i;
  }
  return first;
}

// ---------------------------------------------------------------------------------------------------------------
// yauzl's callbacks as promises.

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (error, zip) => (error ? reject(error) : resolve(zip)));
  });
}

function readEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', reject);
    zip.readEntry();
  });
}

function entryStream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream)));
  });
}
