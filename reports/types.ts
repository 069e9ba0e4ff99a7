/**
 * The monthly multi-agency audit: its input (one plan as read from the database) and the rows of each sheet.
 *
 * Pure types. The figures are computed by `reports/monthly-audit.ts` from the one obligations engine
 * (`domain/obligations.ts`); each sheet is laid out by its module in `reports/sheets/`; plans are streamed from the
 * database by the report activity. Rows hold plain values (strings, numbers, booleans, IsoDate strings, undefined for empty);
 * the writer turns IsoDates into real Excel dates and neutralises imported text against formula injection.
 */
import type { IsoDate, PlanEvent, PlanType, PolicyId } from '../domain/types';

import type { YearMonth } from '../domain/report-months';

export type { YearMonth };

/**
 * What Annex A's List 7 needs about one plan (reports/annex-a.ts), as loaded from the database. Coded values are
 * stored as corewatch's keys (domain/annex-a.ts); the row writes the template's codes.
 */
export interface AnnexAPlanInput {
  planId: string;
  teamName: string;
  /** The plan's social worker now (PlanRole 'social-worker'; several are joined with ', '): a practitioner, not the child. */
  workerName?: string;
  type: PlanType;
  startedOn: IsoDate;
  /** From Plan.endedOn, or the plan-ended event. */
  endedOn?: IsoDate;
  /** The plan's whole event log (readers keep the events known on their day). */
  events: PlanEvent[];
  child: {
    localChildId: string;
    /** Keys: 'female', 'WBRI', 'yes' (older rows may hold other text). */
    gender?: string;
    ethnicity?: string;
    dateOfBirth?: IsoDate;
    disability?: string;
  };
  /** Ofsted ILACS Annex A List 7 fields recorded on the plan, as keys. */
  annexA: {
    /** Category of abuse at the initial conference, e.g. 'neglect'. */
    initialCategory?: string;
    /** The category last recorded on the plan (review conferences' categories come from their events). */
    latestCategory?: string;
    /** 'yes' | 'no' | 'unknown'. */
    emergencyProtectionLast6Months?: string;
    previousPlans?: number;
  };
}

/** Everything the audit needs about one plan, as loaded from the database. */
export interface ReportPlanInput extends AnnexAPlanInput {
  teamId: string;
  policyId: PolicyId;
  /**
   * `policy@version` the plan was registered under (Plan.rulesVersion). The audit evaluates the plan with those rules,
   * as its workflow does, so a rule change never rewrites last month's figures for a running plan.
   */
  rulesVersion: string;
  /** Core group members invited, by agency (PlanRole 'core-group-member' rows, plus the social worker). */
  members: Array<{ agency: string; role?: string }>;
  /** Every notification the outbox holds for the plan. */
  notifications: Array<{
    key: string;
    /** Obligation key or event-derived subject (e.g. `first-core-group`, `non-engagement@2026-03-05#id`). */
    subject: string;
    /** 'reminder' | 'escalation' | 'second-level' (stored text: kept open to levels a later version adds). */
    level: string;
    /** 'pending' | 'sent' | 'failed'. */
    status: string;
    recipients: Array<{ role: string; email?: string }>;
    /** ISO instant, when sent. */
    sentAt?: string;
  }>;
}

/** Red/amber/green for a percentage; the rule is printed on the Summary sheet. */
export type Rag = 'green' | 'amber' | 'red' | 'n/a';

export interface Measure {
  /**
   * Stable id, e.g. `first-core-groups-met`: one of MEASURE_IDS (reports/measures.ts) when computed; a plain string
   * because stored figures are read back as strings.
   */
  id: string;
  label: string;
  count: number;
  /** Undefined for plain counts (plans open, escalations raised...). */
  denominator?: number;
  /** 0..100, one decimal; undefined when there is no denominator or it is 0. */
  percentage?: number;
  rag: Rag;
  /** The rule the figure rests on: citation ids (e.g. `camden/first-core-group`) or a short description. */
  rule: string;
}

export interface SummaryBlock {
  /** 'partnership' for the whole partnership, otherwise one team. */
  scope: 'partnership' | 'team';
  /** The team's id, on every team block (never on the partnership's): stored figures are keyed by it, as a name can change. */
  teamId?: string;
  name: string;
  measures: Measure[];
}

export interface PlansRow {
  reference: string;
  team: string;
  worker?: string;
  policy: string;
  /** `policy@version` of the rules the plan was evaluated with (from the engine's obligations). */
  rulesVersion?: string;
  planType: PlanType;
  planStart: IsoDate;
  planEnd?: IsoDate;
  nextDueObligation?: string;
  nextDueDate?: IsoDate;
  nextDueStatus?: string;
  /** Days overdue as of month end of the most overdue unmet obligation (0 when none). */
  daysOverdue: number;
  /** Highest rung sent for any still-unmet obligation: 'none' | 'reminder' | 'escalation' | 'second-level'. */
  escalationLevel: string;
}

export interface CoreGroupRow {
  reference: string;
  team: string;
  /** Obligation key, e.g. `first-core-group`, `core-group#3`, `cin-meeting#2`. */
  obligation: string;
  dueDate?: IsoDate;
  heldDate?: IsoDate;
  onTime?: boolean;
  workingDaysLate?: number;
  /** Calendar days since the previous core group held (undefined for the first). */
  daysSincePrevious?: number;
  socialCare: boolean;
  health: boolean;
  education: boolean;
  police: boolean;
  /** Other agencies present, comma-separated. */
  otherAgencies?: string;
  parentsPresent?: boolean;
  childViewsRecorded?: boolean;
  recordCirculatedOn?: IsoDate;
  recordOnTime?: boolean;
  /** Social worker plus one other professional present (Camden 001 §4). */
  /** How the meeting that met the obligation stood against its policy's quorum (domain/attendance.ts). */
  quorum?: string;
  /** Meetings held towards the obligation that did not count (not quorate), with why. */
  notCounted?: string;
}

export interface EscalationRow {
  reference: string;
  team: string;
  /** ISO instant the notification was sent. */
  sentAt: string;
  level: string;
  /** Roles addressed, comma-separated. */
  toRoles: string;
  /** The obligation or event it was about. */
  about: string;
  /** When the obligation was met (resolved), if it has been by the month end. */
  resolvedOn?: IsoDate;
}

export interface AgencyAttendanceRow {
  agency: string;
  /** One entry per month shown, oldest first (12 months ending with the report month). */
  months: Array<{ month: YearMonth; invited: number; attended: number }>;
}

/**
 * Ofsted ILACS Annex A, List 7: one child who is the subject of a child protection plan, in the template's terms
 * (reports/annex-a.ts): coded values already the template's codes, dates as IsoDates (written as Excel dates).
 */
export interface AnnexARow {
  childId: string;
  gender?: string;
  ethnicity?: string;
  dateOfBirth?: IsoDate;
  /** Whole years on the list's day; -1 for a child born after it. */
  age?: number;
  disability?: string;
  planStart: IsoDate;
  initialCategory?: string;
  latestCategory?: string;
  lastStatutoryVisit?: IsoDate;
  seenAlone?: string;
  latestReviewConference?: IsoDate;
  planEnd?: IsoDate;
  emergencyProtection?: string;
  previousPlans?: number;
  team: string;
  worker?: string;
}

/** What one plan contributes to the row sheets (the writer streams these; nothing is kept). */
export interface PlanContribution {
  plan?: PlansRow;
  coreGroups: CoreGroupRow[];
  escalations: EscalationRow[];
}
