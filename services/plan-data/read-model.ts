/**
 * The obligations read model (the CQRS projection pages and lists read): a plan's obligations as the one engine
 * computes them from its stored events under its pinned rules, replaced whenever the plan is created or events are
 * stored, inside the same transaction as that write and under the plan's row lock, so two writers cannot interleave
 * and no reader ever sees events without their obligations.
 *
 * What is stored is what does not depend on today: each obligation's key, kind, due date, the day it was met, the
 * rule and rules version (with the rule's citation, once per version), the plan's end (`Plan.endedOn`) and its
 * earliest unmet obligation (`Plan.nextDue*`). Whether something is overdue or pending is derived when it is read
 * (domain/obligations.ts obligationStatus; in SQL, obligation-status.ts), so nothing goes stale at midnight.
 *
 * Rebuildable: `rebuildReadModel` recomputes every plan from the event log (after an engine or policy change), one
 * plan per transaction, a bounded batch of ids at a time.
 */
import { compareDates } from '../../domain/calendar';
import { evaluatePlan, planEndedOn } from '../../domain/obligations';
import { pinnedPolicy } from '../../domain/policies';
import { isRefusal, Refusal } from '../../domain/refusal';
import type { IdentifiedEvent, IsoDate, Obligation, PlanType } from '../../domain/types';
import type { PrismaClient, Transaction } from '../../platform/database';
import { planPeopleAsOf, type PlanPeople, type PlanPerson } from '../../domain/people';
import type { Prisma } from '../../prisma/generated/client';
import { dateColumn, domainEvent, EVENT_ORDER, isoDay, peopleKey } from './rows';

/** A stored plan's facts, as the read model needs them. */
export interface StoredPlanFacts {
  id: string;
  partnershipId: string;
  teamId: string;
  policyId: string;
  rulesVersion: string;
  type: string;
  startedOn: Date;
}

/**
 * The plan's obligations with every stored event known. Evaluated as of the later of today and the latest event:
 * events dated after today are refused at intake (bookings aside, which set no deadline), so this is today in
 * practice, and a plan stored before that rule still has all its events counted. Statuses in the result are the
 * engine's as of that day; the read model does not store them.
 */
export function evaluateStoredPlan(
  plan: StoredPlanFacts,
  events: readonly IdentifiedEvent[],
  today: IsoDate,
): Obligation[] {
  const policy = pinnedPolicy(plan.policyId, plan.rulesVersion);
  return evaluatePlan(
    { policy, plan: { type: plan.type as PlanType, startedOn: isoDay(plan.startedOn) }, events },
    latestOf(events, today),
  );
}

/** The later of `today` and the latest event: the day the read model is as of. */
function latestOf(events: readonly IdentifiedEvent[], today: IsoDate): IsoDate {
  return events.reduce((latest, e) => (compareDates(e.on, latest) > 0 ? e.on : latest), today);
}

/**
 * What to do with a plan the engine cannot evaluate: `refuse` the write that made it so (intake: nothing accepted may
 * later fail to be read), or `record` why on the plan (a rebuild over data stored before a check existed).
 */
export type Unevaluable = 'refuse' | 'record';

export interface RefreshResult {
  obligations: number;
  endedOn: IsoDate | undefined;
  /** Set when the plan could not be evaluated and `record` was asked for. */
  evaluationError?: string;
}

/**
 * Rewrites the plan's people (PlanRole) and team as of `asOf` from what it was registered with and its people events
 * (domain/people.ts), when they differ from what is stored; returns the team. A plan stored before people could
 * change has no registration recorded: its stored people and team are taken as the registration, and kept as such.
 */
async function refreshPlanPeople(
  tx: Transaction,
  planId: string,
  events: readonly IdentifiedEvent[],
  asOf: IsoDate,
): Promise<string> {
  const stored = await tx.plan.findUniqueOrThrow({
    where: { id: planId },
    select: { teamId: true, registeredTeamId: true, registeredRoles: true, roles: true },
  });
  const storedPeople = stored.roles.map((r) => ({ personId: r.personId, role: r.role, agency: r.agency }));
  let registered: PlanPeople;
  if (stored.registeredTeamId === null || stored.registeredRoles === null) {
    registered = { teamId: stored.teamId, people: storedPeople.map(withoutNullAgency) };
    await tx.plan.update({
      where: { id: planId },
      data: {
        registeredTeamId: registered.teamId,
        registeredRoles: registered.people as unknown as Prisma.InputJsonArray,
      },
    });
  } else {
    registered = { teamId: stored.registeredTeamId, people: stored.registeredRoles as unknown as PlanPerson[] };
  }
  const now = planPeopleAsOf(registered, events, asOf);
  if (peopleKey(now.people) !== peopleKey(storedPeople)) {
    await tx.planRole.deleteMany({ where: { planId } });
    await tx.planRole.createMany({
      data: now.people.map((p) => ({ planId, personId: p.personId, role: p.role, agency: p.agency ?? null })),
      skipDuplicates: true,
    });
  }
  if (now.teamId !== stored.teamId) await tx.plan.update({ where: { id: planId }, data: { teamId: now.teamId } });
  return now.teamId;
}

function withoutNullAgency(p: { personId: string; role: string; agency: string | null }): PlanPerson {
  return p.agency === null
    ? { personId: p.personId, role: p.role }
    : { personId: p.personId, role: p.role, agency: p.agency };
}

/**
 * Replaces one plan's stored obligations, end date and next due obligation. Call inside the transaction that
 * changed the plan; it takes the plan's row lock (a no-op when the caller already holds it).
 */
export async function refreshReadModel(
  tx: Transaction,
  planId: string,
  today: IsoDate,
  unevaluable: Unevaluable = 'refuse',
): Promise<RefreshResult> {
  const [plan] = await tx.$queryRaw<StoredPlanFacts[]>`
    SELECT id, "partnershipId", "teamId", "policyId", "rulesVersion", type, "startedOn" FROM "Plan" WHERE id = ${planId} FOR UPDATE`;
  if (!plan) throw new Refusal('not-found', 'planId', `plan ${planId} does not exist`);
  const rows = await tx.planEvent.findMany({ where: { planId }, orderBy: EVENT_ORDER });
  const events = rows.map(domainEvent);
  // Who holds what, and which team the plan is in, as of today: before the obligations, which carry the team.
  plan.teamId = await refreshPlanPeople(tx, planId, events, latestOf(events, today));

  let obligations: Obligation[];
  let evaluationError: string | undefined;
  try {
    obligations = evaluateStoredPlan(plan, events, today);
  } catch (error) {
    if (!isRefusal(error) || unevaluable === 'refuse') throw error;
    obligations = [];
    evaluationError = error.message;
  }

  await tx.obligation.deleteMany({ where: { planId } });
  const citations = new Map(obligations.map((o) => [`${o.rulesVersion}|${o.rule.id}`, o] as const));
  if (citations.size > 0) {
    await tx.ruleCitation.createMany({
      data: [...citations.values()].map((o) => ({
        rulesVersion: o.rulesVersion,
        ruleId: o.rule.id,
        source: o.rule.source,
        section: o.rule.section,
        quote: o.rule.quote,
        note: o.rule.note ?? null,
        basis: o.rule.basis,
      })),
      // A rules version's words never change (a changed rule is a new version), so the first copy stands.
      skipDuplicates: true,
    });
  }
  if (obligations.length > 0) {
    await tx.obligation.createMany({
      data: obligations.map((o) => ({
        planId,
        key: o.key,
        partnershipId: plan.partnershipId,
        teamId: plan.teamId,
        kind: o.kind,
        due: dateColumn(o.due),
        metOn: o.metOn === undefined ? null : dateColumn(o.metOn),
        fromDate: dateColumn(o.from),
        ruleId: o.rule.id,
        rulesVersion: o.rulesVersion,
      })),
    });
  }

  const endedOn = planEndedOn(events);
  // The engine sorts by due date then key: the first unmet one is the plan's most overdue or next due.
  const next = obligations.find((o) => o.metOn === undefined);
  await tx.plan.update({
    where: { id: planId },
    data: {
      endedOn: endedOn === undefined ? null : dateColumn(endedOn),
      evaluationError: evaluationError ?? null,
      nextDueOn: next ? dateColumn(next.due) : null,
      nextDueKey: next?.key ?? null,
      nextDueKind: next?.kind ?? null,
    },
  });
  return { obligations: obligations.length, endedOn, ...(evaluationError !== undefined ? { evaluationError } : {}) };
}

export interface RebuildProgress {
  done: number;
  total: number;
}

export interface RebuildResult {
  plans: number;
  obligations: number;
  /** Plans the engine could not evaluate, with why (they have no obligations until their data is mended). */
  unevaluable: Array<{ planId: string; reason: string }>;
}

const REBUILD_BATCH = 200;

/**
 * Recomputes the read model of every plan (or one partnership's) from the event log. Idempotent; memory holds one
 * batch of plan ids; each plan is its own transaction, so a long rebuild never holds a partnership's locks.
 */
export async function rebuildReadModel(
  db: PrismaClient,
  options: { partnershipId?: string; today: IsoDate; onProgress?: (p: RebuildProgress) => void },
): Promise<RebuildResult> {
  const where = options.partnershipId === undefined ? {} : { partnershipId: options.partnershipId };
  const total = await db.plan.count({ where });
  const result: RebuildResult = { plans: 0, obligations: 0, unevaluable: [] };
  options.onProgress?.({ done: 0, total });
  let after: string | undefined;
  for (;;) {
    const batch = await db.plan.findMany({
      where: after === undefined ? where : { ...where, id: { gt: after } },
      orderBy: { id: 'asc' },
      take: REBUILD_BATCH,
      select: { id: true },
    });
    for (const { id } of batch) {
      const refreshed = await db.$transaction((tx) => refreshReadModel(tx, id, options.today, 'record'));
      result.plans += 1;
      result.obligations += refreshed.obligations;
      if (refreshed.evaluationError !== undefined)
        result.unevaluable.push({ planId: id, reason: refreshed.evaluationError });
      options.onProgress?.({ done: result.plans, total });
    }
    if (batch.length < REBUILD_BATCH) return result;
    after = batch.at(-1)!.id;
  }
}
