/**
 * Tests for the working-day calendar. Every expected value here is written out by hand (checked against gov.uk and
 * a printed calendar), never computed by the code under test: a deadline one day out is a safety failure.
 */
import {
  CalendarError,
  DateRangeError,
  addDays,
  addInterval,
  addMonths,
  addWorkingDays,
  bankHolidayName,
  bankHolidaysIn,
  compareDates,
  dayOfWeek,
  daysBetween,
  isBankHoliday,
  isIsoDate,
  isWorkingDay,
  londonDateAt,
  londonStartOfDay,
  londonUtcOffsetMs,
  parseIsoDate,
  workingDaysBetween,
} from '../../domain/calendar';
import { BANK_HOLIDAY_EXCEPTIONS, easterSundayMarchDay, standingBankHolidays } from '../../domain/bank-holidays';
import type { Interval, IsoDate } from '../../domain/types';

const HOUR = 3_600_000;

/**
 * England-and-Wales bank holidays as published at https://www.gov.uk/bank-holidays (and its JSON feed,
 * https://www.gov.uk/bank-holidays.json, "england-and-wales"), written out by hand. 2018-2021 are from the feed as
 * archived; 2022-2028 were hand-checked against the gov.uk page and the standing rules.
 */
const GOV_UK_BANK_HOLIDAYS: Record<number, string[]> = {
  2018: ['01-01', '03-30', '04-02', '05-07', '05-28', '08-27', '12-25', '12-26'],
  2019: ['01-01', '04-19', '04-22', '05-06', '05-27', '08-26', '12-25', '12-26'],
  2020: ['01-01', '04-10', '04-13', '05-08', '05-25', '08-31', '12-25', '12-28'],
  2021: ['01-01', '04-02', '04-05', '05-03', '05-31', '08-30', '12-27', '12-28'],
  2022: ['01-03', '04-15', '04-18', '05-02', '06-02', '06-03', '08-29', '09-19', '12-26', '12-27'],
  2023: ['01-02', '04-07', '04-10', '05-01', '05-08', '05-29', '08-28', '12-25', '12-26'],
  2024: ['01-01', '03-29', '04-01', '05-06', '05-27', '08-26', '12-25', '12-26'],
  2025: ['01-01', '04-18', '04-21', '05-05', '05-26', '08-25', '12-25', '12-26'],
  2026: ['01-01', '04-03', '04-06', '05-04', '05-25', '08-31', '12-25', '12-28'],
  2027: ['01-01', '03-26', '03-29', '05-03', '05-31', '08-30', '12-27', '12-28'],
  2028: ['01-03', '04-14', '04-17', '05-01', '05-29', '08-28', '12-25', '12-26'],
};

/**
 * Years with a one-off change by royal proclamation (Banking and Financial Dealings Act 1971 s.1), worked out by hand
 * from the standing rules plus the proclamation, weekdays checked against a printed calendar.
 */
const PROCLAMATION_YEARS: Record<number, string[]> = {
  // VE Day 50th: Early May moved from Mon 1 May to Mon 8 May.
  1995: ['01-02', '04-14', '04-17', '05-08', '05-29', '08-28', '12-25', '12-26'],
  // Millennium: Fri 31 Dec added (25 Dec was a Saturday, hence 27 and 28 Dec).
  1999: ['01-01', '04-02', '04-05', '05-03', '05-31', '08-30', '12-27', '12-28', '12-31'],
  // Golden Jubilee: Spring moved from Mon 27 May to Tue 4 Jun, Mon 3 Jun added.
  2002: ['01-01', '03-29', '04-01', '05-06', '06-03', '06-04', '08-26', '12-25', '12-26'],
  // Royal Wedding: Fri 29 Apr added.
  2011: ['01-03', '04-22', '04-25', '04-29', '05-02', '05-30', '08-29', '12-26', '12-27'],
  // Diamond Jubilee: Spring moved from Mon 28 May to Mon 4 Jun, Tue 5 Jun added.
  2012: ['01-02', '04-06', '04-09', '05-07', '06-04', '06-05', '08-27', '12-25', '12-26'],
};

const datesOf = (year: number, monthDays: string[]): IsoDate[] => monthDays.map((md) => `${year}-${md}`);

// Source: gov.uk/bank-holidays (England and Wales); the rules in domain/bank-holidays.ts must reproduce it exactly.
describe('bank holidays: gov.uk list, every day of every year 2018-2028', () => {
  it.each(Object.entries(GOV_UK_BANK_HOLIDAYS))(
    '%s matches gov.uk exactly (no missing, no extra days)',
    (year, mds) => {
      expect(bankHolidaysIn(Number(year))).toEqual(datesOf(Number(year), mds));
    },
  );

  it('names days as gov.uk does', () => {
    expect(bankHolidayName('2023-05-08')).toBe('Bank holiday for the coronation of King Charles III');
    expect(bankHolidayName('2022-09-19')).toBe('Bank Holiday for the State Funeral of Queen Elizabeth II');
    expect(bankHolidayName('2022-12-27')).toBe('Christmas Day (substitute day)');
    expect(bankHolidayName('2026-12-28')).toBe('Boxing Day (substitute day)');
    expect(bankHolidayName('2025-04-18')).toBe('Good Friday');
    expect(bankHolidayName('2025-04-17')).toBeUndefined();
  });
});

// Source: royal proclamations under the Banking and Financial Dealings Act 1971 s.1(2)/(3), as listed on gov.uk.
describe('bank holidays: one-off proclamations', () => {
  it.each(Object.entries(PROCLAMATION_YEARS))('%s includes its proclaimed changes', (year, mds) => {
    expect(bankHolidaysIn(Number(year))).toEqual(datesOf(Number(year), mds));
  });

  it('2022 Spring bank holiday moved off Mon 30 May to Thu 2 Jun', () => {
    expect(isBankHoliday('2022-05-30')).toBe(false);
    expect(isWorkingDay('2022-05-30')).toBe(true);
    expect(bankHolidayName('2022-06-02')).toBe('Spring bank holiday');
    expect(isWorkingDay('2022-06-03')).toBe(false);
  });

  it('the Coronation (2023-05-08) and the State Funeral (2022-09-19) are not working days', () => {
    expect(isWorkingDay('2023-05-08')).toBe(false);
    expect(isWorkingDay('2022-09-19')).toBe(false);
  });

  it('2020 Early May bank holiday moved from Mon 4 May to Fri 8 May (VE Day 75th)', () => {
    expect(isWorkingDay('2020-05-04')).toBe(true);
    expect(isWorkingDay('2020-05-08')).toBe(false);
  });

  it('every exception moves a day that the standing rules actually produce, within its own year', () => {
    for (const exception of BANK_HOLIDAY_EXCEPTIONS) {
      const standing = standingBankHolidays(exception.year).map((h) => h.date);
      if (exception.remove !== undefined) expect(standing).toContain(exception.remove);
      expect(standing).not.toContain(exception.add.date);
      expect(exception.add.date.slice(0, 4)).toBe(String(exception.year));
    }
  });
});

// Source: the standing rules (gov.uk/bank-holidays; Banking and Financial Dealings Act 1971), for years with no list.
describe('bank holidays: standing rules in unpublished years', () => {
  it('Easter by the Gregorian computus, including the earliest and latest possible dates', () => {
    // Easter Sunday as a day of March (32 = 1 April). Dates from published Easter tables.
    expect(easterSundayMarchDay(1818)).toBe(22); // 22 March, the earliest possible
    expect(easterSundayMarchDay(2285)).toBe(22);
    expect(easterSundayMarchDay(2008)).toBe(23); // 23 March
    expect(easterSundayMarchDay(2024)).toBe(31); // 31 March
    expect(easterSundayMarchDay(2019)).toBe(31 + 21); // 21 April
    expect(easterSundayMarchDay(2038)).toBe(31 + 25); // 25 April, the latest possible
  });

  it('Good Friday and Easter Monday straddle a month end', () => {
    // Easter 2024 was Sunday 31 March: Good Friday 29 March, Easter Monday 1 April.
    expect(isBankHoliday('2024-03-29')).toBe(true);
    expect(isBankHoliday('2024-04-01')).toBe(true);
    // Easter 2038 is Sunday 25 April: Good Friday 23 April, Easter Monday 26 April.
    expect(isBankHoliday('2038-04-23')).toBe(true);
    expect(isBankHoliday('2038-04-26')).toBe(true);
  });

  it('Christmas and Boxing Day substitutes for each weekday case', () => {
    // 25 Dec 2032 is a Saturday: 27 Dec (Christmas) and 28 Dec (Boxing) substitute.
    expect(bankHolidaysIn(2032).filter((d) => d.startsWith('2032-12'))).toEqual(['2032-12-27', '2032-12-28']);
    // 25 Dec 2033 is a Sunday: 26 Dec (Boxing) and 27 Dec (Christmas substitute).
    expect(bankHolidaysIn(2033).filter((d) => d.startsWith('2033-12'))).toEqual(['2033-12-26', '2033-12-27']);
    // 25 Dec 2037 is a Friday: 26 Dec is a Saturday, so Boxing Day moves to Monday 28 Dec.
    expect(bankHolidaysIn(2037).filter((d) => d.startsWith('2037-12'))).toEqual(['2037-12-25', '2037-12-28']);
  });

  it('New Year on a weekend moves to the Monday', () => {
    expect(bankHolidaysIn(2033)[0]).toBe('2033-01-03'); // 1 Jan 2033 is a Saturday
    expect(bankHolidaysIn(2034)[0]).toBe('2034-01-02'); // 1 Jan 2034 is a Sunday
  });

  it('works for far-off years offline and refuses nonsense years', () => {
    expect(bankHolidaysIn(2100)).toHaveLength(8);
    expect(() => bankHolidaysIn(2025.5)).toThrow(CalendarError);
    expect(() => bankHolidaysIn(10_000)).toThrow(CalendarError);
  });
});

// Source: ISO 8601 calendar dates (YYYY-MM-DD), proleptic Gregorian; weekdays checked against a printed calendar.
describe('dayOfWeek', () => {
  it.each([
    ['1970-01-01', 4],
    ['2000-01-01', 6],
    ['2000-02-29', 2],
    ['2024-02-29', 4],
    ['2025-01-03', 5],
    ['2025-12-25', 4],
    ['2023-05-08', 1],
    ['1900-01-01', 1],
    ['1600-01-01', 6],
    ['0001-01-01', 1],
    ['9999-12-31', 5],
    ['2038-01-19', 2],
  ])('%s is day %i (0 = Sunday)', (date, expected) => {
    expect(dayOfWeek(date)).toBe(expected);
  });
});

// Source: ISO 8601 dates; corewatch refuses bad dates at every boundary rather than guess (types.ts).
describe('parseIsoDate and isIsoDate', () => {
  it.each(['2024-02-29', '2000-02-29', '2025-12-31', '2025-01-01', '0000-01-01', '9999-12-31'])(
    'accepts %s',
    (value) => {
      expect(parseIsoDate(value)).toBe(value);
      expect(isIsoDate(value)).toBe(true);
    },
  );

  it.each([
    ['2025-02-29', '"2025-02-29" is not a real date: February 2025 has 28 days'],
    ['2025-02-30', '"2025-02-30" is not a real date'],
    ['1900-02-29', '"1900-02-29" is not a real date'],
    ['2025-04-31', '"2025-04-31" is not a real date: April 2025 has 30 days'],
    ['2025-01-00', '"2025-01-00" is not a real date'],
    ['2025-13-01', '"2025-13-01" is not a real date: there is no month 13'],
    ['2025-00-10', '"2025-00-10" is not a real date: there is no month 0'],
    ['2025-1-01', '"2025-1-01" is not a date in YYYY-MM-DD form'],
    ['2025-01-01T00:00', 'is not a date in YYYY-MM-DD form'],
    [' 2025-01-01', 'is not a date in YYYY-MM-DD form'],
    ['2025-01-01\n', 'is not a date in YYYY-MM-DD form'],
    ['20250101', 'is not a date in YYYY-MM-DD form'],
    ['+2025-01-01', 'is not a date in YYYY-MM-DD form'],
    ['２０２５-01-01', 'is not a date in YYYY-MM-DD form'],
    ['', '"" is not a date in YYYY-MM-DD form'],
  ])('refuses %j with a message saying why', (value, message) => {
    expect(() => parseIsoDate(value)).toThrow(CalendarError);
    expect(() => parseIsoDate(value)).toThrow(message);
    expect(isIsoDate(value)).toBe(false);
  });

  it('refuses non-strings without isIsoDate throwing', () => {
    const notAString = 20250101 as unknown as string;
    expect(() => parseIsoDate(notAString)).toThrow(CalendarError);
    expect(isIsoDate(notAString)).toBe(false);
    expect(isIsoDate(undefined as unknown as string)).toBe(false);
  });

  it('every function refuses an invalid date instead of computing with it', () => {
    expect(() => addDays('2025-02-30', 1)).toThrow(CalendarError);
    expect(() => addMonths('2025-13-01', 1)).toThrow(CalendarError);
    expect(() => addWorkingDays('2025-2-1', 1)).toThrow(CalendarError);
    expect(() => workingDaysBetween('2025-01-01', '2025-02-29')).toThrow(CalendarError);
    expect(() => isWorkingDay('2025-02-29')).toThrow(CalendarError);
    expect(() => compareDates('2025-01-01', 'tomorrow')).toThrow(CalendarError);
    expect(() => londonStartOfDay('2025-06-31')).toThrow(CalendarError);
  });

  it('CalendarError is an Error named CalendarError', () => {
    const error = (() => {
      try {
        parseIsoDate('nope');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(CalendarError);
    expect((error as Error).name).toBe('CalendarError');
  });
});

// Source: Gregorian calendar arithmetic; "6 weeks", "28 days" in the local procedures (guidance/000, 004) are days.
describe('addDays, daysBetween, compareDates', () => {
  it.each([
    ['2024-02-28', 1, '2024-02-29'],
    ['2025-02-28', 1, '2025-03-01'],
    ['1900-02-28', 1, '1900-03-01'],
    ['2000-02-28', 1, '2000-02-29'],
    ['2024-12-31', 1, '2025-01-01'],
    ['2025-01-01', -1, '2024-12-31'],
    ['2024-01-01', 365, '2024-12-31'],
    ['2025-01-15', 42, '2025-02-26'],
    ['2025-03-29', 2, '2025-03-31'],
    ['2025-10-25', 2, '2025-10-27'],
    ['2025-06-15', 0, '2025-06-15'],
  ])('%s + %i days = %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it('counts whole days, across leap years and clock changes', () => {
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2025-01-01', '2026-01-01')).toBe(365);
    expect(daysBetween('1970-01-01', '2000-01-01')).toBe(10957);
    expect(daysBetween('2025-03-29', '2025-03-31')).toBe(2);
    expect(daysBetween('2025-01-10', '2025-01-03')).toBe(-7);
    expect(daysBetween('2025-01-10', '2025-01-10')).toBe(0);
  });

  it('compares', () => {
    expect(compareDates('2025-01-01', '2025-01-02')).toBe(-1);
    expect(compareDates('2025-01-02', '2025-01-01')).toBe(1);
    expect(compareDates('2025-01-01', '2025-01-01')).toBe(0);
    expect(compareDates('2024-12-31', '2025-01-01')).toBe(-1);
  });

  it('refuses fractional days and results beyond year 9999', () => {
    expect(() => addDays('2025-01-01', 0.5)).toThrow(CalendarError);
    expect(() => addDays('2025-01-01', Number.NaN)).toThrow(CalendarError);
    expect(() => addDays('9999-12-31', 1)).toThrow(CalendarError);
    expect(() => addDays('0000-01-01', -1)).toThrow(CalendarError);
  });

  it('tells a result beyond the calendar (DateRangeError, which the engine refuses as input) from a bad argument', () => {
    expect(() => addDays('9999-12-31', 1)).toThrow(DateRangeError);
    expect(() => addMonths('9999-10-01', 3)).toThrow(DateRangeError);
    expect(() => addWorkingDays('9999-12-30', 5)).toThrow(DateRangeError);
    const thrown = (f: () => unknown): unknown => {
      try {
        f();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    for (const bad of [() => addDays('2025-01-01', 0.5), () => addInterval('2025-01-01', { days: 1, weeks: 1 })]) {
      expect(thrown(bad)).toBeInstanceOf(CalendarError);
      expect(thrown(bad)).not.toBeInstanceOf(DateRangeError);
    }
  });
});

// Source: "at least every 2 months" (Camden, guidance/001): calendar months, clamped so a month never overflows into
// the next (one month after 31 January is the end of February, not 3 March).
describe('addMonths', () => {
  it.each([
    ['2025-11-30', 3, '2026-02-28'],
    ['2024-11-30', 3, '2025-02-28'],
    ['2023-11-30', 3, '2024-02-29'],
    ['2025-01-31', 1, '2025-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2025-05-31', 1, '2025-06-30'],
    ['2025-03-31', -1, '2025-02-28'],
    ['2025-12-15', 1, '2026-01-15'],
    ['2025-01-15', -1, '2024-12-15'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2024-02-29', 48, '2028-02-29'],
    ['2025-12-31', 2, '2026-02-28'],
    ['2025-06-10', 0, '2025-06-10'],
    ['2025-06-10', -18, '2023-12-10'],
  ])('%s + %i months = %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it('refuses fractional months and out-of-range results', () => {
    expect(() => addMonths('2025-01-01', 1.5)).toThrow(CalendarError);
    expect(() => addMonths('9999-12-01', 1)).toThrow(CalendarError);
  });
});

// Source: Working Together to Safeguard Children 2023 and the local procedures in /work/shared/guidance ("within 10
// working days of the initial conference", "within 5 working days of the meeting"): working days exclude weekends
// and England-and-Wales bank holidays (gov.uk/bank-holidays); the day of the triggering event is day 0.
describe('isWorkingDay and addWorkingDays', () => {
  it('working days are Monday to Friday and not bank holidays', () => {
    expect(isWorkingDay('2025-01-03')).toBe(true); // Friday
    expect(isWorkingDay('2025-01-04')).toBe(false); // Saturday
    expect(isWorkingDay('2025-01-05')).toBe(false); // Sunday
    expect(isWorkingDay('2025-12-25')).toBe(false); // Christmas Day, Thursday
    expect(isWorkingDay('2025-12-24')).toBe(true); // Christmas Eve is not a bank holiday
  });

  it.each([
    // [start, n, expected, why]
    ['2025-01-03', 1, '2025-01-06', 'Fri + 1 is the Monday'],
    ['2025-01-03', 0, '2025-01-03', 'n = 0 is the date itself'],
    ['2025-01-04', 0, '2025-01-04', 'n = 0 even on a Saturday'],
    ['2025-01-04', 1, '2025-01-06', 'a Saturday start counts from the Monday'],
    ['2025-12-25', 1, '2025-12-29', 'a bank holiday start: 26 Dec holiday, then a weekend'],
    ['2025-12-15', 10, '2025-12-31', '16-19, 22-24, 29-31 Dec; 25 and 26 Dec are bank holidays'],
    ['2025-12-15', 11, '2026-01-02', '1 Jan 2026 is a bank holiday'],
    ['2025-12-15', 12, '2026-01-05', 'then the weekend'],
    ['2023-05-04', 10, '2023-05-19', 'the Coronation, Mon 8 May 2023, is skipped'],
    ['2025-04-17', 5, '2025-04-28', 'Good Friday 18 Apr and Easter Monday 21 Apr 2025 are skipped'],
    ['2026-12-24', 3, '2026-12-31', 'Christmas Fri 25 Dec, Boxing Day substitute Mon 28 Dec 2026'],
    ['2026-12-24', 4, '2027-01-04', 'New Year Fri 1 Jan 2027'],
    ['2022-06-01', 1, '2022-06-06', 'Thu 2 and Fri 3 Jun 2022 (Spring, Platinum Jubilee)'],
    ['2022-05-27', 1, '2022-05-30', 'Mon 30 May 2022 was a working day (Spring moved)'],
    ['2022-09-16', 1, '2022-09-20', 'Mon 19 Sep 2022, the State Funeral'],
    ['2025-01-06', -1, '2025-01-03', 'backwards from a Monday is the Friday'],
    ['2026-01-02', -2, '2025-12-30', 'backwards across New Year'],
    ['2025-04-22', -1, '2025-04-17', 'backwards across Easter'],
    ['2025-01-04', -1, '2025-01-03', 'backwards from a Saturday'],
  ])('%s + %i working days = %s (%s)', (start, n, expected) => {
    expect(addWorkingDays(start, n)).toBe(expected);
  });

  it('refuses a fractional count', () => {
    expect(() => addWorkingDays('2025-01-01', 1.5)).toThrow(CalendarError);
    expect(() => addWorkingDays('2025-01-01', Number.POSITIVE_INFINITY)).toThrow(CalendarError);
  });
});

/**
 * An independent reference for working days, written for the test only (Date.UTC, plus the hand-written gov.uk table
 * above), so the module is checked against something other than itself.
 */
const GOV_UK_SET = new Set(Object.entries(GOV_UK_BANK_HOLIDAYS).flatMap(([y, mds]) => datesOf(Number(y), mds)));
const referenceIso = (ms: number): IsoDate => new Date(ms).toISOString().slice(0, 10);
const referenceIsWorkingDay = (ms: number): boolean => {
  const weekday = new Date(ms).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !GOV_UK_SET.has(referenceIso(ms));
};
function referenceAddWorkingDays(start: IsoDate, n: number): IsoDate {
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  let ms = Date.UTC(y, m - 1, d);
  let left = n;
  while (left > 0) {
    ms += 24 * HOUR;
    if (referenceIsWorkingDay(ms)) left -= 1;
  }
  return referenceIso(ms);
}

/** Every day from `first` for `count` days, by the test's own Date.UTC arithmetic. */
function everyDay(first: IsoDate, count: number): IsoDate[] {
  const [y, m, d] = first.split('-').map(Number) as [number, number, number];
  return Array.from({ length: count }, (_, i) => referenceIso(Date.UTC(y, m - 1, d + i)));
}

// Source: as addWorkingDays (Working Together 2023, guidance/*: "within N working days"); holidays from gov.uk.
describe('workingDaysBetween and its invariants', () => {
  it('counts working days d with from < d <= to', () => {
    expect(workingDaysBetween('2025-12-15', '2025-12-31')).toBe(10);
    expect(workingDaysBetween('2025-01-03', '2025-01-06')).toBe(1);
    expect(workingDaysBetween('2025-01-03', '2025-01-03')).toBe(0);
    expect(workingDaysBetween('2025-01-04', '2025-01-05')).toBe(0); // Saturday to Sunday
    expect(workingDaysBetween('2025-01-06', '2025-01-03')).toBe(-1);
    expect(workingDaysBetween('2025-01-05', '2025-01-04')).toBe(0); // backwards over a weekend: 0, never -0
    expect(workingDaysBetween('2025-12-31', '2025-12-15')).toBe(-10);
    expect(workingDaysBetween('2023-05-04', '2023-05-19')).toBe(10);
    expect(workingDaysBetween('2025-01-01', '2026-01-01')).toBe(253); // 261 weekdays 2 Jan..1 Jan, less 8 holidays
  });

  const days = everyDay('2021-12-01', 400); // a winter, an Easter, a jubilee, a funeral, two Christmases
  const counts = [0, 1, 2, 5, 10, 15, 23];

  it('workingDaysBetween(d, addWorkingDays(d, n)) === n for n >= 0 over 400 consecutive days', () => {
    for (const day of days) {
      for (const n of counts) expect(workingDaysBetween(day, addWorkingDays(day, n))).toBe(n);
    }
  });

  it('addWorkingDays agrees with an independent reference for every start day 2022-2027', () => {
    for (const day of everyDay('2022-01-01', 6 * 365)) {
      for (const n of [1, 5, 10, 15]) expect(addWorkingDays(day, n)).toBe(referenceAddWorkingDays(day, n));
    }
  });

  it('counting back from a working day is the mirror of counting forward', () => {
    for (const day of days.filter((d) => isWorkingDay(d))) {
      for (const n of counts) expect(workingDaysBetween(addWorkingDays(day, -n), day)).toBe(n);
    }
  });

  it('is antisymmetric and the n-th working day is a working day', () => {
    for (const [i, day] of days.entries()) {
      const other = days[(i * 37) % days.length] as IsoDate;
      expect(workingDaysBetween(day, other) + workingDaysBetween(other, day)).toBe(0);
      expect(isWorkingDay(addWorkingDays(day, 1 + (i % 12)))).toBe(true);
      expect(isWorkingDay(addWorkingDays(day, -1 - (i % 12)))).toBe(true);
    }
  });
});

// Source: types.ts Interval; the policies in domain/policies express their guidance clocks (guidance/000-004) as one.
describe('addInterval', () => {
  it.each<[IsoDate, Interval, IsoDate]>([
    ['2025-01-15', { days: 14 }, '2025-01-29'],
    ['2025-01-15', { weeks: 6 }, '2025-02-26'],
    ['2025-12-31', { months: 2 }, '2026-02-28'],
    ['2025-12-15', { workingDays: 10 }, '2025-12-31'],
    ['2025-01-15', { days: -1 }, '2025-01-14'],
  ])('%s + %j = %s', (date, interval, expected) => {
    expect(addInterval(date, interval)).toBe(expected);
  });

  it('refuses an interval without exactly one known unit', () => {
    expect(() => addInterval('2025-01-01', {} as unknown as Interval)).toThrow(CalendarError);
    expect(() => addInterval('2025-01-01', { days: 1, weeks: 1 })).toThrow(CalendarError);
    expect(() => addInterval('2025-01-01', { fortnights: 1 } as unknown as Interval)).toThrow(CalendarError);
    expect(() => addInterval('2025-01-01', null as unknown as Interval)).toThrow(CalendarError);
    expect(() => addInterval('2025-01-01', { weeks: 0.5 })).toThrow(CalendarError);
  });
});

// Source: The Summer Time Order / EU directive 2000/84/EC as applied in the UK since 1996: BST (UTC+1) from 01:00
// UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October. Switch days checked against a calendar:
// 2024: 31 Mar / 27 Oct; 2025: 30 Mar / 26 Oct; 2026: 29 Mar / 25 Oct.
describe('Europe/London civil time', () => {
  it('start of day in winter and summer', () => {
    expect(londonStartOfDay('2025-07-01')).toBe(Date.UTC(2025, 5, 30, 23, 0));
    expect(londonStartOfDay('2025-01-15')).toBe(Date.UTC(2025, 0, 15, 0, 0));
  });

  it('start of day around the switch days', () => {
    expect(londonStartOfDay('2025-03-30')).toBe(Date.UTC(2025, 2, 30, 0, 0)); // midnight still GMT
    expect(londonStartOfDay('2025-03-31')).toBe(Date.UTC(2025, 2, 30, 23, 0));
    expect(londonStartOfDay('2025-10-26')).toBe(Date.UTC(2025, 9, 25, 23, 0)); // midnight still BST
    expect(londonStartOfDay('2025-10-27')).toBe(Date.UTC(2025, 9, 27, 0, 0));
    expect(londonStartOfDay('2024-03-31')).toBe(Date.UTC(2024, 2, 31, 0, 0));
    expect(londonStartOfDay('2024-04-01')).toBe(Date.UTC(2024, 2, 31, 23, 0));
    expect(londonStartOfDay('2026-10-25')).toBe(Date.UTC(2026, 9, 24, 23, 0));
    expect(londonStartOfDay('2026-10-26')).toBe(Date.UTC(2026, 9, 26, 0, 0));
  });

  it('the clocks change at exactly 01:00 UTC', () => {
    expect(londonUtcOffsetMs(Date.UTC(2025, 2, 30, 0, 59, 59, 999))).toBe(0);
    expect(londonUtcOffsetMs(Date.UTC(2025, 2, 30, 1, 0))).toBe(HOUR);
    expect(londonUtcOffsetMs(Date.UTC(2025, 9, 26, 0, 59, 59, 999))).toBe(HOUR);
    expect(londonUtcOffsetMs(Date.UTC(2025, 9, 26, 1, 0))).toBe(0);
    expect(londonUtcOffsetMs(Date.UTC(2026, 2, 29, 0, 59, 59, 999))).toBe(0);
    expect(londonUtcOffsetMs(Date.UTC(2026, 2, 29, 1, 0))).toBe(HOUR);
    expect(londonUtcOffsetMs(Date.UTC(2025, 0, 1, 12, 0))).toBe(0);
    expect(londonUtcOffsetMs(Date.UTC(2025, 6, 1, 12, 0))).toBe(HOUR);
  });

  it.each([
    // Spring 2025: either side of 01:00 UTC, then late evening when BST moves the date.
    [Date.UTC(2025, 2, 30, 0, 59, 59, 999), '2025-03-30'],
    [Date.UTC(2025, 2, 30, 1, 0), '2025-03-30'],
    [Date.UTC(2025, 2, 29, 23, 30), '2025-03-29'], // Saturday 23:30 GMT
    [Date.UTC(2025, 2, 30, 22, 59, 59, 999), '2025-03-30'], // 23:59:59.999 BST
    [Date.UTC(2025, 2, 30, 23, 0), '2025-03-31'], // 00:00 BST Monday
    // Autumn 2025.
    [Date.UTC(2025, 9, 25, 22, 59, 59, 999), '2025-10-25'],
    [Date.UTC(2025, 9, 25, 23, 0), '2025-10-26'], // 00:00 BST Sunday
    [Date.UTC(2025, 9, 26, 0, 59, 59, 999), '2025-10-26'], // 01:59:59.999 BST
    [Date.UTC(2025, 9, 26, 1, 0), '2025-10-26'], // 01:00 GMT, the repeated hour
    [Date.UTC(2025, 9, 26, 23, 30), '2025-10-26'], // 23:30 GMT
    [Date.UTC(2025, 9, 27, 0, 0), '2025-10-27'],
    // Ordinary days and the year end (always GMT).
    [Date.UTC(2025, 6, 1, 23, 30), '2025-07-02'],
    [Date.UTC(2025, 0, 15, 23, 59, 59, 999), '2025-01-15'],
    [Date.UTC(2025, 11, 31, 23, 59, 59, 999), '2025-12-31'],
    [Date.UTC(2026, 0, 1, 0, 0), '2026-01-01'],
  ])('londonDateAt(%i) is %s', (ms, expected) => {
    expect(londonDateAt(ms)).toBe(expected);
  });

  it('every day of 2024-2026 starts where the previous one ends, 23 or 25 hours long only on switch days', () => {
    const switchDays = new Set(['2024-03-31', '2024-10-27', '2025-03-30', '2025-10-26', '2026-03-29', '2026-10-25']);
    for (const day of everyDay('2024-01-01', 3 * 365 + 1)) {
      const start = londonStartOfDay(day);
      const next = londonStartOfDay(addDays(day, 1));
      expect(londonDateAt(start)).toBe(day);
      expect(londonDateAt(start - 1)).toBe(addDays(day, -1));
      expect(londonDateAt(next - 1)).toBe(day);
      const expectedLength = switchDays.has(day) ? (day.slice(5, 7) === '03' ? 23 : 25) : 24;
      expect((next - start) / HOUR).toBe(expectedLength);
    }
  });

  it('refuses an instant that is not a finite number', () => {
    expect(() => londonDateAt(Number.NaN)).toThrow(CalendarError);
    expect(() => londonDateAt(Number.POSITIVE_INFINITY)).toThrow(CalendarError);
  });
});
