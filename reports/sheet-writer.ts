/**
 * The one sheet writer: every sheet of the workbook is a list of columns over a stream of rows, written here.
 *
 * Each sheet gets a title row and a "Generated ... Europe/London" row, any preamble lines, then a bold, frozen,
 * filtered header row; a template other tools read (Annex A) gets its header in row 1 and nothing above it. Each data
 * row is committed as soon as it is added (exceljs's streaming writer), so memory stays flat however many rows there
 * are, and writes every column: an empty value is a blank cell carrying the column's number format, so every row
 * spans the header's columns (exceljs drops a cell with neither value nor style). A column's kind decides how its
 * values are written: dates as real Excel dates, instants as Europe/London wall-clock times, numbers as numbers,
 * booleans as the text Yes/No, RAG ratings coloured, and every string neutralised against formula injection
 * (`neutralise`), never written as a formula. Each sheet's `<dimension>` is added once the file is written
 * (reports/xlsx-file.ts): exceljs's streaming writer never writes one.
 */
import type * as ExcelJS from 'exceljs';
import type { IsoDate } from '../domain/types';
import { monthTitle } from '../domain/report-months';
import type { Rag, YearMonth } from './types';

/** How a column's values are written (see `setCell`). */
export type CellKind = 'text' | 'date' | 'instant' | 'int' | 'percent' | 'bool' | 'rag';

/** What a row may put in a cell; undefined (or '') leaves it empty. */
export type CellValue = string | number | boolean | Date | undefined;

export interface Column<Row> {
  header: string;
  kind: CellKind;
  /** Excel column width, in characters. */
  width: number;
  /** Wrap long text within the cell (the README's prose). */
  wrap?: boolean;
  value: (row: Row) => CellValue;
}

export interface SheetLayout<Row> {
  name: string;
  columns: readonly Column<Row>[];
  /** Bold lines between the generated line and the header row (the Summary's RAG rule). */
  preamble?: readonly string[];
  /**
   * 'template': the header in row 1 with no title, generated line or preamble above it, for a sheet laid out as a
   * published template that other tools read by position (Annex A). Default 'titled'.
   */
  heading?: 'titled' | 'template';
  /** Leading columns kept in view when scrolling sideways. */
  frozenColumns?: number;
  /** A style for a whole row, under the column's own formatting. */
  rowStyle?: (row: Row) => Partial<ExcelJS.Style> | undefined;
}

/** What every sheet's title rows say. */
export interface SheetContext {
  workbook: ExcelJS.stream.xlsx.WorkbookWriter;
  partnershipName: string;
  /** e.g. 'March 2026' */
  monthTitle: string;
  /** e.g. 'Generated 01/04/2026 07:30 Europe/London' */
  generated: string;
}

export function sheetContext(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  heading: { partnershipName: string; month: YearMonth; generatedAt: Date },
): SheetContext {
  return {
    workbook,
    partnershipName: heading.partnershipName,
    monthTitle: monthTitle(heading.month),
    generated: `Generated ${formatLondon(heading.generatedAt)} Europe/London`,
  };
}

const DATE_FORMAT = 'dd/mm/yyyy';
const INSTANT_FORMAT = 'dd/mm/yyyy hh:mm';
const PERCENT_FORMAT = '0.0';

const HEADER_STYLE: Partial<ExcelJS.Style> = {
  font: { bold: true },
  fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } },
  border: { bottom: { style: 'thin' } },
  alignment: { vertical: 'top', wrapText: true },
};

const RAG_STYLES: Record<Rag, { text: string; fill?: string; font: string }> = {
  green: { text: 'Green', fill: 'FFC6EFCE', font: 'FF006100' },
  amber: { text: 'Amber', fill: 'FFFFEB9C', font: 'FF9C5700' },
  red: { text: 'Red', fill: 'FFFFC7CE', font: 'FF9C0006' },
  'n/a': { text: 'n/a', font: 'FF7F7F7F' },
};

/** One worksheet: title and generated rows, any preamble, the frozen header row, then committed data rows. */
export class SheetWriter<Row> {
  private readonly worksheet: ExcelJS.Worksheet;
  private readonly headerRow: number;
  private nextRow = 1;
  private dataRows = 0;

  constructor(
    context: SheetContext,
    private readonly layout: SheetLayout<Row>,
  ) {
    const { name, columns, preamble = [], frozenColumns = 0, heading = 'titled' } = layout;
    this.headerRow = heading === 'template' ? 1 : 2 + preamble.length + 1;
    const view: ExcelJS.WorksheetViewFrozen = { state: 'frozen', ySplit: this.headerRow };
    if (frozenColumns > 0) view.xSplit = frozenColumns;
    this.worksheet = context.workbook.addWorksheet(name, { views: [view] });
    this.worksheet.columns = columns.map((c) => ({ width: c.width }));

    if (heading === 'titled') {
      this.writeLine(`${name} — ${context.partnershipName} — ${context.monthTitle}`, {
        font: { bold: true, size: 14 },
      });
      this.writeLine(context.generated, { font: { italic: true, color: { argb: 'FF595959' } } });
      for (const line of preamble) this.writeLine(line, { font: { bold: true } });
    }

    const header = this.worksheet.getRow(this.nextRow++);
    columns.forEach((column, i) => {
      const cell = header.getCell(i + 1);
      cell.value = text(column.header);
      cell.style = HEADER_STYLE;
    });
    header.commit();
  }

  addRow(row: Row): void {
    const excelRow = this.worksheet.getRow(this.nextRow++);
    const style = this.layout.rowStyle?.(row);
    this.layout.columns.forEach((column, i) => {
      const cell = excelRow.getCell(i + 1);
      if (style) cell.style = { ...style };
      setCell(cell, column, column.value(row));
    });
    excelRow.commit();
    this.dataRows += 1;
  }

  /** Sets the filter over the header and data, commits the sheet, and returns its data row count. */
  finish(): number {
    this.worksheet.autoFilter = {
      from: { row: this.headerRow, column: 1 },
      to: { row: this.headerRow + this.dataRows, column: this.layout.columns.length },
    };
    this.worksheet.commit();
    return this.dataRows;
  }

  private writeLine(line: string, style: Partial<ExcelJS.Style>): void {
    const row = this.worksheet.getRow(this.nextRow++);
    const cell = row.getCell(1);
    cell.value = text(line);
    cell.style = style;
    row.commit();
  }
}

/** The number format a column's blank cells carry, which also makes exceljs write them (see the top of the file). */
const BLANK_FORMAT: Record<CellKind, string> = {
  text: '@',
  date: DATE_FORMAT,
  instant: INSTANT_FORMAT,
  int: '0',
  percent: PERCENT_FORMAT,
  bool: '@',
  rag: '@',
};

function setCell(cell: ExcelJS.Cell, column: Pick<Column<unknown>, 'kind' | 'wrap'>, value: CellValue): void {
  if (column.wrap) cell.alignment = { vertical: 'top', wrapText: true };
  if (value === undefined || value === '') {
    cell.numFmt = BLANK_FORMAT[column.kind];
    return;
  }
  switch (column.kind) {
    case 'date':
      if (typeof value === 'string') {
        const date = excelDate(value);
        if (date) {
          cell.value = date;
          cell.numFmt = DATE_FORMAT;
          return;
        }
      }
      break;
    case 'instant':
      if (typeof value === 'string' || value instanceof Date) {
        const instant = value instanceof Date ? value : new Date(value);
        if (!Number.isNaN(instant.getTime())) {
          cell.value = londonWallClock(instant);
          cell.numFmt = INSTANT_FORMAT;
          return;
        }
      }
      break;
    case 'int':
      if (typeof value === 'number' && Number.isFinite(value)) {
        cell.value = value;
        return;
      }
      break;
    case 'percent':
      if (typeof value === 'number' && Number.isFinite(value)) {
        cell.value = value;
        cell.numFmt = PERCENT_FORMAT;
        return;
      }
      break;
    case 'bool':
      if (typeof value === 'boolean') {
        cell.value = value ? 'Yes' : 'No';
        return;
      }
      break;
    case 'rag':
      if (typeof value === 'string' && value in RAG_STYLES) {
        const rag = RAG_STYLES[value as Rag];
        cell.value = rag.text;
        cell.font = { bold: true, color: { argb: rag.font } };
        if (rag.fill) cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: rag.fill } };
        return;
      }
      break;
    case 'text':
      break;
  }
  // Text, or a value of an unexpected type: written as neutralised text, never as a formula or rich value.
  cell.value = text(typeof value === 'boolean' ? (value ? 'Yes' : 'No') : String(value));
}

// ---------------------------------------------------------------------------------------------------------------
// Text

/** Excel refuses longer cell text. */
const MAX_CELL_TEXT = 32767;

/** Characters XML 1.0 forbids (exceljs silently drops them, which could expose a leading `=` behind them). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: XML 1.0 cannot carry them
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/g;

/** Leading characters that make a spreadsheet treat text as a formula (OWASP, CSV injection). */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

/**
 * Makes imported text safe to put in a cell: drops characters XML cannot carry (so none can hide a trigger), then,
 * when the text begins with `=`, `+`, `-`, `@`, tab or carriage return, prefixes a single quote so Excel and
 * LibreOffice show it as text rather than evaluate it (OWASP CSV injection guidance).
 */
export function neutralise(value: string): string {
  const text = value.replace(XML_INVALID, '');
  return text.length > 0 && FORMULA_TRIGGERS.has(text.charAt(0)) ? `'${text}` : text;
}

/** Every string reaches a cell through here. */
function text(value: string): string {
  const safe = neutralise(value);
  return safe.length > MAX_CELL_TEXT ? `${safe.slice(0, MAX_CELL_TEXT - 1)}…` : safe;
}

// ---------------------------------------------------------------------------------------------------------------
// Dates and times

/** A civil date as a JS Date at UTC midnight, which exceljs writes as the whole-day Excel serial. */
function excelDate(value: IsoDate): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    ? date
    : undefined;
}

const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function londonParts(instant: Date): {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
} {
  const parts: Record<string, string> = {};
  for (const p of LONDON.formatToParts(instant)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** The instant's Europe/London wall-clock time as a UTC Date (Excel times have no zone; exceljs writes UTC fields). */
function londonWallClock(instant: Date): Date {
  const p = londonParts(instant);
  return new Date(Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second));
}

/** `dd/mm/yyyy hh:mm` in Europe/London. */
function formatLondon(instant: Date): string {
  const p = londonParts(instant);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(p.day)}/${two(p.month)}/${p.year} ${two(p.hour)}:${two(p.minute)}`;
}
