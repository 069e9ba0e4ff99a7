/**
 * The monthly audit's figures for a fixture month, March 2026, counted by hand.
 *
 * Calendar used by the hand counts: Sun 1 Mar 2026; Mondays 2, 9, 16, 23, 30 March; Tue 31 March. No bank holiday
 * in February or March 2026; Good Friday is Fri 3 April and Easter Monday Mon 6 April. British Summer Time starts at
 * 01:00 UTC on Sun 29 March 2026, so 2026-03-31T23:30Z is 00:30 on 1 April in London. Every due date below is worked
 * out in the comments (n working days = n weekdays, day 0 the triggering date), never by the engine or the calendar.
 *
 * Two teams, North and South; policies camden (sets child seen every 10 working days), england (does not) and
 * barnsley (child in need):
 *
 *   CP-N1  North camden    ICPC Mon 2 Mar   first core group in time; record in time; child seen in time, then late
 *   CP-N2  North camden    ICPC Mon 16 Feb  first core group late; record late; child seen in time x3; non-engagement
 *   CIN-N1 North barnsley  start Mon 2 Feb  child in need meeting in time (not a core group)
 *   CP-N3  North camden    ended 20 Feb     not open in March; its January core group is in the attendance grid
 *   CP-S1  South england   ICPC Mon 2 Feb   later core group in time; its record missing (overdue)
 *   CP-S2  South england   ICPC Mon 15 Dec  later core group late; record in time; review conference due and held
 *   CP-S3  South england   ICPC Mon 9 Mar   first core group still overdue, escalated twice
 *   CP-S4  South camden    starts 8 Apr     not open in March
 */
import { annexARow } from '../../reports/annex-a';
import { MEASURE_IDS, MEASURES, RAG_RULE } from '../../reports/measures';
import { MonthlyAudit } from '../../reports/monthly-audit';
import { SHEET_GUIDE } from '../../reports/sheets';
import { ANNEX_A_COLUMNS, annexACells } from '../../reports/sheets/annex-a';
import type { Measure, PlanContribution, ReportPlanInput, SummaryBlock } from '../../reports/types';
import type { PlanEvent } from '../../domain/types';
import { parseEvaluateInput } from '../../domain/evaluate-input';
import { getPolicy, getPolicyVersion, rulesVersionOf } from '../../domain/policies';
import type { Policy } from '../../domain/types';
import { TEMPLATE_HEADERS } from '../support/annex-a-template';

type Notification = ReportPlanInput['notifications'][number];

const MANAGER_AND_CHAIR = [{ role: 'team-manager' }, { role: 'conference-chair' }];
const sent = (subject: string, level: string, sentAt: string, recipients = MANAGER_AND_CHAIR): Notification => ({
  key: `${subject}|${level}`,
  subject,
  level,
  status: 'sent',
  recipients,
  sentAt,
});

function plan(
  overrides: Partial<ReportPlanInput> &
    Pick<ReportPlanInput, 'planId' | 'teamId' | 'teamName' | 'policyId' | 'startedOn'>,
): ReportPlanInput {
  return {
    // Registered under the policy's current rules unless a test says otherwise.
    rulesVersion: rulesVersionOf(getPolicy(overrides.policyId)),
    type: 'child-protection',
    events: [],
    child: { localChildId: `child-${overrides.planId}` },
    annexA: {},
    members: [],
    notifications: [],
    ...overrides,
  };
}

const NORTH = { teamId: 't-north', teamName: 'North' };
const SOUTH = { teamId: 't-south', teamName: 'South' };

// --- North ---------------------------------------------------------------------------------------------------------

// ICPC Mon 2 Mar. first-core-group: 3,4,5,6 (4), 9-13 (9), 16 (10) -> due Mon 16 Mar; held Thu 12 Mar: met.
// core-group-record@2026-03-12: 13, 16, 17, 18, 19 -> due Thu 19 Mar; circulated 17 Mar: met.
// core-group#2: 12 Mar + 6 weeks -> 23 Apr (pending). review-conference#1: 2 Jun (pending).
// child-seen#1: ICPC + 10 working days -> 16 Mar; seen Fri 13 Mar: met.
// child-seen#2: 13 Mar + 10 working days: 16-20 (5), 23-27 (10) -> Fri 27 Mar; seen Mon 30 Mar: late.
// child-seen#3: 30 Mar + 10 working days: 31 Mar, 1, 2 Apr (3), [3 and 6 Apr bank holidays], 7-10 (7), 13, 14, 15 (10)
//   -> Wed 15 Apr (pending): the next due obligation.
const N1 = plan({
  planId: 'CP-N1',
  ...NORTH,
  workerName: 'Asha Patel',
  policyId: 'camden',
  startedOn: '2026-03-02',
  events: [
    {
      id: 'n1-cg1',
      type: 'core-group-held',
      on: '2026-03-12',
      attendance: {
        present: [
          { agency: 'social-care', role: 'social worker' },
          { agency: 'Health', role: 'health visitor' },
          { agency: 'education', role: 'class teacher' },
        ],
      },
      parentsPresent: true,
      childViewsRecorded: true,
    },
    { id: 'n1-cg1-dup', type: 'core-group-held', on: '2026-03-12' }, // same day: the same meeting, the first wins
    { type: 'record-circulated', on: '2026-03-17', meetingOn: '2026-03-12' },
    { type: 'child-seen', on: '2026-03-13', seenAlone: true },
    { type: 'child-seen', on: '2026-03-30', seenAlone: false },
    { type: 'child-seen', on: '2026-04-02', seenAlone: true }, // after the month end: ignored
  ],
  child: {
    localChildId: 'C001',
    gender: 'female',
    ethnicity: 'WBRI',
    dateOfBirth: '2019-05-04',
    disability: 'no',
  },
  annexA: { initialCategory: 'neglect', emergencyProtectionLast6Months: 'no', previousPlans: 0 },
  members: [
    { agency: 'social-care', role: 'social-worker' },
    { agency: 'health', role: 'core-group-member' },
    { agency: 'education', role: 'core-group-member' },
    { agency: 'police', role: 'core-group-member' },
  ],
  notifications: [
    sent('first-core-group', 'reminder', '2026-03-11T09:00:00Z', [{ role: 'social-worker' }]),
    {
      key: 'child-seen#2|escalation',
      subject: 'child-seen#2',
      level: 'escalation',
      status: 'failed',
      recipients: MANAGER_AND_CHAIR,
    },
  ],
});

// ICPC Mon 16 Feb. first-core-group: 17-20 Feb (4), 23-27 Feb (9), 2 Mar (10) -> due Mon 2 Mar; held Wed 4 Mar: late,
//   2 working days late (3 and 4 Mar).
// core-group-record@2026-03-04: 5, 6, 9, 10, 11 -> due Wed 11 Mar; circulated Fri 13 Mar: late.
// core-group#2: 4 Mar + 6 weeks -> 15 Apr (pending).
// child-seen#1: 16 Feb + 10 working days -> 2 Mar; seen 2 Mar: met.
// child-seen#2: 2 Mar + 10 -> 16 Mar; seen 16 Mar: met. child-seen#3: 16 Mar + 10: 17-20 (4), 23-27 (9), 30 (10)
//   -> 30 Mar; seen 30 Mar: met. child-seen#4: 30 Mar + 10 -> 15 Apr (as child-seen#3 of CP-N1), pending.
// Next due: child-seen#4 and core-group#2 both 15 Apr; ties go by key, 'child-seen#4' first.
const N2 = plan({
  planId: 'CP-N2',
  ...NORTH,
  workerName: 'Ben Okafor',
  policyId: 'camden',
  startedOn: '2026-02-16',
  events: [
    {
      type: 'core-group-held',
      on: '2026-03-04',
      attendance: {
        socialWorkerPresent: true,
        present: [
          { agency: 'Police', role: 'PC' },
          { agency: 'Housing', role: 'housing officer' },
        ],
        apologies: [{ agency: 'health', writtenReport: true }],
      },
      parentsPresent: false,
      childViewsRecorded: false,
    },
    { type: 'record-circulated', on: '2026-03-13', meetingOn: '2026-03-04' },
    { type: 'child-seen', on: '2026-03-02', seenAlone: true },
    { type: 'child-seen', on: '2026-03-16' },
    { type: 'child-seen', on: '2026-03-30', seenAlone: true },
    { id: 'ne1', type: 'non-engagement-reported', on: '2026-03-20', detail: 'Parents did not attend the visit.' },
    { id: 'ne1', type: 'non-engagement-reported', on: '2026-03-20' }, // a duplicate delivery: counts once
  ],
  child: { localChildId: 'C002', gender: 'a) Male', ethnicity: 'a) WBRI', dateOfBirth: '2015-11-30' },
  annexA: {
    initialCategory: 'physical',
    latestCategory: 'multiple',
    emergencyProtectionLast6Months: 'yes',
    previousPlans: 1,
  },
  members: [
    { agency: 'social-care', role: 'social-worker' },
    { agency: 'health', role: 'core-group-member' },
    { agency: 'police', role: 'core-group-member' },
  ],
  notifications: [
    sent('first-core-group', 'escalation', '2026-03-03T08:00:00Z'),
    sent('core-group-record@2026-03-04', 'escalation', '2026-03-12T08:00:00Z'),
    sent('non-engagement@2026-03-20#ne1', 'escalation', '2026-03-20T10:00:00Z'),
  ],
});

// Barnsley child in need plan, start Mon 2 Feb. cin-meeting#1: + 6 weeks -> 16 Mar; held 10 Mar: met.
// core-group-record@2026-03-10 (minutes): 11, 12, 13, 16, 17 -> 17 Mar; circulated 12 Mar: met (not a CP record).
// cin-meeting#2: 10 Mar + 6 weeks -> 21 Apr (pending).
const CIN = plan({
  planId: 'CIN-N1',
  ...NORTH,
  workerName: 'Asha Patel',
  policyId: 'barnsley',
  type: 'child-in-need',
  startedOn: '2026-02-02',
  events: [
    {
      type: 'core-group-held',
      on: '2026-03-10',
      attendance: { present: [{ agency: 'social-care', role: 'Social Worker' }, { agency: 'education' }] },
    },
    { type: 'record-circulated', on: '2026-03-12', meetingOn: '2026-03-10' },
  ],
  members: [
    { agency: 'social-care', role: 'social-worker' },
    { agency: 'education', role: 'core-group-member' },
  ],
});

// Ended 20 Feb: not open in March. Core groups on 16 Oct 2025 and 20 Jan 2026 are in the 12-month attendance window.
const ENDED = plan({
  planId: 'CP-N3',
  ...NORTH,
  policyId: 'camden',
  startedOn: '2025-10-06',
  endedOn: '2026-02-20',
  events: [
    {
      type: 'core-group-held',
      on: '2025-10-16',
      attendance: { present: [{ agency: 'social-care', role: 'social worker' }, { agency: 'police' }] },
    },
    {
      type: 'core-group-held',
      on: '2026-01-20',
      attendance: { socialWorkerPresent: true, present: [{ agency: 'health' }] },
    },
    { type: 'plan-ended', on: '2026-02-20' },
  ],
  members: [
    { agency: 'social-care', role: 'social-worker' },
    { agency: 'health', role: 'core-group-member' },
    { agency: 'police', role: 'core-group-member' },
  ],
  notifications: [sent('core-group#3', 'escalation', '2026-03-05T08:00:00Z')], // cannot count: the plan is not open
});

// --- South ---------------------------------------------------------------------------------------------------------

// ICPC Mon 2 Feb. first-core-group due 16 Feb, held 12 Feb (February). core-group#2: 12 Feb + 42 days: 16 days to
//   28 Feb, 26 more -> Thu 26 Mar; held Mon 23 Mar: met; 39 days after 12 Feb.
// core-group-record@2026-03-23: 24, 25, 26, 27, 30 -> due Mon 30 Mar; never circulated: overdue, 1 day at 31 Mar.
// core-group#3: 23 Mar + 42 -> 4 May. review-conference#1: 2 May.
const S1 = plan({
  planId: 'CP-S1',
  ...SOUTH,
  workerName: 'Cara Jones',
  policyId: 'england',
  startedOn: '2026-02-02',
  events: [
    {
      type: 'core-group-held',
      on: '2026-02-12',
      attendance: {
        present: [{ agency: 'social-care', role: 'social worker' }, { agency: 'health' }, { agency: 'police' }],
      },
    },
    { type: 'record-circulated', on: '2026-02-18', meetingOn: '2026-02-12' },
    {
      type: 'core-group-held',
      on: '2026-03-23',
      attendance: {
        present: [
          { agency: 'Social Care', role: 'Social Worker' },
          { agency: 'health', role: 'school nurse' },
        ],
      },
      parentsPresent: true,
    },
    { type: 'child-seen', on: '2026-03-25', seenAlone: false }, // england sets no child-seen timescale
  ],
  child: { localChildId: 'C003', gender: 'Female', ethnicity: 'Mixed', dateOfBirth: '2012-01-09', disability: 'Yes' },
  annexA: { initialCategory: 'sexual', previousPlans: 2 },
  members: [
    { agency: 'social-care', role: 'social-worker' },
    { agency: 'health', role: 'core-group-member' },
    { agency: 'education', role: 'core-group-member' },
  ],
  notifications: [
    sent('core-group-record@2026-03-23', 'escalation', '2026-03-31T08:00:00Z'), // 09:00 BST, 31 March
    sent('core-group-record@2026-03-23', 'second-level', '2026-03-31T23:30:00Z', [{ role: 'head-of-service' }]), // 1 April in London
  ],
});

// ICPC Mon 15 Dec 2025. first-core-group due 31 Dec 2025 (25, 26 Dec bank holidays), held 19 Dec. core-group#2: 19 Dec
//   + 42 -> 30 Jan, held 29 Jan. core-group#3: 29 Jan + 42: 2 to 31 Jan, 28 to 28 Feb, 12 -> Thu 12 Mar; held Tue 17 Mar:
//   late by 3 working days (13, 16, 17 Mar); 47 days after 29 Jan (2 + 28 + 17).
// core-group-record@2026-03-17: 18, 19, 20, 23, 24 -> 24 Mar; circulated 24 Mar: met.
// review-conference#1: 15 Dec + 3 months -> Sun 15 Mar; held Fri 13 Mar: met (category decided: emotional).
// core-group#4: 17 Mar + 42 -> 28 Apr (pending, next due). review-conference#2: 13 Sep.
const S2 = plan({
  planId: 'CP-S2',
  ...SOUTH,
  workerName: 'Dev Singh',
  policyId: 'england',
  startedOn: '2025-12-15',
  events: [
    { type: 'core-group-held', on: '2025-12-19' },
    { type: 'record-circulated', on: '2025-12-22', meetingOn: '2025-12-19' },
    { type: 'core-group-held', on: '2026-01-29' },
    { type: 'record-circulated', on: '2026-02-02', meetingOn: '2026-01-29' },
    { type: 'child-seen', on: '2026-02-20', seenAlone: true },
    { type: 'review-conference-held', on: '2026-03-13', category: 'emotional' },
    { type: 'core-group-held', on: '2026-03-17' }, // attendance not recorded
    { type: 'record-circulated', on: '2026-03-24', meetingOn: '2026-03-17' },
  ],
  child: { localChildId: 'C004' },
  annexA: { initialCategory: 'neglect' },
  members: [
    { agency: 'social-care', role: 'social-worker' },
    { agency: 'health', role: 'core-group-member' },
    { agency: 'education', role: 'core-group-member' },
    { agency: 'police', role: 'core-group-member' },
  ],
  notifications: [
    sent('core-group#3', 'reminder', '2026-03-09T09:00:00Z', [{ role: 'social-worker' }]),
    sent('core-group#3', 'escalation', '2026-03-13T08:00:00Z'),
  ],
});

// ICPC Mon 9 Mar. first-core-group: 10-13 (4), 16-20 (9), 23 (10) -> due Mon 23 Mar; not held: overdue, 8 days at 31 Mar.
const S3 = plan({
  planId: 'CP-S3',
  ...SOUTH,
  policyId: 'england',
  startedOn: '2026-03-09',
  child: { localChildId: 'C005' },
  members: [
    { agency: 'social-care', role: 'social-worker' },
    { agency: 'health', role: 'core-group-member' },
  ],
  notifications: [
    sent('first-core-group', 'escalation', '2026-03-24T08:00:00Z'),
    sent('first-core-group', 'second-level', '2026-03-30T08:00:00Z', [{ role: 'head-of-service' }]),
  ],
});

// Starts 8 April: not open in March.
const FUTURE = plan({ planId: 'CP-S4', ...SOUTH, policyId: 'camden', startedOn: '2026-04-08' });

const FIXTURE = [N1, N2, CIN, ENDED, S1, S2, S3, FUTURE];

function runAudit(): { audit: MonthlyAudit; rows: Map<string, PlanContribution> } {
  const audit = new MonthlyAudit('2026-03', 'Test Partnership');
  const rows = new Map<string, PlanContribution>();
  for (const p of FIXTURE) rows.set(p.planId, audit.add(p));
  return { audit, rows };
}

/** The hand-stated fields of a measure. */
type Expected = [count: number, denominator: number | undefined, percentage: number | undefined, rag: Measure['rag']];

function figures(block: SummaryBlock): Record<string, Expected> {
  return Object.fromEntries(block.measures.map((m) => [m.id, [m.count, m.denominator, m.percentage, m.rag]]));
}

describe('Summary (counted by hand)', () => {
  const { audit } = runAudit();
  const summary = audit.summary();

  it('has the partnership block first, then the teams by name, each with its id', () => {
    expect(summary.map((b) => [b.scope, b.scope === 'team' ? b.teamId : undefined, b.name])).toEqual([
      ['partnership', undefined, 'Test Partnership'],
      ['team', 't-north', 'North'],
      ['team', 't-south', 'South'],
    ]);
    expect('teamId' in summary[0]!).toBe(false);
  });

  it('lists the measures in the order MEASURES gives, with their labels, in every block', () => {
    for (const block of summary) {
      expect(block.measures.map((m) => m.id)).toEqual([...MEASURE_IDS]);
      expect(block.measures.map((m) => m.label)).toEqual(MEASURES.map((m) => m.label));
    }
    expect(MEASURES.filter((m) => m.shape === 'fewer-is-better').map((m) => m.id)).toEqual([
      'first-core-groups-late',
      'first-core-groups-overdue',
    ]);
  });

  it('North', () => {
    expect(figures(summary[1]!)).toEqual({
      // CP-N1, CP-N2, CIN-N1 (CP-N3 ended in February).
      'plans-open': [3, undefined, undefined, 'n/a'],
      // CP-N1 (16 Mar), CP-N2 (2 Mar).
      'first-core-groups-due': [2, undefined, undefined, 'n/a'],
      // CP-N1 met of 2.
      'first-core-groups-met': [1, 2, 50, 'red'],
      // CP-N2 late of 2: 50% late, so 50% not late: red.
      'first-core-groups-late': [1, 2, 50, 'red'],
      // none overdue: 100% not overdue: green.
      'first-core-groups-overdue': [0, 2, 0, 'green'],
      // CP-N1 core-group#2 23 Apr, CP-N2 core-group#2 15 Apr: none in March.
      'later-core-groups-due': [0, undefined, undefined, 'n/a'],
      'later-core-groups-on-time': [0, 0, undefined, 'n/a'],
      // CP-N1 record 19 Mar met, CP-N2 record 11 Mar late (CIN-N1's minutes are not a core group record).
      'records-on-time': [1, 2, 50, 'red'],
      // CP-N1 #1 met, #2 late; CP-N2 #1, #2, #3 met: 4 of 5.
      'child-seen-on-time': [4, 5, 80, 'amber'],
      // CP-N1 2 Jun, CP-N2 16 May: none in March.
      'review-conferences-on-time': [0, 0, undefined, 'n/a'],
      // CIN-N1 cin-meeting#1 met.
      'cin-meetings-on-time': [1, 1, 100, 'green'],
      // CP-N2: first-core-group 3 Mar, record 12 Mar, non-engagement 20 Mar (CP-N1's reminder and failed one do not count).
      'escalations-raised': [3, undefined, undefined, 'n/a'],
      // CP-N2's two obligation escalations, both met (late) by 31 Mar; the non-engagement one has no obligation.
      'escalations-resolved': [2, 2, 100, 'green'],
      // CP-N2 20 Mar (delivered twice, one id).
      'non-engagement-reports': [1, undefined, undefined, 'n/a'],
      'meetings-not-quorate': [0, undefined, undefined, 'n/a'],
      'meetings-attendance-not-recorded': [0, undefined, undefined, 'n/a'],
      'plans-not-evaluated': [0, undefined, undefined, 'n/a'],
    });
  });

  it('South', () => {
    expect(figures(summary[2]!)).toEqual({
      // CP-S1, CP-S2, CP-S3 (CP-S4 starts in April).
      'plans-open': [3, undefined, undefined, 'n/a'],
      // CP-S3 (23 Mar); CP-S1's was due 16 Feb, CP-S2's 31 Dec.
      'first-core-groups-due': [1, undefined, undefined, 'n/a'],
      'first-core-groups-met': [0, 1, 0, 'red'],
      'first-core-groups-late': [0, 1, 0, 'green'],
      // CP-S3 overdue.
      'first-core-groups-overdue': [1, 1, 100, 'red'],
      // CP-S1 core-group#2 (26 Mar), CP-S2 core-group#3 (12 Mar).
      'later-core-groups-due': [2, undefined, undefined, 'n/a'],
      // CP-S1 met, CP-S2 late.
      'later-core-groups-on-time': [1, 2, 50, 'red'],
      // CP-S1 record 30 Mar overdue, CP-S2 record 24 Mar met.
      'records-on-time': [1, 2, 50, 'red'],
      // Only england plans: england sets no child-seen timescale.
      'child-seen-on-time': [0, undefined, undefined, 'n/a'],
      // CP-S2 review-conference#1 15 Mar met (CP-S1 2 May, CP-S3 9 Jun).
      'review-conferences-on-time': [1, 1, 100, 'green'],
      'cin-meetings-on-time': [0, 0, undefined, 'n/a'],
      // CP-S1 escalation 31 Mar (its second level is 1 April in London), CP-S2 escalation 13 Mar, CP-S3 escalation
      // 24 Mar and second level 30 Mar (CP-S2's reminder does not count).
      'escalations-raised': [4, undefined, undefined, 'n/a'],
      // Of the 4, all about obligations: only CP-S2 core-group#3 met (17 Mar).
      'escalations-resolved': [1, 4, 25, 'red'],
      'non-engagement-reports': [0, undefined, undefined, 'n/a'],
      'meetings-not-quorate': [0, undefined, undefined, 'n/a'],
      'meetings-attendance-not-recorded': [0, undefined, undefined, 'n/a'],
      'plans-not-evaluated': [0, undefined, undefined, 'n/a'],
    });
  });

  it('the partnership is North plus South', () => {
    expect(figures(summary[0]!)).toEqual({
      'plans-open': [6, undefined, undefined, 'n/a'],
      'first-core-groups-due': [3, undefined, undefined, 'n/a'],
      // 1 of 3: 33.3%.
      'first-core-groups-met': [1, 3, 33.3, 'red'],
      // 1 of 3 late: 66.7% not late: red.
      'first-core-groups-late': [1, 3, 33.3, 'red'],
      'first-core-groups-overdue': [1, 3, 33.3, 'red'],
      'later-core-groups-due': [2, undefined, undefined, 'n/a'],
      'later-core-groups-on-time': [1, 2, 50, 'red'],
      // CP-N1 met, CP-N2 late, CP-S1 overdue, CP-S2 met.
      'records-on-time': [2, 4, 50, 'red'],
      // North's 4 of 5 (South has no camden plan open).
      'child-seen-on-time': [4, 5, 80, 'amber'],
      'review-conferences-on-time': [1, 1, 100, 'green'],
      'cin-meetings-on-time': [1, 1, 100, 'green'],
      'escalations-raised': [7, undefined, undefined, 'n/a'],
      // 2 + 1 resolved of 2 + 4.
      'escalations-resolved': [3, 6, 50, 'red'],
      'non-engagement-reports': [1, undefined, undefined, 'n/a'],
      'meetings-not-quorate': [0, undefined, undefined, 'n/a'],
      'meetings-attendance-not-recorded': [0, undefined, undefined, 'n/a'],
      'plans-not-evaluated': [0, undefined, undefined, 'n/a'],
    });
  });

  it('names the rules behind each figure', () => {
    const rule = (block: SummaryBlock, id: string) => block.measures.find((m) => m.id === id)?.rule;
    expect(rule(summary[0]!, 'first-core-groups-met')).toBe('camden/first-core-group, england/first-core-group');
    expect(rule(summary[1]!, 'child-seen-on-time')).toBe('camden/child-seen');
    expect(rule(summary[2]!, 'child-seen-on-time')).toMatch(/^n\/a/);
    expect(rule(summary[2]!, 'later-core-groups-on-time')).toBe('england/later-core-groups');
    expect(rule(summary[2]!, 'review-conferences-on-time')).toBe('england/first-review-conference');
    expect(rule(summary[1]!, 'cin-meetings-on-time')).toBe('barnsley/cin-meetings');
    expect(rule(summary[1]!, 'records-on-time')).toBe('camden/core-group-record');
  });

  it('states the RAG rule in words', () => {
    expect(RAG_RULE).toMatch(/Green: 90% or more/);
    expect(RAG_RULE).toMatch(/Amber: 75% or more but below 90%/);
    expect(RAG_RULE).toMatch(/Red: below 75%/);
    expect(RAG_RULE).toMatch(/n\/a/);
  });
});

describe('Plans sheet', () => {
  const { rows } = runAudit();

  it('has a row per plan open in the month, and none for plans not open', () => {
    expect([...rows].filter(([, c]) => c.plan !== undefined).map(([id]) => id)).toEqual([
      'CP-N1',
      'CP-N2',
      'CIN-N1',
      'CP-S1',
      'CP-S2',
      'CP-S3',
    ]);
    expect(rows.get('CP-N3')).toEqual({ coreGroups: [], escalations: [] });
    expect(rows.get('CP-S4')).toEqual({ coreGroups: [], escalations: [] });
  });

  it('shows the next due obligation, days overdue and the escalation level', () => {
    expect(rows.get('CP-N1')!.plan).toEqual({
      reference: 'CP-N1',
      team: 'North',
      worker: 'Asha Patel',
      policy: 'camden',
      rulesVersion: 'camden@2026-12-02.1',
      planType: 'child-protection',
      planStart: '2026-03-02',
      nextDueObligation: 'child-seen#3',
      nextDueDate: '2026-04-15',
      nextDueStatus: 'pending',
      // Its only notification sent was a reminder for the first core group, met since.
      daysOverdue: 0,
      escalationLevel: 'none',
    });
    expect(rows.get('CP-N2')!.plan).toMatchObject({
      nextDueObligation: 'child-seen#4',
      nextDueDate: '2026-04-15',
      nextDueStatus: 'pending',
      daysOverdue: 0,
      escalationLevel: 'none',
    });
    // Record due 30 Mar, overdue 1 day; its escalation was sent on 31 Mar, its second level on 1 April (London).
    expect(rows.get('CP-S1')!.plan).toMatchObject({
      nextDueObligation: 'core-group-record@2026-03-23',
      nextDueDate: '2026-03-30',
      nextDueStatus: 'overdue',
      daysOverdue: 1,
      escalationLevel: 'escalation',
    });
    expect(rows.get('CP-S2')!.plan).toMatchObject({
      nextDueObligation: 'core-group#4',
      nextDueDate: '2026-04-28',
      daysOverdue: 0,
    });
    // First core group due 23 Mar: 8 days overdue at 31 Mar; escalated to the second level on 30 Mar.
    expect(rows.get('CP-S3')!.plan).toEqual({
      reference: 'CP-S3',
      team: 'South',
      policy: 'england',
      rulesVersion: 'england@2026-12-02.1',
      planType: 'child-protection',
      planStart: '2026-03-09',
      nextDueObligation: 'first-core-group',
      nextDueDate: '2026-03-23',
      nextDueStatus: 'overdue',
      daysOverdue: 8,
      escalationLevel: 'second-level',
    });
    expect(rows.get('CIN-N1')!.plan).toMatchObject({
      planType: 'child-in-need',
      nextDueObligation: 'cin-meeting#2',
      nextDueDate: '2026-04-21',
    });
  });

  it('honours a recorded end date the event log lacks: nothing falls due after it', () => {
    // ICPC Mon 9 Mar; first core group due Mon 23 Mar, after the recorded end on Fri 13 Mar: dropped, as the engine does.
    const audit = new MonthlyAudit('2026-03', 'P');
    const c = audit.add(
      plan({ planId: 'END', ...SOUTH, policyId: 'england', startedOn: '2026-03-09', endedOn: '2026-03-13' }),
    );
    expect(c.plan).toEqual({
      reference: 'END',
      team: 'South',
      policy: 'england',
      rulesVersion: 'england@2026-12-02.1',
      planType: 'child-protection',
      planStart: '2026-03-09',
      planEnd: '2026-03-13',
      daysOverdue: 0,
      escalationLevel: 'none',
    });
    expect(c.coreGroups).toEqual([]);
    // Annex A lists it on the day it ended, with its end, and not after.
    const input = plan({
      planId: 'END',
      ...SOUTH,
      policyId: 'england',
      startedOn: '2026-03-09',
      endedOn: '2026-03-13',
    });
    expect(annexARow(input, '2026-03-13')?.planEnd).toBe('2026-03-13');
    expect(annexARow(input, '2026-03-31')).toBeUndefined();
    const measures = audit.summary()[0]!.measures;
    expect(measures.find((m) => m.id === 'first-core-groups-due')?.count).toBe(0);
  });

  it('reports a plan the engine refuses instead of dropping it', () => {
    const audit = new MonthlyAudit('2026-03', 'P');
    const bad = plan({
      planId: 'BAD',
      ...NORTH,
      policyId: 'england',
      startedOn: '2026-03-02',
      events: [{ type: 'child-seen', on: '2026-02-30' }],
    });
    const c = audit.add(bad);
    expect(c.plan).toMatchObject({ reference: 'BAD', nextDueStatus: 'not evaluated', daysOverdue: 0 });
    expect(c.plan?.nextDueObligation).toMatch(/2026-02-30/);
    const measures = audit.summary()[0]!.measures;
    expect(measures.find((m) => m.id === 'plans-not-evaluated')?.count).toBe(1);
    expect(measures.find((m) => m.id === 'plans-open')?.count).toBe(1);
  });
});

describe('pinned rules', () => {
  // A hypothetical earlier Camden rule: first core group within 15 working days (today's rule says 10).
  const current = getPolicy('camden');
  const retired: Policy = {
    ...current,
    version: '2025-01-01.1',
    childProtection: {
      ...current.childProtection,
      firstCoreGroup: { ...current.childProtection.firstCoreGroup, value: { workingDays: 15 } },
    },
  };
  const registry = (id: Parameters<typeof getPolicyVersion>[0], rulesVersion: string) =>
    getPolicyVersion(id, rulesVersion, [retired]);

  // ICPC Mon 2 Mar, first core group held Thu 19 Mar. 10 working days: 3-6 (4), 9-13 (9), 16 (10) -> due Mon 16 Mar,
  // held late. 15 working days: 17-20 (14), 23 (15) -> due Mon 23 Mar, held in time.
  const registeredUnder = (rulesVersion: string): PlanContribution => {
    const audit = new MonthlyAudit('2026-03', 'P', registry);
    return audit.add(
      plan({
        planId: 'PIN',
        ...NORTH,
        policyId: 'camden',
        rulesVersion,
        startedOn: '2026-03-02',
        events: [{ type: 'core-group-held', on: '2026-03-19' }],
      }),
    );
  };

  it("evaluates a plan with the retired version it was registered under, not today's rules", () => {
    const c = registeredUnder('camden@2025-01-01.1');
    expect(c.plan).toMatchObject({ rulesVersion: 'camden@2025-01-01.1', nextDueObligation: 'child-seen#1' });
    expect(c.coreGroups.map((r) => [r.obligation, r.dueDate, r.heldDate, r.onTime])).toEqual([
      ['first-core-group', '2026-03-23', '2026-03-19', true],
    ]);
  });

  it("evaluates a plan registered under today's version with today's rules", () => {
    const c = registeredUnder(rulesVersionOf(current));
    expect(c.plan?.rulesVersion).toBe('camden@2026-12-02.1');
    expect(c.coreGroups.map((r) => [r.obligation, r.dueDate, r.onTime, r.workingDaysLate])).toEqual([
      ['first-core-group', '2026-03-16', false, 3],
    ]);
  });

  it('uses the registry by default: a version it does not know is not evaluated, with why (never other rules)', () => {
    const audit = new MonthlyAudit('2026-03', 'P');
    const c = audit.add(
      plan({
        planId: 'OLD',
        ...NORTH,
        policyId: 'camden',
        rulesVersion: 'camden@2025-01-01.1',
        startedOn: '2026-03-02',
      }),
    );
    expect(c.plan?.nextDueStatus).toBe('not evaluated');
    expect(c.plan?.nextDueObligation).toMatch(/camden@2025-01-01\.1 are not known to this version of corewatch/);
    expect(c.coreGroups).toEqual([]);
  });
});

describe('Core groups sheet', () => {
  const { rows } = runAudit();

  it('a first core group in time: attendance by agency, quorate, record on time', () => {
    expect(rows.get('CP-N1')!.coreGroups).toEqual([
      {
        reference: 'CP-N1',
        team: 'North',
        obligation: 'first-core-group',
        dueDate: '2026-03-16',
        heldDate: '2026-03-12',
        onTime: true,
        socialCare: true,
        health: true,
        education: true,
        police: false,
        parentsPresent: true,
        childViewsRecorded: true,
        recordCirculatedOn: '2026-03-17',
        recordOnTime: true,
        // Social worker plus the health visitor and the class teacher: Camden's quorum.
        quorum: 'held, quorate',
      },
    ]);
  });

  it('a first core group held late: working days late, the social worker recorded present, other agencies', () => {
    expect(rows.get('CP-N2')!.coreGroups).toEqual([
      {
        reference: 'CP-N2',
        team: 'North',
        obligation: 'first-core-group',
        dueDate: '2026-03-02',
        heldDate: '2026-03-04',
        onTime: false,
        workingDaysLate: 2,
        // socialWorkerPresent counts for social care; health sent apologies only.
        socialCare: true,
        health: false,
        education: false,
        police: true,
        otherAgencies: 'housing',
        parentsPresent: false,
        childViewsRecorded: false,
        recordCirculatedOn: '2026-03-13',
        recordOnTime: false,
        quorum: 'held, quorate',
      },
    ]);
  });

  it('later core groups: on time with the record missing; late with no attendance recorded', () => {
    expect(rows.get('CP-S1')!.coreGroups).toEqual([
      {
        reference: 'CP-S1',
        team: 'South',
        obligation: 'core-group#2',
        dueDate: '2026-03-26',
        heldDate: '2026-03-23',
        onTime: true,
        daysSincePrevious: 39,
        socialCare: true,
        health: true,
        education: false,
        police: false,
        parentsPresent: true,
        // Never circulated, due 30 Mar: not on time.
        recordOnTime: false,
        // England's documents set no quorum: every meeting counts.
        quorum: 'held (no quorum rule in this policy)',
      },
    ]);
    expect(rows.get('CP-S2')!.coreGroups).toEqual([
      {
        reference: 'CP-S2',
        team: 'South',
        obligation: 'core-group#3',
        dueDate: '2026-03-12',
        heldDate: '2026-03-17',
        onTime: false,
        workingDaysLate: 3,
        daysSincePrevious: 47,
        socialCare: false,
        health: false,
        education: false,
        police: false,
        recordCirculatedOn: '2026-03-24',
        recordOnTime: true,
        // Attendance not recorded, under a policy with no quorum anyway.
        quorum: 'held (no quorum rule in this policy)',
      },
    ]);
  });

  it('a first core group still overdue, and a child in need meeting under its own key', () => {
    expect(rows.get('CP-S3')!.coreGroups).toEqual([
      {
        reference: 'CP-S3',
        team: 'South',
        obligation: 'first-core-group',
        dueDate: '2026-03-23',
        onTime: false,
        socialCare: false,
        health: false,
        education: false,
        police: false,
      },
    ]);
    expect(rows.get('CIN-N1')!.coreGroups).toEqual([
      {
        reference: 'CIN-N1',
        team: 'North',
        obligation: 'cin-meeting#1',
        dueDate: '2026-03-16',
        heldDate: '2026-03-10',
        onTime: true,
        socialCare: true,
        health: false,
        education: true,
        police: false,
        recordCirculatedOn: '2026-03-12',
        recordOnTime: true,
        // Barnsley: a child in need meeting goes ahead without the social worker too.
        quorum: 'held, quorate',
      },
    ]);
  });

  it('a meeting that was not quorate meets nothing: the deadline stays open and the row says why (issue 10, 001 §4)', () => {
    const meeting = (on: string, attendance: object): PlanEvent => ({ type: 'core-group-held', on, attendance });
    const events = [
      // No social worker: not quorate under Camden guidance/001 §4.
      meeting('2026-01-15', { present: [{ agency: 'health' }, { agency: 'education' }] }),
      // The social worker alone (recorded twice): no other professional, not quorate either.
      meeting('2026-01-16', { socialWorkerPresent: true, present: [{ agency: 'social-care', role: 'social worker' }] }),
    ];
    const january = new MonthlyAudit('2026-01', 'P');
    const c = january.add(plan({ planId: 'Q', ...NORTH, policyId: 'camden', startedOn: '2026-01-05', events }));
    expect(c.coreGroups).toEqual([
      expect.objectContaining({
        obligation: 'first-core-group',
        dueDate: '2026-01-19',
        onTime: false,
        notCounted:
          '2026-01-15: held, not quorate (the social worker was not recorded present): does not count; ' +
          '2026-01-16: held, not quorate (0 other professionals recorded present, 1 needed): does not count',
      }),
    ]);
    expect(c.coreGroups[0]!.heldDate).toBeUndefined();
    expect(c.plan?.nextDueStatus).toBe('overdue');
    const summary = january.summary();
    expect(summary[0]!.measures.find((m) => m.id === 'meetings-not-quorate')?.count).toBe(2);
  });

  it('under the rules a plan was registered under before quorum was part of each policy, the same meetings count', () => {
    const audit = new MonthlyAudit('2026-01', 'P');
    const c = audit.add(
      plan({
        planId: 'Q-OLD',
        ...NORTH,
        policyId: 'camden',
        rulesVersion: 'camden@2026-11-23.1',
        startedOn: '2026-01-05',
        events: [{ type: 'core-group-held', on: '2026-01-15', attendance: { present: [{ agency: 'health' }] } }],
      }),
    );
    expect(c.coreGroups.map((r) => [r.obligation, r.heldDate, r.onTime, r.quorum])).toEqual([
      ['first-core-group', '2026-01-15', true, 'held (no quorum rule in this policy)'],
    ]);
  });

  it('counts the meetings whose attendance was not recorded, under a policy with a quorum', () => {
    const audit = new MonthlyAudit('2026-01', 'P');
    audit.add(
      plan({
        planId: 'NR',
        ...NORTH,
        policyId: 'camden',
        startedOn: '2026-01-05',
        events: [{ type: 'core-group-held', on: '2026-01-15' }],
      }),
    );
    const measures = audit.summary()[0]!.measures;
    expect(measures.find((m) => m.id === 'meetings-attendance-not-recorded')?.count).toBe(1);
    expect(measures.find((m) => m.id === 'meetings-not-quorate')?.count).toBe(0);
  });
});

describe('Escalations sheet', () => {
  const { rows } = runAudit();

  it('lists every reminder and escalation sent in the month, with when its obligation was met', () => {
    expect(rows.get('CP-N1')!.escalations).toEqual([
      {
        reference: 'CP-N1',
        team: 'North',
        sentAt: '2026-03-11T09:00:00Z',
        level: 'reminder',
        toRoles: 'social-worker',
        about: 'first-core-group',
        resolvedOn: '2026-03-12',
      },
    ]);
    expect(rows.get('CP-N2')!.escalations).toEqual([
      {
        reference: 'CP-N2',
        team: 'North',
        sentAt: '2026-03-03T08:00:00Z',
        level: 'escalation',
        toRoles: 'team-manager, conference-chair',
        about: 'first-core-group',
        resolvedOn: '2026-03-04',
      },
      {
        reference: 'CP-N2',
        team: 'North',
        sentAt: '2026-03-12T08:00:00Z',
        level: 'escalation',
        toRoles: 'team-manager, conference-chair',
        about: 'core-group-record@2026-03-04',
        resolvedOn: '2026-03-13',
      },
      {
        reference: 'CP-N2',
        team: 'North',
        sentAt: '2026-03-20T10:00:00Z',
        level: 'escalation',
        toRoles: 'team-manager, conference-chair',
        about: 'non-engagement@2026-03-20#ne1',
      },
    ]);
    // The second level sent at 23:30 UTC on 31 March is 1 April in London: next month's.
    expect(rows.get('CP-S1')!.escalations).toEqual([
      {
        reference: 'CP-S1',
        team: 'South',
        sentAt: '2026-03-31T08:00:00Z',
        level: 'escalation',
        toRoles: 'team-manager, conference-chair',
        about: 'core-group-record@2026-03-23',
      },
    ]);
    expect(rows.get('CP-S3')!.escalations.map((e) => [e.level, e.toRoles, e.resolvedOn])).toEqual([
      ['escalation', 'team-manager, conference-chair', undefined],
      ['second-level', 'head-of-service', undefined],
    ]);
  });
});

describe("Annex A, List 7, on the month's last day (reports/annex-a.ts over the same plans)", () => {
  const MONTH_END = '2026-03-31';
  const rows = new Map(FIXTURE.map((p) => [p.planId, annexARow(p, MONTH_END)]));

  it('has a row per child protection plan open on the day', () => {
    expect([...rows].filter(([, r]) => r !== undefined).map(([id]) => id)).toEqual([
      'CP-N1',
      'CP-N2',
      'CP-S1',
      'CP-S2',
      'CP-S3',
    ]);
  });

  it('fills the List 7 fields: codes, age on the day, last visit and seen alone, latest review conference', () => {
    expect(rows.get('CP-N1')).toEqual({
      childId: 'C001',
      gender: 'b) Female',
      ethnicity: 'a) WBRI',
      dateOfBirth: '2019-05-04',
      age: 6,
      disability: 'b) No',
      planStart: '2026-03-02',
      initialCategory: 'a) Neglect',
      latestCategory: 'a) Neglect',
      // The 2 April visit is after the day.
      lastStatutoryVisit: '2026-03-30',
      seenAlone: 'b) No',
      emergencyProtection: 'b) No',
      previousPlans: 0,
      team: 'North',
      worker: 'Asha Patel',
    });
    // Template codes given at intake are read as their keys; no review conference: the category on the plan.
    expect(rows.get('CP-N2')).toMatchObject({
      gender: 'a) Male',
      ethnicity: 'a) WBRI',
      age: 10,
      initialCategory: 'b) Physical abuse',
      latestCategory: 'e) Multiple/not recommended',
      lastStatutoryVisit: '2026-03-30',
      seenAlone: 'a) Yes',
      emergencyProtection: 'a) Yes',
      previousPlans: 1,
    });
    // The review conference of 13 March decided emotional abuse.
    expect(rows.get('CP-S2')).toMatchObject({
      initialCategory: 'a) Neglect',
      latestCategory: 'd) Emotional abuse',
      latestReviewConference: '2026-03-13',
      lastStatutoryVisit: '2026-02-20',
      seenAlone: 'a) Yes',
      team: 'South',
      worker: 'Dev Singh',
    });
    // Stored before intake checked codes: a plain word it knows is coded ('Female', 'Yes'); one it does not
    // ('Mixed') leaves the cell blank rather than write what a reader would not recognise.
    const s1 = rows.get('CP-S1')!;
    expect(s1).toMatchObject({
      gender: 'b) Female',
      disability: 'a) Yes',
      latestCategory: 'c) Sexual abuse',
      lastStatutoryVisit: '2026-03-25',
      seenAlone: 'b) No',
    });
    expect(s1.ethnicity).toBeUndefined();
    expect(rows.get('CP-S3')).toEqual({ childId: 'C005', planStart: '2026-03-09', team: 'South' });
  });

  it('lays a row out as the template: 17 headers in order, dd/mm/yyyy dates, codes', () => {
    expect(ANNEX_A_COLUMNS).toEqual(TEMPLATE_HEADERS);
    expect(annexACells(rows.get('CP-N1')!)).toEqual([
      'C001',
      'b) Female',
      'a) WBRI',
      '04/05/2019',
      6,
      'b) No',
      '02/03/2026',
      'a) Neglect',
      'a) Neglect',
      '30/03/2026',
      'b) No',
      undefined,
      undefined,
      'b) No',
      0,
      'North',
      'Asha Patel',
    ]);
  });
});

describe('Agency attendance', () => {
  const { audit } = runAudit();

  it('invited versus attended, agencies down, the 12 months to March 2026 across', () => {
    const grid = audit.agencyAttendance();
    expect(grid.map((r) => r.agency)).toEqual(['education', 'health', 'housing', 'police', 'social-care']);
    for (const row of grid) {
      expect(row.months.map((m) => m.month)).toEqual([
        '2025-04',
        '2025-05',
        '2025-06',
        '2025-07',
        '2025-08',
        '2025-09',
        '2025-10',
        '2025-11',
        '2025-12',
        '2026-01',
        '2026-02',
        '2026-03',
      ]);
    }
    // Only months with a counted meeting, as [invited, attended]. Hand count:
    //   Oct 2025  CP-N3 16 Oct: members social-care, health, police; present social-care, police.
    //   Dec 2025  CP-S2 19 Dec: no attendance recorded -> not counted (likewise CP-S2 29 Jan and 17 Mar).
    //   Jan 2026  CP-N3 20 Jan: members as above; social worker present, health present.
    //   Feb 2026  CP-S1 12 Feb: members social-care, health, education; present social-care, health, police (police
    //             not a member: invited too).
    //   Mar 2026  CP-N1 12 Mar: members social-care, health, education, police; present social-care, health, education.
    //             CP-N2 4 Mar: members social-care, health, police; social worker, police, housing present; health
    //             apologies. CP-S1 23 Mar: members social-care, health, education; present social-care, health.
    //             (CIN-N1's child in need meeting is not a core group.)
    const nonZero = Object.fromEntries(
      grid.map((r) => [
        r.agency,
        Object.fromEntries(r.months.filter((m) => m.invited > 0).map((m) => [m.month, [m.invited, m.attended]])),
      ]),
    );
    expect(nonZero).toEqual({
      'social-care': { '2025-10': [1, 1], '2026-01': [1, 1], '2026-02': [1, 1], '2026-03': [3, 3] },
      health: { '2025-10': [1, 0], '2026-01': [1, 1], '2026-02': [1, 1], '2026-03': [3, 2] },
      police: { '2025-10': [1, 1], '2026-01': [1, 0], '2026-02': [1, 1], '2026-03': [2, 1] },
      education: { '2026-02': [1, 0], '2026-03': [2, 1] },
      housing: { '2026-03': [1, 1] },
    });
  });
});

describe('README sheet guide', () => {
  it('describes every column of every sheet, with the rules behind the figures', () => {
    const sheets = new Set(SHEET_GUIDE.map((g) => g.sheet));
    expect([...sheets]).toEqual([
      'Summary',
      'Plans',
      'Core groups',
      'Escalations',
      'Agency attendance',
      'Annex A List 7',
    ]);
    const annex = SHEET_GUIDE.filter((g) => g.sheet === 'Annex A List 7').map((g) => g.column);
    expect(annex).toEqual([...ANNEX_A_COLUMNS]);
    const first = SHEET_GUIDE.find((g) => g.column === 'First core groups met within 10 working days');
    expect(first?.rule).toContain('camden/first-core-group');
    expect(first?.rule).toContain('england/first-core-group');
    expect(SHEET_GUIDE.find((g) => g.column === 'Child seen within timescale')?.rule).toBe('camden/child-seen');
    expect(SHEET_GUIDE.find((g) => g.column === 'Quorum')?.rule).toMatch(
      /barnsley\/core-group-quorum.*camden\/core-group-quorum/,
    );
  });
});

describe('memory stays flat', () => {
  it('10,000 plans leave the tallies the size they were after 100', () => {
    const audit = new MonthlyAudit('2026-03', 'Big');
    const synthetic = (i: number): ReportPlanInput =>
      plan({
        planId: `SYN-${i}`,
        teamId: `t${i % 3}`,
        teamName: `Team ${i % 3}`,
        policyId: i % 2 === 0 ? 'camden' : 'england',
        startedOn: i % 4 === 0 ? '2026-03-02' : '2026-02-16',
        events: [
          {
            type: 'core-group-held',
            on: '2026-03-04',
            attendance: { socialWorkerPresent: true, present: [{ agency: 'health' }] },
          },
          { type: 'child-seen', on: '2026-03-10' },
        ],
        members: [{ agency: 'social-care' }, { agency: 'health' }],
        notifications: [sent('first-core-group', 'escalation', '2026-03-03T08:00:00Z')],
      });
    for (let i = 0; i < 100; i++) audit.add(synthetic(i));
    const after100 = audit.stateSize();
    for (let i = 100; i < 10_000; i++) audit.add(synthetic(i));
    expect(audit.stateSize()).toBe(after100);
    const summary = audit.summary();
    expect(summary).toHaveLength(4);
    expect(summary[0]!.measures.find((m) => m.id === 'plans-open')?.count).toBe(10_000);
  });
});

describe('review conference category in the public input', () => {
  it('accepts a known category and refuses an unknown one', () => {
    const input = (category: string) => ({
      policy: 'england',
      plan: { type: 'child-protection', startedOn: '2026-01-05' },
      events: [{ type: 'review-conference-held', on: '2026-03-20', category }],
    });
    expect(parseEvaluateInput(input('emotional')).events[0]).toEqual({
      type: 'review-conference-held',
      on: '2026-03-20',
      category: 'emotional',
    });
    expect(() => parseEvaluateInput(input('financial'))).toThrow(/events\[0\]\.category/);
  });
});
