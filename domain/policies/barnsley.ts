/**
 * Barnsley: Core Group and Child in Need Meetings, guidance for professionals (guidance/004).
 *
 * The only policy with child in need rules. Its minutes rule covers both core groups and child in need meetings.
 * The review conferences are not in 004; Working Together to Safeguard Children 2023 decides them.
 */
import type { Policy, RecordRule } from '../types';

const BARNSLEY = 'Barnsley, Core Group and Child in Need Meetings: Guidance for Professionals (guidance/004)';
const WORKING_TOGETHER = 'Working Together to Safeguard Children 2023 (statutory guidance)';
const CHILD_PROTECTION_PLANS = 'Chapter 3 Providing help, support and protection: child protection plans';
const NATIONAL =
  'Barnsley guidance/004 sets no review conference timescale; Working Together decides. ' +
  'Working Together is not in guidance/: check the wording against the GOV.UK edition.';
/**
 * The minutes rule, for core groups and child in need meetings alike. Read as written (issue 10): five calendar days,
 * since the same document says "10 working days" where it means working days; measured on the minutes reaching the
 * social worker, which a circulated record also shows.
 */
export const BARNSLEY_MINUTES: RecordRule = {
  value: { days: 5 },
  metBy: ['minutes-received', 'record-circulated'],
  rule: {
    id: 'barnsley/minutes',
    basis: 'stated',
    source: BARNSLEY,
    section: 'What other responsibilities do I have as a member?',
    quote: 'The individual writing the minutes should provide a written copy to the social worker within five days.',
    note:
      "'Within five days' read as written, 5 calendar days: the same document says '10 working days' where it means " +
      'working days. Met when the social worker receives the minutes (minutes-received), or by a record circulated on ' +
      'or before that day (circulation implies the social worker had them).',
  },
};

export const barnsley: Policy = {
  id: 'barnsley',
  name: 'Barnsley',
  version: '2026-12-02.1',
  childProtection: {
    firstCoreGroup: {
      value: { workingDays: 10 },
      rule: {
        id: 'barnsley/first-core-group',
        basis: 'stated',
        source: BARNSLEY,
        section: 'When and where will the meetings take place? Core Group',
        quote: 'the first Core Group must take place within 10 working days of the initial case conference',
      },
    },
    laterCoreGroups: [
      {
        value: { days: 28 },
        rule: {
          id: 'barnsley/later-core-groups',
          basis: 'stated',
          source: BARNSLEY,
          section: 'When and where will the meetings take place? Core Group',
          quote: 'and then subsequently every 28 days',
          note: 'Counted in calendar days from the date the previous core group was held.',
        },
      },
    ],
    recordCirculated: BARNSLEY_MINUTES,
    firstReviewConference: {
      value: { months: 3 },
      rule: {
        id: 'barnsley/first-review-conference',
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
        id: 'barnsley/later-review-conferences',
        basis: 'stated',
        source: WORKING_TOGETHER,
        section: CHILD_PROTECTION_PLANS,
        quote: 'Further reviews should be held at intervals of not more than six months',
        note: 'Counted from the date the previous review conference was held. ' + NATIONAL,
      },
    },
    quorum: {
      value: { socialWorker: true, otherProfessionals: 0 },
      rule: {
        id: 'barnsley/core-group-quorum',
        basis: 'stated',
        source: BARNSLEY,
        section: 'What other responsibilities do I have as a member?',
        quote: 'A Core Group should not progress without a social worker present.',
        note: 'A core group whose recorded attendance has no social worker does not meet its deadline; one whose attendance was not recorded counts.',
      },
    },
    conferenceCadence: {
      id: 'barnsley/conference-cadence',
      basis: 'default',
      source: BARNSLEY,
      section: 'When and where will the meetings take place? Core Group',
      quote:
        'To avoid drift, meetings must be arranged in advance, with the next date being identified at the Core Group meeting.',
      note:
        "guidance/004 does not say a conference may set a more frequent cadence. corewatch lets it (as Camden 001 '5 Frequency', " +
        'Cwm Taf 000 and Wales 002 do), never a looser one than every 28 days.',
    },
  },
  childInNeed: {
    meetings: {
      value: { weeks: 6 },
      rule: {
        id: 'barnsley/cin-meetings',
        basis: 'stated',
        source: BARNSLEY,
        section: 'When and where will the meetings take place? Child in Need Meetings',
        quote: 'Child in Need meetings will take place a minimum of every 6 weeks',
        note: 'Counted from the plan start, then from the date the previous child in need meeting was held.',
      },
    },
    quorum: {
      value: { socialWorker: false, otherProfessionals: 0 },
      rule: {
        id: 'barnsley/cin-meeting-quorum',
        basis: 'stated',
        source: BARNSLEY,
        section: 'What other responsibilities do I have as a member?',
        quote:
          'For Child in Need meetings however, if an unavoidable situation arises and the social worker cannot attend, the meeting should still proceed following the agreed format.',
        note: 'No quorum for child in need meetings: every meeting held counts, the social worker present or not.',
      },
    },
    recordCirculated: BARNSLEY_MINUTES,
  },
  escalation: {
    childProtection: {
      value: { to: ['team-manager', 'conference-chair'] },
      rule: {
        id: 'barnsley/escalation',
        basis: 'default',
        source: BARNSLEY,
        section: 'What other responsibilities do I have as a member?',
        quote:
          'All Core Group/Child in Need members should assess the progress that is being made and where progress is not being made consider next steps, including escalation.',
        note: "guidance/004 names no one to escalate to: corewatch escalates to the team manager and the conference chair, Camden's route (001 '10 Difficulties in engagement or implementation').",
      },
    },
    childInNeed: {
      value: { to: ['team-manager'] },
      rule: {
        id: 'barnsley/cin-escalation',
        basis: 'default',
        source: BARNSLEY,
        section: 'What other responsibilities do I have as a member?',
        quote:
          'All Core Group/Child in Need members should assess the progress that is being made and where progress is not being made consider next steps, including escalation.',
        note: 'guidance/004 names no one to escalate to. A child in need plan has no conference chair: corewatch escalates to the team manager.',
      },
    },
  },
};
