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
import { isSocialWorkerChange } from './people';
import type {
  Citation,
  CoreGroupHeld,
  EscalationRoute,
  IsoDate,
  Obligation,
  ObligationKind,
  PlanEvent,
  PlanType,
  Policy,
  Rule,
} from './types';

/** `notice`: information the guidance says people must be given (a new social worker's name), not an escalation. */
export type NotificationLevel = 'reminder' | 'escalation' | 'second-level' | 'notice';

export type NotificationReason =
  | 'deadline-approaching'
  | 'deadline-missed'
  | 'still-unmet'
  | 'non-engagement-reported'
  | 'parents-absent-twice'
  | 'booked-meeting-missed'
  | 'access-denied'
  | 'social-worker-changed';

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
  /** Who is written to instead when no active person holds a role ("in their absence", 002). */
  inAbsenceOf?: Readonly<Record<RecipientRole, RecipientRole>>;
  /** People of this agency are not written to (the core group member who reported a denied access, 002). */
  exceptAgency?: string;
  /** Roles copied (Cc) rather than addressed (the team manager on a notice to the core group, 001 §4). */
  copy?: RecipientRole[];
  /** Why these recipients: the policy's route (or corewatch's own rung), shown with its quote, note and basis. */
  route: Citation;
  obligation?: { kind: ObligationKind; due: IsoDate; from: IsoDate; rule: Citation };
  /** Free text from the triggering event (e.g. the non-engagement detail). Never put in a subject line. */
  detail?: string;
  /** A person the notification is about (the new social worker), by id: the sender puts their name in the body. */
  person?: { personId: string; role: string; from: IsoDate };
}

/** Where the escalation duties come from, cited like every other rule. */
export const ESCALATION_RULES = {
  nonEngagement: {
    id: 'escalation/non-engagement',
    basis: 'stated',
    source: 'Camden, Core groups: practice guidance for social workers (guidance/001)',
    section: '10 Difficulties in engagement or implementation',
    quote:
      'If there are any difficulties in engaging parents reported by the core group, the social worker must report these to their team manager and the conference chair',
  },
  missedDeadline: {
    id: 'escalation/missed-deadline',
    basis: 'default',
    source: 'Camden, Core groups: practice guidance for social workers (guidance/001)',
    section: '7 Key responsibilities',
    quote: 'liaising with the conference chair regarding any difficulties',
    note: 'corewatch escalates an unmet statutory deadline to the team manager and the conference chair the day after it passes',
  },
  childInNeed: {
    id: 'escalation/child-in-need',
    basis: 'default',
    source: 'corewatch',
    section: 'Escalation routes',
    quote: 'A child in need plan has no conference chair.',
    note: 'For rules versions without a local route, escalations of a child in need plan go to its team manager.',
  },
  reminder: {
    id: 'escalation/reminder',
    basis: 'default',
    source: 'corewatch',
    section: 'The ladder',
    quote: 'The social worker convenes the meetings and keeps the plan to its deadlines.',
    note: 'No guidance document sets a reminder: corewatch reminds the social worker REMINDER_WORKING_DAYS working days before a deadline (2 by default).',
  },
  socialWorkerChange: {
    id: 'camden/change-of-social-worker',
    basis: 'stated',
    source: 'Camden, Core groups: practice guidance for social workers (guidance/001)',
    section: '4 Attendance',
    quote:
      'Where there is a change in social worker, the team manager must ensure core group members are informed of the name of the new allocated worker.',
    note: "corewatch tells the core group members once, on the team manager's behalf and with the team manager copied, for every policy: the other documents say nothing against it.",
  },
  secondLevel: {
    id: 'escalation/second-level',
    basis: 'default',
    source: 'corewatch',
    section: 'The ladder',
    quote: 'A deadline still unmet after its escalation goes one level up.',
    note: 'No guidance document sets a second level: corewatch writes to SECOND_LEVEL_ROLE (head of service by default) SECOND_LEVEL_WORKING_DAYS working days (5 by default) after a deadline still unmet.',
  },
} satisfies Record<string, Citation>;

/** The default routes, for rules versions from before routes were part of each policy. */
const DEFAULT_ROUTES: Record<PlanType, Rule<EscalationRoute>> = {
  'child-protection': { value: { to: ['team-manager', 'conference-chair'] }, rule: ESCALATION_RULES.nonEngagement },
  'child-in-need': { value: { to: ['team-manager'] }, rule: ESCALATION_RULES.childInNeed },
};

/** Where a plan's escalations go: its policy's route for its type (issue 10: local routes), else the default. */
export function escalationRoute(policy: Policy, planType: PlanType): Rule<EscalationRoute> {
  const local = planType === 'child-in-need' ? policy.escalation?.childInNeed : policy.escalation?.childProtection;
  return local ?? DEFAULT_ROUTES[planType];
}

/** What the ladder needs to know of a plan besides its obligations and events: its rules and its type. */
export interface LadderContext {
  policy: Policy;
  planType: PlanType;
}

/**
 * The roles a plan must have for its reminders and escalations to reach someone: the social worker (reminders) and
 * its route's (the ladder's first rung). A plan without them is refused at intake (issue 9: its escalations would
 * otherwise fail with no one told). Child in need plans have no conference, so no chair is required of them. The second level's
 * role is configuration (SECOND_LEVEL_ROLE), not required here: an undeliverable one is reported, not refused.
 */
export function rolesTheLadderNeeds(policy: Policy, planType: PlanType): RecipientRole[] {
  return ['social-worker', ...escalationRoute(policy, planType).value.to];
}

/**
 * Every notification the plan owes, past and future, as of the facts given. `obligations` must be evaluated as of
 * today; `events` are the plan's events known today. Nothing is owed after the plan ended.
 */
export function planNotifications(
  obligations: readonly Obligation[],
  events: readonly PlanEvent[],
  settings: EscalationSettings,
  context: LadderContext,
): NotificationIntent[] {
  const endedOn = events.find((e) => e.type === 'plan-ended')?.on;
  const route = escalationRoute(context.policy, context.planType);
  const intents = [
    ...obligations.flatMap((o) => obligationLadder(o, settings, route)),
    ...nonEngagementEscalations(events, route),
    ...parentalAbsenceEscalations(events, route),
    ...missedMeetingEscalations(events, route),
    ...accessDeniedReports(events, route, context.policy),
    ...socialWorkerChangeNotices(events),
  ];
  const open = endedOn === undefined ? intents : intents.filter((i) => compareDates(i.fireOn, endedOn) <= 0);
  return open.sort((a, b) => compareDates(a.fireOn, b.fireOn) || a.key.localeCompare(b.key));
}

/**
 * The deadline an obligation's notification is about, as one string: its kind, the day its clock started and its due
 * day. Keys can be renumbered (a meeting recorded late, dated before meetings already recorded, makes core-group#3 the
 * fourth link) but a deadline is the same deadline: the outbox writes to it once per level.
 */
export function deadlineOf(intent: Pick<NotificationIntent, 'obligation'>): string | undefined {
  const o = intent.obligation;
  return o === undefined ? undefined : `${o.kind}@${o.from}/${o.due}`;
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
function obligationLadder(
  o: Obligation,
  settings: EscalationSettings,
  route: Rule<EscalationRoute>,
): NotificationIntent[] {
  if (o.status === 'met' || o.status === 'late') return [];
  const about = { kind: o.kind, due: o.due, from: o.from, rule: o.rule };
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
      route: ESCALATION_RULES.reminder,
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
      ...toRoute(route),
      obligation: about,
    },
    {
      key: `${o.key}|second-level`,
      subject: o.key,
      level: 'second-level',
      reason: 'still-unmet',
      fireOn: addWorkingDays(o.due, settings.secondLevelWorkingDays),
      recipients: [settings.secondLevelRole],
      route: ESCALATION_RULES.secondLevel,
      obligation: about,
    },
  );
  return rungs;
}

/** Reported difficulty engaging parents goes to the team manager and the conference chair at once (001 §10). */
function nonEngagementEscalations(events: readonly PlanEvent[], route: Rule<EscalationRoute>): NotificationIntent[] {
  return events.flatMap((e, index) => {
    if (e.type !== 'non-engagement-reported') return [];
    const subject = `non-engagement@${e.on}#${e.id ?? index}`;
    const intent: NotificationIntent = {
      key: `${subject}|escalation`,
      subject,
      level: 'escalation',
      reason: 'non-engagement-reported',
      fireOn: e.on,
      ...toRoute(route),
    };
    if (e.detail !== undefined) intent.detail = e.detail;
    return [intent];
  });
}

/**
 * Parents recorded absent from two consecutive core groups is itself a difficulty in engagement (001 §10). Only an
 * explicit `parentsPresent: false` counts: an unrecorded attendance is not evidence of absence.
 */
function parentalAbsenceEscalations(events: readonly PlanEvent[], route: Rule<EscalationRoute>): NotificationIntent[] {
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
        ...toRoute(route),
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
function missedMeetingEscalations(events: readonly PlanEvent[], route: Rule<EscalationRoute>): NotificationIntent[] {
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
        ...toRoute(route),
        detail: `Core group booked for ${on}: no record that it was held or cancelled.`,
      };
    });
}

/**
 * A denied access to the child or the home: where the policy says so (002, for Wales and Cwm Taf), reported at once
 * to the other core group members and the protection co-ordinator (in their absence, the manager), once per denial
 * recorded; elsewhere it is escalated as reported non-engagement is.
 */
function accessDeniedReports(
  events: readonly PlanEvent[],
  route: Rule<EscalationRoute>,
  policy: Policy,
): NotificationIntent[] {
  const local = policy.escalation?.accessDenied;
  return events.flatMap((e, index) => {
    if (e.type !== 'access-denied') return [];
    const subject = `access-denied@${e.on}#${e.id ?? index}`;
    const intent: NotificationIntent = {
      key: `${subject}|escalation`,
      subject,
      level: 'escalation',
      reason: 'access-denied',
      fireOn: e.on,
      detail: `Access to the child or the home denied to ${e.by} on ${e.on}.`,
      ...toRoute(local ?? route),
    };
    if (local?.value.otherCoreGroupMembers) intent.exceptAgency = e.by;
    return [intent];
  });
}

/** An intent's recipients from a route: its roles, its stand-ins, and its citation. */
function toRoute(route: Rule<EscalationRoute>): Pick<NotificationIntent, 'recipients' | 'inAbsenceOf' | 'route'> {
  return {
    recipients: [...route.value.to],
    ...(route.value.inAbsenceOf === undefined ? {} : { inAbsenceOf: route.value.inAbsenceOf }),
    route: route.rule,
  };
}

/**
 * A new social worker allocated: the core group members are told the new worker's name and role, once, with the team
 * manager copied (001 §4: "the team manager must ensure core group members are informed of the name of the new
 * allocated worker"). The email names the plan and the worker, never the child.
 */
function socialWorkerChangeNotices(events: readonly PlanEvent[]): NotificationIntent[] {
  return events.flatMap((e, index) => {
    if (!isSocialWorkerChange(e)) return [];
    const subject = `social-worker-changed@${e.on}#${e.id ?? index}`;
    return [
      {
        key: `${subject}|notice`,
        subject,
        level: 'notice' as const,
        reason: 'social-worker-changed' as const,
        fireOn: e.on,
        recipients: ['core-group-member'],
        copy: ['team-manager'],
        route: ESCALATION_RULES.socialWorkerChange,
        person: { personId: e.person, role: e.role, from: e.on },
      },
    ];
  });
}
