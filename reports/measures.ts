/**
 * The Summary's measures, in the order the Summary lists them, and the red-amber-green rule that rates them.
 *
 * One list: the audit counts into it (reports/tally.ts), the Summary sheet and its README lines are written from it,
 * and stored figures are keyed by its ids. A measure's id is stable: stored months are read back by it, so rename a
 * label freely but never an id.
 */
import { ESCALATION_RULES } from '../domain/notifications';
import { ESCALATION_IDS, policyRuleIds, QUORUM_IDS } from './citations';
import type { Rag } from './types';

/** 'count': a plain count; 'rate': count of a denominator, higher is better; 'fewer-is-better': lower is better. */
export type MeasureShape = 'count' | 'rate' | 'fewer-is-better';

export interface MeasureDefinition {
  id: string;
  label: string;
  shape: MeasureShape;
  /** What the figure counts, for the README sheet. */
  meaning: string;
  /**
   * Where the rule comes from. For obligation measures the Summary shows the citation ids of the obligations that
   * actually fell due (collected from the engine's output); this is what it shows when none did.
   */
  rule: string;
  /** The citation ids every policy would use, for the README sheet. */
  guideRule: string;
}

const FIRST_CORE_GROUP_IDS = policyRuleIds((p) => [p.childProtection.firstCoreGroup.rule.id]);
const LATER_CORE_GROUP_IDS = policyRuleIds((p) => p.childProtection.laterCoreGroups.map((r) => r.rule.id));
const QUORUM_RULE = QUORUM_IDS + ' (policies without a quorum count every meeting)';
const OPEN_RULE = 'Open during the month: started on or before its last day, not ended before its first day';
const ENGINE_CHECKS = 'Input checks of the obligations engine (domain/obligations.ts)';

export const MEASURES = [
  {
    id: 'plans-open',
    label: 'Plans open during the month',
    shape: 'count',
    meaning:
      'Plans (child protection and child in need) started on or before the month end and not ended before the month start.',
    rule: OPEN_RULE,
    guideRule: OPEN_RULE,
  },
  {
    id: 'first-core-groups-due',
    label: 'First core groups due',
    shape: 'count',
    meaning: 'First core groups (obligation first-core-group) whose due date falls in the month.',
    rule: 'none fell due in the month (rule: <policy>/first-core-group)',
    guideRule: FIRST_CORE_GROUP_IDS,
  },
  {
    id: 'first-core-groups-met',
    label: 'First core groups met within 10 working days',
    shape: 'rate',
    meaning: 'Of the first core groups due in the month, those held on or before the due date (status met).',
    rule: 'none fell due in the month (rule: <policy>/first-core-group)',
    guideRule: FIRST_CORE_GROUP_IDS,
  },
  {
    id: 'first-core-groups-late',
    label: 'First core groups held late',
    shape: 'fewer-is-better',
    meaning: 'Of the first core groups due in the month, those held after the due date (status late).',
    rule: 'none fell due in the month (rule: <policy>/first-core-group)',
    guideRule: FIRST_CORE_GROUP_IDS,
  },
  {
    id: 'first-core-groups-overdue',
    label: 'First core groups still overdue',
    shape: 'fewer-is-better',
    meaning: 'Of the first core groups due in the month, those not held by the month end (status overdue).',
    rule: 'none fell due in the month (rule: <policy>/first-core-group)',
    guideRule: FIRST_CORE_GROUP_IDS,
  },
  {
    id: 'later-core-groups-due',
    label: 'Later core groups due',
    shape: 'count',
    meaning: 'Second and later core groups (obligations core-group#N) whose due date falls in the month.',
    rule: 'none fell due in the month (rules: <policy>/later-core-groups)',
    guideRule: LATER_CORE_GROUP_IDS,
  },
  {
    id: 'later-core-groups-on-time',
    label: 'Later core groups on time',
    shape: 'rate',
    meaning: 'Of the later core groups due in the month, those held on or before the due date.',
    rule: 'none fell due in the month (rules: <policy>/later-core-groups)',
    guideRule: LATER_CORE_GROUP_IDS,
  },
  {
    id: 'records-on-time',
    label: 'Core group records circulated within timescale',
    shape: 'rate',
    meaning:
      'Of the core group records (obligations core-group-record@<meeting date>, child protection plans) due in the ' +
      'month, those circulated on or before the due date. A record never circulated counts as not on time.',
    rule: 'none fell due in the month (rule: <policy>/core-group-record)',
    guideRule: policyRuleIds((p) => [p.childProtection.recordCirculated.rule.id]),
  },
  {
    id: 'child-seen-on-time',
    label: 'Child seen within timescale',
    shape: 'rate',
    meaning:
      'Of the visits due in the month (obligations child-seen#N), those made on or before the due date. Only plans ' +
      'under a policy that sets a child-seen timescale contribute; n/a where there is none.',
    rule: 'n/a: no plan in scope is under a policy that sets a child-seen timescale',
    guideRule: policyRuleIds((p) => [p.childProtection.childSeen?.rule.id]),
  },
  {
    id: 'review-conferences-on-time',
    label: 'Review conferences on time',
    shape: 'rate',
    meaning:
      'Of the review conferences due in the month (obligations review-conference#N), those held on or before the due date.',
    rule: 'none fell due in the month (rules: <policy>/first-review-conference, <policy>/later-review-conferences)',
    guideRule: policyRuleIds((p) => [
      p.childProtection.firstReviewConference.rule.id,
      p.childProtection.laterReviewConferences.rule.id,
    ]),
  },
  {
    id: 'cin-meetings-on-time',
    label: 'Child in need meetings on time',
    shape: 'rate',
    meaning:
      'Of the child in need meetings due in the month (obligations cin-meeting#N), those held on or before the due ' +
      'date. Child in need meetings are not core groups and are not in the core group measures.',
    rule: 'none fell due in the month (rule: <policy>/cin-meetings)',
    guideRule: policyRuleIds((p) => [p.childInNeed?.meetings.rule.id]),
  },
  {
    id: 'escalations-raised',
    label: 'Escalations raised',
    shape: 'count',
    meaning:
      "Notifications of level 'escalation' or 'second-level' sent in the month (Europe/London date of sending), " +
      'about a missed obligation or about an event (non-engagement, parents absent twice, a booked meeting missed).',
    rule: ESCALATION_IDS,
    guideRule: ESCALATION_IDS,
  },
  {
    id: 'escalations-resolved',
    label: 'Escalations resolved',
    shape: 'rate',
    meaning:
      'Of the escalations raised in the month about an obligation, those whose obligation was met (on time or late) ' +
      'by the month end. Escalations about an event have no obligation to resolve them and are not in the denominator.',
    rule: ESCALATION_RULES.missedDeadline.id,
    guideRule: ESCALATION_RULES.missedDeadline.id,
  },
  {
    id: 'non-engagement-reports',
    label: 'Non-engagement reports',
    shape: 'count',
    meaning: 'Difficulties in engaging parents reported (non-engagement-reported events) dated in the month.',
    rule: ESCALATION_RULES.nonEngagement.id,
    guideRule: ESCALATION_RULES.nonEngagement.id,
  },
  {
    id: 'meetings-not-quorate',
    label: 'Meetings held that did not count (not quorate)',
    shape: 'count',
    meaning:
      "Core groups and child in need meetings held in the month whose recorded attendance did not meet their policy's quorum, so met no deadline (see the Core groups sheet).",
    rule: QUORUM_RULE,
    guideRule: QUORUM_RULE,
  },
  {
    id: 'meetings-attendance-not-recorded',
    label: 'Meetings held with attendance not recorded',
    shape: 'count',
    meaning:
      'Core groups and child in need meetings held in the month, under a policy with a quorum, whose attendance was not recorded: they count, but whether they could go ahead cannot be checked.',
    rule: QUORUM_RULE,
    guideRule: QUORUM_RULE,
  },
  {
    id: 'plans-not-evaluated',
    label: 'Plans that could not be evaluated',
    shape: 'count',
    meaning:
      'Plans open during the month whose recorded data the obligations engine refused (see the Plans sheet for the reason). Should be 0.',
    rule: ENGINE_CHECKS,
    guideRule: ENGINE_CHECKS,
  },
] as const satisfies readonly MeasureDefinition[];

export type MeasureId = (typeof MEASURES)[number]['id'];

/** The ids in Summary order, e.g. for a stored month's rows. */
export const MEASURE_IDS: readonly MeasureId[] = MEASURES.map((m) => m.id);

// ---------------------------------------------------------------------------------------------------------------
// Red, amber, green.

const GREEN_FROM = 90;
const AMBER_FROM = 75;

export const RAG_RULE =
  `Green: ${GREEN_FROM}% or more. Amber: ${AMBER_FROM}% or more but below ${GREEN_FROM}%. Red: below ${AMBER_FROM}%. ` +
  'For the measures where fewer is better (first core groups late, first core groups still overdue) the rule is ' +
  `applied to the share that was not late or overdue: green when ${100 - GREEN_FROM}% or fewer, amber when ` +
  `${100 - AMBER_FROM}% or fewer, red above that. The rule is applied to the percentage as shown, rounded to one ` +
  'decimal place. n/a: a plain count (no denominator), nothing fell due (a denominator of 0), or no plan in scope ' +
  'is under a policy that sets the timescale.';

/** The rating of a percentage as shown (one decimal place); 'n/a' when there is none. */
export function ragOf(percentage: number | undefined, shape: MeasureShape): Rag {
  if (percentage === undefined) return 'n/a';
  const score = shape === 'fewer-is-better' ? 100 - percentage : percentage;
  if (score >= GREEN_FROM) return 'green';
  if (score >= AMBER_FROM) return 'amber';
  return 'red';
}
