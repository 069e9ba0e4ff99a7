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
    ...options.tuning,
  });
}
