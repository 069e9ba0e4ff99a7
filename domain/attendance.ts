/**
 * Who was at a core group: agencies as one spelling, the agencies present, and whether the meeting was quorate.
 *
 * Pure: imports only the domain's types, reads no clock. The monthly audit's Core groups and Agency
 * attendance sheets read attendance through here, so an agency written 'Social Care' on one record and
 * 'social-care' on another is one agency everywhere.
 */
import type { Attendance, Citation, CoreGroupHeld, PlanEvent, PlanType, Policy, Quorum, Rule } from './types';

/** The agency the social worker belongs to, and the one `socialWorkerPresent` stands for. */
export const SOCIAL_CARE = 'social-care';

/** 'Social Care', ' social_care ' -> 'social-care'. Case systems spell agencies freely; '' when there is none. */
export function normaliseAgency(agency: string): string {
  return agency
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
}

/** An attendee recorded as the social worker: of social care, with a role that says social worker (any spelling). */
export function isSocialWorker(entry: { agency: string; role?: string }): boolean {
  return normaliseAgency(entry.agency) === SOCIAL_CARE && /social[\s_-]*worker/i.test(entry.role ?? '');
}

/** The agencies present, normalised; the social worker recorded present counts for social care. */
export function agenciesPresent(attendance: Attendance): Set<string> {
  const present = new Set(normalisedAgencies(attendance.present));
  if (attendance.socialWorkerPresent === true) present.add(SOCIAL_CARE);
  return present;
}

/** The agencies that sent apologies, normalised. */
export function agenciesApologising(attendance: Attendance): string[] {
  return normalisedAgencies(attendance.apologies);
}

/**
 * Whether a meeting held could go ahead under its plan's rules, and so counts towards its deadline (issue 10):
 *  - quorate: its recorded attendance meets the policy's quorum;
 *  - not-quorate: it does not (the deadline stays open, its reminders and escalations go on);
 *  - attendance-not-recorded: the policy has a quorum but the meeting's attendance was not recorded (neither who was
 *    present nor whether the social worker was): it counts, and the Summary counts how many could not be checked;
 *  - no-quorum-rule: the policy's documents set none (every meeting counts).
 */
export type MeetingJudgement =
  | { counts: true; verdict: 'quorate' | 'attendance-not-recorded'; rule: Citation }
  | { counts: true; verdict: 'no-quorum-rule' }
  | { counts: false; verdict: 'not-quorate'; rule: Citation; shortfall: string };

/** The quorum a plan's meetings are held to, if its policy sets one (child in need meetings have their own). */
export function quorumOf(policy: Policy, planType: PlanType): Rule<Quorum> | undefined {
  return planType === 'child-in-need' ? policy.childInNeed?.quorum : policy.childProtection.quorum;
}

export function judgeMeeting(policy: Policy, planType: PlanType, attendance: Attendance | undefined): MeetingJudgement {
  const quorum = quorumOf(policy, planType);
  if (quorum === undefined) return { counts: true, verdict: 'no-quorum-rule' };
  if (attendance === undefined || (attendance.present === undefined && attendance.socialWorkerPresent === undefined))
    return { counts: true, verdict: 'attendance-not-recorded', rule: quorum.rule };
  const present = attendance.present ?? [];
  const socialWorker = attendance.socialWorkerPresent === true || present.some(isSocialWorker);
  // Another social care colleague counts as another professional; a second entry for the social worker does not.
  const others = present.filter((p) => !isSocialWorker(p)).length;
  const missing: string[] = [];
  if (quorum.value.socialWorker && !socialWorker) missing.push('the social worker was not recorded present');
  if (others < quorum.value.otherProfessionals)
    missing.push(
      `${others} other professional${others === 1 ? '' : 's'} recorded present, ${quorum.value.otherProfessionals} needed`,
    );
  return missing.length === 0
    ? { counts: true, verdict: 'quorate', rule: quorum.rule }
    : { counts: false, verdict: 'not-quorate', rule: quorum.rule, shortfall: missing.join('; ') };
}

/**
 * The meetings held, one per day (the engine's rule: two `core-group-held` events of one date are one meeting), each
 * the first event recorded for its day, in date order. A meeting is judged by that first record.
 */
export function meetingsHeld(events: readonly PlanEvent[]): CoreGroupHeld[] {
  const byDay = new Map<string, CoreGroupHeld>();
  for (const e of events) if (e.type === 'core-group-held' && !byDay.has(e.on)) byDay.set(e.on, e);
  return [...byDay.values()].sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
}

/** How a judgement reads on a page, in the workbook and in the API: "held, not quorate (...)". */
export function meetingVerdictText(judgement: MeetingJudgement): string {
  switch (judgement.verdict) {
    case 'quorate':
      return 'held, quorate';
    case 'not-quorate':
      return `held, not quorate (${judgement.shortfall}): does not count`;
    case 'attendance-not-recorded':
      return 'held, attendance not recorded: counts, quorum not checked';
    case 'no-quorum-rule':
      return 'held (no quorum rule in this policy)';
  }
}

function normalisedAgencies(entries: ReadonlyArray<{ agency: string }> | undefined): string[] {
  return (entries ?? []).map((e) => normaliseAgency(e.agency)).filter((a) => a !== '');
}
