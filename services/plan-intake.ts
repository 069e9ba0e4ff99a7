/**
 * How plans and events enter corewatch: written to the database first (the source of truth, with the read model in
 * the same transaction: services/plan-data), then delivered to the plan's workflow (a start, or signal-with-start
 * through the event outbox). Both steps are idempotent, so a caller that is unsure whether a submission went through
 * simply submits it again. Used by the CLI and the demo; the HTTP API and imports store through plan-data and leave
 * delivery to the relay.
 */
import { WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { EscalationSettings } from '../domain/notifications';
import type { IdentifiedEvent, IsoDate } from '../domain/types';
import type { PrismaClient } from '../platform/database';
import { planWorkflow, planWorkflowId } from '../workflows/plan';
import { relayPendingEvents } from './event-relay';
import { createPlan, recordEvents, type CreateOutcome, type NewPlan, type RecordOutcome } from './plan-data';

export interface IntakeDeps {
  prisma: PrismaClient;
  temporal: Client;
  taskQueue: string;
  settings: EscalationSettings;
}

/** Stores a new plan (idempotent on its reference) and starts its workflow. */
export async function registerPlan(deps: IntakeDeps, plan: NewPlan, today: IsoDate): Promise<CreateOutcome> {
  const outcome = await createPlan(deps.prisma, plan, today);
  await startPlanWorkflow(deps, plan.id);
  return outcome;
}

/** Starts the plan's workflow unless it is already running. */
export async function startPlanWorkflow(deps: IntakeDeps, planId: string): Promise<void> {
  try {
    await deps.temporal.workflow.start(planWorkflow, {
      workflowId: planWorkflowId(planId),
      taskQueue: deps.taskQueue,
      args: [{ planId, settings: deps.settings }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    });
  } catch (error) {
    if ((error as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw error;
  }
}

/**
 * Records an event durably, then tries to deliver it to the plan's workflow at once. Recording the same event id
 * again is a no-op; if Temporal is unavailable the event stays pending and the relay delivers it later. Refusals are
 * Refusals (domain/refusal.ts) naming the field.
 */
export async function submitEvent(
  deps: IntakeDeps,
  planId: string,
  event: IdentifiedEvent,
  today: IsoDate,
): Promise<RecordOutcome> {
  const [outcome] = await recordEvents(deps.prisma, planId, [event], today);
  await relayPendingEvents(deps, 1, [event.id]);
  return outcome!;
}
