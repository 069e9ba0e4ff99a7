/** Months as the workbook prints them: 'March 2026' in titles, 'Mar 2026' in the attendance grid's headers. */
import { parseYearMonth, type YearMonth } from '../domain/report-months';

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function split(month: YearMonth): { year: string; name: string } {
  const valid = parseYearMonth(month);
  return { year: valid.slice(0, 4), name: MONTH_NAMES[Number(valid.slice(5, 7)) - 1] ?? '' };
}

/** '2026-03' -> 'March 2026' */
export function monthTitle(month: YearMonth): string {
  const { year, name } = split(month);
  return `${name} ${year}`;
}

/** '2026-03' -> 'Mar 2026' */
export function shortMonth(month: YearMonth): string {
  const { year, name } = split(month);
  return `${name.slice(0, 3)} ${year}`;
}
