/**
 * The audit workbook, written by exceljs and read back by an independent reader (Python's openpyxl, through
 * test/support/read-xlsx.py; scripts/setup.sh installs it): sheet order, frozen filtered headers, real dates, numbers,
 * no formulas anywhere, hostile text from case systems arriving as inert text, Annex A List 7 as the template (header
 * in row 1, codes, no blank required field), every sheet's declared dimension and every row's every column (from the
 * unzipped sheet XML), and a failure mid-write leaving nothing behind.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getPolicy, rulesVersionOf } from '../../domain/policies';
import { CATEGORY_CODES } from '../../domain/annex-a';
import { annexARow } from '../../reports/annex-a';
import { RAG_RULE } from '../../reports/measures';
import { neutralise } from '../../reports/sheet-writer';
import { ANNEX_A_COLUMNS, annexACells } from '../../reports/sheets/annex-a';
import type { AnnexAPlanInput, ReportPlanInput } from '../../reports/types';
import { type AuditWorkbookSource, writeAuditWorkbook } from '../../reports/workbook';
import { REQUIRED_HEADERS } from '../support/annex-a-template';
import { type ReadCell, type ReadSheet, readXlsx } from '../support/read-xlsx';

/** The fixtures' plans are all registered under England's current rules. */
const ENGLAND_RULES = rulesVersionOf(getPolicy('england'));

const SHEETS = ['Summary', 'Plans', 'Core groups', 'Escalations', 'Agency attendance', 'Annex A List 7', 'README'];
const PARTNERSHIP = 'Testshire Safeguarding Partnership';
const MONTH = '2026-03';
const GENERATED_AT = new Date('2026-04-01T06:30:00Z'); // 07:30 BST

/** Text a case system might hold, each of which a spreadsheet would run as a formula if written as it is. */
const HOSTILE = {
  team: '=HYPERLINK("http://evil","x")',
  worker: '+1+1',
  agency: '@SUM(A1)',
  reference: '-2+3-CW-0002',
  detail: "\t\r=cmd|' /C calc'!A0",
};

function plans(): ReportPlanInput[] {
  return [
    {
      planId: 'CW-2026-0001',
      teamId: 'team-a',
      teamName: 'Assessment Team A',
      workerName: 'Sam Worker',
      policyId: 'england',
      rulesVersion: ENGLAND_RULES,
      type: 'child-protection',
      startedOn: '2026-01-05',
      events: [
        {
          id: 'e1',
          type: 'core-group-held',
          on: '2026-01-14',
          parentsPresent: true,
          childViewsRecorded: true,
          attendance: {
            socialWorkerPresent: true,
            present: [
              { agency: 'social-care', role: 'social worker' },
              { agency: 'health', role: 'health visitor' },
              { agency: 'education' },
              { agency: 'police' },
            ],
          },
        },
        { id: 'e2', type: 'record-circulated', on: '2026-01-16', meetingOn: '2026-01-14' },
        { id: 'e3', type: 'child-seen', on: '2026-01-20', seenAlone: true },
        { id: 'e4', type: 'child-seen', on: '2026-02-10', seenAlone: true },
        {
          id: 'e5',
          type: 'core-group-held',
          on: '2026-02-11',
          parentsPresent: false,
          attendance: {
            socialWorkerPresent: true,
            present: [{ agency: 'social-care' }, { agency: 'health' }],
            apologies: [{ agency: 'education', writtenReport: true }],
          },
        },
        { id: 'e6', type: 'record-circulated', on: '2026-02-20', meetingOn: '2026-02-11' },
        { id: 'e7', type: 'child-seen', on: '2026-03-03', seenAlone: false },
        {
          id: 'e8',
          type: 'core-group-held',
          on: '2026-03-10',
          attendance: { socialWorkerPresent: true, present: [{ agency: 'social-care' }, { agency: 'police' }] },
        },
        { id: 'e9', type: 'review-conference-held', on: '2026-03-25' },
      ],
      child: {
        localChildId: 'LCID-0001',
        gender: 'female',
        ethnicity: 'WBRI',
        dateOfBirth: '2015-06-01',
        disability: 'no',
      },
      annexA: {
        initialCategory: 'neglect',
        latestCategory: 'emotional',
        emergencyProtectionLast6Months: 'no',
        previousPlans: 1,
      },
      members: [
        { agency: 'social-care', role: 'social worker' },
        { agency: 'health' },
        { agency: 'education' },
        { agency: 'police' },
      ],
      notifications: [
        {
          key: 'CW-2026-0001|core-group#3|reminder',
          subject: 'core-group#3',
          level: 'reminder',
          status: 'sent',
          recipients: [{ role: 'social-worker', email: 'sam.worker@council.test' }],
          sentAt: '2026-03-02T09:00:00.000Z',
        },
      ],
    },
    {
      planId: HOSTILE.reference,
      teamId: 'team-evil',
      teamName: HOSTILE.team,
      workerName: HOSTILE.worker,
      policyId: 'england',
      rulesVersion: ENGLAND_RULES,
      type: 'child-protection',
      startedOn: '2026-02-02',
      events: [
        {
          id: 'h1',
          type: 'core-group-held',
          on: '2026-02-24',
          parentsPresent: false,
          attendance: {
            socialWorkerPresent: true,
            present: [{ agency: 'social-care' }, { agency: HOSTILE.agency, role: '-role' }],
          },
        },
        { id: 'h2', type: 'non-engagement-reported', on: '2026-03-05', detail: HOSTILE.detail },
        {
          id: 'h3',
          type: 'core-group-held',
          on: '2026-03-12',
          parentsPresent: true,
          childViewsRecorded: false,
          attendance: {
            socialWorkerPresent: true,
            present: [{ agency: 'social-care' }, { agency: 'health' }, { agency: HOSTILE.agency }],
          },
        },
      ],
      child: {
        localChildId: '@LCID-0002',
        gender: 'male',
        ethnicity: 'MWBC',
        dateOfBirth: '2019-11-30',
        disability: 'yes',
      },
      annexA: {
        initialCategory: 'physical',
        latestCategory: 'multiple',
        emergencyProtectionLast6Months: 'yes',
        previousPlans: 0,
      },
      members: [
        { agency: 'social-care', role: 'social worker' },
        { agency: HOSTILE.agency, role: 'youth worker' },
      ],
      notifications: [
        {
          key: `${HOSTILE.reference}|core-group#2|escalation`,
          subject: 'core-group#2',
          level: 'escalation',
          status: 'sent',
          recipients: [{ role: 'social-worker' }, { role: 'team-manager' }],
          sentAt: '2026-03-30T08:05:00.000Z', // 09:05 BST
        },
        {
          key: `${HOSTILE.reference}|non-engagement@2026-03-05#h2|escalation`,
          subject: 'non-engagement@2026-03-05#h2',
          level: 'escalation',
          status: 'sent',
          recipients: [{ role: 'team-manager' }],
          sentAt: '2026-03-06T10:00:00.000Z',
        },
      ],
    },
    {
      planId: 'CW-2025-0117',
      teamId: 'team-a',
      teamName: 'Assessment Team A',
      policyId: 'england',
      rulesVersion: ENGLAND_RULES,
      type: 'child-protection',
      startedOn: '2025-10-06',
      endedOn: '2026-03-16',
      events: [
        {
          id: 'c1',
          type: 'core-group-held',
          on: '2025-10-16',
          attendance: { socialWorkerPresent: true, present: [{ agency: 'social-care' }, { agency: 'health' }] },
        },
        { id: 'c2', type: 'record-circulated', on: '2025-10-20', meetingOn: '2025-10-16' },
        {
          id: 'c3',
          type: 'core-group-held',
          on: '2025-11-20',
          attendance: { socialWorkerPresent: true, present: [{ agency: 'social-care' }] },
        },
        { id: 'c4', type: 'review-conference-held', on: '2025-12-15' },
        { id: 'c5', type: 'review-conference-held', on: '2026-03-16' },
        { id: 'c6', type: 'plan-ended', on: '2026-03-16' },
      ],
      child: { localChildId: 'LCID-0003', gender: 'Male', dateOfBirth: '2012-02-29' },
      annexA: { initialCategory: 'sexual', previousPlans: 2 },
      members: [{ agency: 'social-care', role: 'social worker' }, { agency: 'health' }],
      notifications: [],
    },
  ];
}

/** What services/plan-data's annexAPlans gives, from plans in memory: open on `asOf`, by child, latest first. */
function annexAOrder(items: readonly ReportPlanInput[], asOf: string): AnnexAPlanInput[] {
  return items
    .filter((p) => annexARow(p, asOf) !== undefined)
    .sort(
      (a, b) =>
        (a.child.localChildId < b.child.localChildId ? -1 : a.child.localChildId > b.child.localChildId ? 1 : 0) ||
        (a.startedOn < b.startedOn ? 1 : a.startedOn > b.startedOn ? -1 : 0),
    )
    .map((p) => structuredClone(p));
}

function memorySource(
  items: ReportPlanInput[],
  overrides: Partial<AuditWorkbookSource> = {},
): AuditWorkbookSource & { passes: number } {
  const source = {
    partnershipName: PARTNERSHIP,
    month: MONTH,
    generatedAt: GENERATED_AT,
    planCount: items.length,
    passes: 0,
    annexAPlans: (asOf: string): AsyncIterable<AnnexAPlanInput> =>
      (async function* () {
        for (const item of annexAOrder(items, asOf)) {
          await Promise.resolve();
          yield item;
        }
      })(),
    plans(): AsyncIterable<ReportPlanInput> {
      source.passes += 1;
      return (async function* () {
        for (const item of items) {
          await Promise.resolve();
          yield structuredClone(item);
        }
      })();
    },
    ...overrides,
  };
  return source;
}

/** The required headers a List 7 row (header -> cell) leaves blank. */
function blankRequired(row: Record<string, ReadCell | undefined>): string[] {
  return REQUIRED_HEADERS.filter((h) => {
    const v = row[h]?.value;
    return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
  });
}

function columnLetter(column: number): string {
  let name = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

const ANNEX_A = 'Annex A List 7';
/** The Summary has its RAG rule above the header; Annex A, as the template, nothing. */
const headerRowOf = (name: string) => (name === 'Summary' ? 4 : name === ANNEX_A ? 1 : 3);
const sheet = (sheets: ReadSheet[], name: string): ReadSheet => {
  const found = sheets.find((s) => s.name === name);
  if (!found) throw new Error(`no sheet ${name}`);
  return found;
};
const rowCells = (s: ReadSheet, row: number) =>
  s.cells.filter((c) => c.row === row).sort((a, b) => a.column - b.column);
const headers = (s: ReadSheet) => rowCells(s, headerRowOf(s.name)).map((c) => c.value);
/** Data cells of the column with this header. */
function columnCells(s: ReadSheet, header: string): ReadCell[] {
  const h = rowCells(s, headerRowOf(s.name)).find((c) => c.value === header);
  if (!h) throw new Error(`${s.name} has no column "${header}" (headers: ${JSON.stringify(headers(s))})`);
  return s.cells.filter((c) => c.column === h.column && c.row > headerRowOf(s.name));
}
/** The data row whose first cell is `key`, as header → cell. */
function rowByKey(s: ReadSheet, key: string): Record<string, ReadCell | undefined> {
  const first = s.cells.find((c) => c.column === 1 && c.row > headerRowOf(s.name) && c.value === key);
  if (!first) throw new Error(`${s.name} has no row for ${JSON.stringify(key)}`);
  const byHeader: Record<string, ReadCell | undefined> = {};
  for (const h of rowCells(s, headerRowOf(s.name)))
    byHeader[String(h.value)] = s.cells.find((c) => c.row === first.row && c.column === h.column);
  return byHeader;
}

describe('writeAuditWorkbook', () => {
  let dir: string;
  let file: string;
  let sheets: ReadSheet[];
  let rowCounts: Record<string, number>;
  let source: ReturnType<typeof memorySource>;
  const progress: Array<{ phase: string; done: number; total?: number }> = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corewatch-workbook-'));
    file = path.join(dir, 'audit.xlsx');
    source = memorySource(plans());
    ({ rowCounts } = await writeAuditWorkbook(file, source, (p) => progress.push(p)));
    sheets = readXlsx(file);
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes the sheets in order, renames the partial file into place and leaves nothing else', () => {
    expect(sheets.map((s) => s.name)).toEqual(SHEETS);
    expect(fs.readdirSync(dir)).toEqual(['audit.xlsx']);
    // One pass for the Summary and Agency attendance, then one per row sheet; Annex A reads its own stream.
    expect(source.passes).toBe(4);
    expect([...new Set(progress.map((p) => p.phase))]).toEqual([...SHEETS, 'saving']);
    expect(progress.filter((p) => p.phase === 'Plans').at(-1)).toEqual({ phase: 'Plans', done: 3, total: 3 });
  });

  it('puts a title, the generation time and a frozen, filtered header on every sheet but Annex A; row counts match', () => {
    expect(Object.keys(rowCounts).sort()).toEqual([...SHEETS].sort());
    for (const s of sheets) {
      const h = headerRowOf(s.name);
      if (s.name !== ANNEX_A) {
        expect(rowCells(s, 1)[0]?.value).toBe(`${s.name} — ${PARTNERSHIP} — March 2026`);
        expect(rowCells(s, 2)[0]?.value).toBe('Generated 01/04/2026 07:30 Europe/London');
      }
      expect(s.freeze_panes).toBe(`${s.name === 'Agency attendance' ? 'B' : 'A'}${h + 1}`);
      const count = rowCounts[s.name] ?? -1;
      expect(s.max_row).toBe(h + count);
      expect(s.auto_filter).toBe(`A${h}:${columnLetter(s.max_column)}${h + count}`);
      expect(rowCells(s, h).length).toBe(s.max_column);
      expect(rowCells(s, h).every((c) => c.bold)).toBe(true);
    }
    expect(rowCounts.Plans).toBe(3);
    expect(rowCounts['Core groups']).toBeGreaterThanOrEqual(2);
    expect(rowCounts.Escalations).toBeGreaterThanOrEqual(1);
    // The two children on a plan on 31 March (CW-2025-0117 ended on the 16th).
    expect(rowCounts[ANNEX_A]).toBe(2);
    expect(rowCounts['Agency attendance']).toBeGreaterThanOrEqual(4);
  });

  it("declares every sheet's dimension, as its cells cover it, so readers that size a sheet from it read it all", () => {
    for (const s of sheets) {
      const h = headerRowOf(s.name);
      const extent = `A1:${columnLetter(s.max_column)}${h + (rowCounts[s.name] ?? 0)}`;
      expect({ sheet: s.name, dimension: s.dimension }).toEqual({ sheet: s.name, dimension: extent });
      expect(s.xml_extent).toBe(extent);
      expect(s.read_only_dimension).toBe(extent);
    }
  });

  it('writes every column of every row from the header down, blank cells included (the unzipped sheet XML)', () => {
    for (const s of sheets) {
      const h = headerRowOf(s.name);
      const rows = Object.entries(s.xml_cells_per_row).filter(([row]) => Number(row) >= h);
      expect(rows.length).toBe(1 + (rowCounts[s.name] ?? 0));
      for (const [row, count] of rows)
        expect({ sheet: s.name, row, count }).toEqual({ sheet: s.name, row, count: s.max_column });
    }
    // Annex A's header is row 1: nothing above it.
    expect(
      Object.keys(sheet(sheets, ANNEX_A).xml_cells_per_row)
        .map(Number)
        .sort((a, b) => a - b)[0],
    ).toBe(1);
  });

  it('names the columns of every sheet', () => {
    expect(headers(sheet(sheets, 'Summary'))).toEqual([
      'Scope',
      'Measure',
      'Count',
      'Denominator',
      'Percentage',
      'RAG',
      'Rule',
    ]);
    expect(headers(sheet(sheets, 'Plans'))).toEqual([
      'Reference',
      'Team',
      'Allocated worker',
      'Policy',
      'Rules version',
      'Plan type',
      'Plan start',
      'Plan end',
      'Next due obligation',
      'Next due date',
      'Status',
      'Days overdue',
      'Escalation level',
    ]);
    expect(headers(sheet(sheets, 'Core groups'))).toEqual([
      'Reference',
      'Team',
      'Obligation',
      'Due date',
      'Held date',
      'On time',
      'Working days late',
      'Days since previous',
      'Social care',
      'Health',
      'Education',
      'Police',
      'Other agencies',
      'Parents present',
      "Child's views recorded",
      'Record circulated',
      'Record on time',
      'Quorum',
      'Held, did not count',
    ]);
    expect(headers(sheet(sheets, 'Escalations'))).toEqual([
      'Reference',
      'Team',
      'Sent at',
      'Level',
      'To roles',
      'About',
      'Resolved on',
    ]);
    const months = [
      'Apr 2025',
      'May 2025',
      'Jun 2025',
      'Jul 2025',
      'Aug 2025',
      'Sep 2025',
      'Oct 2025',
      'Nov 2025',
      'Dec 2025',
      'Jan 2026',
      'Feb 2026',
      'Mar 2026',
    ];
    expect(headers(sheet(sheets, 'Agency attendance'))).toEqual([
      'Agency',
      ...months.flatMap((m) => [`${m} invited`, `${m} attended`]),
    ]);
    expect(headers(sheet(sheets, 'Annex A List 7'))).toEqual([...ANNEX_A_COLUMNS]);
    expect(headers(sheet(sheets, 'README'))).toEqual(['Sheet', 'Column', 'Meaning', 'Rule']);
  });

  it('writes dates as real Excel dates shown dd/mm/yyyy, and sending times in Europe/London', () => {
    const plansSheet = sheet(sheets, 'Plans');
    const first = rowByKey(plansSheet, 'CW-2026-0001');
    expect(first['Plan start']).toMatchObject({ value: '2026-01-05T00:00:00', data_type: 'd' });
    expect(first['Plan start']?.number_format).toContain('dd/mm/yyyy');
    expect(rowByKey(plansSheet, 'CW-2025-0117')['Plan end']).toMatchObject({
      value: '2026-03-16T00:00:00',
      data_type: 'd',
    });

    const dateColumns: Array<[string, string]> = [
      ['Plans', 'Plan start'],
      ['Plans', 'Plan end'],
      ['Plans', 'Next due date'],
      ['Core groups', 'Due date'],
      ['Core groups', 'Held date'],
      ['Core groups', 'Record circulated'],
      ['Escalations', 'Resolved on'],
    ];
    for (const [name, header] of dateColumns) {
      for (const cell of columnCells(sheet(sheets, name), header)) {
        expect(cell).toMatchObject({ data_type: 'd', number_format: 'dd/mm/yyyy' });
        expect(cell.value).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00$/);
      }
    }
    const held = columnCells(sheet(sheets, 'Core groups'), 'Held date').map((c) => c.value);
    expect(held).toEqual(expect.arrayContaining(['2026-03-10T00:00:00', '2026-03-12T00:00:00']));

    const sent = columnCells(sheet(sheets, 'Escalations'), 'Sent at');
    expect(sent.length).toBe(rowCounts.Escalations);
    for (const cell of sent) expect(cell).toMatchObject({ data_type: 'd', number_format: 'dd/mm/yyyy hh:mm' });
    expect(sent.map((c) => c.value)).toContain('2026-03-30T09:05:00');

    const annex = sheet(sheets, ANNEX_A);
    const annexDates = annex.cells.filter((c) => c.row > 1 && c.data_type === 'd');
    expect(annexDates.map((c) => c.value)).toEqual(
      expect.arrayContaining(['2015-06-01T00:00:00', '2026-01-05T00:00:00', '2019-11-30T00:00:00']),
    );
    for (const cell of annexDates) expect(cell.number_format).toBe('dd/mm/yyyy');
  });

  it('writes numbers as numbers, percentages with one decimal place, and booleans as Yes/No', () => {
    for (const cell of columnCells(sheet(sheets, 'Plans'), 'Days overdue')) expect(cell.data_type).toBe('n');
    expect(columnCells(sheet(sheets, 'Plans'), 'Days overdue').length).toBe(3);
    const summary = sheet(sheets, 'Summary');
    expect(columnCells(summary, 'Count').length).toBe(rowCounts.Summary);
    for (const cell of columnCells(summary, 'Count')) expect(cell.data_type).toBe('n');
    for (const cell of columnCells(summary, 'Denominator')) expect(cell.data_type).toBe('n');
    const percentages = columnCells(summary, 'Percentage');
    expect(percentages.length).toBeGreaterThan(0);
    for (const cell of percentages) {
      expect(cell).toMatchObject({ data_type: 'n', number_format: '0.0' });
      expect(cell.value as number).toBeGreaterThanOrEqual(0);
      expect(cell.value as number).toBeLessThanOrEqual(100);
    }
    const attendance = sheet(sheets, 'Agency attendance');
    const counts = attendance.cells.filter((c) => c.row > 3 && c.column > 1);
    expect(counts.length).toBe(rowCounts['Agency attendance']! * 24);
    for (const cell of counts) expect(cell.data_type).toBe('n');
    const health = rowByKey(attendance, 'health');
    expect(health['Jan 2026 attended']?.value).toBeGreaterThanOrEqual(1);

    const booleans = [
      'On time',
      'Social care',
      'Health',
      'Education',
      'Police',
      'Parents present',
      "Child's views recorded",
      'Record on time',
    ];
    const seen = new Set<unknown>();
    for (const header of booleans) {
      for (const cell of columnCells(sheet(sheets, 'Core groups'), header)) {
        expect(cell.data_type).toBe('s');
        expect(['Yes', 'No']).toContain(cell.value);
        seen.add(cell.value);
      }
    }
    expect([...seen].sort()).toEqual(['No', 'Yes']);
    for (const s of sheets) for (const cell of s.cells) expect(cell.data_type).not.toBe('b');
  });

  it('writes no formula anywhere and neutralises every hostile string', () => {
    for (const s of sheets) {
      expect(s.formula_elements).toBe(0);
      for (const cell of s.cells) {
        expect(cell.data_type).not.toBe('f');
        if (typeof cell.value === 'string') expect(cell.value).not.toMatch(/^[=+\-@\t\r]/);
      }
    }
    const strings = sheets
      .flatMap((s) => s.cells.map((c) => ({ sheet: s.name, ...c })))
      .filter((c) => typeof c.value === 'string');
    const exact = (value: string) => strings.filter((c) => c.value === value).map((c) => c.sheet);
    expect(exact(`'${HOSTILE.team}`)).toEqual(
      expect.arrayContaining(['Plans', 'Core groups', 'Escalations', 'Annex A List 7']),
    );
    expect(exact(`'${HOSTILE.worker}`)).toEqual(expect.arrayContaining(['Plans', 'Annex A List 7']));
    expect(exact(`'${HOSTILE.reference}`)).toEqual(expect.arrayContaining(['Plans', 'Core groups', 'Escalations']));
    // The audit may normalise agency names' case; the quote must still lead.
    const agencyCells = strings.filter((c) => String(c.value).toLowerCase().includes(HOSTILE.agency.toLowerCase()));
    expect(agencyCells.map((c) => c.sheet)).toEqual(expect.arrayContaining(['Agency attendance', 'Core groups']));
    for (const c of agencyCells) expect(String(c.value).startsWith("'") || !String(c.value).startsWith('@')).toBe(true);
    expect(
      agencyCells.filter((c) => c.sheet === 'Agency attendance').map((c) => String(c.value).toLowerCase()),
    ).toEqual([`'${HOSTILE.agency.toLowerCase()}`]);
    expect(exact("'@LCID-0002")).toEqual(['Annex A List 7']);
    expect(exact(`'${HOSTILE.team}`)).toContain('Summary'); // the team's block
  });

  it('writes the Summary blocks, partnership first, with RAG fills and the RAG rule', () => {
    const summary = sheet(sheets, 'Summary');
    expect(rowCells(summary, 3)[0]?.value).toBe(`RAG rating: ${RAG_RULE}`);
    const scopes = columnCells(summary, 'Scope').map((c) => c.value);
    const partnershipRows = scopes.filter((s) => s === 'Partnership').length;
    expect(partnershipRows).toBeGreaterThan(0);
    expect(scopes.slice(0, partnershipRows).every((s) => s === 'Partnership')).toBe(true);
    expect(new Set(scopes.slice(partnershipRows))).toEqual(new Set(['Assessment Team A', `'${HOSTILE.team}`]));
    const fills: Record<string, string> = { Green: 'FFC6EFCE', Amber: 'FFFFEB9C', Red: 'FFFFC7CE' };
    const rag = columnCells(summary, 'RAG');
    expect(rag.length).toBe(rowCounts.Summary);
    for (const cell of rag) {
      expect(['Green', 'Amber', 'Red', 'n/a']).toContain(cell.value);
      expect(cell.fill).toBe(fills[String(cell.value)] ?? null);
    }
    for (const cell of columnCells(summary, 'Rule')) expect(String(cell.value).length).toBeGreaterThan(0);
  });

  it("writes Annex A List 7 with the template's codes, whole-year ages and no blank required field", () => {
    const annex = sheet(sheets, ANNEX_A);
    const first = rowByKey(annex, 'LCID-0001');
    const second = rowByKey(annex, "'@LCID-0002");
    const value = (row: Record<string, ReadCell | undefined>, header: string) => row[header]?.value;
    expect(value(first, 'Gender')).toBe('b) Female');
    expect(value(first, 'Ethnicity')).toBe('a) WBRI');
    expect(value(first, 'Does the Child have a Disability')).toBe('b) No');
    expect(value(first, 'Initial Category of Abuse')).toBe(CATEGORY_CODES.neglect);
    expect(value(first, 'Latest Category of Abuse')).toBe(CATEGORY_CODES.emotional);
    expect(value(first, 'Was the Child Seen Alone?')).toBe('b) No');
    expect(value(first, ANNEX_A_COLUMNS[13]!)).toBe('b) No');
    expect(first['Age of Child (Years)']).toMatchObject({ value: 10, data_type: 'n' });
    expect(first['Number of Previous Child Protection Plans']).toMatchObject({ value: 1, data_type: 'n' });
    expect(value(second, 'Gender')).toBe('a) Male');
    expect(value(second, 'Ethnicity')).toBe('f) MWBC');
    expect(value(second, 'Latest Category of Abuse')).toBe(CATEGORY_CODES.multiple);
    expect(value(second, ANNEX_A_COLUMNS[13]!)).toBe('a) Yes');
    expect(second['Age of Child (Years)']).toMatchObject({ value: 6, data_type: 'n' });
    // No visit recorded for the second child: the visit and seen-alone cells are blank (not required).
    expect(second['Was the Child Seen Alone?']).toBeUndefined();
    for (const row of [first, second]) expect(blankRequired(row)).toEqual([]);
  });

  it("puts every Annex A value under its own List 7 header (the template's cells, as real dates and inert text)", () => {
    const annex = sheet(sheets, ANNEX_A);
    let compared = 0;
    for (const plan of plans()) {
      const row = annexARow(plan, '2026-03-31');
      if (!row) continue;
      const expected = annexACells(row).map((v) => (typeof v === 'string' ? neutralise(v) : v));
      const cells = rowByKey(annex, String(expected[0]));
      const actual = ANNEX_A_COLUMNS.map((header) => {
        const cell = cells[header];
        if (!cell) return undefined;
        if (cell.data_type === 'd') {
          expect(cell.number_format).toBe('dd/mm/yyyy');
          const [y, m, d] = String(cell.value).slice(0, 10).split('-');
          return `${d}/${m}/${y}`;
        }
        return cell.value;
      });
      expect(actual).toEqual(expected);
      compared += 1;
    }
    expect(compared).toBe(2);
  });

  it('explains every sheet on the README, with Yes/No and neutralised text', () => {
    const readme = sheet(sheets, 'README');
    const named = new Set(columnCells(readme, 'Sheet').map((c) => c.value));
    for (const name of SHEETS) expect(named.has(name)).toBe(true);
    const text = readme.cells.map((c) => String(c.value)).join('\n');
    expect(text).toContain('"Yes" or "No"');
    expect(text).toContain('neutralised');
    expect(text).toContain(RAG_RULE);
  });

  it("lists every rule with its words and basis: a default's number is never shown without saying so (issue 10)", () => {
    const readme = sheet(sheets, 'README');
    const ruleRow = (id: string) => {
      const cell = readme.cells.find((c) => c.column === 2 && c.value === id);
      if (!cell) throw new Error(`no README line for ${id}`);
      return rowCells(readme, cell.row).map((c) => String(c.value));
    };
    const [sheetName, , meaning, basis] = ruleRow('england/later-core-groups');
    expect(sheetName).toBe('Rules');
    expect(meaning).toContain('Working Together sets no interval between core groups');
    expect(basis).toBe('Basis: default (the quoted words do not give this number; see the note)');
    expect(ruleRow('camden/first-core-group')[3]).toBe('Basis: stated in the quoted words');
    expect(ruleRow('camden/core-group-quorum')[2]).toContain('the social worker and one other member');
  });

  it('explains every column of every sheet under that sheet, in column order (the README is written from the columns)', () => {
    const readme = sheet(sheets, 'README');
    /** The README's Column cells of the lines about one sheet, in order. */
    const described = (name: string): string[] =>
      readme.cells
        .filter((c) => c.column === 1 && c.row > 3 && c.value === name)
        .map((c) => String(rowCells(readme, c.row)[1]?.value));
    for (const s of sheets.filter((x) => x.name !== 'README' && x.name !== 'Agency attendance')) {
      const lines = described(s.name);
      expect(lines[0]).toBe('(sheet)');
      expect(lines.slice(1, 1 + headers(s).length)).toEqual(headers(s));
    }
    expect(described('Agency attendance')).toEqual(['(sheet)', 'Agency', 'Month: invited / attended']);
  });
});

describe('writeAuditWorkbook failures', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corewatch-workbook-fail-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A source whose `failOnPass`th pass throws after yielding one plan. */
  function failingSource(failOnPass: number): AuditWorkbookSource {
    const items = plans();
    let pass = 0;
    return memorySource(items, {
      plans(): AsyncIterable<ReportPlanInput> {
        pass += 1;
        const thisPass = pass;
        return (async function* () {
          for (const [i, item] of items.entries()) {
            if (thisPass === failOnPass && i === 1) throw new Error('database connection lost');
            await Promise.resolve();
            yield structuredClone(item);
          }
        })();
      },
    });
  }

  it.each([1, 3, 4])('leaves no file and no partial file when the source fails on pass %i', async (failOnPass) => {
    const file = path.join(dir, 'audit.xlsx');
    await expect(writeAuditWorkbook(file, failingSource(failOnPass))).rejects.toThrow('database connection lost');
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("leaves no file and no partial file when Annex A's stream fails", async () => {
    const file = path.join(dir, 'audit.xlsx');
    const source = memorySource(plans(), {
      annexAPlans: () =>
        (async function* () {
          await Promise.resolve();
          yield* [] as AnnexAPlanInput[];
          throw new Error('database connection lost');
        })(),
    });
    await expect(writeAuditWorkbook(file, source)).rejects.toThrow('database connection lost');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('leaves an earlier workbook at the path untouched when a rewrite fails', async () => {
    const file = path.join(dir, 'audit.xlsx');
    fs.writeFileSync(file, 'the earlier workbook');
    await expect(writeAuditWorkbook(file, failingSource(2))).rejects.toThrow('database connection lost');
    expect(fs.readFileSync(file, 'utf8')).toBe('the earlier workbook');
    expect(fs.readdirSync(dir)).toEqual(['audit.xlsx']);
  });

  it('rejects, creating nothing, when the directory does not exist', async () => {
    const file = path.join(dir, 'missing', 'audit.xlsx');
    await expect(writeAuditWorkbook(file, memorySource(plans()))).rejects.toThrow(/ENOENT/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('neutralise', () => {
  it.each([
    ['=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'],
    ['+1+1', "'+1+1"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tfoo', "'\tfoo"],
    ['\rfoo', "'\rfoo"],
    ['\u0001=1+1', "'=1+1"],
    ['Assessment Team A', 'Assessment Team A'],
    ["O'Brien", "O'Brien"],
    ['a=b', 'a=b'],
    ['', ''],
  ])('neutralise(%j) is %j', (input, expected) => {
    expect(neutralise(input)).toBe(expected);
  });
});
