/**
 * Streams a partnership's plans from the database as `ReportPlanInput`s, a bounded batch at a time (keyset
 * pagination on the plan id), so generating a workbook holds one batch in memory however many plans there are.
 * Each call to `plans()` starts a fresh pass: the workbook writer makes several.
 */
import type { PrismaClient } from '../../platform/database';
import {
  annexAFacts,
  childFacts,
  dateColumn,
  domainEvent,
  EVENT_ORDER,
  isoDay,
  optional,
  socialWorkerNames,
} from './rows';
import { addMonths } from '../../domain/calendar';
import { isPolicyId } from '../../domain/policies';
import type { PlanType } from '../../domain/types';
import type { ReportPlanInput, YearMonth } from '../../reports/types';

const BATCH = 200;

export interface ReportSourceOptions {
  prisma: PrismaClient;
  partnershipId: string;
  month: YearMonth;
}

/** Plans that can appear in the month's workbook: started by its end, not ended before the 12-month attendance window. */
export function reportPlans(options: ReportSourceOptions): () => AsyncIterable<ReportPlanInput> {
  const { prisma, partnershipId, month } = options;
  const monthStart = `${month}-01`;
  const monthEnd = addMonths(monthStart, 1);
  const windowStart = addMonths(monthStart, -11);
  return async function* plans() {
    let cursor: string | undefined;
    for (;;) {
      const batch = await prisma.plan.findMany({
        where: {
          partnershipId,
          startedOn: { lt: dateColumn(monthEnd) },
          OR: [{ endedOn: null }, { endedOn: { gte: dateColumn(windowStart) } }],
        },
        orderBy: { id: 'asc' },
        take: BATCH,
        ...(cursor !== undefined ? { cursor: { id: cursor }, skip: 1 } : {}),
        include: {
          team: { select: { id: true, name: true } },
          child: { select: { localChildId: true, gender: true, ethnicity: true, dateOfBirth: true, disability: true } },
          roles: { include: { person: { select: { name: true, agency: true } } } },
          events: { orderBy: EVENT_ORDER },
          notifications: {
            select: { key: true, obligationKey: true, level: true, status: true, recipients: true, sentAt: true },
          },
        },
      });
      for (const row of batch) {
        if (!isPolicyId(row.policyId)) continue;
        const input: ReportPlanInput = {
          planId: row.id,
          teamId: row.team.id,
          teamName: row.team.name,
          policyId: row.policyId,
          rulesVersion: row.rulesVersion,
          type: row.type as PlanType,
          startedOn: isoDay(row.startedOn),
          events: row.events.map(domainEvent),
          child: childFacts(row.child),
          annexA: annexAFacts(row),
          members: row.roles
            .filter((r) => r.role === 'core-group-member' || r.role === 'social-worker')
            .map((r) => ({ agency: r.agency ?? r.person.agency ?? 'unknown', role: r.role })),
          notifications: row.notifications.map((n) => ({
            key: n.key,
            subject: n.obligationKey,
            level: n.level,
            status: n.status,
            recipients: Array.isArray(n.recipients) ? (n.recipients as Array<{ role: string; email?: string }>) : [],
            ...optional('sentAt', n.sentAt ? n.sentAt.toISOString() : null),
          })),
          ...optional('workerName', socialWorkerNames(row.roles)),
          ...optional('endedOn', row.endedOn ? isoDay(row.endedOn) : null),
        };
        yield input;
      }
      if (batch.length < BATCH) return;
      cursor = batch[batch.length - 1]!.id;
    }
  };
}

export async function countReportPlans(options: ReportSourceOptions): Promise<number> {
  const monthStart = `${options.month}-01`;
  return options.prisma.plan.count({
    where: {
      partnershipId: options.partnershipId,
      startedOn: { lt: dateColumn(addMonths(monthStart, 1)) },
      OR: [{ endedOn: null }, { endedOn: { gte: dateColumn(addMonths(monthStart, -11)) } }],
    },
  });
}
