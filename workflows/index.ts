// The workflow bundle's entry point: every workflow the worker runs, and nothing that does I/O.
export { planWorkflow } from './plan';
export { monthlyReportWorkflow, scheduledMonthlyAuditWorkflow } from './monthly-report';
