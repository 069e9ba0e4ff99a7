/**
 * Durable intake: an accepted event is stored with its delivery row and reaches the plan's workflow even when
 * Temporal was down when it arrived; contradictions are refused with nothing stored.
 */
import { getPolicy as currentPolicy, rulesVersionOf } from '../../domain/policies';
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Refusal } from '../../domain/refusal';
import { relayPendingEvents } from '../../services/event-relay';
import { recordEvents as record } from '../../services/plan-data';
import { registerPlan, type IntakeDeps } from '../../services/plan-intake';
import { planStatusQuery, planWorkflowId } from '../../workflows/plan';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { eventually } from '../support/eventually';
import { newPlan, seedPartnership } from '../support/fixtures';
import { SmtpCatcher } from '../support/smtp';
import { startTimeSkippingEnv } from '../support/temporal';
import { testWorker } from '../support/worker';

const SETTINGS = { reminderWorkingDays: 2, secondLevelWorkingDays: 5, secondLevelRole: 'head-of-service' };
let db: TestDatabase;
/** Today for the tests of refusals: after every event they record. */
const TODAY = '2026-06-15';
const recordEvents = (prisma: typeof db.prisma, planId: string, events: Parameters<typeof record>[2], today = TODAY) =>
  record(prisma, planId, events, today);

beforeAll(async () => {
  db = await createTestDatabase('event_intake');
  await seedPartnership(db.prisma);
});
afterAll(async () => db?.drop());

let counter = 0;
async function plan(startedOn = '2026-03-02'): Promise<string> {
  const id = `INTAKE-${++counter}`;
  await db.prisma.plan.create({
    data: {
      id,
      partnershipId: 'testshire',
      teamId: 'team-a',
      childId: 'child-1',
      policyId: 'england',
      rulesVersion: rulesVersionOf(currentPolicy('england')),
      type: 'child-protection',
      startedOn: new Date(`${startedOn}T00:00:00Z`),
      workflowId: planWorkflowId(id),
    },
  });
  return id;
}

async function rejection(promise: Promise<unknown>): Promise<Refusal> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Refusal);
  return error as Refusal;
}

describe('recordEvents', () => {
  it('stores an event once with a pending delivery, and treats the same event again as a duplicate', async () => {
    const planId = await plan();
    const event = { id: 'ev-a', type: 'child-seen' as const, on: '2026-03-05', seenAlone: true };
    expect(await recordEvents(db.prisma, planId, [event])).toEqual(['recorded']);
    expect(
      await recordEvents(db.prisma, planId, [{ seenAlone: true, on: '2026-03-05', type: 'child-seen', id: 'ev-a' }]),
    ).toEqual(['duplicate']);
    expect(await db.prisma.planEvent.count({ where: { planId } })).toBe(1);
    expect(await db.prisma.eventDelivery.findMany({ where: { planId } })).toEqual([
      expect.objectContaining({ eventId: 'ev-a', deliveredAt: null }),
    ]);
  });

  it('refuses the same id with different content (409), naming the field', async () => {
    const planId = await plan();
    await recordEvents(db.prisma, planId, [{ id: 'ev-b', type: 'child-seen', on: '2026-03-05' }]);
    const error = await rejection(
      recordEvents(db.prisma, planId, [{ id: 'ev-b', type: 'child-seen', on: '2026-03-06' }]),
    );
    expect(error).toMatchObject({ code: 'conflict', field: 'id' });
  });

  it('refuses an event dated before the plan started, and one after it ended (422)', async () => {
    const planId = await plan('2026-03-02');
    expect(
      await rejection(recordEvents(db.prisma, planId, [{ id: 'ev-c', type: 'core-group-held', on: '2026-03-01' }])),
    ).toMatchObject({ code: 'contradiction', field: 'on' });
    await recordEvents(db.prisma, planId, [{ id: 'ev-d', type: 'plan-ended', on: '2026-04-01' }]);
    const late = await rejection(
      recordEvents(db.prisma, planId, [{ id: 'ev-e', type: 'core-group-held', on: '2026-04-02' }]),
    );
    expect(late.message).toContain('after the plan ended (2026-04-01)');
  });

  it('stores nothing of a batch with one bad event, and names it', async () => {
    const planId = await plan('2026-03-02');
    const error = await rejection(
      recordEvents(db.prisma, planId, [
        { id: 'ev-f', type: 'child-seen', on: '2026-03-03' },
        { id: 'ev-g', type: 'child-seen', on: '2026-02-27' },
      ]),
    );
    expect(error.field).toBe('events[1].on');
    expect(await db.prisma.planEvent.count({ where: { planId } })).toBe(0);
    expect(await db.prisma.eventDelivery.count({ where: { planId } })).toBe(0);
  });

  it('refuses an unknown plan (404)', async () => {
    expect(
      await rejection(recordEvents(db.prisma, 'NO-SUCH-PLAN', [{ id: 'ev-h', type: 'child-seen', on: '2026-03-03' }])),
    ).toMatchObject({ code: 'not-found', field: 'planId' });
  });
});

describe('the relay', () => {
  let env: TestWorkflowEnvironment;
  let smtp: SmtpCatcher;
  beforeAll(async () => {
    env = await startTimeSkippingEnv();
    smtp = new SmtpCatcher();
    await smtp.start();
  });
  afterAll(async () => {
    await env?.teardown();
    await smtp?.stop();
  });

  it('keeps an event accepted while Temporal is unreachable, and delivers it once Temporal is back', async () => {
    const taskQueue = 'intake-relay';
    const deps: IntakeDeps = { prisma: db.prisma, temporal: env.client, taskQueue, settings: SETTINGS };
    const worker = await testWorker({
      connection: env.nativeConnection,
      taskQueue,
      prisma: db.prisma,
      smtpPort: smtp.port,
    });
    await worker.runUntil(async () => {
      const today = new Date(await env.currentTimeMs()).toISOString().slice(0, 10);
      await registerPlan(deps, newPlan('RELAY-1', today), today);

      // Temporal "down": a client whose server does not answer. The event is still accepted and stored.
      const unreachable = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500 }) });
      await recordEvents(
        db.prisma,
        'RELAY-1',
        [{ id: 'relay-ev-1', type: 'non-engagement-reported', on: today }],
        today,
      );
      expect(await relayPendingEvents({ ...deps, temporal: unreachable }, 10, ['relay-ev-1'])).toBe(0);
      const pending = await db.prisma.eventDelivery.findUniqueOrThrow({ where: { eventId: 'relay-ev-1' } });
      expect(pending).toMatchObject({ deliveredAt: null, attempts: 1 });
      expect(pending.lastError).toBeTruthy();

      // Temporal back: the relay delivers it, the workflow has it, and the escalation goes out.
      expect(await relayPendingEvents(deps, 10, ['relay-ev-1'])).toBe(1);
      await eventually(async () => {
        const status = await env.client.workflow.getHandle(planWorkflowId('RELAY-1')).query(planStatusQuery);
        expect(status.eventCount).toBe(1);
      });
      await eventually(() => expect(smtp.messages.filter((m) => m.subject.includes('non-engagement'))).toHaveLength(1));
      expect(
        (await db.prisma.eventDelivery.findUniqueOrThrow({ where: { eventId: 'relay-ev-1' } })).deliveredAt,
      ).not.toBeNull();
      // Delivering again (a relay that crashed before stamping) changes nothing.
      expect(await relayPendingEvents(deps, 10, ['relay-ev-1'])).toBe(0);
      await env.client.workflow.getHandle(planWorkflowId('RELAY-1')).terminate('test finished');
    });
  });
});
