/**
 * The one home of plan data: every database read and write of plans, their people, events, obligations (the read
 * model) and stored figures goes through this module, and the conversion of stored rows to domain values with it.
 * The API, the dashboard, the workbook's source, imports, the workflow's activities and the CLI call these
 * functions; none of them touches those tables (ESLint's boundary rule in eslint.config.mjs enforces it).
 *
 *   plans.ts          register a plan (atomically, with its child, people and read model); read one plan's timeline
 *   events.ts         store events (refusing contradictions) and refresh the read model; the event outbox
 *   read-model.ts     the obligations read model: refresh one plan, rebuild all
 *   lists.ts          keyset-paged lists: overdue now, plans, escalations
 *   people.ts         who a person is to the plans (their rights, read on every dashboard request)
 *   figures.ts        stored monthly figures; the month in progress from the read model
 *   report-source.ts  the monthly audit's plan stream
 *   annex-a-source.ts Annex A List 7's plans on a day (the download and the workbook's sheet)
 *   workflow-state.ts what the plan workflow's activities read
 *   delivery-backlog.ts how far behind the event relay is (GET /metrics)
 *   rows.ts           stored rows to domain values (dates, events)
 */
export * from './annex-a-source';
export * from './delivery-backlog';
export * from './events';
export * from './figures';
export * from './lists';
export * from './people';
export * from './plans';
export * from './read-model';
export * from './report-source';
export * from './workflow-state';
export { isoDay } from './rows';
