/**
 * The vocabulary of corewatch: plans, the events recorded against them, policies and the obligations they produce.
 *
 * Pure types only. This module is imported by workflow code, so it must never import Node built-ins or I/O.
 * Dates are civil dates in Europe/London written as ISO `YYYY-MM-DD` strings (see `calendar.ts`): a due date is a
 * day, not an instant, so it never shifts with a server's time zone or with daylight saving.
 */

/** A civil date in Europe/London, `YYYY-MM-DD`. Validated at every boundary by `calendar.parseIsoDate`. */
export type IsoDate = string;

export type PlanType = 'child-protection' | 'child-in-need';

export interface PlanFacts {
  type: PlanType;
  /** The initial child protection conference (ICPC) date, or the child in need plan's start. Day 0 of every clock. */
  startedOn: IsoDate;
}

/** Who was at a core group. Everything optional: only `on` is required to meet an obligation. */
export interface Attendance {
  /** Agencies and roles present, e.g. [{ agency: 'health', role: 'health visitor' }]. */
  present?: Array<{ agency: string; role?: string }>;
  /** Agencies that sent apologies, with whether a written report was provided. */
  apologies?: Array<{ agency: string; role?: string; writtenReport?: boolean }>;
  socialWorkerPresent?: boolean;
}

interface EventBase {
  /** Client-supplied id; the workflow and the event log de-duplicate on it. */
  id?: string;
  on: IsoDate;
}

export interface CoreGroupScheduled extends EventBase {
  type: 'core-group-scheduled';
}
export interface CoreGroupHeld extends EventBase {
  type: 'core-group-held';
  attendance?: Attendance;
  parentsPresent?: boolean;
  childViewsRecorded?: boolean;
}
export interface CoreGroupCancelled extends EventBase {
  type: 'core-group-cancelled';
  reason?: string;
}
export interface RecordCirculated extends EventBase {
  type: 'record-circulated';
  meetingOn: IsoDate;
}
export interface ChildSeen extends EventBase {
  type: 'child-seen';
  seenAlone?: boolean;
}
export interface ReviewConferenceHeld extends EventBase {
  type: 'review-conference-held';
  /**
   * The category of abuse the review conference decided (Ofsted ILACS Annex A 'latest category of abuse'):
   * 'neglect' | 'physical' | 'sexual' | 'emotional' | 'multiple'. Not used by the obligations engine.
   */
  category?: string;
}
export interface NonEngagementReported extends EventBase {
  type: 'non-engagement-reported';
  detail?: string;
}
export interface PlanEnded extends EventBase {
  type: 'plan-ended';
}

export type PlanEvent =
  | CoreGroupScheduled
  | CoreGroupHeld
  | CoreGroupCancelled
  | RecordCirculated
  | ChildSeen
  | ReviewConferenceHeld
  | NonEngagementReported
  | PlanEnded;

export type PlanEventType = PlanEvent['type'];

/** An event as stored and delivered: the client's id is mandatory, because de-duplication depends on it. */
export type IdentifiedEvent = PlanEvent & { id: string };

export const PLAN_EVENT_TYPES: readonly PlanEventType[] = [
  'core-group-scheduled',
  'core-group-held',
  'core-group-cancelled',
  'record-circulated',
  'child-seen',
  'review-conference-held',
  'non-engagement-reported',
  'plan-ended',
] as const;

/** Where a rule comes from. Every deadline corewatch computes carries one, so an auditor can check it. */
export interface Citation {
  /** Stable id of the rule, e.g. `camden/child-seen`. */
  id: string;
  /** The document, e.g. `Camden, Core groups: practice guidance for social workers (guidance/001)`. */
  source: string;
  /** Section or heading within the document, e.g. `8 Conduct of the meeting`. */
  section: string;
  /** The words of the document the rule rests on (short quotation). */
  quote: string;
  /** How corewatch reads it, where reading was needed (e.g. "5 days read as working days"). */
  note?: string;
}

/** A span of time after an anchor date. Exactly one unit. */
export type Interval = { days: number } | { weeks: number } | { months: number } | { workingDays: number };

export interface Rule<T> {
  value: T;
  rule: Citation;
}

export type PolicyId = 'england' | 'wales' | 'cwm-taf' | 'camden' | 'sandwell' | 'barnsley';

/** A partnership's local procedure, as data. One file each in `domain/policies/`. */
export interface Policy {
  id: PolicyId;
  name: string;
  /** Rules version: bump when any rule changes; obligations record the version they were computed with. */
  version: string;
  childProtection: {
    /** First core group after the ICPC. */
    firstCoreGroup: Rule<Interval>;
    /** Intervals between later core groups: element i is the gap after core group i+1; the last one repeats. */
    laterCoreGroups: Array<Rule<Interval>>;
    /** Record of each core group circulated after the meeting. */
    recordCirculated: Rule<Interval>;
    /** Child seen by a member of the professional network, from the ICPC then from each visit. */
    childSeen?: Rule<Interval>;
    /** A cancelled core group re-held within this interval of the cancelled date. */
    rescheduleCancelled?: Rule<Interval>;
    /** Review conference: first after the ICPC, then after each review conference held. */
    firstReviewConference: Rule<Interval>;
    laterReviewConferences: Rule<Interval>;
  };
  /** Absent where the policy has no child in need rules: such a policy refuses a child in need plan. */
  childInNeed?: {
    /** Child in need meetings from the plan start, then from each meeting held. */
    meetings: Rule<Interval>;
    /** Minutes of each meeting, where the policy requires them. */
    recordCirculated?: Rule<Interval>;
  };
}

export const OBLIGATION_KINDS = [
  'first-core-group',
  'core-group',
  'core-group-record',
  'child-seen',
  'review-conference',
  'rescheduled-core-group',
  'cin-meeting',
] as const;

export type ObligationKind = (typeof OBLIGATION_KINDS)[number];

export type ObligationStatus = 'met' | 'late' | 'overdue' | 'pending';

export interface Obligation {
  /**
   * Stable identity of this obligation within its plan, unchanged as more events arrive, e.g. `core-group#3`,
   * `core-group-record@2025-01-10`. Notification keys are built from it, so it must never be renumbered.
   */
  key: string;
  kind: ObligationKind;
  due: IsoDate;
  status: ObligationStatus;
  metOn?: IsoDate;
  /** The date the clock started from (the ICPC, the previous meeting, the visit, the cancelled date...). */
  from: IsoDate;
  rule: Citation;
  /** `policy@version` the obligation was computed with. */
  rulesVersion: string;
}

/**
 * The roles a person holds on a plan. The first four are the ladder's recipients (domain/notifications.ts: reminders
 * to the social worker, escalations to the team manager and the conference chair, the second level to the head of
 * service by default); core group members are the professionals of the core group.
 */
export const PLAN_ROLES = [
  'social-worker',
  'team-manager',
  'conference-chair',
  'head-of-service',
  'core-group-member',
] as const;
export type PlanRoleName = (typeof PLAN_ROLES)[number];
