/**
 * Fault scenario 4: the Temporal server is stopped, with plans waiting on timers, and started again after the timers
 * were due. The timers fire once it is back (nothing lost with it: its history is in a file, `--db-filename`), and
 * events accepted by the API while it was away are delivered to their plans: one kind owes an escalation at once
 * (parental non-engagement), the other meets the deadline the timer was waiting for (a core group held before it
 * passed), and its escalation must not be sent, whichever of the timer and the late signal reaches the workflow first.
 *
 * A timer that falls due in a minute: the worker runs a workflow bundle whose clock is shifted so that a London
 * midnight falls a minute from now (test/faults/support/shifted-clock.ts); every plan's first core group is due on
 * the shifted "today", so its escalation is owed at that midnight. Everything else is real: the dev server, the
 * worker and the HTTP server as child processes, PostgreSQL, SMTP on loopback.
 */
import { Client, Connection } from '@temporalio/client';
import { addDays, addWorkingDays, isWorkingDay, londonDateAt, londonStartOfDay } from '../../domain/calendar';
import { evaluatePlan } from '../../domain/obligations';
import { getPolicy } from '../../domain/policies';
import type { IdentifiedEvent, IsoDate } from '../../domain/types';
import { issueApiToken } from '../../services/api-tokens';
import { createPlan } from '../../services/plan-data';
import { startPlanWorkflow } from '../../services/plan-intake';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { freePort } from '../support/dev-server';
import { eventually } from '../support/eventually';
import { newPlan, seedPartnership } from '../support/fixtures';
import { SmtpCatcher } from '../support/smtp';
import { dueIntents, SETTINGS, tally, tallyFigures } from './support/mail';
import { serverListening, sleep, startCorewatch, workerRunning, type RunningProcess } from './support/processes';
import { report } from './support/report';
import { corewatchEnv, inParallel } from './support/scenario';
import { bundleWithShiftedClock } from './support/shifted-clock';
import { RestartableTemporal } from './support/temporal-server';

const PLANS = 20;
const TASK_QUEUE = 'faults-temporal-restart';
/** From the start of the test to the shifted midnight: time to bundle, start, register and send what is due today. */
const MIDNIGHT_AFTER_MS = 75_000;
/** How long the server stays down after the timers were due. */
const DOWN_PAST_MIDNIGHT_MS = 20_000;

let db: TestDatabase;
let temporal: RestartableTemporal;
let smtp: SmtpCatcher;
let worker: RunningProcess | undefined;
let server: RunningProcess | undefined;

beforeAll(async () => {
  temporal = new RestartableTemporal('temporal-restart');
  await temporal.start();
  db = await createTestDatabase('faults_temporal_restart');
  await seedPartnership(db.prisma);
  smtp = new SmtpCatcher();
  await smtp.start();
});

afterAll(async () => {
  await worker?.kill('SIGKILL');
  await server?.kill('SIGKILL');
  await temporal?.stop();
  await smtp?.stop();
  await db?.drop();
});

/** The day a plan's first core group is due on, for a plan started on `startedOn`. */
function firstCoreGroupDue(startedOn: IsoDate): IsoDate {
  const plan = { type: 'child-protection' as const, startedOn };
  return evaluatePlan({ policy: getPolicy('england'), plan, events: [] }, startedOn).find(
    (o) => o.kind === 'first-core-group',
  )!.due;
}

it('fires the timers once the server is back, delivers the events accepted meanwhile, and sends nothing met in time', async () => {
  const midnightAt = Date.now() + MIDNIGHT_AFTER_MS;
  // The shifted today: a working day on or before today, so events dated on it are accepted by the API today.
  const realToday = londonDateAt(Date.now());
  const day = isWorkingDay(realToday) ? realToday : addWorkingDays(realToday, -1);
  const offsetMs = londonStartOfDay(addDays(day, 1)) - midnightAt;
  let startedOn = addDays(day, -30);
  while (firstCoreGroupDue(startedOn) !== day) startedOn = addDays(startedOn, 1);

  const bundle = await bundleWithShiftedClock(offsetMs);
  const httpPort = await freePort();
  const baseUrl = `http://127.0.0.1:${httpPort}`;
  const env = corewatchEnv({
    databaseUrl: db.url,
    temporalAddress: temporal.address,
    taskQueue: TASK_QUEUE,
    smtpPort: smtp.port,
    httpPort,
  });
  worker = startCorewatch('temporal-restart-worker', ['worker'], { ...env, TEMPORAL_WORKFLOW_BUNDLE: bundle });
  server = startCorewatch('temporal-restart-server', ['serve'], env);
  await Promise.all([workerRunning(worker), serverListening(baseUrl)]);

  // Half the plans will have a core group held (meeting the deadline), half a parent's non-engagement reported.
  const ids = Array.from({ length: PLANS }, (_, i) => `TMP-${String(i + 1).padStart(3, '0')}`);
  const held = ids.filter((_, i) => i % 2 === 0);
  const eventOf = (id: string): IdentifiedEvent =>
    held.includes(id)
      ? { id: `held-${id}`, type: 'core-group-held', on: day }
      : { id: `nonengagement-${id}`, type: 'non-engagement-reported', on: day, detail: 'No answer at the door.' };
  await inParallel(ids, 4, (id) => createPlan(db.prisma, newPlan(id, startedOn), day));
  const connection = await Connection.connect({ address: temporal.address });
  try {
    const intake = {
      prisma: db.prisma,
      temporal: new Client({ connection }),
      taskQueue: TASK_QUEUE,
      settings: SETTINGS,
    };
    await inParallel(ids, 8, (id) => startPlanWorkflow(intake, id));
  } finally {
    await connection.close();
  }

  // What is due on the shifted today goes out now; the escalations wait on a timer for the shifted midnight.
  const policy = getPolicy('england');
  const firstDay = new Map(ids.map((id) => [id, dueIntents(policy, { startedOn, events: [] }, day)]));
  const firstKeys = new Set(ids.flatMap((id) => firstDay.get(id)!.map((i) => `${id}|${i.key}`)));
  const mine = (key: string) => key.startsWith('TMP-');
  await eventually(
    () => {
      if (tally(firstKeys, smtp.messages, mine).lost > 0) throw new Error("today's notifications not all sent yet");
    },
    60_000,
    100,
  );
  const timersLeft = midnightAt - Date.now();
  expect(timersLeft).toBeGreaterThan(10_000); // the setup must leave the timers pending when the server stops

  await temporal.stop();
  const stoppedAt = Date.now();

  // While Temporal is away, the case system posts its events: accepted (202), stored with their delivery rows.
  const { token } = await issueApiToken(db.prisma, {
    name: 'case-system',
    partnershipId: 'testshire',
    scopes: ['events:write'],
  });
  const answers = await Promise.all(
    ids.map(async (id) => {
      const res = await fetch(`${baseUrl}/api/v1/plans/${id}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(eventOf(id)),
      });
      return res.status;
    }),
  );
  await sleep(Math.max(0, midnightAt + DOWN_PAST_MIDNIGHT_MS - Date.now()));
  const pendingWhileDown = await db.prisma.eventDelivery.count({ where: { deliveredAt: null } });
  const workerAliveWhileDown = (await Promise.race([worker.exited, sleep(1).then(() => 'running')])) === 'running';

  const restartedAt = Date.now();
  await temporal.start();

  // After midnight, with each plan's event: the escalations owed, and none for a deadline met before it passed.
  const nextDay = addDays(day, 1);
  const afterKeys = new Set(
    ids.flatMap((id) => {
      const sent = new Set(firstDay.get(id)!.map((i) => i.key));
      return dueIntents(policy, { startedOn, events: [eventOf(id)] }, nextDay, sent).map((i) => `${id}|${i.key}`);
    }),
  );
  const expected = new Set([...firstKeys, ...afterKeys]);
  await eventually(
    () => {
      if (tally(expected, smtp.messages, mine).lost > 0) throw new Error('not all delivered yet');
    },
    180_000,
    100,
  );
  const arrivals = smtp.messages
    .map((m, i) => ({ key: m.corewatchKey, at: smtp.receivedAt[i]! }))
    .filter((m) => afterKeys.has(m.key));
  await sleep(15_000); // anything further (a duplicate, an escalation met in time) would arrive by now
  const delivered = await db.prisma.eventDelivery.count({ where: { deliveredAt: { not: null } } });
  /** How many of the plans' send activities answered `not-owed`, from their histories on the server. */
  async function notOwedAnswers(planIds: readonly string[]): Promise<number> {
    const connection = await Connection.connect({ address: temporal.address });
    try {
      let count = 0;
      for (const id of planIds) {
        const history = await connection.workflowService.getWorkflowExecutionHistory({
          namespace: 'default',
          execution: { workflowId: `plan-${id}` },
        });
        for (const e of history.history?.events ?? []) {
          const data = e.activityTaskCompletedEventAttributes?.result?.payloads?.[0]?.data;
          if (data && Buffer.from(data).toString('utf8') === '"not-owed"') count += 1;
        }
      }
      return count;
    } finally {
      await connection.close();
    }
  }
  await Promise.all([worker.kill('SIGTERM'), server.kill('SIGTERM')]);

  const t = tally(expected, smtp.messages, mine);
  const metInTime = smtp.messages.filter((m) =>
    held.some((id) => m.corewatchKey === `${id}|first-core-group|escalation`),
  ).length;
  const notOwed = await notOwedAnswers(held);
  report(
    `4. Temporal stopped for ${((restartedAt - stoppedAt) / 1000).toFixed(0)} s with ${PLANS} plans waiting on timers due while it was away`,
    {
      ...tallyFigures(t),
      'events posted while it was down: answered 202': answers.filter((s) => s === 202).length,
      'deliveries pending while it was down': pendingWhileDown,
      'deliveries done after it returned': delivered,
      'worker process alive through the outage': workerAliveWhileDown ? 'yes' : 'no',
      'timers due before the restart (s)': (DOWN_PAST_MIDNIGHT_MS / 1000).toFixed(0),
      'restart to first timer-driven email (s)': (
        (Math.min(...arrivals.map((a) => a.at)) - restartedAt) /
        1000
      ).toFixed(1),
      'restart to last (s)': ((Math.max(...arrivals.map((a) => a.at)) - restartedAt) / 1000).toFixed(1),
      'escalations sent for a deadline met in time': metInTime,
      'timers pending when it stopped (s)': (timersLeft / 1000).toFixed(0),
      'sends answered not-owed (the timer won the race; the stored facts stopped it)': notOwed,
    },
  );

  expect(answers.every((s) => s === 202)).toBe(true);
  expect(pendingWhileDown).toBe(PLANS);
  expect(delivered).toBe(PLANS);
  expect(afterKeys.size).toBeGreaterThan(0);
  expect(arrivals.every((a) => a.at >= restartedAt)).toBe(true);
  expect(t.lostKeys).toEqual([]);
  expect(t.duplicatedKeys).toEqual([]);
  expect(t.unexpectedKeys).toEqual([]);
  expect(metInTime).toBe(0);
});
