/** The audit's calendar: first working day of the month (bank holidays from gov.uk), for the previous month. */
import { auditMonthDueOn, firstWorkingDayOf, lastDayOf, previousMonth } from '../../domain/report-months';

describe('first working day of the month', () => {
  it.each([
    ['2026-01', '2026-01-02'], // Thu 1 Jan is New Year's Day
    ['2026-02', '2026-02-02'], // Sun 1 Feb
    ['2026-03', '2026-03-02'], // Sun 1 Mar
    ['2026-06', '2026-06-01'], // Mon
    ['2026-08', '2026-08-03'], // Sat 1 Aug
    ['2027-01', '2027-01-04'], // Fri 1 Jan New Year's Day, then the weekend
    ['2028-05', '2028-05-02'], // Mon 1 May 2028 is the Early May bank holiday
  ])('%s is %s', (month, expected) => {
    expect(firstWorkingDayOf(month)).toBe(expected);
  });
});

describe('which audit is due', () => {
  it('is none before the first working day, the previous month from it on (a missed run catches up)', () => {
    expect(auditMonthDueOn('2027-01-01')).toBeUndefined();
    expect(auditMonthDueOn('2027-01-03')).toBeUndefined();
    expect(auditMonthDueOn('2027-01-04')).toBe('2026-12');
    expect(auditMonthDueOn('2027-01-06')).toBe('2026-12');
  });

  it('knows month ends and the previous month across a year', () => {
    expect(previousMonth('2027-01')).toBe('2026-12');
    expect(lastDayOf('2028-02')).toBe('2028-02-29');
    expect(lastDayOf('2026-02')).toBe('2026-02-28');
  });
});
