/**
 * The obligations engine, one describe per policy row of the issue, each citing its source.
 *
 * Every expected date is computed by hand (the reasoning is in the comments), never by the engine or the calendar.
 * Dates avoid bank holidays (England and Wales 2025: 1 Jan, 18 and 21 Apr, 5 and 26 May, 25 Aug, 25 and 26 Dec),
 * so "n working days" below is simply n weekdays. Day 0 is the triggering date.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluatePlan, PlanInputError } from '../../domain/obligations';
import { barnsley } from '../../domain/policies/barnsley';
import { camden } from '../../domain/policies/camden';
import { cwmTaf } from '../../domain/policies/cwm-taf';
import { england } from '../../domain/policies/england';
import { citationsOf, getPolicy, getPolicyVersion, isPolicyId, POLICY_IDS } from '../../domain/policies';
import { sandwell } from '../../domain/policies/sandwell';
import { wales } from '../../domain/policies/wales';
import type { Citation, Interval, IsoDate, Obligation, PlanEvent, PlanType, Policy } from '../../domain/types';
import { GUIDANCE_CHECKS_RUN, GUIDANCE_DIR, guidanceText, normaliseGuidance } from '../support/guidance';

function evaluate(
  policy: Policy,
  startedOn: IsoDate,
  events: PlanEvent[],
  asOf: IsoDate,
  type: PlanType = 'child-protection',
) {
  return evaluatePlan({ policy, plan: { type, startedOn }, events }, asOf);
}

/** The fields a test states by hand; `rule` and `rulesVersion` are checked separately. */
function brief(obligations: Obligation[]) {
  return obligations.map(({ key, due, status, metOn, from }) => ({ key, due, status, metOn, from }));
}

const held = (on: IsoDate, id?: string): PlanEvent =>
  id ? { type: 'core-group-held', on, id } : { type: 'core-group-held', on };
const record = (meetingOn: IsoDate, on: IsoDate): PlanEvent => ({ type: 'record-circulated', on, meetingOn });
const minutes = (meetingOn: IsoDate, on: IsoDate): PlanEvent => ({ type: 'minutes-received', on, meetingOn });
const review = (on: IsoDate): PlanEvent => ({ type: 'review-conference-held', on });
const seen = (on: IsoDate): PlanEvent => ({ type: 'child-seen', on });
const cancelled = (on: IsoDate): PlanEvent => ({ type: 'core-group-cancelled', on });
const ended = (on: IsoDate): PlanEvent => ({ type: 'plan-ended', on });

const ruleOf = (obligations: Obligation[], key: string): Citation | undefined =>
  obligations.find((o) => o.key === key)?.rule;

describe('england: Working Together to Safeguard Children 2023 (statutory guidance), child protection plans', () => {
  // ICPC Monday 2025-09-01.
  // First core group: 10 working days: 2,3,4,5 Sep (4), 8-12 Sep (9), 15 Sep (10) -> Monday 2025-09-15.
  const ICPC = '2025-09-01';

  it('computes the first core group, the six-weekly chain, the records and the review conferences', () => {
    const events = [
      held('2025-09-11'),
      record('2025-09-11', '2025-09-19'),
      held('2025-10-23'),
      record('2025-10-23', '2025-10-27'),
      review('2025-11-24'),
    ];
    const result = evaluate(england, ICPC, events, '2025-12-05');
    expect(brief(result)).toEqual([
      { key: 'first-core-group', due: '2025-09-15', status: 'met', metOn: '2025-09-11', from: ICPC },
      // Thu 11 Sep + 5 working days: 12, 15, 16, 17, 18 Sep -> Thu 2025-09-18; circulated the 19th: late.
      {
        key: 'core-group-record@2025-09-11',
        due: '2025-09-18',
        status: 'late',
        metOn: '2025-09-19',
        from: '2025-09-11',
      },
      // 11 Sep + 6 weeks (42 days): 11 Sep + 19 = 30 Sep, + 23 = 23 Oct. Held on the due date: met.
      { key: 'core-group#2', due: '2025-10-23', status: 'met', metOn: '2025-10-23', from: '2025-09-11' },
      // Thu 23 Oct + 5 working days -> Thu 2025-10-30.
      {
        key: 'core-group-record@2025-10-23',
        due: '2025-10-30',
        status: 'met',
        metOn: '2025-10-27',
        from: '2025-10-23',
      },
      // ICPC + 3 calendar months -> 2025-12-01.
      { key: 'review-conference#1', due: '2025-12-01', status: 'met', metOn: '2025-11-24', from: ICPC },
      // 23 Oct + 42 days: 23 Oct + 8 = 31 Oct, + 30 = 30 Nov, + 4 = 4 Dec. Not held by 5 Dec: overdue.
      { key: 'core-group#3', due: '2025-12-04', status: 'overdue', metOn: undefined, from: '2025-10-23' },
      // From the review conference actually held (24 Nov) + 6 months -> 2026-05-24.
      { key: 'review-conference#2', due: '2026-05-24', status: 'pending', metOn: undefined, from: '2025-11-24' },
    ]);
    expect(result.every((o) => o.rulesVersion === `england@${england.version}`)).toBe(true);
    expect(ruleOf(result, 'first-core-group')).toMatchObject({
      id: 'england/first-core-group',
      source: 'Working Together to Safeguard Children 2023 (statutory guidance)',
    });
    expect(ruleOf(result, 'core-group#2')?.note).toMatch(/4 weeks.*6 weeks/);
  });

  it('is pending up to and including the due date, overdue the day after', () => {
    expect(evaluate(england, ICPC, [], '2025-09-15').find((o) => o.key === 'first-core-group')?.status).toBe('pending');
    expect(evaluate(england, ICPC, [], '2025-09-16').find((o) => o.key === 'first-core-group')?.status).toBe('overdue');
  });

  it('runs a later deadline from the date the previous one was actually met, not from when it was due', () => {
    // First core group held late on Mon 22 Sep (due 15 Sep). Next: 22 Sep + 42 days: + 8 = 30 Sep, + 31 = 31 Oct,
    // + 3 = Mon 2025-11-03.
    const result = evaluate(england, ICPC, [held('2025-09-22')], '2025-09-30');
    expect(brief(result).slice(0, 3)).toEqual([
      { key: 'first-core-group', due: '2025-09-15', status: 'late', metOn: '2025-09-22', from: ICPC },
      // Mon 22 Sep + 5 working days -> Mon 2025-09-29; not circulated by 30 Sep.
      {
        key: 'core-group-record@2025-09-22',
        due: '2025-09-29',
        status: 'overdue',
        metOn: undefined,
        from: '2025-09-22',
      },
      { key: 'core-group#2', due: '2025-11-03', status: 'pending', metOn: undefined, from: '2025-09-22' },
    ]);
  });

  it('ignores events dated after asOf (knowledge as of that date)', () => {
    const result = evaluate(england, ICPC, [held('2025-09-11')], '2025-09-10');
    expect(brief(result)).toEqual([
      { key: 'first-core-group', due: '2025-09-15', status: 'pending', metOn: undefined, from: ICPC },
      { key: 'review-conference#1', due: '2025-12-01', status: 'pending', metOn: undefined, from: ICPC },
    ]);
  });

  it('counts events with the same id once, and one core group per day', () => {
    const result = evaluate(
      england,
      ICPC,
      [held('2025-09-11', 'a'), held('2025-09-11', 'a'), held('2025-09-11'), held('2025-09-11')],
      '2025-09-12',
    );
    expect(result.map((o) => o.key)).toEqual([
      'first-core-group',
      'core-group-record@2025-09-11',
      'core-group#2',
      'review-conference#1',
    ]);
  });

  it('ignores a core group held before the ICPC, and counts one held on the ICPC day', () => {
    const before = evaluate(england, ICPC, [held('2025-08-29')], '2025-09-02');
    expect(before.find((o) => o.key === 'first-core-group')?.metOn).toBeUndefined();
    const sameDay = evaluate(england, ICPC, [held(ICPC)], '2025-09-02');
    expect(sameDay.find((o) => o.key === 'first-core-group')?.metOn).toBe(ICPC);
  });

  it('sorts by due date and breaks ties by key', () => {
    // Camden, ICPC Mon 2025-02-03: the first core group and the first visit are both due 10 working days later,
    // Mon 2025-02-17 (4-7 Feb (4), 10-14 Feb (9), 17 Feb (10)); 'child-seen#1' sorts before 'first-core-group'.
    const result = evaluate(camden, '2025-02-03', [], '2025-02-04');
    expect(result.map((o) => [o.key, o.due])).toEqual([
      ['child-seen#1', '2025-02-17'],
      ['first-core-group', '2025-02-17'],
      ['review-conference#1', '2025-05-03'],
    ]);
  });

  describe('plan-ended: nothing falls due after the end', () => {
    it('drops what is due after the end, keeps what was due by then with its status', () => {
      // Core group Thu 11 Sep; record due Thu 18 Sep (5 working days); plan ended Fri 19 Sep.
      // The record, due before the end, stays: circulated after the end, on 25 Sep, so late.
      // core-group#2 (due 23 Oct) and review-conference#1 (due 1 Dec) fall after the end: dropped.
      const events = [held('2025-09-11'), ended('2025-09-19'), record('2025-09-11', '2025-09-25')];
      expect(brief(evaluate(england, ICPC, events, '2025-10-01'))).toEqual([
        { key: 'first-core-group', due: '2025-09-15', status: 'met', metOn: '2025-09-11', from: ICPC },
        {
          key: 'core-group-record@2025-09-11',
          due: '2025-09-18',
          status: 'late',
          metOn: '2025-09-25',
          from: '2025-09-11',
        },
      ]);
    });

    it('keeps an obligation due after the end that was met by the end', () => {
      // Core groups 11 Sep and Thu 2 Oct (core-group#2, due 23 Oct, met early); plan ended 3 Oct.
      // The record of 2 Oct is due Thu 9 Oct (5 working days), after the end and not met: dropped.
      // core-group#3 (2 Oct + 42 days = 13 Nov) and the review conference: dropped.
      const events = [held('2025-09-11'), record('2025-09-11', '2025-09-15'), held('2025-10-02'), ended('2025-10-03')];
      expect(evaluate(england, ICPC, events, '2025-10-20').map((o) => o.key)).toEqual([
        'first-core-group',
        'core-group-record@2025-09-11',
        'core-group#2',
      ]);
    });

    it('does not end the plan before the plan-ended date is known', () => {
      const result = evaluate(england, ICPC, [ended('2025-09-19')], '2025-09-18');
      expect(result.map((o) => o.key)).toEqual(['first-core-group', 'review-conference#1']);
    });

    it('refuses a plan that ends before it started', () => {
      expect(() => evaluate(england, ICPC, [ended('2025-08-01')], '2025-09-02')).toThrow(PlanInputError);
    });
  });
});

describe('wales: Wales Safeguarding Procedures section 4 (guidance/002; the initial core group and review conferences from the national procedure)', () => {
  it('computes the core groups six-weekly and the record within 5 working days', () => {
    // ICPC Wed 2025-09-10. 10 working days: 11,12 Sep (2), 15-19 Sep (7), 22,23,24 Sep (10) -> Wed 2025-09-24.
    const ICPC = '2025-09-10';
    const result = evaluate(wales, ICPC, [held('2025-09-22'), record('2025-09-22', '2025-09-29')], '2025-10-01');
    expect(brief(result)).toEqual([
      { key: 'first-core-group', due: '2025-09-24', status: 'met', metOn: '2025-09-22', from: ICPC },
      // Mon 22 Sep + 5 working days -> Mon 2025-09-29; circulated that day: met.
      {
        key: 'core-group-record@2025-09-22',
        due: '2025-09-29',
        status: 'met',
        metOn: '2025-09-29',
        from: '2025-09-22',
      },
      // 22 Sep + 42 days: + 8 = 30 Sep, + 31 = 31 Oct, + 3 = Mon 2025-11-03.
      { key: 'core-group#2', due: '2025-11-03', status: 'pending', metOn: undefined, from: '2025-09-22' },
      // ICPC + 3 months.
      { key: 'review-conference#1', due: '2025-12-10', status: 'pending', metOn: undefined, from: ICPC },
    ]);
    expect(ruleOf(result, 'core-group#2')?.source).toMatch(/guidance\/002/);
    expect(ruleOf(result, 'core-group-record@2025-09-22')?.source).toMatch(/guidance\/002/);
    expect(ruleOf(result, 'first-core-group')).toMatchObject({
      source: 'Wales Safeguarding Procedures (national procedure)',
    });
    expect(ruleOf(result, 'first-core-group')?.note).toMatch(/Not in guidance\/002/);
    expect(ruleOf(result, 'review-conference#1')?.source).toMatch(/Wales Safeguarding Procedures/);
  });
});

describe('cwm-taf: Cwm Taf Safeguarding Board, Practice Guidance - Core Group Meetings 2017 (guidance/000)', () => {
  // ICPC Mon 2025-06-02. 10 working days -> Mon 2025-06-16 (3-6 Jun (4), 9-13 Jun (9), 16 Jun (10)).
  const ICPC = '2025-06-02';

  it('marks the first core group overdue once the 10 working days have passed', () => {
    expect(brief(evaluate(cwmTaf, ICPC, [], '2025-06-17'))).toEqual([
      { key: 'first-core-group', due: '2025-06-16', status: 'overdue', metOn: undefined, from: ICPC },
      { key: 'review-conference#1', due: '2025-09-02', status: 'pending', metOn: undefined, from: ICPC },
    ]);
  });

  it('runs the next core group six weeks from a late first one, and the record five working days from it', () => {
    const result = evaluate(cwmTaf, ICPC, [held('2025-06-20')], '2025-07-01');
    expect(brief(result)).toEqual([
      { key: 'first-core-group', due: '2025-06-16', status: 'late', metOn: '2025-06-20', from: ICPC },
      // Fri 20 Jun + 5 working days -> Fri 2025-06-27; not circulated by 1 Jul.
      {
        key: 'core-group-record@2025-06-20',
        due: '2025-06-27',
        status: 'overdue',
        metOn: undefined,
        from: '2025-06-20',
      },
      // 20 Jun + 42 days: + 10 = 30 Jun, + 31 = 31 Jul, + 1 = Fri 2025-08-01.
      { key: 'core-group#2', due: '2025-08-01', status: 'pending', metOn: undefined, from: '2025-06-20' },
      { key: 'review-conference#1', due: '2025-09-02', status: 'pending', metOn: undefined, from: ICPC },
    ]);
    expect(ruleOf(result, 'first-core-group')?.source).toMatch(/guidance\/000/);
    expect(ruleOf(result, 'core-group#2')?.quote).toBe('Thereafter it needs to meet no later than every six weeks');
  });

  it('runs later review conferences six months from the one actually held (national procedure)', () => {
    const result = evaluate(cwmTaf, ICPC, [review('2025-08-28')], '2025-09-01');
    const reviews = brief(result.filter((o) => o.kind === 'review-conference'));
    expect(reviews).toEqual([
      { key: 'review-conference#1', due: '2025-09-02', status: 'met', metOn: '2025-08-28', from: ICPC },
      { key: 'review-conference#2', due: '2026-02-28', status: 'pending', metOn: undefined, from: '2025-08-28' },
    ]);
    expect(ruleOf(result, 'review-conference#2')?.source).toMatch(/Wales Safeguarding Procedures/);
  });
});

describe('camden: Camden, Core groups: practice guidance for social workers (guidance/001)', () => {
  // ICPC Mon 2025-02-03 (no bank holidays between February and mid-April 2025).
  const ICPC = '2025-02-03';

  it('holds the second core group within 6 weeks of the first, then every 2 calendar months', () => {
    const events = [
      held('2025-02-13'),
      record('2025-02-13', '2025-02-19'),
      held('2025-03-20'),
      record('2025-03-20', '2025-03-27'),
      held('2025-05-15'),
    ];
    const coreGroups = evaluate(camden, ICPC, events, '2025-05-16').filter((o) => o.kind !== 'child-seen');
    expect(brief(coreGroups)).toEqual([
      // ICPC + 10 working days: 4-7 Feb (4), 10-14 Feb (9), 17 Feb (10) -> Mon 2025-02-17.
      { key: 'first-core-group', due: '2025-02-17', status: 'met', metOn: '2025-02-13', from: ICPC },
      // Thu 13 Feb + 5 working days -> Thu 2025-02-20.
      {
        key: 'core-group-record@2025-02-13',
        due: '2025-02-20',
        status: 'met',
        metOn: '2025-02-19',
        from: '2025-02-13',
      },
      // 13 Feb + 6 weeks: + 15 = 28 Feb, + 27 = Thu 2025-03-27. (Same due date as the next line: '#' sorts before '-'.)
      { key: 'core-group#2', due: '2025-03-27', status: 'met', metOn: '2025-03-20', from: '2025-02-13' },
      // Thu 20 Mar + 5 working days -> Thu 2025-03-27 (circulated that day: met).
      {
        key: 'core-group-record@2025-03-20',
        due: '2025-03-27',
        status: 'met',
        metOn: '2025-03-27',
        from: '2025-03-20',
      },
      // ICPC + 3 months -> 2025-05-03; no review conference held by 16 May.
      { key: 'review-conference#1', due: '2025-05-03', status: 'overdue', metOn: undefined, from: ICPC },
      // 20 Mar + 2 calendar months -> 2025-05-20.
      { key: 'core-group#3', due: '2025-05-20', status: 'met', metOn: '2025-05-15', from: '2025-03-20' },
      // Thu 15 May + 5 working days: 16, 19, 20, 21, 22 May -> Thu 2025-05-22 (bank holidays 5 and 26 May outside).
      {
        key: 'core-group-record@2025-05-15',
        due: '2025-05-22',
        status: 'pending',
        metOn: undefined,
        from: '2025-05-15',
      },
      // The 2-month interval repeats: 15 May + 2 months -> 2025-07-15.
      { key: 'core-group#4', due: '2025-07-15', status: 'pending', metOn: undefined, from: '2025-05-15' },
    ]);
    expect(ruleOf(coreGroups, 'core-group#2')?.id).toBe('camden/second-core-group');
    expect(ruleOf(coreGroups, 'core-group#3')?.id).toBe('camden/later-core-groups');
    expect(ruleOf(coreGroups, 'core-group#4')?.id).toBe('camden/later-core-groups');
    expect(ruleOf(coreGroups, 'first-core-group')?.source).toMatch(/guidance\/001/);
  });

  it('sees the child every 10 working days from the ICPC, then from each visit', () => {
    // A visit on the ICPC day itself does not count: the clock starts that day.
    const events = [seen(ICPC), seen('2025-02-12'), seen('2025-02-28')];
    const visits = evaluate(camden, ICPC, events, '2025-03-17').filter((o) => o.kind === 'child-seen');
    expect(brief(visits)).toEqual([
      // ICPC + 10 working days -> Mon 2025-02-17.
      { key: 'child-seen#1', due: '2025-02-17', status: 'met', metOn: '2025-02-12', from: ICPC },
      // Wed 12 Feb + 10 working days: 13,14 (2), 17-21 (7), 24,25,26 (10) -> Wed 2025-02-26; seen 28 Feb: late.
      { key: 'child-seen#2', due: '2025-02-26', status: 'late', metOn: '2025-02-28', from: '2025-02-12' },
      // Fri 28 Feb + 10 working days: 3-7 Mar (5), 10-14 Mar (10) -> Fri 2025-03-14; not seen by 17 Mar.
      { key: 'child-seen#3', due: '2025-03-14', status: 'overdue', metOn: undefined, from: '2025-02-28' },
    ]);
    expect(visits[0]?.rule.quote).toContain('every 10 working days');
  });

  it('re-holds a cancelled core group within 7 days of the cancelled date', () => {
    const events = [
      cancelled('2025-03-10'),
      held('2025-03-14'),
      cancelled('2025-04-01'),
      held('2025-04-01'), // the same day as the cancellation: not a re-held meeting
      held('2025-04-10'),
      cancelled('2025-06-05'),
    ];
    const rescheduled = evaluate(camden, ICPC, events, '2025-06-13').filter((o) => o.kind === 'rescheduled-core-group');
    expect(brief(rescheduled)).toEqual([
      // Mon 10 Mar + 7 days -> 2025-03-17; held 14 Mar: met.
      {
        key: 'rescheduled-core-group@2025-03-10',
        due: '2025-03-17',
        status: 'met',
        metOn: '2025-03-14',
        from: '2025-03-10',
      },
      // Tue 1 Apr + 7 days -> 2025-04-08; next held 10 Apr: late.
      {
        key: 'rescheduled-core-group@2025-04-01',
        due: '2025-04-08',
        status: 'late',
        metOn: '2025-04-10',
        from: '2025-04-01',
      },
      // Thu 5 Jun + 7 days -> 2025-06-12; nothing held since: overdue on 13 Jun.
      {
        key: 'rescheduled-core-group@2025-06-05',
        due: '2025-06-12',
        status: 'overdue',
        metOn: undefined,
        from: '2025-06-05',
      },
    ]);
    expect(rescheduled[0]?.rule.id).toBe('camden/rescheduled-core-group');
  });

  it('refuses a child in need plan: Camden has no child in need rules', () => {
    const attempt = () => evaluate(camden, ICPC, [], '2025-03-01', 'child-in-need');
    expect(attempt).toThrow(PlanInputError);
    expect(attempt).toThrow("plan.type: policy 'camden' has no child in need rules");
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ path: 'plan.type', reason: "policy 'camden' has no child in need rules" });
    }
  });
});

describe("sandwell: Sandwell Children's Safeguarding Partnership, Core Groups best practice (guidance/003)", () => {
  it('has the first core group from 003 and documented defaults for later core groups and the record', () => {
    // ICPC Mon 2025-09-15. 10 working days -> Mon 2025-09-29 (16-19 Sep (4), 22-26 Sep (9), 29 Sep (10)).
    const ICPC = '2025-09-15';
    const result = evaluate(sandwell, ICPC, [held('2025-09-25'), record('2025-09-25', '2025-10-03')], '2025-10-06');
    expect(brief(result)).toEqual([
      { key: 'first-core-group', due: '2025-09-29', status: 'met', metOn: '2025-09-25', from: ICPC },
      // Thu 25 Sep + 5 working days: 26, 29, 30 Sep, 1, 2 Oct -> Thu 2025-10-02; circulated 3 Oct: late.
      {
        key: 'core-group-record@2025-09-25',
        due: '2025-10-02',
        status: 'late',
        metOn: '2025-10-03',
        from: '2025-09-25',
      },
      // 25 Sep + 42 days: + 5 = 30 Sep, + 31 = 31 Oct, + 6 = Thu 2025-11-06.
      { key: 'core-group#2', due: '2025-11-06', status: 'pending', metOn: undefined, from: '2025-09-25' },
      { key: 'review-conference#1', due: '2025-12-15', status: 'pending', metOn: undefined, from: ICPC },
    ]);
    expect(ruleOf(result, 'first-core-group')?.source).toMatch(/guidance\/003/);
    expect(ruleOf(result, 'core-group#2')?.note).toMatch(
      /Not stated in guidance\/003.*default.*partnership can change/,
    );
    expect(ruleOf(result, 'core-group-record@2025-09-25')?.note).toMatch(/default.*partnership can change/);
    expect(ruleOf(result, 'review-conference#1')?.source).toMatch(/Working Together/);
  });
});

describe('barnsley: Barnsley, Core Group and Child in Need Meetings guidance (guidance/004)', () => {
  it('holds core groups every 28 days after the first, with minutes to the social worker within five (calendar) days', () => {
    // ICPC Mon 2025-06-02. 10 working days -> Mon 2025-06-16.
    const ICPC = '2025-06-02';
    const events = [held('2025-06-11'), minutes('2025-06-11', '2025-06-16'), held('2025-07-09')];
    const result = evaluate(barnsley, ICPC, events, '2025-07-17');
    expect(brief(result)).toEqual([
      // Wed 11 Jun + 5 days -> Mon 2025-06-16: "within five days", read as written (004 says "10 working days"
      // where it means working days); the minutes reached the social worker that day.
      {
        key: 'core-group-record@2025-06-11',
        due: '2025-06-16',
        status: 'met',
        metOn: '2025-06-16',
        from: '2025-06-11',
      },
      { key: 'first-core-group', due: '2025-06-16', status: 'met', metOn: '2025-06-11', from: ICPC },
      // 11 Jun + 28 days: + 19 = 30 Jun, + 9 = Wed 2025-07-09; held that day: met.
      { key: 'core-group#2', due: '2025-07-09', status: 'met', metOn: '2025-07-09', from: '2025-06-11' },
      // Wed 9 Jul + 5 days -> Mon 2025-07-14; no minutes by 17 Jul.
      {
        key: 'core-group-record@2025-07-09',
        due: '2025-07-14',
        status: 'overdue',
        metOn: undefined,
        from: '2025-07-09',
      },
      // 9 Jul + 28 days: + 22 = 31 Jul, + 6 = Wed 2025-08-06.
      { key: 'core-group#3', due: '2025-08-06', status: 'pending', metOn: undefined, from: '2025-07-09' },
      { key: 'review-conference#1', due: '2025-09-02', status: 'pending', metOn: undefined, from: ICPC },
    ]);
    expect(ruleOf(result, 'core-group#2')?.source).toMatch(/guidance\/004/);
    expect(ruleOf(result, 'core-group-record@2025-06-11')).toMatchObject({
      id: 'barnsley/minutes',
      basis: 'stated',
      note: expect.stringMatching(
        /5 calendar days.*'10 working days'.*minutes-received.*record circulated on or before/,
      ),
    });
  });

  it('takes a record circulated on or before the day the minutes were due as meeting it, and the earlier of the two', () => {
    const ICPC = '2025-06-02';
    const on = (events: PlanEvent[]) =>
      evaluate(barnsley, ICPC, [held('2025-06-11'), ...events], '2025-06-30').find(
        (o) => o.key === 'core-group-record@2025-06-11',
      );
    // Circulation implies the social worker had the minutes.
    expect(on([record('2025-06-11', '2025-06-13')])).toMatchObject({ status: 'met', metOn: '2025-06-13' });
    expect(on([minutes('2025-06-11', '2025-06-19'), record('2025-06-11', '2025-06-15')])).toMatchObject({
      status: 'met',
      metOn: '2025-06-15',
    });
    // Minutes six days after the meeting are late, whatever followed.
    expect(on([minutes('2025-06-11', '2025-06-17')])).toMatchObject({ status: 'late', metOn: '2025-06-17' });
    // Minutes received before the meeting they record are not of it.
    expect(on([minutes('2025-06-11', '2025-06-10')])).toMatchObject({ status: 'overdue' });
  });

  it('other policies do not count minutes received: their rule is the record being circulated', () => {
    const result = evaluate(
      camden,
      '2025-06-02',
      [held('2025-06-11'), minutes('2025-06-11', '2025-06-12')],
      '2025-06-30',
    );
    expect(result.find((o) => o.key === 'core-group-record@2025-06-11')).toMatchObject({ status: 'overdue' });
  });

  it('plans under the rules version of 2026-11-23 keep five working days, met by the record circulated', () => {
    const retired = getPolicyVersion('barnsley', 'barnsley@2026-11-23.1');
    const result = evaluate(
      retired,
      '2025-06-02',
      [held('2025-06-11'), record('2025-06-11', '2025-06-17')],
      '2025-06-30',
    );
    // Wed 11 Jun + 5 working days -> Wed 2025-06-18.
    expect(result.find((o) => o.key === 'core-group-record@2025-06-11')).toMatchObject({
      due: '2025-06-18',
      status: 'met',
      rulesVersion: 'barnsley@2026-11-23.1',
    });
  });

  it('holds child in need meetings at least every 6 weeks from the plan start, with the same minutes rule', () => {
    // Plan start Mon 2025-09-01. A review conference event means nothing for a child in need plan.
    const START = '2025-09-01';
    const events = [held('2025-10-08'), record('2025-10-08', '2025-10-12'), review('2025-10-10'), seen('2025-09-05')];
    const result = evaluate(barnsley, START, events, '2025-10-20', 'child-in-need');
    expect(brief(result)).toEqual([
      // 1 Sep + 42 days: + 29 = 30 Sep, + 13 = Mon 2025-10-13; met on 8 Oct.
      { key: 'cin-meeting#1', due: '2025-10-13', status: 'met', metOn: '2025-10-08', from: START },
      // Wed 8 Oct + 5 days -> Mon 2025-10-13 (same day: ordered by key).
      {
        key: 'core-group-record@2025-10-08',
        due: '2025-10-13',
        status: 'met',
        metOn: '2025-10-12',
        from: '2025-10-08',
      },
      // 8 Oct + 42 days: + 23 = 31 Oct, + 19 = Wed 2025-11-19.
      { key: 'cin-meeting#2', due: '2025-11-19', status: 'pending', metOn: undefined, from: '2025-10-08' },
    ]);
    expect(ruleOf(result, 'cin-meeting#1')?.id).toBe('barnsley/cin-meetings');
    expect(ruleOf(result, 'core-group-record@2025-10-08')?.id).toBe('barnsley/minutes');
  });
});

describe('evaluatePlan input and scale', () => {
  it('names the field of a bad date', () => {
    const bad: PlanEvent[] = [held('2025-09-11'), { type: 'child-seen', on: '2025-02-30' }];
    expect(() => evaluate(england, '2025-09-01', bad, '2025-10-01')).toThrow(
      'events[1].on: "2025-02-30" is not a real date',
    );
    expect(() => evaluate(england, '2025-09-01', [], 'today')).toThrow(PlanInputError);
  });

  it('evaluates a plan with thousands of events quickly', () => {
    // Four years of weekly visits, fortnightly core groups with records and a few hundred duplicates.
    const events: PlanEvent[] = [];
    let day = Date.UTC(2025, 8, 1);
    for (let i = 0; i < 1500; i++, day += 86_400_000) {
      const on = new Date(day).toISOString().slice(0, 10);
      if (i % 7 === 2) events.push(seen(on));
      if (i % 14 === 3) events.push(held(on, `cg-${i}`), held(on, `cg-${i}`), record(on, on));
    }
    const started = performance.now();
    const result = evaluate(camden, '2025-09-01', events, '2029-12-31');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result.length).toBeGreaterThan(400);
  });

  it('imports nothing but the pure domain: the calendar, the quorum, the refusal and the types (it runs in workflow code)', () => {
    const source = readFileSync(join(__dirname, '../../domain/obligations.ts'), 'utf8');
    const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(new Set(imports)).toEqual(new Set(['./attendance', './calendar', './refusal', './types']));
    expect(source).not.toMatch(/Date\.now|new Date|Intl\.|process\.|require\(/);
  });
});

describe('policies', () => {
  const policies = POLICY_IDS.map(getPolicy);

  it('registers every policy under its own id, with a version', () => {
    expect([...POLICY_IDS]).toEqual(['england', 'wales', 'cwm-taf', 'camden', 'sandwell', 'barnsley']);
    for (const id of POLICY_IDS) {
      expect(getPolicy(id).id).toBe(id);
      expect(getPolicy(id).version).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
    }
    expect(isPolicyId('kent')).toBe(false);
    expect(isPolicyId('toString')).toBe(false);
  });

  it('gives child in need rules to barnsley only', () => {
    expect(policies.filter((p) => p.childInNeed !== undefined).map((p) => p.id)).toEqual(['barnsley']);
  });

  it('reviews every child protection plan within 3 months of the ICPC, then within 6 months of the previous', () => {
    for (const p of policies) {
      expect(p.childProtection.firstReviewConference.value).toEqual({ months: 3 });
      expect(p.childProtection.laterReviewConferences.value).toEqual({ months: 6 });
      const welsh = p.id === 'wales' || p.id === 'cwm-taf';
      expect(p.childProtection.firstReviewConference.rule.source).toMatch(
        welsh ? /Wales Safeguarding Procedures/ : /Working Together/,
      );
    }
  });

  (GUIDANCE_CHECKS_RUN ? it : it.skip)(`quotes the guidance documents verbatim (${GUIDANCE_DIR})`, () => {
    for (const p of policies) {
      const rules = citationsOf(p);
      expect(rules.length).toBeGreaterThan(0);
      for (const rule of rules) {
        expect(rule.quote.length).toBeGreaterThan(10);
        const doc = /guidance\/(\d{3})/.exec(rule.source)?.[1];
        if (doc === undefined) continue; // national sources outside guidance/, flagged in the note
        expect({ id: rule.id, found: guidanceText(doc).includes(normaliseGuidance(rule.quote)) }).toEqual({
          id: rule.id,
          found: true,
        });
      }
    }
  });

  it('says of every rule whether its quote gives its number (basis stated) or not (basis default, with a note saying so)', () => {
    const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
    for (const p of policies) {
      for (const [value, rule] of valuedRules(p)) {
        if (rule.basis === 'default') {
          // Told: the note says the number (or route) is not the quote's.
          expect({ id: rule.id, note: rule.note }).toEqual({ id: rule.id, note: expect.stringMatching(/\S/) });
          continue;
        }
        const n = Object.values(value)[0] as number;
        const word = n === 7 && 'days' in value ? 'a week' : (WORDS[n] ?? String(n));
        expect({ id: rule.id, gives: new RegExp(`\\b(${n}|${word})\\b`, 'i').test(rule.quote) }).toEqual({
          id: rule.id,
          gives: true,
        });
      }
    }
  });

  it('flags every quotation from outside guidance/ in its note', () => {
    for (const p of policies) {
      for (const rule of citationsOf(p)) {
        if (!/guidance\/\d{3}/.test(rule.source))
          expect({ id: rule.id, note: rule.note }).toEqual({
            id: rule.id,
            note: expect.stringMatching(/not in guidance/i),
          });
      }
    }
  });
});

/** Every rule of a policy that has a number: deadlines and intervals, with the interval. */
function valuedRules(p: Policy): Array<[Interval, Citation]> {
  const cp = p.childProtection;
  return [
    cp.firstCoreGroup,
    ...cp.laterCoreGroups,
    cp.recordCirculated,
    cp.childSeen,
    cp.rescheduleCancelled,
    cp.firstReviewConference,
    cp.laterReviewConferences,
    p.childInNeed?.meetings,
    p.childInNeed?.recordCirculated,
  ].flatMap((r) => (r === undefined ? [] : [[r.value, r.rule] as [Interval, Citation]]));
}
