/**
 * What the pages show, read through services/plan-data and confined to what the signed-in person may see. Nothing
 * here evaluates a plan or recomputes a month: the overview's trend and last month's Summary are the stored monthly
 * figures, the month so far and "overdue now" are indexed queries over the obligations read model, and lists are one
 * page at a time.
 */
import type { PrismaClient } from '../../platform/database';
import { completeMonthsBefore } from '../../domain/report-months';
import { describeInterval } from '../../domain/calendar';
import type { IdentifiedEvent, IsoDate } from '../../domain/types';
import * as plans from '../../services/plan-data';
import type { ListFilters, Page, PageRequest } from '../../services/plan-data';
import { listScope, visibilityOf, type Access } from './access';
import { pseudonym } from './pseudonym';
import { SharedFigures } from './shared-figures';
import type { EscalationRow, OverdueRow, PlanPage, ReportRow, TrendPoint, UnevaluableList } from './views';

const TREND_MONTHS = 12;

/** The measures the trend follows, by id (reports/monthly-audit.ts): what a partnership watches month to month. */
export const TREND_MEASURES = {
  firstCoreGroups: 'first-core-groups-met',
  laterCoreGroups: 'later-core-groups-on-time',
  records: 'records-on-time',
  childSeen: 'child-seen-on-time',
  plansOpen: 'plans-open',
  escalationsRaised: 'escalations-raised',
} as const;

export async function partnershipName(prisma: PrismaClient, partnershipId: string): Promise<string | undefined> {
  return (await prisma.partnership.findUnique({ where: { id: partnershipId }, select: { name: true } }))?.name;
}

export interface Overview {
  /** Undefined when the partnership is not recorded. */
  partnershipName: string | undefined;
  /** The last complete month. */
  month: string;
  /** Its stored Summary; undefined when it has not been computed yet. */
  summary: plans.StoredSummaryBlock[] | undefined;
  trend: TrendPoint[];
  /** Obligations due so far this month, by kind. */
  toDate: plans.KindToDate[];
  overdueNow: number;
  today: IsoDate;
}

/**
 * How long the overview's figures may be reused: the stored months change once a month and the month so far moves
 * as events arrive, so a minute-old overview is the same overview (it says when it is as of).
 */
const SHARED_TTL_MS = 60_000;

/**
 * The dashboard's shared figures (shared-figures.ts), one set per app: the overview and the lists' filter options,
 * each reused for a minute across viewers of the same partnership.
 */
export function sharedFigures(prisma: PrismaClient) {
  const overviews = new SharedFigures<Overview>(SHARED_TTL_MS);
  const options = new SharedFigures<FilterOptions>(SHARED_TTL_MS);
  const unevaluable = new SharedFigures<number>(SHARED_TTL_MS);
  return {
    overview: (partnershipId: string, today: IsoDate) =>
      overviews.get(`${partnershipId}|${today}`, () => overview(prisma, partnershipId, today)),
    filterOptions: (partnershipId: string) => options.get(partnershipId, () => filterOptions(prisma, partnershipId)),
    /**
     * How many of the partnership's plans cannot be evaluated (a count, no plan named): "overdue now" lists them only
     * when there are any. They come only from data stored before a check existed (intake refuses them), so a count a
     * minute old is news soon enough, and the usual page view is spared the list's two queries.
     */
    unevaluableCount: (partnershipId: string) =>
      unevaluable.get(partnershipId, () => plans.unevaluablePlanCount(prisma, partnershipId)),
  };
}

export async function overview(prisma: PrismaClient, partnershipId: string, today: IsoDate): Promise<Overview> {
  const months = completeMonthsBefore(today, TREND_MONTHS);
  const month = months.at(-1)!;
  const [name, summary, trendRows, toDate, overdueNow] = await Promise.all([
    partnershipName(prisma, partnershipId),
    plans.monthSummary(prisma, partnershipId, month),
    plans.partnershipTrend(prisma, partnershipId, months, Object.values(TREND_MEASURES)),
    plans.monthToDate(prisma, partnershipId, today),
    plans.overduePlanCount(prisma, partnershipId, today),
  ]);
  const trend = trendRows.map((t): TrendPoint => {
    if (t.measures === undefined) return { month: t.month, computed: false };
    const m = t.measures;
    const rate = (id: string) => {
      const measure = m.get(id);
      return measure === undefined
        ? undefined
        : { count: measure.count, denominator: measure.denominator ?? 0, percentage: measure.percentage };
    };
    return {
      month: t.month,
      computed: true,
      plansOpen: m.get(TREND_MEASURES.plansOpen)?.count ?? 0,
      escalationsRaised: m.get(TREND_MEASURES.escalationsRaised)?.count ?? 0,
      firstCoreGroups: rate(TREND_MEASURES.firstCoreGroups),
      laterCoreGroups: rate(TREND_MEASURES.laterCoreGroups),
      records: rate(TREND_MEASURES.records),
      childSeen: rate(TREND_MEASURES.childSeen),
    };
  });
  return { partnershipName: name, month, summary, trend, toDate, overdueNow, today };
}

/**
 * How a list names a plan: its reference (linked to its page) for the person's own records, a pseudonym for an
 * analyst, and undefined (leave it out) otherwise. The queries already fetch only listable plans; this is the check
 * at the point of display, so a query that fetched too much still shows nothing it should not.
 */
export type PlanLabel = (plan: {
  planId: string;
  teamId: string;
  socialWorkerIds: readonly string[];
}) => { reference: string; linked: boolean } | undefined;

export function planLabeller(access: Access, pseudonymSecret: string): PlanLabel {
  return (plan) => {
    const visibility = visibilityOf(access, plan);
    if (visibility === 'identified') return { reference: plan.planId, linked: true };
    if (visibility === 'pseudonymised') return { reference: pseudonym(pseudonymSecret, plan.planId), linked: false };
    return undefined;
  };
}

/** A page of the open plans the person may list with an overdue obligation as of `today`, most overdue first. */
export async function overduePlans(
  prisma: PrismaClient,
  access: Access,
  label: PlanLabel,
  filters: ListFilters,
  page: PageRequest,
  today: IsoDate,
): Promise<Page<OverdueRow>> {
  const found = await plans.overduePlans(prisma, listScope(access), filters, page, today);
  return {
    ...found,
    rows: found.rows.flatMap((r) => {
      const shown = label(r);
      return shown
        ? [
            {
              ...shown,
              team: r.teamName,
              obligation: r.key,
              due: r.due,
              daysOverdue: r.daysOverdue,
              overdueCount: r.overdueCount,
            },
          ]
        : [];
    }),
  };
}

/** The plans in the person's lists that cannot be evaluated (at most `limit`), labelled as the lists label plans. */
export async function unevaluablePlans(
  prisma: PrismaClient,
  access: Access,
  label: PlanLabel,
  limit = 20,
): Promise<UnevaluableList> {
  const found = await plans.unevaluablePlans(prisma, listScope(access), limit);
  return {
    total: found.total,
    rows: found.rows.flatMap((r) => {
      const shown = label(r);
      return shown ? [{ ...shown, team: r.teamName, reason: r.reason }] : [];
    }),
  };
}

/** One plan's page, 'not-found' outside the partnership, 'forbidden' when it is not the person's own record. */
export async function planTimeline(
  prisma: PrismaClient,
  access: Access,
  planId: string,
  today: IsoDate,
): Promise<PlanPage | 'not-found' | 'forbidden'> {
  const plan = await plans.planTimeline(prisma, { planId, partnershipId: access.partnershipId }, today, today);
  if (!plan) return 'not-found';
  if (visibilityOf(access, plan) !== 'identified') return 'forbidden';
  return {
    reference: plan.reference,
    team: plan.teamName,
    policy: plan.policy,
    rulesVersion: plan.rulesVersion,
    type: plan.type,
    startedOn: plan.startedOn,
    endedOn: plan.endedOn,
    evaluationError: plan.evaluationError,
    asOf: plan.asOf,
    events: plan.events.map((e) => ({ on: e.on, type: e.type, detail: eventDetail(e, plan.meetings) })),
    obligations: plan.obligations.map((o) => ({
      key: o.key,
      kind: o.kind,
      due: o.due,
      status: o.status,
      metOn: o.metOn,
      citation: {
        id: o.rule.id,
        source: o.rule.source,
        section: o.rule.section,
        quote: o.rule.quote,
        basis: o.rule.basis,
        ...(o.rule.note === undefined ? {} : { note: o.rule.note }),
      },
    })),
    notifications: plan.notifications,
    people: plan.people.map((p) => ({ name: p.name, role: p.role, agency: p.agency })),
    peopleChanges: plan.peopleChanges,
  };
}

/**
 * What an event adds on the plan page: for a meeting, whether it could go ahead under the quorum (issue 10); for the
 * people events, who and what. Free text (reasons, details) stays in the case record.
 */
function eventDetail(event: IdentifiedEvent, meetings: ReadonlyArray<{ on: string; text: string }>): string {
  switch (event.type) {
    case 'core-group-held':
      return meetings.find((m) => m.on === event.on)?.text ?? '';
    case 'record-circulated':
    case 'minutes-received':
      return `of the meeting of ${event.meetingOn}`;
    case 'cadence-set':
      return `core groups every ${describeInterval(event.interval)}, set by the conference`;
    case 'access-denied':
      return `denied to ${event.by}`;
    case 'worker-allocated':
      return `${event.person} as ${event.role}`;
    case 'member-joined':
    case 'member-left':
      return `${event.person} (${event.agency})`;
    case 'team-changed':
      return `to team ${event.team}`;
    default:
      return '';
  }
}

/** A page of escalations about the plans the person may list, newest first. */
export async function escalations(
  prisma: PrismaClient,
  access: Access,
  label: PlanLabel,
  filters: ListFilters,
  page: PageRequest,
  today: IsoDate,
): Promise<Page<EscalationRow>> {
  const found = await plans.escalations(prisma, listScope(access), filters, page, today);
  return {
    ...found,
    rows: found.rows.flatMap((n) => {
      const shown = label(n);
      return shown
        ? [{ ...shown, level: n.level, subject: n.subject, status: deliveryStatus(n), problem: n.problem, at: n.at }]
        : [];
    }),
  };
}

export async function reports(prisma: PrismaClient, partnershipId: string): Promise<ReportRow[]> {
  const rows = await prisma.monthlyReport.findMany({
    where: { partnershipId },
    orderBy: [{ month: 'desc' }, { startedAt: 'desc' }],
  });
  return rows.map((r) => ({
    id: r.id,
    month: r.month,
    status: r.status,
    generatedAt: r.generatedAt?.toISOString() ?? null,
    byteSize: r.byteSize,
  }));
}

/** What a list's filter form offers: the partnership's teams and social workers, by name. */
export interface FilterOptions {
  teams: Array<{ id: string; name: string }>;
  socialWorkers: Array<{ id: string; name: string }>;
}

export async function filterOptions(prisma: PrismaClient, partnershipId: string): Promise<FilterOptions> {
  return {
    teams: await prisma.team.findMany({
      where: { partnershipId },
      select: { id: true, name: true },
      orderBy: { name: 'asc' },
    }),
    socialWorkers: await plans.socialWorkersOf(prisma, partnershipId),
  };
}

/** How a notification's delivery reads on the escalations page (the outbox's status, in words). */
export function deliveryStatus(n: { status: string; undeliverable: boolean }): string {
  if (n.undeliverable) return n.status === 'sent' ? 'sent in part, not delivered to all' : 'not delivered';
  switch (n.status) {
    case 'failed':
      return 'failing, retrying';
    case 'withdrawn':
      return 'not sent: no longer owed';
    default:
      return n.status;
  }
}
