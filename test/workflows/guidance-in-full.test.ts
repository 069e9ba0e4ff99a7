/**
 * Issue 10 through the plan workflow, on Temporal's time-skipping test server, real PostgreSQL and a real SMTP server
 * on loopback: what now happens, judged by the emails that crossed the wire.
 *  - 001 §4 / 004: a core group that was not quorate meets nothing, so its deadline's escalation fires;
 *  - 001 §4: after a change of social worker, reminders go to the new worker (none to the old one), and the core
 *    group members are told the new worker's name once, with the team manager copied;
 *  - 002: under the Wales policy a denied access is reported at once to the other core group members and the social
 *    worker (the protection co-ordinator), exactly once;
 *  - 000/001/002: a cadence set by the conference brings the next core group's deadline, and its escalation, forward.
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { addDays, addWorkingDays, londonDateAt, londonStartOfDay } from '../../domain/calendar';
import type { EscalationSettings } from '../../domain/notifications';
import type { IsoDate, PlanEvent, PolicyId } from '../../domain/types';
import { registerPlan, submitEvent, type IntakeDeps } from '../../services/plan-intake';
import { planStatusQuery, planWorkflowId, type PlanStatus } from '../../workflows/plan';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { eventually } from '../support/eventually';
import { CHILD_NAME, PEOPLE, newPlan, seedPartnership } from '../support/fixtures';
import { SmtpCatcher } from '../support/smtp';
import { startTimeSkippingEnv } from '../support/temporal';
import { testWorker } from '../support/worker';

const SETTINGS: EscalationSettings = {
  reminderWorkingDays: 2,
  secondLevelWorkingDays: 5,
  secondLevelRole: 'head-of-service',
};
const HOUR = 3_600_000;
const taskQueue = 'plans';

/** The people issue 10 needs besides the fixtures': a second social worker and two core group members. */
const NEW_WORKER = { id: 'p-sw2', name: 'Nina Newworker', email: 'nina.newworker@council.test', agency: 'social-care' };
const HEALTH_VISITOR = { id: 'p-hv', name: 'Hal Visitor', email: 'hal.visitor@council.test', agency: 'health' };
const TEACHER = { id: 'p-teach', name: 'Tia Teacher', email: 'tia.teacher@council.test', agency: 'education' };

let env: TestWorkflowEnvironment;
let db: TestDatabase;
let smtp: SmtpCatcher;
let intake: IntakeDeps;

beforeAll(async () => {
  db = await createTestDatabase('guidance_in_full');
  await seedPartnership(db.prisma);
  for (const p of [NEW_WORKER, HEALTH_VISITOR, TEACHER]) {
    await db.prisma.person.create({
      data: {
        id: p.id,
        partnershipId: 'testshire',
        name: p.name,
        email: p.email,
        agency: p.agency,
      },
    });
  }
  smtp = new SmtpCatcher();
  await smtp.start();
});
afterAll(async () => {
  await smtp?.stop();
  await db?.drop();
});
beforeEach(async () => {
  env = await startTimeSkippingEnv();
  intake = { prisma: db.prisma, temporal: env.client, taskQueue, settings: SETTINGS };
  smtp.messages.length = 0;
});
afterEach(async () => {
  await env?.teardown();
});

async function withWorker(body: () => Promise<void>): Promise<void> {
  const w = await testWorker({ connection: env.nativeConnection, taskQueue, prisma: db.prisma, smtpPort: smtp.port });
  await w.runUntil(body);
}

const today = async (): Promise<IsoDate> => londonDateAt(await env.currentTimeMs());

async function skipTo(date: IsoDate, hour = 10): Promise<void> {
  const target = londonStartOfDay(date) + hour * HOUR;
  const now = await env.currentTimeMs();
  if (target > now) await env.sleep(target - now);
}

const status = (planId: string): Promise<PlanStatus> =>
  env.client.workflow.getHandle(planWorkflowId(planId)).query(planStatusQuery);

async function waitForSent(planId: string, key: string): Promise<void> {
  await eventually(async () => expect((await status(planId)).sent.map((s) => s.key)).toContain(key));
}

/** A plan registered today under `policy`, with the fixtures' four roles and the two core group members. */
async function register(policy: PolicyId): Promise<{ planId: string; start: IsoDate }> {
  const planId = `PLAN-${randomUUID().slice(0, 8)}`;
  const start = await today();
  const plan = newPlan(planId, start, policy);
  plan.roles.push(
    { personId: HEALTH_VISITOR.id, role: 'core-group-member', agency: 'health' } as (typeof plan.roles)[number],
    { personId: TEACHER.id, role: 'core-group-member', agency: 'education' } as (typeof plan.roles)[number],
  );
  await registerPlan(intake, plan, start);
  return { planId, start };
}

async function submit(planId: string, event: PlanEvent): Promise<void> {
  await submitEvent(intake, planId, { ...event, id: event.id ?? randomUUID() }, await today());
}

const to = (email: string) => smtp.messages.filter((m) => m.to.includes(email));

describe('a meeting only counts when it could go ahead (Camden 001 §4)', () => {
  it('a first core group held without the social worker meets nothing: the escalation fires the day after the deadline', async () => {
    await withWorker(async () => {
      const { planId, start } = await register('camden');
      const due = addWorkingDays(start, 10);
      await skipTo(addWorkingDays(start, 3));
      // Health and education came; the social worker did not: not quorate under Camden's rule.
      await submit(planId, {
        type: 'core-group-held',
        on: await today(),
        attendance: { socialWorkerPresent: false, present: [{ agency: 'health' }, { agency: 'education' }] },
      });
      await skipTo(addDays(due, 1));
      await waitForSent(planId, 'first-core-group|escalation');
      await eventually(() =>
        expect(
          smtp.messages.filter((m) => m.subject.includes('Escalation') && m.subject.includes('first core group')),
        ).toHaveLength(1),
      );
      const first = (await status(planId)).obligations.find((o) => o.key === 'first-core-group');
      expect(first).toMatchObject({ status: 'overdue' });
    });
  });
});

describe('people who change (001 §4)', () => {
  it('after a change of social worker the reminder goes to the new worker, and the core group is told the name once', async () => {
    await withWorker(async () => {
      const { planId, start } = await register('england');
      await skipTo(addDays(start, 1));
      await submit(planId, {
        type: 'worker-allocated',
        on: await today(),
        role: 'social-worker',
        person: NEW_WORKER.id,
      });

      // The notice: once, to the core group members with the team manager, naming the new worker, never the child.
      await eventually(() =>
        expect(smtp.messages.filter((m) => m.subject.includes('new social worker'))).toHaveLength(1),
      );
      const notice = smtp.messages.find((m) => m.subject.includes('new social worker'))!;
      expect(notice.to.sort()).toEqual([HEALTH_VISITOR.email, TEACHER.email, PEOPLE.teamManager.email].sort());
      // The core group members addressed, the team manager copied.
      expect(notice.raw).toMatch(new RegExp(`^Cc: ${PEOPLE.teamManager.email}`, 'm'));
      expect(notice.raw).toMatch(/^To: .*hal\.visitor@council\.test/m);
      expect(notice.body).toContain(NEW_WORKER.name);
      expect(notice.raw).not.toContain(CHILD_NAME);
      expect(notice.subject).toContain(planId);

      // The reminder before the first core group's deadline: to the new worker, none to the old one.
      await skipTo(addWorkingDays(addWorkingDays(start, 10), -2));
      await waitForSent(planId, 'first-core-group|reminder');
      await eventually(() =>
        expect(to(NEW_WORKER.email).filter((m) => m.subject.includes('Reminder'))).toHaveLength(1),
      );
      expect(to(PEOPLE.socialWorker.email)).toHaveLength(0);
      expect(smtp.messages.filter((m) => m.subject.includes('new social worker'))).toHaveLength(1);
    });
  });
});

describe('a denied access under the Wales procedures (002)', () => {
  it('is reported at once to the other core group members and the protection co-ordinator, exactly once', async () => {
    await withWorker(async () => {
      const { planId, start } = await register('wales');
      await skipTo(addDays(start, 2));
      const denied = { id: `ad-${randomUUID()}`, type: 'access-denied' as const, on: await today(), by: 'health' };
      await submit(planId, denied);
      await submit(planId, denied); // the same report again changes nothing
      await waitForSent(planId, `access-denied@${denied.on}#${denied.id}|escalation`);
      await eventually(() => expect(smtp.messages.filter((m) => m.subject.includes('Access'))).toHaveLength(1));
      const report = smtp.messages.find((m) => m.subject.includes('Access'))!;
      // The teacher and the social worker; not the health visitor, whose agency reported it.
      expect(report.to.sort()).toEqual([TEACHER.email, PEOPLE.socialWorker.email].sort());
      expect(report.body).toContain('care and support protection co-ordinator');
      expect(report.raw).not.toContain(CHILD_NAME);
    });
  });
});

describe('a cadence set by the conference (000, 001, 002)', () => {
  it('brings the second core group forward: its escalation fires on the stricter date', async () => {
    await withWorker(async () => {
      const { planId, start } = await register('camden');
      // The ICPC sets core groups every 2 weeks (Camden's second is otherwise within 6 weeks of the first).
      await submit(planId, { type: 'cadence-set', on: start, interval: { weeks: 2 } });
      await skipTo(addWorkingDays(start, 5));
      const firstOn = await today();
      await submit(planId, {
        type: 'core-group-held',
        on: firstOn,
        attendance: { socialWorkerPresent: true, present: [{ agency: 'health' }] },
      });
      const due = addDays(firstOn, 14);
      await skipTo(addDays(due, 1));
      await waitForSent(planId, 'core-group#2|escalation');
      const second = (await status(planId)).obligations.find((o) => o.key === 'core-group#2');
      expect(second).toMatchObject({ due, rule: { id: `camden/conference-cadence@${start}/2-weeks` } });
      await eventually(() =>
        expect(
          smtp.messages.filter((m) => m.subject.includes('Escalation') && m.subject.includes(`due ${due}`)),
        ).toHaveLength(1),
      );
    });
  });
});
