/**
 * One plan's rows on the Plans and Core groups sheets, laid out from what the engine returned (as of the
 * month end) and the plan's known events. Pure; nothing here decides a due date or a status.
 */
import { agenciesPresent, judgeMeeting, meetingsHeld, meetingVerdictText, SOCIAL_CARE } from '../domain/attendance';
import { daysBetween, compareDates, workingDaysBetween } from '../domain/calendar';
import type { CoreGroupHeld, IsoDate, Obligation, PlanEvent, Policy } from '../domain/types';
import type { CoreGroupRow, PlansRow, ReportPlanInput } from './types';

/** The agencies with a column of their own on the Core groups sheet; the rest go under "Other agencies". */
const MAIN_AGENCIES: ReadonlySet<string> = new Set([SOCIAL_CARE, 'health', 'education', 'police']);

/** The Plans row's fields that do not depend on the evaluation (a plan the engine refused has these too). */
export function plansRowBase(
  input: ReportPlanInput,
  endedOn: IsoDate | undefined,
): Omit<PlansRow, 'daysOverdue' | 'escalationLevel'> {
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

/** A core group (or child in need meeting) obligation as its row: timeliness, who came, its record, its quorum. */
export function coreGroupRow(
  input: ReportPlanInput,
  policy: Policy,
  o: Obligation,
  events: readonly PlanEvent[],
  byKey: ReadonlyMap<string, Obligation>,
  monthEnd: IsoDate,
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
  // Meetings held towards this obligation that could not go ahead under the quorum: shown, and they met nothing.
  const until = o.metOn ?? monthEnd;
  const notCounted = meetingsHeld(events).flatMap((e) => {
    if (compareDates(e.on, o.from) < 0 || compareDates(e.on, until) > 0) return [];
    const judgement = judgeMeeting(policy, input.type, e.attendance);
    return judgement.counts ? [] : [`${e.on}: ${meetingVerdictText(judgement)}`];
  });
  if (notCounted.length > 0) row.notCounted = notCounted.join('; ');
  if (o.metOn === undefined) return row;

  row.heldDate = o.metOn;
  if (o.status === 'late') row.workingDaysLate = workingDaysBetween(o.due, o.metOn);
  // The engine starts a later meeting's clock on the date the previous one was held; the first runs from the start.
  if (o.kind !== 'first-core-group' && o.key !== 'cin-meeting#1') row.daysSincePrevious = daysBetween(o.from, o.metOn);

  // The meeting that met it: the first event recorded for that day (one meeting per day, as in the engine).
  const held = events.find((e): e is CoreGroupHeld => e.type === 'core-group-held' && e.on === o.metOn);
  if (held?.parentsPresent !== undefined) row.parentsPresent = held.parentsPresent;
  if (held?.childViewsRecorded !== undefined) row.childViewsRecorded = held.childViewsRecorded;
  if (held?.attendance !== undefined) {
    const present = agenciesPresent(held.attendance);
    row.socialCare = present.has(SOCIAL_CARE);
    row.health = present.has('health');
    row.education = present.has('education');
    row.police = present.has('police');
    const others = [...present].filter((a) => !MAIN_AGENCIES.has(a)).sort(compareText);
    if (others.length > 0) row.otherAgencies = others.join(', ');
  }
  row.quorum = meetingVerdictText(judgeMeeting(policy, input.type, held?.attendance));

  const record = byKey.get(`core-group-record@${o.metOn}`);
  if (record !== undefined) {
    if (record.metOn !== undefined) row.recordCirculatedOn = record.metOn;
    if (record.status !== 'pending') row.recordOnTime = record.status === 'met';
  }
  return row;
}

/** Code-unit order, the same on every machine (no locale). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
