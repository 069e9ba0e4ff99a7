/**
 * What workflows and activities agree on, in a module both import (so neither imports the other, and there is no
 * cycle): the plan workflow's input, the state it carries across continue-as-new, what its status query answers, and
 * the activity interfaces the workflows call through `proxyActivities`. Types and one naming function only: safe in
 * workflow code, and importable by services without loading the workflow SDK.
 */
import type { NotificationIntent, NotificationLevel, EscalationSettings } from '../domain/notifications';
import type { YearMonth } from '../domain/report-months';
import type { IdentifiedEvent, IsoDate, Obligation, PlanFacts, PolicyId } from '../domain/types';

/** A plan's workflow id: business ids are workflow ids (`plan-<reference>`), also stored as `Plan.workflowId`. */
export function planWorkflowId(planId: string): string {
  return `plan-${planId}`;
}

export interface PlanWorkflowInput {
  planId: string;
  settings: EscalationSettings;
  /** Carried across continue-as-new so the next run needs no reload. Absent on a fresh start. */
  carried?: CarriedState;
  /** Continue-as-new after this many loop iterations (tests use a small number; default from server suggestion). */
  continueAsNewAfter?: number;
}

export interface CarriedState {
  policyId: PolicyId;
  /** `policy@version` the plan was registered under: the rules it keeps (see domain/policies getPolicyVersion). */
  rulesVersion?: string;
  plan: PlanFacts;
  events: IdentifiedEvent[];
  sent: SentNotification[];
  /** How many times this plan's workflow has continued-as-new. */
  generation: number;
}

export interface SentNotification {
  key: string;
  subject: string;
  level: NotificationLevel;
  on: IsoDate;
}

export interface PlanStatus {
  planId: string;
  policyId: PolicyId;
  asOf: IsoDate;
  ended: boolean;
  obligations: Obligation[];
  /** Highest rung reached per subject (obligation key or event-derived subject). */
  escalation: Record<string, NotificationLevel>;
  sent: SentNotification[];
  eventCount: number;
  /** How many runs this workflow has continued through; shows continue-as-new kept state. */
  generation: number;
}

/**
 * `sent` (to everyone, or to some when the mail server refused the others: the administrators are then told);
 * `already-sent`; `no-recipients` and `undeliverable` (nobody can receive it: recorded, administrators told);
 * `not-owed` (the stored facts say the obligation was met, or the plan ended, before it could be sent: not sent).
 */
export type SendOutcome = 'sent' | 'already-sent' | 'no-recipients' | 'undeliverable' | 'not-owed';

/** The plan workflow's I/O (activities/plan-activities.ts implements it). */
export interface PlanActivities {
  /** The plan's facts, its whole event log and the notifications already sent: the workflow's starting state. */
  loadPlan(planId: string): Promise<CarriedState>;
  /**
   * Kept for workflows that were running when the read model moved to intake: histories recorded before then
   * schedule it (see `patched('read-model-at-intake')` in workflows/plan.ts). It no longer writes anything.
   */
  saveObligations(args: { planId: string; obligations: Obligation[] }): Promise<void>;
  /** Sends one notification at most once (a lease on the outbox key while it is sent). */
  sendNotification(args: { planId: string; intent: NotificationIntent }): Promise<SendOutcome>;
}

export interface GeneratedReport {
  reportId: string;
  partnershipId: string;
  month: YearMonth;
  filePath: string;
  checksum: string;
  byteSize: number;
  rowCounts: Record<string, number>;
}

/** What the generation activity heartbeats while it streams rows (the CLI draws its progress bar from it). */
export interface ReportProgress {
  phase: string;
  done: number;
  total?: number;
}

/** The monthly audit's I/O (activities/report-activities.ts implements it). */
export interface ReportActivities {
  /** Partnerships whose audit for `month` has no complete workbook yet (the scheduled run's to-do list). */
  partnershipsDue(args: { month: YearMonth }): Promise<string[]>;
  generateMonthlyReport(args: { reportId: string; partnershipId: string; month: YearMonth }): Promise<GeneratedReport>;
  /** Emails the partnership's auditors a link to the workbook, once per report. */
  notifyAuditors(args: { reportId: string }): Promise<'sent' | 'already-sent' | 'no-auditors'>;
}
