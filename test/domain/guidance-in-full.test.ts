/**
 * Issue 10, "the guidance followed in full", as the pure domain sees it: a conference-set core group cadence (000
 * "must be more often if necessary to safeguard the child", 001 "the conference may opt to hold more frequent
 * meetings", 002 "more frequently if required"), local escalation routes (001 §10 for child protection; a child in need
 * plan has no conference chair), denied access reported to the core group in Wales (002), and a rule's basis shown
 * wherever its quote is. Dates hand-computed; 2026 bank holidays: 3 and 6 April, 4 and 25 May.
 */
import { describeInterval, intervalDaySpan, isNoLongerThan } from '../../domain/calendar';
import { cadenceProblem, parseEvaluateInput } from '../../domain/evaluate-input';
import { escalationRoute, planNotifications, rolesTheLadderNeeds } from '../../domain/notifications';
import { evaluatePlan } from '../../domain/obligations';
import { getPolicy, getPolicyVersion } from '../../domain/policies';
import type { PlanEvent, PlanType, PolicyId } from '../../domain/types';

const SETTINGS = { reminderWorkingDays: 2, secondLevelWorkingDays: 5, secondLevelRole: 'head-of-service' };

function obligations(policy: PolicyId, events: PlanEvent[], asOf: string, startedOn = '2026-03-02') {
  return evaluatePlan({ policy: getPolicy(policy), plan: { type: 'child-protection', startedOn }, events }, asOf);
}
const held = (on: string): PlanEvent => ({ type: 'core-group-held', on });
const cadence = (on: string, interval: { days: number } | { weeks: number } | { months: number }): PlanEvent => ({
  type: 'cadence-set',
  on,
  interval,
});

describe('intervals compared: "at least as often" from any start day', () => {
  it('knows how long a month can be, and compares units honestly', () => {
    expect(intervalDaySpan({ months: 1 })).toEqual({ min: 28, max: 31 });
    expect(intervalDaySpan({ months: 2 })).toEqual({ min: 59, max: 62 });
    expect(isNoLongerThan({ weeks: 4 }, { weeks: 6 })).toBe(true);
    expect(isNoLongerThan({ months: 1 }, { weeks: 6 })).toBe(true); // 31 <= 42
    expect(isNoLongerThan({ weeks: 8 }, { months: 2 })).toBe(true); // 56 <= 59
    expect(isNoLongerThan({ days: 60 }, { months: 2 })).toBe(false); // Feb to Apr is 59 days
    expect(isNoLongerThan({ months: 2 }, { months: 2 })).toBe(true);
    expect(describeInterval({ weeks: 4 })).toBe('4 weeks');
    expect(describeInterval({ months: 1 })).toBe('1 month');
  });
});

describe('a cadence set by the conference (000, 001, 002)', () => {
  it('applies from the next meeting when stricter, and cites the day it was set with the policy words that allow it', () => {
    // Camden: first core group Thu 12 Mar; core group #2 within 6 weeks (23 Apr); later ones every 2 months. A review
    // conference on Mon 20 Apr sets every 4 weeks: #2's clock started 12 Mar, before it, so #2 keeps 6 weeks; #2 is
    // held Wed 22 Apr, and #3 runs 4 weeks from it (Wed 20 May) instead of 2 months (22 Jun).
    const events = [held('2026-03-12'), cadence('2026-04-20', { weeks: 4 }), held('2026-04-22')];
    const result = obligations('camden', events, '2026-04-30');
    const byKey = new Map(result.map((o) => [o.key, o]));
    expect(byKey.get('core-group#2')).toMatchObject({ due: '2026-04-23', rule: { id: 'camden/second-core-group' } });
    expect(byKey.get('core-group#3')).toMatchObject({
      due: '2026-05-20',
      from: '2026-04-22',
      rule: {
        id: 'camden/conference-cadence@2026-04-20/4-weeks',
        basis: 'stated',
        quote: 'the conference may opt to hold more frequent meetings depending on the circumstances of the case',
        note: expect.stringMatching(
          /^Set by the conference on 2026-04-20: every 4 weeks, stricter than the policy's 2 months \(camden\/later-core-groups: "Subsequent core group meetings/,
        ),
      },
    });
  });

  it('set at the initial conference, it governs from the second core group; the first stays 10 working days', () => {
    // Wales: every 6 weeks; the ICPC (Mon 2 Mar) sets every 3 weeks. First core group held Mon 9 Mar: #2 due 30 Mar.
    const result = obligations('wales', [cadence('2026-03-02', { weeks: 3 }), held('2026-03-09')], '2026-03-10');
    expect(result.find((o) => o.key === 'first-core-group')?.rule.id).toBe('wales/first-core-group');
    expect(result.find((o) => o.key === 'core-group#2')).toMatchObject({ due: '2026-03-30' });
  });

  it('the latest conference decides from its day on; an equal or looser one leaves the policy in force', () => {
    const events = [
      cadence('2026-03-02', { weeks: 3 }),
      held('2026-03-09'),
      cadence('2026-03-20', { weeks: 6 }), // Wales' own 6 weeks: no change, cited as the policy
      held('2026-03-23'),
    ];
    const result = obligations('wales', events, '2026-03-24');
    expect(result.find((o) => o.key === 'core-group#2')).toMatchObject({ due: '2026-03-30' });
    expect(result.find((o) => o.key === 'core-group#3')).toMatchObject({
      due: '2026-05-04',
      rule: { id: 'wales/later-core-groups' },
    });
  });

  it('refuses a looser cadence naming the policy limit, a child in need plan, and rules that predate it', () => {
    expect(cadenceProblem(getPolicy('camden'), 'child-protection', { months: 3 })).toBe(
      "every 3 months is less often than the policy's limit, every 2 months (camden/later-core-groups): a conference may set more frequent meetings, never fewer",
    );
    expect(cadenceProblem(getPolicy('barnsley'), 'child-protection', { weeks: 5 })).toMatch(/every 28 days/);
    expect(cadenceProblem(getPolicy('barnsley'), 'child-protection', { weeks: 4 })).toBeUndefined();
    expect(cadenceProblem(getPolicy('barnsley'), 'child-in-need', { weeks: 4 })).toMatch(/child in need/);
    expect(cadenceProblem(getPolicyVersion('camden', 'camden@2026-11-23.1'), 'child-protection', { weeks: 4 })).toMatch(
      /camden@2026-11-23\.1 .* do not provide for a conference-set cadence/,
    );
    expect(() =>
      parseEvaluateInput({
        policy: 'cwm-taf',
        plan: { type: 'child-protection', startedOn: '2026-03-02' },
        events: [{ type: 'cadence-set', on: '2026-03-02', interval: { weeks: 8 } }],
      }),
    ).toThrow(/events\[0\]\.interval: every 8 weeks is less often than the policy's limit, every 6 weeks/);
  });
});

describe('local escalation routes (issue 10 §5)', () => {
  const ladder = (policy: PolicyId, planType: PlanType, events: PlanEvent[], asOf = '2026-03-30') => {
    const start = '2026-03-02';
    const obs = evaluatePlan({ policy: getPolicy(policy), plan: { type: planType, startedOn: start }, events }, asOf);
    return planNotifications(obs, events, SETTINGS, { policy: getPolicy(policy), planType });
  };

  it('child protection: the team manager and the conference chair, where the documents say so (001 §10)', () => {
    const escalation = ladder('camden', 'child-protection', []).find((i) => i.key === 'first-core-group|escalation');
    expect(escalation).toMatchObject({
      recipients: ['team-manager', 'conference-chair'],
      route: { id: 'camden/escalation', basis: 'stated' },
    });
  });

  it('child in need: the team manager, as there is no conference chair (and the second level after)', () => {
    const intents = ladder('barnsley', 'child-in-need', []).filter((i) => i.subject === 'cin-meeting#1');
    expect(intents.map((i) => [i.level, i.recipients, i.route.id])).toEqual([
      ['reminder', ['social-worker'], 'escalation/reminder'],
      ['escalation', ['team-manager'], 'barnsley/cin-escalation'],
      ['second-level', ['head-of-service'], 'escalation/second-level'],
    ]);
    expect(rolesTheLadderNeeds(getPolicy('barnsley'), 'child-in-need')).toEqual(['social-worker', 'team-manager']);
  });

  it('says when a route is not in the text it cites: the defaults, the reminder and the second level', () => {
    expect(escalationRoute(getPolicy('england'), 'child-protection').rule).toMatchObject({
      basis: 'default',
      note: expect.stringMatching(/names no one to escalate to/),
    });
    const secondLevel = ladder('camden', 'child-protection', []).find((i) => i.level === 'second-level');
    expect(secondLevel?.route).toMatchObject({ basis: 'default', note: expect.stringMatching(/No guidance document/) });
  });

  it('Wales and Cwm Taf: a denied access goes at once to the other core group members and the protection co-ordinator (002)', () => {
    for (const policy of ['wales', 'cwm-taf'] as const) {
      const denied: PlanEvent = { id: 'ad-1', type: 'access-denied', on: '2026-03-05', by: 'health' };
      const intents = ladder(policy, 'child-protection', [denied]).filter((i) => i.reason === 'access-denied');
      expect(intents).toEqual([
        expect.objectContaining({
          key: 'access-denied@2026-03-05#ad-1|escalation',
          fireOn: '2026-03-05',
          recipients: ['core-group-member', 'social-worker'],
          inAbsenceOf: { 'social-worker': 'team-manager' },
          exceptAgency: 'health',
          route: expect.objectContaining({ id: 'wales/access-denied', basis: 'stated' }),
        }),
      ]);
    }
  });

  it('elsewhere a denied access is escalated as non-engagement is, once per denial recorded', () => {
    const events: PlanEvent[] = [
      { id: 'ad-1', type: 'access-denied', on: '2026-03-05', by: 'health' },
      { id: 'ad-2', type: 'access-denied', on: '2026-03-05', by: 'education' },
    ];
    const intents = ladder('camden', 'child-protection', events).filter((i) => i.reason === 'access-denied');
    expect(intents.map((i) => [i.key, i.recipients, i.exceptAgency])).toEqual([
      ['access-denied@2026-03-05#ad-1|escalation', ['team-manager', 'conference-chair'], undefined],
      ['access-denied@2026-03-05#ad-2|escalation', ['team-manager', 'conference-chair'], undefined],
    ]);
  });
});
