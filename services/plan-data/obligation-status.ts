/**
 * The engine's status rule (domain/obligations.ts `obligationStatus`) as SQL, for lists and counts that must not
 * load rows to derive it: met (met on or before the due day), late (met after it), overdue (unmet and the due day
 * has passed), pending (unmet, still in time on its due day). test/services/plan-data/obligation-status.test.ts
 * checks the two agree on every case, so the rule stays one rule.
 */
import { Prisma } from '../../prisma/generated/client';
import type { IsoDate } from '../../domain/types';

/** `CASE ... END` giving the status of obligation alias `o` as of `asOf`. */
export function statusSql(asOf: IsoDate): Prisma.Sql {
  return Prisma.sql`CASE
    WHEN o."metOn" IS NOT NULL AND o."metOn" <= o.due THEN 'met'
    WHEN o."metOn" IS NOT NULL THEN 'late'
    WHEN ${asOf}::date > o.due THEN 'overdue'
    ELSE 'pending' END`;
}

/** Aggregates `met`, `late`, `overdue`, `pending` (ints) over the obligations (alias `o`) of a GROUP BY. */
export function statusCounts(asOf: IsoDate): Prisma.Sql {
  const status = statusSql(asOf);
  return Prisma.sql`count(*) FILTER (WHERE ${status} = 'met')::int AS met,
    count(*) FILTER (WHERE ${status} = 'late')::int AS late,
    count(*) FILTER (WHERE ${status} = 'overdue')::int AS overdue,
    count(*) FILTER (WHERE ${status} = 'pending')::int AS pending`;
}
