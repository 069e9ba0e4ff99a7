/**
 * The monthly audit on the real Temporal server: the Schedule exists once the worker starts; a report runs on demand,
 * is stored with its checksum and row counts, and the partnership's auditors get one email with a link (never the
 * workbook); the Schedule's own run produces last month's workbook for partnerships that have none.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection, ScheduleOverlapPolicy } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { addDays, londonDateAt } from '../../domain/calendar';
import { auditMonthDueOn, previousMonth } from '../../domain/report-months';
import { MONTHLY_AUDIT_SCHEDULE_ID, ensureSchedules } from '../../worker/schedules';
import { monthlyReportWorkflow } from '../../workflows/monthly-report';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startDevServer, type DevServer } from '../support/dev-server';
import { eventually } from '../support/eventually';
import { CHILD_NAME, PEOPLE, planRow, seedPartnership } from '../support/fixtures';
import { SmtpCatcher } from '../support/smtp';
import { testWorker } from '../support/worker';

const TASK_QUEUE = 'monthly-report-test';
const AUDITOR = { id: 'p-auditor', name: 'Ada Auditor', email: 'ada.auditor@council.test' };

let server: DevServer;
let db: TestDatabase;
let smtp: SmtpCatcher;
let nativeConnection: NativeConnection;
let client: Client;
let worker: Worker;
let running: Promise<void>;
let reportsDir: string;

beforeAll(async () => {
  [server, db] = await Promise.all([startDevServer(), createTestDatabase('monthly_report')]);
  await seedPartnership(db.prisma, 'england');
  await db.prisma.person.create({ data: { ...AUDITOR, partnershipId: 'testshire' } });
  await db.prisma.partnershipMember.create({
    data: { partnershipId: 'testshire', personId: AUDITOR.id, role: 'auditor' },
  });
  await seedPlans(db);
  smtp = new SmtpCatcher();
  await smtp.start();
  reportsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corewatch-reports-'));

  nativeConnection = await NativeConnection.connect({ address: server.address });
  client = new Client({ connection: await Connection.connect({ address: server.address }) });
  await ensureSchedules(client, TASK_QUEUE);
  worker = await testWorker({
    connection: nativeConnection,
    taskQueue: TASK_QUEUE,
    prisma: db.prisma,
    smtpPort: smtp.port,
    reportsDir,
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await client?.connection.close();
  await nativeConnection?.close();
  server?.stop();
  await smtp?.stop();
  await db?.drop();
  fs.rmSync(reportsDir, { recursive: true, force: true });
});

it('has the monthly Schedule: 07:00 Europe/London on the first days of the month, overlaps skipped, missed runs caught up', async () => {
  const schedule = await client.schedule.getHandle(MONTHLY_AUDIT_SCHEDULE_ID).describe();
  expect(schedule.spec.timezone).toBe('Europe/London');
  expect(schedule.spec.calendars?.[0]).toMatchObject({
    hour: [{ start: 7, end: 7, step: 1 }],
    minute: [{ start: 0, end: 0, step: 1 }],
  });
  expect(schedule.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
  expect(schedule.policies.catchupWindow).toBe(7 * 24 * 3600 * 1000);
  expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: 'scheduledMonthlyAuditWorkflow' });
  // Creating the schedules again (a second worker starting) is harmless.
  await ensureSchedules(client, TASK_QUEUE);
});

it('produces a workbook on demand, registers it with its checksum, and emails the auditors a link once', async () => {
  const month = previousMonth(londonDateAt(Date.now()).slice(0, 7));
  const report = await client.workflow.execute(monthlyReportWorkflow, {
    workflowId: `report-testshire-${month}-on-demand`,
    taskQueue: TASK_QUEUE,
    args: [{ partnershipId: 'testshire', month }],
  });

  const bytes = fs.readFileSync(report.filePath);
  expect(createHash('sha256').update(bytes).digest('hex')).toBe(report.checksum);
  expect(path.dirname(report.filePath).startsWith(reportsDir)).toBe(true);
  expect(fs.readdirSync(path.dirname(report.filePath)).filter((f) => f.includes('.partial'))).toEqual([]);
  const row = await db.prisma.monthlyReport.findUniqueOrThrow({ where: { id: report.reportId } });
  expect(row).toMatchObject({
    status: 'complete',
    month,
    checksum: report.checksum,
    byteSize: bytes.length,
    partnershipId: 'testshire',
  });
  expect((row.rowCounts as Record<string, number>)['Plans']).toBe(2);

  await eventually(() => expect(smtp.to(AUDITOR.email)).toHaveLength(1));
  const mail = smtp.to(AUDITOR.email)[0]!;
  expect(mail.subject).toContain('Monthly audit workbook ready');
  expect(mail.body).toContain(`http://corewatch.test/reports/${report.reportId}/download`);
  expect(mail.raw).not.toMatch(/Content-Disposition:\s*attachment/i);
  expect(mail.raw).not.toContain(CHILD_NAME);
  expect(smtp.to(PEOPLE.socialWorker.email)).toHaveLength(0);
});

it("runs the Schedule's action on demand: last month's workbook for every partnership without one", async () => {
  const month = auditMonthDueOn(londonDateAt(Date.now()));
  // On the first days of a month before its first working day there is nothing due; the rule is unit-tested.
  if (month === undefined) return;
  await db.prisma.partnership.create({ data: { id: 'otherbury', name: 'Otherbury Partnership', policyId: 'camden' } });
  await client.schedule.getHandle(MONTHLY_AUDIT_SCHEDULE_ID).trigger();
  await eventually(
    async () => {
      const complete = await db.prisma.monthlyReport.findMany({ where: { month, status: 'complete' } });
      expect(complete.map((r) => r.partnershipId).sort()).toEqual(['otherbury', 'testshire']);
    },
    60_000,
    500,
  );
});

it('`corewatch report` runs the same workflow on demand, shows progress and writes the workbook to --out', async () => {
  const month = previousMonth(londonDateAt(Date.now()).slice(0, 7));
  const out = path.join(reportsDir, 'from-cli.xlsx');
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    execFile(
      process.execPath,
      ['cli/corewatch.js', 'report', '--partnership', 'testshire', '--month', month, '--out', out],
      {
        cwd: path.resolve(__dirname, '..', '..'),
        env: {
          ...process.env,
          TEMPORAL_ADDRESS: server.address,
          TEMPORAL_TASK_QUEUE: TASK_QUEUE,
          DATABASE_URL: db.url,
        },
      },
      (error, stdout, stderr) =>
        error ? reject(Object.assign(new Error(error.message), { stdout, stderr })) : resolve({ stdout, stderr }),
    );
  });
  const printed = JSON.parse(stdout) as {
    reportId: string;
    file: string;
    checksum: string;
    rows: Record<string, number>;
  };
  expect(printed.file).toBe(out);
  expect(createHash('sha256').update(fs.readFileSync(out)).digest('hex')).toBe(printed.checksum);
  expect(printed.rows['Plans']).toBe(2);
  expect(stderr).toMatch(/\[#+-*\]\s+\d+%/);
  const stored = await db.prisma.monthlyReport.findUniqueOrThrow({ where: { id: printed.reportId } });
  expect(stored).toMatchObject({ status: 'complete', checksum: printed.checksum });
});

it('`corewatch report` refuses a bad month with exit code 2, naming the option', async () => {
  const failure = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['cli/corewatch.js', 'report', '--partnership', 'testshire', '--month', '2026-13'],
      { cwd: path.resolve(__dirname, '..', '..') },
      (error, _stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stderr }),
    );
  });
  expect(failure.code).toBe(2);
  expect(failure.stderr).toContain('--month: "2026-13" is not a month');
});

/** Two plans open last month and one that ended long before: the workbook's Plans sheet has two rows. */
async function seedPlans(database: TestDatabase): Promise<void> {
  const today = londonDateAt(Date.now());
  const plans = [
    { id: 'TST-0001', startedOn: addDays(today, -60), endedOn: null },
    { id: 'TST-0002', startedOn: addDays(today, -40), endedOn: null },
    { id: 'TST-0003', startedOn: addDays(today, -900), endedOn: addDays(today, -700) },
  ];
  for (const p of plans) {
    await database.prisma.plan.create({
      data: {
        ...planRow(p.id, p.startedOn),
        endedOn: p.endedOn ? new Date(`${p.endedOn}T00:00:00Z`) : null,
        initialCategory: 'neglect',
        roles: { create: [{ personId: PEOPLE.socialWorker.id, role: 'social-worker', agency: 'social-care' }] },
      },
    });
  }
  await database.prisma.planEvent.create({
    data: {
      id: 'e-1',
      planId: 'TST-0001',
      type: 'core-group-held',
      on: new Date(`${addDays(today, -50)}T00:00:00Z`),
      payload: { type: 'core-group-held', on: addDays(today, -50), parentsPresent: true },
    },
  });
}
