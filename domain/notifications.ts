/**
 * The escalation ladder as a pure function: given a plan's obligations (as evaluated today) and its events, which
 * reminders and escalations are owed, to which roles, and on which day each falls due.
 *
 * The workflow is a thin loop over this module: send what is due and not yet sent, then sleep until the earliest
 * future `fireOn`. Because the intents are recomputed from the facts at every wake-up, meeting an obligation removes
 * its remaining rungs ("meeting the obligation stops its ladder") without any cancellation bookkeeping, and a
 * replayed or restarted workflow derives exactly the same intents. Each intent has a stable key; the activity that
 * sends it refuses a key it has already sent, so no one is emailed twice for the same thing.
 *
 * Pure and deterministic: imported by workflow code.
 */
import { addDays, addWorkingDays, compareDates } from './calendar';
import type { Citation, CoreGroupHeld, IsoDate, Obligation, ObligationKind, PlanEvent, PlanType } from './types';

export type NotificationLevel = 'reminder' | 'escalation' | 'second-level';

export type NotificationReason =
  | 'deadline-approaching'
  | 'deadline-missed'
  | 'still-unmet'
  | 'non-engagement-reported'
  | 'parents-absent-twice'
  | 'booked-meeting-missed';

/** Roles a notification is addressed to. Resolved to people by the sending activity. */
export type RecipientRole = string;

export interface EscalationSettings {
  /** Working days before a deadline that the social worker is reminded (0: no reminders). */
  reminderWorkingDays: number;
  /** Working days after a missed deadline, still unmet, before the second-level escalation. */
  secondLevelWorkingDays: number;
  /** Plan role receiving second-level escalations, e.g. `head-of-service`. */
  secondLevelRole: string;
}

export interface NotificationIntent {
  /** Unique within the plan and stable over time: `<subject>|<level>`. The outbox key prefixes the plan id. */
  key: string;
  /** What the notification is about: an obligation key, or an event-derived subject like `missed-meeting@2025-03-04`. */
  subject: string;
  level: NotificationLevel;
  reason: NotificationReason;
  fireOn: IsoDate;
  /** A reminder is pointless once its deadline has passed (the escalation takes over): not sent after this date. */
  notAfter?: IsoDate;
  recipients: RecipientRole[];
  obligation?: { kind: ObligationKind; due: IsoDate; rule: Citation };
  /** Free text from the triggering event (e.g. the non-engagement detail). Never put in a subject line. */
  detail?: string;
}

/** Where the escalation duties come from, cited like every other rule. */
export const ESCALATION_RULES = {
  nonEngagement: {
    id: 'escalation/non-engagement',
    source: 'Camden, Core groups: practice guidance for social workers (guidance/001)',
    section: '10 Difficulties in engagement or implementation',
    quote:
      'If there are any difficulties in engaging parents reported by the core group, the social worker must report these to their team manager and the conference chair',
  },
  missedDeadline: {
    id: 'escalation/missed-deadline',
    source: 'Camden, Core groups: practice guidance for social workers (guidance/001)',
    section: '7 Key responsibilities',
    quote: 'liaising with the conference chair regarding any difficulties',
    note: 'corewatch escalates an unmet statutory deadline to the team manager and the conference chair the day after it passes',
  },
} satisfies Record<string, Citation>;

const MANAGER_AND_CHAIR: RecipientRole[] = ['team-manager', 'conference-chair'];

/**
 * The roles a plan must have for its reminders and escalations to reach someone: the social worker (reminders) and
 * the ladder's first rung. A plan without them is refused at intake (issue 9: its escalations would otherwise fail
 * with no one told). Child in need plans have no conference, so no chair is required of them. The second level's
 * role is configuration (SECOND_LEVEL_ROLE), not required here: an undeliverable one is reported, not refused.
 */
export function rolesTheLadderNeeds(planType: PlanType): RecipientRole[] {
  return planType === 'child-protection' ? ['social-worker', ...MANAGER_AND_CHAIR] : ['social-worker', 'team-manager'];
}

/**
 * Every notification the plan owes, past and future, as of the facts given. `obligations` must be evaluated as of
 * today; `events` are the plan's events known today. Nothing is owed after the plan ended.
 */
export function planNotifications(
  obligations: readonly Obligation[],
  events: readonly PlanEvent[],
  settings: EscalationSettings,
): NotificationIntent[] {
  const endedOn = events.find((e) => e.type === 'plan-ended')?.on;
  const intents = [
    ...obligations.flatMap((o) => obligationLadder(o, settings)),
    ...nonEngagementEscalations(events),
    ...parentalAbsenceEscalations(events),
    ...missedMeetingEscalations(events),
  ];
  const open = endedOn === undefined ? intents : intents.filter((i) => compareDates(i.fireOn, endedOn) <= 0);
  return open.sort((a, b) => compareDates(a.fireOn, b.fireOn) || a.key.localeCompare(b.key));
}

/** Intents that should be sent today and have not been: due, unsent, and (for reminders) still useful. */
export function dueNow(
  intents: readonly NotificationIntent[],
  today: IsoDate,
  sent: ReadonlySet<string>,
): NotificationIntent[] {
  return intents.filter(
    (i) =>
      !sent.has(i.key) &&
      compareDates(i.fireOn, today) <= 0 &&
      (i.notAfter === undefined || compareDates(today, i.notAfter) <= 0),
  );
}

/** The next day something may need sending, or undefined when nothing is scheduled (wait for events instead). */
export function nextWakeDate(
  intents: readonly NotificationIntent[],
  today: IsoDate,
  sent: ReadonlySet<string>,
): IsoDate | undefined {
  let next: IsoDate | undefined;
  for (const i of intents) {
    if (sent.has(i.key) || compareDates(i.fireOn, today) <= 0) continue;
    if (next === undefined || compareDates(i.fireOn, next) < 0) next = i.fireOn;
  }
  return next;
}

/** Reminder before the deadline, escalation the day after it passes unmet, second level later. Met: no ladder. */
function obligationLadder(o: Obligation, settings: EscalationSettings): NotificationIntent[] {
  if (o.status === 'met' || o.status === 'late') return [];
  const about = { kind: o.kind, due: o.due, rule: o.rule };
  const rungs: NotificationIntent[] = [];
  if (settings.reminderWorkingDays > 0) {
    rungs.push({
      key: `${o.key}|reminder`,
      subject: o.key,
      level: 'reminder',
      reason: 'deadline-approaching',
      fireOn: addWorkingDays(o.due, -settings.reminderWorkingDays),
      notAfter: o.due,
      recipients: ['social-worker'],
      obligation: about,
    });
  }
  rungs.push(
    {
      key: `${o.key}|escalation`,
      subject: o.key,
      level: 'escalation',
      reason: 'deadline-missed',
      fireOn: addDays(o.due, 1),
      recipients: MANAGER_AND_CHAIR,
      obligation: about,
    },
    {
      key: `${o.key}|second-level`,
      subject: o.key,
      level: 'second-level',
      reason: 'still-unmet',
      fireOn: addWorkingDays(o.due, settings.secondLevelWorkingDays),
      recipients: [settings.secondLevelRole],
      obligation: about,
    },
  );
  return rungs;
}

/** Reported difficulty engaging parents goes to the team manager and the conference chair at once (001 §10). */
function nonEngagementEscalations(events: readonly PlanEvent[]): NotificationIntent[] {
  return events.flatMap((e, index) => {
    if (e.type !== 'non-engagement-reported') return [];
    const subject = `non-engagement@${e.on}#${e.id ?? index}`;
    const intent: NotificationIntent = {
      key: `${subject}|escalation`,
      subject,
      level: 'escalation',
      reason: 'non-engagement-reported',
      fireOn: e.on,
      recipients: MANAGER_AND_CHAIR,
    };
    if (e.detail !== undefined) intent.detail = e.detail;
    return [intent];
  });
}

/**
 * Parents recorded absent from two consecutive core groups is itself a difficulty in engagement (001 §10). Only an
 * explicit `parentsPresent: false` counts: an unrecorded attendance is not evidence of absence.
 */
function parentalAbsenceEscalations(events: readonly PlanEvent[]): NotificationIntent[] {
  const held = events
    .filter((e): e is CoreGroupHeld => e.type === 'core-group-held')
    .sort((a, b) => compareDates(a.on, b.on));
  const intents: NotificationIntent[] = [];
  for (let i = 1; i < held.length; i++) {
    const previous = held[i - 1]!;
    const current = held[i]!;
    if (previous.parentsPresent === false && current.parentsPresent === false) {
      const subject = `parents-absent@${current.on}`;
      intents.push({
        key: `${subject}|escalation`,
        subject,
        level: 'escalation',
        reason: 'parents-absent-twice',
        fireOn: current.on,
        recipients: MANAGER_AND_CHAIR,
        detail: `Parents absent from the core groups of ${previous.on} and ${current.on}.`,
      });
    }
  }
  return intents;
}

/**
 * A booked core group whose date has passed by a working day with neither a held nor a cancelled event for that date
 * is treated as missed. Matching is by date: a meeting held on another day does not account for the booked one.
 */
function missedMeetingEscalations(events: readonly PlanEvent[]): NotificationIntent[] {
  const accountedFor = new Set(
    events.filter((e) => e.type === 'core-group-held' || e.type === 'core-group-cancelled').map((e) => e.on),
  );
  const booked = new Set(events.filter((e) => e.type === 'core-group-scheduled').map((e) => e.on));
  return [...booked]
    .filter((on) => !accountedFor.has(on))
    .map((on) => {
      const subject = `missed-meeting@${on}`;
      return {
        key: `${subject}|escalation`,
        subject,
        level: 'escalation' as const,
        reason: 'booked-meeting-missed' as const,
        fireOn: addWorkingDays(on, 1),
        recipients: MANAGER_AND_CHAIR,
        detail: `Core group booked for ${on}: no record that it was held or cancelled.`,
      };
    });
}
