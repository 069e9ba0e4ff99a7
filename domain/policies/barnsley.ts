/**
 * Barnsley: Core Group and Child in Need Meetings, guidance for professionals (guidance/004).
 *
 * The only policy with child in need rules. Its minutes rule covers both core groups and child in need meetings.
 * The review conferences are not in 004; Working Together to Safeguard Children 2023 decides them.
 */
import type { Policy } from '../types';

const BARNSLEY = 'Barnsley, Core Group and Child in Need Meetings: Guidance for Professionals (guidance/004)';
const WORKING_TOGETHER = 'Working Together to Safeguard Children 2023 (statutory guidance)';
const CHILD_PROTECTION_PLANS = 'Chapter 3 Providing help, support and protection: child protection plans';
const NATIONAL =
  'Barnsley guidance/004 sets no review conference timescale; Working Together decides. ' +
  'Working Together is not in guidance/: check the wording against the GOV.UK edition.';
const MINUTES_NOTE =
  "'Within five days' read as 5 working days, as every other record deadline here. Strictly it is the note-taker's " +
  'copy to the social worker, who then disseminates the minutes; corewatch tracks the record being circulated.';

export const barnsley: Policy = {
  id: 'barnsley',
  name: 'Barnsley',
  version: '2026-11-23.1',
  childProtection: {
    firstCoreGroup: {
      value: { workingDays: 10 },
      rule: {
        id: 'barnsley/first-core-group',
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
          source: BARNSLEY,
          section: 'When and where will the meetings take place? Core Group',
          quote: 'and then subsequently every 28 days',
          note: 'Counted in calendar days from the date the previous core group was held.',
        },
      },
    ],
    recordCirculated: {
      value: { workingDays: 5 },
      rule: {
        id: 'barnsley/minutes',
        source: BARNSLEY,
        section: 'What other responsibilities do I have as a member?',
        quote:
          'The individual writing the minutes should provide a written copy to the social worker within five days.',
        note: MINUTES_NOTE,
      },
    },
    firstReviewConference: {
      value: { months: 3 },
      rule: {
        id: 'barnsley/first-review-conference',
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
        source: WORKING_TOGETHER,
        section: CHILD_PROTECTION_PLANS,
        quote: 'Further reviews should be held at intervals of not more than six months',
        note: 'Counted from the date the previous review conference was held. ' + NATIONAL,
      },
    },
  },
  childInNeed: {
    meetings: {
      value: { weeks: 6 },
      rule: {
        id: 'barnsley/cin-meetings',
        source: BARNSLEY,
        section: 'When and where will the meetings take place? Child in Need Meetings',
        quote: 'Child in Need meetings will take place a minimum of every 6 weeks',
        note: 'Counted from the plan start, then from the date the previous child in need meeting was held.',
      },
    },
    recordCirculated: {
      value: { workingDays: 5 },
      rule: {
        id: 'barnsley/minutes',
        source: BARNSLEY,
        section: 'What other responsibilities do I have as a member?',
        quote:
          'The individual writing the minutes should provide a written copy to the social worker within five days.',
        note: MINUTES_NOTE,
      },
    },
  },
};
