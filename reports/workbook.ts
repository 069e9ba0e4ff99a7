/**
 * Writes the monthly multi-agency audit workbook (.xlsx) with exceljs's streaming writer, one row committed at a
 * time, so memory stays flat however many plans there are.
 *
 * A streaming writer writes its sheets one after another, yet the first sheet (Summary) depends on every plan. So the
 * plans are read several times (`source.plans()` starts a fresh pass each call):
 *
 *   pass 1  every plan folded into one MonthlyAudit: the Summary and Agency attendance sheets (aggregates only);
 *   pass 2+ one pass per row sheet (Plans, Core groups, Escalations, Annex A List 7), each with a fresh MonthlyAudit
 *           whose `add(plan)` returns that plan's rows, written and forgotten at once.
 *
 * Every sheet has a title row and a "Generated ... Europe/London" row above a frozen, filtered header row. Dates are
 * real Excel dates; numbers are numbers; booleans are the text Yes/No; every string is neutralised against formula
 * injection (see `neutralise`) and written as a plain value, never as a formula.
 *
 * The file appears at its path only when complete: it is written to `<file>.partial-<random>` and renamed into place;
 * on any failure the partial file is deleted and the error rethrown.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as ExcelJS from 'exceljs';
import type { IsoDate } from '../domain/types';
import { ANNEX_A_COLUMNS, annexACategory, MonthlyAudit, RAG_RULE, SHEET_GUIDE } from './monthly-audit';
import type {
  AgencyAttendanceRow,
  AnnexARow,
  CoreGroupRow,
  EscalationRow,
  Measure,
  PlanContribution,
  PlansRow,
  Rag,
  ReportPlanInput,
  SummaryBlock,
  YearMonth,
} from './types';

export interface AuditWorkbookSource {
  partnershipName: string;
  month: YearMonth;
  generatedAt: Date;
  /** may be iterated several times; streams plans from the database */
  plans(): AsyncIterable<ReportPlanInput>;
  planCount?: number;
}

export interface AuditWorkbookProgress {
  /** The sheet being produced ('Summary' is the first pass over every plan), then 'saving'. */
  phase: string;
  /** Plans read so far in this phase. */
  done: number;
  /** Plans expected (the source's planCount for the first pass, then the count the first pass found). */
  total?: number;
}

/** The sheets, in workbook order. */
export const SHEET_NAMES = [
  'Summary',
  'Plans',
  'Core groups',
  'Escalations',
  'Agency attendance',
  'Annex A List 7',
  'README',
] as const;
export type SheetName = (typeof SHEET_NAMES)[number];

/** What each sheet is, printed on the README sheet. */
export const SHEET_DESCRIPTIONS: Record<SheetName, string> = {
  Summary:
    'The month\'s measures for the whole partnership, then for each team: count, denominator, percentage and RAG rating, with the rule each figure rests on.',
  Plans: 'One row per plan open in the month: its next due obligation, days overdue at the month end and the highest escalation sent.',
  'Core groups': 'One row per core group (or child in need meeting) due or held up to the month end: timeliness, agencies present, record circulation and quorum.',
  Escalations: 'One row per reminder or escalation sent in the month, who it went to, what it was about and whether that was resolved by the month end.',
  'Agency attendance': 'Core group invitations and attendance by agency for the 12 months ending with the report month: two columns per month (invited, attended).',
  'Annex A List 7': 'Ofsted ILACS Annex A List 7: children who are the subject of a child protection plan, in the List 7 column order.',
  README: 'This sheet: what each sheet and column means and which rule produced each figure.',
};

/** Excel refuses longer cell text. */
const MAX_CELL_TEXT = 32767;

/** Characters XML 1.0 forbids (exceljs silently drops them, which could expose a leading `=` behind them). */
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

export async function writeAuditWorkbook(
  file: string,
  source: AuditWorkbookSource,
  onProgress?: (p: AuditWorkbookProgress) => void,
): Promise<{ rowCounts: Record<string, number> }> {
  const target = path.resolve(file);
  const partial = `${target}.partial-${randomBytes(8).toString('hex')}`;
  const out = fs.createWriteStream(partial, { flags: 'wx' });
  let streamError: Error | undefined;
  const streamFailed = new Promise<never>((_, reject) => {
    out.on('error', (error) => {
      streamError = error;
      reject(error);
    });
  });
  streamFailed.catch(() => undefined); // observed through `streamError` and the race below
  let workbook: ExcelJS.stream.xlsx.WorkbookWriter | undefined;
  try {
    await Promise.race([new Promise<void>((resolve) => out.once('open', () => resolve())), streamFailed]);
    workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    workbook.creator = 'corewatch';
    workbook.created = source.generatedAt;
    const rowCounts = await writeSheets(workbook, source, onProgress, () => {
      if (streamError) throw streamError;
    });
    onProgress?.({ phase: 'saving', done: 0 });
    await Promise.race([workbook.commit(), streamFailed]);
    if (!out.closed) await Promise.race([new Promise<void>((resolve) => out.once('close', () => resolve())), streamFailed]);
    const handle = await fs.promises.open(partial, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(partial, target);
    return { rowCounts };
  } catch (error) {
    await discard(workbook, out, partial);
    throw error;
  }
}

/** Stops the zip and the file stream, then deletes the partial file. Never throws: the original error matters. */
async function discard(workbook: ExcelJS.stream.xlsx.WorkbookWriter | undefined, out: fs.WriteStream, partial: string): Promise<void> {
  try {
    const zip = (workbook as unknown as { zip?: { abort(): void; on(event: string, fn: () => void): void } } | undefined)?.zip;
    zip?.on('error', () => undefined);
    zip?.abort();
  } catch {
    // Best effort.
  }
  if (!out.closed) {
    await new Promise<void>((resolve) => {
      out.once('close', () => resolve());
      out.destroy();
    });
  }
  await fs.promises.rm(partial, { force: true }).catch(() => undefined);
}

// ---------------------------------------------------------------------------------------------------------------
// The sheets

async function writeSheets(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  source: AuditWorkbookSource,
  onProgress: ((p: AuditWorkbookProgress) => void) | undefined,
  checkStream: () => void,
): Promise<Record<string, number>> {
  const context: SheetContext = {
    workbook,
    partnershipName: source.partnershipName,
    monthTitle: monthTitle(source.month),
    generated: `Generated ${formatLondon(source.generatedAt)} Europe/London`,
  };
  const rowCounts: Record<string, number> = {};

  // Pass 1: every plan into one audit, for the Summary and Agency attendance.
  const overall = new MonthlyAudit(source.month, source.partnershipName);
  let total = source.planCount;
  let seen = 0;
  report(onProgress, 'Summary', 0, total);
  for await (const plan of source.plans()) {
    overall.add(plan);
    seen += 1;
    report(onProgress, 'Summary', seen, total);
    checkStream();
  }
  total = seen;

  rowCounts.Summary = writeSummary(context, overall.summary());

  const rowPass = async <Row>(
    name: SheetName,
    columns: ColumnSpec[],
    rowsOf: (contribution: PlanContribution) => Row[],
    cells: (row: Row) => unknown[],
  ): Promise<void> => {
    const sheet = new SheetWriter(context, name, columns);
    const audit = new MonthlyAudit(source.month, source.partnershipName);
    let done = 0;
    report(onProgress, name, 0, total);
    for await (const plan of source.plans()) {
      for (const row of rowsOf(audit.add(plan))) sheet.addRow(cells(row));
      done += 1;
      report(onProgress, name, done, total);
      checkStream();
      // Let the zip drain what this sheet has written so far when the source never waits (an in-memory source).
      if (done % 500 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    rowCounts[name] = sheet.finish();
  };

  await rowPass('Plans', PLANS_COLUMNS, (c) => (c.plan ? [c.plan] : []), plansCells);
  await rowPass('Core groups', CORE_GROUP_COLUMNS, (c) => c.coreGroups, coreGroupCells);
  await rowPass('Escalations', ESCALATION_COLUMNS, (c) => c.escalations, escalationCells);

  report(onProgress, 'Agency attendance', 0);
  rowCounts['Agency attendance'] = writeAgencyAttendance(context, source.month, overall.agencyAttendance());

  await rowPass('Annex A List 7', annexAColumns(), (c) => (c.annexA ? [c.annexA] : []), annexACells);

  report(onProgress, 'README', 0);
  rowCounts.README = writeReadme(context);
  return rowCounts;
}

function report(onProgress: ((p: AuditWorkbookProgress) => void) | undefined, phase: string, done: number, total?: number): void {
  if (!onProgress) return;
  onProgress(total === undefined ? { phase, done } : { phase, done, total });
}

// Summary ------------------------------------------------------------------------------------------------------

const SUMMARY_COLUMNS: ColumnSpec[] = [
  { header: 'Scope', kind: 'text', width: 30 },
  { header: 'Measure', kind: 'text', width: 50 },
  { header: 'Count', kind: 'int', width: 10 },
  { header: 'Denominator', kind: 'int', width: 13 },
  { header: 'Percentage', kind: 'percent', width: 12 },
  { header: 'RAG', kind: 'rag', width: 8 },
  { header: 'Rule', kind: 'text', width: 60 },
];

function writeSummary(context: SheetContext, blocks: SummaryBlock[]): number {
  const sheet = new SheetWriter(context, 'Summary', SUMMARY_COLUMNS, [`RAG rating: ${RAG_RULE}`]);
  // The partnership block first, then the teams in the order the audit gives them.
  const ordered = [...blocks.filter((b) => b.scope === 'partnership'), ...blocks.filter((b) => b.scope !== 'partnership')];
  for (const block of ordered) {
    block.measures.forEach((measure: Measure, index) => {
      sheet.addRow(
        [
          block.scope === 'partnership' ? 'Partnership' : block.name,
          measure.label,
          measure.count,
          measure.denominator,
          measure.percentage,
          measure.rag,
          measure.rule,
        ],
        // A rule above the first measure of each block keeps the blocks apart without breaking the filter range.
        index === 0 ? { border: { top: { style: 'medium' } } } : undefined,
      );
    });
  }
  return sheet.finish();
}

// Plans --------------------------------------------------------------------------------------------------------

const PLANS_COLUMNS: ColumnSpec[] = [
  { header: 'Reference', kind: 'text', width: 18 },
  { header: 'Team', kind: 'text', width: 26 },
  { header: 'Allocated worker', kind: 'text', width: 22 },
  { header: 'Policy', kind: 'text', width: 12 },
  { header: 'Rules version', kind: 'text', width: 16 },
  { header: 'Plan type', kind: 'text', width: 17 },
  { header: 'Plan start', kind: 'date', width: 12 },
  { header: 'Plan end', kind: 'date', width: 12 },
  { header: 'Next due obligation', kind: 'text', width: 24 },
  { header: 'Next due date', kind: 'date', width: 13 },
  { header: 'Status', kind: 'text', width: 15 },
  { header: 'Days overdue', kind: 'int', width: 13 },
  { header: 'Escalation level', kind: 'text', width: 16 },
];

function plansCells(r: PlansRow): unknown[] {
  return [
    r.reference, r.team, r.worker, r.policy, r.rulesVersion, r.planType, r.planStart, r.planEnd,
    r.nextDueObligation, r.nextDueDate, r.nextDueStatus, r.daysOverdue, r.escalationLevel,
  ];
}

// Core groups --------------------------------------------------------------------------------------------------

const CORE_GROUP_COLUMNS: ColumnSpec[] = [
  { header: 'Reference', kind: 'text', width: 18 },
  { header: 'Team', kind: 'text', width: 26 },
  { header: 'Obligation', kind: 'text', width: 20 },
  { header: 'Due date', kind: 'date', width: 12 },
  { header: 'Held date', kind: 'date', width: 12 },
  { header: 'On time', kind: 'bool', width: 9 },
  { header: 'Working days late', kind: 'int', width: 12 },
  { header: 'Days since previous', kind: 'int', width: 12 },
  { header: 'Social care', kind: 'bool', width: 9 },
  { header: 'Health', kind: 'bool', width: 9 },
  { header: 'Education', kind: 'bool', width: 10 },
  { header: 'Police', kind: 'bool', width: 9 },
  { header: 'Other agencies', kind: 'text', width: 24 },
  { header: 'Parents present', kind: 'bool', width: 10 },
  { header: "Child's views recorded", kind: 'bool', width: 12 },
  { header: 'Record circulated', kind: 'date', width: 13 },
  { header: 'Record on time', kind: 'bool', width: 10 },
  { header: 'Quorate', kind: 'bool', width: 9 },
];

function coreGroupCells(r: CoreGroupRow): unknown[] {
  return [
    r.reference, r.team, r.obligation, r.dueDate, r.heldDate, r.onTime, r.workingDaysLate, r.daysSincePrevious,
    r.socialCare, r.health, r.education, r.police, r.otherAgencies, r.parentsPresent, r.childViewsRecorded,
    r.recordCirculatedOn, r.recordOnTime, r.quorate,
  ];
}

// Escalations --------------------------------------------------------------------------------------------------

const ESCALATION_COLUMNS: ColumnSpec[] = [
  { header: 'Reference', kind: 'text', width: 18 },
  { header: 'Team', kind: 'text', width: 26 },
  { header: 'Sent at', kind: 'instant', width: 17 },
  { header: 'Level', kind: 'text', width: 14 },
  { header: 'To roles', kind: 'text', width: 34 },
  { header: 'About', kind: 'text', width: 34 },
  { header: 'Resolved on', kind: 'date', width: 12 },
];

function escalationCells(r: EscalationRow): unknown[] {
  return [r.reference, r.team, r.sentAt, r.level, r.toRoles, r.about, r.resolvedOn];
}

// Agency attendance --------------------------------------------------------------------------------------------

function writeAgencyAttendance(context: SheetContext, month: YearMonth, rows: AgencyAttendanceRow[]): number {
  const months = rows[0]?.months.map((m) => m.month) ?? twelveMonthsEnding(month);
  const columns: ColumnSpec[] = [{ header: 'Agency', kind: 'text', width: 24 }];
  for (const m of months) {
    const label = shortMonth(m);
    columns.push({ header: `${label} invited`, kind: 'int', width: 11 }, { header: `${label} attended`, kind: 'int', width: 11 });
  }
  const sheet = new SheetWriter(context, 'Agency attendance', columns, [], 1);
  for (const row of rows) {
    const byMonth = new Map(row.months.map((m) => [m.month, m]));
    const cells: unknown[] = [row.agency];
    for (const m of months) {
      const entry = byMonth.get(m);
      cells.push(entry?.invited ?? 0, entry?.attended ?? 0);
    }
    sheet.addRow(cells);
  }
  return sheet.finish();
}

// Annex A List 7 -----------------------------------------------------------------------------------------------

/** AnnexARow's fields in the List 7 column order (ANNEX_A_COLUMNS gives the headers, one per field). */
const ANNEX_A_FIELDS: Array<{ field: keyof AnnexARow; kind: CellKind; width: number }> = [
  { field: 'childId', kind: 'text', width: 16 },
  { field: 'gender', kind: 'text', width: 10 },
  { field: 'ethnicity', kind: 'text', width: 16 },
  { field: 'dateOfBirth', kind: 'date', width: 12 },
  { field: 'disability', kind: 'text', width: 12 },
  { field: 'planStart', kind: 'date', width: 14 },
  { field: 'initialCategory', kind: 'category', width: 22 },
  { field: 'latestCategory', kind: 'category', width: 22 },
  { field: 'lastStatutoryVisit', kind: 'date', width: 14 },
  { field: 'seenAlone', kind: 'bool', width: 12 },
  { field: 'latestReviewConference', kind: 'date', width: 16 },
  { field: 'planEnd', kind: 'date', width: 12 },
  { field: 'emergencyProtectionLast6Months', kind: 'bool', width: 18 },
  { field: 'previousPlans', kind: 'int', width: 14 },
  { field: 'team', kind: 'text', width: 26 },
  { field: 'worker', kind: 'text', width: 22 },
];

function annexAColumns(): ColumnSpec[] {
  if (ANNEX_A_COLUMNS.length !== ANNEX_A_FIELDS.length) {
    throw new Error(
      `ANNEX_A_COLUMNS has ${ANNEX_A_COLUMNS.length} headers but the Annex A row has ${ANNEX_A_FIELDS.length} fields: they must match one to one`,
    );
  }
  return ANNEX_A_FIELDS.map((f, i) => ({ header: ANNEX_A_COLUMNS[i] ?? f.field, kind: f.kind, width: f.width }));
}

function annexACells(r: AnnexARow): unknown[] {
  return ANNEX_A_FIELDS.map((f) => r[f.field]);
}

// README -------------------------------------------------------------------------------------------------------

const README_COLUMNS: ColumnSpec[] = [
  { header: 'Sheet', kind: 'text', width: 20 },
  { header: 'Column', kind: 'text', width: 26 },
  { header: 'Meaning', kind: 'text', width: 80, wrap: true },
  { header: 'Rule', kind: 'text', width: 50, wrap: true },
];

function writeReadme(context: SheetContext): number {
  const sheet = new SheetWriter(context, 'README', README_COLUMNS);
  const guide = SHEET_GUIDE as ReadonlyArray<{ sheet: string; column: string; meaning: string; rule?: string }>;
  const bold: Partial<ExcelJS.Style> = { font: { bold: true } };
  for (const name of SHEET_NAMES) {
    sheet.addRow([name, '(sheet)', SHEET_DESCRIPTIONS[name], name === 'Summary' ? RAG_RULE : undefined], bold);
    for (const entry of guide.filter((g) => g.sheet === name)) sheet.addRow([entry.sheet, entry.column, entry.meaning, entry.rule]);
  }
  const known = new Set<string>(SHEET_NAMES);
  for (const entry of guide.filter((g) => !known.has(g.sheet))) sheet.addRow([entry.sheet, entry.column, entry.meaning, entry.rule]);
  const notes: Array<[string, string]> = [
    ['Yes/No', 'True/false answers (on time, agencies present, quorate, seen alone...) are written as the text "Yes" or "No"; an empty cell means not recorded.'],
    ['Dates', 'Dates are Excel dates shown dd/mm/yyyy (Europe/London days). Times (e.g. when an escalation was sent) are Europe/London local time, shown dd/mm/yyyy hh:mm.'],
    ['Numbers', 'Counts and days are numbers; percentages are numbers from 0 to 100 shown to one decimal place.'],
    [
      'Text',
      'Text from case systems (names, teams, references, agencies, notes...) was neutralised: any text beginning with =, +, -, @, a tab or a carriage return is prefixed with a single quote (\') so spreadsheet programs show it as text and never run it as a formula (OWASP CSV injection guidance). No cell in this workbook holds a formula.',
    ],
    ['Filters', 'Every sheet has a filter on its header row, which stays in view (frozen) while scrolling.'],
  ];
  for (const [column, meaning] of notes) sheet.addRow(['All sheets', column, meaning, undefined]);
  return sheet.finish();
}

// ---------------------------------------------------------------------------------------------------------------
// Writing cells

type CellKind = 'text' | 'date' | 'instant' | 'int' | 'percent' | 'bool' | 'rag' | 'category';

interface ColumnSpec {
  header: string;
  kind: CellKind;
  width: number;
  wrap?: boolean;
}

interface SheetContext {
  workbook: ExcelJS.stream.xlsx.WorkbookWriter;
  partnershipName: string;
  /** e.g. 'March 2026' */
  monthTitle: string;
  /** e.g. 'Generated 01/04/2026 07:30 Europe/London' */
  generated: string;
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

/** One worksheet: title and generated rows, any extra preamble, the frozen header row, then committed data rows. */
class SheetWriter {
  private readonly worksheet: ExcelJS.Worksheet;
  private readonly headerRow: number;
  private nextRow = 1;
  private dataRows = 0;

  constructor(
    context: SheetContext,
    name: SheetName,
    private readonly columns: ColumnSpec[],
    preamble: string[] = [],
    frozenColumns = 0,
  ) {
    this.headerRow = 2 + preamble.length + 1;
    const view: ExcelJS.WorksheetViewFrozen = { state: 'frozen', ySplit: this.headerRow };
    if (frozenColumns > 0) view.xSplit = frozenColumns;
    this.worksheet = context.workbook.addWorksheet(name, { views: [view] });
    this.worksheet.columns = columns.map((c) => ({ width: c.width }));

    this.writeLine(`${name} — ${context.partnershipName} — ${context.monthTitle}`, { font: { bold: true, size: 14 } });
    this.writeLine(context.generated, { font: { italic: true, color: { argb: 'FF595959' } } });
    for (const line of preamble) this.writeLine(line, { font: { bold: true } });

    const header = this.worksheet.getRow(this.nextRow++);
    columns.forEach((column, i) => {
      const cell = header.getCell(i + 1);
      cell.value = text(column.header);
      cell.style = HEADER_STYLE;
    });
    header.commit();
  }

  addRow(values: unknown[], style?: Partial<ExcelJS.Style>): void {
    const row = this.worksheet.getRow(this.nextRow++);
    this.columns.forEach((column, i) => {
      const cell = row.getCell(i + 1);
      if (style) cell.style = { ...style };
      setCell(cell, column, values[i]);
    });
    row.commit();
    this.dataRows += 1;
  }

  /** Sets the filter over the header and data, commits the sheet, and returns its data row count. */
  finish(): number {
    this.worksheet.autoFilter = {
      from: { row: this.headerRow, column: 1 },
      to: { row: this.headerRow + this.dataRows, column: this.columns.length },
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

function setCell(cell: ExcelJS.Cell, column: ColumnSpec, value: unknown): void {
  if (column.wrap) cell.alignment = { vertical: 'top', wrapText: true };
  if (value === undefined || value === null || value === '') return;
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
    case 'category':
      if (typeof value === 'string') {
        cell.value = text(annexACategory(value) ?? value);
        return;
      }
      break;
    case 'text':
      break;
  }
  // Text, or a value of an unexpected type: written as neutralised text, never as a formula or rich value.
  cell.value = text(typeof value === 'boolean' ? (value ? 'Yes' : 'No') : String(value));
}

/** Every string reaches a cell through here. */
function text(value: string): string {
  const safe = neutralise(value);
  return safe.length > MAX_CELL_TEXT ? `${safe.slice(0, MAX_CELL_TEXT - 1)}…` : safe;
}

/** A civil date as a JS Date at UTC midnight, which exceljs writes as the whole-day Excel serial. */
function excelDate(value: IsoDate): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : undefined;
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

function londonParts(instant: Date): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
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

const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

function splitMonth(month: YearMonth): { year: number; index: number } {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  const index = match ? Number(match[2]) - 1 : -1;
  if (!match || index < 0 || index > 11) throw new Error(`"${month}" is not a month: expected YYYY-MM`);
  return { year: Number(match[1]), index };
}

/** '2026-03' → 'March 2026' */
function monthTitle(month: YearMonth): string {
  const { year, index } = splitMonth(month);
  return `${MONTH_NAMES[index]} ${year}`;
}

/** '2026-03' → 'Mar 2026' */
function shortMonth(month: YearMonth): string {
  const { year, index } = splitMonth(month);
  return `${(MONTH_NAMES[index] ?? '').slice(0, 3)} ${year}`;
}

function twelveMonthsEnding(month: YearMonth): YearMonth[] {
  const { year, index } = splitMonth(month);
  const months: YearMonth[] = [];
  for (let back = 11; back >= 0; back--) {
    const total = year * 12 + index - back;
    months.push(`${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`);
  }
  return months;
}
