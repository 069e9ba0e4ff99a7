/**
 * The same path as README command 1, on the real Temporal server (the CLI's dev server, built by scripts/setup.sh)
 * rather than the time-skipping test server: a plan registered 25 days after its conference, with no core group,
 * escalates to the team manager and the conference chair within seconds of the worker starting, exactly once.
 */
import fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { addDays, londonDateAt } from '../../domain/calendar';
import { registerPlan, type IntakeDeps } from '../../services/plan-intake';
import { planStatusQuery, planWorkflowId } from '../../workflows/plan';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { eventually } from '../support/eventually';
import { PEOPLE, newPlan, seedPartnership } from '../support/fixtures';
import { SmtpCatcher } from '../support/smtp';
import { testWorker } from '../support/worker';
import { TEMPORAL_CLI, startDevServer, type DevServer } from '../support/dev-server';

let server: DevServer;
let address: string;
let db: TestDatabase;
let smtp: SmtpCatcher;

beforeAll(async () => {
  [server, db] = await Promise.all([startDevServer(), createTestDatabase('dev_server')]);
  address = server.address;
  await seedPartnership(db.prisma, 'camden');
  smtp = new SmtpCatcher();
  await smtp.start();
});

afterAll(async () => {
  server?.stop();
  await smtp?.stop();
  await db?.drop();
});

it('escalates an already overdue first core group exactly once', async () => {
  expect(fs.existsSync(TEMPORAL_CLI)).toBe(true);
  const connection = await NativeConnection.connect({ address });
  const clientConnection = await Connection.connect({ address });
  const client = new Client({ connection: clientConnection });
  const taskQueue = 'dev-server-test';
  const intake: IntakeDeps = {
    prisma: db.prisma,
    temporal: client,
    taskQueue,
    settings: { reminderWorkingDays: 2, secondLevelWorkingDays: 5, secondLevelRole: 'head-of-service' },
  };
  const worker = await testWorker({ connection, taskQueue, prisma: db.prisma, smtpPort: smtp.port });
  try {
    await worker.runUntil(async () => {
      const planId = 'CAM-E2E-0001';
      await registerPlan(
        intake,
        newPlan(planId, addDays(londonDateAt(Date.now()), -25), 'camden'),
        londonDateAt(Date.now()),
      );
      await eventually(() =>
        expect(smtp.messages.filter((m) => m.corewatchKey === `${planId}|first-core-group|escalation`)).toHaveLength(1),
      );
      const escalation = smtp.messages.find((m) => m.corewatchKey === `${planId}|first-core-group|escalation`)!;
      expect(escalation.to.sort()).toEqual([PEOPLE.chair.email, PEOPLE.teamManager.email].sort());
      // 25 days late is past the second-level threshold too: the head of service is told in the same wake-up.
      await eventually(async () => {
        const status = await client.workflow.getHandle(planWorkflowId(planId)).query(planStatusQuery);
        expect(status.escalation['first-core-group']).toBe('second-level');
      });
      expect(
        smtp.to(PEOPLE.headOfService.email).filter((m) => m.corewatchKey.includes('first-core-group')),
      ).toHaveLength(1);
      // Registering again (a retried request) starts nothing new and sends nothing more.
      await registerPlan(
        intake,
        newPlan(planId, addDays(londonDateAt(Date.now()), -25), 'camden'),
        londonDateAt(Date.now()),
      );
      await new Promise((r) => setTimeout(r, 1000));
      expect(smtp.messages.filter((m) => m.corewatchKey === `${planId}|first-core-group|escalation`)).toHaveLength(1);
      await client.workflow.getHandle(planWorkflowId(planId)).terminate('test finished');
    });
  } finally {
    await clientConnection.close();
    await connection.close();
  }
});
