/**
 * The plan workflow end to end: a real Temporal server (Temporal's time-skipping test server, so weeks pass in
 * seconds), real PostgreSQL, and a real SMTP server on loopback. Assertions are on the emails that actually crossed
 * the wire and on what the workflow reports through its query.
 */
import type { IdentifiedEvent } from '../../domain/types';
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { addDays, addWorkingDays, londonDateAt, londonStartOfDay } from '../../domain/calendar';
import type { EscalationSettings } from '../../domain/notifications';
import type { IsoDate, PlanEvent } from '../../domain/types';
import { registerPlan, submitEvent, type IntakeDeps } from '../../services/plan-intake';
import { planStatusQuery, planWorkflow, planWorkflowId, type PlanStatus } from '../../workflows/plan';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { eventually } from '../support/eventually';
import { CHILD_NAME, PEOPLE, newPlan, planRow, seedPartnership } from '../support/fixtures';
import { SmtpCatcher } from '../support/smtp';
import { startTimeSkippingEnv } from '../support/temporal';
import { testWorker } from '../support/worker';

const SETTINGS: EscalationSettings = {
  reminderWorkingDays: 2,
  secondLevelWorkingDays: 5,
  secondLevelRole: 'head-of-service',
};
const HOUR = 3_600_000;

let env: TestWorkflowEnvironment;
let db: TestDatabase;
let smtp: SmtpCatcher;
let intake: IntakeDeps;
const taskQueue = 'plans';

beforeAll(async () => {
  db = await createTestDatabase('plan_workflow');
  await seedPartnership(db.prisma);
  smtp = new SmtpCatcher();
  await smtp.start();
});

afterAll(async () => {
  await smtp?.stop();
  await db?.drop();
});

// A fresh time-skipping server per test: each test owns its clock (see test/support/temporal.ts).
beforeEach(async () => {
  env = await startTimeSkippingEnv();
  intake = { prisma: db.prisma, temporal: env.client, taskQueue, settings: SETTINGS };
  smtp.messages.length = 0;
});

afterEach(async () => {
  await env?.teardown();
});

function worker(tuning: { maxCachedWorkflows?: number } = {}): Promise<Worker> {
  return testWorker({ connection: env.nativeConnection, taskQueue, prisma: db.prisma, smtpPort: smtp.port, ...tuning });
}

async function withWorker(body: () => Promise<void>): Promise<void> {
  const w = await worker();
  await w.runUntil(body);
}

function newPlanId(): string {
  return `PLAN-${randomUUID().slice(0, 8)}`;
}

/** Today in Europe/London by the test server's clock (which the tests move). */
async function serverToday(): Promise<IsoDate> {
  return londonDateAt(await env.currentTimeMs());
}

/** Skips the server's clock to `hour` o'clock London time on `date`. */
async function skipTo(date: IsoDate, hour = 10): Promise<void> {
  const target = londonStartOfDay(date) + hour * HOUR;
  const now = await env.currentTimeMs();
  if (target > now) await env.sleep(target - now);
}

async function status(planId: string): Promise<PlanStatus> {
  return env.client.workflow.getHandle(planWorkflowId(planId)).query(planStatusQuery);
}

async function waitForSent(planId: string, key: string): Promise<PlanStatus> {
  return eventually(async () => {
    const s = await status(planId);
    expect(s.sent.map((x) => x.key)).toContain(key);
    return s;
  });
}

function event(e: PlanEvent): IdentifiedEvent {
  return { ...e, id: e.id ?? randomUUID() };
}

const escalations = (subjectPart: string) =>
  smtp.messages.filter((m) => m.subject.includes('Escalation') && m.subject.includes(subjectPart));

describe('an unmet first core group', () => {
  it('reminds the social worker before the deadline, then escalates to the team manager and chair exactly once, then to the head of service', async () => {
    await withWorker(async () => {
      const start = await serverToday();
      const planId = newPlanId();
      await registerPlan(intake, newPlan(planId, start), await serverToday());
      const due = addWorkingDays(start, 10); // Working Together 2023: within 10 working days of the ICPC

      // Reminder: 2 working days before the deadline, to the social worker only, and nothing escalated yet.
      await skipTo(addWorkingDays(due, -2));
      await waitForSent(planId, 'first-core-group|reminder');
      await eventually(() => expect(smtp.to(PEOPLE.socialWorker.email)).toHaveLength(1));
      expect(smtp.messages[0]!.subject).toContain('Reminder');
      expect(escalations('first core group')).toHaveLength(0);

      // The day after the deadline: one escalation, addressed to both the team manager and the chair.
      await skipTo(addDays(due, 1));
      await waitForSent(planId, 'first-core-group|escalation');
      await eventually(() => expect(escalations('first core group')).toHaveLength(1));
      const escalation = escalations('first core group')[0]!;
      expect(escalation.to.sort()).toEqual([PEOPLE.chair.email, PEOPLE.teamManager.email].sort());
      expect(escalation.subject).toContain(planId);
      expect(escalation.subject).not.toContain(CHILD_NAME);
      expect(escalation.subject).not.toContain('Zebedee');

      // Days pass, the workflow wakes again: still exactly one escalation, and the reminder was not repeated.
      await skipTo(addDays(due, 3));
      expect(escalations('first core group')).toHaveLength(1);
      expect(smtp.to(PEOPLE.socialWorker.email)).toHaveLength(1);

      // Still unmet 5 working days after the deadline: the second level goes to the head of service.
      await skipTo(addWorkingDays(due, 5));
      const s = await waitForSent(planId, 'first-core-group|second-level');
      await eventually(() => expect(smtp.to(PEOPLE.headOfService.email)).toHaveLength(1));
      expect(smtp.to(PEOPLE.headOfService.email)[0]!.subject).toContain('Second-level escalation');
      expect(s.escalation['first-core-group']).toBe('second-level');
      expect(s.obligations.find((o) => o.key === 'first-core-group')!.status).toBe('overdue');

      // Every send is in the outbox with its outcome.
      const outbox = await db.prisma.notification.findMany({ where: { planId }, include: { sendAttempts: true } });
      expect(outbox.map((n) => n.level).sort()).toEqual(['escalation', 'reminder', 'second-level']);
      expect(outbox.every((n) => n.status === 'sent' && n.sendAttempts.length === 1)).toBe(true);
    });
  });
});

describe('a core group held in time', () => {
  it('cancels the ladder: no reminder and no escalation for the first core group', async () => {
    await withWorker(async () => {
      const start = await serverToday();
      const planId = newPlanId();
      await registerPlan(intake, newPlan(planId, start), await serverToday());
      const due = addWorkingDays(start, 10);

      await skipTo(addWorkingDays(start, 4));
      const heldOn = await serverToday();
      await submitEvent(
        intake,
        planId,
        event({ type: 'core-group-held', on: heldOn, parentsPresent: true }),
        await serverToday(),
      );
      await eventually(async () =>
        expect((await status(planId)).obligations.find((o) => o.key === 'first-core-group')).toMatchObject({
          status: 'met',
          metOn: heldOn,
        }),
      );

      await skipTo(addWorkingDays(due, 6));
      const s = await status(planId);
      expect(s.sent.filter((x) => x.subject === 'first-core-group')).toEqual([]);
      expect(smtp.messages.filter((m) => m.subject.includes('first core group'))).toEqual([]);
      // The next core group is now the chain's head, due 6 weeks after the first was actually held.
      expect(s.obligations.find((o) => o.key === 'core-group#2')).toMatchObject({
        due: addDays(heldOn, 42),
        status: 'pending',
      });
    });
  });
});

describe('escalations that do not wait for a deadline', () => {
  it('escalates reported parental non-engagement at once, and an event delivered twice changes nothing', async () => {
    await withWorker(async () => {
      const start = await serverToday();
      const planId = newPlanId();
      await registerPlan(intake, newPlan(planId, start), await serverToday());
      const report = event({ type: 'non-engagement-reported', on: start, detail: 'Parents declined the home visit.' });
      expect(await submitEvent(intake, planId, report, await serverToday())).toBe('recorded');
      expect(await submitEvent(intake, planId, report, await serverToday())).toBe('duplicate');

      await eventually(() => expect(escalations('non-engagement')).toHaveLength(1));
      const mail = escalations('non-engagement')[0]!;
      expect(mail.to.sort()).toEqual([PEOPLE.chair.email, PEOPLE.teamManager.email].sort());
      expect(mail.body).toContain('Parents declined the home visit.');
      const s = await status(planId);
      expect(s.eventCount).toBe(1);
      expect(await db.prisma.planEvent.count({ where: { planId } })).toBe(1);
    });
  });

  it('escalates when parents are recorded absent from two consecutive core groups', async () => {
    await withWorker(async () => {
      const today = await serverToday();
      const start = addDays(today, -40);
      const planId = newPlanId();
      await registerPlan(intake, newPlan(planId, start), await serverToday());
      await submitEvent(
        intake,
        planId,
        event({ type: 'core-group-held', on: addDays(start, 7), parentsPresent: false }),
        await serverToday(),
      );
      await eventually(async () => expect((await status(planId)).eventCount).toBe(1));
      expect(smtp.messages.filter((m) => m.subject.includes('parents absent'))).toHaveLength(0);

      await submitEvent(
        intake,
        planId,
        event({ type: 'core-group-held', on: addDays(start, 30), parentsPresent: false }),
        await serverToday(),
      );
      await eventually(() =>
        expect(
          smtp.messages.filter((m) => m.subject.includes('parents absent from two consecutive core groups')),
        ).toHaveLength(1),
      );
    });
  });

  it('escalates a booked core group that passed by a working day with neither a held nor a cancelled record', async () => {
    await withWorker(async () => {
      const start = await serverToday();
      const planId = newPlanId();
      await registerPlan(intake, newPlan(planId, start), await serverToday());
      const booked = addWorkingDays(start, 3);
      await submitEvent(intake, planId, event({ type: 'core-group-scheduled', on: booked }), await serverToday());

      await skipTo(booked, 20);
      expect(escalations('booked core group')).toHaveLength(0);
      await skipTo(addWorkingDays(booked, 1));
      await eventually(() => expect(escalations('booked core group')).toHaveLength(1));
      expect(escalations('booked core group')[0]!.to.sort()).toEqual(
        [PEOPLE.chair.email, PEOPLE.teamManager.email].sort(),
      );
    });
  });
});

describe('durability', () => {
  it('loses nothing and sends nothing twice when the worker is restarted mid-plan', async () => {
    const start = await serverToday();
    const planId = newPlanId();
    const due = addWorkingDays(start, 10);

    // No workflow cache: nothing is left on a sticky queue for the stopped worker (on the time-skipping server the
    // sticky timeout's clock would not move), and the second worker must rebuild the plan from history alone.
    const first = await worker({ maxCachedWorkflows: 0 });
    await first.runUntil(async () => {
      await registerPlan(intake, newPlan(planId, start), await serverToday());
      await skipTo(addWorkingDays(due, -1));
      await waitForSent(planId, 'first-core-group|reminder');
    });
    // The worker is down. An event arrives meanwhile: it is stored, and waits for a worker in Temporal.
    // (The clock is not moved now: the test server cannot skip time past a task that no worker is there to take.)
    await submitEvent(
      intake,
      planId,
      event({ type: 'non-engagement-reported', on: await serverToday() }),
      await serverToday(),
    );
    expect(smtp.messages.filter((m) => m.subject.includes('Escalation'))).toHaveLength(0);

    await withWorker(async () => {
      await eventually(() => expect(escalations('non-engagement')).toHaveLength(1));
      await skipTo(addDays(due, 2));
      await waitForSent(planId, 'first-core-group|escalation');
      await eventually(() => expect(escalations('first core group')).toHaveLength(1));
      const s = await status(planId);
      expect(s.eventCount).toBe(1);
      const sentKeys = s.sent.map((x) => x.key);
      expect(sentKeys).toHaveLength(3);
      expect(sentKeys).toEqual(
        expect.arrayContaining([
          'first-core-group|reminder',
          'first-core-group|escalation',
          expect.stringMatching(/^non-engagement@.*\|escalation$/),
        ]),
      );
    });
    expect(smtp.to(PEOPLE.socialWorker.email)).toHaveLength(1); // the reminder, once
    expect(escalations('non-engagement')).toHaveLength(1);
  });

  it('keeps every event and every sent notification across continue-as-new', async () => {
    await withWorker(async () => {
      const start = await serverToday();
      const planId = newPlanId();
      await db.prisma.plan.create({
        data: {
          ...planRow(planId, start),
          roles: { create: Object.values(PEOPLE).map((p) => ({ personId: p.id, role: p.role })) },
        },
      });
      await env.client.workflow.start(planWorkflow, {
        workflowId: planWorkflowId(planId),
        taskQueue,
        args: [{ planId, settings: SETTINGS, continueAsNewAfter: 2 }],
      });
      await submitEvent(intake, planId, event({ type: 'non-engagement-reported', on: start }), await serverToday());
      await submitEvent(
        intake,
        planId,
        event({ type: 'core-group-held', on: start, parentsPresent: true }),
        await serverToday(),
      );
      await skipTo(addWorkingDays(start, 7));
      const s = await eventually(async () => {
        const current = await status(planId);
        expect(current.generation).toBeGreaterThanOrEqual(2);
        expect(current.eventCount).toBe(2);
        // The first core group's record was due 5 working days after the meeting and never circulated.
        expect(current.sent.map((x) => x.key)).toEqual(
          expect.arrayContaining([expect.stringMatching(/^non-engagement@/), `core-group-record@${start}|escalation`]),
        );
        return current;
      });
      expect(s.obligations.find((o) => o.key === 'first-core-group')!.status).toBe('met');
      expect(escalations('non-engagement')).toHaveLength(1);
      expect(escalations('core group record')).toHaveLength(1);
    });
  });
});
