/**
 * Fault scenario 2: the SMTP server refuses connections for a period (its port closed), then returns. Nothing is
 * lost, everything due is delivered after it returns, nothing twice, and the outage is visible meanwhile: in the
 * worker's log, in GET /metrics, and on the dashboard's escalations page.
 *
 * Real parts: the Temporal dev server, PostgreSQL, an SMTP server on loopback, the worker and the HTTP server as
 * child processes. The outage begins once a fifth of the burst has arrived and lasts 45 s.
 */
import { Client, Connection } from '@temporalio/client';
import { addWorkingDays, londonDateAt } from '../../domain/calendar';
import { getPolicy } from '../../domain/policies';
import { createPlan } from '../../services/plan-data';
import { startPlanWorkflow } from '../../services/plan-intake';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { freePort, startDevServer, type DevServer } from '../support/dev-server';
import { eventually } from '../support/eventually';
import { newPlan, seedPartnership } from '../support/fixtures';
import { SmtpCatcher } from '../support/smtp';
import { dueIntents, SETTINGS, tally, tallyFigures } from './support/mail';
import { serverListening, sleep, startCorewatch, workerRunning, type RunningProcess } from './support/processes';
import { report } from './support/report';
import { corewatchEnv, inParallel, managerSession, scrape } from './support/scenario';

const PLANS = 150;
const OUTAGE_MS = 45_000;
const TASK_QUEUE = 'faults-smtp-outage';
const METRICS_TOKEN = 'faults-metrics-token-0123456789abcdef012345';

let db: TestDatabase;
let temporal: DevServer;
let smtp: SmtpCatcher;
let connection: Connection;
let worker: RunningProcess | undefined;
let server: RunningProcess | undefined;

beforeAll(async () => {
  // One after the other, so a part that fails to start leaves the others assigned for afterAll to stop.
  temporal = await startDevServer();
  db = await createTestDatabase('faults_smtp_outage');
  await seedPartnership(db.prisma);
  smtp = new SmtpCatcher();
  await smtp.start();
  connection = await Connection.connect({ address: temporal.address });
});

afterAll(async () => {
  await worker?.kill('SIGKILL');
  await server?.kill('SIGKILL');
  await connection?.close();
  temporal?.stop();
  await smtp?.stop();
  await db?.drop();
});

it('loses nothing while SMTP refuses connections, delivers everything once after, and shows the outage', async () => {
  const today = londonDateAt(Date.now());
  const startedOn = addWorkingDays(today, -12);
  const ids = Array.from({ length: PLANS }, (_, i) => `SMTP-${String(i + 1).padStart(4, '0')}`);
  const perPlan = dueIntents(getPolicy('england'), { startedOn, events: [] }, today);
  const expected = new Set(ids.flatMap((id) => perPlan.map((i) => `${id}|${i.key}`)));
  const mine = (key: string) => key.startsWith('SMTP-');
  await inParallel(ids, 4, (id) => createPlan(db.prisma, newPlan(id, startedOn), today));
  const cookie = await managerSession(db.prisma);

  const httpPort = await freePort();
  const baseUrl = `http://127.0.0.1:${httpPort}`;
  const env = corewatchEnv({
    databaseUrl: db.url,
    temporalAddress: temporal.address,
    taskQueue: TASK_QUEUE,
    smtpPort: smtp.port,
    httpPort,
    metricsToken: METRICS_TOKEN,
  });
  server = startCorewatch('smtp-outage-server', ['serve'], env);
  worker = startCorewatch('smtp-outage-worker', ['worker'], env);
  await Promise.all([serverListening(baseUrl), workerRunning(worker)]);
  const intake = { prisma: db.prisma, temporal: new Client({ connection }), taskQueue: TASK_QUEUE, settings: SETTINGS };
  await inParallel(ids, 16, (id) => startPlanWorkflow(intake, id));

  const received = () => smtp.messages.filter((m) => mine(m.corewatchKey)).length;
  await eventually(
    () => {
      if (received() < expected.size / 5) throw new Error('the burst has not begun');
    },
    120_000,
    20,
  );
  await smtp.goDown();
  const downAt = Date.now();
  const receivedBeforeOutage = received();

  // While it is down: the failures show in the metrics and on the escalations page.
  await sleep(OUTAGE_MS / 2);
  const during = await scrape(baseUrl, METRICS_TOKEN);
  const page = await (await fetch(`${baseUrl}/escalations`, { headers: cookie })).text();
  const failingRows = [...page.matchAll(/data-testid="delivery-status">failing, retrying</g)].length;
  const refusedShown = /data-testid="delivery-problem">[^<]*ECONNREFUSED/.test(page);
  await sleep(Math.max(0, downAt + OUTAGE_MS - Date.now()));
  const receivedDuringOutage = received() - receivedBeforeOutage;

  await smtp.comeBack();
  const backAt = Date.now();
  await eventually(
    () => {
      const t = tally(expected, smtp.messages, mine);
      if (t.lost > 0) throw new Error(`${t.lost} not received yet`);
    },
    180_000,
    100,
  );
  const lastArrival = Math.max(...smtp.messages.map((m, i) => (mine(m.corewatchKey) ? smtp.receivedAt[i]! : 0)));
  await sleep(10_000); // anything sent twice would arrive by now
  const after = await scrape(baseUrl, METRICS_TOKEN);
  const workerLog = worker.output();
  await Promise.all([worker.kill('SIGTERM'), server.kill('SIGTERM')]);

  const t = tally(expected, smtp.messages, mine);
  const smtpFailures = await db.prisma.notificationAttempt.count({ where: { outcome: 'failed' } });
  const refusalsLogged = (workerLog.match(/ECONNREFUSED/g) ?? []).length;
  report(`2. SMTP refusing connections for ${OUTAGE_MS / 1000} s during a burst of ${PLANS} plans`, {
    ...tallyFigures(t),
    'received before the outage': receivedBeforeOutage,
    'received during the outage': receivedDuringOutage,
    'failed send attempts recorded': smtpFailures,
    'worker log lines naming ECONNREFUSED': refusalsLogged,
    'metrics during: notifications failed': during.get('corewatch_notifications{status="failed"}') ?? 'missing',
    'metrics during: smtp failures total': during.get('corewatch_smtp_failures_total') ?? 'missing',
    'escalations page during: rows failing, retrying': failingRows,
    'metrics after: notifications failed / sent': `${after.get('corewatch_notifications{status="failed"}')} / ${after.get('corewatch_notifications{status="sent"}')}`,
    'SMTP back to last email (s)': ((lastArrival - backAt) / 1000).toFixed(1),
  });

  expect(t.lostKeys).toEqual([]);
  expect(t.duplicatedKeys).toEqual([]);
  expect(t.unexpectedKeys).toEqual([]);
  expect(receivedDuringOutage).toBe(0);
  expect(receivedBeforeOutage).toBeLessThan(expected.size);
  expect(smtpFailures).toBeGreaterThan(0);
  expect(refusalsLogged).toBeGreaterThan(0);
  expect(during.get('corewatch_notifications{status="failed"}')).toBeGreaterThan(0);
  expect(during.get('corewatch_smtp_failures_total')).toBeGreaterThan(0);
  expect(failingRows).toBeGreaterThan(0);
  expect(refusedShown).toBe(true);
  expect(after.get('corewatch_notifications{status="failed"}')).toBe(0);
  expect(after.get('corewatch_notifications{status="sent"}')).toBe(expected.size);
});
