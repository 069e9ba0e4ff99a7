/**
 * README: what each sheet and column means and which rule produced each figure, written from the other sheets' own
 * definitions (their descriptions and their columns' README text), so no column is described apart from itself.
 */
import { citationsOf, getPolicy, POLICY_IDS } from '../../domain/policies';
import type { Column } from '../sheet-writer';
import { defineSheet, type SheetGuide, type WorkbookSheet } from './sheet';

interface ReadmeRow {
  sheet: string;
  column: string;
  meaning: string;
  rule?: string;
  /** The line that introduces a sheet, in bold. */
  heading?: boolean;
}

const COLUMNS: Column<ReadmeRow>[] = [
  { header: 'Sheet', kind: 'text', width: 20, value: (r) => r.sheet },
  { header: 'Column', kind: 'text', width: 26, value: (r) => r.column },
  { header: 'Meaning', kind: 'text', width: 80, wrap: true, value: (r) => r.meaning },
  { header: 'Rule', kind: 'text', width: 50, wrap: true, value: (r) => r.rule },
];

/** This sheet's own line (it lists no columns of its own: they are Sheet, Column, Meaning, Rule). */
const README_GUIDE: SheetGuide = {
  sheet: 'README',
  description: 'This sheet: what each sheet and column means and which rule produced each figure.',
  columns: [],
};

/** How values are written on every sheet (sheet-writer.ts). */
const ALL_SHEETS: Array<[column: string, meaning: string]> = [
  [
    'Yes/No',
    'True/false answers (on time, agencies present, quorate, seen alone...) are written as the text "Yes" or "No"; an empty cell means not recorded.',
  ],
  [
    'Dates',
    'Dates are Excel dates shown dd/mm/yyyy (Europe/London days). Times (e.g. when an escalation was sent) are Europe/London local time, shown dd/mm/yyyy hh:mm.',
  ],
  ['Numbers', 'Counts and days are numbers; percentages are numbers from 0 to 100 shown to one decimal place.'],
  [
    'Text',
    "Text from case systems (names, teams, references, agencies, notes...) was neutralised: any text beginning with =, +, -, @, a tab or a carriage return is prefixed with a single quote (') so spreadsheet programs show it as text and never run it as a formula (OWASP CSV injection guidance). No cell in this workbook holds a formula.",
  ],
  ['Filters', 'Every sheet has a filter on its header row, which stays in view (frozen) while scrolling.'],
];

function readmeRows(guides: readonly SheetGuide[]): ReadmeRow[] {
  const rows: ReadmeRow[] = [];
  for (const guide of guides) {
    rows.push({
      sheet: guide.sheet,
      column: '(sheet)',
      meaning: guide.description,
      ...(guide.rule === undefined ? {} : { rule: guide.rule }),
      heading: true,
    });
    for (const entry of guide.columns) rows.push({ sheet: guide.sheet, ...entry });
  }
  for (const [column, meaning] of ALL_SHEETS) rows.push({ sheet: 'All sheets', column, meaning });
  // Every rule the ids above name, with its words and whether those words give its number (issue 10: a number backed
  // by a quote that does not contain it is never shown without saying so).
  rows.push({
    sheet: 'Rules',
    column: '(rules)',
    meaning:
      "Every rule of every policy as it is now: its id, where it is written, its words, corewatch's note, and its basis (stated: the words give the rule's number; default: they do not, and the note says whose number it is).",
    heading: true,
  });
  for (const id of POLICY_IDS) {
    for (const c of citationsOf(getPolicy(id))) {
      rows.push({
        sheet: 'Rules',
        column: c.id,
        meaning: `${c.source}, ${c.section}: "${c.quote}"${c.note === undefined ? '' : ` Note: ${c.note}`}`,
        rule:
          c.basis === 'default'
            ? 'Basis: default (the quoted words do not give this number; see the note)'
            : 'Basis: stated in the quoted words',
      });
    }
  }
  return rows;
}

/** The README over the sheets before it, in workbook order; it comes last and describes itself too. */
export function readmeSheet(sheets: readonly WorkbookSheet[]): WorkbookSheet {
  const guides = [...sheets.map((s) => s.guide), README_GUIDE];
  return defineSheet<ReadmeRow>({
    name: README_GUIDE.sheet,
    description: README_GUIDE.description,
    columns: COLUMNS,
    guide: README_GUIDE.columns,
    rowStyle: (r) => (r.heading ? { font: { bold: true } } : undefined),
    rows: { totals: () => readmeRows(guides) },
  });
}
