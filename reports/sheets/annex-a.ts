/**
 * Annex A List 7: Ofsted ILACS Annex A, children who are the subject of a child protection plan, laid out as the
 * template: its 17 headers, word for word and in its order, in row 1 with nothing above them (tools that read Annex A
 * find the sheet by its name, "List 7", and the columns by their headers), one row per child, coded values, dates as
 * real Excel dates shown dd/mm/yyyy. The rows are reports/annex-a.ts's; the codes domain/annex-a.ts's.
 *
 * The headers are the template's as public Annex A tools spell them (kws/sfdata-annexa-clean's List 7 spec and
 * CSCDP/AnnexA_CiNCensus_Cleaner's merge configuration agree on all 17): check them against the template Ofsted
 * currently publishes before a file goes to inspectors (Ofsted revises it).
 */
import { ANNEX_A_LISTS } from '../../domain/annex-a';
import { ANNEX_A_DATE_FORMAT, annexARow } from '../annex-a';
import type { CellValue } from '../sheet-writer';
import type { IsoDate } from '../../domain/types';
import type { AnnexAPlanInput, AnnexARow } from '../types';
import { type DescribedColumn, defineSheet, guideOf } from './sheet';

const codes = (list: { codes: Readonly<Record<string, string>> }) => Object.values(list.codes).join(', ');
const YES_NO = codes(ANNEX_A_LISTS.yesNo);
const AS_OF = "on the list's day (the month's last day in the monthly workbook)";

const COLUMNS: DescribedColumn<AnnexARow>[] = [
  {
    header: 'Child Unique ID',
    kind: 'text',
    width: 18,
    value: (r) => r.childId,
    meaning: `The child's local id. One row per child on a child protection plan open ${AS_OF} (their most recent plan).`,
  },
  {
    header: 'Gender',
    kind: 'text',
    width: 22,
    value: (r) => r.gender,
    meaning: `Coded: ${codes(ANNEX_A_LISTS.gender)}.`,
  },
  {
    header: 'Ethnicity',
    kind: 'text',
    width: 12,
    value: (r) => r.ethnicity,
    meaning: `The DfE ethnicity code, lettered as Annex A writes it: ${codes(ANNEX_A_LISTS.ethnicity)}.`,
  },
  {
    header: 'Date of Birth',
    kind: 'date',
    width: 12,
    value: (r) => r.dateOfBirth,
    meaning: `As recorded (${ANNEX_A_DATE_FORMAT}); blank when not recorded.`,
  },
  {
    header: 'Age of Child (Years)',
    kind: 'int',
    width: 10,
    value: (r) => r.age,
    meaning: `Whole years ${AS_OF}; -1 for a child not yet born that day; blank without a date of birth.`,
  },
  {
    header: 'Does the Child have a Disability',
    kind: 'text',
    width: 14,
    value: (r) => r.disability,
    meaning: `Coded: ${YES_NO}.`,
  },
  {
    header: 'Child Protection Plan Start Date',
    kind: 'date',
    width: 14,
    value: (r) => r.planStart,
    meaning: `The plan's start (${ANNEX_A_DATE_FORMAT}).`,
  },
  {
    header: 'Initial Category of Abuse',
    kind: 'text',
    width: 24,
    value: (r) => r.initialCategory,
    meaning: `Decided at the initial conference. Coded: ${codes(ANNEX_A_LISTS.category)}.`,
  },
  {
    header: 'Latest Category of Abuse',
    kind: 'text',
    width: 24,
    value: (r) => r.latestCategory,
    meaning:
      'The category of the latest review conference that recorded one; else the category last recorded on the plan; else the initial one. Coded as above.',
  },
  {
    header: 'Date of the Last Statutory Visit',
    kind: 'date',
    width: 14,
    value: (r) => r.lastStatutoryVisit,
    meaning: `The latest child-seen visit of this plan ${AS_OF} or before (${ANNEX_A_DATE_FORMAT}).`,
  },
  {
    header: 'Was the Child Seen Alone?',
    kind: 'text',
    width: 12,
    value: (r) => r.seenAlone,
    meaning: `At that visit. Coded: ${YES_NO} (c) Unknown when the visit did not record it); blank without a visit.`,
  },
  {
    header: 'Date of latest review conference',
    kind: 'date',
    width: 14,
    value: (r) => r.latestReviewConference,
    meaning: `The latest review conference of this plan ${AS_OF} or before (${ANNEX_A_DATE_FORMAT}).`,
  },
  {
    header: 'Child Protection Plan End Date',
    kind: 'date',
    width: 14,
    value: (r) => r.planEnd,
    meaning: `The plan's end when it ended ${AS_OF} (${ANNEX_A_DATE_FORMAT}); blank while it is open.`,
  },
  {
    header: 'Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)',
    kind: 'text',
    width: 18,
    value: (r) => r.emergencyProtection,
    meaning: `As recorded when the plan was registered. Coded: ${YES_NO}.`,
  },
  {
    header: 'Number of Previous Child Protection Plans',
    kind: 'int',
    width: 12,
    value: (r) => r.previousPlans,
    meaning: 'As recorded when the plan was registered.',
  },
  {
    header: 'Allocated Team',
    kind: 'text',
    width: 26,
    value: (r) => r.team,
    meaning: "The plan's team now.",
  },
  {
    header: 'Allocated Worker',
    kind: 'text',
    width: 22,
    value: (r) => r.worker,
    meaning: "The plan's social worker now (several are listed together, separated by commas).",
  },
];

/** List 7's headers, in the template's order. */
export const ANNEX_A_COLUMNS: readonly string[] = COLUMNS.map((c) => c.header);

/** The columns, for the standalone download (reports/annex-a-workbook.ts) and the workbook's sheet. */
export const ANNEX_A_LAYOUT = { columns: COLUMNS, heading: 'template' } as const;

/**
 * One row as the template's own cells, in ANNEX_A_COLUMNS order: dates as dd/mm/yyyy text, empty cells undefined.
 * The sheet writes real dates shown dd/mm/yyyy; this is the literal form (for tests and readers).
 */
export function annexACells(row: AnnexARow): CellValue[] {
  return COLUMNS.map((column) => {
    const value = column.value(row);
    if (typeof value === 'string' && column.kind === 'date')
      return `${value.slice(8, 10)}/${value.slice(5, 7)}/${value.slice(0, 4)}`;
    return value;
  });
}

export const annexASheet = defineSheet<AnnexARow>({
  name: 'Annex A List 7',
  description:
    "Ofsted ILACS Annex A List 7: children who are the subject of a child protection plan on the month's last day, laid out as the template (headers in row 1, coded values). Also downloadable on its own for any day: corewatch annex-a, GET /api/v1/partnerships/{id}/annex-a, the dashboard's Annex A page.",
  ...ANNEX_A_LAYOUT,
  guide: guideOf(COLUMNS),
  rows: { stream: (streams) => annexARowsOn(streams.annexAPlans(streams.monthEnd), streams.monthEnd) },
});

/**
 * The rows of the plans a source streams as of `asOf`: one per child. The source gives each child's plans together,
 * the one to list first (services/plan-data: by Child Unique ID, most recent plan first), so a child already written
 * is the previous row's and nothing else need be remembered.
 */
export async function* annexARowsOn(plans: AsyncIterable<AnnexAPlanInput>, asOf: IsoDate): AsyncIterable<AnnexARow> {
  let previous: string | undefined;
  for await (const plan of plans) {
    const row = annexARow(plan, asOf);
    if (row === undefined || row.childId === previous) continue;
    previous = row.childId;
    yield row;
  }
}
