/**
 * The Temporal Schedules the system relies on, created (or left as they are) when the worker starts.
 *
 * The monthly audit is due on the first working day of each month at 07:00 Europe/London. A calendar spec cannot
 * say "first working day" (bank holidays), so the schedule fires at 07:00 on days 1 to 4 (the first working day is
 * never later than the 4th) and the workflow applies the rule (domain/report-months.ts), doing nothing on other days
 * and nothing for partnerships already done. Overlaps are skipped; a run missed while the server was down is caught
 * up within a week.
 */
import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';

export const MONTHLY_AUDIT_SCHEDULE_ID = 'monthly-audit';

export async function ensureSchedules(client: Client, taskQueue: string): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: MONTHLY_AUDIT_SCHEDULE_ID,
      spec: {
        calendars: [
          { dayOfMonth: { start: 1, end: 4 }, hour: 7, minute: 0, comment: 'first working day falls on days 1-4' },
        ],
        timezone: 'Europe/London',
      },
      action: { type: 'startWorkflow', workflowType: 'scheduledMonthlyAuditWorkflow', taskQueue, args: [] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7 days' },
    });
  } catch (error) {
    if ((error as Error).name !== 'ScheduleAlreadyRunning') throw error;
  }
}
