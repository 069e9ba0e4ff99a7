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
/**
 * The minutes of a meeting reached the social worker (Barnsley, guidance/004: "The individual writing the minutes
 * should provide a written copy to the social worker within five days").
 */
export interface MinutesReceived extends EventBase {
  type: 'minutes-received';
  meetingOn: IsoDate;
}
/** An interval a conference can set between core groups: the policy files' form, in days, weeks or months. */
export type CadenceInterval = { days: number } | { weeks: number } | { months: number };
/**
 * An initial or review conference set how often the core group meets (000 "must be more often if necessary to
 * safeguard the child", 001 "the conference may opt to hold more frequent meetings", 002 "more frequently if
 * required"): from the next meeting, when stricter than the policy.
 */
export interface CadenceSet extends EventBase {
  type: 'cadence-set';
  interval: CadenceInterval;
}
/** A practitioner or core group member was denied access to the child or the home (002), `by` their agency. */
export interface AccessDenied extends EventBase {
  type: 'access-denied';
  by: string;
}
/** A role passed to someone else from this day (a new social worker, team manager, conference chair...). */
export interface WorkerAllocated extends EventBase {
  type: 'worker-allocated';
  role: 'social-worker' | 'team-manager' | 'conference-chair' | 'head-of-service';
  person: string;
}
/** A professional joined the core group from this day, for their agency. */
export interface MemberJoined extends EventBase {
  type: 'member-joined';
  agency: string;
  person: string;
}
/** A professional left the core group from this day. */
export interface MemberLeft extends EventBase {
  type: 'member-left';
  agency: string;
  person: string;
}
/** The plan moved to another team from this day. */
export interface TeamChanged extends EventBase {
  type: 'team-changed';
  team: string;
}

export type PlanEvent =
  | CoreGroupScheduled
  | CoreGroupHeld
  | CoreGroupCancelled
  | RecordCirculated
  | ChildSeen
  | ReviewConferenceHeld
  | NonEngagementReported
  | PlanEnded
  | MinutesReceived
  | CadenceSet
  | AccessDenied
  | WorkerAllocated
  | MemberJoined
  | MemberLeft
  | TeamChanged;

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
  'minutes-received',
  'cadence-set',
  'access-denied',
  'worker-allocated',
  'member-joined',
  'member-left',
  'team-changed',
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
  /**
   * `stated`: the quoted text gives the rule's number (or names its people). `default`: it does not, and the number
   * is corewatch's (or the partnership's) choice, said in `note`; wherever the quote is shown, so is that.
   */
  basis: RuleBasis;
}

export type RuleBasis = 'stated' | 'default';

/** Who must be at a meeting for it to count (to "go ahead"): the social worker, and other professionals. */
export interface Quorum {
  socialWorker: boolean;
  otherProfessionals: number;
}

/** The roles an escalation goes to, and who stands in when no one holds a role ("in their absence"). */
export interface EscalationRoute {
  to: string[];
  inAbsenceOf?: Readonly<Record<string, string>>;
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
    recordCirculated: RecordRule;
    /** Child seen by a member of the professional network, from the ICPC then from each visit. */
    childSeen?: Rule<Interval>;
    /** A cancelled core group re-held within this interval of the cancelled date. */
    rescheduleCancelled?: Rule<Interval>;
    /** Review conference: first after the ICPC, then after each review conference held. */
    firstReviewConference: Rule<Interval>;
    laterReviewConferences: Rule<Interval>;
    /** Who must attend for a core group to count. Absent: the documents set no quorum, and every meeting counts. */
    quorum?: Rule<Quorum>;
    /**
     * The conference may set a stricter core group cadence (`cadence-set`). Absent (rules versions from before it
     * existed): a cadence cannot be set for plans under them.
     */
    conferenceCadence?: Citation;
  };
  /** Absent where the policy has no child in need rules: such a policy refuses a child in need plan. */
  childInNeed?: {
    /** Child in need meetings from the plan start, then from each meeting held. */
    meetings: Rule<Interval>;
    /** Minutes of each meeting, where the policy requires them. */
    recordCirculated?: RecordRule;
    /** Who must attend for a child in need meeting to count (absent: every meeting counts). */
    quorum?: Rule<Quorum>;
  };
  /**
   * Where escalations go (missed deadlines, reported non-engagement, parents absent, a booked meeting missed), by plan
   * type, and what a denied access triggers. Absent (rules versions from before routes were local): the team
   * manager and the conference chair for child protection, the team manager for child in need.
   */
  escalation?: {
    childProtection: Rule<EscalationRoute>;
    childInNeed?: Rule<EscalationRoute>;
    /** Denied access reported to these roles at once; absent, it escalates as non-engagement does. */
    accessDenied?: Rule<EscalationRoute & { otherCoreGroupMembers: boolean }>;
  };
}

/** A record deadline, and the events that meet it (absent: the record being circulated). */
export type RecordRule = Rule<Interval> & { metBy?: ReadonlyArray<'record-circulated' | 'minutes-received'> };

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
