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

export interface RelayDeps {
  prisma: PrismaClient;
  temporal: Client;
  taskQueue: string;
  settings: EscalationSettings;
  /** Where a failed delivery is reported (the loop carries on; the row records the error too). */
  log?: (message: string, error: unknown) => void;
}

/**
 * Delivers up to `limit` pending events, oldest first. Stops at the first failure (Temporal unreachable: the rest
 * would fail too) after recording it on the row. Returns how many were delivered.
 */
export async function relayPendingEvents(
  deps: RelayDeps,
  limit = 100,
  onlyEventIds?: readonly string[],
): Promise<number> {
  let delivered = 0;
  for (const { planId, event } of await pendingDeliveries(deps.prisma, limit, onlyEventIds)) {
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
      await markDeliveryFailed(deps.prisma, event.id, error instanceof Error ? error.message : String(error));
      deps.log?.(`event ${event.id} of plan ${planId} not delivered yet; the relay will retry`, error);
      break;
    }
    await markDelivered(deps.prisma, event.id);
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
      const delivered = await relayPendingEvents(deps).catch((error: unknown) => {
        // The database itself is unreachable: say so, and look again after the idle wait.
        deps.log?.('event relay could not read pending deliveries', error);
        return 0;
      });
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
