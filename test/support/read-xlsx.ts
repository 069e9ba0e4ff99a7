/**
 * Reads an .xlsx with the independent reader (Python's openpyxl, test/support/read-xlsx.py), as JSON: every non-empty
 * cell with its type and format, and what the sheet's own XML says (declared dimension, the extent of its cells,
 * cells per row) beside openpyxl's read-only sizing.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const READER = path.resolve(__dirname, 'read-xlsx.py');

export interface ReadCell {
  ref: string;
  row: number;
  column: number;
  value: string | number | boolean | null;
  data_type: string;
  number_format: string;
  fill: string | null;
  bold: boolean;
}

export interface ReadSheet {
  name: string;
  freeze_panes: string | null;
  auto_filter: string | null;
  max_row: number;
  max_column: number;
  formula_elements: number;
  /** From the sheet's raw XML: its declared <dimension ref>, the extent its cells cover, <c> elements per row. */
  dimension: string | null;
  xml_extent: string | null;
  xml_cells_per_row: Record<string, number>;
  /** openpyxl's read-only mode's size of the sheet (from the declared dimension), or "error: ...". */
  read_only_dimension: string;
  cells: ReadCell[];
}

export function readXlsx(file: string): ReadSheet[] {
  const out = execFileSync('python3', [READER, file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return (JSON.parse(out) as { sheets: ReadSheet[] }).sheets;
}

/** A sheet's rows as arrays of values by column (1-based columns; blank cells null). */
export function rowsOf(sheet: ReadSheet): Array<Array<ReadCell | undefined>> {
  const rows: Array<Array<ReadCell | undefined>> = [];
  for (const cell of sheet.cells) {
    const row = (rows[cell.row - 1] ??= []);
    row[cell.column - 1] = cell;
  }
  return rows;
}
