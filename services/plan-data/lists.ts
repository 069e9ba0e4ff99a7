/**
 * The lists people page through: plans overdue now, a partnership's plans (the API), and escalations. Each is one
 * indexed query over the read model for the page asked for plus one count, keyset-paged (a stable cursor, next and
 * previous), confined to a scope and filtered by team, social worker, obligation kind and days overdue. No request
 * reads a partnership's plans into memory, and none evaluates a plan: overdue is the stored due date before today.
 */
import { Prisma } from '../../prisma/generated/client';
import { addDays } from '../../domain/calendar';
import { IsoDateSchema, unsafeTextReason } from '../../domain/input-policy';
import { daysOverdue, obligationStatus } from '../../domain/obligations';
import { Refusal } from '../../domain/refusal';
import type { IsoDate, ObligationKind, ObligationStatus } from '../../domain/types';
import { hotRead, type PrismaClient } from '../../platform/database';
import { isoDay, isoDayOrUndefined } from './rows';

/**
 * Whose plans a list may hold: a partnership's, optionally only the reader's own records (the teams they manage and
 * their caseload). Who gets which scope is the dashboard's and the API's decision (domain/access.ts).
 */
export interface PlanScope {
  partnershipId: string;
  restrictTo?: { teamIds: readonly string[]; socialWorkerId: string };
}

export interface ListFilters {
  teamId?: string;
  /** Plans whose social worker this person is. */
  socialWorkerId?: string;
  /** Only obligations of this kind count. */
  kind?: ObligationKind;
  /** At least this many days overdue (1 = any overdue obligation). */
  minDaysOverdue?: number;
}

export interface PageRequest {
  limit: number;
  /** A cursor from a page's `next`: the page after it. */
  after?: string;
  /** A cursor from a page's `previous`: the page before it. */
  before?: string;
  /** What the caller's request calls `after` and `before`, for a refused cursor to name (default: those). */
  names?: { after: string; before: string };
}

export interface Page<Row> {
  rows: Row[];
  /** Rows in the whole list, all pages. */
  total: number;
  next: string | null;
  previous: string | null;
}

// ---------------------------------------------------------------------------------------------------------------
// Overdue now.

export interface OverdueListRow {
  planId: string;
  teamId: string;
  teamName: string;
  socialWorkerIds: string[];
  /** The most overdue obligation (the earliest due, ties by key). */
  key: string;
  due: IsoDate;
  daysOverdue: number;
  overdueCount: number;
}

/** Open plans with an obligation past its due date as of `today`, most overdue first. */
export async function overduePlans(
  db: PrismaClient,
  scope: PlanScope,
  filters: ListFilters,
  page: PageRequest,
  today: IsoDate,
): Promise<Page<OverdueListRow>> {
  const cutoff = overdueCutoff(today, filters.minDaysOverdue);
  // The plan's most overdue obligation: without a kind filter it is the plan's stored next due obligation (one index
  // range over the plans); with one, the earliest unmet obligation of that kind, joined back to its plan.
  const from =
    filters.kind === undefined
      ? Prisma.sql`(SELECT p.id AS "planId", p."nextDueKey" AS key, p."nextDueOn" AS due, p.* FROM "Plan" p
          WHERE p."partnershipId" = ${scope.partnershipId} AND p."nextDueOn" <= ${cutoff}::date) AS p`
      : Prisma.sql`(SELECT DISTINCT ON (o."planId") o."planId", o.key, o.due FROM "Obligation" o
          WHERE o."partnershipId" = ${scope.partnershipId} AND o."metOn" IS NULL AND o.kind = ${filters.kind} AND o.due <= ${cutoff}::date
          ORDER BY o."planId", o.due, o.key) AS w JOIN "Plan" p ON p.id = w."planId"`;
  const worst = filters.kind === undefined ? 'p' : 'w';
  const col = (name: string) => Prisma.raw(`${worst}."${name}"`);
  const kindCondition = filters.kind === undefined ? Prisma.empty : Prisma.sql`AND o.kind = ${filters.kind}`;
  const where = Prisma.sql`p."endedOn" IS NULL AND ${scopeCondition(scope)} ${filterConditions(filters)}`;

  const cursor = decodeCursor(page, ['date', 'text']);
  const backwards = page.before !== undefined;
  const keyset =
    cursor === undefined
      ? Prisma.empty
      : backwards
        ? Prisma.sql`AND (${col('due')}, ${col('planId')}) < (${cursor[0]}::date, ${cursor[1]})`
        : Prisma.sql`AND (${col('due')}, ${col('planId')}) > (${cursor[0]}::date, ${cursor[1]})`;
  const order = backwards
    ? Prisma.sql`${col('due')} DESC, ${col('planId')} DESC`
    : Prisma.sql`${col('due')}, ${col('planId')}`;

  // The page and the whole list's length, at once (two cheap index reads rather than one that counts while it pages).
  const [rows, counted] = await Promise.all([
    hotRead<
      Array<{
        planId: string;
        key: string;
        due: Date;
        teamId: string;
        teamName: string;
        socialWorkerIds: string[];
        overdueCount: number;
      }>
    >(
      db,
      Prisma.sql`
    SELECT ${col('planId')} AS "planId", ${col('key')} AS key, ${col('due')} AS due, p."teamId", t.name AS "teamName",
      ARRAY(SELECT r."personId" FROM "PlanRole" r WHERE r."planId" = p.id AND r.role = 'social-worker' ORDER BY r."personId") AS "socialWorkerIds",
      (SELECT count(*)::int FROM "Obligation" o WHERE o."planId" = p.id AND o."metOn" IS NULL AND o.due < ${today}::date ${kindCondition}) AS "overdueCount"
    FROM ${from} JOIN "Team" t ON t.id = p."teamId"
    WHERE ${where} ${keyset}
    ORDER BY ${order}
    LIMIT ${page.limit + 1}`,
    ),
    hotRead<Array<{ total: number }>>(
      db,
      Prisma.sql`
    SELECT count(*)::int AS total FROM ${from} JOIN "Team" t ON t.id = p."teamId" WHERE ${where}`,
    ),
  ]);
  const total = counted[0]?.total ?? 0;

  return pageOf(
    rows,
    page,
    total,
    (r) => [isoDay(r.due), r.planId],
    (r) => {
      const due = isoDay(r.due);
      return {
        planId: r.planId,
        teamId: r.teamId,
        teamName: r.teamName,
        socialWorkerIds: r.socialWorkerIds,
        key: r.key,
        due,
        daysOverdue: daysOverdue(due, undefined, today),
        overdueCount: r.overdueCount,
      };
    },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// A partnership's plans (the API's list).

export interface PlanListFilters extends ListFilters {
  policyId?: string;
  status?: 'open' | 'ended';
  /** true: only plans with an overdue obligation; false: only plans with none. */
  overdue?: boolean;
}

export interface PlanListRow {
  reference: string;
  teamId: string;
  policy: string;
  type: string;
  startedOn: IsoDate;
  endedOn: IsoDate | null;
  /** The earliest unmet obligation: the most overdue, or the next due. */
  nextDue: { key: string; kind: string; due: IsoDate; status: ObligationStatus } | null;
  daysOverdue: number;
  /** Why the plan cannot be evaluated, when it cannot. */
  evaluationError: string | null;
}

/** A partnership's plans in reference order, with their next due obligation as of `today`. */
export async function listPlans(
  db: PrismaClient,
  scope: PlanScope,
  filters: PlanListFilters,
  page: PageRequest,
  today: IsoDate,
): Promise<Page<PlanListRow>> {
  const conditions: Prisma.Sql[] = [scopeCondition(scope)];
  if (filters.policyId !== undefined) conditions.push(Prisma.sql`p."policyId" = ${filters.policyId}`);
  if (filters.status === 'open') conditions.push(Prisma.sql`p."endedOn" IS NULL`);
  if (filters.status === 'ended') conditions.push(Prisma.sql`p."endedOn" IS NOT NULL`);
  const overdueOnly = filters.overdue === true || filters.minDaysOverdue !== undefined;
  const cutoff = overdueCutoff(today, filters.minDaysOverdue);
  if (filters.kind !== undefined) {
    const due = overdueOnly ? Prisma.sql`AND o.due <= ${cutoff}::date` : Prisma.empty;
    conditions.push(
      Prisma.sql`EXISTS (SELECT 1 FROM "Obligation" o WHERE o."planId" = p.id AND o."metOn" IS NULL AND o.kind = ${filters.kind} ${due})`,
    );
  } else if (overdueOnly) {
    conditions.push(Prisma.sql`p."nextDueOn" <= ${cutoff}::date`);
  }
  if (filters.overdue === false)
    conditions.push(Prisma.sql`(p."nextDueOn" IS NULL OR p."nextDueOn" >= ${today}::date)`);
  const where = Prisma.sql`${Prisma.join(conditions, ' AND ')} ${filterConditions({ ...pick(filters, 'teamId', 'socialWorkerId') })}`;

  const cursor = decodeCursor(page, ['text']);
  const backwards = page.before !== undefined;
  const keyset =
    cursor === undefined
      ? Prisma.empty
      : backwards
        ? Prisma.sql`AND p.id < ${cursor[0]}`
        : Prisma.sql`AND p.id > ${cursor[0]}`;
  // The page and the whole list's length, at once (two cheap index reads rather than one that counts while it pages).
  const [rows, counted] = await Promise.all([
    hotRead<
      Array<{
        id: string;
        teamId: string;
        policyId: string;
        type: string;
        startedOn: Date;
        endedOn: Date | null;
        nextDueOn: Date | null;
        nextDueKey: string | null;
        nextDueKind: string | null;
        evaluationError: string | null;
      }>
    >(
      db,
      Prisma.sql`
    SELECT p.id, p."teamId", p."policyId", p.type, p."startedOn", p."endedOn", p."nextDueOn", p."nextDueKey", p."nextDueKind", p."evaluationError"
    FROM "Plan" p WHERE ${where} ${keyset}
    ORDER BY ${backwards ? Prisma.sql`p.id DESC` : Prisma.sql`p.id`}
    LIMIT ${page.limit + 1}`,
    ),
    hotRead<Array<{ total: number }>>(db, Prisma.sql`SELECT count(*)::int AS total FROM "Plan" p WHERE ${where}`),
  ]);
  const total = counted[0]?.total ?? 0;

  return pageOf(
    rows,
    page,
    total,
    (r) => [r.id],
    (r) => {
      const due = isoDayOrUndefined(r.nextDueOn);
      return {
        reference: r.id,
        teamId: r.teamId,
        policy: r.policyId,
        type: r.type,
        startedOn: isoDay(r.startedOn),
        endedOn: isoDayOrUndefined(r.endedOn) ?? null,
        nextDue:
          due === undefined
            ? null
            : {
                key: r.nextDueKey ?? '',
                kind: r.nextDueKind ?? '',
                due,
                status: obligationStatus(due, undefined, today),
              },
        daysOverdue: due === undefined ? 0 : daysOverdue(due, undefined, today),
        evaluationError: r.evaluationError,
      };
    },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Escalations.

export interface EscalationListRow {
  planId: string;
  teamId: string;
  socialWorkerIds: string[];
  level: string;
  /** The obligation key, or the event it was about. */
  subject: string;
  status: string;
  /** Retrying cannot reach someone it is addressed to (Notification.undeliverable). */
  undeliverable: boolean;
  /** Why it was not (or not wholly) delivered, or why it is failing for now; null when nothing went wrong. */
  problem: string | null;
  /** When it was sent, or created when it has not been. */
  at: string;
}

/**
 * Escalations and second-level escalations, newest first, and any reminder that could not be delivered (so every
 * undeliverable notification is listed). Kind and days overdue filter by their obligation.
 */
export async function escalations(
  db: PrismaClient,
  scope: PlanScope,
  filters: ListFilters,
  page: PageRequest,
  today: IsoDate,
): Promise<Page<EscalationListRow>> {
  const conditions: Prisma.Sql[] = [
    Prisma.sql`(n.level IN ('escalation', 'second-level') OR (n.level = 'reminder' AND n.undeliverable))`,
    scopeCondition(scope),
  ];
  if (filters.kind !== undefined) conditions.push(Prisma.sql`o.kind = ${filters.kind}`);
  if (filters.minDaysOverdue !== undefined)
    conditions.push(Prisma.sql`o."metOn" IS NULL AND o.due <= ${overdueCutoff(today, filters.minDaysOverdue)}::date`);
  const where = Prisma.sql`${Prisma.join(conditions, ' AND ')} ${filterConditions(pick(filters, 'teamId', 'socialWorkerId'))}`;
  const from = Prisma.sql`"Notification" n JOIN "Plan" p ON p.id = n."planId" LEFT JOIN "Obligation" o ON o."planId" = n."planId" AND o.key = n."obligationKey"`;

  const cursor = decodeCursor(page, ['instant', 'text']);
  const backwards = page.before !== undefined;
  // Newest first: the next page is older (smaller), the previous page newer.
  const keyset =
    cursor === undefined
      ? Prisma.empty
      : backwards
        ? Prisma.sql`AND (n."createdAt", n.id) > (${cursor[0]}::timestamptz, ${cursor[1]})`
        : Prisma.sql`AND (n."createdAt", n.id) < (${cursor[0]}::timestamptz, ${cursor[1]})`;
  // The page and the whole list's length, at once (two cheap index reads rather than one that counts while it pages).
  const [rows, counted] = await Promise.all([
    hotRead<
      Array<{
        id: string;
        planId: string;
        teamId: string;
        level: string;
        subject: string;
        status: string;
        undeliverable: boolean;
        lastError: string | null;
        sentAt: Date | null;
        createdAt: Date;
        socialWorkerIds: string[];
      }>
    >(
      db,
      Prisma.sql`
    SELECT n.id, n."planId", p."teamId", n.level, n."obligationKey" AS subject, n.status, n.undeliverable,
      n."lastError", n."sentAt", n."createdAt",
      ARRAY(SELECT r."personId" FROM "PlanRole" r WHERE r."planId" = p.id AND r.role = 'social-worker' ORDER BY r."personId") AS "socialWorkerIds"
    FROM ${from} WHERE ${where} ${keyset}
    ORDER BY ${backwards ? Prisma.sql`n."createdAt", n.id` : Prisma.sql`n."createdAt" DESC, n.id DESC`}
    LIMIT ${page.limit + 1}`,
    ),
    hotRead<Array<{ total: number }>>(db, Prisma.sql`SELECT count(*)::int AS total FROM ${from} WHERE ${where}`),
  ]);
  const total = counted[0]?.total ?? 0;
  return pageOf(
    rows,
    page,
    total,
    (r) => [r.createdAt.toISOString(), r.id],
    (r) => ({
      planId: r.planId,
      teamId: r.teamId,
      socialWorkerIds: r.socialWorkerIds,
      level: r.level,
      subject: r.subject,
      status: r.status,
      undeliverable: r.undeliverable,
      problem: r.status === 'sent' && !r.undeliverable ? null : r.lastError,
      at: (r.sentAt ?? r.createdAt).toISOString(),
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Plans that cannot be evaluated.

export interface UnevaluablePlanRow {
  planId: string;
  teamId: string;
  teamName: string;
  socialWorkerIds: string[];
  reason: string;
}

/**
 * The open plans in scope the engine cannot evaluate (stored before a check existed, or under rules since withdrawn),
 * with why: shown beside the lists so such a plan is seen and mended, never silently missing from "overdue now". At
 * most `limit` of them, with their number. Such a plan has no obligations, so no next due day: the read is the
 * index range of the partnership's plans with none (ended plans, plans with nothing owed, and these).
 */
/** A plan the engine cannot evaluate: no next due day (it has no obligations) and the reason recorded. */
const CANNOT_BE_EVALUATED = Prisma.sql`p."nextDueOn" IS NULL AND p."evaluationError" IS NOT NULL`;

export async function unevaluablePlans(
  db: PrismaClient,
  scope: PlanScope,
  limit: number,
): Promise<{ rows: UnevaluablePlanRow[]; total: number }> {
  const where = Prisma.sql`${scopeCondition(scope)} AND ${CANNOT_BE_EVALUATED}`;
  const [rows, counted] = await Promise.all([
    hotRead<UnevaluablePlanRow[]>(
      db,
      Prisma.sql`
    SELECT p.id AS "planId", p."teamId", t.name AS "teamName", p."evaluationError" AS reason,
      ARRAY(SELECT r."personId" FROM "PlanRole" r WHERE r."planId" = p.id AND r.role = 'social-worker' ORDER BY r."personId") AS "socialWorkerIds"
    FROM "Plan" p JOIN "Team" t ON t.id = p."teamId" WHERE ${where} ORDER BY p.id LIMIT ${limit}`,
    ),
    hotRead<Array<{ total: number }>>(db, Prisma.sql`SELECT count(*)::int AS total FROM "Plan" p WHERE ${where}`),
  ]);
  return { rows, total: counted[0]?.total ?? 0 };
}

/** How many plans of the partnership cannot be evaluated (the same index range as the list above). */
export async function unevaluablePlanCount(db: PrismaClient, partnershipId: string): Promise<number> {
  const [row] = await hotRead<Array<{ total: number }>>(
    db,
    Prisma.sql`SELECT count(*)::int AS total FROM "Plan" p
      WHERE p."partnershipId" = ${partnershipId} AND ${CANNOT_BE_EVALUATED}`,
  );
  return row?.total ?? 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Shared pieces.

/** The latest due day that is overdue by at least `minDays` (default 1: overdue at all) as of `today`. */
function overdueCutoff(today: IsoDate, minDays: number | undefined): IsoDate {
  return addDays(today, -Math.max(1, minDays ?? 1));
}

function scopeCondition(scope: PlanScope): Prisma.Sql {
  const partnership = Prisma.sql`p."partnershipId" = ${scope.partnershipId}`;
  if (scope.restrictTo === undefined) return partnership;
  const { teamIds, socialWorkerId } = scope.restrictTo;
  const teams = teamIds.length === 0 ? Prisma.sql`false` : Prisma.sql`p."teamId" IN (${Prisma.join([...teamIds])})`;
  return Prisma.sql`${partnership} AND (${teams} OR ${socialWorkerIs(socialWorkerId)})`;
}

function socialWorkerIs(personId: string): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM "PlanRole" r WHERE r."planId" = p.id AND r."personId" = ${personId} AND r.role = 'social-worker')`;
}

/** The team and social worker filters, each as `AND ...` (empty when not asked for). */
function filterConditions(filters: Pick<ListFilters, 'teamId' | 'socialWorkerId'>): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (filters.teamId !== undefined) parts.push(Prisma.sql`AND p."teamId" = ${filters.teamId}`);
  if (filters.socialWorkerId !== undefined) parts.push(Prisma.sql`AND ${socialWorkerIs(filters.socialWorkerId)}`);
  return parts.length === 0 ? Prisma.empty : Prisma.join(parts, ' ');
}

function pick<T extends object, K extends keyof T>(value: T, ...keys: K[]): Pick<T, K> {
  const result = {} as Pick<T, K>;
  for (const key of keys) if (value[key] !== undefined) result[key] = value[key];
  return result;
}

/**
 * A page from `limit + 1` rows fetched in the list's order (reversed when paging backwards): the extra row says
 * whether there is a further page. Cursors are opaque: the sort key of a page's last (next) or first (previous) row.
 */
function pageOf<Stored, Row>(
  fetched: Stored[],
  page: PageRequest,
  total: number,
  keyOf: (r: Stored) => string[],
  toRow: (r: Stored) => Row,
): Page<Row> {
  const backwards = page.before !== undefined;
  const more = fetched.length > page.limit;
  const kept = fetched.slice(0, page.limit);
  if (backwards) kept.reverse();
  const first = kept[0];
  const last = kept.at(-1);
  const hasNext = backwards ? page.before !== undefined : more;
  const hasPrevious = backwards ? more : page.after !== undefined;
  return {
    rows: kept.map(toRow),
    total,
    next: hasNext && last !== undefined ? encodeCursor(keyOf(last)) : null,
    previous: hasPrevious && first !== undefined ? encodeCursor(keyOf(first)) : null,
  };
}

function encodeCursor(key: string[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

// A forged cursor decodes to anything: each part must be what PostgreSQL can hold (no year 0, no NUL) or it is a 400.
const CURSOR_PART: Record<'date' | 'instant' | 'text', (value: string) => boolean> = {
  date: (value) => IsoDateSchema.safeParse(value).success,
  instant: (value) =>
    /^(19|20|21)\d{2}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value) && !Number.isNaN(Date.parse(value)),
  text: (value) => value.length > 0 && value.length <= 300 && unsafeTextReason(value) === undefined,
};

/** The sort key a cursor carries, checked part by part, so a forged cursor is a 400 and never reaches SQL as junk. */
function decodeCursor(page: PageRequest, parts: ReadonlyArray<keyof typeof CURSOR_PART>): string[] | undefined {
  const value = page.before ?? page.after;
  if (value === undefined) return undefined;
  const field = page.before !== undefined ? (page.names?.before ?? 'before') : (page.names?.after ?? 'after');
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  if (
    !Array.isArray(key) ||
    key.length !== parts.length ||
    !key.every((k, i) => typeof k === 'string' && CURSOR_PART[parts[i]!](k))
  ) {
    throw new Refusal('invalid', field, 'is not a cursor this list gave out');
  }
  return key as string[];
}
