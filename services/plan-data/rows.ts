/**
 * How stored rows become domain values, in one place: `@db.Date` columns (Prisma maps them to a Date at UTC
 * midnight) to and from Europe/London civil dates, stored events back to domain events (the payload as received,
 * with its id, type and date from their columns), and a stored plan's obligations from the one engine. The workflow's
 * activities, the reports, the API and the dashboard all read plans through these, so none can disagree on a date.
 */
import { evaluatePlan } from '../../domain/obligations';
import { getPolicyVersion } from '../../domain/policies';
import type { IsoDate, Obligation, PlanEvent, PlanType, PolicyId } from '../../domain/types';

/** A `@db.Date` column's civil date. */
export function isoDay(value: Date): IsoDate {
  return value.toISOString().slice(0, 10);
}

/** A civil date as the value of a `@db.Date` column. */
export function dateColumn(value: IsoDate): Date {
  return new Date(`${value}T00:00:00.000Z`);
}

/** The order events are replayed in: by date, ties in the order they were recorded (Prisma `orderBy`). */
export const EVENT_ORDER = [{ on: 'asc' as const }, { recordedAt: 'asc' as const }];

export interface StoredEvent {
  id: string;
  type: string;
  on: Date;
  payload: unknown;
}

export function domainEvent(row: StoredEvent): PlanEvent & { id: string } {
  return { ...(row.payload as object), id: row.id, type: row.type, on: isoDay(row.on) } as PlanEvent & { id: string };
}

export interface StoredPlan {
  policyId: string;
  rulesVersion: string;
  type: string;
  startedOn: Date;
  /** In EVENT_ORDER. */
  events: StoredEvent[];
}

/** The plan's obligations as of `asOf`, under the rules version it was registered with. */
export function storedObligations(plan: StoredPlan, asOf: IsoDate): Obligation[] {
  const policy = getPolicyVersion(plan.policyId as PolicyId, plan.rulesVersion);
  return evaluatePlan({ policy, plan: { type: plan.type as PlanType, startedOn: isoDay(plan.startedOn) }, events: plan.events.map(domainEvent) }, asOf);
}

/** The roles a stored notification went to (`recipients` is JSON: [{ personId, role, email }]). */
export function recipientRoles(recipients: unknown): string[] {
  return Array.isArray(recipients) ? (recipients as Array<{ role?: unknown }>).map((r) => String(r.role ?? '')) : [];
}
