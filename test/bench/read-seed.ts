/**
 * Writes the read benchmark's partnership (read-history.ts) to a fresh database, fast: people first, then plans in
 * chunks of PLANS_PER_CHUNK, each chunk's rows in multi-row INSERTs (createMany) of at most ROWS_PER_INSERT rows.
 *
 * Only what the system itself would have written by today, in the columns every version of the schema has: plans,
 * children, roles, the event log (each event with its delivery row, delivered), and the sent notifications. Not
 * written: Obligation rows and Plan.endedOn/next-due columns, which are derived data the code under test owns (the
 * redesigned code rebuilds them with `corewatch obligations rebuild`, see read.bench.ts).
 */
import { createHash } from 'node:crypto';
import type { PrismaClient } from '../../platform/database';
import type { Prisma } from '../../prisma/generated/client';
import { dateColumn } from '../../services/plan-data/rows';
import type { IsoDate } from '../../domain/types';
import { londonStartOfDay } from '../../domain/calendar';
import {
  PARTNERSHIP_ID,
  planHistory,
  POLICY,
  RULES_VERSION,
  staff,
  type PlanHistory,
  type Staff,
} from './read-history';

const PLANS_PER_CHUNK = 250;
const ROWS_PER_INSERT = 2_000;

export interface SeedSummary {
  plans: number;
  endedPlans: number;
  people: number;
  events: number;
  eventsByType: Record<string, number>;
  notifications: number;
  notificationsByLevel: Record<string, number>;
  eventsPerPlan: number;
  notificationsPerPlan: number;
  /** Open plans with an obligation overdue today: how long the 'overdue now' list is. */
  overduePlans: number;
  seconds: number;
}

export async function seedReadBench(
  prisma: PrismaClient,
  plans: number,
  today: IsoDate,
  seed: string,
): Promise<SeedSummary> {
  const started = Date.now();
  const people = staff();
  await seedDirectory(prisma, people);
  const summary = {
    plans,
    endedPlans: 0,
    overduePlans: 0,
    events: 0,
    eventsByType: {} as Record<string, number>,
    notifications: 0,
    notificationsByLevel: {} as Record<string, number>,
  };
  for (let first = 0; first < plans; first += PLANS_PER_CHUNK) {
    const chunk = Array.from({ length: Math.min(PLANS_PER_CHUNK, plans - first) }, (_, i) =>
      planHistory(seed, first + i, today, people),
    );
    await writePlans(prisma, chunk);
    for (const plan of chunk) {
      if (plan.endedOn !== undefined) summary.endedPlans += 1;
      if (plan.overdueToday) summary.overduePlans += 1;
      summary.events += plan.events.length;
      summary.notifications += plan.notifications.length;
      for (const e of plan.events) summary.eventsByType[e.event.type] = (summary.eventsByType[e.event.type] ?? 0) + 1;
      for (const n of plan.notifications)
        summary.notificationsByLevel[n.level] = (summary.notificationsByLevel[n.level] ?? 0) + 1;
    }
    process.stdout.write(`\r  seeded ${first + chunk.length} / ${plans} plans`);
  }
  process.stdout.write('\n');
  // Fresh statistics, as a long-running database would have: the planner's choices then match production's.
  await prisma.$executeRawUnsafe('ANALYZE');
  return {
    ...summary,
    people: allPeople(people).length,
    eventsPerPlan: round1(summary.events / plans),
    notificationsPerPlan: round1(summary.notifications / plans),
    seconds: round1((Date.now() - started) / 1000),
  };
}

function allPeople(people: Staff) {
  return [
    people.teamManager,
    ...people.socialWorkers,
    ...people.chairs,
    people.headOfService,
    ...people.agencyPeople,
    ...people.members.map((m) => m.person),
  ];
}

/** The partnership, its teams and people; the team manager manages every team; one person per partnership role. */
async function seedDirectory(prisma: PrismaClient, people: Staff): Promise<void> {
  await prisma.partnership.create({
    data: { id: PARTNERSHIP_ID, name: 'Benchshire Safeguarding Children Partnership', policyId: POLICY.id },
  });
  await prisma.team.createMany({
    data: people.teamIds.map((id, t) => ({ id, partnershipId: PARTNERSHIP_ID, name: `Child Protection ${t + 1}` })),
  });
  await prisma.person.createMany({ data: allPeople(people).map((p) => ({ ...p, partnershipId: PARTNERSHIP_ID })) });
  await prisma.teamMember.createMany({
    data: people.teamIds.map((teamId) => ({ teamId, personId: people.teamManager.id, role: 'team-manager' })),
  });
  await prisma.partnershipMember.createMany({
    data: people.members.map((m) => ({
      id: `member-${m.person.id}`,
      partnershipId: PARTNERSHIP_ID,
      personId: m.person.id,
      role: m.role,
    })),
  });
}

/** One chunk of plans with everything hanging off them, parents before children (foreign keys). */
async function writePlans(prisma: PrismaClient, chunk: PlanHistory[]): Promise<void> {
  await prisma.child.createMany({
    data: chunk.map((p) => ({
      ...p.child,
      partnershipId: PARTNERSHIP_ID,
      dateOfBirth: dateColumn(p.child.dateOfBirth),
    })),
  });
  await prisma.plan.createMany({
    data: chunk.map((p) => ({
      id: p.id,
      partnershipId: PARTNERSHIP_ID,
      teamId: p.teamId,
      childId: p.child.id,
      policyId: POLICY.id,
      rulesVersion: RULES_VERSION,
      type: 'child-protection',
      startedOn: dateColumn(p.startedOn),
      workflowId: `plan-${p.id}`,
      // Registered the afternoon of the initial conference.
      createdAt: new Date(londonStartOfDay(p.startedOn) + 15 * 3_600_000),
      initialCategory: p.initialCategory,
      latestCategory: p.latestCategory,
      emergencyProtectionLast6Months: 'no',
      previousPlans: 0,
    })),
  });
  await prisma.planRole.createMany({
    data: chunk.flatMap((p) =>
      p.roles.map((r, k) => ({
        id: `${p.id}-r${k + 1}`,
        planId: p.id,
        personId: r.person.id,
        role: r.role,
        agency: r.person.agency,
      })),
    ),
  });
  const events = chunk.flatMap((p) => p.events.map((e) => ({ planId: p.id, ...e })));
  await inBatches(events, (rows) =>
    prisma.planEvent.createMany({
      // The payload is the whole event, id included, as services/event-intake.ts stores it.
      data: rows.map((e) => ({
        id: e.event.id,
        planId: e.planId,
        type: e.event.type,
        on: dateColumn(e.event.on),
        payload: jsonOf(e.event),
        recordedAt: e.recordedAt,
      })),
    }),
  );
  await inBatches(events, (rows) =>
    prisma.eventDelivery.createMany({
      data: rows.map((e) => ({
        eventId: e.event.id,
        planId: e.planId,
        createdAt: e.recordedAt,
        deliveredAt: new Date(e.recordedAt.getTime() + 400),
        attempts: 1,
      })),
    }),
  );
  const notifications = chunk.flatMap((p) => p.notifications.map((n) => ({ planId: p.id, ...n })));
  await inBatches(notifications, (rows) =>
    prisma.notification.createMany({
      data: rows.map((n) => ({
        id: n.id,
        key: n.key,
        planId: n.planId,
        obligationKey: n.obligationKey,
        level: n.level,
        recipients: n.recipients,
        subject: n.subject,
        status: 'sent',
        attempts: 1,
        // As activities/plan-activities.ts derives it.
        messageId: `<${createHash('sha256').update(n.key).digest('hex').slice(0, 32)}@corewatch>`,
        createdAt: new Date(n.sentAt.getTime() - 300),
        sentAt: n.sentAt,
      })),
    }),
  );
}

/** The event as JSON (what `JSON.stringify(event)::jsonb` stores), typed for Prisma's Json column. */
function jsonOf(value: object): Prisma.InputJsonObject {
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonObject;
}

async function inBatches<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let at = 0; at < rows.length; at += ROWS_PER_INSERT) await insert(rows.slice(at, at + ROWS_PER_INSERT));
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
