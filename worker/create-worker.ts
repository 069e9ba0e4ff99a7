/**
 * Builds the worker (plan workflows and monthly reports) from its parts. Shared by the worker process (worker/main.ts) and the workflow tests, so the
 * tests run the same wiring as production.
 */
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createPlanActivities, type PlanActivityDeps } from '../activities/plan-activities';
import { createReportActivities } from '../activities/report-activities';

/** Everything the activities need: the database, the mailer, and where workbooks go. */
export type WorkerDeps = PlanActivityDeps & { reportsDir: string };

export interface PlanWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: WorkerDeps;
  /** A prebuilt bundle (tests reuse one); otherwise the workflows are bundled from source at start. */
  workflowBundlePath?: string;
  /** Worker tuning passed through unchanged (tests use `maxCachedWorkflows: 0` to force replay from history). */
  tuning?: Pick<WorkerOptions, 'maxCachedWorkflows'>;
}

export async function createPlanWorker(options: PlanWorkerOptions): Promise<Worker> {
  const workflows: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> = options.workflowBundlePath
    ? { workflowBundle: { codePath: options.workflowBundlePath } }
    : { workflowsPath: require.resolve('../workflows') };
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: { ...createPlanActivities(options.deps), ...createReportActivities(options.deps) },
    ...workflows,
    // A send holds one of the database pool's ten connections from its claim until its outcome is written
    // (activities/outbox.ts): more activities at once than the pool serves only queue, stretch each send's window
    // between SMTP accepting and the outcome being recorded (measured under a burst with 100: p50 24 ms, p90 320 ms;
    // with 10: p50 8 ms, p90 39 ms), and leave more sends cut off, and re-leased, by a crash. The SDK's default is 100.
    maxConcurrentActivityTaskExecutions: 10,
    // A killed worker's cached workflows have their next tasks put on its sticky queue; they move to the shared queue
    // (where a live worker replays the workflow from its history) only after this. The SDK's default, 10 s, delays
    // every such plan by 10 s after a crash; a live worker answers its sticky queue well within 5 s.
    stickyQueueScheduleToStartTimeout: '5 seconds',
    ...options.tuning,
  });
}
