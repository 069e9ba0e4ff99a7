/**
 * When the monthly audit is due: on the first working day of each month, for the previous calendar month (the
 * issue's decision). Pure: used by the report workflow, which runs on a schedule that fires on the first few days of
 * every month and lets this rule decide.
 */
import { addDays, addMonths, addWorkingDays, compareDates, MONTH_NAMES, parseIsoDate } from './calendar';
import type { IsoDate } from './types';

/** `YYYY-MM` */
export type YearMonth = string;

export function parseYearMonth(value: string): YearMonth {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw new Error(`"${value}" is not a month: expected YYYY-MM`);
  return value;
}

export function monthOf(date: IsoDate): YearMonth {
  return parseIsoDate(date).slice(0, 7);
}

export function previousMonth(month: YearMonth): YearMonth {
  return addMonths(`${parseYearMonth(month)}-01`, -1).slice(0, 7);
}

export function nextMonth(month: YearMonth): YearMonth {
  return addMonths(`${parseYearMonth(month)}-01`, 1).slice(0, 7);
}

export function firstDayOf(month: YearMonth): IsoDate {
  return `${parseYearMonth(month)}-01`;
}

export function lastDayOf(month: YearMonth): IsoDate {
  return addDays(addMonths(firstDayOf(month), 1), -1);
}

/** The first working day of the month: the first working day after the previous month's last day. */
export function firstWorkingDayOf(month: YearMonth): IsoDate {
  return addWorkingDays(addDays(firstDayOf(month), -1), 1);
}

/**
 * The month whose audit is due on `today`, if any: the previous month, once today is on or after this month's first
 * working day. A run that was missed (the server was down that morning) catches up on a later day of the month;
 * de-duplication against workbooks already complete is the caller's job.
 */
export function auditMonthDueOn(today: IsoDate): YearMonth | undefined {
  const month = monthOf(today);
  return compareDates(today, firstWorkingDayOf(month)) >= 0 ? previousMonth(month) : undefined;
}

/** The `count` complete months before `today`'s month, oldest first (the dashboard's trend). */
export function completeMonthsBefore(today: IsoDate, count: number): YearMonth[] {
  const months: YearMonth[] = [];
  let month = monthOf(today);
  for (let i = 0; i < count; i++) {
    month = previousMonth(month);
    months.unshift(month);
  }
  return months;
}

/** '2026-03' -> 'March 2026': the month as titles and headings print it. */
export function monthTitle(month: YearMonth): string {
  const valid = parseYearMonth(month);
  return `${MONTH_NAMES[Number(valid.slice(5, 7)) - 1]!} ${valid.slice(0, 4)}`;
}

/** '2026-03' -> 'Mar 2026' (`twoDigitYear`: 'Mar 26', where labels are narrow). */
export function shortMonth(month: YearMonth, options: { twoDigitYear?: boolean } = {}): string {
  const valid = parseYearMonth(month);
  const year = options.twoDigitYear ? valid.slice(2, 4) : valid.slice(0, 4);
  return `${MONTH_NAMES[Number(valid.slice(5, 7)) - 1]!.slice(0, 3)} ${year}`;
}
