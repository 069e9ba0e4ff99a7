/**
 * Figures that are read, not recomputed. A complete month's Summary (the monthly audit's, for the partnership and
 * each team) is stored once, by the monthly audit workflow or `corewatch figures backfill`, from the one engine; the
 * dashboard's trend reads those rows. The month in progress and "overdue now" are counted by indexed queries over
 * the obligations read model, with statuses derived as of today (obligation-status.ts).
 */
import { firstDayOf, monthOf, type YearMonth } from '../../domain/report-months';
import type { IsoDate } from '../../domain/types';
import type { PrismaClient } from '../../platform/database';
import type { Measure, Rag, SummaryBlock } from '../../reports/types';
import { statusCounts } from './obligation-status';
import { dateColumn } from './rows';

/** A Summary block as stored: team blocks carry their team's id. */
export type StoredSummaryBlock = SummaryBlock & { teamId?: string };

/** Replaces the stored Summary of one partnership's month (idempotent: a regenerated month overwrites). */
export async function storeMonthFigures(
  db: PrismaClient,
  partnershipId: string,
  month: YearMonth,
  blocks: readonly StoredSummaryBlock[],
): Promise<number> {
  const rows = blocks.flatMap((block) =>
    block.measures.map((m, position) => ({
      partnershipId,
      month,
      scope: block.scope,
      scopeId: block.scope === 'partnership' ? partnershipId : (block.teamId ?? block.name),
      scopeName: block.name,
      measureId: m.id,
      position,
      label: m.label,
      count: m.count,
      denominator: m.denominator ?? null,
      percentage: m.percentage ?? null,
      rag: m.rag,
      rule: m.rule,
    })),
  );
  await db.$transaction([
    db.monthlyFigure.deleteMany({ where: { partnershipId, month } }),
    db.monthlyFigure.createMany({ data: rows }),
  ]);
  return rows.length;
}

/** A stored month's Summary, the partnership block first and then the teams by name; undefined when not stored. */
export async function monthSummary(
  db: PrismaClient,
  partnershipId: string,
  month: YearMonth,
): Promise<StoredSummaryBlock[] | undefined> {
  const rows = await db.monthlyFigure.findMany({
    where: { partnershipId, month },
    orderBy: [{ scope: 'asc' }, { scopeName: 'asc' }, { scopeId: 'asc' }, { position: 'asc' }],
  });
  if (rows.length === 0) return undefined;
  const blocks = new Map<string, StoredSummaryBlock>();
  for (const r of rows) {
    const id = `${r.scope}|${r.scopeId}`;
    let block = blocks.get(id);
    if (block === undefined) {
      block = {
        scope: r.scope as SummaryBlock['scope'],
        name: r.scopeName,
        measures: [],
        ...(r.scope === 'team' ? { teamId: r.scopeId } : {}),
      };
      blocks.set(id, block);
    }
    block.measures.push(measureOf(r));
  }
  // 'partnership' sorts after 'team' in text: put it first, as the workbook does.
  return [...blocks.values()].sort((a, b) => (a.scope === b.scope ? 0 : a.scope === 'partnership' ? -1 : 1));
}

export interface TrendMonth {
  month: YearMonth;
  /** Undefined when the month's figures have not been stored (run `corewatch figures backfill`). */
  measures?: Map<string, Measure>;
}

/** The partnership's stored whole-partnership measures for each of `months` (oldest first, as given). */
export async function partnershipTrend(
  db: PrismaClient,
  partnershipId: string,
  months: readonly YearMonth[],
  measureIds: readonly string[],
): Promise<TrendMonth[]> {
  const rows = await db.monthlyFigure.findMany({
    where: {
      partnershipId,
      scope: 'partnership',
      scopeId: partnershipId,
      month: { in: [...months] },
      measureId: { in: [...measureIds] },
    },
  });
  const byMonth = new Map<string, Map<string, Measure>>();
  for (const r of rows) {
    const measures = byMonth.get(r.month) ?? new Map<string, Measure>();
    measures.set(r.measureId, measureOf(r));
    byMonth.set(r.month, measures);
  }
  return months.map((month) => {
    const measures = byMonth.get(month);
    return measures === undefined ? { month } : { month, measures };
  });
}

function measureOf(r: {
  measureId: string;
  label: string;
  count: number;
  denominator: number | null;
  percentage: number | null;
  rag: string;
  rule: string;
}): Measure {
  const m: Measure = { id: r.measureId, label: r.label, count: r.count, rag: r.rag as Rag, rule: r.rule };
  if (r.denominator !== null) m.denominator = r.denominator;
  if (r.percentage !== null) m.percentage = r.percentage;
  return m;
}

/** The months whose Summary is stored for a partnership, from `from` on (for backfill reports). */
export async function storedMonths(db: PrismaClient, partnershipId: string, from: YearMonth): Promise<YearMonth[]> {
  const rows = await db.monthlyFigure.findMany({
    where: { partnershipId, scope: 'partnership', month: { gte: from } },
    distinct: ['month'],
    select: { month: true },
    orderBy: { month: 'asc' },
  });
  return rows.map((r) => r.month);
}

// ---------------------------------------------------------------------------------------------------------------
// The month in progress, from the read model.

export interface KindToDate {
  kind: string;
  /** Child protection or child in need: records of child in need meetings are not core group records. */
  planType: string;
  due: number;
  met: number;
  late: number;
  overdue: number;
  pending: number;
}

/**
 * Obligations due from the first of today's month to today, by kind and plan type, with how many were met on time,
 * met late, are overdue and are still in time (due today). One index range over the partnership's obligations.
 */
export async function monthToDate(db: PrismaClient, partnershipId: string, today: IsoDate): Promise<KindToDate[]> {
  const monthStart = firstDayOf(monthOf(today));
  return db.$queryRaw<KindToDate[]>`
    SELECT o.kind, p.type AS "planType", count(*)::int AS due, ${statusCounts(today)}
    FROM "Obligation" o JOIN "Plan" p ON p.id = o."planId"
    WHERE o."partnershipId" = ${partnershipId} AND o.due >= ${monthStart}::date AND o.due <= ${today}::date
    GROUP BY o.kind, p.type
    ORDER BY o.kind, p.type`;
}

/** Open plans with at least one overdue obligation as of today (the count on the overview). */
export async function overduePlanCount(db: PrismaClient, partnershipId: string, today: IsoDate): Promise<number> {
  return db.plan.count({ where: { partnershipId, endedOn: null, nextDueOn: { lt: dateColumn(today) } } });
}
