/**
 * Agency attendance: core group invitations and attendance by agency, agencies down, the 12 months ending with the
 * report month across, two columns a month (invited, attended).
 */
import { shortMonth } from '../../domain/report-months';
import type { Column } from '../sheet-writer';
import type { AgencyAttendanceRow, YearMonth } from '../types';
import { defineSheet, type DescribedColumn, guideOf, type GuideEntry } from './sheet';

const AGENCY: DescribedColumn<AgencyAttendanceRow> = {
  header: 'Agency',
  kind: 'text',
  width: 24,
  value: (r) => r.agency,
  meaning: 'Agencies down (lower-case), sorted.',
};

/** The two columns of each month, explained once for all twelve. */
const MONTH_PAIR: GuideEntry = {
  column: 'Month: invited / attended',
  meaning:
    'For the 12 months ending with the report month: core groups (child protection plans) held with attendance ' +
    'recorded; an agency is invited when it is a core group member of the plan, present or sent apologies, and ' +
    'attended when present. Meetings with no attendance recorded are left out (unrecorded is not absent).',
};

function monthColumns(month: YearMonth): Column<AgencyAttendanceRow>[] {
  const label = shortMonth(month);
  const of = (r: AgencyAttendanceRow) => r.months.find((m) => m.month === month);
  return [
    { header: `${label} invited`, kind: 'int', width: 11, value: (r) => of(r)?.invited ?? 0 },
    { header: `${label} attended`, kind: 'int', width: 11, value: (r) => of(r)?.attended ?? 0 },
  ];
}

export const agencyAttendanceSheet = defineSheet<AgencyAttendanceRow>({
  name: 'Agency attendance',
  description:
    'Core group invitations and attendance by agency for the 12 months ending with the report month: two columns per month (invited, attended).',
  columns: (audit) => [AGENCY, ...audit.attendanceMonths.flatMap(monthColumns)],
  guide: [...guideOf([AGENCY]), MONTH_PAIR],
  // The agency stays in view while scrolling across the months.
  frozenColumns: 1,
  rows: { totals: (audit) => audit.agencyAttendance() },
});
