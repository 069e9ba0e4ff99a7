/**
 * Ofsted ILACS Annex A, List 7: one child on a child protection plan on a given day, as the template's row. Pure: the
 * same function lays out the row of the standalone download (`corewatch annex-a`, the API, the dashboard) and of the
 * monthly workbook's sheet (as of the month's last day), from the plan as stored (services/plan-data streams one plan
 * per child, the most recent, ordered by Child Unique ID).
 *
 * What each column holds (chosen here where the template leaves it to the local authority; README, "Annex A"):
 * - a plan is listed when it is a child protection plan that started on or before the day and had not ended before
 *   it (one ending that day is listed, with its end date); its end, and every event, only as known that day;
 * - Date of the Last Statutory Visit: the latest child-seen event of this plan on or before the day; "Was the Child
 *   Seen Alone?" that visit's answer, c) Unknown when the visit did not record it, blank without a visit;
 * - Latest Category of Abuse: the category of the latest review conference (on or before the day) that recorded one,
 *   else the category last recorded on the plan, else the initial one;
 * - Date of latest review conference: the latest review conference of this plan on or before the day;
 * - Age: whole years on the day (-1 for a child born after it), blank without a date of birth;
 * - Subject to Emergency Protection Order ... (Y/N) and Number of Previous Child Protection Plans: as given at intake;
 * - Allocated Team and Worker: the plan's team and its social worker(s) now (services/plan-data keeps them current).
 * Coded values come from domain/annex-a.ts; a stored value that is on no list (rows stored before intake checked
 * them) leaves its cell blank rather than write something a reader would not recognise.
 */
import { ageInYears, ANNEX_A_LISTS, annexACode } from '../domain/annex-a';
import { compareDates } from '../domain/calendar';
import { knownEvents, planEndedOn, withRecordedEnd } from '../domain/obligations';
import type { IsoDate, PlanEvent } from '../domain/types';
import type { AnnexAPlanInput, AnnexARow } from './types';

/** Dates on List 7 are shown dd/mm/yyyy, as the template asks (written as real Excel dates). */
export const ANNEX_A_DATE_FORMAT = 'dd/mm/yyyy';

/** The fields a List 7 row must not leave blank (what inspectors' tools key and count on). */
export const ANNEX_A_REQUIRED = [
  'childId',
  'gender',
  'ethnicity',
  'disability',
  'planStart',
  'initialCategory',
  'latestCategory',
  'emergencyProtection',
  'previousPlans',
  'team',
  'worker',
] as const satisfies ReadonlyArray<keyof AnnexARow>;

/** The row of a plan on `asOf`, or undefined when it is not a child protection plan open that day. */
export function annexARow(input: AnnexAPlanInput, asOf: IsoDate): AnnexARow | undefined {
  if (input.type !== 'child-protection' || compareDates(input.startedOn, asOf) > 0) return undefined;
  // The recorded end joins the events as a plan-ended event, so the stored end and the event log agree (as in the
  // monthly audit); an end after the day is not known that day.
  const events = knownEvents(withRecordedEnd(input.events, input.endedOn), asOf);
  const endedOn = planEndedOn(events);
  if (endedOn !== undefined && compareDates(endedOn, asOf) < 0) return undefined;

  const { child, annexA } = input;
  const row: AnnexARow = { childId: child.localChildId, planStart: input.startedOn, team: input.teamName };
  set(row, 'gender', annexACode(ANNEX_A_LISTS.gender, child.gender));
  set(row, 'ethnicity', annexACode(ANNEX_A_LISTS.ethnicity, child.ethnicity));
  if (child.dateOfBirth !== undefined) {
    row.dateOfBirth = child.dateOfBirth;
    row.age = ageInYears(child.dateOfBirth, asOf);
  }
  set(row, 'disability', annexACode(ANNEX_A_LISTS.yesNo, child.disability));

  // This plan's visits and review conferences (on or after its start); the latest wins, the first recorded for a
  // day standing for that day.
  let visit: Extract<PlanEvent, { type: 'child-seen' }> | undefined;
  let review: Extract<PlanEvent, { type: 'review-conference-held' }> | undefined;
  let categorised: Extract<PlanEvent, { type: 'review-conference-held' }> | undefined;
  for (const e of events) {
    if (compareDates(e.on, input.startedOn) < 0) continue;
    if (e.type === 'child-seen' && (visit === undefined || compareDates(e.on, visit.on) > 0)) visit = e;
    if (e.type === 'review-conference-held') {
      if (review === undefined || compareDates(e.on, review.on) > 0) review = e;
      if (e.category !== undefined && (categorised === undefined || compareDates(e.on, categorised.on) > 0))
        categorised = e;
    }
  }

  set(row, 'initialCategory', annexACode(ANNEX_A_LISTS.category, annexA.initialCategory));
  set(
    row,
    'latestCategory',
    annexACode(ANNEX_A_LISTS.category, categorised?.category ?? annexA.latestCategory ?? annexA.initialCategory),
  );
  if (visit !== undefined) {
    row.lastStatutoryVisit = visit.on;
    row.seenAlone = YES_NO[visit.seenAlone === undefined ? 'unknown' : visit.seenAlone ? 'yes' : 'no'];
  }
  if (review !== undefined) row.latestReviewConference = review.on;
  if (endedOn !== undefined) row.planEnd = endedOn;
  set(row, 'emergencyProtection', annexACode(ANNEX_A_LISTS.yesNo, annexA.emergencyProtectionLast6Months));
  if (annexA.previousPlans !== undefined) row.previousPlans = annexA.previousPlans;
  if (input.workerName !== undefined && input.workerName !== '') row.worker = input.workerName;
  return row;
}

/** The required fields a row leaves blank (empty when it is complete). */
export function missingRequired(row: AnnexARow): Array<(typeof ANNEX_A_REQUIRED)[number]> {
  return ANNEX_A_REQUIRED.filter((field) => row[field] === undefined || row[field] === '');
}

const YES_NO = ANNEX_A_LISTS.yesNo.codes;

/** `exactOptionalPropertyTypes`: a field with a value, or none. */
function set<K extends keyof AnnexARow>(row: AnnexARow, key: K, value: AnnexARow[K] | undefined): void {
  if (value !== undefined) row[key] = value;
}
