/**
 * The event relay: delivers accepted events (stored with their delivery rows by services/plan-data/events.ts) to
 * their plans' workflows by signal-with-start, oldest first, and stamps each delivery. The workflow de-duplicates
 * by event id, so a delivery repeated after a crash changes nothing. One relay loop serves every plan (no per-plan
 * polling); it runs in the worker and in the HTTP server, and delivers whatever arrived while Temporal was away.
 */
import { WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { EscalationSettings } from '../domain/notifications';
import type { PrismaClient } from '../platform/database';
import { planEventSignal, planWorkflow, planWorkflowId } from '../workflows/plan';
import { markDelivered, markDeliveryFailed, pendingDeliveries } from './plan-data';
import type { RelayHealth, RelayStep } from './relay-health';

export interface RelayDeps {
  prisma: PrismaClient;
  temporal: Client;
  taskQueue: string;
  settings: EscalationSettings;
  /**
   * Where failures are counted and logged (services/relay-health.ts: state changes and a periodic summary, not every
   * retry). Without it a failure is still recorded on its delivery row, and the caller learns it from the count of
   * events delivered (the CLI says so itself).
   */
  health?: RelayHealth;
}

/**
 * Delivers up to `limit` pending events, oldest first. Stops at the first failure (Temporal unreachable: the rest
 * would fail too) after recording it on the row. Returns how many were delivered. Throws only when the database
 * fails (reading the outbox, or stamping a delivery), after reporting it.
 */
export async function relayPendingEvents(
  deps: RelayDeps,
  limit = 100,
  onlyEventIds?: readonly string[],
): Promise<number> {
  let delivered = 0;
  let failed = false;
  const pending = await reported(deps, 'read-pending', {}, () => pendingDeliveries(deps.prisma, limit, onlyEventIds));
  for (const { planId, event } of pending) {
    try {
      await deps.temporal.workflow.signalWithStart(planWorkflow, {
        workflowId: planWorkflowId(planId),
        taskQueue: deps.taskQueue,
        args: [{ planId, settings: deps.settings }],
        signal: planEventSignal,
        signalArgs: [event],
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      });
    } catch (error) {
      deps.health?.failed({ step: 'signal', eventId: event.id, planId, error });
      await stamp(deps, { eventId: event.id, planId }, () =>
        markDeliveryFailed(deps.prisma, event.id, error instanceof Error ? error.message : String(error)),
      );
      failed = true;
      break;
    }
    await stamp(deps, { eventId: event.id, planId }, () => markDelivered(deps.prisma, event.id));
    delivered += 1;
  }
  // A run without a failure (even one with nothing to deliver) ends an outage.
  if (!failed) deps.health?.succeeded(delivered);
  return delivered;
}

/** Writes a delivery's outcome on its row; a database failure is reported, then thrown. */
function stamp(deps: RelayDeps, about: { eventId: string; planId: string }, write: () => Promise<void>) {
  return reported(deps, 'stamp', about, write);
}

/** Runs one step of the relay; a failure is reported (as that step's, about that event and plan), then thrown. */
async function reported<T>(
  deps: RelayDeps,
  step: RelayStep,
  about: { eventId?: string; planId?: string },
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    deps.health?.failed({ step, ...about, error });
    throw error;
  }
}

/** Runs the relay until stopped: drains pending events, then waits `idleMs` before looking again. */
export function startEventRelay(deps: RelayDeps, idleMs = 1000): { stop(): Promise<void> } {
  let stopping = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopping) {
      // Already reported (counted, and logged when the relay's state changes) by relayPendingEvents.
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
