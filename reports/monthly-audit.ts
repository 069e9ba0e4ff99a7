/**
 * The figures of the monthly multi-agency audit: one partnership, one calendar month, plans folded in one at a time.
 *
 * Pure: no I/O, no clock. Every figure comes from the one obligations engine (`domain/obligations.ts#evaluatePlan`,
 * evaluated as of the month's last day): this module only counts and lays out what the engine says, and never
 * re-implements a rule (no due date, no status is computed here). The sheets (`reports/sheets/`) lay out what it
 * returns; `reports/workbook.ts` writes them.
 *
 * Memory stays flat whatever the number of plans: `add` folds a plan into per-team tallies (teams x measures, plus
 * the citation ids and the agencies seen, both bounded by the policies and agencies in use) and returns the plan's
 * rows for the writer to stream; nothing per plan is kept.
 *
 * Semantics (the issue's, plus the choices marked "chosen here"):
 * - The month is [first day, last day]. Each plan is evaluated with `evaluatePlan(..., asOf = last day)`, always the
 *   month end (the report is for a past month), so events recorded later are ignored, as the engine does.
 * - A plan is open during the month if it started on or before the month end and has not ended, or ended on or
 *   after the month start. Its end is the earliest of `endedOn` (Plan.endedOn) and any `plan-ended` event:
 *   `endedOn` is passed to the engine as one more `plan-ended` event, so nothing falls due after it even when the
 *   event log lacks it, and the end is read with the engine's `planEndedOn` (chosen here). An end date after the
 *   month end is not shown (as of the month end it had not happened).
 * - Each plan is evaluated with the rules it was registered under (`rulesVersion`, `getPolicyVersion`), as its
 *   workflow is; an unknown version gets the current rules.
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
  agenciesApologising,
  agenciesPresent,
  judgeMeeting,
  meetingsHeld,
  normaliseAgency,
} from '../domain/attendance';
import { addMonths, CalendarError, compareDates, daysBetween, isIsoDate, londonDateAt } from '../domain/calendar';
import { ESCALATION_RULES } from '../domain/notifications';
import { evaluatePlan, knownEvents, PlanInputError, planEndedOn, withRecordedEnd } from '../domain/obligations';
import { getPolicyVersion, isPolicyId, rulesVersionOf } from '../domain/policies';
import { firstDayOf, lastDayOf, parseYearMonth } from '../domain/report-months';
import type { IsoDate, Obligation, PlanEvent, Policy, PolicyId } from '../domain/types';
import { compareText, coreGroupRow, plansRowBase } from './plan-rows';
import { Tally } from './tally';
import type {
  AgencyAttendanceRow,
  EscalationRow,
  PlanContribution,
  PlansRow,
  ReportPlanInput,
  SummaryBlock,
  YearMonth,
} from './types';

/** Engine statuses: not met as of the month end, and met (on time or late) by it. */
const UNMET: ReadonlySet<string> = new Set(['pending', 'overdue']);
const MET: ReadonlySet<string> = new Set(['met', 'late']);

const RUNGS = ['none', 'reminder', 'escalation', 'second-level'] as const;

/** The rules a plan was registered under: `getPolicyVersion` over the registry's retired versions. */
export type PolicyLookup = (id: PolicyId, rulesVersion: string) => Policy;

export class MonthlyAudit {
  readonly month: YearMonth;
  readonly partnershipName: string;
  private readonly monthStart: IsoDate;
  private readonly monthEnd: IsoDate;
  /** The first day of the 12-month attendance window (11 months before the report month). */
  private readonly windowStart: IsoDate;
  private readonly windowMonths: readonly YearMonth[];

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

    // The recorded end date joins the events as a plan-ended event, so every reader (the engine, the open test, the
    // rows) sees the same end: the earliest of them, and none after the month end (not known then).
    const withEnd = withRecordedEnd(input.events, input.endedOn);
    const events = knownEvents(withEnd, this.monthEnd);
    const endedOn = planEndedOn(events);
    const open = endedOn === undefined || compareDates(endedOn, this.monthStart) >= 0;

    let obligations: Obligation[];
    let policy: Policy;
    try {
      if (!isPolicyId(input.policyId)) throw new PlanInputError('policy', `unknown policy '${String(input.policyId)}'`);
      policy = this.policyOf(input.policyId, input.rulesVersion);
      obligations = evaluatePlan(
        { policy, plan: { type: input.type, startedOn: input.startedOn }, events: withEnd },
        this.monthEnd,
      );
    } catch (error) {
      if (!(error instanceof PlanInputError || error instanceof CalendarError)) throw error;
      if (!open) return contribution;
      const tallies = this.talliesFor(input);
      for (const t of tallies) {
        t.count('plans-open');
        t.count('plans-not-evaluated');
      }
      contribution.plan = {
        ...plansRowBase(input, endedOn),
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
    // Meetings held in the month judged against the plan's quorum (issue 10): how many did not count, and how many
    // could not be checked because their attendance was not recorded.
    for (const meeting of meetingsHeld(events)) {
      if (!this.inMonth(meeting.on) || compareDates(meeting.on, input.startedOn) < 0) continue;
      const judgement = judgeMeeting(policy, input.type, meeting.attendance);
      if (judgement.verdict === 'not-quorate') each((t) => t.count('meetings-not-quorate', judgement.rule.id));
      if (judgement.verdict === 'attendance-not-recorded')
        each((t) => t.count('meetings-attendance-not-recorded', judgement.rule.id));
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
        if (about !== undefined)
          each((t) => t.rate('escalations-resolved', resolved !== undefined, ESCALATION_RULES.missedDeadline.id));
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
      ...plansRowBase(input, endedOn),
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
      .map((o) => coreGroupRow(input, policy, o, events, byKey, this.monthEnd));

    return contribution;
  }

  /** The partnership block first, then one block per team (with its id, which outlives a renamed team), sorted by name. */
  summary(): SummaryBlock[] {
    const teams = [...this.teams].sort(([, a], [, b]) => compareText(a.name, b.name));
    return [
      { scope: 'partnership', name: this.partnershipName, measures: this.partnership.measures() },
      ...teams.map(([teamId, t]): SummaryBlock => ({ scope: 'team', teamId, name: t.name, measures: t.measures() })),
    ];
  }

  /** The 12 months of the attendance grid, oldest first, ending with the report month. */
  get attendanceMonths(): readonly YearMonth[] {
    return this.windowMonths;
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
// Helpers.

function londonDate(instant: string): IsoDate | undefined {
  const ms = Date.parse(instant);
  return Number.isFinite(ms) ? londonDateAt(ms) : undefined;
}

function isRealDate(value: unknown): value is IsoDate {
  return typeof value === 'string' && isIsoDate(value);
}
