/**
 * England: the national default, from Working Together to Safeguard Children 2023 (statutory guidance).
 *
 * Working Together is not in `guidance/`; its quotations below are from the statutory guidance's child protection
 * section and must be checked against the GOV.UK edition whenever the version is bumped. Working Together sets the
 * first core group and the review conferences, but no interval between later core groups and no deadline for the
 * core group record: those two are corewatch defaults, said so in each `note`.
 */
import type { Policy } from '../types';

const WORKING_TOGETHER = 'Working Together to Safeguard Children 2023 (statutory guidance)';
const CHILD_PROTECTION_PLANS = 'Chapter 3 Providing help, support and protection: child protection plans';
const CHECK_WORDING = 'Working Together is not in guidance/: check the wording against the GOV.UK edition.';

export const england: Policy = {
  id: 'england',
  name: 'England (Working Together to Safeguard Children 2023)',
  version: '2026-12-02.1',
  childProtection: {
    firstCoreGroup: {
      value: { workingDays: 10 },
      rule: {
        id: 'england/first-core-group',
        basis: 'stated',
        source: WORKING_TOGETHER,
        section: CHILD_PROTECTION_PLANS,
        quote: 'meet within 10 working days from the initial child protection conference',
        note: CHECK_WORDING,
      },
    },
    laterCoreGroups: [
      {
        value: { weeks: 6 },
        rule: {
          id: 'england/later-core-groups',
          basis: 'default',
          source: WORKING_TOGETHER,
          section: CHILD_PROTECTION_PLANS,
          quote: 'implement the child protection plan and take joint responsibility for carrying out the agreed tasks',
          note:
            'Working Together sets no interval between core groups. Local procedures range from 4 weeks (Barnsley, ' +
            "guidance/004: 'every 28 days') to 6 weeks (Camden, guidance/001: 'within 6 weeks of the first'); " +
            'corewatch defaults to 6 weeks after the previous core group. ' +
            CHECK_WORDING,
        },
      },
    ],
    recordCirculated: {
      value: { workingDays: 5 },
      rule: {
        id: 'england/core-group-record',
        basis: 'default',
        source: WORKING_TOGETHER,
        section: CHILD_PROTECTION_PLANS,
        quote: 'record decisions and actions agreed at core group meetings',
        note:
          'Working Together sets no deadline for circulating the record; 5 working days is the common local standard ' +
          "(Camden, guidance/001; Wales Safeguarding Procedures, guidance/002) and corewatch's default. " +
          CHECK_WORDING,
      },
    },
    firstReviewConference: {
      value: { months: 3 },
      rule: {
        id: 'england/first-review-conference',
        basis: 'stated',
        source: WORKING_TOGETHER,
        section: CHILD_PROTECTION_PLANS,
        quote:
          'The first child protection review conference should be held within three months of the initial conference.',
        note: CHECK_WORDING,
      },
    },
    laterReviewConferences: {
      value: { months: 6 },
      rule: {
        id: 'england/later-review-conferences',
        basis: 'stated',
        source: WORKING_TOGETHER,
        section: CHILD_PROTECTION_PLANS,
        quote: 'Further reviews should be held at intervals of not more than six months',
        note: 'Counted from the date the previous review conference was held. ' + CHECK_WORDING,
      },
    },
    conferenceCadence: {
      id: 'england/conference-cadence',
      basis: 'default',
      source: WORKING_TOGETHER,
      section: CHILD_PROTECTION_PLANS,
      quote: 'implement the child protection plan and take joint responsibility for carrying out the agreed tasks',
      note:
        'Working Together sets no core group interval for a conference to tighten; corewatch lets a conference set a stricter ' +
        'one than its 6-week default (as Camden 001, Cwm Taf 000 and Wales 002 provide), never a looser one. ' +
        CHECK_WORDING,
    },
  },
  escalation: {
    childProtection: {
      value: { to: ['team-manager', 'conference-chair'] },
      rule: {
        id: 'england/escalation',
        basis: 'default',
        source: WORKING_TOGETHER,
        section: CHILD_PROTECTION_PLANS,
        quote: 'implement the child protection plan and take joint responsibility for carrying out the agreed tasks',
        note:
          "Working Together names no one to escalate to: corewatch escalates to the team manager and the conference chair, Camden's route (guidance/001 '10 Difficulties in engagement or implementation'). " +
          CHECK_WORDING,
      },
    },
  },
};
