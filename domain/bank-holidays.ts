/**
 * England-and-Wales bank holidays, computed from the standing rules plus an explicit table of one-off changes.
 *
 * Why rules rather than a downloaded list: this module runs inside Temporal workflow code (a deterministic sandbox,
 * no I/O) and deadlines can fall in any year, so the calendar must work offline for years nobody has published yet.
 * The price is that a new royal proclamation (an extra or moved bank holiday) must be added to
 * `BANK_HOLIDAY_EXCEPTIONS` by hand when it is announced; gov.uk/bank-holidays is the list to check against.
 *
 * Sources:
 * - Banking and Financial Dealings Act 1971: Schedule 1 lists the statutory days for England and Wales (Easter Monday,
 *   the last Mondays in May and August, Boxing Day with its substitute); section 1 lets royal proclamation move a
 *   day in a particular year (s.1(2)) or appoint an additional one (s.1(3)). New Year's Day and the Early May
 *   holiday are appointed by proclamation every year; Good Friday and Christmas Day are common-law holidays. All of
 *   them are treated alike here, as gov.uk lists them, because for a deadline only "is it a working day" matters.
 * - The standing rules below are those in force since 1978, when the Early May bank holiday was first held. Earlier
 *   years are computed with today's rules too, which is historically wrong (e.g. no Early May holiday before 1978);
 *   corewatch never needs them.
 * - https://www.gov.uk/bank-holidays (and its JSON feed) for every date from 2018 onwards, which the tests pin.
 *
 * Pure and self-contained (no imports besides types) so `calendar.ts` can depend on it without an import cycle.
 */
import type { IsoDate } from './types';

export interface BankHoliday {
  date: IsoDate;
  /** As gov.uk names it; substitute days say so, e.g. `Christmas Day (substitute day)`. */
  name: string;
}

/**
 * A one-off change made by royal proclamation. `remove` is the standing-rule date that was moved (s.1(2) of the 1971
 * Act); without `remove` the entry is an additional day (s.1(3)).
 */
export interface BankHolidayException {
  year: number;
  remove?: IsoDate;
  add: BankHoliday;
}

/** Every one-off change since the current standing rules began (1978). Keep in date order. */
export const BANK_HOLIDAY_EXCEPTIONS: readonly BankHolidayException[] = [
  // 1995: Early May bank holiday moved from Mon 1 May to Mon 8 May for the 50th anniversary of VE Day
  // (royal proclamation under s.1(2) of the Banking and Financial Dealings Act 1971).
  { year: 1995, remove: '1995-05-01', add: { date: '1995-05-08', name: 'Early May bank holiday (VE Day)' } },
  // 1999: Fri 31 Dec appointed an additional bank holiday for the Millennium (royal proclamation under s.1(3)).
  { year: 1999, add: { date: '1999-12-31', name: 'Millennium bank holiday' } },
  // 2002: Spring bank holiday moved from Mon 27 May to Tue 4 Jun, and Mon 3 Jun appointed for the Golden Jubilee of
  // Queen Elizabeth II (royal proclamations under s.1(2) and s.1(3)).
  { year: 2002, remove: '2002-05-27', add: { date: '2002-06-04', name: 'Spring bank holiday' } },
  { year: 2002, add: { date: '2002-06-03', name: 'Golden Jubilee bank holiday' } },
  // 2011: Fri 29 Apr appointed for the wedding of Prince William and Catherine Middleton (proclamation, s.1(3)).
  { year: 2011, add: { date: '2011-04-29', name: 'Royal Wedding bank holiday' } },
  // 2012: Spring bank holiday moved from Mon 28 May to Mon 4 Jun, and Tue 5 Jun appointed for the Diamond Jubilee
  // (royal proclamations under s.1(2) and s.1(3); gov.uk).
  { year: 2012, remove: '2012-05-28', add: { date: '2012-06-04', name: 'Spring bank holiday' } },
  { year: 2012, add: { date: '2012-06-05', name: 'Diamond Jubilee bank holiday' } },
  // 2020: Early May bank holiday moved from Mon 4 May to Fri 8 May for the 75th anniversary of VE Day
  // (royal proclamation under s.1(2); gov.uk/bank-holidays lists "Early May bank holiday (VE day)" on 2020-05-08).
  { year: 2020, remove: '2020-05-04', add: { date: '2020-05-08', name: 'Early May bank holiday (VE day)' } },
  // 2022: Spring bank holiday moved from Mon 30 May to Thu 2 Jun, and Fri 3 Jun appointed for the Platinum Jubilee
  // (royal proclamations under s.1(2) and s.1(3); gov.uk/bank-holidays).
  { year: 2022, remove: '2022-05-30', add: { date: '2022-06-02', name: 'Spring bank holiday' } },
  { year: 2022, add: { date: '2022-06-03', name: 'Platinum Jubilee bank holiday' } },
  // 2022: Mon 19 Sep appointed for the State Funeral of Queen Elizabeth II ("By the King, a proclamation appointing
  // Monday 19th September 2022 as a bank holiday in England, Wales and Northern Ireland", London Gazette; gov.uk).
  { year: 2022, add: { date: '2022-09-19', name: 'Bank Holiday for the State Funeral of Queen Elizabeth II' } },
  // 2023: Mon 8 May appointed for the Coronation of King Charles III (royal proclamation under s.1(3); gov.uk).
  { year: 2023, add: { date: '2023-05-08', name: 'Bank holiday for the coronation of King Charles III' } },
];

// --- Small civil-date helpers. Integer arithmetic only: no Date, no time zones. ---

const pad2 = (n: number): string => String(n).padStart(2, '0');

function isoOf(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/** 0 = Sunday ... 6 = Saturday, proleptic Gregorian (Sakamoto's method), so no day numbers are needed here. */
function weekday(year: number, month: number, day: number): number {
  const offsets = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4] as const;
  const y = month < 3 ? year - 1 : year;
  const offset = offsets[month - 1] ?? 0;
  const w = (y + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400) + offset + day) % 7;
  return (w + 7) % 7;
}

const MONDAY = 1;
const FRIDAY = 5;
const SATURDAY = 6;
const SUNDAY = 0;

/** Day of the month of the first Monday in a month. */
function firstMonday(year: number, month: number): number {
  const w = weekday(year, month, 1);
  return 1 + ((MONDAY - w + 7) % 7);
}

/** Day of the month of the last Monday in a 31-day month (May and August are the only ones the rules use). */
function lastMondayOf31DayMonth(year: number, month: number): number {
  const w = weekday(year, month, 31);
  return 31 - ((w - MONDAY + 7) % 7);
}

/**
 * Easter Sunday as a "day of March" (22..56; 32 means 1 April), by the anonymous Gregorian computus
 * (Meeus/Jones/Butcher). Counting from March keeps Good Friday (-2) and Easter Monday (+1) simple integer offsets.
 */
export function easterSundayMarchDay(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return month === 3 ? day : 31 + day;
}

function fromMarchDay(year: number, marchDay: number): IsoDate {
  return marchDay <= 31 ? isoOf(year, 3, marchDay) : isoOf(year, 4, marchDay - 31);
}

/** 1 January, or the following Monday when it falls at a weekend (as gov.uk lists e.g. 2022-01-03, 2023-01-02). */
function newYearsDay(year: number): BankHoliday {
  const w = weekday(year, 1, 1);
  if (w === SATURDAY) return { date: isoOf(year, 1, 3), name: "New Year's Day (substitute day)" };
  if (w === SUNDAY) return { date: isoOf(year, 1, 2), name: "New Year's Day (substitute day)" };
  return { date: isoOf(year, 1, 1), name: "New Year's Day" };
}

function easterHolidays(year: number): BankHoliday[] {
  const easter = easterSundayMarchDay(year);
  return [
    { date: fromMarchDay(year, easter - 2), name: 'Good Friday' },
    { date: fromMarchDay(year, easter + 1), name: 'Easter Monday' },
  ];
}

/**
 * Christmas Day and Boxing Day with their substitutes. Neither may land on a weekend; a substitute takes the next
 * weekday not already a holiday, which gives the three cases gov.uk publishes:
 * 25th Saturday -> 27th (Christmas) and 28th (Boxing); 25th Sunday -> 26th (Boxing) and 27th (Christmas);
 * 25th Friday (so 26th Saturday) -> 25th and 28th (Boxing).
 */
function christmasHolidays(year: number): BankHoliday[] {
  const w = weekday(year, 12, 25);
  if (w === SATURDAY) {
    return [
      { date: isoOf(year, 12, 27), name: 'Christmas Day (substitute day)' },
      { date: isoOf(year, 12, 28), name: 'Boxing Day (substitute day)' },
    ];
  }
  if (w === SUNDAY) {
    return [
      { date: isoOf(year, 12, 26), name: 'Boxing Day' },
      { date: isoOf(year, 12, 27), name: 'Christmas Day (substitute day)' },
    ];
  }
  if (w === FRIDAY) {
    return [
      { date: isoOf(year, 12, 25), name: 'Christmas Day' },
      { date: isoOf(year, 12, 28), name: 'Boxing Day (substitute day)' },
    ];
  }
  return [
    { date: isoOf(year, 12, 25), name: 'Christmas Day' },
    { date: isoOf(year, 12, 26), name: 'Boxing Day' },
  ];
}

/** The standing rules alone, before the one-off exceptions. Sorted by date. */
export function standingBankHolidays(year: number): BankHoliday[] {
  return [
    newYearsDay(year),
    ...easterHolidays(year),
    { date: isoOf(year, 5, firstMonday(year, 5)), name: 'Early May bank holiday' },
    { date: isoOf(year, 5, lastMondayOf31DayMonth(year, 5)), name: 'Spring bank holiday' },
    { date: isoOf(year, 8, lastMondayOf31DayMonth(year, 8)), name: 'Summer bank holiday' },
    ...christmasHolidays(year),
  ];
}

/**
 * Applies one exception. A `remove` that is not a standing date means the table and the rules disagree, which would
 * silently shift deadlines, so it fails loudly instead.
 */
function applyException(holidays: BankHoliday[], exception: BankHolidayException): BankHoliday[] {
  const { remove } = exception;
  const inYear = (date: IsoDate): boolean => date.startsWith(`${String(exception.year).padStart(4, '0')}-`);
  if (!inYear(exception.add.date) || (remove !== undefined && !inYear(remove))) {
    throw new Error(`bank holiday exceptions: an entry for ${exception.year} names a date in another year`);
  }
  let kept = holidays;
  if (remove !== undefined) {
    kept = holidays.filter((h) => h.date !== remove);
    if (kept.length === holidays.length) {
      throw new Error(`bank holiday exceptions: ${remove} is not a bank holiday to move in ${exception.year}`);
    }
  }
  if (kept.some((h) => h.date === exception.add.date)) {
    throw new Error(`bank holiday exceptions: ${exception.add.date} is already a bank holiday`);
  }
  return [...kept, exception.add];
}

/** Every England-and-Wales bank holiday in `year` (standing rules plus proclamations), sorted by date. */
export function englandAndWalesBankHolidays(year: number): BankHoliday[] {
  const exceptions = BANK_HOLIDAY_EXCEPTIONS.filter((e) => e.year === year);
  const holidays = exceptions.reduce(applyException, standingBankHolidays(year));
  // ISO strings of one year sort correctly as text.
  return [...holidays].sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}
