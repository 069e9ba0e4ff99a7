/**
 * Streams the rows of a CSV or XLSX extract, one at a time (never the whole file in memory):
 * `{ rowNumber, values: { header: text } }`. The first row holds the headers; `rowNumber` is the row as a spreadsheet
 * shows it (the header is row 1). XLSX: the first sheet only; date cells become `YYYY-MM-DD`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';

export interface SourceRow {
  rowNumber: number;
  values: Record<string, string>;
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

export function readRows(file: string): AsyncGenerator<SourceRow> {
  return fileKind(file) === 'csv' ? readCsv(file) : readXlsx(file);
}

function toRecord(headers: readonly string[], cells: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  headers.forEach((header, i) => {
    if (header !== '' && !Object.prototype.hasOwnProperty.call(values, header)) values[header] = cells[i] ?? '';
  });
  return values;
}

async function* readCsv(file: string): AsyncGenerator<SourceRow> {
  const parser = fs.createReadStream(file).pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true }));
  let headers: string[] | undefined;
  let rowNumber = 0;
  for await (const record of parser as AsyncIterable<string[]>) {
    rowNumber += 1;
    if (headers === undefined) {
      headers = record.map((h) => h.trim());
      continue;
    }
    yield { rowNumber, values: toRecord(headers, record) };
  }
}

async function* readXlsx(file: string): AsyncGenerator<SourceRow> {
  // styles 'cache': without the number formats exceljs cannot tell a date cell from a number.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    sharedStrings: 'cache',
    styles: 'cache',
    worksheets: 'emit',
    hyperlinks: 'ignore',
  });
  for await (const sheet of reader) {
    let headers: string[] | undefined;
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      const raw = row.values as unknown[];
      const cells: string[] = [];
      for (let i = 1; i < raw.length; i += 1) cells.push(cellText(raw[i]));
      if (headers === undefined) {
        headers = cells.map((h) => h.trim());
        continue;
      }
      if (cells.every((c) => c.trim() === '')) continue;
      yield { rowNumber: row.number, values: toRecord(headers, cells) };
    }
    break; // the first sheet only
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
