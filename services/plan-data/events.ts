/**
 * The event log's writes and the event outbox. `recordEvents` stores a plan's events with their delivery rows and
 * refreshes the plan's read model, in one transaction under the plan's row lock: once it returns, the events are
 * accepted, their obligations are stored, and they will reach the plan's workflow whatever Temporal is doing. The
 * relay (services/event-relay.ts) reads pending deliveries here and stamps them.
 *
 * Every path that stores events (the API, bulk imports, the CLI and the demo) comes through here, so every path
 * refuses the same contradictions.
 */
import { addMonths, compareDates } from '../../domain/calendar';
import { cadenceProblem, endsBeforeFact, laterFact } from '../../domain/evaluate-input';
import { pinnedPolicy } from '../../domain/policies';
import { Refusal } from '../../domain/refusal';
import { precedesItsMeeting } from '../../domain/input-policy';
import type { IdentifiedEvent, IsoDate, PlanType } from '../../domain/types';
import type { PrismaClient } from '../../platform/database';
import { refreshReadModel } from './read-model';
import { isoDay } from './rows';

export type RecordOutcome = 'recorded' | 'duplicate';

/**
 * Stores events for one plan, all or nothing, and refreshes its read model. The same id with the same content is a
 * no-op ('duplicate'). Refused (nothing of the call stored): the same id with different content (conflict); an event
 * dated before the plan started, after the plan ended, or after `today` (Europe/London: it cannot be known yet; a
 * `core-group-scheduled` booking may be for a future day); anything the engine could not then evaluate.
 */
export async function recordEvents(
  db: PrismaClient,
  planId: string,
  events: readonly IdentifiedEvent[],
  today: IsoDate,
): Promise<RecordOutcome[]> {
  return db.$transaction(async (tx) => {
    // Lock the plan row: concurrent submissions for one plan are checked against each other's plan-ended events,
    // and their read model refreshes run one after the other.
    const [plan] = await tx.$queryRaw<
      Array<{
        startedOn: Date;
        endedOn: Date | null;
        policyId: string;
        rulesVersion: string;
        type: string;
        partnershipId: string;
      }>
    >`
      SELECT "startedOn", "endedOn", "policyId", "rulesVersion", type, "partnershipId" FROM "Plan" WHERE id = ${planId} FOR UPDATE`;
    if (!plan) throw new Refusal('not-found', 'planId', `plan ${planId} does not exist`);
    const startedOn = isoDay(plan.startedOn);
    let endedOn = plan.endedOn === null ? undefined : isoDay(plan.endedOn);
    // What is already recorded as having happened latest (bookings are plans, not facts): a plan cannot end before it.
    const [latest] = await tx.$queryRaw<Array<{ type: string; on: Date }>>`
      SELECT type, "on" FROM "PlanEvent" WHERE "planId" = ${planId} AND type NOT IN ('core-group-scheduled', 'plan-ended')
      ORDER BY "on" DESC LIMIT 1`;
    const facts = [...(latest ? [{ type: latest.type, on: isoDay(latest.on) }] : []), ...events];

    const outcomes: RecordOutcome[] = [];
    for (const [index, event] of events.entries()) {
      const at = events.length > 1 ? `events[${index}].` : '';
      if (compareDates(event.on, startedOn) < 0) {
        throw new Refusal(
          'contradiction',
          `${at}on`,
          `${event.type} on ${event.on} is before the plan started (${startedOn})`,
        );
      }
      if (event.type !== 'core-group-scheduled' && compareDates(event.on, today) > 0) {
        throw new Refusal(
          'contradiction',
          `${at}on`,
          `${event.type} on ${event.on} is after today (${today}): it cannot have happened yet`,
        );
      }
      if (precedesItsMeeting(event)) {
        throw new Refusal(
          'contradiction',
          `${at}meetingOn`,
          `${event.type} on ${event.on} is before the meeting it is about (${event.meetingOn})`,
        );
      }
      if (event.type === 'worker-allocated' || event.type === 'member-joined' || event.type === 'member-left') {
        const person = await tx.person.findFirst({
          where: { id: event.person, partnershipId: plan.partnershipId },
          select: { id: true },
        });
        if (!person)
          throw new Refusal('contradiction', `${at}person`, `person ${event.person} is not known in this partnership`);
      }
      if (event.type === 'team-changed') {
        const team = await tx.team.findFirst({
          where: { id: event.team, partnershipId: plan.partnershipId },
          select: { id: true },
        });
        if (!team)
          throw new Refusal('contradiction', `${at}team`, `team ${event.team} is not a team of this partnership`);
      }
      if (event.type === 'cadence-set') {
        const problem = cadenceProblem(
          pinnedPolicy(plan.policyId, plan.rulesVersion),
          plan.type as PlanType,
          event.interval,
        );
        if (problem) throw new Refusal('contradiction', `${at}interval`, problem);
      }
      if (event.type === 'plan-ended') {
        const later = laterFact(facts, event.on);
        if (later) throw new Refusal('contradiction', `${at}on`, endsBeforeFact(event.on, later));
      }
      if (endedOn !== undefined && event.type !== 'plan-ended' && compareDates(event.on, endedOn) > 0) {
        throw new Refusal(
          'contradiction',
          `${at}on`,
          `${event.type} on ${event.on} is after the plan ended (${endedOn})`,
        );
      }
      if (event.type === 'core-group-scheduled' && compareDates(event.on, addMonths(today, 12)) > 0) {
        throw new Refusal(
          'contradiction',
          `${at}on`,
          `a core group booked for ${event.on} is more than a year after today (${today}): check the date`,
        );
      }
      const inserted = await tx.$executeRaw`
        INSERT INTO "PlanEvent" (id, "planId", type, "on", payload)
        VALUES (${event.id}, ${planId}, ${event.type}, ${event.on}::date, ${JSON.stringify(event)}::jsonb)
        ON CONFLICT (id) DO NOTHING`;
      if (inserted === 0) {
        const stored = await tx.planEvent.findUniqueOrThrow({ where: { id: event.id } });
        if (stored.planId !== planId || canonicalJson(stored.payload) !== canonicalJson(event)) {
          throw new Refusal('conflict', `${at}id`, `event ${event.id} was already recorded with different content`);
        }
        outcomes.push('duplicate');
        continue;
      }
      await tx.eventDelivery.create({ data: { eventId: event.id, planId } });
      if (event.type === 'plan-ended' && (endedOn === undefined || compareDates(event.on, endedOn) < 0))
        endedOn = event.on;
      outcomes.push('recorded');
    }
    if (outcomes.includes('recorded')) await refreshReadModel(tx, planId, today, 'refuse');
    return outcomes;
  });
}

/** An accepted event not yet delivered to its plan's workflow. */
export interface PendingDelivery {
  planId: string;
  event: IdentifiedEvent;
}

/** Up to `limit` undelivered events, oldest first (optionally only these ids). */
export async function pendingDeliveries(
  db: PrismaClient,
  limit: number,
  onlyEventIds?: readonly string[],
): Promise<PendingDelivery[]> {
  const rows = await db.eventDelivery.findMany({
    where: { deliveredAt: null, ...(onlyEventIds ? { eventId: { in: [...onlyEventIds] } } : {}) },
    orderBy: { createdAt: 'asc' },
    take: limit,
    include: { event: true },
  });
  return rows.map((row) => ({
    planId: row.planId,
    event: { ...(row.event.payload as object), id: row.eventId } as IdentifiedEvent,
  }));
}

export async function markDelivered(db: PrismaClient, eventId: string): Promise<void> {
  await db.eventDelivery.update({
    where: { eventId },
    data: { deliveredAt: new Date(), attempts: { increment: 1 }, lastError: null },
  });
}

export async function markDeliveryFailed(db: PrismaClient, eventId: string, error: string): Promise<void> {
  await db.eventDelivery.update({ where: { eventId }, data: { attempts: { increment: 1 }, lastError: error } });
}

/** jsonb stores object keys in its own order: compare canonical forms (keys sorted at every depth). */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
