/**
 * The same path as README command 1, on the real Temporal server (the CLI's dev server, built by scripts/setup.sh)
 * rather than the time-skipping test server: a plan registered 25 days after its conference, with no core group,
 * escalates to the team manager and the conference chair within seconds of the worker starting, exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import nodemailer from 'nodemailer';
import { addDays, londonDateAt } from '../../domain/calendar';
import { registerPlan, type IntakeDeps } from '../../services/plan-intake';
import { createPlanWorker } from '../../worker/create-worker';
import { planStatusQuery, planWorkflowId } from '../../workflows/plan';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { eventually } from '../support/eventually';
import { PEOPLE, newPlan, seedPartnership } from '../support/fixtures';
import { SmtpCatcher } from '../support/smtp';
import { sharedTestEnv } from '../support/temporal';

const TEMPORAL_CLI = path.join(process.env.COREWATCH_TOOLS ?? path.join(os.homedir(), '.cache', 'corewatch'), 'bin', 'temporal');

let server: ChildProcess;
let address: string;
let db: TestDatabase;
let smtp: SmtpCatcher;

beforeAll(async () => {
  const port = await freePort();
  address = `127.0.0.1:${port}`;
  // In-memory history and no UI: this test needs the engine, not persistence.
  server = spawn(TEMPORAL_CLI, ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--headless', '--log-level', 'error'], {
    stdio: 'ignore',
  });
  db = await createTestDatabase('dev_server');
  await seedPartnership(db.prisma, 'camden');
  smtp = new SmtpCatcher();
  await smtp.start();
  // A cold start on a busy two-core machine can exceed the SDK's 5 s; wait for the server to answer instead.
  await eventually(async () => {
    const connection = await Connection.connect({ address, connectTimeout: 1000 });
    await connection.workflowService.getSystemInfo({});
    await connection.close();
  }, 60_000, 250);
});

afterAll(async () => {
  server?.kill('SIGTERM');
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
  const worker = await createPlanWorker({
    connection,
    namespace: 'default',
    taskQueue,
    workflowBundlePath: sharedTestEnv().workflowBundlePath,
    deps: {
      prisma: db.prisma,
      mailer: nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true }),
      mailFrom: 'corewatch@council.test',
      publicBaseUrl: 'http://corewatch.test',
    },
  });
  try {
    await worker.runUntil(async () => {
      const planId = 'CAM-E2E-0001';
      await registerPlan(intake, newPlan(planId, addDays(londonDateAt(Date.now()), -25), 'camden'));
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
      expect(smtp.to(PEOPLE.headOfService.email).filter((m) => m.corewatchKey.includes('first-core-group'))).toHaveLength(1);
      // Registering again (a retried request) starts nothing new and sends nothing more.
      await registerPlan(intake, newPlan(planId, addDays(londonDateAt(Date.now()), -25), 'camden'));
      await new Promise((r) => setTimeout(r, 1000));
      expect(smtp.messages.filter((m) => m.corewatchKey === `${planId}|first-core-group|escalation`)).toHaveLength(1);
      await client.workflow.getHandle(planWorkflowId(planId)).terminate('test finished');
    });
  } finally {
    await clientConnection.close();
    await connection.close();
  }
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
