/**
 * Annex A List 7: Ofsted ILACS Annex A, children who are the subject of a child protection plan, in List 7's column
 * order. The audit has already coded the categories (reports/annex-a-codes.ts).
 *
 * The wording is Ofsted's ILACS Annex A List 7 as best known here, not copied from the template: check every header
 * against the current Annex A template (Ofsted revises it) before a workbook is given to inspectors.
 */
import { ANNEX_A_DATE_FORMAT, toAnnexADate } from '../annex-a-codes';
import type { CellValue } from '../sheet-writer';
import type { AnnexARow } from '../types';
import { defineSheet, type DescribedColumn, guideOf } from './sheet';

const AS_RECORDED = 'As recorded.';
const DATE_AS_RECORDED = `As recorded (${ANNEX_A_DATE_FORMAT}).`;

const COLUMNS: DescribedColumn<AnnexARow>[] = [
  {
    header: 'Child Unique ID',
    kind: 'text',
    width: 16,
    value: (r) => r.childId,
    meaning: "The child's local unique id. One row per child protection plan open during the month.",
  },
  { header: 'Gender', kind: 'text', width: 10, value: (r) => r.gender, meaning: AS_RECORDED },
  { header: 'Ethnicity', kind: 'text', width: 16, value: (r) => r.ethnicity, meaning: AS_RECORDED },
  { header: 'Date of birth', kind: 'date', width: 12, value: (r) => r.dateOfBirth, meaning: DATE_AS_RECORDED },
  { header: 'Disability', kind: 'text', width: 12, value: (r) => r.disability, meaning: AS_RECORDED },
  {
    header: 'Child protection plan start date',
    kind: 'date',
    width: 14,
    value: (r) => r.planStart,
    meaning: DATE_AS_RECORDED,
  },
  {
    header: 'Initial category of abuse',
    kind: 'text',
    width: 22,
    value: (r) => r.initialCategory,
    meaning:
      'Category of abuse at the initial conference, coded a) Neglect, b) Physical abuse, c) Sexual abuse, d) Emotional abuse, e) Multiple.',
  },
  {
    header: 'Latest category of abuse',
    kind: 'text',
    width: 22,
    value: (r) => r.latestCategory,
    meaning:
      'The category decided at the latest review conference that recorded one; else the category recorded on the plan; else the initial one. Coded as above.',
  },
  {
    header: 'Date of last statutory visit',
    kind: 'date',
    width: 14,
    value: (r) => r.lastStatutoryVisit,
    meaning: `The latest child-seen visit on or before the month end (${ANNEX_A_DATE_FORMAT}).`,
  },
  {
    header: 'Was the child seen alone?',
    kind: 'bool',
    width: 12,
    value: (r) => r.seenAlone,
    meaning: 'Whether the child was seen alone at that visit (Yes/No; empty when not recorded).',
  },
  {
    header: 'Date of latest review conference',
    kind: 'date',
    width: 16,
    value: (r) => r.latestReviewConference,
    meaning: `The latest review conference held on or before the month end (${ANNEX_A_DATE_FORMAT}).`,
  },
  {
    header: 'Child protection plan end date',
    kind: 'date',
    width: 12,
    value: (r) => r.planEnd,
    meaning: `The plan end date, if on or before the month end (${ANNEX_A_DATE_FORMAT}).`,
  },
  {
    header: 'Subject to emergency protection order in the last six months?',
    kind: 'bool',
    width: 18,
    value: (r) => r.emergencyProtectionLast6Months,
    meaning: AS_RECORDED,
  },
  {
    header: 'Number of previous child protection plans',
    kind: 'int',
    width: 14,
    value: (r) => r.previousPlans,
    meaning: AS_RECORDED,
  },
  { header: 'Allocated team', kind: 'text', width: 26, value: (r) => r.team, meaning: AS_RECORDED },
  { header: 'Allocated worker', kind: 'text', width: 22, value: (r) => r.worker, meaning: AS_RECORDED },
];

/** List 7's headers, in order. */
export const ANNEX_A_COLUMNS: readonly string[] = COLUMNS.map((c) => c.header);

/**
 * One row as the template's own cells, in ANNEX_A_COLUMNS order: dates as dd/mm/yyyy text, yes/no questions as
 * 'Yes' / 'No', empty cells undefined. The sheet itself writes real dates shown dd/mm/yyyy; this is the literal form.
 */
export function annexACells(row: AnnexARow): CellValue[] {
  return COLUMNS.map((column) => {
    const value = column.value(row);
    if (typeof value === 'boolean') return value ? 'Yes' : 'No';
    if (typeof value === 'string' && column.kind === 'date') return toAnnexADate(value);
    return value;
  });
}

export const annexASheet = defineSheet<AnnexARow>({
  name: 'Annex A List 7',
  description:
    'Ofsted ILACS Annex A List 7: children who are the subject of a child protection plan, in the List 7 column order.',
  columns: COLUMNS,
  guide: guideOf(COLUMNS),
  rows: { eachPlan: (c) => (c.annexA ? [c.annexA] : []) },
});
