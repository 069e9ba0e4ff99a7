/**
 * The Temporal Schedules the system relies on, created or brought up to date when the worker starts.
 *
 * The monthly audit is due on the first working day of each month at 07:00 Europe/London. A calendar spec cannot
 * say "first working day" (bank holidays), so the schedule fires at 07:00 on days 1 to 4 (the first working day is
 * never later than the 4th) and the workflow applies the rule (domain/report-months.ts), doing nothing on other days
 * and nothing for partnerships already done. Overlaps are skipped; a run missed while the server was down is caught
 * up within a week.
 *
 * Create-or-update: a deploy that changes the spec, the action or the policies reaches a running deployment the
 * next time a worker starts (create-or-ignore left the first version in place for ever). What an operator set on
 * the running schedule (paused, a note) is kept.
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';

export const MONTHLY_AUDIT_SCHEDULE_ID = 'monthly-audit';

/** The monthly audit's schedule as this version of the code wants it. */
export function monthlyAuditSchedule(taskQueue: string): ScheduleOptions {
  return {
    scheduleId: MONTHLY_AUDIT_SCHEDULE_ID,
    spec: {
      calendars: [
        { dayOfMonth: { start: 1, end: 4 }, hour: 7, minute: 0, comment: 'first working day falls on days 1-4' },
      ],
      timezone: 'Europe/London',
    },
    action: { type: 'startWorkflow', workflowType: 'scheduledMonthlyAuditWorkflow', taskQueue, args: [] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7 days' },
  };
}

export async function ensureSchedules(client: Client, taskQueue: string): Promise<void> {
  await createOrUpdate(client, monthlyAuditSchedule(taskQueue));
}

/** Creates the schedule, or replaces an existing one's spec, action and policies with `wanted`, keeping its state. */
export async function createOrUpdate(client: Client, wanted: ScheduleOptions): Promise<'created' | 'updated'> {
  try {
    await client.schedule.create(wanted);
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  await client.schedule.getHandle(wanted.scheduleId).update((previous) => ({
    spec: wanted.spec,
    action: wanted.action,
    ...(wanted.policies ? { policies: wanted.policies } : {}),
    state: { paused: previous.state.paused, ...(previous.state.note ? { note: previous.state.note } : {}) },
  }));
  return 'updated';
}
