/** The workbook's sheets, in workbook order: the one list the workbook writes and the README explains. */
import { agencyAttendanceSheet } from './agency-attendance';
import { annexASheet } from './annex-a';
import { coreGroupsSheet } from './core-groups';
import { escalationsSheet } from './escalations';
import { plansSheet } from './plans';
import { readmeSheet } from './readme';
import type { GuideEntry, WorkbookSheet } from './sheet';
import { summarySheet } from './summary';

const DESCRIBED: readonly WorkbookSheet[] = [
  summarySheet,
  plansSheet,
  coreGroupsSheet,
  escalationsSheet,
  agencyAttendanceSheet,
  annexASheet,
];

export const WORKBOOK_SHEETS: readonly WorkbookSheet[] = [...DESCRIBED, readmeSheet(DESCRIBED)];

export const SHEET_NAMES: readonly string[] = WORKBOOK_SHEETS.map((s) => s.name);

/** Every README line about a column, with its sheet (the README's column lines, flat). */
export const SHEET_GUIDE: ReadonlyArray<GuideEntry & { sheet: string }> = DESCRIBED.flatMap((s) =>
  s.guide.columns.map((entry) => ({ sheet: s.name, ...entry })),
);
