/**
 * The escalation ladder, as pure data. Dates hand-computed (calendar: Mon 2026-03-02 ... no bank holidays in March
 * 2026 before Good Friday, 3 April). Sources: Camden 001 §10 (non-engagement to the team manager and the conference
 * chair), the decisions for reminders, second-level escalations and missed bookings.
 */
import { dueNow, nextWakeDate, planNotifications, type EscalationSettings } from '../../domain/notifications';
import { evaluatePlan } from '../../domain/obligations';
import { getPolicy } from '../../domain/policies';
import type { PlanEvent } from '../../domain/types';

const SETTINGS: EscalationSettings = {
  reminderWorkingDays: 2,
  secondLevelWorkingDays: 5,
  secondLevelRole: 'head-of-service',
};
const START = '2026-03-02'; // Monday; the first core group is due 10 working days later, Monday 2026-03-16

function ladder(events: PlanEvent[], asOf: string) {
  const obligations = evaluatePlan(
    { policy: getPolicy('england'), plan: { type: 'child-protection', startedOn: START }, events },
    asOf,
  );
  return planNotifications(obligations, events, SETTINGS, {
    policy: getPolicy('england'),
    planType: 'child-protection',
  });
}

describe('the ladder for an unmet deadline', () => {
  const intents = ladder([], '2026-03-02').filter((i) => i.subject === 'first-core-group');

  it('reminds the social worker 2 working days before, escalates to manager and chair the day after, then the head of service 5 working days after', () => {
    expect(intents.map((i) => [i.level, i.fireOn, i.recipients])).toEqual([
      ['reminder', '2026-03-12', ['social-worker']], // Thu: 2 working days before Mon 16th
      ['escalation', '2026-03-17', ['team-manager', 'conference-chair']],
      ['second-level', '2026-03-23', ['head-of-service']], // Mon 16th + 5 working days
    ]);
  });

  it('does not send a reminder once its deadline has passed', () => {
    const late = ladder([], '2026-03-20');
    const sendable = dueNow(late, '2026-03-20', new Set()).map((i) => i.key);
    expect(sendable).toContain('first-core-group|escalation');
    expect(sendable).not.toContain('first-core-group|reminder');
  });

  it('sleeps until the next rung, and not at all for rungs already sent', () => {
    const all = ladder([], '2026-03-02');
    expect(nextWakeDate(all, '2026-03-02', new Set())).toBe('2026-03-12');
    expect(nextWakeDate(all, '2026-03-12', new Set(['first-core-group|reminder']))).toBe('2026-03-17');
  });
});

describe('meeting the obligation stops its ladder', () => {
  it('has no rungs for the first core group once it is held, even late', () => {
    for (const on of ['2026-03-10', '2026-03-18']) {
      const held: PlanEvent[] = [{ type: 'core-group-held', on }];
      expect(ladder(held, '2026-03-25').filter((i) => i.subject === 'first-core-group')).toEqual([]);
    }
  });
});

describe('escalations that do not wait for a deadline', () => {
  it('escalates reported non-engagement on the day reported (001 §10)', () => {
    const intents = ladder(
      [{ id: 'e1', type: 'non-engagement-reported', on: '2026-03-05', detail: 'no access' }],
      '2026-03-05',
    );
    const ne = intents.find((i) => i.reason === 'non-engagement-reported')!;
    expect(ne).toMatchObject({
      fireOn: '2026-03-05',
      recipients: ['team-manager', 'conference-chair'],
      detail: 'no access',
    });
  });

  it('escalates parents absent from two consecutive core groups, not from two separated by one they attended', () => {
    const twice: PlanEvent[] = [
      { type: 'core-group-held', on: '2026-03-10', parentsPresent: false },
      { type: 'core-group-held', on: '2026-04-14', parentsPresent: false },
    ];
    expect(
      ladder(twice, '2026-04-14')
        .filter((i) => i.reason === 'parents-absent-twice')
        .map((i) => i.fireOn),
    ).toEqual(['2026-04-14']);
    const separated: PlanEvent[] = [
      { type: 'core-group-held', on: '2026-03-10', parentsPresent: false },
      { type: 'core-group-held', on: '2026-04-14', parentsPresent: true },
      { type: 'core-group-held', on: '2026-05-19', parentsPresent: false },
    ];
    expect(ladder(separated, '2026-05-19').filter((i) => i.reason === 'parents-absent-twice')).toEqual([]);
    const unrecorded: PlanEvent[] = [
      { type: 'core-group-held', on: '2026-03-10' },
      { type: 'core-group-held', on: '2026-04-14' },
    ];
    expect(ladder(unrecorded, '2026-04-14').filter((i) => i.reason === 'parents-absent-twice')).toEqual([]);
  });

  it('escalates a booked core group a working day after its date unless it was held or cancelled that day', () => {
    const booked: PlanEvent[] = [{ type: 'core-group-scheduled', on: '2026-03-13' }]; // Friday
    expect(
      ladder(booked, '2026-03-13')
        .filter((i) => i.reason === 'booked-meeting-missed')
        .map((i) => i.fireOn),
    ).toEqual(['2026-03-16']);
    for (const type of ['core-group-held', 'core-group-cancelled'] as const) {
      const accounted: PlanEvent[] = [...booked, { type, on: '2026-03-13' }];
      expect(ladder(accounted, '2026-03-16').filter((i) => i.reason === 'booked-meeting-missed')).toEqual([]);
    }
  });
});

describe('after the plan ends', () => {
  it('owes nothing that would fire after the end date', () => {
    const ended: PlanEvent[] = [{ type: 'plan-ended', on: '2026-03-09' }];
    expect(ladder(ended, '2026-03-30').filter((i) => i.fireOn > '2026-03-09')).toEqual([]);
  });
});

describe('keys', () => {
  it('are unique within a plan, so the outbox can refuse a repeat', () => {
    const events: PlanEvent[] = [
      { type: 'core-group-held', on: '2026-03-10', parentsPresent: false },
      { type: 'core-group-held', on: '2026-04-14', parentsPresent: false },
      { id: 'a', type: 'non-engagement-reported', on: '2026-04-15' },
      { id: 'b', type: 'non-engagement-reported', on: '2026-04-15' },
      { type: 'core-group-scheduled', on: '2026-05-20' },
    ];
    const keys = ladder(events, '2026-04-20').map((i) => i.key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
