/**
 * Fault scenario 5: a new worker version with a changed rule is deployed while plans run. Camden's first core group
 * deadline goes from 10 working days to 5 (test/support/bumped-policies.ts). As README documents, a plan keeps the
 * rules it was registered under and a plan registered after the deploy gets the new ones. So, for two plans started
 * on the same day (8 working days ago):
 *   OLD, registered and run by the old worker, which reminds its social worker (the first core group is due in 2
 *     working days); after the deploy the new worker takes it over (replaying its history: no nondeterminism) and
 *     sends no escalation;
 *   NEW, registered through the new server after the deploy: due 5 working days after the start, so 3 days overdue,
 *     and escalated at once.
 * The histories written by both versions replay against the new code, and neither shows a failed workflow task.
 *
 * Real processes: the old worker (`corewatch worker` as it is), then the new worker and the new HTTP server
 * (`corewatch worker|serve` with the bumped registry loaded in place of the real one, and the workflows bundled
 * with it), on the Temporal dev server, PostgreSQL and SMTP on loopback.
 */
import { Client, Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { addWorkingDays, londonDateAt } from '../../domain/calendar';
import { evaluatePlan } from '../../domain/obligations';
import { camden } from '../../domain/policies/camden';
import type { IdentifiedEvent, IsoDate, Policy } from '../../domain/types';
import { issueApiToken } from '../../services/api-tokens';
import { createPlan } from '../../services/plan-data';
import { startPlanWorkflow } from '../../services/plan-intake';
import { planStatusQuery, planWorkflowId } from '../../workflows/plan';
import { BUMPED_CAMDEN, BUMPED_CAMDEN_RULES, RETIRED_CAMDEN_RULES } from '../support/bumped-policies';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { freePort, startDevServer, type DevServer } from '../support/dev-server';
import { eventually } from '../support/eventually';
import { PEOPLE, newPlan, seedPartnership } from '../support/fixtures';
import { SmtpCatcher } from '../support/smtp';
import { bundleWorkflowsWith, type TestWorkflowBundle } from '../support/workflow-bundle';
import { dueIntents, SETTINGS, tally, tallyFigures } from './support/mail';
import { serverListening, sleep, startCorewatch, workerRunning, type RunningProcess } from './support/processes';
import { report } from './support/report';
import { corewatchEnv } from './support/scenario';

const TASK_QUEUE = 'faults-worker-version';
const DEPLOY = [require.resolve('./support/deploy-bumped-policies')];

let db: TestDatabase;
let temporal: DevServer;
let smtp: SmtpCatcher;
let connection: Connection;
let bumpedBundle: TestWorkflowBundle;
const processes: RunningProcess[] = [];

beforeAll(async () => {
  // One after the other, so a part that fails to start leaves the others assigned for afterAll to stop.
  temporal = await startDevServer();
  db = await createTestDatabase('faults_worker_version');
  bumpedBundle = await bundleWorkflowsWith({
    [require.resolve('../../domain/policies')]: require.resolve('../support/bumped-policies'),
  });
  await seedPartnership(db.prisma, 'camden');
  smtp = new SmtpCatcher();
  await smtp.start();
  connection = await Connection.connect({ address: temporal.address });
});

afterAll(async () => {
  for (const p of processes) await p.kill('SIGKILL');
  await connection?.close();
  temporal?.stop();
  await smtp?.stop();
  await db?.drop();
  bumpedBundle?.remove();
});

function dues(obligations: ReadonlyArray<{ key: string; due: string }>): Record<string, string> {
  return Object.fromEntries(obligations.map((o) => [o.key, o.due]));
}

function duesUnder(policy: Policy, startedOn: IsoDate, events: IdentifiedEvent[], asOf: IsoDate) {
  return dues(evaluatePlan({ policy, plan: { type: 'child-protection', startedOn }, events }, asOf));
}

it('replays the old plans under the new worker without nondeterminism, keeping their rules; new plans get the new rule', async () => {
  const today = londonDateAt(Date.now());
  const startedOn = addWorkingDays(today, -8);
  const client = new Client({ connection });
  const env = corewatchEnv({
    databaseUrl: db.url,
    temporalAddress: temporal.address,
    taskQueue: TASK_QUEUE,
    smtpPort: smtp.port,
  });

  // Before the deploy: the old worker runs OLD, registered by the code as it is.
  const oldWorker = startCorewatch('worker-version-old', ['worker'], env);
  processes.push(oldWorker);
  await workerRunning(oldWorker);
  await createPlan(db.prisma, newPlan('OLD', startedOn, 'camden'), today);
  await startPlanWorkflow({ prisma: db.prisma, temporal: client, taskQueue: TASK_QUEUE, settings: SETTINGS }, 'OLD');
  const oldFirst = dueIntents(camden, { startedOn, events: [] }, today).map((i) => `OLD|${i.key}`);
  expect(oldFirst).toContain('OLD|first-core-group|reminder');
  await eventually(() => expect(tally(new Set(oldFirst), smtp.messages, (k) => k.startsWith('OLD|')).lost).toBe(0));
  await eventually(async () =>
    expect((await client.workflow.getHandle(planWorkflowId('OLD')).query(planStatusQuery)).sent.length).toBe(
      oldFirst.length,
    ),
  );

  // The deploy: the old worker stops as a deploy stops it; the new worker and server start with the bumped rules.
  const stopped = await oldWorker.kill('SIGTERM');
  const httpPort = await freePort();
  const baseUrl = `http://127.0.0.1:${httpPort}`;
  const newWorker = startCorewatch(
    'worker-version-new',
    ['worker'],
    { ...env, TEMPORAL_WORKFLOW_BUNDLE: bumpedBundle.path },
    DEPLOY,
  );
  const newServer = startCorewatch(
    'worker-version-server',
    ['serve'],
    { ...env, HTTP_HOST: '127.0.0.1', HTTP_PORT: String(httpPort) },
    DEPLOY,
  );
  processes.push(newWorker, newServer);
  await Promise.all([workerRunning(newWorker), serverListening(baseUrl)]);

  // After it: NEW through the new server's API, and one more event for OLD (the new worker takes OLD over).
  const { token } = await issueApiToken(db.prisma, {
    name: 'case-system',
    partnershipId: 'testshire',
    scopes: ['plans:write', 'events:write'],
  });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const created = await fetch(`${baseUrl}/api/v1/plans`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      reference: 'NEW',
      teamId: 'team-a',
      child: { localChildId: 'LCID-0002' },
      policy: 'camden',
      type: 'child-protection',
      startedOn,
      people: Object.values(PEOPLE).map((p) => ({ personId: p.id, role: p.role })),
    }),
  });
  const seen: IdentifiedEvent = { id: 'old-seen', type: 'child-seen', on: today };
  const posted = await fetch(`${baseUrl}/api/v1/plans/OLD/events`, {
    method: 'POST',
    headers,
    body: JSON.stringify(seen),
  });

  const newKeys = dueIntents(BUMPED_CAMDEN, { startedOn, events: [] }, today).map((i) => `NEW|${i.key}`);
  const oldAfter = dueIntents(
    camden,
    { startedOn, events: [seen] },
    today,
    new Set(oldFirst.map((k) => k.slice(4))),
  ).map((i) => `OLD|${i.key}`);
  const expected = new Set([...oldFirst, ...oldAfter, ...newKeys]);
  const mine = (k: string) => k.startsWith('OLD|') || k.startsWith('NEW|');
  await eventually(() => expect(tally(expected, smtp.messages, mine).lost).toBe(0), 60_000);
  // The new worker has OLD's event: it replayed OLD's history to get there.
  const oldStatus = await eventually(async () => {
    const status = await client.workflow.getHandle(planWorkflowId('OLD')).query(planStatusQuery);
    expect(status.eventCount).toBe(1);
    return status;
  }, 60_000);
  const newStatus = await client.workflow.getHandle(planWorkflowId('NEW')).query(planStatusQuery);
  await sleep(5_000); // anything further would arrive by now

  // Every history, written by either version, replays against the new code; none records a failed workflow task.
  const replayed: string[] = [];
  const failedTasks: string[] = [];
  for (const id of ['OLD', 'NEW']) {
    const history = await client.workflow.getHandle(planWorkflowId(id)).fetchHistory();
    failedTasks.push(...(history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes).map(() => id));
    await Worker.runReplayHistory({ workflowBundle: { codePath: bumpedBundle.path } }, history, planWorkflowId(id));
    replayed.push(id);
  }
  const rules = await db.prisma.plan.findMany({ select: { id: true, rulesVersion: true }, orderBy: { id: 'asc' } });
  await Promise.all([newWorker.kill('SIGTERM'), newServer.kill('SIGTERM')]);

  const t = tally(expected, smtp.messages, mine);
  const escalated = (id: string) =>
    smtp.messages.filter((m) => m.corewatchKey === `${id}|first-core-group|escalation`).length;
  report('5. a worker version with a changed rule (Camden first core group 10 -> 5 working days) deployed mid-plan', {
    ...tallyFigures(t),
    'old worker stopped with': stopped,
    'histories replayed against the new code': replayed.join(', '),
    'failed workflow tasks (nondeterminism)': failedTasks.length,
    'OLD rules / first core group due': `${rules.find((r) => r.id === 'OLD')?.rulesVersion} / ${dues(oldStatus.obligations)['first-core-group']}`,
    'NEW rules / first core group due': `${rules.find((r) => r.id === 'NEW')?.rulesVersion} / ${dues(newStatus.obligations)['first-core-group']}`,
    'first core group escalations: OLD / NEW': `${escalated('OLD')} / ${escalated('NEW')}`,
  });

  expect(created.status).toBe(201);
  expect(posted.status).toBe(202);
  expect(stopped).toBe('exit 0');
  expect(failedTasks).toEqual([]);
  expect(rules).toEqual([
    { id: 'NEW', rulesVersion: BUMPED_CAMDEN_RULES },
    { id: 'OLD', rulesVersion: RETIRED_CAMDEN_RULES },
  ]);
  // Each plan under its own rules, as the engine gives them, in the workflow the new worker runs.
  expect(dues(oldStatus.obligations)).toEqual(duesUnder(camden, startedOn, [seen], oldStatus.asOf));
  expect(dues(oldStatus.obligations)).not.toEqual(duesUnder(BUMPED_CAMDEN, startedOn, [seen], oldStatus.asOf));
  expect(dues(newStatus.obligations)).toEqual(duesUnder(BUMPED_CAMDEN, startedOn, [], newStatus.asOf));
  expect(escalated('OLD')).toBe(0);
  expect(escalated('NEW')).toBe(1);
  expect(t.lostKeys).toEqual([]);
  expect(t.duplicatedKeys).toEqual([]);
  expect(t.unexpectedKeys).toEqual([]);
});
