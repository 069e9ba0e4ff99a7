/**
 * Annex A List 7's plans: the child protection plans of a partnership open on a day, one per child (the most recently
 * started, then the highest reference), ordered by Child Unique ID, streamed a batch at a time (keyset on the Child
 * Unique ID) so the download and the monthly workbook's sheet hold one batch in memory however many children there
 * are. Each call starts a fresh pass. The row itself is laid out by reports/annex-a.ts.
 *
 * Open on the day: started on or before it, and not ended before it (Plan.endedOn, the read model's end). The team and
 * social worker are the plan's now (Plan.teamId and the `social-worker` PlanRole rows, which intake keeps current).
 */
import { Prisma } from '../../prisma/generated/client';
import type { PrismaClient } from '../../platform/database';
import type { IsoDate, PlanType } from '../../domain/types';
import type { AnnexAPlanInput } from '../../reports/types';
import { annexAFacts, childFacts, domainEvent, EVENT_ORDER, isoDay, optional, socialWorkerNames } from './rows';

const BATCH = 200;

export interface AnnexASourceOptions {
  prisma: PrismaClient;
  partnershipId: string;
  asOf: IsoDate;
}

/** The plans, as a function starting a fresh pass each call. */
export function annexAPlans(options: AnnexASourceOptions): () => AsyncIterable<AnnexAPlanInput> {
  const { prisma, partnershipId, asOf } = options;
  return async function* plans() {
    let after: string | undefined;
    for (;;) {
      // DISTINCT ON keeps the first plan of each child in this order: the one Annex A lists for them.
      const picked = await prisma.$queryRaw<Array<{ id: string; localChildId: string }>>(Prisma.sql`
        SELECT DISTINCT ON (c."localChildId") p.id, c."localChildId"
        FROM "Plan" p JOIN "Child" c ON c.id = p."childId"
        WHERE p."partnershipId" = ${partnershipId} AND p.type = 'child-protection'
          AND p."startedOn" <= ${asOf}::date
          AND (p."endedOn" IS NULL OR p."endedOn" >= ${asOf}::date)
          ${after === undefined ? Prisma.empty : Prisma.sql`AND c."localChildId" > ${after}`}
        ORDER BY c."localChildId", p."startedOn" DESC, p.id DESC
        LIMIT ${BATCH}`);
      if (picked.length === 0) return;
      const rows = await prisma.plan.findMany({
        where: { id: { in: picked.map((p) => p.id) } },
        include: {
          team: { select: { name: true } },
          child: { select: { localChildId: true, gender: true, ethnicity: true, dateOfBirth: true, disability: true } },
          roles: { where: { role: 'social-worker' }, include: { person: { select: { name: true } } } },
          events: {
            where: { type: { in: ['child-seen', 'review-conference-held', 'plan-ended'] } },
            orderBy: EVENT_ORDER,
          },
        },
      });
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const { id } of picked) {
        const row = byId.get(id);
        if (row === undefined) continue; // deleted between the two reads: not on the list
        yield {
          planId: row.id,
          teamName: row.team.name,
          type: row.type as PlanType,
          startedOn: isoDay(row.startedOn),
          events: row.events.map(domainEvent),
          child: childFacts(row.child),
          annexA: annexAFacts(row),
          ...optional('workerName', socialWorkerNames(row.roles)),
          ...optional('endedOn', row.endedOn ? isoDay(row.endedOn) : null),
        };
      }
      if (picked.length < BATCH) return;
      after = picked[picked.length - 1]!.localChildId;
    }
  };
}
