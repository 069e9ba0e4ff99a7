/**
 * A complete month's Summary figures, computed once from the one engine (reports/monthly-audit.ts over the month's
 * plan stream, as the workbook's Summary sheet is) and stored (services/plan-data/figures.ts) for the dashboard's
 * trend and the API. The monthly audit stores its month when it runs; `corewatch figures backfill` fills past months
 * (a deployment's first day, or after a rule change) one partnership-month at a time, in bounded memory.
 */
import { monthOf, nextMonth, previousMonth, type YearMonth } from '../domain/report-months';
import type { IsoDate } from '../domain/types';
import type { PrismaClient } from '../platform/database';
import { MonthlyAudit } from '../reports/monthly-audit';
import { reportPlans, storeMonthFigures } from './plan-data';

/** Computes and stores one partnership's month. Returns the number of figure rows stored. */
export async function computeMonthFigures(db: PrismaClient, partnershipId: string, month: YearMonth): Promise<number> {
  const partnership = await db.partnership.findUnique({ where: { id: partnershipId }, select: { name: true } });
  if (!partnership) throw new Error(`partnership ${partnershipId} does not exist`);
  const audit = new MonthlyAudit(month, partnership.name);
  for await (const plan of reportPlans({ prisma: db, partnershipId, month })()) audit.add(plan);
  return storeMonthFigures(db, partnershipId, month, audit.summary());
}

export interface BackfillProgress {
  partnershipId: string;
  month: YearMonth;
  done: number;
  total: number;
}

/**
 * Stores every complete month from `from` to the month before `today`'s, for one partnership or all. Idempotent: a
 * month already stored is computed again and replaced (so a rule change reaches the trend).
 */
export async function backfillFigures(
  db: PrismaClient,
  options: { from: YearMonth; today: IsoDate; partnershipId?: string; onProgress?: (p: BackfillProgress) => void },
): Promise<{ months: YearMonth[]; partnerships: string[]; rows: number }> {
  const last = previousMonth(monthOf(options.today));
  const months: YearMonth[] = [];
  for (let m = options.from; m <= last; m = nextMonth(m)) months.push(m);
  const partnerships =
    options.partnershipId === undefined
      ? (await db.partnership.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((p) => p.id)
      : [options.partnershipId];
  const total = months.length * partnerships.length;
  let done = 0;
  let rows = 0;
  for (const partnershipId of partnerships) {
    for (const month of months) {
      rows += await computeMonthFigures(db, partnershipId, month);
      done += 1;
      options.onProgress?.({ partnershipId, month, done, total });
    }
  }
  return { months, partnerships, rows };
}
