/**
 * The monthly multi-agency audit. `monthlyReportWorkflow` produces one partnership's workbook for one month (run on
 * demand by `corewatch report`); `scheduledMonthlyAuditWorkflow` is what the Temporal Schedule starts each morning
 * of the first days of a month: on or after the first working day it produces last month's workbook for every
 * partnership that has none yet (so a missed morning catches up, and a second run finds nothing to do).
 */
import {
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  executeChild,
  proxyActivities,
  workflowInfo,
} from '@temporalio/workflow';
import type { GeneratedReport, ReportActivities } from './contracts';
import { londonDateAt } from '../domain/calendar';
import { auditMonthDueOn, type YearMonth } from '../domain/report-months';

const generation = proxyActivities<Pick<ReportActivities, 'generateMonthlyReport'>>({
  // Heartbeats every half second while rows stream; a worker that dies mid-file is noticed within a minute and the
  // generation restarts cleanly on another attempt (the writer only renames a finished file into place).
  heartbeatTimeout: '1 minute',
  startToCloseTimeout: '2 hours',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

const bookkeeping = proxyActivities<Pick<ReportActivities, 'notifyAuditors' | 'partnershipsDue'>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

export interface MonthlyReportInput {
  partnershipId: string;
  month: YearMonth;
}

export async function monthlyReportWorkflow(input: MonthlyReportInput): Promise<GeneratedReport> {
  // The workflow id is unique per generation, so it doubles as the report's id.
  const reportId = workflowInfo().workflowId;
  const report = await generation.generateMonthlyReport({ reportId, ...input });
  await bookkeeping.notifyAuditors({ reportId });
  return report;
}

export interface ScheduledAuditResult {
  today: string;
  month?: YearMonth;
  generated: string[];
}

export async function scheduledMonthlyAuditWorkflow(): Promise<ScheduledAuditResult> {
  const today = londonDateAt(Date.now());
  const month = auditMonthDueOn(today);
  if (month === undefined) return { today, generated: [] };
  const due = await bookkeeping.partnershipsDue({ month });
  const generated: string[] = [];
  // One partnership at a time: memory stays flat and the database sees one streaming reader.
  for (const partnershipId of due) {
    const report = await executeChild(monthlyReportWorkflow, {
      workflowId: `report-${partnershipId}-${month}-scheduled`,
      args: [{ partnershipId, month }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    generated.push(report.reportId);
  }
  return { today, month, generated };
}
