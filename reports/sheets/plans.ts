/** Plans: one row per plan open in the month. */
import { ESCALATION_IDS } from '../citations';
import type { PlansRow } from '../types';
import { defineSheet, type DescribedColumn, guideOf, planColumns } from './sheet';

const COLUMNS: DescribedColumn<PlansRow>[] = [
  ...planColumns<PlansRow>('plan open during the month'),
  {
    header: 'Allocated worker',
    kind: 'text',
    width: 22,
    value: (r) => r.worker,
    meaning: "The allocated social worker's name.",
  },
  {
    header: 'Policy',
    kind: 'text',
    width: 12,
    value: (r) => r.policy,
    meaning: 'The partnership policy the plan follows (domain/policies/).',
  },
  {
    header: 'Rules version',
    kind: 'text',
    width: 16,
    value: (r) => r.rulesVersion,
    meaning: 'policy@version of the rules the plan was evaluated with.',
  },
  {
    header: 'Plan type',
    kind: 'text',
    width: 17,
    value: (r) => r.planType,
    meaning: 'child-protection or child-in-need.',
  },
  {
    header: 'Plan start',
    kind: 'date',
    width: 12,
    value: (r) => r.planStart,
    meaning: 'The initial child protection conference (or the child in need plan start): day 0 of every clock.',
  },
  {
    header: 'Plan end',
    kind: 'date',
    width: 12,
    value: (r) => r.planEnd,
    meaning: 'The date the plan ended, if on or before the month end.',
  },
  {
    header: 'Next due obligation',
    kind: 'text',
    width: 24,
    value: (r) => r.nextDueObligation,
    meaning:
      'The earliest obligation not met as of the month end (pending or overdue), or the reason a plan could not be evaluated.',
    rule: "The obligation's own rule (see the Core groups sheet and evaluatePlan as of the month end)",
  },
  { header: 'Next due date', kind: 'date', width: 13, value: (r) => r.nextDueDate, meaning: 'Its due date.' },
  {
    header: 'Status',
    kind: 'text',
    width: 15,
    value: (r) => r.nextDueStatus,
    meaning: "pending (still in time at the month end), overdue, or 'not evaluated'.",
  },
  {
    header: 'Days overdue',
    kind: 'int',
    width: 13,
    value: (r) => r.daysOverdue,
    meaning:
      'Calendar days from the due date to the month end of the most overdue unmet obligation; 0 when none is overdue.',
  },
  {
    header: 'Escalation level',
    kind: 'text',
    width: 16,
    value: (r) => r.escalationLevel,
    meaning:
      'The highest rung (none < reminder < escalation < second-level) sent by the month end about an obligation still unmet at the month end.',
    rule: ESCALATION_IDS,
  },
];

export const plansSheet = defineSheet<PlansRow>({
  name: 'Plans',
  description:
    'One row per plan open in the month: its next due obligation, days overdue at the month end and the highest escalation sent.',
  columns: COLUMNS,
  guide: guideOf(COLUMNS),
  rows: { eachPlan: (c) => (c.plan ? [c.plan] : []) },
});
