/**
 * Activity heartbeats, shared by every activity module (the plan's sends and loads in activities/plan-activities.ts,
 * the monthly workbook in activities/report-activities.ts). Activities are also called directly, outside Temporal
 * (tests, the CLI bench), where there is no activity context to heartbeat: `currentActivity` is the one place that
 * asks whether there is, so each heartbeat helper is a no-op there rather than each catching the error its own way.
 */
import { Context } from '@temporalio/activity';
import type { ReportProgress } from '../workflows/contracts';

/** The running activity's context, or undefined when not called as a Temporal activity. */
export function currentActivity(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined; // not inside an activity
  }
}

/**
 * Runs `work`, heartbeating every second while it runs when called as a Temporal activity (a no-op otherwise: tests
 * call activities directly). With the heartbeat timeout in workflows/plan.ts, an activity whose worker was killed is
 * retried within seconds, rather than after its whole start-to-close timeout.
 */
export async function keepAlive<T>(work: () => Promise<T>): Promise<T> {
  const context = currentActivity();
  if (context === undefined) return work();
  context.heartbeat();
  const timer = setInterval(() => context.heartbeat(), 1000);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/** Heartbeats with the workbook's progress when running as a Temporal activity; a no-op when called directly. */
export function heartbeatIfInActivity(progress: ReportProgress): void {
  currentActivity()?.heartbeat(progress);
}
