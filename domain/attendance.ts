/**
 * Who was at a core group: agencies as one spelling, the agencies present, and whether the meeting was quorate.
 *
 * Pure: imports only the domain's types and policies, reads no clock. The monthly audit's Core groups and Agency
 * attendance sheets read attendance through here, so an agency written 'Social Care' on one record and
 * 'social-care' on another is one agency everywhere.
 */
import { CAMDEN } from './policies/camden';
import type { Attendance, Citation } from './types';

/** The agency the social worker belongs to, and the one `socialWorkerPresent` stands for. */
export const SOCIAL_CARE = 'social-care';

/**
 * The rule a core group's quorum rests on. Camden states it; it is applied to every meeting (no other policy here
 * sets a quorum, and the question "could the meeting go ahead?" is asked of all of them).
 */
export const QUORUM_RULE: Citation = {
  id: 'camden/core-group-quorum',
  source: CAMDEN,
  section: '4 Attendance',
  quote:
    'Scheduled core groups must go ahead as long as the social worker and one other member of the professional ' +
    'network is in attendance.',
};

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
 * QUORUM_RULE: the social worker (recorded present, or an attendee who is the social worker) and at least one other
 * professional present. Another social care colleague counts as the other professional; a second entry for the
 * social worker does not.
 */
export function isQuorate(attendance: Attendance): boolean {
  const present = attendance.present ?? [];
  const socialWorker = attendance.socialWorkerPresent === true || present.some(isSocialWorker);
  const others = present.filter((p) => !isSocialWorker(p)).length;
  return socialWorker && others >= 1;
}

function normalisedAgencies(entries: ReadonlyArray<{ agency: string }> | undefined): string[] {
  return (entries ?? []).map((e) => normaliseAgency(e.agency)).filter((a) => a !== '');
}
