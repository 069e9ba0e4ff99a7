/**
 * What the pages show, read from PostgreSQL and confined to one partnership. Every figure comes from the one engine:
 * the Summary and trend from MonthlyAudit over reportPlans (as the workbook), obligations from evaluatePlan.
 */
import { reportPlans } from '../../services/plan-data/report-source';
import type { PrismaClient } from '../../platform/database';
import { addMonths, daysBetween } from '../../domain/calendar';
import { monthOf, previousMonth } from '../../domain/report-months';
import type { IsoDate, Obligation } from '../../domain/types';
import { EVENT_ORDER, isoDay, recipientRoles, storedObligations } from '../../services/plan-data/rows';
import { MonthlyAudit } from '../../reports/monthly-audit';
import type { SummaryBlock } from '../../reports/types';
import { listableWhere, PLACEMENT_SELECT, visibilityOf, type Access } from './access';
import { pseudonym } from './pseudonym';
import type { EscalationRow, OverdueRow, PlanPage, ReportRow, TrendPoint } from './views';

const TREND_MONTHS = 12;
const EVENTS = { orderBy: EVENT_ORDER };

export async function partnershipName(prisma: PrismaClient, partnershipId: string): Promise<string | undefined> {
  return (await prisma.partnership.findUnique({ where: { id: partnershipId }, select: { name: true } }))?.name;
}

/** The last complete month's Summary and the trend of the TREND_MONTHS months ending with it. */
export async function overview(prisma: PrismaClient, partnershipId: string, name: string, today: IsoDate) {
  const last = previousMonth(monthOf(today));
  const months = Array.from({ length: TREND_MONTHS }, (_, i) => monthOf(addMonths(`${last}-01`, i - (TREND_MONTHS - 1))));
  const trend: TrendPoint[] = [];
  let summary: SummaryBlock[] = [];
  for (const month of months) {
    const audit = new MonthlyAudit(month, name);
    for await (const plan of reportPlans({ prisma, partnershipId, month })()) audit.add(plan);
    const blocks = audit.summary();
    const whole = blocks.find((b) => b.scope === 'partnership')?.measures ?? [];
    const measure = (id: string) => whole.find((m) => m.id === id);
    trend.push({
      month,
      plansOpen: measure('plans-open')?.count ?? 0,
      escalationsRaised: measure('escalations-raised')?.count ?? 0,
      firstCoreGroupsMet: measure('first-core-groups-met')?.percentage,
    });
    if (month === last) summary = blocks;
  }
  return { month: last, summary, trend };
}

/**
 * How a list names a plan: its reference (linked to its page) for the person's own records, a pseudonym for an
 * analyst, and undefined (leave it out) otherwise. The queries already fetch only listable plans; this is the check
 * at the point of display, so a query that fetched too much still shows nothing it should not.
 */
export type PlanLabel = (plan: { id: string; teamId: string; roles: Array<{ personId: string }> }) => { reference: string; linked: boolean } | undefined;

export function planLabeller(access: Access, pseudonymSecret: string): PlanLabel {
  return (plan) => {
    const visibility = visibilityOf(access, plan);
    if (visibility === 'identified') return { reference: plan.id, linked: true };
    if (visibility === 'pseudonymised') return { reference: pseudonym(pseudonymSecret, plan.id), linked: false };
    return undefined;
  };
}

/**
 * Open plans the person may list with an overdue obligation as of `today`, most overdue first. Never reads the
 * child. Plans outside the person's lists are not fetched at all (listableWhere).
 */
export async function overduePlans(prisma: PrismaClient, access: Access, label: PlanLabel, today: IsoDate): Promise<OverdueRow[]> {
  const rows: OverdueRow[] = [];
  let cursor: string | undefined;
  for (;;) {
    const batch = await prisma.plan.findMany({
      where: { ...listableWhere(access), endedOn: null, events: { none: { type: 'plan-ended' } } },
      orderBy: { id: 'asc' },
      take: 200,
      ...(cursor !== undefined ? { cursor: { id: cursor }, skip: 1 } : {}),
      select: { id: true, policyId: true, rulesVersion: true, type: true, startedOn: true, team: { select: { name: true } }, events: EVENTS, ...PLACEMENT_SELECT },
    });
    for (const plan of batch) {
      const shown = label(plan);
      if (!shown) continue;
      const overdue = storedObligations(plan, today).filter((o) => o.status === 'overdue');
      const worst = overdue.reduce<Obligation | undefined>((a, o) => (a === undefined || o.due < a.due ? o : a), undefined);
      if (!worst) continue;
      rows.push({ ...shown, team: plan.team.name, obligation: worst.key, due: worst.due, daysOverdue: daysBetween(worst.due, today), overdueCount: overdue.length });
    }
    if (batch.length < 200) break;
    cursor = batch.at(-1)!.id;
  }
  return rows.sort((a, b) => b.daysOverdue - a.daysOverdue || a.reference.localeCompare(b.reference));
}

/** One plan's page, 'not-found' outside the partnership, 'forbidden' when it is not the person's own record. */
export async function planTimeline(prisma: PrismaClient, access: Access, planId: string, today: IsoDate): Promise<PlanPage | 'not-found' | 'forbidden'> {
  const plan = await prisma.plan.findFirst({
    where: { id: planId, partnershipId: access.partnershipId },
    select: {
      id: true, policyId: true, rulesVersion: true, type: true, startedOn: true, endedOn: true,
      team: { select: { name: true } },
      events: EVENTS,
      notifications: { where: { status: 'sent' }, orderBy: { sentAt: 'asc' } },
      ...PLACEMENT_SELECT,
    },
  });
  if (!plan) return 'not-found';
  if (visibilityOf(access, plan) !== 'identified') return 'forbidden';
  const ended = plan.events.find((e) => e.type === 'plan-ended');
  return {
    reference: plan.id,
    team: plan.team.name,
    policy: plan.policyId,
    rulesVersion: plan.rulesVersion,
    type: plan.type,
    startedOn: isoDay(plan.startedOn),
    endedOn: ended ? isoDay(ended.on) : plan.endedOn ? isoDay(plan.endedOn) : null,
    asOf: today,
    events: plan.events.map((e) => ({ on: isoDay(e.on), type: e.type, detail: '' })),
    obligations: storedObligations(plan, today).map((o) => ({
      key: o.key, kind: o.kind, due: o.due, status: o.status, metOn: o.metOn,
      citation: { id: o.rule.id, source: o.rule.source, section: o.rule.section, quote: o.rule.quote },
    })),
    notifications: plan.notifications.map((n) => ({
      level: n.level,
      subject: n.subject,
      sentAt: n.sentAt ? n.sentAt.toISOString() : null,
      roles: recipientRoles(n.recipients),
    })),
  };
}

export async function escalations(prisma: PrismaClient, access: Access, label: PlanLabel): Promise<EscalationRow[]> {
  const rows = await prisma.notification.findMany({
    where: { plan: listableWhere(access), level: { in: ['escalation', 'second-level'] } },
    orderBy: [{ createdAt: 'desc' }],
    take: 500,
    include: { plan: { select: { id: true, ...PLACEMENT_SELECT } } },
  });
  return rows.flatMap((n) => {
    const shown = label(n.plan);
    return shown ? [{ ...shown, level: n.level, subject: n.obligationKey, status: n.status, at: (n.sentAt ?? n.createdAt).toISOString() }] : [];
  });
}

export async function reports(prisma: PrismaClient, partnershipId: string): Promise<ReportRow[]> {
  const rows = await prisma.monthlyReport.findMany({ where: { partnershipId }, orderBy: [{ month: 'desc' }, { startedAt: 'desc' }] });
  return rows.map((r) => ({ id: r.id, month: r.month, status: r.status, generatedAt: r.generatedAt?.toISOString() ?? null, byteSize: r.byteSize }));
}
