/**
 * Records the event history of a representative plan workflow, for the replay test (test/workflows/replay.test.ts)
 * to replay against every later version of the workflow code.
 *
 *   bash scripts/postgres.sh start                                  # PostgreSQL must be running
 *   npx tsx test/workflows/record-history.ts [file-name]                   # default plan-workflow-v1.json
 *
 * Writes test/workflows/histories/<file-name>. Refuses to overwrite an existing history: a committed history is a
 * record of what running plans have already done, and is never re-recorded to make a failing replay pass (see
 * test/workflows/histories/README.md). A new history gets a new name (plan-workflow-v2.json, ...).
 *
 * The scenario runs on Temporal's time-skipping test server, against a fresh database, a real SMTP server on
 * loopback and the real worker (bundled from source, as in production), with `continueAsNewAfter` set so that the
 * first run holds the whole scenario and ends in a continue-as-new:
 *
 *   plan registered (loadPlan, saveObligations)
 *   non-engagement reported (signal)         -> escalation sent at once
 *   timer: 2 working days before the first core group deadline   -> reminder
 *   timer: the day after the deadline                              -> escalation
 *   timer: 5 working days after the deadline                       -> second-level escalation
 *   core group held, parents absent (signal) -> first core group met late; record and core group #2 now owed
 *   timer: 2 working days before the record deadline               -> reminder for the record
 *   record circulated (signal)
 *   timer: 2 working days before core group #2                     -> reminder
 *   core group held, parents absent again (signal) -> "parents absent twice" escalation
 *   timer: the next wake-up                                        -> continue-as-new
 *
 * The history recorded is the first run's (it ends with WorkflowExecutionContinuedAsNew).
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { historyFromJSON, historyToJSON, type History } from '@temporalio/common/lib/proto-utils';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { addDays, addWorkingDays, londonDateAt, londonStartOfDay } from '../../domain/calendar';
import type { EscalationSettings } from '../../domain/notifications';
import type { IsoDate, PlanEvent } from '../../domain/types';
import { getPolicy, rulesVersionOf } from '../../domain/policies';
import { createPlan } from '../../services/plan-data';
import { submitEvent, type IntakeDeps } from '../../services/plan-intake';
import { testWorker } from '../support/worker';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { eventually } from '../support/eventually';
import { PEOPLE, newPlan, seedPartnership } from '../support/fixtures';
import { REPO_ROOT } from '../support/paths';
import { SmtpCatcher } from '../support/smtp';
import { planStatusQuery, planWorkflow, planWorkflowId, type PlanStatus } from '../../workflows/plan';

const HISTORIES_DIR = path.join(REPO_ROOT, 'test', 'workflows', 'histories');
const SETTINGS: EscalationSettings = {
  reminderWorkingDays: 2,
  secondLevelWorkingDays: 5,
  secondLevelRole: 'head-of-service',
};
/** Loop iterations of the first run before it continues as new: the ten of the scenario above, then one more wake. */
const CONTINUE_AS_NEW_AFTER = 11;
const TASK_QUEUE = 'plans';
const HOUR = 3_600_000;

async function main(): Promise<void> {
  const fileName = process.argv[2] ?? 'plan-workflow-v1.json';
  if (!/^[a-z0-9-]+\.json$/.test(fileName))
    throw new Error(`expected a file name like plan-workflow-v2.json, got ${fileName}`);
  const outFile = path.join(HISTORIES_DIR, fileName);
  if (fs.existsSync(outFile)) {
    throw new Error(
      `${path.relative(REPO_ROOT, outFile)} exists: committed histories are never re-recorded; choose a new name`,
    );
  }

  // The worker logs every workflow and activity task at INFO: keep the script's output to what it did.
  Runtime.install({ logger: new DefaultLogger('WARN') });

  let db: TestDatabase | undefined;
  let env: TestWorkflowEnvironment | undefined;
  const smtp = new SmtpCatcher();
  try {
    db = await createTestDatabase('record_history');
    await seedPartnership(db.prisma);
    await smtp.start();
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: {
        executable: { type: 'existing-path', path: path.join(REPO_ROOT, 'scripts', 'temporal-test-server', 'run') },
      },
    });
    // Bundled from source, exactly as the production worker does.
    const worker = await testWorker({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUE,
      prisma: db.prisma,
      smtpPort: smtp.port,
      bundleFromSource: true,
    });
    const history = await worker.runUntil(() => scenario(env!, db!, smtp));

    const json = toJson(history) + '\n';
    const { events } = JSON.parse(json) as JsonHistory;
    checkCoverage(events);
    fs.mkdirSync(HISTORIES_DIR, { recursive: true });
    fs.writeFileSync(outFile, json);
    console.log(
      `wrote ${path.relative(REPO_ROOT, outFile)}: ${events.length} events, ${(Buffer.byteLength(json) / 1024).toFixed(1)} KB`,
    );
    console.log(summarise(events));

    // The file must replay against the code it was recorded with, or it is no use as a guard.
    await Worker.runReplayHistory(
      { workflowsPath: require.resolve('../../workflows') },
      fromJson(fs.readFileSync(outFile, 'utf8')),
      'recorded-plan',
    );
    console.log('replayed the written file against the current workflow code: deterministic');
  } finally {
    await env?.teardown();
    await smtp.stop();
    await db?.drop();
  }
}

/**
 * History to proto JSON (indented), the form `temporal workflow show --output json` writes, through the SDK's
 * `historyToJSON`. With this project's dependency tree that function throws "type must be a Type": npm installs two
 * copies of protobufjs 8 (one under @temporalio/common, one under @temporalio/proto; the top level holds the
 * protobufjs 7 that @grpc/proto-loader needs), and the protojson module of the first rejects the message types of
 * the second. The fallback does what historyToJSON does, with the protojson module of the copy @temporalio/proto
 * uses. Same output. test/workflows/replay.test.ts reads it back the same way.
 */
function toJson(history: History): string {
  try {
    return historyToJSON(history);
  } catch (error) {
    if (!isDuplicateProtobufError(error)) throw error;
    const { historyType, protojson } = protoJson();
    return JSON.stringify(
      protojson.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history)),
      null,
      2,
    );
  }
}

function fromJson(text: string): History {
  const json: unknown = JSON.parse(text);
  try {
    return historyFromJSON(json);
  } catch (error) {
    if (!isDuplicateProtobufError(error)) throw error;
    const { historyType, protojson } = protoJson();
    return protojson.fromJson(historyType, json, { ignoreUnknownFields: true }) as History;
  }
}

function isDuplicateProtobufError(error: unknown): boolean {
  return error instanceof TypeError && error.message === 'type must be a Type';
}

function protoJson(): {
  historyType: unknown;
  protojson: {
    toJson(type: unknown, message: unknown): unknown;
    fromJson(type: unknown, json: unknown, options: object): unknown;
  };
} {
  const protoDir = path.dirname(require.resolve('@temporalio/proto'));
  const root = patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown };
  return {
    historyType: root.lookupType('temporal.api.history.v1.History'),
    protojson: require(require.resolve('protobufjs/ext/protojson', { paths: [protoDir] })),
  };
}

/** The parts of a history's JSON form (as `temporal workflow show --output json` writes it) this script reads. */
interface JsonEvent {
  eventType: string;
  activityTaskScheduledEventAttributes?: { activityType?: { name?: string } };
}
interface JsonHistory {
  events: JsonEvent[];
}

async function scenario(env: TestWorkflowEnvironment, db: TestDatabase, smtp: SmtpCatcher): Promise<History> {
  const client = env.client;
  const intake: IntakeDeps = { prisma: db.prisma, temporal: client, taskQueue: TASK_QUEUE, settings: SETTINGS };
  const planId = 'PLAN-HISTORY-1';
  const workflowId = planWorkflowId(planId);
  const today = async (): Promise<IsoDate> => londonDateAt(await env.currentTimeMs());
  const skipTo = async (date: IsoDate, hour = 10): Promise<void> => {
    const target = londonStartOfDay(date) + hour * HOUR;
    const now = await env.currentTimeMs();
    if (target > now) await env.sleep(target - now);
  };
  const status = (): Promise<PlanStatus> => client.workflow.getHandle(workflowId).query(planStatusQuery);
  const waitForSent = (key: string | RegExp) =>
    eventually(async () => {
      const s = await status();
      if (!s.sent.some((x) => (typeof key === 'string' ? x.key === key : key.test(x.key)))) {
        throw new Error(`not yet sent: ${String(key)} (sent: ${s.sent.map((x) => x.key).join(', ') || 'nothing'})`);
      }
      return s;
    });
  const signal = async (e: PlanEvent): Promise<void> => {
    const result = await submitEvent(intake, planId, { ...e, id: e.id ?? randomUUID() }, await today());
    if (result !== 'recorded') throw new Error(`event not recorded: ${result}`);
  };
  const step = (what: string) => console.log(`  ${what}`);

  // Stored as registerPlan stores it; the workflow is started directly so that the input can carry
  // `continueAsNewAfter` (registerPlan's workflow input never does), as the workflow test does.
  const start = await today();
  const plan = newPlan(planId, start);
  await createPlan(db.prisma, plan, start);
  const handle = await client.workflow.start(planWorkflow, {
    workflowId,
    taskQueue: TASK_QUEUE,
    args: [{ planId, settings: SETTINGS, continueAsNewAfter: CONTINUE_AS_NEW_AFTER }],
  });
  const firstRunId = handle.firstExecutionRunId;
  await eventually(async () => {
    if ((await status()).obligations.length === 0) throw new Error('no obligations yet');
  });
  step(`plan ${planId} registered on ${start} (rules ${rulesVersionOf(getPolicy(plan.policyId))})`);

  await signal({ type: 'non-engagement-reported', on: start, detail: 'Parents declined the home visit.' });
  await waitForSent(/^non-engagement@.*\|escalation$/);
  step('non-engagement reported: escalated at once');

  const due = addWorkingDays(start, 10);
  await skipTo(addWorkingDays(due, -2));
  await waitForSent('first-core-group|reminder');
  step(`${await today()}: first core group reminder (due ${due})`);

  await skipTo(addDays(due, 1));
  await waitForSent('first-core-group|escalation');
  step(`${await today()}: first core group escalation`);

  await skipTo(addWorkingDays(due, 5));
  await waitForSent('first-core-group|second-level');
  step(`${await today()}: first core group second-level escalation`);

  const held1 = await today();
  await signal({ type: 'core-group-held', on: held1, parentsPresent: false });
  await eventually(async () => {
    const first = (await status()).obligations.find((o) => o.key === 'first-core-group');
    if (first?.status !== 'late') throw new Error(`first core group is ${first?.status}`);
  });
  step(`${held1}: core group held late, parents absent`);

  const recordDue = addWorkingDays(held1, 5);
  await skipTo(addWorkingDays(recordDue, -2));
  await waitForSent(`core-group-record@${held1}|reminder`);
  step(`${await today()}: reminder for the core group record (due ${recordDue})`);

  await signal({ type: 'record-circulated', on: await today(), meetingOn: held1 });
  await eventually(async () => {
    const record = (await status()).obligations.find((o) => o.key === `core-group-record@${held1}`);
    if (record?.status !== 'met') throw new Error(`record is ${record?.status}`);
  });
  step(`${await today()}: record circulated`);

  const secondDue = addDays(held1, 42);
  await skipTo(addWorkingDays(secondDue, -2));
  await waitForSent('core-group#2|reminder');
  step(`${await today()}: core group #2 reminder (due ${secondDue})`);

  const held2 = await today();
  await signal({ type: 'core-group-held', on: held2, parentsPresent: false });
  await waitForSent(`parents-absent@${held2}|escalation`);
  step(`${held2}: core group #2 held, parents absent again: escalated`);

  // Move on a day at a time until the first run's next wake-up continues it as new.
  const firstRun = client.workflow.getHandle(workflowId, firstRunId);
  for (let day = 1; (await firstRun.describe()).status.name === 'RUNNING'; day++) {
    if (day > 60) throw new Error('the first run did not continue as new within 60 days');
    await skipTo(addDays(held2, day));
    await new Promise((r) => setTimeout(r, 200));
  }
  const closed = await eventually(async () => {
    const d = await firstRun.describe();
    if (d.status.name === 'RUNNING') throw new Error('first run still running');
    return d;
  });
  if (closed.status.name !== 'CONTINUED_AS_NEW') throw new Error(`first run closed as ${closed.status.name}`);
  const latest = await eventually(async () => {
    const s = await status();
    if (s.generation < 1) throw new Error('the new run has not answered yet');
    return s;
  });
  step(
    `${await today()}: continued as new (generation ${latest.generation}, ${latest.eventCount} events carried, ${latest.sent.length} sent)`,
  );
  step(
    `emails caught by the SMTP server: ${smtp.messages.length} (head of service: ${smtp.to(PEOPLE.headOfService.email).length})`,
  );

  return firstRun.fetchHistory();
}

function countBy(events: readonly JsonEvent[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of events) {
    const name = e.eventType.replace(/^EVENT_TYPE_/, '');
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

function activityCounts(events: readonly JsonEvent[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of events) {
    const name = e.activityTaskScheduledEventAttributes?.activityType?.name;
    if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

/** Fails the recording when the first run does not hold the whole scenario (e.g. it continued as new too early). */
function checkCoverage(events: readonly JsonEvent[]): void {
  const types = countBy(events);
  const activities = activityCounts(events);
  const expectations: Array<[string, number, number]> = [
    ['loadPlan activities', activities.get('loadPlan') ?? 0, 1],
    ['sendNotification activities', activities.get('sendNotification') ?? 0, 7],
    // Since the read model moved to intake (patch 'read-model-at-intake'), a new run records the patch marker and
    // never schedules saveObligations.
    ['patch markers', types.get('MARKER_RECORDED') ?? 0, 1],
    ['signals', types.get('WORKFLOW_EXECUTION_SIGNALED') ?? 0, 4],
    ['timers fired', types.get('TIMER_FIRED') ?? 0, 5],
    ['continue-as-new', types.get('WORKFLOW_EXECUTION_CONTINUED_AS_NEW') ?? 0, 1],
  ];
  const short = expectations.filter(([, actual, atLeast]) => actual < atLeast);
  if ((activities.get('saveObligations') ?? 0) > 0)
    short.push(['saveObligations activities (none expected)', activities.get('saveObligations') ?? 0, 0]);
  if (short.length > 0) {
    throw new Error(
      `the first run's history is missing part of the scenario: ${short.map(([what, actual, atLeast]) => `${what} ${actual} < ${atLeast}`).join('; ')}`,
    );
  }
}

function summarise(events: readonly JsonEvent[]): string {
  const lines = [...countBy(events)].map(([name, n]) => `  ${name}: ${n}`);
  const activities = [...activityCounts(events)].map(([name, n]) => `${name} x${n}`).join(', ');
  return [...lines, `  activities: ${activities}`].join('\n');
}

main().catch((error: unknown) => {
  console.error(`[record-history] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
