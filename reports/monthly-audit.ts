/**
 * The figures of the monthly multi-agency audit: one partnership, one calendar month, plans folded in one at a time.
 *
 * Pure: no I/O, no clock. Every figure comes from the one obligations engine (`domain/obligations.ts#evaluatePlan`,
 * evaluated as of the month's last day): this module only counts and lays out what the engine says, and never
 * re-implements a rule (no due date, no status is computed here). `reports/workbook.ts` writes the sheets.
 *
 * Memory stays flat whatever the number of plans: `add` folds a plan into per-team tallies (teams x measures, plus
 * the citation ids and the agencies seen, both bounded by the policies and agencies in use) and returns the plan's
 * rows for the writer to stream; nothing per plan is kept.
 *
 * Semantics (the issue's, plus the choices marked "chosen here"):
 * - The month is [first day, last day]. Each plan is evaluated with `evaluatePlan(..., asOf = last day)`, always the
 *   month end (the report is for a past month), so events recorded later are ignored, as the engine does.
 * - A plan is open during the month if it started on or before the month end and has not ended, or ended on or
 *   after the month start. Its end is the earliest of `endedOn` (Plan.endedOn) and any `plan-ended` event; when
 *   `endedOn` has no matching event it is passed to the engine as a `plan-ended` event, so nothing falls due after
 *   it (chosen here). An end date after the month end is not shown (as of the month end it had not happened).
 * - Plans not open during the month contribute only to the agency attendance grid (12 months): no row, no figure.
 * - "Due in the month": the obligation's due date is within the month. Of those: met within timescale = status
 *   'met'; late = 'late'; still overdue = 'overdue'. An obligation due on the month's last day and not met by then
 *   is 'pending' (the engine's status; it is still in time on its due day): it counts in the denominator and in
 *   none of met, late, overdue (chosen here).
 * - Measures: first core groups (`first-core-group`); later core groups (`core-group#N`); records circulated
 *   (`core-group-record@...` of child protection plans); child seen (`child-seen#N`: only plans whose policy sets a
 *   child-seen timescale contribute; without any such plan in scope the measure is n/a, with no denominator);
 *   review conferences (`review-conference#N`).
 * - Child in need plans (chosen here): a child in need meeting is not a core group. Child in need meetings and their
 *   minutes are not in the core group measures, nor in the agency attendance grid (core group attendance). They have
 *   their own Summary measure (`cin-meetings-on-time`) and appear on the Core groups sheet under their own key
 *   (`cin-meeting#N`), so nothing is hidden. They do count in plans open, escalations and non-engagement reports.
 * - Camden's rescheduled core groups (`rescheduled-core-group@...`) are not a separate measure: the re-held meeting
 *   is a core group and counts there (chosen here).
 * - Escalations raised: notifications of level 'escalation' or 'second-level', status 'sent', whose sentAt falls in
 *   the month as a Europe/London date. Escalations resolved: of those, the ones about an obligation (the subject is
 *   an obligation key the engine returns as of the month end) that is met (met or late) by the month end. The
 *   denominator is the escalations raised about an obligation (chosen here): an escalation about an event (reported
 *   non-engagement, parents absent twice, a booked meeting missed) has no obligation that could resolve it, so it is
 *   counted as raised but cannot drag the resolution rate down.
 * - Non-engagement reports: `non-engagement-reported` events dated in the month.
 * - Events sharing an `id` count once, the first in input order winning, as in the engine.
 * - A plan the engine refuses (PlanInputError, a bad date) is not dropped silently: it gets a Plans row whose status
 *   is 'not evaluated' with the reason, and is counted in `plans-not-evaluated` (chosen here).
 */
import {
  addMonths,
  CalendarError,
  compareDates,
  daysBetween,
  isIsoDate,
  londonDateAt,
  workingDaysBetween,
} from '../domain/calendar';
import { ESCALATION_RULES } from '../domain/notifications';
import { agenciesApologising, agenciesPresent, isQuorate, normaliseAgency, SOCIAL_CARE } from '../domain/attendance';
import { evaluatePlan, knownEvents, PlanInputError, planEndedOn } from '../domain/obligations';
import { getPolicy, getPolicyVersion, isPolicyId, POLICY_IDS, rulesVersionOf } from '../domain/policies';
import { firstDayOf, lastDayOf, parseYearMonth } from '../domain/report-months';
import type { CoreGroupHeld, IsoDate, Obligation, PlanEvent, Policy, PolicyId } from '../domain/types';
import type {
  AgencyAttendanceRow,
  AnnexARow,
  CoreGroupRow,
  EscalationRow,
  Measure,
  PlanContribution,
  PlansRow,
  Rag,
  ReportPlanInput,
  SummaryBlock,
  YearMonth,
} from './types';

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

function ragOf(percentage: number | undefined, fewerIsBetter: boolean): Rag {
  if (percentage === undefined) return 'n/a';
  const score = fewerIsBetter ? 100 - percentage : percentage;
  if (score >= GREEN_FROM) return 'green';
  if (score >= AMBER_FROM) return 'amber';
  return 'red';
}

// ---------------------------------------------------------------------------------------------------------------
// Ofsted ILACS Annex A, List 7.

/** Annex A's coded categories of abuse, by the code corewatch records ('neglect', ... ). */
export const ANNEX_A_CATEGORIES = {
  neglect: 'a) Neglect',
  physical: 'b) Physical abuse',
  sexual: 'c) Sexual abuse',
  emotional: 'd) Emotional abuse',
  multiple: 'e) Multiple',
} as const satisfies Record<string, string>;

/** Dates on the Annex A sheet are written dd/mm/yyyy, as the template asks. */
export const ANNEX_A_DATE_FORMAT = 'dd/mm/yyyy';

/**
 * List 7's columns, in order, with the AnnexARow field each comes from.
 *
 * The wording is Ofsted's ILACS Annex A List 7 ("children who are the subject of a child protection plan") as best
 * known here, not copied from the template: check every header against the current Annex A template (Ofsted
 * revises it) before a workbook is given to inspectors.
 */
const ANNEX_A_LAYOUT = [
  ['Child Unique ID', 'childId'],
  ['Gender', 'gender'],
  ['Ethnicity', 'ethnicity'],
  ['Date of birth', 'dateOfBirth'],
  ['Disability', 'disability'],
  ['Child protection plan start date', 'planStart'],
  ['Initial category of abuse', 'initialCategory'],
  ['Latest category of abuse', 'latestCategory'],
  ['Date of last statutory visit', 'lastStatutoryVisit'],
  ['Was the child seen alone?', 'seenAlone'],
  ['Date of latest review conference', 'latestReviewConference'],
  ['Child protection plan end date', 'planEnd'],
  ['Subject to emergency protection order in the last six months?', 'emergencyProtectionLast6Months'],
  ['Number of previous child protection plans', 'previousPlans'],
  ['Allocated team', 'team'],
  ['Allocated worker', 'worker'],
] as const satisfies ReadonlyArray<readonly [string, keyof AnnexARow]>;

export const ANNEX_A_COLUMNS: readonly string[] = ANNEX_A_LAYOUT.map(([header]) => header);

const ANNEX_A_DATE_FIELDS: ReadonlySet<keyof AnnexARow> = new Set([
  'dateOfBirth',
  'planStart',
  'lastStatutoryVisit',
  'latestReviewConference',
  'planEnd',
]);

/** The coded value for a recorded category: 'neglect' -> 'a) Neglect'. An unknown value is passed through as recorded. */
export function annexACategory(code: string | undefined): string | undefined {
  if (code === undefined) return undefined;
  const key = code.trim().toLowerCase();
  return Object.prototype.hasOwnProperty.call(ANNEX_A_CATEGORIES, key)
    ? ANNEX_A_CATEGORIES[key as keyof typeof ANNEX_A_CATEGORIES]
    : code;
}

/** `YYYY-MM-DD` -> `dd/mm/yyyy`. */
export function toAnnexADate(date: IsoDate): string {
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
}

/**
 * One Annex A row as the template's cells, in ANNEX_A_COLUMNS order: dates as dd/mm/yyyy text, yes/no questions as
 * 'Yes' / 'No', empty cells undefined. For a writer that wants the template's layout literally.
 */
export function annexACells(row: AnnexARow): Array<string | number | undefined> {
  return ANNEX_A_LAYOUT.map(([, field]) => {
    const value = row[field];
    if (value === undefined) return undefined;
    if (typeof value === 'boolean') return value ? 'Yes' : 'No';
    if (typeof value === 'string' && ANNEX_A_DATE_FIELDS.has(field)) return toAnnexADate(value);
    return value;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The Summary's measures.

type MeasureId =
  | 'plans-open'
  | 'first-core-groups-due'
  | 'first-core-groups-met'
  | 'first-core-groups-late'
  | 'first-core-groups-overdue'
  | 'later-core-groups-due'
  | 'later-core-groups-on-time'
  | 'records-on-time'
  | 'child-seen-on-time'
  | 'review-conferences-on-time'
  | 'cin-meetings-on-time'
  | 'escalations-raised'
  | 'escalations-resolved'
  | 'non-engagement-reports'
  | 'plans-not-evaluated';

interface MeasureDef {
  id: MeasureId;
  label: string;
  /** 'count': a plain count; 'rate': count of a denominator, higher is better; 'fewer-is-better': lower is better. */
  shape: 'count' | 'rate' | 'fewer-is-better';
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

const allPolicies = (): Policy[] => POLICY_IDS.map((id) => getPolicy(id));
const ids = (list: Array<string | undefined>): string => [...new Set(list.filter((x): x is string => x !== undefined))].sort().join(', ');

const ESCALATION_IDS = ids([ESCALATION_RULES.missedDeadline.id, ESCALATION_RULES.nonEngagement.id]);

const MEASURES: readonly MeasureDef[] = [
  {
    id: 'plans-open',
    label: 'Plans open during the month',
    shape: 'count',
    meaning: 'Plans (child protection and child in need) started on or before the month end and not ended before the month start.',
    rule: 'Open during the month: started on or before its last day, not ended before its first day',
    guideRule: 'Open during the month: started on or before its last day, not ended before its first day',
  },
  {
    id: 'first-core-groups-due',
    label: 'First core groups due',
    shape: 'count',
    meaning: 'First core groups (obligation first-core-group) whose due date falls in the month.',
    rule: 'none fell due in the month (rule: <policy>/first-core-group)',
    guideRule: ids(allPolicies().map((p) => p.childProtection.firstCoreGroup.rule.id)),
  },
  {
    id: 'first-core-groups-met',
    label: 'First core groups met within 10 working days',
    shape: 'rate',
    meaning: 'Of the first core groups due in the month, those held on or before the due date (status met).',
    rule: 'none fell due in the month (rule: <policy>/first-core-group)',
    guideRule: ids(allPolicies().map((p) => p.childProtection.firstCoreGroup.rule.id)),
  },
  {
    id: 'first-core-groups-late',
    label: 'First core groups held late',
    shape: 'fewer-is-better',
    meaning: 'Of the first core groups due in the month, those held after the due date (status late).',
    rule: 'none fell due in the month (rule: <policy>/first-core-group)',
    guideRule: ids(allPolicies().map((p) => p.childProtection.firstCoreGroup.rule.id)),
  },
  {
    id: 'first-core-groups-overdue',
    label: 'First core groups still overdue',
    shape: 'fewer-is-better',
    meaning: 'Of the first core groups due in the month, those not held by the month end (status overdue).',
    rule: 'none fell due in the month (rule: <policy>/first-core-group)',
    guideRule: ids(allPolicies().map((p) => p.childProtection.firstCoreGroup.rule.id)),
  },
  {
    id: 'later-core-groups-due',
    label: 'Later core groups due',
    shape: 'count',
    meaning: 'Second and later core groups (obligations core-group#N) whose due date falls in the month.',
    rule: 'none fell due in the month (rules: <policy>/later-core-groups)',
    guideRule: ids(allPolicies().flatMap((p) => p.childProtection.laterCoreGroups.map((r) => r.rule.id))),
  },
  {
    id: 'later-core-groups-on-time',
    label: 'Later core groups on time',
    shape: 'rate',
    meaning: 'Of the later core groups due in the month, those held on or before the due date.',
    rule: 'none fell due in the month (rules: <policy>/later-core-groups)',
    guideRule: ids(allPolicies().flatMap((p) => p.childProtection.laterCoreGroups.map((r) => r.rule.id))),
  },
  {
    id: 'records-on-time',
    label: 'Core group records circulated within timescale',
    shape: 'rate',
    meaning:
      'Of the core group records (obligations core-group-record@<meeting date>, child protection plans) due in the ' +
      'month, those circulated on or before the due date. A record never circulated counts as not on time.',
    rule: 'none fell due in the month (rule: <policy>/core-group-record)',
    guideRule: ids(allPolicies().map((p) => p.childProtection.recordCirculated.rule.id)),
  },
  {
    id: 'child-seen-on-time',
    label: 'Child seen within timescale',
    shape: 'rate',
    meaning:
      'Of the visits due in the month (obligations child-seen#N), those made on or before the due date. Only plans ' +
      'under a policy that sets a child-seen timescale contribute; n/a where there is none.',
    rule: 'n/a: no plan in scope is under a policy that sets a child-seen timescale',
    guideRule: ids(allPolicies().map((p) => p.childProtection.childSeen?.rule.id)),
  },
  {
    id: 'review-conferences-on-time',
    label: 'Review conferences on time',
    shape: 'rate',
    meaning: 'Of the review conferences due in the month (obligations review-conference#N), those held on or before the due date.',
    rule: 'none fell due in the month (rules: <policy>/first-review-conference, <policy>/later-review-conferences)',
    guideRule: ids(
      allPolicies().flatMap((p) => [p.childProtection.firstReviewConference.rule.id, p.childProtection.laterReviewConferences.rule.id]),
    ),
  },
  {
    id: 'cin-meetings-on-time',
    label: 'Child in need meetings on time',
    shape: 'rate',
    meaning:
      'Of the child in need meetings due in the month (obligations cin-meeting#N), those held on or before the due ' +
      'date. Child in need meetings are not core groups and are not in the core group measures.',
    rule: 'none fell due in the month (rule: <policy>/cin-meetings)',
    guideRule: ids(allPolicies().map((p) => p.childInNeed?.meetings.rule.id)),
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
    id: 'plans-not-evaluated',
    label: 'Plans that could not be evaluated',
    shape: 'count',
    meaning: 'Plans open during the month whose recorded data the obligations engine refused (see the Plans sheet for the reason). Should be 0.',
    rule: 'Input checks of the obligations engine (domain/obligations.ts)',
    guideRule: 'Input checks of the obligations engine (domain/obligations.ts)',
  },
];

/** Engine statuses: not met as of the month end, and met (on time or late) by it. */
const UNMET: ReadonlySet<string> = new Set(['pending', 'overdue']);
const MET: ReadonlySet<string> = new Set(['met', 'late']);

// ---------------------------------------------------------------------------------------------------------------
// The README sheet's guide.

export const SHEET_GUIDE: Array<{ sheet: string; column: string; meaning: string; rule?: string }> = [
  { sheet: 'Summary', column: 'Scope', meaning: "'Partnership' for the whole partnership, then one block per team, sorted by name." },
  { sheet: 'Summary', column: 'Measure', meaning: 'What is counted (one row per measure, listed below).' },
  { sheet: 'Summary', column: 'Count', meaning: 'How many met the measure in the month.' },
  { sheet: 'Summary', column: 'Denominator', meaning: 'How many fell due in the month; empty for a plain count or where the measure is n/a.' },
  { sheet: 'Summary', column: 'Percentage', meaning: 'Count / denominator x 100, one decimal place; empty when the denominator is empty or 0.' },
  { sheet: 'Summary', column: 'RAG', meaning: 'Red, amber or green by the rule stated on the sheet.', rule: RAG_RULE },
  {
    sheet: 'Summary',
    column: 'Rule',
    meaning: 'The citation ids of the rules the obligations behind the figure were computed with (from the plans\' policies).',
  },
  ...MEASURES.map((m) => ({ sheet: 'Summary', column: m.label, meaning: m.meaning, rule: m.guideRule })),

  { sheet: 'Plans', column: 'Reference', meaning: 'The plan reference. One row per plan open during the month.' },
  { sheet: 'Plans', column: 'Team', meaning: 'The allocated team.' },
  { sheet: 'Plans', column: 'Allocated worker', meaning: "The allocated social worker's name." },
  { sheet: 'Plans', column: 'Policy', meaning: 'The partnership policy the plan follows (domain/policies/).' },
  { sheet: 'Plans', column: 'Rules version', meaning: 'policy@version of the rules the plan was evaluated with.' },
  { sheet: 'Plans', column: 'Plan type', meaning: 'child-protection or child-in-need.' },
  { sheet: 'Plans', column: 'Plan start', meaning: 'The initial child protection conference (or the child in need plan start): day 0 of every clock.' },
  { sheet: 'Plans', column: 'Plan end', meaning: 'The date the plan ended, if on or before the month end.' },
  {
    sheet: 'Plans',
    column: 'Next due obligation',
    meaning: "The earliest obligation not met as of the month end (pending or overdue), or the reason a plan could not be evaluated.",
    rule: 'The obligation\'s own rule (see the Core groups sheet and evaluatePlan as of the month end)',
  },
  { sheet: 'Plans', column: 'Next due date', meaning: 'Its due date.' },
  { sheet: 'Plans', column: 'Status', meaning: "pending (still in time at the month end), overdue, or 'not evaluated'." },
  {
    sheet: 'Plans',
    column: 'Days overdue',
    meaning: 'Calendar days from the due date to the month end of the most overdue unmet obligation; 0 when none is overdue.',
  },
  {
    sheet: 'Plans',
    column: 'Escalation level',
    meaning:
      'The highest rung (none < reminder < escalation < second-level) sent by the month end about an obligation still unmet at the month end.',
    rule: ESCALATION_IDS,
  },

  { sheet: 'Core groups', column: 'Reference', meaning: 'The plan reference. One row per core group (or child in need meeting) due or held in the month.' },
  { sheet: 'Core groups', column: 'Team', meaning: 'The allocated team.' },
  {
    sheet: 'Core groups',
    column: 'Obligation',
    meaning: 'first-core-group, core-group#N (later core groups) or cin-meeting#N (child in need meetings, not counted as core groups).',
    rule: ids([
      ...allPolicies().map((p) => p.childProtection.firstCoreGroup.rule.id),
      ...allPolicies().flatMap((p) => p.childProtection.laterCoreGroups.map((r) => r.rule.id)),
      ...allPolicies().map((p) => p.childInNeed?.meetings.rule.id),
    ]),
  },
  { sheet: 'Core groups', column: 'Due date', meaning: 'When the meeting was due (from the ICPC, or from the previous meeting held).' },
  { sheet: 'Core groups', column: 'Held date', meaning: 'When it was held, if it was by the month end.' },
  { sheet: 'Core groups', column: 'On time', meaning: 'Held on or before the due date; No when held late or still overdue; empty when still in time.' },
  { sheet: 'Core groups', column: 'Working days late', meaning: 'Working days (England and Wales) after the due date up to the held date, when held late.' },
  { sheet: 'Core groups', column: 'Days since previous', meaning: 'Calendar days since the previous meeting held (empty for the first).' },
  { sheet: 'Core groups', column: 'Social care', meaning: "Children's social care present (an attendee of agency social-care, or the social worker recorded present)." },
  { sheet: 'Core groups', column: 'Health', meaning: 'An attendee of agency health present.' },
  { sheet: 'Core groups', column: 'Education', meaning: 'An attendee of agency education present.' },
  { sheet: 'Core groups', column: 'Police', meaning: 'An attendee of agency police present.' },
  { sheet: 'Core groups', column: 'Other agencies', meaning: 'Other agencies present, lower-case, comma-separated.' },
  { sheet: 'Core groups', column: 'Parents present', meaning: 'As recorded for the meeting; empty when not recorded.' },
  { sheet: 'Core groups', column: "Child's views recorded", meaning: 'As recorded for the meeting; empty when not recorded.' },
  { sheet: 'Core groups', column: 'Record circulated', meaning: 'When the record of the meeting was first circulated, if by the month end.' },
  {
    sheet: 'Core groups',
    column: 'Record on time',
    meaning: 'Circulated on or before its due date; No when late or overdue; empty when still in time or not required.',
    rule: ids([
      ...allPolicies().map((p) => p.childProtection.recordCirculated.rule.id),
      ...allPolicies().map((p) => p.childInNeed?.recordCirculated?.rule.id),
    ]),
  },
  {
    sheet: 'Core groups',
    column: 'Quorate',
    meaning:
      'The social worker plus at least one other professional present; empty when attendance was not recorded.',
    rule: "Camden guidance/001 §4: 'Scheduled core groups must go ahead as long as the social worker and one other member of the professional network is in attendance.'",
  },

  { sheet: 'Escalations', column: 'Reference', meaning: 'The plan reference. One row per reminder or escalation sent in the month.' },
  { sheet: 'Escalations', column: 'Team', meaning: 'The allocated team.' },
  { sheet: 'Escalations', column: 'Sent at', meaning: 'When it was sent (the month is judged on the Europe/London date).' },
  { sheet: 'Escalations', column: 'Level', meaning: 'reminder, escalation or second-level.', rule: ESCALATION_IDS },
  { sheet: 'Escalations', column: 'To roles', meaning: 'The roles it was addressed to.' },
  { sheet: 'Escalations', column: 'About', meaning: 'The obligation key, or the event it was about (e.g. non-engagement@<date>#<id>).' },
  { sheet: 'Escalations', column: 'Resolved on', meaning: 'When its obligation was met, if by the month end; empty for events and unmet obligations.' },

  { sheet: 'Agency attendance', column: 'Agency', meaning: 'Agencies down (lower-case), sorted.' },
  {
    sheet: 'Agency attendance',
    column: 'Month: invited / attended',
    meaning:
      'For the 12 months ending with the report month: core groups (child protection plans) held with attendance ' +
      "recorded; an agency is invited when it is a core group member of the plan, present or sent apologies, and " +
      'attended when present. Meetings with no attendance recorded are left out (unrecorded is not absent).',
  },

  ...ANNEX_A_LAYOUT.map(([header, field]) => ({
    sheet: 'Annex A List 7',
    column: header,
    meaning: annexAMeaning(field),
  })),
];

function annexAMeaning(field: keyof AnnexARow): string {
  switch (field) {
    case 'childId':
      return "The child's local unique id. One row per child protection plan open during the month.";
    case 'initialCategory':
      return 'Category of abuse at the initial conference, coded a) Neglect, b) Physical abuse, c) Sexual abuse, d) Emotional abuse, e) Multiple.';
    case 'latestCategory':
      return 'The category decided at the latest review conference that recorded one; else the category recorded on the plan; else the initial one. Coded as above.';
    case 'lastStatutoryVisit':
      return `The latest child-seen visit on or before the month end (${ANNEX_A_DATE_FORMAT}).`;
    case 'seenAlone':
      return 'Whether the child was seen alone at that visit (Yes/No; empty when not recorded).';
    case 'latestReviewConference':
      return `The latest review conference held on or before the month end (${ANNEX_A_DATE_FORMAT}).`;
    case 'planEnd':
      return `The plan end date, if on or before the month end (${ANNEX_A_DATE_FORMAT}).`;
    default:
      return ANNEX_A_DATE_FIELDS.has(field) ? `As recorded (${ANNEX_A_DATE_FORMAT}).` : 'As recorded.';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Tallies.

interface Cell {
  count: number;
  denominator: number;
  /** Citation ids of the obligations counted (bounded by the policies). */
  rules: Set<string>;
}

class Tally {
  readonly cells = new Map<MeasureId, Cell>();
  /** Child protection plans whose policy sets a child-seen timescale (0: the child-seen measure is n/a). */
  childSeenPlans = 0;

  constructor(readonly name: string) {}

  private cell(id: MeasureId): Cell {
    let cell = this.cells.get(id);
    if (cell === undefined) {
      cell = { count: 0, denominator: 0, rules: new Set() };
      this.cells.set(id, cell);
    }
    return cell;
  }

  /** A plain count. */
  count(id: MeasureId, rule?: string): void {
    const cell = this.cell(id);
    cell.count += 1;
    if (rule !== undefined) cell.rules.add(rule);
  }

  /** One more in the denominator, and in the count when `hit`. */
  rate(id: MeasureId, hit: boolean, rule: string): void {
    const cell = this.cell(id);
    cell.denominator += 1;
    if (hit) cell.count += 1;
    cell.rules.add(rule);
  }

  size(): number {
    let n = 1;
    for (const cell of this.cells.values()) n += 1 + cell.rules.size;
    return n;
  }

  measures(): Measure[] {
    return MEASURES.map((def) => {
      const cell = this.cells.get(def.id);
      const count = cell?.count ?? 0;
      const rule = cell !== undefined && cell.rules.size > 0 ? [...cell.rules].sort().join(', ') : def.rule;
      const measure: Measure = { id: def.id, label: def.label, count, rag: 'n/a', rule };
      if (def.shape === 'count') return measure;
      if (def.id === 'child-seen-on-time' && this.childSeenPlans === 0) {
        return { ...measure, rule: def.rule };
      }
      const denominator = cell?.denominator ?? 0;
      measure.denominator = denominator;
      if (denominator > 0) {
        const percentage = Math.round((count / denominator) * 1000) / 10;
        measure.percentage = percentage;
        measure.rag = ragOf(percentage, def.shape === 'fewer-is-better');
      }
      return measure;
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The audit.

const RUNGS = ['none', 'reminder', 'escalation', 'second-level'] as const;
const MAIN_AGENCIES = ['social-care', 'health', 'education', 'police'] as const;

/** The rules a plan was registered under: `getPolicyVersion` over the registry's retired versions. */
export type PolicyLookup = (id: PolicyId, rulesVersion: string) => Policy;

export class MonthlyAudit {
  readonly month: YearMonth;
  readonly partnershipName: string;
  private readonly monthStart: IsoDate;
  private readonly monthEnd: IsoDate;
  /** The first day of the 12-month attendance window (11 months before the report month). */
  private readonly windowStart: IsoDate;
  private readonly windowMonths: YearMonth[];

  private readonly partnership: Tally;
  /** By team id. */
  private readonly teams = new Map<string, Tally>();
  /** Agency -> month -> invited / attended. */
  private readonly attendance = new Map<string, Map<YearMonth, { invited: number; attended: number }>>();

  /**
   * `policyOf` is how a plan's pinned rules are found: the registry (`getPolicyVersion`) unless a test hands in other
   * retired versions, the one seam the audit needs to show it evaluates a plan with the version it was registered under.
   */
  constructor(
    month: YearMonth,
    partnershipName: string,
    private readonly policyOf: PolicyLookup = (id, rulesVersion) => getPolicyVersion(id, rulesVersion),
  ) {
    this.month = parseYearMonth(month);
    this.partnershipName = partnershipName;
    this.monthStart = firstDayOf(this.month);
    this.monthEnd = lastDayOf(this.month);
    this.windowStart = addMonths(this.monthStart, -11);
    this.windowMonths = Array.from({ length: 12 }, (_, i) => addMonths(this.windowStart, i).slice(0, 7));
    this.partnership = new Tally(partnershipName);
  }

  /** Folds one plan into the tallies and returns its rows. Keeps nothing of the plan. */
  add(input: ReportPlanInput): PlanContribution {
    const contribution: PlanContribution = { coreGroups: [], escalations: [] };
    if (!isRealDate(input.startedOn) || compareDates(input.startedOn, this.monthEnd) > 0) return contribution;

    // A recorded end date with no plan-ended event is passed to the engine as one, so every reader (the engine, the
    // open test, the rows) sees the same end: the earliest of them, and none after the month end (not known then).
    const withEnd = withRecordedEnd(input.events, input.endedOn);
    const events = knownEvents(withEnd, this.monthEnd);
    const endedOn = planEndedOn(events);
    const open = endedOn === undefined || compareDates(endedOn, this.monthStart) >= 0;

    let obligations: Obligation[];
    let policy: Policy;
    try {
      if (!isPolicyId(input.policyId)) throw new PlanInputError('policy', `unknown policy '${String(input.policyId)}'`);
      policy = this.policyOf(input.policyId, input.rulesVersion);
      obligations = evaluatePlan({ policy, plan: { type: input.type, startedOn: input.startedOn }, events: withEnd }, this.monthEnd);
    } catch (error) {
      if (!(error instanceof PlanInputError || error instanceof CalendarError)) throw error;
      if (!open) return contribution;
      const tallies = this.talliesFor(input);
      for (const t of tallies) {
        t.count('plans-open');
        t.count('plans-not-evaluated');
      }
      contribution.plan = {
        ...this.plansRowBase(input, endedOn),
        nextDueObligation: error.message,
        nextDueStatus: 'not evaluated',
        daysOverdue: 0,
        escalationLevel: 'none',
      };
      return contribution;
    }

    if (input.type === 'child-protection') this.foldAttendance(input, events, endedOn);
    if (!open) return contribution;

    const tallies = this.talliesFor(input);
    const each = (f: (t: Tally) => void): void => tallies.forEach(f);
    const byKey = new Map(obligations.map((o) => [o.key, o] as const));
    const cp = input.type === 'child-protection';

    // Summary: obligations due in the month.
    each((t) => t.count('plans-open'));
    if (cp && policy.childProtection.childSeen !== undefined) each((t) => (t.childSeenPlans += 1));
    for (const o of obligations) {
      if (!this.inMonth(o.due)) continue;
      const rule = o.rule.id;
      switch (o.kind) {
        case 'first-core-group':
          each((t) => {
            t.count('first-core-groups-due', rule);
            t.rate('first-core-groups-met', o.status === 'met', rule);
            t.rate('first-core-groups-late', o.status === 'late', rule);
            t.rate('first-core-groups-overdue', o.status === 'overdue', rule);
          });
          break;
        case 'core-group':
          each((t) => {
            t.count('later-core-groups-due', rule);
            t.rate('later-core-groups-on-time', o.status === 'met', rule);
          });
          break;
        case 'core-group-record':
          if (cp) each((t) => t.rate('records-on-time', o.status === 'met', rule));
          break;
        case 'child-seen':
          each((t) => t.rate('child-seen-on-time', o.status === 'met', rule));
          break;
        case 'review-conference':
          each((t) => t.rate('review-conferences-on-time', o.status === 'met', rule));
          break;
        case 'cin-meeting':
          each((t) => t.rate('cin-meetings-on-time', o.status === 'met', rule));
          break;
        case 'rescheduled-core-group':
          break;
      }
    }

    for (const e of events) {
      if (e.type === 'non-engagement-reported' && this.inMonth(e.on)) {
        each((t) => t.count('non-engagement-reports', ESCALATION_RULES.nonEngagement.id));
      }
    }

    // Escalations sheet and figures; the plan's escalation level.
    let rung = 0;
    for (const n of input.notifications) {
      if (n.status !== 'sent' || n.sentAt === undefined) continue;
      const sentOn = londonDate(n.sentAt);
      if (sentOn === undefined || compareDates(sentOn, this.monthEnd) > 0) continue;
      const about = byKey.get(n.subject);
      const level = RUNGS.indexOf(n.level as (typeof RUNGS)[number]);
      if (about !== undefined && UNMET.has(about.status) && level > rung) rung = level;
      if (compareDates(sentOn, this.monthStart) < 0) continue;

      const row: EscalationRow = {
        reference: input.planId,
        team: input.teamName,
        sentAt: n.sentAt,
        level: n.level,
        toRoles: [...new Set(n.recipients.map((r) => r.role))].join(', '),
        about: n.subject,
      };
      const resolved = about !== undefined && MET.has(about.status) ? about.metOn : undefined;
      if (resolved !== undefined) row.resolvedOn = resolved;
      contribution.escalations.push(row);

      if (n.level === 'escalation' || n.level === 'second-level') {
        each((t) => t.count('escalations-raised'));
        if (about !== undefined) each((t) => t.rate('escalations-resolved', resolved !== undefined, ESCALATION_RULES.missedDeadline.id));
      }
    }
    contribution.escalations.sort((a, b) => (a.sentAt < b.sentAt ? -1 : a.sentAt > b.sentAt ? 1 : 0));

    // Plans sheet.
    const next = obligations.find((o) => UNMET.has(o.status));
    let daysOverdue = 0;
    for (const o of obligations) {
      if (o.status === 'overdue') daysOverdue = Math.max(daysOverdue, daysBetween(o.due, this.monthEnd));
    }
    const plan: PlansRow = {
      ...this.plansRowBase(input, endedOn),
      // The rules it was evaluated with (what its obligations record), shown even when none is left.
      rulesVersion: rulesVersionOf(policy),
      daysOverdue,
      escalationLevel: RUNGS[rung] ?? 'none',
    };
    if (next !== undefined) {
      plan.nextDueObligation = next.key;
      plan.nextDueDate = next.due;
      plan.nextDueStatus = next.status;
    }
    contribution.plan = plan;

    // Core groups sheet.
    contribution.coreGroups = obligations
      .filter((o) => o.kind === 'first-core-group' || o.kind === 'core-group' || o.kind === 'cin-meeting')
      .filter((o) => this.inMonth(o.due) || (o.metOn !== undefined && this.inMonth(o.metOn)))
      .map((o) => coreGroupRow(input, o, events, byKey));

    // Annex A.
    if (cp) contribution.annexA = annexARow(input, events, endedOn);
    return contribution;
  }

  /** The partnership block first, then one block per team, sorted by name. */
  summary(): SummaryBlock[] {
    const teams = [...this.teams.values()].sort((a, b) => compareText(a.name, b.name));
    return [
      { scope: 'partnership', name: this.partnershipName, measures: this.partnership.measures() },
      ...teams.map((t): SummaryBlock => ({ scope: 'team', name: t.name, measures: t.measures() })),
    ];
  }

  /** Agencies (sorted) down, the 12 months ending with the report month across (oldest first). */
  agencyAttendance(): AgencyAttendanceRow[] {
    return [...this.attendance.keys()].sort(compareText).map((agency) => {
      const byMonth = this.attendance.get(agency)!;
      return {
        agency,
        months: this.windowMonths.map((month) => ({ month, invited: 0, attended: 0, ...byMonth.get(month) })),
      };
    });
  }

  /**
   * How many tally entries the audit holds (teams, measures, citation ids, agency-months): a diagnostic that shows
   * memory does not grow with the number of plans.
   */
  stateSize(): number {
    let n = this.partnership.size();
    for (const t of this.teams.values()) n += t.size();
    for (const months of this.attendance.values()) n += 1 + months.size;
    return n;
  }

  // -------------------------------------------------------------------------------------------------------------

  private inMonth(date: IsoDate): boolean {
    return compareDates(date, this.monthStart) >= 0 && compareDates(date, this.monthEnd) <= 0;
  }

  private talliesFor(input: ReportPlanInput): Tally[] {
    let team = this.teams.get(input.teamId);
    if (team === undefined) {
      team = new Tally(input.teamName);
      this.teams.set(input.teamId, team);
    }
    return [this.partnership, team];
  }

  private plansRowBase(input: ReportPlanInput, endedOn: IsoDate | undefined): Omit<PlansRow, 'daysOverdue' | 'escalationLevel'> {
    const row: Omit<PlansRow, 'daysOverdue' | 'escalationLevel'> = {
      reference: input.planId,
      team: input.teamName,
      policy: input.policyId,
      planType: input.type,
      planStart: input.startedOn,
    };
    if (input.workerName !== undefined) row.worker = input.workerName;
    if (endedOn !== undefined) row.planEnd = endedOn;
    return row;
  }

  /** Core groups held in the 12-month window with attendance recorded: each agency invited, and whether present. */
  private foldAttendance(input: ReportPlanInput, events: readonly PlanEvent[], endedOn: IsoDate | undefined): void {
    const members = input.members.map((m) => normaliseAgency(m.agency)).filter((a) => a !== '');
    const seenDates = new Set<IsoDate>();
    for (const e of events) {
      if (e.type !== 'core-group-held' || seenDates.has(e.on)) continue;
      seenDates.add(e.on); // one meeting per day, the first event wins (as in the engine)
      if (compareDates(e.on, this.windowStart) < 0 || compareDates(e.on, input.startedOn) < 0) continue;
      if (endedOn !== undefined && compareDates(e.on, endedOn) > 0) continue;
      if (e.attendance === undefined) continue;
      const attended = agenciesPresent(e.attendance);
      const invited = new Set([...members, ...attended, ...agenciesApologising(e.attendance)]);
      const month = e.on.slice(0, 7);
      for (const agency of invited) {
        let months = this.attendance.get(agency);
        if (months === undefined) {
          months = new Map();
          this.attendance.set(agency, months);
        }
        const cell = months.get(month) ?? { invited: 0, attended: 0 };
        cell.invited += 1;
        if (attended.has(agency)) cell.attended += 1;
        months.set(month, cell);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Rows.

function coreGroupRow(
  input: ReportPlanInput,
  o: Obligation,
  events: readonly PlanEvent[],
  byKey: ReadonlyMap<string, Obligation>,
): CoreGroupRow {
  const row: CoreGroupRow = {
    reference: input.planId,
    team: input.teamName,
    obligation: o.key,
    dueDate: o.due,
    socialCare: false,
    health: false,
    education: false,
    police: false,
  };
  if (o.status !== 'pending') row.onTime = o.status === 'met';
  if (o.metOn === undefined) return row;

  row.heldDate = o.metOn;
  if (o.status === 'late') row.workingDaysLate = workingDaysBetween(o.due, o.metOn);
  // The engine starts a later meeting's clock on the date the previous one was held; the first runs from the start.
  if (o.kind !== 'first-core-group' && o.key !== 'cin-meeting#1') row.daysSincePrevious = daysBetween(o.from, o.metOn);

  const held = events.find((e): e is CoreGroupHeld => e.type === 'core-group-held' && e.on === o.metOn);
  if (held?.parentsPresent !== undefined) row.parentsPresent = held.parentsPresent;
  if (held?.childViewsRecorded !== undefined) row.childViewsRecorded = held.childViewsRecorded;
  if (held?.attendance !== undefined) {
    const present = agenciesPresent(held.attendance);
    row.socialCare = present.has(SOCIAL_CARE);
    row.health = present.has('health');
    row.education = present.has('education');
    row.police = present.has('police');
    const others = [...present].filter((a) => !(MAIN_AGENCIES as readonly string[]).includes(a)).sort(compareText);
    if (others.length > 0) row.otherAgencies = others.join(', ');
    row.quorate = isQuorate(held.attendance);
  }

  const record = byKey.get(`core-group-record@${o.metOn}`);
  if (record !== undefined) {
    if (record.metOn !== undefined) row.recordCirculatedOn = record.metOn;
    if (record.status !== 'pending') row.recordOnTime = record.status === 'met';
  }
  return row;
}

function annexARow(input: ReportPlanInput, events: readonly PlanEvent[], endedOn: IsoDate | undefined): AnnexARow {
  const { child, annexA } = input;
  const row: AnnexARow = { childId: child.localChildId, planStart: input.startedOn, team: input.teamName };
  if (child.gender !== undefined) row.gender = child.gender;
  if (child.ethnicity !== undefined) row.ethnicity = child.ethnicity;
  if (child.dateOfBirth !== undefined) row.dateOfBirth = child.dateOfBirth;
  if (child.disability !== undefined) row.disability = child.disability;

  // Visits and review conferences of this plan (on or after its start), known at the month end; the latest wins,
  // the first recorded for a day standing for that day.
  let visit: Extract<PlanEvent, { type: 'child-seen' }> | undefined;
  let review: Extract<PlanEvent, { type: 'review-conference-held' }> | undefined;
  let categorised: Extract<PlanEvent, { type: 'review-conference-held' }> | undefined;
  for (const e of events) {
    if (compareDates(e.on, input.startedOn) < 0) continue;
    if (e.type === 'child-seen' && (visit === undefined || compareDates(e.on, visit.on) > 0)) visit = e;
    if (e.type === 'review-conference-held') {
      if (review === undefined || compareDates(e.on, review.on) > 0) review = e;
      if (e.category !== undefined && (categorised === undefined || compareDates(e.on, categorised.on) > 0)) categorised = e;
    }
  }

  const initial = annexACategory(annexA.initialCategory);
  const latest = annexACategory(categorised?.category ?? annexA.latestCategory ?? annexA.initialCategory);
  if (initial !== undefined) row.initialCategory = initial;
  if (latest !== undefined) row.latestCategory = latest;
  if (visit !== undefined) {
    row.lastStatutoryVisit = visit.on;
    if (visit.seenAlone !== undefined) row.seenAlone = visit.seenAlone;
  }
  if (review !== undefined) row.latestReviewConference = review.on;
  if (endedOn !== undefined) row.planEnd = endedOn;
  if (annexA.emergencyProtectionLast6Months !== undefined) row.emergencyProtectionLast6Months = annexA.emergencyProtectionLast6Months;
  if (annexA.previousPlans !== undefined) row.previousPlans = annexA.previousPlans;
  if (input.workerName !== undefined) row.worker = input.workerName;
  return row;
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers.

/**
 * The plan's events with its recorded end (Plan.endedOn) as one more `plan-ended` event, without an id so no
 * de-duplication can drop it. The engine ends a plan on the earliest such event (`planEndedOn`), so a recorded end is
 * honoured even when the event log lacks it, and an end in the log earlier than the recorded one still wins.
 */
function withRecordedEnd(events: readonly PlanEvent[], endedOn: IsoDate | undefined): readonly PlanEvent[] {
  return endedOn === undefined ? events : [...events, { type: 'plan-ended', on: endedOn }];
}

function londonDate(instant: string): IsoDate | undefined {
  const ms = Date.parse(instant);
  return Number.isFinite(ms) ? londonDateAt(ms) : undefined;
}

function isRealDate(value: unknown): value is IsoDate {
  return typeof value === 'string' && isIsoDate(value);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
