/**
 * The working-day calendar: civil dates in Europe/London, England-and-Wales working days, and the arithmetic every
 * deadline in corewatch is built from.
 *
 * Pure and deterministic on purpose: this module runs inside Temporal workflow code (a deterministic sandbox) as well
 * as in Node, so it never reads the clock, never uses Intl or local-time Date methods, and does no I/O. Dates are
 * handled as integer day numbers (days since 1970-01-01, proleptic Gregorian) so that no arithmetic can drift with a
 * server's time zone or with daylight saving.
 *
 * Every exported function validates its IsoDate arguments (via `parseIsoDate`) and throws `CalendarError` on a bad
 * value rather than computing a plausible-looking wrong deadline.
 */
import type { IsoDate, Interval } from './types';
import { englandAndWalesBankHolidays } from './bank-holidays';

/** A date or argument the calendar cannot work with. The message says what is wrong with the value. */
export class CalendarError extends Error {
  override readonly name = 'CalendarError';
}

/**
 * A valid date and interval whose result cannot be written as a date (before 0000-01-01 or after 9999-12-31). Its own
 * type so the obligations engine can tell "this plan's deadline is beyond the calendar" (an input it cannot evaluate)
 * from a malformed argument (a bug).
 */
export class DateRangeError extends CalendarError {}

const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;
const ISO_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const SUNDAY = 0;
const SATURDAY = 6;
/** Month names in English, January first: the one list the calendar's errors, the workbook and the pages print. */
export const MONTH_NAMES = [
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
] as const;

// --- Civil date <-> day number (Howard Hinnant's days_from_civil / civil_from_days) ---

interface Civil {
  year: number;
  month: number;
  day: number;
}

function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function civilFromDays(dayNumber: number): Civil {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** IsoDate is four digits of year, so day numbers outside 0000-01-01..9999-12-31 cannot be written down. */
const MIN_DAY = daysFromCivil(0, 1, 1);
const MAX_DAY = daysFromCivil(9999, 12, 31);

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function formatCivil({ year, month, day }: Civil): IsoDate {
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

function requireInRange(dayNumber: number): void {
  if (dayNumber < MIN_DAY || dayNumber > MAX_DAY) {
    throw new DateRangeError('date out of range: results must lie between 0000-01-01 and 9999-12-31');
  }
}

function fromDayNumber(dayNumber: number): IsoDate {
  requireInRange(dayNumber);
  return formatCivil(civilFromDays(dayNumber));
}

/** 0 = Sunday ... 6 = Saturday. Day 0 (1970-01-01) was a Thursday. */
function weekdayOfDayNumber(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

// --- Validation ---

/** Quotes a bad value for an error message, escaped and cut short so a huge or binary input cannot flood a log. */
function quote(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function requireInteger(what: string, n: number): void {
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
    throw new CalendarError(`${what} must be a whole number, got ${quote(n)}`);
  }
}

function parseCivil(value: string): Civil {
  if (typeof value !== 'string') {
    throw new CalendarError(`${quote(value)} is not a date: expected a YYYY-MM-DD string`);
  }
  if (!ISO_DATE_PATTERN.test(value)) {
    throw new CalendarError(`${quote(value)} is not a date in YYYY-MM-DD form`);
  }
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  if (month < 1 || month > 12) {
    throw new CalendarError(`${quote(value)} is not a real date: there is no month ${month}`);
  }
  const monthLength = daysInMonth(year, month);
  if (day < 1 || day > monthLength) {
    const monthName = MONTH_NAMES[month - 1] ?? `month ${month}`;
    throw new CalendarError(`${quote(value)} is not a real date: ${monthName} ${year} has ${monthLength} days`);
  }
  return { year, month, day };
}

function toDayNumber(date: IsoDate): number {
  const { year, month, day } = parseCivil(date);
  return daysFromCivil(year, month, day);
}

// --- Public API: dates ---

/** Parses and validates `YYYY-MM-DD` (real date: 2025-02-30 is refused). Throws CalendarError naming the reason. */
export function parseIsoDate(value: string): IsoDate {
  parseCivil(value);
  return value;
}

export function isIsoDate(value: string): boolean {
  try {
    parseCivil(value);
    return true;
  } catch {
    return false;
  }
}

/** -1, 0, 1 like a comparator. */
export function compareDates(a: IsoDate, b: IsoDate): number {
  const diff = toDayNumber(a) - toDayNumber(b);
  return diff < 0 ? -1 : diff > 0 ? 1 : 0;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  requireInteger('days', days);
  return fromDayNumber(toDayNumber(date) + days);
}

/** Calendar months, clamped to the month's last day: 2025-11-30 + 3 months = 2026-02-28. */
export function addMonths(date: IsoDate, months: number): IsoDate {
  requireInteger('months', months);
  const { year, month, day } = parseCivil(date);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  if (targetYear < 0 || targetYear > 9999) {
    throw new DateRangeError(`date out of range: ${date} plus ${months} months is beyond year 0000..9999`);
  }
  // Clamp rather than overflow: "one month after 31 January" is the end of February, never early March.
  const targetDay = Math.min(day, daysInMonth(targetYear, targetMonth));
  return formatCivil({ year: targetYear, month: targetMonth, day: targetDay });
}

/** 0 = Sunday ... 6 = Saturday. */
export function dayOfWeek(date: IsoDate): number {
  return weekdayOfDayNumber(toDayNumber(date));
}

/** Whole calendar days from `from` to `to`. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

// --- Public API: bank holidays and working days ---

/**
 * Holidays by year, computed on first use. Safe in the workflow sandbox: the cache only ever holds what the pure
 * rules compute, so a hit and a miss give the same answer.
 */
const holidayCache = new Map<number, ReadonlyMap<IsoDate, string>>();

function holidaysOf(year: number): ReadonlyMap<IsoDate, string> {
  let holidays = holidayCache.get(year);
  if (holidays === undefined) {
    holidays = new Map(englandAndWalesBankHolidays(year).map((h) => [h.date, h.name] as const));
    holidayCache.set(year, holidays);
  }
  return holidays;
}

/** Every England-and-Wales bank holiday in `year`, sorted (see `bank-holidays.ts` for the rules and sources). */
export function bankHolidaysIn(year: number): IsoDate[] {
  requireInteger('year', year);
  if (year < 0 || year > 9999) throw new CalendarError(`year ${year} is outside 0000..9999`);
  return [...holidaysOf(year).keys()];
}

/** The bank holiday's name as gov.uk gives it, or undefined when `date` is not a bank holiday. */
export function bankHolidayName(date: IsoDate): string | undefined {
  const civil = parseCivil(date);
  return holidaysOf(civil.year).get(date);
}

export function isBankHoliday(date: IsoDate): boolean {
  return bankHolidayName(date) !== undefined;
}

function isWorkingDayNumber(dayNumber: number): boolean {
  const weekday = weekdayOfDayNumber(dayNumber);
  if (weekday === SATURDAY || weekday === SUNDAY) return false;
  const civil = civilFromDays(dayNumber);
  return !holidaysOf(civil.year).has(formatCivil(civil));
}

/** Monday to Friday and not an England-and-Wales bank holiday. */
export function isWorkingDay(date: IsoDate): boolean {
  return isWorkingDayNumber(toDayNumber(date));
}

/**
 * The n-th working day after `date` (the date itself is day 0, whether or not it is a working day).
 * n < 0 counts backwards: the n-th working day before `date`. n = 0 returns `date`.
 *
 * "Within 10 working days of the conference" (Working Together 2023 and the local procedures) therefore means on or
 * before addWorkingDays(conference, 10).
 */
export function addWorkingDays(date: IsoDate, n: number): IsoDate {
  requireInteger('working days', n);
  let dayNumber = toDayNumber(date);
  const step = n < 0 ? -1 : 1;
  let remaining = Math.abs(n);
  while (remaining > 0) {
    dayNumber += step;
    // Stop at the edge of the representable range instead of looping on for an absurd n.
    requireInRange(dayNumber);
    if (isWorkingDayNumber(dayNumber)) remaining -= 1;
  }
  return fromDayNumber(dayNumber);
}

/** Working days d with from < d <= to, day numbers. */
function countWorkingDaysAfter(from: number, to: number): number {
  let count = 0;
  for (let d = from + 1; d <= to; d += 1) {
    if (isWorkingDayNumber(d)) count += 1;
  }
  return count;
}

/**
 * Working days after `from` up to and including `to` (negative when `to` is before `from`).
 * For n >= 0, workingDaysBetween(d, addWorkingDays(d, n)) === n.
 */
export function workingDaysBetween(from: IsoDate, to: IsoDate): number {
  const a = toDayNumber(from);
  const b = toDayNumber(to);
  // `0 - n` rather than `-n`: a backwards span with no working days must be 0, not -0 (Object.is, toBe).
  return b >= a ? countWorkingDaysAfter(a, b) : 0 - countWorkingDaysAfter(b, a);
}

const INTERVAL_UNITS: readonly string[] = ['days', 'weeks', 'months', 'workingDays'];

/** Policies arrive as data, so an interval with no unit, two units or an unknown one is refused, not guessed at. */
function requireSingleUnit(interval: Interval): void {
  if (typeof interval !== 'object' || interval === null) {
    throw new CalendarError(`${quote(interval)} is not an interval`);
  }
  const keys = Object.keys(interval);
  const [unit] = keys;
  if (keys.length !== 1 || unit === undefined || !INTERVAL_UNITS.includes(unit)) {
    throw new CalendarError(
      `interval must have exactly one of days, weeks, months, workingDays; got keys [${keys.join(', ')}]`,
    );
  }
}

/** {days}, {weeks} (7 days each), {months} (see addMonths) or {workingDays} (see addWorkingDays). */
export function addInterval(date: IsoDate, interval: Interval): IsoDate {
  requireSingleUnit(interval);
  if ('days' in interval) return addDays(date, interval.days);
  if ('weeks' in interval) {
    requireInteger('weeks', interval.weeks);
    return addDays(date, interval.weeks * 7);
  }
  if ('months' in interval) return addMonths(date, interval.months);
  return addWorkingDays(date, interval.workingDays);
}

/**
 * The fewest and the most calendar days an interval can span, whatever day it starts on: a month is 28 to 31 days,
 * working days stretch over weekends and bank holidays. Days and weeks are exact; months and working days are found
 * by trying every start day of four whole years (a leap year among them), 2023 to 2026.
 */
export function intervalDaySpan(interval: Interval): { min: number; max: number } {
  requireSingleUnit(interval);
  if ('days' in interval) return { min: interval.days, max: interval.days };
  if ('weeks' in interval) return { min: interval.weeks * 7, max: interval.weeks * 7 };
  const key = JSON.stringify(interval);
  const known = SPANS.get(key);
  if (known) return known;
  let min = Infinity;
  let max = -Infinity;
  for (let day = SPAN_WINDOW_START, n = 0; n < SPAN_WINDOW_DAYS; n++, day = addDays(day, 1)) {
    const span = daysBetween(day, addInterval(day, interval));
    if (span < min) min = span;
    if (span > max) max = span;
  }
  const span = { min, max };
  SPANS.set(key, span);
  return span;
}
const SPAN_WINDOW_START = '2023-01-01';
const SPAN_WINDOW_DAYS = 1461;
/** Computed spans, by interval: pure values, so a cache changes nothing observable (workflow code included). */
const SPANS = new Map<string, { min: number; max: number }>();

/** Whether two intervals are the same: the same unit and count (`{ weeks: 2 }` is not `{ days: 14 }`). */
export function sameInterval(a: Interval, b: Interval): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Whether `a` ends no later than `b` from any start day ("at least as often"): the same interval, or one whose
 * longest span is no longer than the other's shortest.
 */
export function isNoLongerThan(a: Interval, b: Interval): boolean {
  if (sameInterval(a, b)) return true;
  return intervalDaySpan(a).max <= intervalDaySpan(b).min;
}

/** `{ weeks: 4 }` -> '4 weeks', `{ months: 1 }` -> '1 month', `{ workingDays: 10 }` -> '10 working days'. */
export function describeInterval(interval: Interval): string {
  const [unit, n] = Object.entries(interval)[0] as [string, number];
  const words: Record<string, [string, string]> = {
    days: ['day', 'days'],
    weeks: ['week', 'weeks'],
    months: ['month', 'months'],
    workingDays: ['working day', 'working days'],
  };
  const [one, many] = words[unit] ?? [unit, unit];
  return `${n} ${n === 1 ? one : many}`;
}

// --- Public API: Europe/London civil time ---
//
// The UK rule since 1996 (the EU summer-time directive): BST (UTC+1) from 01:00 UTC on the last Sunday of March to
// 01:00 UTC on the last Sunday of October, GMT otherwise. Earlier years had other rules and are out of scope: this
// applies the current rule to every year, which is wrong before 1996. Implemented by hand because Intl (and its tz
// data) is off limits in the workflow sandbox.

/** Day number of the last Sunday of a 31-day month (March and October are the only ones used). */
function lastSundayOf31DayMonth(year: number, month: number): number {
  const last = daysFromCivil(year, month, 31);
  return last - weekdayOfDayNumber(last);
}

/** Whether Europe/London is on BST at the instant, by the post-1996 rule. */
function isBritishSummerTimeAt(epochMs: number): boolean {
  const { year } = civilFromDays(Math.floor(epochMs / MS_PER_DAY));
  const starts = lastSundayOf31DayMonth(year, 3) * MS_PER_DAY + MS_PER_HOUR;
  const ends = lastSundayOf31DayMonth(year, 10) * MS_PER_DAY + MS_PER_HOUR;
  return epochMs >= starts && epochMs < ends;
}

function requireInstant(epochMs: number): void {
  if (typeof epochMs !== 'number' || !Number.isFinite(epochMs)) {
    throw new CalendarError(`${quote(epochMs)} is not an instant (epoch milliseconds)`);
  }
}

/** Europe/London's offset from UTC at an instant, in ms: 3_600_000 during BST, 0 during GMT. */
export function londonUtcOffsetMs(epochMs: number): number {
  requireInstant(epochMs);
  return isBritishSummerTimeAt(epochMs) ? MS_PER_HOUR : 0;
}

/** The civil date in Europe/London at an instant (epoch milliseconds). */
export function londonDateAt(epochMs: number): IsoDate {
  return fromDayNumber(Math.floor((epochMs + londonUtcOffsetMs(epochMs)) / MS_PER_DAY));
}

/** The instant (epoch ms) at which `date` begins in Europe/London (00:00 local, GMT or BST). */
export function londonStartOfDay(date: IsoDate): number {
  const dayNumber = toDayNumber(date);
  const { year } = civilFromDays(dayNumber);
  // Local midnight is BST from the day after the spring change (its midnight is still GMT, the change being at
  // 01:00 UTC) through the autumn change day itself (its midnight, 23:00 UTC the evening before, is still BST).
  const bst = dayNumber > lastSundayOf31DayMonth(year, 3) && dayNumber <= lastSundayOf31DayMonth(year, 10);
  return dayNumber * MS_PER_DAY - (bst ? MS_PER_HOUR : 0);
}
