/**
 * The monthly Schedule is create-or-update, on the real Temporal server (the CLI's dev server): a running deployment
 * whose schedule was created by an earlier version (here: a different hour, day range, catch-up window and task
 * queue) gets this version's definition when the worker starts, and keeps what an operator set on it (paused, a
 * note). Starting again changes nothing further.
 */
import { Client, Connection, ScheduleOverlapPolicy } from '@temporalio/client';
import {
  createOrUpdate,
  ensureSchedules,
  monthlyAuditSchedule,
  MONTHLY_AUDIT_SCHEDULE_ID,
} from '../../worker/schedules';
import { startDevServer, type DevServer } from '../support/dev-server';

let server: DevServer;
let connection: Connection;
let client: Client;

beforeAll(async () => {
  server = await startDevServer();
  connection = await Connection.connect({ address: server.address });
  client = new Client({ connection });
});

afterAll(async () => {
  await connection?.close();
  server?.stop();
});

it('brings an existing schedule up to date, keeping it paused with its note', async () => {
  const handle = client.schedule.getHandle(MONTHLY_AUDIT_SCHEDULE_ID);
  // What an earlier deployment created, later paused by an operator.
  await client.schedule.create({
    scheduleId: MONTHLY_AUDIT_SCHEDULE_ID,
    spec: { calendars: [{ dayOfMonth: { start: 1, end: 2 }, hour: 6, minute: 30 }], timezone: 'Europe/London' },
    action: { type: 'startWorkflow', workflowType: 'scheduledMonthlyAuditWorkflow', taskQueue: 'old-queue', args: [] },
    policies: { overlap: ScheduleOverlapPolicy.ALLOW_ALL, catchupWindow: '1 day' },
    state: { paused: true, note: 'paused during the migration' },
  });

  await ensureSchedules(client, 'corewatch-plans');

  const described = await handle.describe();
  const calendar = described.spec.calendars?.[0];
  expect(calendar?.hour).toEqual([{ start: 7, end: 7, step: 1 }]);
  expect(calendar?.minute).toEqual([{ start: 0, end: 0, step: 1 }]);
  expect(calendar?.dayOfMonth).toEqual([{ start: 1, end: 4, step: 1 }]);
  expect(described.spec.timezone).toBe('Europe/London');
  expect(described.action).toMatchObject({
    workflowType: 'scheduledMonthlyAuditWorkflow',
    taskQueue: 'corewatch-plans',
  });
  expect(described.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
  expect(described.policies.catchupWindow).toBe(7 * 24 * 3600 * 1000);
  expect(described.state).toMatchObject({ paused: true, note: 'paused during the migration' });

  // Idempotent: starting again leaves the same definition.
  expect(await createOrUpdate(client, monthlyAuditSchedule('corewatch-plans'))).toBe('updated');
  const again = await handle.describe();
  expect(again.spec).toEqual(described.spec);
  expect(again.action).toEqual(described.action);
  await handle.delete();
});

it('creates it when it is missing', async () => {
  expect(await createOrUpdate(client, monthlyAuditSchedule('corewatch-plans'))).toBe('created');
  const described = await client.schedule.getHandle(MONTHLY_AUDIT_SCHEDULE_ID).describe();
  expect(described.state.paused).toBe(false);
  await client.schedule.getHandle(MONTHLY_AUDIT_SCHEDULE_ID).delete();
});
