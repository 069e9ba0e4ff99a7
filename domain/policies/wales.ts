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

/** 002's duty on denied access, which Cwm Taf shares (it works to the Wales Safeguarding Procedures). */
export const WALES_ACCESS_DENIED = {
  value: {
    to: ['core-group-member', 'social-worker'],
    inAbsenceOf: { 'social-worker': 'team-manager' },
    otherCoreGroupMembers: true,
  },
  rule: {
    id: 'wales/access-denied',
    basis: 'stated' as const,
    source: GUIDANCE_002,
    section: 'Subsequent core group meetings',
    quote:
      'ensure any instances of a practitioner or core group member being denied access to the child and/or home is reported to the other core group members, care and support protection co-ordinator and in their absence the relevant social services manager',
    note:
      "The care and support protection co-ordinator is the plan's social worker (002: 'care and support protection co-ordinator (social worker)'); " +
      'in their absence corewatch writes to the team manager. Emailed at once, once for each denial recorded; the core group ' +
      'members of the agency that was denied access are not written to about their own report.',
  },
};

export const wales: Policy = {
  id: 'wales',
  name: 'Wales (Wales Safeguarding Procedures)',
  version: '2026-12-02.1',
  childProtection: {
    firstCoreGroup: {
      value: { workingDays: 10 },
      rule: {
        id: 'wales/first-core-group',
        basis: 'stated',
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
          basis: 'stated',
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
        basis: 'stated',
        source: GUIDANCE_002,
        section: 'Record core group meetings',
        quote: 'Good practice suggests the record should be circulated within 5 working days.',
      },
    },
    firstReviewConference: {
      value: { months: 3 },
      rule: {
        id: 'wales/first-review-conference',
        basis: 'stated',
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
        basis: 'stated',
        source: WALES_PROCEDURES,
        section: 'Section 4, The review conference',
        quote: 'further review conferences should be held at regular intervals (at least every six months)',
        note: 'Counted from the date the previous review conference was held. ' + NOT_IN_GUIDANCE,
      },
    },
    conferenceCadence: {
      id: 'wales/conference-cadence',
      basis: 'stated',
      source: GUIDANCE_002,
      section: 'Subsequent core group meetings',
      quote:
        'Further core group meetings should take place at least once every six weeks, more frequently if required.',
    },
  },
  escalation: {
    childProtection: {
      value: { to: ['team-manager', 'conference-chair'] },
      rule: {
        id: 'wales/escalation',
        basis: 'default',
        source: GUIDANCE_002,
        section: 'Chairing and participation',
        quote:
          'challenge both the family and practitioners if there is a lack of meaningful; engagement with the plan.',
        note: "guidance/002 names no one to escalate a missed deadline or non-engagement to: corewatch escalates to the team manager and the conference chair, Camden's route (001 '10 Difficulties in engagement or implementation').",
      },
    },
    accessDenied: WALES_ACCESS_DENIED,
  },
};
