/**
 * Camden (London): Core groups, practice guidance for social workers (guidance/001).
 *
 * The review conferences are not in Camden's guidance; Camden names Working Together to Safeguard Children 2023 as
 * its key policy document (section 2), which decides them.
 */
import type { Policy } from '../types';

/** The document every Camden rule cites (domain/attendance.ts cites it for the core group quorum). */
export const CAMDEN = 'Camden, Core groups: practice guidance for social workers (guidance/001)';
const WORKING_TOGETHER = 'Working Together to Safeguard Children 2023 (statutory guidance)';
const CHILD_PROTECTION_PLANS = 'Chapter 3 Providing help, support and protection: child protection plans';
const NATIONAL =
  'Camden guidance/001 sets no review conference timescale and names Working Together 2023 as a key policy document. ' +
  'Working Together is not in guidance/: check the wording against the GOV.UK edition.';

export const camden: Policy = {
  id: 'camden',
  name: 'Camden',
  version: '2026-12-02.1',
  childProtection: {
    firstCoreGroup: {
      value: { workingDays: 10 },
      rule: {
        id: 'camden/first-core-group',
        basis: 'stated',
        source: CAMDEN,
        section: '5 Frequency',
        quote: 'The first core group meeting must take place within 10 working days of the initial case conference',
      },
    },
    laterCoreGroups: [
      {
        value: { weeks: 6 },
        rule: {
          id: 'camden/second-core-group',
          basis: 'stated',
          source: CAMDEN,
          section: '5 Frequency',
          quote: 'The next core group meeting should be held within 6 weeks of the first.',
        },
      },
      {
        value: { months: 2 },
        rule: {
          id: 'camden/later-core-groups',
          basis: 'stated',
          source: CAMDEN,
          section: '5 Frequency',
          quote: 'Subsequent core group meetings should be held at a frequency of no less than once every 2 months',
          note: 'Counted in calendar months from the date the previous core group was held.',
        },
      },
    ],
    recordCirculated: {
      value: { workingDays: 5 },
      rule: {
        id: 'camden/core-group-record',
        basis: 'stated',
        source: CAMDEN,
        section: '9 Recording and distribution',
        quote:
          'The record of the meeting should be distributed to all members of the core group within 5 working days of the meeting.',
      },
    },
    childSeen: {
      value: { workingDays: 10 },
      rule: {
        id: 'camden/child-seen',
        basis: 'stated',
        source: CAMDEN,
        section: '8 Conduct of the meeting',
        quote: 'arrangements for the child to be seen by a member of the professional network every 10 working days',
        note: 'Counted from the initial conference, then from each time the child was seen.',
      },
    },
    rescheduleCancelled: {
      value: { days: 7 },
      rule: {
        id: 'camden/rescheduled-core-group',
        basis: 'stated',
        source: CAMDEN,
        section: '4 Attendance',
        quote: 'Postponed meetings must be re-scheduled to take place within a week of the cancelled date.',
        note: "'Within a week' read as 7 calendar days; a postponed core group is recorded as cancelled.",
      },
    },
    firstReviewConference: {
      value: { months: 3 },
      rule: {
        id: 'camden/first-review-conference',
        basis: 'stated',
        source: WORKING_TOGETHER,
        section: CHILD_PROTECTION_PLANS,
        quote:
          'The first child protection review conference should be held within three months of the initial conference.',
        note: NATIONAL,
      },
    },
    laterReviewConferences: {
      value: { months: 6 },
      rule: {
        id: 'camden/later-review-conferences',
        basis: 'stated',
        source: WORKING_TOGETHER,
        section: CHILD_PROTECTION_PLANS,
        quote: 'Further reviews should be held at intervals of not more than six months',
        note: 'Counted from the date the previous review conference was held. ' + NATIONAL,
      },
    },
    quorum: {
      value: { socialWorker: true, otherProfessionals: 1 },
      rule: {
        id: 'camden/core-group-quorum',
        basis: 'stated',
        source: CAMDEN,
        section: '4 Attendance',
        quote:
          'Scheduled core groups must go ahead as long as the social worker and one other member of the professional network is in attendance.',
        note: 'A core group whose recorded attendance falls short of this does not meet its deadline; one whose attendance was not recorded counts.',
      },
    },
    conferenceCadence: {
      id: 'camden/conference-cadence',
      basis: 'stated',
      source: CAMDEN,
      section: '5 Frequency',
      quote: 'the conference may opt to hold more frequent meetings depending on the circumstances of the case',
    },
  },
  escalation: {
    childProtection: {
      value: { to: ['team-manager', 'conference-chair'] },
      rule: {
        id: 'camden/escalation',
        basis: 'stated',
        source: CAMDEN,
        section: '10 Difficulties in engagement or implementation',
        quote:
          'If there are any difficulties in engaging parents reported by the core group, the social worker must report these to their team manager and the conference chair',
        note: 'corewatch sends every escalation of the plan this way: a missed deadline and a booked meeting not held as well as difficulties engaging parents.',
      },
    },
  },
};
