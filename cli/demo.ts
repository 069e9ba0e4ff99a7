/**
 * `corewatch demo`: seeds a few clearly fictional plans across several policies, one of them already overdue, and
 * starts their workflows. Idempotent: running it again changes nothing (fixed ids, upserts, de-duplicated events).
 * Refused when COREWATCH_ENV=production.
 */
import { loadConfig } from '../platform/env';
import { parseCommandArgs, type Command, type Io } from './command';
import { createPrisma, type PrismaClient } from '../platform/database';
import { PARTNERSHIP_ROLES, ROLE_LABELS } from '../domain/access';
import type { CategoryKey, EthnicityKey, GenderKey, YesNoKey } from '../domain/annex-a';
import { addDays, addWorkingDays, londonDateAt } from '../domain/calendar';
import type { PlanEvent, PlanType, PolicyId } from '../domain/types';
import { connectTemporalClient, escalationSettings } from '../platform/temporal';
import { planInPartnership } from '../services/plan-data';
import { registerPlan, startPlanWorkflow, submitEvent, type IntakeDeps } from '../services/plan-intake';

interface DemoPartnership {
  id: string;
  name: string;
  policyId: PolicyId;
  prefix: string;
}

const PARTNERSHIPS: DemoPartnership[] = [
  { id: 'demo-camden', name: 'Camden (demo)', policyId: 'camden', prefix: 'CAM' },
  { id: 'demo-barnsley', name: 'Barnsley (demo)', policyId: 'barnsley', prefix: 'BAR' },
  { id: 'demo-england', name: 'Northshire (demo, England default policy)', policyId: 'england', prefix: 'NOR' },
];

const ROLES = ['social-worker', 'team-manager', 'conference-chair', 'head-of-service'] as const;

interface DemoPlan {
  id: string;
  partnership: DemoPartnership;
  type: PlanType;
  startedDaysAgo: number;
  events: (start: string) => Array<PlanEvent & { id: string }>;
  /** Every Annex A List 7 field filled, as corewatch's keys (domain/annex-a.ts). */
  child: { bornDaysAgo: number; gender: GenderKey; ethnicity: EthnicityKey; disability: YesNoKey };
  annexA: { initialCategory: CategoryKey; emergencyProtectionLast6Months: YesNoKey; previousPlans: number };
}

export const demo: Command = {
  usage: 'corewatch demo',
  run: (args, io) => {
    parseCommandArgs(args, {}); // takes no arguments: refuse any rather than ignore it
    return runDemo(io);
  },
};

async function runDemo(io: Io): Promise<number> {
  const config = loadConfig();
  if (config.COREWATCH_ENV === 'production') {
    io.stderr('corewatch demo: refused, COREWATCH_ENV=production (demo data must never enter a live system)\n');
    return 2;
  }
  const prisma = createPrisma(config.DATABASE_URL);
  const temporal = await connectTemporalClient(config);
  const deps: IntakeDeps = {
    prisma,
    temporal,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    settings: escalationSettings(config),
  };
  try {
    const today = londonDateAt(io.now());
    for (const p of PARTNERSHIPS) await seedPartnership(prisma, p, today);
    for (const plan of demoPlans()) {
      // Seeded by an earlier `npm start` (another day, or an earlier version of the demo): kept as it is, its
      // deadlines running on from the day it was seeded. Seeding it again would date it from today and conflict.
      if (await planInPartnership(prisma, plan.id, plan.partnership.id)) {
        io.stdout(`demo: plan ${plan.id} was seeded earlier; left as it is\n`);
        await startPlanWorkflow(deps, plan.id);
        continue;
      }
      const start = addDays(today, -plan.startedDaysAgo);
      await registerPlan(
        deps,
        {
          id: plan.id,
          partnershipId: plan.partnership.id,
          teamId: `${plan.partnership.id}-team`,
          child: { id: `${plan.id}-child` },
          policyId: plan.partnership.policyId,
          type: plan.type,
          startedOn: start,
          roles: ROLES.map((role) => ({ personId: `${plan.partnership.id}-${role}`, role })),
          ...(plan.type === 'child-protection' ? { annexA: plan.annexA } : {}),
        },
        today,
      );
      for (const event of plan.events(start)) await submitEvent(deps, plan.id, event, today);
      io.stdout(`demo: plan ${plan.id} (${plan.partnership.policyId}, ${plan.type}, started ${start})\n`);
    }
  } finally {
    await prisma.$disconnect();
    await temporal.connection.close();
  }
  return 0;
}

function demoPlans(): DemoPlan[] {
  const [camden, barnsley, england] = PARTNERSHIPS as [DemoPartnership, DemoPartnership, DemoPartnership];
  return [
    // Already overdue: no first core group 25 days after the conference. Escalates as soon as the worker runs.
    {
      id: 'CAM-DEMO-0001',
      partnership: camden,
      type: 'child-protection',
      startedDaysAgo: 25,
      events: () => [],
      child: { bornDaysAgo: 2210, gender: 'female', ethnicity: 'WBRI', disability: 'no' },
      annexA: { initialCategory: 'neglect', emergencyProtectionLast6Months: 'no', previousPlans: 0 },
    },
    // A core group booked for next week; the child seen on day 2.
    {
      id: 'CAM-DEMO-0002',
      partnership: camden,
      type: 'child-protection',
      startedDaysAgo: 3,
      events: (start) => [
        { id: 'CAM-DEMO-0002-e1', type: 'core-group-scheduled', on: addWorkingDays(start, 8) },
        { id: 'CAM-DEMO-0002-e2', type: 'child-seen', on: addDays(start, 2), seenAlone: true },
      ],
      child: { bornDaysAgo: 4015, gender: 'male', ethnicity: 'BAFR', disability: 'yes' },
      annexA: { initialCategory: 'emotional', emergencyProtectionLast6Months: 'yes', previousPlans: 1 },
    },
    // On track: first core group on day 7, record circulated, parents present; non-engagement reported since.
    {
      id: 'BAR-DEMO-0001',
      partnership: barnsley,
      type: 'child-protection',
      startedDaysAgo: 20,
      events: (start) => [
        {
          id: 'BAR-DEMO-0001-e1',
          type: 'core-group-held',
          on: addWorkingDays(start, 5),
          parentsPresent: true,
          attendance: {
            socialWorkerPresent: true,
            present: [{ agency: 'social-care' }, { agency: 'health' }, { agency: 'education' }],
          },
        },
        {
          id: 'BAR-DEMO-0001-e2',
          type: 'record-circulated',
          meetingOn: addWorkingDays(start, 5),
          on: addWorkingDays(start, 8),
        },
        {
          id: 'BAR-DEMO-0001-e3',
          type: 'non-engagement-reported',
          on: addDays(start, 18),
          detail: 'Missed two agreed home visits.',
        },
      ],
      child: { bornDaysAgo: 900, gender: 'female', ethnicity: 'MWAS', disability: 'no' },
      annexA: { initialCategory: 'multiple', emergencyProtectionLast6Months: 'no', previousPlans: 2 },
    },
    {
      id: 'BAR-DEMO-CIN1',
      partnership: barnsley,
      type: 'child-in-need',
      startedDaysAgo: 10,
      events: () => [],
      child: { bornDaysAgo: 5300, gender: 'male', ethnicity: 'WOTH', disability: 'unknown' },
      annexA: { initialCategory: 'neglect', emergencyProtectionLast6Months: 'no', previousPlans: 0 },
    },
    {
      id: 'NOR-DEMO-0001',
      partnership: england,
      type: 'child-protection',
      startedDaysAgo: 0,
      events: () => [],
      child: { bornDaysAgo: 3100, gender: 'not-stated', ethnicity: 'NOBT', disability: 'unknown' },
      annexA: { initialCategory: 'physical', emergencyProtectionLast6Months: 'unknown', previousPlans: 0 },
    },
  ];
}

async function seedPartnership(prisma: PrismaClient, p: DemoPartnership, today: string): Promise<void> {
  await prisma.partnership.upsert({
    where: { id: p.id },
    create: { id: p.id, name: p.name, policyId: p.policyId },
    update: {},
  });
  await prisma.team.upsert({
    where: { id: `${p.id}-team` },
    create: { id: `${p.id}-team`, partnershipId: p.id, name: 'Child Protection Team 1' },
    update: {},
  });
  for (const role of ROLES) {
    const id = `${p.id}-${role}`;
    await prisma.person.upsert({
      where: { id },
      create: {
        id,
        partnershipId: p.id,
        name: `Demo ${role.replace(/-/g, ' ')}`,
        email: `${role}.${p.id}@demo.corewatch.invalid`,
        agency: 'social-care',
      },
      update: {},
    });
  }
  // The team manager manages the team (sees all its plans on the dashboard); the social worker sees their caseload.
  await prisma.teamMember.upsert({
    where: { teamId_personId_role: { teamId: `${p.id}-team`, personId: `${p.id}-team-manager`, role: 'team-manager' } },
    create: { teamId: `${p.id}-team`, personId: `${p.id}-team-manager`, role: 'team-manager' },
    update: {},
  });
  // Partnership-wide roles: the auditor receives the monthly workbook's "ready" email and downloads it; the analyst
  // sees figures and pseudonymised lists; the administrator reads the access log.
  for (const role of PARTNERSHIP_ROLES) {
    const id = `${p.id}-${role}`;
    await prisma.person.upsert({
      where: { id },
      create: {
        id,
        partnershipId: p.id,
        name: `Demo ${ROLE_LABELS[role]}`,
        email: `${role}.${p.id}@demo.corewatch.invalid`,
      },
      update: {},
    });
    await prisma.partnershipMember.upsert({
      where: { partnershipId_personId_role: { partnershipId: p.id, personId: id, role } },
      create: { partnershipId: p.id, personId: id, role },
      update: {},
    });
  }
  for (const plan of demoPlans().filter((x) => x.partnership.id === p.id)) {
    const childId = `${plan.id}-child`;
    // Every Annex A characteristic filled (and refreshed on a re-run, so an older demo database gets them too).
    const characteristics = {
      dateOfBirth: new Date(`${addDays(today, -plan.child.bornDaysAgo)}T00:00:00.000Z`),
      gender: plan.child.gender,
      ethnicity: plan.child.ethnicity,
      disability: plan.child.disability,
    };
    await prisma.child.upsert({
      where: { id: childId },
      create: {
        id: childId,
        partnershipId: p.id,
        localChildId: `DEMO-${plan.id}`,
        name: `Demo Child ${plan.id.slice(-4)}`,
        ...characteristics,
      },
      update: characteristics,
    });
  }
}
