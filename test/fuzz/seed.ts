/**
 * The partnership the fuzzer works against, written through the same code paths production uses, so every route has
 * something real to find: the directory load (teams, people, dashboard roles), plan registration and event intake
 * (services/plan-data: plans, children, roles, events with their delivery rows, the obligations read model), the
 * plan workflow's send activity for the reminders and escalations owed by today (with a mailer that accepts
 * everything), the stored monthly figures (`corewatch figures backfill`) and last month's audit workbook (the monthly
 * audit's activity). A second partnership holds two plans the fuzzer's token must never reach.
 *
 * Everything is fixed: ids, dates (relative to the harness's fixed TODAY) and shapes, so a run can be repeated and
 * the fuzzer's configuration (test/fuzz/schemathesis.toml) can name real ids in its dictionaries.
 */
import fs from 'node:fs';
import { createPlanActivities } from '../../activities/plan-activities';
import { createReportActivities } from '../../activities/report-activities';
import { addDays, addWorkingDays, compareDates } from '../../domain/calendar';
import { dueNow, planNotifications } from '../../domain/notifications';
import { evaluatePlan } from '../../domain/obligations';
import { pinnedPolicy } from '../../domain/policies';
import type { IdentifiedEvent, IsoDate, PlanEvent, PlanType, PolicyId } from '../../domain/types';
import type { PrismaClient } from '../../platform/database';
import type { Config } from '../../platform/env';
import { escalationSettings } from '../../platform/temporal';
import { loadDirectory, parseDirectory } from '../../services/directory';
import { backfillFigures } from '../../services/monthly-figures';
import { createPlan, loadPlanState, recordEvents } from '../../services/plan-data';
import { nextMonth } from '../../domain/report-months';

/** The harness's today (Europe/London): fixed, so every run sees the same overdue plans, months and figures. */
export const TODAY: IsoDate = '2026-06-15';
export const PARTNERSHIP = 'fuzzshire';
export const OTHER_PARTNERSHIP = 'othershire';
/** Last month's audit workbook, complete, with its figures stored. */
export const REPORT_MONTH = '2026-05';
export const REPORT_ID = `audit-${PARTNERSHIP}-${REPORT_MONTH}`;
/** The first month whose figures are stored (the overview's twelve-month trend). */
export const FIGURES_FROM = '2025-06';
export const PLAN_COUNT = 36;

const TEAMS = [
  { id: 'fz-cp-1', name: 'Child Protection 1', manager: 'fz-tm-1', workers: ['fz-sw-1', 'fz-sw-2'] },
  { id: 'fz-cp-2', name: 'Child Protection 2', manager: 'fz-tm-2', workers: ['fz-sw-3', 'fz-sw-4'] },
  { id: 'fz-cin-1', name: 'Children in Need 1', manager: 'fz-tm-3', workers: ['fz-sw-5', 'fz-sw-6'] },
] as const;

/** Who signs in to the dashboard for each signed-in suite. */
export const DASHBOARD_PEOPLE = {
  teamManager: 'fz-tm-1',
  analyst: 'fz-analyst',
  auditor: 'fz-auditor',
  administrator: 'fz-admin',
  socialWorker: 'fz-sw-1',
} as const;

const AGENCY_PEOPLE = [
  { id: 'fz-hv-1', name: 'Hattie Visitor', agency: 'health' },
  { id: 'fz-school-1', name: 'Sol Teacher', agency: 'education' },
  { id: 'fz-police-1', name: 'Pat Constable', agency: 'police' },
] as const;

function directory() {
  const person = (id: string, name: string, extra: Record<string, unknown> = {}) => ({
    id,
    name,
    email: `${id}@fuzzshire.invalid`,
    ...extra,
  });
  return {
    partnership: { id: PARTNERSHIP, name: 'Fuzzshire Safeguarding Children Partnership', policy: 'camden' },
    teams: TEAMS.map((t) => ({ id: t.id, name: t.name, managers: [t.manager] })),
    people: [
      ...TEAMS.map((t, i) => person(t.manager, `Team Manager ${i + 1}`, { agency: 'social-care' })),
      ...TEAMS.flatMap((t) =>
        t.workers.map((w) => person(w, `Social Worker ${w.slice(-1)}`, { agency: 'social-care' })),
      ),
      person('fz-chair-1', 'Chair One', { agency: 'social-care' }),
      person('fz-chair-2', 'Chair Two', { agency: 'social-care' }),
      person('fz-hos', 'Head of Service', { agency: 'social-care' }),
      ...AGENCY_PEOPLE.map((p) => person(p.id, p.name, { agency: p.agency })),
      person(DASHBOARD_PEOPLE.analyst, 'Ann Analyst', { roles: ['analyst'] }),
      person(DASHBOARD_PEOPLE.auditor, 'Aud Auditor', { roles: ['auditor'] }),
      person(DASHBOARD_PEOPLE.administrator, 'Adm Administrator', { roles: ['administrator'] }),
      // Someone who has left: still named on old plans, shut out of the dashboard.
      person('fz-left', 'Former Worker', { agency: 'social-care', active: false }),
    ],
  };
}

function otherDirectory() {
  const person = (id: string, agency = 'social-care') => ({ id, name: id, email: `${id}@othershire.invalid`, agency });
  return {
    partnership: { id: OTHER_PARTNERSHIP, name: 'Othershire Safeguarding Children Partnership', policy: 'england' },
    teams: [{ id: 'os-cp-1', name: 'Child Protection', managers: ['os-tm'] }],
    people: [person('os-tm'), person('os-sw'), person('os-chair'), person('os-hos')],
  };
}

interface SeedPlan {
  id: string;
  partnershipId: string;
  teamId: string;
  policyId: PolicyId;
  type: PlanType;
  startedOn: IsoDate;
  roles: Array<{ personId: string; role: string; agency?: string }>;
  child: { localChildId: string; name: string; dateOfBirth: IsoDate; gender: string; ethnicity: string };
  annexA?: { initialCategory: 'neglect' | 'physical' | 'sexual' | 'emotional' | 'multiple'; previousPlans: number };
  events: IdentifiedEvent[];
}

const CATEGORIES = ['neglect', 'emotional', 'physical', 'multiple', 'sexual'] as const;

/** The plans of the partnership: one of six histories each, started between 6 and 321 days before TODAY. */
export function seedPlans(): SeedPlan[] {
  return Array.from({ length: PLAN_COUNT }, (_, i) => {
    const team = TEAMS[i % TEAMS.length]!;
    const childInNeed = team.id === 'fz-cin-1';
    const id = `FZ-${String(i + 1).padStart(4, '0')}`;
    const startedOn = addDays(TODAY, -(6 + i * 9));
    const type: PlanType = childInNeed ? 'child-in-need' : 'child-protection';
    const socialWorker = team.workers[i % 2]!;
    const roles = [
      { personId: socialWorker, role: 'social-worker', agency: 'social-care' },
      { personId: team.manager, role: 'team-manager' },
      ...(childInNeed ? [] : [{ personId: i % 2 === 0 ? 'fz-chair-1' : 'fz-chair-2', role: 'conference-chair' }]),
      { personId: 'fz-hos', role: 'head-of-service' },
      ...AGENCY_PEOPLE.filter((_, k) => (i + k) % 2 === 0).map((p) => ({
        personId: p.id,
        role: 'core-group-member',
        agency: p.agency,
      })),
      // A worker who has since left, still on an old plan: the ladder skips an inactive person.
      ...(i === 30 ? [{ personId: 'fz-left', role: 'core-group-member', agency: 'social-care' }] : []),
    ];
    return {
      id,
      partnershipId: PARTNERSHIP,
      teamId: team.id,
      policyId: childInNeed ? 'barnsley' : i % 2 === 0 ? 'camden' : 'england',
      type,
      startedOn,
      roles,
      child: {
        localChildId: `FZC-${String(i + 1).padStart(4, '0')}`,
        name: `Fictional Child ${i + 1}`,
        dateOfBirth: addDays(startedOn, -(400 + i * 97)),
        gender: i % 2 === 0 ? 'female' : 'male',
        ethnicity: ['WBRI', 'MWBC', 'AIND', 'BAFR'][i % 4]!,
      },
      ...(childInNeed ? {} : { annexA: { initialCategory: CATEGORIES[i % CATEGORIES.length]!, previousPlans: i % 3 } }),
      events: history(id, startedOn, i % 6),
    };
  });
}

/**
 * One plan's events up to TODAY, by kind of history: 0 on track; 1 first core group never held (overdue since);
 * 2 late throughout, with non-engagement reported; 3 ended; 4 a meeting cancelled and the next one booked ahead;
 * 5 parents absent from two core groups in a row.
 */
function history(planId: string, startedOn: IsoDate, kind: number): IdentifiedEvent[] {
  const events: IdentifiedEvent[] = [];
  const add = (event: PlanEvent) => {
    if (compareDates(event.on, TODAY) <= 0 || event.type === 'core-group-scheduled')
      events.push({ ...event, id: `${planId}-e${events.length + 1}` });
  };
  // Visits every ten days (fortnightly when late), the first on day 2.
  for (let day = 2; compareDates(addDays(startedOn, day), TODAY) <= 0; day += kind === 2 ? 14 : 10)
    add({ type: 'child-seen', on: addDays(startedOn, day), seenAlone: day % 20 === 2 });
  if (kind === 1) return events;

  const attendance = {
    socialWorkerPresent: true,
    present: [{ agency: 'social-care' }, { agency: 'health' }, { agency: 'education', role: 'designated lead' }],
    apologies: [{ agency: 'police', writtenReport: true }],
  };
  let meeting = addWorkingDays(startedOn, kind === 2 ? 14 : 8);
  for (let n = 0; compareDates(meeting, TODAY) <= 0; n += 1) {
    if (kind === 4 && n === 1) {
      add({ type: 'core-group-cancelled', on: meeting, reason: 'Chair unwell; rebooked.' });
      meeting = addWorkingDays(meeting, 3);
    }
    add({
      type: 'core-group-held',
      on: meeting,
      attendance,
      parentsPresent: !(kind === 5 && n >= 1),
      childViewsRecorded: n % 2 === 0,
    });
    add({ type: 'record-circulated', meetingOn: meeting, on: addWorkingDays(meeting, kind === 2 ? 7 : 3) });
    meeting = addDays(meeting, kind === 2 ? 45 : 28);
  }
  if (compareDates(addDays(startedOn, 90), TODAY) <= 0)
    add({ type: 'review-conference-held', on: addWorkingDays(startedOn, 60), category: 'neglect' });
  if (kind === 2) add({ type: 'non-engagement-reported', on: addDays(startedOn, 5), detail: 'Missed a home visit.' });
  if (kind === 4) add({ type: 'core-group-scheduled', on: addWorkingDays(TODAY, 6) });
  if (kind === 3) {
    const last = events.map((e) => e.on).sort(compareDates)[events.length - 1] ?? startedOn;
    if (compareDates(last, TODAY) < 0) add({ type: 'plan-ended', on: addDays(last, 1) });
  }
  return events;
}

function otherPlans(): SeedPlan[] {
  return ['OS-0001', 'OS-0002'].map((id, i) => ({
    id,
    partnershipId: OTHER_PARTNERSHIP,
    teamId: 'os-cp-1',
    policyId: 'england' as const,
    type: 'child-protection' as const,
    startedOn: addDays(TODAY, -(20 + i * 30)),
    roles: [
      { personId: 'os-sw', role: 'social-worker' },
      { personId: 'os-tm', role: 'team-manager' },
      { personId: 'os-chair', role: 'conference-chair' },
      { personId: 'os-hos', role: 'head-of-service' },
    ],
    child: {
      localChildId: `OSC-${i + 1}`,
      name: `Other Child ${i + 1}`,
      dateOfBirth: '2019-03-04',
      gender: 'female',
      ethnicity: 'WBRI',
    },
    events: [],
  }));
}

/**
 * Real values for the fuzzer's dictionaries (schemathesis.toml): the partnership's ids, the other partnership's (which
 * the token must never reach), a few event ids already recorded (a repeat is a duplicate or a conflict), and months
 * with figures stored, the month in progress and one never computed.
 */
export function dictionaries(): Record<string, string[]> {
  const plans = seedPlans();
  const people = [...directory().people.map((p) => p.id), ...otherDirectory().people.map((p) => p.id)];
  const months: string[] = [];
  for (let m = FIGURES_FROM; m <= REPORT_MONTH; m = nextMonth(m)) months.push(m);
  return {
    plans: [...plans.map((p) => p.id), ...otherPlans().map((p) => p.id)],
    events: plans.flatMap((p) => p.events.slice(0, 2).map((e) => e.id)),
    children: [...plans.map((p) => p.child.localChildId), ...otherPlans().map((p) => p.child.localChildId)],
    teams: [...TEAMS.map((t) => t.id), 'os-cp-1'],
    people,
    partnerships: [PARTNERSHIP, OTHER_PARTNERSHIP],
    reports: [REPORT_ID],
    months: [...months, nextMonth(REPORT_MONTH), '2024-01'],
  };
}

export interface SeedSummary {
  plans: number;
  events: number;
  notifications: number;
  figureMonths: number;
  workbookBytes: number;
}

/** Writes the partnership; `reportsDir` receives the workbook. */
export async function seed(prisma: PrismaClient, config: Config, reportsDir: string): Promise<SeedSummary> {
  await loadDirectory(prisma, parseDirectory(directory()));
  await loadDirectory(prisma, parseDirectory(otherDirectory()));

  let events = 0;
  const plans = [...seedPlans(), ...otherPlans()];
  for (const plan of plans) {
    const { events: planEvents, ...rest } = plan;
    const outcome = await createPlan(prisma, rest, TODAY);
    if (outcome !== 'created') throw new Error(`seed: plan ${plan.id} was ${outcome}, expected created`);
    // In two submissions, as a case system sends what it has, then what follows.
    const half = Math.ceil(planEvents.length / 2);
    for (const batch of [planEvents.slice(0, half), planEvents.slice(half)])
      if (batch.length > 0) events += (await recordEvents(prisma, plan.id, batch, TODAY)).length;
  }

  // What the plan workflows would have sent by TODAY, through their own activity (the outbox).
  const activities = createPlanActivities({
    prisma,
    mailer: { sendMail: async () => ({ response: '250 accepted by the fuzz harness' }) as never },
    mailFrom: config.MAIL_FROM,
    publicBaseUrl: config.PUBLIC_BASE_URL,
  });
  let notifications = 0;
  for (const plan of plans) {
    const state = await loadPlanState(prisma, plan.id);
    const policy = pinnedPolicy(state.policyId, state.rulesVersion);
    const obligations = evaluatePlan({ policy, plan: state.plan, events: state.events }, TODAY);
    const intents = planNotifications(obligations, state.events, escalationSettings(config), {
      policy,
      planType: state.plan.type,
    });
    for (const intent of dueNow(intents, TODAY, new Set())) {
      await activities.sendNotification({ planId: plan.id, intent });
      notifications += 1;
    }
  }

  const backfill = await backfillFigures(prisma, { from: FIGURES_FROM, today: TODAY, partnershipId: PARTNERSHIP });
  fs.mkdirSync(reportsDir, { recursive: true });
  const report = await createReportActivities({
    prisma,
    mailer: { sendMail: async () => ({}) as never },
    mailFrom: config.MAIL_FROM,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    reportsDir,
  }).generateMonthlyReport({ reportId: REPORT_ID, partnershipId: PARTNERSHIP, month: REPORT_MONTH });

  return {
    plans: plans.length,
    events,
    notifications,
    figureMonths: backfill.months.length,
    workbookBytes: report.byteSize,
  };
}
