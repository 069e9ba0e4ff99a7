/**
 * Reads a CSV or XLSX extract: `checkExtract` reads it through once and refuses a file that cannot be imported as it
 * is (ExtractError: its encoding, its CSV syntax, a workbook that cannot be read to the end, NUL characters in its
 * header), so that nothing is imported from a file that breaks half way; `readRows` then streams its rows, one at a
 * time (never the whole file in memory): `{ rowNumber, values: { header: text }, cells }`. The first row holds the
 * headers; `rowNumber` is the row as a spreadsheet shows it (the header is row 1). CSV text is decoded as
 * decode-text.ts says (UTF-8, or UTF-16 with a byte order mark). XLSX: the first sheet only; date cells become
 * `YYYY-MM-DD`; a formula cell gives its cached result, never its formula.
 */
import path from 'node:path';
import { pipeline, Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { decodedText, ExtractError } from './decode-text';

export { ExtractError } from './decode-text';

export interface SourceRow {
  rowNumber: number;
  values: Record<string, string>;
  /** Cells up to the last one that is not empty: more than the header has means the row is out of shape. */
  cells: number;
}

export const SUPPORTED_EXTENSIONS = ['.csv', '.xlsx'] as const;

export class UnsupportedFileError extends Error {
  override readonly name = 'UnsupportedFileError';
}

export function fileKind(file: string): 'csv' | 'xlsx' {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.xlsx') return 'xlsx';
  throw new UnsupportedFileError(`unsupported file type '${ext || '(none)'}' for ${file} (expected .csv or .xlsx)`);
}

/** What an extract is, once read through: its header and how many rows follow it. */
export interface ExtractShape {
  headers: string[];
  rows: number;
}

/**
 * Reads the whole extract once without importing anything: throws ExtractError naming the problem (and the line or
 * row) when it cannot be imported as it is. Twice the reading, once the certainty that no import stops half way on a
 * broken file.
 */
export async function checkExtract(file: string): Promise<ExtractShape> {
  let headers: string[] | undefined;
  let rows = 0;
  for await (const row of rawRows(file)) {
    if (headers === undefined) {
      headers = row.cells.map((h) => h.trim());
      // UTF-16 without a byte order mark reads as UTF-8 with a NUL between letters; no real header holds one.
      if (headers.some((h) => h.includes('\u0000'))) {
        throw new ExtractError(
          `${file}: NUL characters in the header: is it UTF-16 without a byte order mark? Export the extract as UTF-8 ` +
            '(or UTF-16 with a byte order mark). Nothing was imported.',
        );
      }
    } else rows += 1;
  }
  if (headers === undefined) throw new ExtractError(`${file} is empty: no header row. Nothing was imported.`);
  return { headers, rows };
}

export async function* readRows(file: string): AsyncGenerator<SourceRow> {
  let headers: string[] | undefined;
  for await (const row of rawRows(file)) {
    if (headers === undefined) {
      headers = row.cells.map((h) => h.trim());
      continue;
    }
    yield { rowNumber: row.rowNumber, values: toRecord(headers, row.cells), cells: filledCells(row.cells) };
  }
}

interface RawRow {
  rowNumber: number;
  cells: string[];
}

function rawRows(file: string): AsyncGenerator<RawRow> {
  return fileKind(file) === 'csv' ? csvRows(file) : xlsxRows(file);
}

function toRecord(headers: readonly string[], cells: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  headers.forEach((header, i) => {
    if (header !== '' && !Object.prototype.hasOwnProperty.call(values, header)) values[header] = cells[i] ?? '';
  });
  return values;
}

function filledCells(cells: readonly string[]): number {
  let n = cells.length;
  while (n > 0 && cells[n - 1]!.trim() === '') n -= 1;
  return n;
}

/** csv-parse's syntax errors, as a person reads them (its own line count is off after a quoted line break). */
const CSV_SYNTAX: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted cell starting in this row is never closed',
  INVALID_OPENING_QUOTE:
    'a quote inside a cell that does not start with one (quote the whole cell, doubling its quotes)',
  CSV_INVALID_CLOSING_QUOTE: 'text after the closing quote of a cell',
};

async function* csvRows(file: string): AsyncGenerator<RawRow> {
  // pipeline, not pipe: a decoding error (an ExtractError) must end the parse and reach the loop below.
  const parser = pipeline(
    Readable.from(decodedText(file)),
    parse({ relax_column_count: true, skip_empty_lines: true }),
    () => {
      // Errors reach the records' iterator, which rethrows them; nothing more to do here.
    },
  );
  let rowNumber = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      rowNumber += 1;
      yield { rowNumber, cells: record };
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    // Rows are counted as records (as the report counts them), which a quoted line break does not throw off.
    const what = CSV_SYNTAX[error.code] ?? error.message;
    throw new ExtractError(
      `${file} cannot be read as CSV: row ${rowNumber + 1} (the header is row 1): ${what}. Nothing was imported.`,
    );
  }
}

async function* xlsxRows(file: string): AsyncGenerator<RawRow> {
  // styles 'cache': without the number formats exceljs cannot tell a date cell from a number.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    sharedStrings: 'cache',
    styles: 'cache',
    worksheets: 'emit',
    hyperlinks: 'ignore',
  });
  try {
    for await (const sheet of reader) {
      let header = true;
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        const raw = row.values as unknown[];
        const cells: string[] = [];
        for (let i = 1; i < raw.length; i += 1) cells.push(cellText(raw[i]));
        if (!header && cells.every((c) => c.trim() === '')) continue;
        header = false;
        yield { rowNumber: row.number, cells };
      }
      break; // the first sheet only
    }
  } catch (error) {
    if (error instanceof ExtractError) throw error;
    // A zip cut short, XML that does not parse: exceljs's own words, which are terse (e.g. FILE_ENDED).
    const reason = error instanceof Error ? error.message : String(error);
    throw new ExtractError(`${file} cannot be read as a workbook (${reason}). Nothing was imported.`);
  }
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as { richText?: Array<{ text: string }>; text?: unknown; result?: unknown; error?: string };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
    if (v.error !== undefined) return v.error;
    return '';
  }
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}
