/**
 * The read benchmark's partnership, as plain data: who works there, and twelve months of realistic history for each
 * plan, ending today (Europe/London). Pure and deterministic: every plan draws from its own PRNG seeded by
 * (BENCH_SEED, plan number), so plan 17 is the same plan whether 2,000 or 5,000 are seeded and runs on the same day
 * compare. read-seed.ts writes what this produces.
 *
 * The shape of a plan (Camden's rules, child protection):
 *  - started on a working day in the last 15 months; about 10% have ended (11.5% of those older than two months);
 *  - first core group: 80% within 10 working days, 15% late (11-20), 5% never (and so no later core groups);
 *  - later core groups every 4-6 weeks, each booked first (core-group-scheduled); 7% of bookings are missed (booked,
 *    never held, rebooked 2-4 weeks later) and 3% of plans drift (core groups simply stop), the next one is booked
 *    ahead of today for open plans;
 *  - each core group's record circulated 1-5 working days after (10% late, 5% never);
 *  - the child seen every 5-10 working days (10% of gaps 11-18: missed visits);
 *  - review conferences 3 months after the start, then every 6 months (85% on time, 10% late, 5% never);
 *  - non-engagement reported on 10% of plans (once, or on 2% twice);
 *  - the notifications the workflow would have sent by today (reminders, escalations, second-level escalations,
 *    event-driven escalations), reconstructed with the real escalation ladder (domain/notifications.ts).
 */
import { createHash } from 'node:crypto';
import {
  addDays,
  addMonths,
  addWorkingDays,
  compareDates,
  daysBetween,
  isWorkingDay,
  londonStartOfDay,
} from '../../domain/calendar';
import { planNotifications, type EscalationSettings, type NotificationIntent } from '../../domain/notifications';
import { evaluatePlan } from '../../domain/obligations';
import { getPolicy, rulesVersionOf } from '../../domain/policies';
import type { CoreGroupHeld, IdentifiedEvent, IsoDate, Obligation, PlanEvent } from '../../domain/types';
import { renderNotification } from '../../activities/email/render-notification';

export const PARTNERSHIP_ID = 'bench-read';
export const POLICY = getPolicy('camden');
export const TEAMS = 12;
export const SOCIAL_WORKERS = 40;
/** The person the virtual users sign in as: manages all TEAMS teams, so every plan is theirs to read. */
export const TEAM_MANAGER_ID = 'bench-tm';
/** The workflow's defaults (platform/env.ts): the ladder the notifications are reconstructed with. */
const LADDER: EscalationSettings = {
  reminderWorkingDays: 2,
  secondLevelWorkingDays: 5,
  secondLevelRole: 'head-of-service',
};
/** How far back plans start: 15 months, so twelve months of history have plans of every age. */
export const HISTORY_DAYS = 456;

export interface BenchPerson {
  id: string;
  name: string;
  email: string;
  agency: string;
}

/** Everyone in the partnership, and what they are: plans draw their roles from these. */
export interface Staff {
  teamIds: string[];
  teamManager: BenchPerson;
  /** Index i works in team i % TEAMS. */
  socialWorkers: BenchPerson[];
  chairs: BenchPerson[];
  headOfService: BenchPerson;
  /** Other agencies' core group members. */
  agencyPeople: BenchPerson[];
  /** Partnership roles, so the demo sign-in offers one person per role as the demo partnerships do. */
  members: Array<{ person: BenchPerson; role: 'analyst' | 'auditor' | 'administrator' }>;
}

export function staff(): Staff {
  const person = (id: string, name: string, agency: string): BenchPerson => ({
    id,
    name,
    agency,
    email: `${id}@bench.invalid`,
  });
  return {
    teamIds: Array.from({ length: TEAMS }, (_, t) => `bench-team-${String(t + 1).padStart(2, '0')}`),
    teamManager: person(TEAM_MANAGER_ID, 'Tam Manager', 'social-care'),
    socialWorkers: Array.from({ length: SOCIAL_WORKERS }, (_, w) =>
      person(`bench-sw-${String(w + 1).padStart(2, '0')}`, `Social Worker ${w + 1}`, 'social-care'),
    ),
    chairs: [1, 2, 3].map((c) => person(`bench-chair-${c}`, `Conference Chair ${c}`, 'social-care')),
    headOfService: person('bench-hos', 'Hal Head', 'social-care'),
    agencyPeople: [
      ...[1, 2, 3, 4].map((k) => person(`bench-health-${k}`, `Health Visitor ${k}`, 'health')),
      ...[1, 2, 3, 4].map((k) => person(`bench-school-${k}`, `School Lead ${k}`, 'education')),
      ...[1, 2].map((k) => person(`bench-police-${k}`, `Police Officer ${k}`, 'police')),
    ],
    members: [
      { person: person('bench-analyst', 'Ana Analyst', 'social-care'), role: 'analyst' },
      { person: person('bench-auditor', 'Aud Auditor', 'social-care'), role: 'auditor' },
      { person: person('bench-admin', 'Adi Admin', 'social-care'), role: 'administrator' },
    ],
  };
}

/** A stored event: the event as services/event-intake.ts stores it, and when it was recorded. */
export interface HistoryEvent {
  event: IdentifiedEvent;
  recordedAt: Date;
}

export interface HistoryNotification {
  id: string;
  key: string;
  obligationKey: string;
  level: string;
  recipients: Array<{ personId: string; role: string; email: string }>;
  subject: string;
  sentAt: Date;
}

export interface PlanHistory {
  id: string;
  teamId: string;
  child: { id: string; localChildId: string; name: string; dateOfBirth: IsoDate; gender: string; ethnicity: string };
  startedOn: IsoDate;
  endedOn: IsoDate | undefined;
  initialCategory: string;
  latestCategory: string;
  roles: Array<{ person: BenchPerson; role: string }>;
  events: HistoryEvent[];
  notifications: HistoryNotification[];
  /** Open with an obligation overdue today (the engine's word): on the 'overdue now' list. */
  overdueToday: boolean;
}

/** mulberry32: small, fast and good enough to make data; seeded per plan so plans do not depend on each other. */
export function prng(seed: string): () => number {
  let a = createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = ReturnType<typeof prng>;
const between = (random: Random, lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** The working day on or after `date` (meetings and visits happen on working days). */
function workingDayFrom(date: IsoDate): IsoDate {
  let day = date;
  while (!isWorkingDay(day)) day = addDays(day, 1);
  return day;
}

const CATEGORIES = ['neglect', 'emotional', 'physical', 'sexual', 'multiple'] as const;
const ETHNICITIES = ['WBRI', 'WOTH', 'MWBC', 'ABAN', 'BAFR', 'BCRB', 'OOTH', 'REFU'];

/** Plan number `n` (0-based) of the partnership, with its history as of `today`. */
export function planHistory(seed: string, n: number, today: IsoDate, people: Staff): PlanHistory {
  const random = prng(`${seed}:${n}`);
  // The working day on or before: a start in the future would be a contradiction.
  let startedOn = workingDayFrom(addDays(today, -between(random, 1, HISTORY_DAYS)));
  if (compareDates(startedOn, today) > 0) startedOn = addWorkingDays(today, -1);
  const age = daysBetween(startedOn, today);
  const endsOn =
    age > 60 && random() < 0.115
      ? workingDayFrom(addDays(startedOn, between(random, 60, Math.min(age, 365))))
      : undefined;
  const endedOn = endsOn !== undefined && compareDates(endsOn, today) <= 0 ? endsOn : undefined;
  // The last day anything can have happened: the end of the plan, or today.
  const until = endedOn ?? today;
  const id = `BEN-${startedOn.slice(0, 4)}-${String(n + 1).padStart(5, '0')}`;

  const team = between(random, 0, TEAMS - 1);
  const teamWorkers = people.socialWorkers.filter((_, w) => w % TEAMS === team);
  const health = pick(
    random,
    people.agencyPeople.filter((p) => p.agency === 'health'),
  );
  const school = pick(
    random,
    people.agencyPeople.filter((p) => p.agency === 'education'),
  );
  const roles = [
    { person: pick(random, teamWorkers), role: 'social-worker' },
    { person: people.teamManager, role: 'team-manager' },
    { person: pick(random, people.chairs), role: 'conference-chair' },
    { person: people.headOfService, role: 'head-of-service' },
    { person: health, role: 'core-group-member' },
    { person: school, role: 'core-group-member' },
  ];

  const events = new Timeline(id, random, startedOn, until, endedOn === undefined);
  coreGroupsAndRecords(events, random, startedOn, until);
  childVisits(events, random, startedOn, until);
  const latestCategory = reviewConferences(events, random, startedOn, until);
  nonEngagement(events, random, startedOn, until);
  if (endedOn !== undefined) events.add({ type: 'plan-ended', on: endedOn });

  const initialCategory = pick(random, CATEGORIES);
  const stored = events.sorted();
  const domainEvents = stored.map((e) => e.event);
  const obligations = evaluatePlan(
    { policy: POLICY, plan: { type: 'child-protection', startedOn }, events: domainEvents },
    today,
  );
  return {
    id,
    teamId: people.teamIds[team]!,
    child: {
      id: `child-${id}`,
      localChildId: `LCID-${String(n + 1).padStart(6, '0')}`,
      name: `Bench Child ${n + 1}`,
      dateOfBirth: addDays(startedOn, -between(random, 30, 17 * 365)),
      gender: random() < 0.5 ? 'female' : 'male',
      ethnicity: pick(random, ETHNICITIES),
    },
    startedOn,
    endedOn,
    initialCategory,
    latestCategory: latestCategory ?? initialCategory,
    roles,
    events: stored,
    notifications: sentNotifications(id, obligations, domainEvents, roles, random, today),
    overdueToday: endedOn === undefined && obligations.some((o) => o.status === 'overdue'),
  };
}

/** Collects one plan's events, with numbered ids and the time each was recorded; nothing after the plan's last day. */
class Timeline {
  private readonly items: HistoryEvent[] = [];

  constructor(
    private readonly planId: string,
    private readonly random: Random,
    private readonly startedOn: IsoDate,
    private readonly until: IsoDate,
    /** Open plans have their next core group booked ahead of today; ended plans have nothing after their end. */
    private readonly open: boolean,
  ) {}

  /** Recorded the afternoon of its day (or up to two days later); a booking two to three weeks before the meeting. */
  add(event: PlanEvent, options: { booking?: boolean } = {}): void {
    const ahead = compareDates(event.on, this.until) > 0;
    if (ahead && !(options.booking && this.open)) return;
    const recordedOn = options.booking
      ? maxDate(this.startedOn, addDays(event.on, -between(this.random, 14, 21)))
      : addDays(event.on, between(this.random, 0, 2));
    const at = londonStartOfDay(recordedOn) + between(this.random, 9 * 60, 17 * 60) * 60_000;
    const id = `${this.planId}-e${String(this.items.length + 1).padStart(3, '0')}`;
    // Never recorded in the future: today's events were recorded a minute ago at the latest.
    this.items.push({ event: { ...event, id }, recordedAt: new Date(Math.min(at, Date.now() - 60_000)) });
  }

  /** In the order events are replayed (services/plan-data/rows.ts EVENT_ORDER: by date, then by recording). */
  sorted(): HistoryEvent[] {
    return [...this.items].sort(
      (a, b) => compareDates(a.event.on, b.event.on) || a.recordedAt.getTime() - b.recordedAt.getTime(),
    );
  }
}

const maxDate = (a: IsoDate, b: IsoDate): IsoDate => (compareDates(a, b) >= 0 ? a : b);

function heldMeeting(random: Random, on: IsoDate): CoreGroupHeld {
  return {
    type: 'core-group-held',
    on,
    parentsPresent: random() < 0.8,
    childViewsRecorded: random() < 0.7,
    attendance: {
      socialWorkerPresent: random() < 0.95,
      present: [
        { agency: 'social-care', role: 'social worker' },
        ...(random() < 0.85 ? [{ agency: 'health', role: 'health visitor' }] : []),
        ...(random() < 0.7 ? [{ agency: 'education', role: 'designated safeguarding lead' }] : []),
        ...(random() < 0.2 ? [{ agency: 'police' }] : []),
      ],
      ...(random() < 0.3 ? { apologies: [{ agency: 'health', role: 'GP', writtenReport: random() < 0.6 }] } : {}),
    },
  };
}

/** Core groups (each booked first) and their records, from the first one after the conference. */
function coreGroupsAndRecords(events: Timeline, random: Random, startedOn: IsoDate, until: IsoDate): void {
  const first = random();
  if (first >= 0.95) return; // never held: no first core group, so no later ones either
  let meeting = addWorkingDays(startedOn, first < 0.8 ? between(random, 3, 10) : between(random, 11, 20));
  const drifts = random() < 0.03;
  for (let held = 0; ; held++) {
    events.add({ type: 'core-group-scheduled', on: meeting }, { booking: true });
    if (compareDates(meeting, until) > 0) return; // the next one, booked ahead
    if (held > 0 && random() < 0.07) {
      // Booked, never held nor cancelled: the booked-meeting escalation fires, and it is rebooked.
      meeting = workingDayFrom(addDays(meeting, between(random, 14, 28)));
      continue;
    }
    events.add(heldMeeting(random, meeting));
    const record = random();
    if (record < 0.95) {
      events.add({
        type: 'record-circulated',
        meetingOn: meeting,
        on: addWorkingDays(meeting, record < 0.85 ? between(random, 1, 5) : between(random, 6, 12)),
      });
    }
    if (drifts && held >= 2) return;
    meeting = workingDayFrom(addDays(meeting, between(random, 28, 42)));
  }
}

/** The child seen every 5-10 working days, some gaps longer (missed visits). */
function childVisits(events: Timeline, random: Random, startedOn: IsoDate, until: IsoDate): void {
  for (let on = startedOn; ;) {
    on = addWorkingDays(on, random() < 0.9 ? between(random, 5, 10) : between(random, 11, 18));
    if (compareDates(on, until) > 0) return;
    events.add({ type: 'child-seen', on, seenAlone: random() < 0.6 });
  }
}

/** Review conferences at 3 months, then every 6; returns the latest category decided. */
function reviewConferences(events: Timeline, random: Random, startedOn: IsoDate, until: IsoDate): string | undefined {
  let latest: string | undefined;
  for (let due = addMonths(startedOn, 3); ;) {
    const outcome = random();
    if (outcome >= 0.95) return latest; // never held: the plan's reviews stop
    const on =
      outcome < 0.85
        ? workingDayFrom(addDays(due, -between(random, 0, 14)))
        : addWorkingDays(due, between(random, 1, 15));
    if (compareDates(on, until) > 0 || compareDates(on, startedOn) <= 0) return latest;
    latest = pick(random, CATEGORIES);
    events.add({ type: 'review-conference-held', on, category: latest });
    due = addMonths(on, 6);
  }
}

function nonEngagement(events: Timeline, random: Random, startedOn: IsoDate, until: IsoDate): void {
  const draw = random();
  const count = draw < 0.02 ? 2 : draw < 0.1 ? 1 : 0;
  const span = daysBetween(startedOn, until);
  for (let k = 0; k < count && span > 1; k++) {
    events.add({
      type: 'non-engagement-reported',
      on: workingDayFrom(addDays(startedOn, between(random, 1, span - 1))),
      detail: 'Parents did not attend the agreed visits.',
    });
  }
}

/**
 * What the plan's workflow would have sent by today. The ladder of every obligation (as evaluated today, with all
 * its events) is taken from domain/notifications.ts, and a rung counts as sent when it fell due on or before the day
 * its obligation was met (the workflow wakes at the start of the day; the meeting is recorded later) and by today.
 * Event-driven escalations count when they fell due by today. Nothing after the plan ended (planNotifications).
 */
function sentNotifications(
  planId: string,
  obligations: readonly Obligation[],
  events: IdentifiedEvent[],
  roles: PlanHistory['roles'],
  random: Random,
  today: IsoDate,
): HistoryNotification[] {
  const byKey = new Map<string, Obligation>(obligations.map((o) => [o.key, o]));
  // Every obligation as if unmet, so that its whole ladder is produced; met ones are cut below at their metOn.
  const ladders = planNotifications(
    obligations.map((o) => ({ ...o, status: 'overdue' as const })),
    events,
    LADDER,
    { policy: POLICY, planType: 'child-protection' },
  );
  const sent = ladders.filter((intent) => {
    if (compareDates(intent.fireOn, today) > 0) return false;
    const metOn = byKey.get(intent.subject)?.metOn;
    return metOn === undefined || compareDates(intent.fireOn, metOn) <= 0;
  });
  return sent.map((intent, k) => notificationRow(planId, intent, roles, random, k));
}

function notificationRow(
  planId: string,
  intent: NotificationIntent,
  roles: PlanHistory['roles'],
  random: Random,
  k: number,
): HistoryNotification {
  const recipients = roles
    .filter((r) => intent.recipients.includes(r.role))
    .map((r) => ({ personId: r.person.id, role: r.role, email: r.person.email }));
  const subject = renderNotification({
    planRef: planId,
    intent,
    planUrl: `http://bench.invalid/plans/${planId}`,
  }).subject;
  // Sent by the morning wake-up of the day it fell due.
  const sentAt = new Date(
    Math.min(londonStartOfDay(intent.fireOn) + between(random, 7 * 60, 7 * 60 + 30) * 60_000, Date.now() - 60_000),
  );
  return {
    id: `${planId}-n${String(k + 1).padStart(3, '0')}`,
    key: `${planId}|${intent.key}`,
    obligationKey: intent.subject,
    level: intent.level,
    recipients,
    subject,
    sentAt,
  };
}

export const RULES_VERSION = rulesVersionOf(POLICY);
