/**
 * Bulk import of a case-system extract: each row is mapped to a plan event, validated with PlanEventSchema and
 * recorded through `recordEvents` on its own (a rejected row changes nothing; the others still go in). Row ids are
 * the extract's own (when mapped) or derived from the row's content, so importing the same file twice records
 * nothing new ('duplicate'). A row-by-row report is written next to the input: `<FILE>.report.csv`.
 *
 * Hostile and broken input (issue 9), decided here and in read-rows.ts / decode-text.ts:
 * - A file that cannot be imported as it is (not UTF-8 and no UTF-16 byte order mark, CSV syntax broken, a workbook
 *   that cannot be read to the end, a mapped column missing from its header) is refused before any row is imported
 *   (ExtractError; no report is written).
 * - A row is rejected, with its reason in the report, when a mapped cell holds a NUL character or an unpaired
 *   surrogate (PostgreSQL cannot store either: the row would fail in the database, not here), when it has more cells
 *   than the header (an unquoted comma shifts every cell after it), or for any reason the event itself is refused.
 * - Text that a spreadsheet would run as a formula is stored as the text it is; every cell of the report is
 *   neutralised, and the workbook's sheet writer neutralises every string it writes (reports/sheet-writer.ts).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import type { PrismaClient } from '../../platform/database';
import { isIsoDate } from '../../domain/calendar';
import type { IsoDate } from '../../domain/types';
import { precedesItsMeeting, unsafeTextFound, withUnsafeTextReplaced } from '../../domain/input-policy';
import { formatPath, PlanEventSchema } from '../../domain/evaluate-input';
import { isRefusal } from '../../domain/refusal';
import { recordEvents } from '../plan-data';
import type { IdentifiedEvent } from '../../domain/types';
import type { DateFormat, Mapping } from './mapping';
import { checkExtract, ExtractError, fileKind, readRows, type SourceRow } from './read-rows';

export type RowOutcome = 'recorded' | 'duplicate' | 'rejected';

export interface ImportSummary {
  rows: number;
  recorded: number;
  duplicates: number;
  rejected: number;
}

export interface ImportResult {
  summary: ImportSummary;
  reportPath: string;
  /** How the best-effort relay went: delivered count, or why it did not (the worker's relay delivers later). */
  relay: { delivered: number } | { error: string } | { skipped: true };
}

export interface ImportOptions {
  prisma: PrismaClient;
  file: string;
  mapping: Mapping;
  /** Called after each row with the running summary. */
  onProgress?: (summary: Readonly<ImportSummary>) => void;
  /** Today in Europe/London: an event dated after it is refused (it cannot have happened yet). */
  today: IsoDate;
  /** Delivers the newly recorded events to their workflows now; returns how many were delivered. */
  relay?: (recordedIds: readonly string[]) => Promise<number>;
}

interface RowResult {
  planReference: string;
  eventId: string;
  outcome: RowOutcome;
  field: string;
  reason: string;
}

/** A row that cannot become an event: `field` is the mapping field (or event field) at fault. */
class RowProblem extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export function reportPathFor(file: string): string {
  return `${file}.report.csv`;
}

export async function importFile(options: ImportOptions): Promise<ImportResult> {
  const { prisma, file, mapping, onProgress, relay, today } = options;
  const reportPath = reportPathFor(file);
  // Refuses a file that cannot be imported as it is (ExtractError, UnsupportedFileError) before the report is begun.
  const { headers } = await checkExtract(file);
  checkColumns(file, mapping, headers);
  const shape: RowShape = { headers: headers.length, kind: fileKind(file) };
  const summary: ImportSummary = { rows: 0, recorded: 0, duplicates: 0, rejected: 0 };
  const recordedIds: string[] = [];
  const report = fs.openSync(reportPath, 'w');
  try {
    fs.writeSync(report, reportLine(['row', 'planReference', 'eventId', 'outcome', 'field', 'reason']));
    for await (const row of readRows(file)) {
      const result = await importRow(prisma, mapping, row, shape, today);
      summary.rows += 1;
      if (result.outcome === 'recorded') {
        summary.recorded += 1;
        recordedIds.push(result.eventId);
      } else if (result.outcome === 'duplicate') summary.duplicates += 1;
      else summary.rejected += 1;
      fs.writeSync(
        report,
        reportLine([
          String(row.rowNumber),
          result.planReference,
          result.eventId,
          result.outcome,
          result.field,
          result.reason,
        ]),
      );
      onProgress?.(summary);
    }
  } finally {
    fs.closeSync(report);
  }
  let relayed: ImportResult['relay'] = { skipped: true };
  if (relay && recordedIds.length > 0) {
    try {
      relayed = { delivered: await relay(recordedIds) };
    } catch (error) {
      relayed = { error: error instanceof Error ? error.message : String(error) };
    }
  }
  return { summary, reportPath, relay: relayed };
}

/** The columns the mapping names, each of which the header must hold exactly once. */
function mappedColumns(mapping: Mapping): Array<[field: string, column: string]> {
  const columns: Array<[string, string | undefined]> = [
    ['planReference', mapping.planReference],
    ['eventType', mapping.eventType.column],
    ['eventDate', mapping.eventDate.column],
    ['eventId', mapping.eventId],
    ['meetingOn', mapping.meetingOn],
    ['seenAlone', mapping.seenAlone],
    ['parentsPresent', mapping.parentsPresent],
    ['detail', mapping.detail],
    ['person', mapping.person],
    ['role', mapping.role],
    ['agency', mapping.agency],
    ['team', mapping.team],
    ['interval', mapping.interval],
  ];
  return columns.filter((c): c is [string, string] => c[1] !== undefined);
}

/**
 * A mapping that names a column the file does not have (or has twice) fits another extract: refused as a whole,
 * rather than every row rejected for an empty cell.
 */
function checkColumns(file: string, mapping: Mapping, headers: readonly string[]): void {
  const problems = mappedColumns(mapping).flatMap(([field, column]) => {
    const count = headers.filter((h) => h === column).length;
    if (count === 1) return [];
    return [`${field}: the header ${count === 0 ? 'has no' : 'has more than one'} column '${column}'`];
  });
  if (problems.length > 0) {
    throw new ExtractError(
      `${file} does not fit the mapping:\n${problems.join('\n')}\n(the header: ${headers.join(', ')}). Nothing was imported.`,
    );
  }
}

interface RowShape {
  headers: number;
  kind: 'csv' | 'xlsx';
}

async function importRow(
  prisma: PrismaClient,
  mapping: Mapping,
  row: SourceRow,
  shape: RowShape,
  today: IsoDate,
): Promise<RowResult> {
  const planReference = (row.values[mapping.planReference] ?? '').trim();
  let eventId = '';
  try {
    if (row.cells > shape.headers) {
      const hint = shape.kind === 'csv' ? ': a cell holding a comma must be quoted' : '';
      throw new RowProblem('(row)', `the row has ${row.cells} cells, the header ${shape.headers}${hint}`);
    }
    if (planReference === '') throw new RowProblem('planReference', `column '${mapping.planReference}' is empty`);
    const event = buildEvent(mapping, row);
    eventId = event.id;
    const [outcome] = await recordEvents(prisma, planReference, [event], today);
    return { planReference, eventId, outcome: outcome ?? 'recorded', field: '', reason: '' };
  } catch (error) {
    if (error instanceof RowProblem)
      return { planReference, eventId, outcome: 'rejected', field: error.field, reason: error.message };
    if (isRefusal(error)) {
      return { planReference, eventId, outcome: 'rejected', field: error.field, reason: error.reason };
    }
    throw error;
  }
}

/** Maps one row to a validated event with its id. Throws RowProblem. */
export function buildEvent(mapping: Mapping, row: Pick<SourceRow, 'values'>): IdentifiedEvent {
  for (const [field, column] of mappedColumns(mapping)) {
    // What PostgreSQL (or the workbook) cannot store: the one input policy's rule. Decoding already refuses NUL and
    // unpaired surrogates in a CSV file; this holds for any reader (a workbook's XML, a future source).
    const problem = unsafeTextFound(row.values[column] ?? '');
    if (problem !== undefined)
      throw new RowProblem(field, `column '${column}' contains ${problem}, which cannot be stored`);
  }
  const cell = (column: string): string => (row.values[column] ?? '').trim();
  const planReference = cell(mapping.planReference);

  const code = cell(mapping.eventType.column);
  if (code === '') throw new RowProblem('eventType', `column '${mapping.eventType.column}' is empty`);
  let type: string = code;
  if (mapping.eventType.values) {
    const mapped = mapping.eventType.values[code];
    if (mapped === undefined) {
      throw new RowProblem(
        'eventType',
        `${JSON.stringify(code)} is not a code in the mapping (one of ${Object.keys(mapping.eventType.values).join(', ')})`,
      );
    }
    type = mapped;
  }

  const candidate: Record<string, unknown> = {
    type,
    on: toIsoDate(cell(mapping.eventDate.column), mapping.eventDate.dateFormat, 'eventDate', mapping.eventDate.column),
  };
  const optional = (column: string | undefined): string | undefined => {
    const value = column === undefined ? '' : cell(column);
    return value === '' ? undefined : value;
  };
  // Only the fields the event type has: an extract's columns are shared by every kind of row.
  const meetingOn = optional(mapping.meetingOn);
  if (
    (type === 'record-circulated' || type === 'minutes-received') &&
    meetingOn !== undefined &&
    mapping.meetingOn !== undefined
  ) {
    candidate['meetingOn'] = toIsoDate(meetingOn, mapping.eventDate.dateFormat, 'meetingOn', mapping.meetingOn);
  }
  const seenAlone = optional(mapping.seenAlone);
  if (type === 'child-seen' && seenAlone !== undefined) candidate['seenAlone'] = toBoolean(seenAlone, 'seenAlone');
  const parentsPresent = optional(mapping.parentsPresent);
  if (type === 'core-group-held' && parentsPresent !== undefined)
    candidate['parentsPresent'] = toBoolean(parentsPresent, 'parentsPresent');
  const detail = optional(mapping.detail);
  if (type === 'non-engagement-reported' && detail !== undefined) candidate['detail'] = detail;
  if (type === 'core-group-cancelled' && detail !== undefined) candidate['reason'] = detail;
  // Issue 10's events: who, which role, which agency, which team, how often.
  const person = optional(mapping.person);
  if ((type === 'worker-allocated' || type === 'member-joined' || type === 'member-left') && person !== undefined)
    candidate['person'] = person;
  const role = optional(mapping.role);
  if (type === 'worker-allocated' && role !== undefined) candidate['role'] = role;
  const agency = optional(mapping.agency);
  if ((type === 'member-joined' || type === 'member-left') && agency !== undefined) candidate['agency'] = agency;
  if (type === 'access-denied' && agency !== undefined) candidate['by'] = agency;
  const team = optional(mapping.team);
  if (type === 'team-changed' && team !== undefined) candidate['team'] = team;
  const interval = optional(mapping.interval);
  if (type === 'cadence-set' && interval !== undefined) candidate['interval'] = toInterval(interval);

  const parsed = PlanEventSchema.safeParse(candidate, { reportInput: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RowProblem(formatPath(issue.path) === '(input)' ? 'type' : formatPath(issue.path), issue.message);
  }
  const event = parsed.data;
  if (precedesItsMeeting(event)) {
    throw new RowProblem(
      'on',
      `${event.type} on ${event.on}, before the meeting it is about (meetingOn ${event.meetingOn})`,
    );
  }
  const mappedId = mapping.eventId === undefined ? '' : cell(mapping.eventId);
  const id = mappedId !== '' ? mappedId : deterministicId(planReference, event);
  return { ...event, id };
}

/** '4 weeks', '28 days', '1 month' -> an interval the policy files' way; anything else names the column. */
function toInterval(text: string): unknown {
  const match = /^(\d{1,3})\s*(day|week|month)s?$/i.exec(text);
  if (!match)
    throw new RowProblem(
      'interval',
      `${JSON.stringify(text)} is not an interval such as '4 weeks', '28 days' or '1 month'`,
    );
  const n = Number(match[1]);
  const unit = match[2]!.toLowerCase();
  return unit === 'day' ? { days: n } : unit === 'week' ? { weeks: n } : { months: n };
}

/** `imp-` + sha256 of the plan reference and the event's content: the same row always gets the same id. */
function deterministicId(planReference: string, event: Record<string, unknown>): string {
  const { type, on, ...rest } = event;
  const values = Object.keys(rest)
    .filter((k) => k !== 'id' && rest[k] !== undefined)
    .sort()
    .map((k) => `${k}=${JSON.stringify(rest[k])}`);
  const text = [planReference, String(type), String(on), ...values].join('|');
  return `imp-${createHash('sha256').update(text).digest('hex')}`;
}

const DMY = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const YMD = /^\d{4}-\d{2}-\d{2}$/;

/** The mapped format, or ISO (XLSX date cells arrive as ISO dates whatever the mapping says). */
function toIsoDate(value: string, format: DateFormat, field: string, column: string): string {
  if (value === '') throw new RowProblem(field, `column '${column}' is empty`);
  let iso: string | undefined;
  if (YMD.test(value)) iso = value;
  else if (format === 'DD/MM/YYYY') {
    const m = DMY.exec(value);
    if (m) iso = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  }
  if (iso === undefined) throw new RowProblem(field, `${JSON.stringify(value)} is not a date in ${format} form`);
  if (!isIsoDate(iso)) throw new RowProblem(field, `${JSON.stringify(value)} is not a real date`);
  return iso;
}

const TRUE = new Set(['y', 'yes', 'true', '1']);
const FALSE = new Set(['n', 'no', 'false', '0']);

function toBoolean(value: string, field: string): boolean {
  const v = value.toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new RowProblem(field, `${JSON.stringify(value)} is not a yes/no value (Y/N, Yes/No, true/false, 1/0)`);
}

/**
 * One line of the report, written by csv-stringify: RFC 4180 quoting (a cell holding a comma, a double quote, a CR
 * or a LF is quoted, its quotes doubled; csv-stringify alone would leave a lone line break unquoted, hence
 * `quoted_match`), CRLF line ends. A cell starting with = + - @ tab or CR is prefixed with `'` so a spreadsheet
 * shows it as text instead of running it as a formula.
 */
function reportLine(cells: readonly string[]): string {
  return stringify([cells.map((cell) => neutralise(withUnsafeTextReplaced(cell)))], {
    record_delimiter: 'windows',
    quoted_match: /[\r\n]/,
  });
}

export function neutralise(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
