/**
 * How plans and events enter corewatch: written to the database first (the source of truth), then delivered to the
 * plan's workflow (a start, or signal-with-start through the event outbox). Both steps are idempotent, so a caller
 * that is unsure whether a submission went through simply submits it again.
 *
 * Used by the CLI and demo now, and by the HTTP API and importers later.
 */
import type { IdentifiedEvent } from '../domain/types';
import { WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { PrismaClient } from '../platform/database';
import { dateColumn } from './plan-data/rows';
import type { EscalationSettings } from '../domain/notifications';
import { getPolicy, rulesVersionOf } from '../domain/policies';
import type { PlanFacts, PolicyId } from '../domain/types';
import { planWorkflow, planWorkflowId, type PlanWorkflowInput } from '../workflows/plan';
import { recordEvents, relayPendingEvents, type RecordOutcome } from './event-intake';

export interface IntakeDeps {
  prisma: PrismaClient;
  temporal: Client;
  taskQueue: string;
  settings: EscalationSettings;
}

export interface NewPlan extends PlanFacts {
  id: string;
  partnershipId: string;
  teamId: string;
  childId: string;
  policyId: PolicyId;
  roles: Array<{ personId: string; role: string; agency?: string }>;
  /** Ofsted ILACS Annex A List 7 fields decided at the initial conference. */
  annexA?: {
    initialCategory?: 'neglect' | 'physical' | 'sexual' | 'emotional' | 'multiple';
    emergencyProtectionLast6Months?: boolean;
    previousPlans?: number;
  };
}

/** Stores a new plan (idempotent on its id) and starts its workflow. */
export async function registerPlan(deps: IntakeDeps, plan: NewPlan): Promise<void> {
  await storePlan(deps.prisma, plan);
  await startPlanWorkflow(deps, plan.id);
}

/**
 * Stores a new plan (idempotent on its id) without starting its workflow: the HTTP API stores first and starts
 * best-effort, so a plan is accepted while Temporal is unavailable (its first relayed event signal-with-starts it).
 */
export async function storePlan(prisma: PrismaClient, plan: NewPlan): Promise<void> {
  const policy = getPolicy(plan.policyId);
  await prisma.$transaction(async (tx) => {
    const existing = await tx.plan.findUnique({ where: { id: plan.id } });
    if (existing) return;
    await tx.plan.create({
      data: {
        id: plan.id,
        partnershipId: plan.partnershipId,
        teamId: plan.teamId,
        childId: plan.childId,
        policyId: plan.policyId,
        rulesVersion: rulesVersionOf(policy),
        type: plan.type,
        startedOn: dateColumn(plan.startedOn),
        workflowId: planWorkflowId(plan.id),
        initialCategory: plan.annexA?.initialCategory ?? null,
        latestCategory: plan.annexA?.initialCategory ?? null,
        emergencyProtectionLast6Months: plan.annexA?.emergencyProtectionLast6Months ?? null,
        previousPlans: plan.annexA?.previousPlans ?? 0,
        roles: { create: plan.roles.map((r) => ({ personId: r.personId, role: r.role, agency: r.agency ?? null })) },
      },
    });
  });
}

/** Starts the plan's workflow unless it is already running. */
export async function startPlanWorkflow(deps: IntakeDeps, planId: string): Promise<void> {
  try {
    await deps.temporal.workflow.start(planWorkflow, {
      workflowId: planWorkflowId(planId),
      taskQueue: deps.taskQueue,
      args: [workflowInput(deps, planId)],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    });
  } catch (error) {
    if ((error as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw error;
  }
}

/**
 * Records an event durably (services/event-intake.ts), then tries to deliver it to the plan's workflow at once.
 * Recording the same event id again is a no-op; if Temporal is unavailable the event stays pending and the relay
 * delivers it later. Refusals are Refusals (domain/refusal.ts) naming the field.
 */
export async function submitEvent(deps: IntakeDeps, planId: string, event: IdentifiedEvent): Promise<RecordOutcome> {
  const [outcome] = await recordEvents(deps.prisma, planId, [event]);
  await relayPendingEvents(deps, 1, [event.id]);
  return outcome!;
}

function workflowInput(deps: IntakeDeps, planId: string): PlanWorkflowInput {
  return { planId, settings: deps.settings };
}
