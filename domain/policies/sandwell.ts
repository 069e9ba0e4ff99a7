/**
 * Sandwell Children's Safeguarding Partnership: Core Groups, best practice guidance (guidance/003).
 *
 * 003 gives the first core group only. The interval between later core groups and the deadline for the record are
 * corewatch defaults (as for England) that the partnership can change; the review conferences come from Working
 * Together to Safeguard Children 2023.
 */
import type { Policy } from '../types';

const SANDWELL = "Sandwell Children's Safeguarding Partnership, Core Groups: Best Practice Guidance (guidance/003)";
const WORKING_TOGETHER = 'Working Together to Safeguard Children 2023 (statutory guidance)';
const CHILD_PROTECTION_PLANS = 'Chapter 3 Providing help, support and protection: child protection plans';
const NATIONAL =
  'Sandwell guidance/003 sets no review conference timescale; Working Together decides. ' +
  'Working Together is not in guidance/: check the wording against the GOV.UK edition.';

export const sandwell: Policy = {
  id: 'sandwell',
  name: 'Sandwell',
  version: '2026-12-02.1',
  childProtection: {
    firstCoreGroup: {
      value: { workingDays: 10 },
      rule: {
        id: 'sandwell/first-core-group',
        basis: 'stated',
        source: SANDWELL,
        section: '1. What is the purpose and function of a core group?',
        quote: 'The first core group must meet within 10 working days of the ICPC',
        note: "The document sets 'within 10 working days' in bold; the quotation drops the mark-up.",
      },
    },
    laterCoreGroups: [
      {
        value: { weeks: 6 },
        rule: {
          id: 'sandwell/later-core-groups',
          basis: 'default',
          source: SANDWELL,
          section: 'Core Group Checklist: at all core group meetings',
          quote: 'The date, time and venue of the next meeting has been agreed by all',
          note:
            'Not stated in guidance/003, which leaves the next date to each meeting. 6 weeks after the previous core ' +
            'group is a corewatch default (as England) that the partnership can change.',
        },
      },
    ],
    recordCirculated: {
      value: { workingDays: 5 },
      rule: {
        id: 'sandwell/core-group-record',
        basis: 'default',
        source: SANDWELL,
        section: '2. Using Signs of Safety',
        quote: 'Must always be a multi agency discussion which is documented in the core group record',
        note:
          'guidance/003 sets no deadline for circulating the record. 5 working days is a corewatch default (as ' +
          'England) that the partnership can change.',
      },
    },
    firstReviewConference: {
      value: { months: 3 },
      rule: {
        id: 'sandwell/first-review-conference',
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
        id: 'sandwell/later-review-conferences',
        basis: 'stated',
        source: WORKING_TOGETHER,
        section: CHILD_PROTECTION_PLANS,
        quote: 'Further reviews should be held at intervals of not more than six months',
        note: 'Counted from the date the previous review conference was held. ' + NATIONAL,
      },
    },
    conferenceCadence: {
      id: 'sandwell/conference-cadence',
      basis: 'default',
      source: SANDWELL,
      section: 'Core Group Checklist: at all core group meetings',
      quote: 'The date, time and venue of the next meeting has been agreed by all',
      note: 'guidance/003 sets no interval; corewatch lets a conference set a stricter one than its 6-week default, never a looser one.',
    },
  },
  escalation: {
    childProtection: {
      value: { to: ['team-manager', 'conference-chair'] },
      rule: {
        id: 'sandwell/escalation',
        basis: 'default',
        source: SANDWELL,
        section: 'Core Group Checklist: at all core group meetings',
        quote:
          'If I have a concern, e.g. about the progress of the plan or the actions of another agency, I will discuss this with them first before discussing use of the Resolution and Escalation process with my line manager',
        note: "guidance/003 leaves escalation to the regional Resolution and Escalation policy: corewatch escalates to the team manager and the conference chair, Camden's route (001 '10 Difficulties in engagement or implementation').",
      },
    },
  },
};
