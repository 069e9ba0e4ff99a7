/** Escalations: one row per reminder or escalation sent in the month. */
import { ESCALATION_IDS } from '../citations';
import type { EscalationRow } from '../types';
import { defineSheet, type DescribedColumn, guideOf, planColumns } from './sheet';

const COLUMNS: DescribedColumn<EscalationRow>[] = [
  ...planColumns<EscalationRow>('reminder or escalation sent in the month'),
  {
    header: 'Sent at',
    kind: 'instant',
    width: 17,
    value: (r) => r.sentAt,
    meaning: 'When it was sent (the month is judged on the Europe/London date).',
  },
  {
    header: 'Level',
    kind: 'text',
    width: 14,
    value: (r) => r.level,
    meaning: 'reminder, escalation or second-level.',
    rule: ESCALATION_IDS,
  },
  { header: 'To roles', kind: 'text', width: 34, value: (r) => r.toRoles, meaning: 'The roles it was addressed to.' },
  {
    header: 'About',
    kind: 'text',
    width: 34,
    value: (r) => r.about,
    meaning: 'The obligation key, or the event it was about (e.g. non-engagement@<date>#<id>).',
  },
  {
    header: 'Resolved on',
    kind: 'date',
    width: 12,
    value: (r) => r.resolvedOn,
    meaning: 'When its obligation was met, if by the month end; empty for events and unmet obligations.',
  },
];

export const escalationsSheet = defineSheet<EscalationRow>({
  name: 'Escalations',
  description:
    'One row per reminder or escalation sent in the month, who it went to, what it was about and whether that was resolved by the month end.',
  columns: COLUMNS,
  guide: guideOf(COLUMNS),
  rows: { eachPlan: (c) => c.escalations },
});
