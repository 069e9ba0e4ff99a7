/** Core groups: one row per core group (or child in need meeting) due or held in the month. */
import { policyRuleIds, QUORUM_IDS } from '../citations';
import type { CoreGroupRow } from '../types';
import { defineSheet, type DescribedColumn, guideOf, planColumns } from './sheet';

/** The quorum rules, by policy (a policy without one counts every meeting). */
const QUORUM = QUORUM_IDS + '; the other policies set no quorum';

const AS_RECORDED = 'As recorded for the meeting; empty when not recorded.';

/** Whether an agency with a column of its own was present (social care's column also counts the social worker). */
function agencyPresent(
  agency: 'health' | 'education' | 'police',
  header: string,
  width: number,
): DescribedColumn<CoreGroupRow> {
  return { header, kind: 'bool', width, value: (r) => r[agency], meaning: `An attendee of agency ${agency} present.` };
}

const COLUMNS: DescribedColumn<CoreGroupRow>[] = [
  ...planColumns<CoreGroupRow>('core group (or child in need meeting) due or held in the month'),
  {
    header: 'Obligation',
    kind: 'text',
    width: 20,
    value: (r) => r.obligation,
    meaning:
      'first-core-group, core-group#N (later core groups) or cin-meeting#N (child in need meetings, not counted as core groups).',
    rule: policyRuleIds((p) => [
      p.childProtection.firstCoreGroup.rule.id,
      ...p.childProtection.laterCoreGroups.map((r) => r.rule.id),
      p.childInNeed?.meetings.rule.id,
    ]),
  },
  {
    header: 'Due date',
    kind: 'date',
    width: 12,
    value: (r) => r.dueDate,
    meaning: 'When the meeting was due (from the ICPC, or from the previous meeting held).',
  },
  {
    header: 'Held date',
    kind: 'date',
    width: 12,
    value: (r) => r.heldDate,
    meaning: 'When it was held, if it was by the month end.',
  },
  {
    header: 'On time',
    kind: 'bool',
    width: 9,
    value: (r) => r.onTime,
    meaning: 'Held on or before the due date; No when held late or still overdue; empty when still in time.',
  },
  {
    header: 'Working days late',
    kind: 'int',
    width: 12,
    value: (r) => r.workingDaysLate,
    meaning: 'Working days (England and Wales) after the due date up to the held date, when held late.',
  },
  {
    header: 'Days since previous',
    kind: 'int',
    width: 12,
    value: (r) => r.daysSincePrevious,
    meaning: 'Calendar days since the previous meeting held (empty for the first).',
  },
  {
    header: 'Social care',
    kind: 'bool',
    width: 9,
    value: (r) => r.socialCare,
    meaning:
      "Children's social care present (an attendee of agency social-care, or the social worker recorded present).",
  },
  agencyPresent('health', 'Health', 9),
  agencyPresent('education', 'Education', 10),
  agencyPresent('police', 'Police', 9),
  {
    header: 'Other agencies',
    kind: 'text',
    width: 24,
    value: (r) => r.otherAgencies,
    meaning: 'Other agencies present, lower-case, comma-separated.',
  },
  { header: 'Parents present', kind: 'bool', width: 10, value: (r) => r.parentsPresent, meaning: AS_RECORDED },
  {
    header: "Child's views recorded",
    kind: 'bool',
    width: 12,
    value: (r) => r.childViewsRecorded,
    meaning: AS_RECORDED,
  },
  {
    header: 'Record circulated',
    kind: 'date',
    width: 13,
    value: (r) => r.recordCirculatedOn,
    meaning: 'When the record of the meeting was first circulated, if by the month end.',
  },
  {
    header: 'Record on time',
    kind: 'bool',
    width: 10,
    value: (r) => r.recordOnTime,
    meaning: 'Circulated on or before its due date; No when late or overdue; empty when still in time or not required.',
    rule: policyRuleIds((p) => [p.childProtection.recordCirculated.rule.id, p.childInNeed?.recordCirculated?.rule.id]),
  },
  {
    header: 'Quorum',
    kind: 'text',
    width: 30,
    value: (r) => r.quorum,
    meaning:
      "How the meeting that met the obligation stood against its policy's quorum: held, quorate; held, attendance not recorded (it counts, but could not be checked); or held with no quorum rule in the policy. Empty when nothing met it.",
    rule: QUORUM,
  },
  {
    header: 'Held, did not count',
    kind: 'text',
    width: 40,
    value: (r) => r.notCounted,
    meaning:
      "Meetings held towards this obligation whose recorded attendance was not quorate under the plan's policy: they met no deadline, and the obligation's reminders and escalations went on.",
    rule: QUORUM,
  },
];

export const coreGroupsSheet = defineSheet<CoreGroupRow>({
  name: 'Core groups',
  description:
    'One row per core group (or child in need meeting) due or held up to the month end: timeliness, agencies present, record circulation and quorum.',
  columns: COLUMNS,
  guide: guideOf(COLUMNS),
  rows: { eachPlan: (c) => c.coreGroups },
});
