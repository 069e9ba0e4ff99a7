/**
 * Wales: the Wales Safeguarding Procedures (the national procedure), section 4.
 *
 * guidance/002 is the procedures' page on subsequent core group meetings and the record. The first core group and
 * the review conferences are on other pages of the same section 4 (safeguarding.wales, 'The core group' and
 * 'The review conference'), which are not in guidance/: quoted from there, and said so in each `note`.
 */
import type { Policy } from '../types';

const WALES_PROCEDURES = 'Wales Safeguarding Procedures (national procedure)';
const GUIDANCE_002 = 'Wales Safeguarding Procedures, section 4: subsequent core group meetings (guidance/002)';
const NOT_IN_GUIDANCE = 'Not in guidance/002: quoted from the national procedure at safeguarding.wales.';

export const wales: Policy = {
  id: 'wales',
  name: 'Wales (Wales Safeguarding Procedures)',
  version: '2026-11-23.1',
  childProtection: {
    firstCoreGroup: {
      value: { workingDays: 10 },
      rule: {
        id: 'wales/first-core-group',
        source: WALES_PROCEDURES,
        section: 'Section 4, The core group: the initial core group meeting',
        quote:
          'The initial meeting should be held within 10 working days from the child protection conference at which the child was registered.',
        note: NOT_IN_GUIDANCE,
      },
    },
    laterCoreGroups: [
      {
        value: { weeks: 6 },
        rule: {
          id: 'wales/later-core-groups',
          source: GUIDANCE_002,
          section: 'Subsequent core group meetings',
          quote: 'Further core group meetings should take place at least once every six weeks',
          note: 'Counted from the date the previous core group was held.',
        },
      },
    ],
    recordCirculated: {
      value: { workingDays: 5 },
      rule: {
        id: 'wales/core-group-record',
        source: GUIDANCE_002,
        section: 'Record core group meetings',
        quote: 'Good practice suggests the record should be circulated within 5 working days.',
      },
    },
    firstReviewConference: {
      value: { months: 3 },
      rule: {
        id: 'wales/first-review-conference',
        source: WALES_PROCEDURES,
        section: 'Section 4, The review conference',
        quote:
          'The first child protection review conference should be held within three months of the initial conference',
        note: NOT_IN_GUIDANCE,
      },
    },
    laterReviewConferences: {
      value: { months: 6 },
      rule: {
        id: 'wales/later-review-conferences',
        source: WALES_PROCEDURES,
        section: 'Section 4, The review conference',
        quote: 'further review conferences should be held at regular intervals (at least every six months)',
        note: 'Counted from the date the previous review conference was held. ' + NOT_IN_GUIDANCE,
      },
    },
  },
};
