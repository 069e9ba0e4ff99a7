/**
 * Cwm Taf Safeguarding Board (Wales): Practice Guidance - Core Group Meetings, September 2017 (guidance/000).
 *
 * The review conferences are not in the board's guidance; they come from the Wales Safeguarding Procedures, the
 * national procedure the board works to.
 */
import type { Policy } from '../types';
import { WALES_ACCESS_DENIED } from './wales';

const CWM_TAF = 'Cwm Taf Safeguarding Board, Practice Guidance - Core Group Meetings, September 2017 (guidance/000)';
const WALES_PROCEDURES = 'Wales Safeguarding Procedures (national procedure)';
const NATIONAL =
  'Cwm Taf guidance/000 sets no review conference timescale; the Wales Safeguarding Procedures (not in guidance/, ' +
  'quoted from safeguarding.wales) decide.';

export const cwmTaf: Policy = {
  id: 'cwm-taf',
  name: 'Cwm Taf Safeguarding Board',
  version: '2026-12-02.1',
  childProtection: {
    firstCoreGroup: {
      value: { workingDays: 10 },
      rule: {
        id: 'cwm-taf/first-core-group',
        basis: 'stated',
        source: CWM_TAF,
        section: '3. Core Group Meetings: Frequency',
        quote:
          'The Core Group needs to meet within a maximum of 10 working days from the Initial Child Protection Conference.',
      },
    },
    laterCoreGroups: [
      {
        value: { weeks: 6 },
        rule: {
          id: 'cwm-taf/later-core-groups',
          basis: 'stated',
          source: CWM_TAF,
          section: '3. Core Group Meetings: Frequency',
          quote: 'Thereafter it needs to meet no later than every six weeks',
          note: 'Counted from the date the previous core group was held.',
        },
      },
    ],
    recordCirculated: {
      value: { workingDays: 5 },
      rule: {
        id: 'cwm-taf/core-group-record',
        basis: 'stated',
        source: CWM_TAF,
        section: "2. Membership: the Key Worker's responsibility",
        quote:
          'Make sure the Plan is updated and circulated to members of the Core Group within five working days following the meeting.',
        note: "The record of a core group is the reviewed Plan (3. 'Record of the Core Group Meeting').",
      },
    },
    firstReviewConference: {
      value: { months: 3 },
      rule: {
        id: 'cwm-taf/first-review-conference',
        basis: 'stated',
        source: WALES_PROCEDURES,
        section: 'Section 4, The review conference',
        quote:
          'The first child protection review conference should be held within three months of the initial conference',
        note: NATIONAL,
      },
    },
    laterReviewConferences: {
      value: { months: 6 },
      rule: {
        id: 'cwm-taf/later-review-conferences',
        basis: 'stated',
        source: WALES_PROCEDURES,
        section: 'Section 4, The review conference',
        quote: 'further review conferences should be held at regular intervals (at least every six months)',
        note: 'Counted from the date the previous review conference was held. ' + NATIONAL,
      },
    },
    conferenceCadence: {
      id: 'cwm-taf/conference-cadence',
      basis: 'stated',
      source: CWM_TAF,
      section: '3. Core Group Meetings: Frequency',
      quote:
        'Thereafter it needs to meet no later than every six weeks but must be more often if necessary to safeguard the child.',
    },
  },
  escalation: {
    childProtection: {
      value: { to: ['team-manager', 'conference-chair'] },
      rule: {
        id: 'cwm-taf/escalation',
        basis: 'default',
        source: CWM_TAF,
        section: '2. Membership: the responsibilities of other Core Group members',
        quote: 'To alert the key worker to any issues of non-compliance without delay',
        note: "guidance/000 names no one beyond the key worker to escalate to: corewatch escalates to the team manager and the conference chair, Camden's route (001 '10 Difficulties in engagement or implementation').",
      },
    },
    accessDenied: WALES_ACCESS_DENIED,
  },
};
