/**
 * Durable event intake. `recordEvents` stores events and their delivery rows in one transaction: once it returns, the
 * events are accepted and will reach their plan's workflow, whatever Temporal is doing. `relayPendingEvents` delivers
 * pending rows by signal-with-start, oldest first, and stamps them; the workflow de-duplicates by event id, so a
 * delivery repeated after a crash changes nothing. One relay loop serves every plan (no per-plan polling).
 *
 * Shared by the CLI, the demo, the HTTP API and bulk imports, so every path enforces the same contradictions.
 */
import type { IdentifiedEvent } from '../domain/types';
import { WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { PrismaClient } from '../platform/database';
import { Refusal } from '../domain/refusal';
import { compareDates } from '../domain/calendar';
import type { EscalationSettings } from '../domain/notifications';
import { planEventSignal, planWorkflow, planWorkflowId } from '../workflows/plan';

export type RecordOutcome = 'recorded' | 'duplicate';

/**
 * Stores events for one plan, all or nothing. The same id with the same content is a no-op ('duplicate'); the same id
 * with different content, an event dated before the plan started, or an event after the plan ended is refused and
 * nothing of the call is stored.
 */
export async function recordEvents(prisma: PrismaClient, planId: string, events: readonly IdentifiedEvent[]): Promise<RecordOutcome[]> {
  return prisma.$transaction(async (tx) => {
    // Lock the plan row: concurrent submissions for one plan are checked against each other's plan-ended events.
    const [plan] = await tx.$queryRaw<Array<{ startedOn: Date }>>`SELECT "startedOn" FROM "Plan" WHERE id = ${planId} FOR UPDATE`;
    if (!plan) throw new Refusal('not-found', 'planId', `plan ${planId} does not exist`);
    const startedOn = plan.startedOn.toISOString().slice(0, 10);
    const ended = await tx.planEvent.findFirst({ where: { planId, type: 'plan-ended' }, orderBy: { on: 'asc' } });
    let endedOn = ended ? ended.on.toISOString().slice(0, 10) : undefined;

    const outcomes: RecordOutcome[] = [];
    for (const [index, event] of events.entries()) {
      const at = events.length > 1 ? `events[${index}].` : '';
      if (compareDates(event.on, startedOn) < 0) {
        throw new Refusal('contradiction', `${at}on`, `${event.type} on ${event.on} is before the plan started (${startedOn})`);
      }
      if (endedOn !== undefined && event.type !== 'plan-ended' && compareDates(event.on, endedOn) > 0) {
        throw new Refusal('contradiction', `${at}on`, `${event.type} on ${event.on} is after the plan ended (${endedOn})`);
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
      if (event.type === 'plan-ended' && (endedOn === undefined || compareDates(event.on, endedOn) < 0)) endedOn = event.on;
      outcomes.push('recorded');
    }
    return outcomes;
  });
}

export interface RelayDeps {
  prisma: PrismaClient;
  temporal: Client;
  taskQueue: string;
  settings: EscalationSettings;
}

/**
 * Delivers up to `limit` pending events, oldest first. Stops at the first failure (Temporal unreachable: the rest
 * would fail too) after recording it on the row. Returns how many were delivered.
 */
export async function relayPendingEvents(deps: RelayDeps, limit = 100, onlyEventIds?: readonly string[]): Promise<number> {
  const pending = await deps.prisma.eventDelivery.findMany({
    where: { deliveredAt: null, ...(onlyEventIds ? { eventId: { in: [...onlyEventIds] } } : {}) },
    orderBy: { createdAt: 'asc' },
    take: limit,
    include: { event: true },
  });
  let delivered = 0;
  for (const row of pending) {
    const event = { ...(row.event.payload as object), id: row.eventId } as IdentifiedEvent;
    try {
      await deps.temporal.workflow.signalWithStart(planWorkflow, {
        workflowId: planWorkflowId(row.planId),
        taskQueue: deps.taskQueue,
        args: [{ planId: row.planId, settings: deps.settings }],
        signal: planEventSignal,
        signalArgs: [event],
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      });
    } catch (error) {
      await deps.prisma.eventDelivery.update({
        where: { eventId: row.eventId },
        data: { attempts: { increment: 1 }, lastError: error instanceof Error ? error.message : String(error) },
      });
      break;
    }
    await deps.prisma.eventDelivery.update({
      where: { eventId: row.eventId },
      data: { deliveredAt: new Date(), attempts: { increment: 1 }, lastError: null },
    });
    delivered += 1;
  }
  return delivered;
}

/** Runs the relay until stopped: drains pending events, then waits `idleMs` before looking again. */
export function startEventRelay(deps: RelayDeps, idleMs = 1000): { stop(): Promise<void> } {
  let stopping = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopping) {
      const delivered = await relayPendingEvents(deps).catch(() => 0);
      if (delivered === 0 && !stopping) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, idleMs);
        });
      }
    }
  })();
  return {
    async stop() {
      stopping = true;
      wake?.();
      await loop;
    },
  };
}

/** jsonb stores object keys in its own order: compare canonical forms (keys sorted at every depth). */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
