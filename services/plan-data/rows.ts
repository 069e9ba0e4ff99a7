/**
 * How stored rows become domain values, in one place: `@db.Date` columns (Prisma maps them to a Date at UTC
 * midnight) to and from Europe/London civil dates, and stored events back to domain events (the payload as received,
 * with its id, type and date from their columns). Everything in services/plan-data reads rows through these, so no
 * two readers can disagree on a date.
 */
import type { IdentifiedEvent, IsoDate } from '../../domain/types';
import { compareText } from '../../reports/plan-rows';

/** A `@db.Date` column's civil date. */
export function isoDay(value: Date): IsoDate {
  return value.toISOString().slice(0, 10);
}

/** A nullable `@db.Date` column's civil date. */
export function isoDayOrUndefined(value: Date | null | undefined): IsoDate | undefined {
  return value === null || value === undefined ? undefined : isoDay(value);
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

export function domainEvent(row: StoredEvent): IdentifiedEvent {
  return { ...(row.payload as object), id: row.id, type: row.type, on: isoDay(row.on) } as IdentifiedEvent;
}

/** The roles a stored notification went to (`recipients` is JSON: [{ personId, role, email }]). */
export function recipientRoles(recipients: unknown): string[] {
  return Array.isArray(recipients)
    ? (recipients as Array<{ role?: unknown }>).map((r) => (typeof r.role === 'string' ? r.role : ''))
    : [];
}

/** `exactOptionalPropertyTypes`: a key with a value, or no key at all (never `undefined`). */
export function optional<K extends string, V>(key: K, value: V | null | undefined): Partial<Record<K, V>> {
  return value === null || value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** A stored child, as the reports read it (Annex A's fields as corewatch's keys). */
export function childFacts(child: {
  localChildId: string;
  gender: string | null;
  ethnicity: string | null;
  dateOfBirth: Date | null;
  disability: string | null;
}) {
  return {
    localChildId: child.localChildId,
    ...optional('gender', child.gender),
    ...optional('ethnicity', child.ethnicity),
    ...optional('dateOfBirth', child.dateOfBirth ? isoDay(child.dateOfBirth) : null),
    ...optional('disability', child.disability),
  };
}

/** A stored plan's Annex A List 7 fields decided at its conferences. */
export function annexAFacts(plan: {
  initialCategory: string | null;
  latestCategory: string | null;
  emergencyProtectionLast6Months: string | null;
  previousPlans: number | null;
}) {
  return {
    ...optional('initialCategory', plan.initialCategory),
    ...optional('latestCategory', plan.latestCategory),
    ...optional('emergencyProtectionLast6Months', plan.emergencyProtectionLast6Months),
    ...optional('previousPlans', plan.previousPlans),
  };
}

/**
 * The name Annex A's "Allocated Worker" and the Plans sheet show: the plan's social worker, or its social workers by
 * name, joined with ', ' (never one picked at random); undefined when it has none.
 */
export function socialWorkerNames(
  roles: ReadonlyArray<{ role: string; person: { name: string } }>,
): string | undefined {
  const names = roles
    .filter((r) => r.role === 'social-worker')
    .map((r) => r.person.name)
    .sort(compareText);
  return names.length === 0 ? undefined : names.join(', ');
}

/** A plan's people as one comparable value (who, in which role, for which agency; order ignored). */
export function peopleKey(
  people: ReadonlyArray<{ personId: string; role: string; agency?: string | null | undefined }>,
): string {
  return people
    .map((p) => `${p.personId}|${p.role}|${p.agency ?? ''}`)
    .sort()
    .join('\n');
}
