/**
 * How plans and events enter corewatch: written to the database first (the source of truth), then delivered to the
 * plan's workflow by signal-with-start. Both steps are idempotent, so a caller that is unsure whether a submission
 * went through simply submits it again.
 *
 * Used by the CLI and demo now, and by the HTTP API and importers later.
 */
import { WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { PrismaClient } from '../db/client';
import type { EscalationSettings } from '../domain/notifications';
import { getPolicy, rulesVersionOf } from '../domain/policies';
import type { PlanFacts, PolicyId } from '../domain/types';
import { planEventSignal, planWorkflow, planWorkflowId, type IdentifiedEvent, type PlanWorkflowInput } from '../workflows/plan';

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

/** Refused submissions: the caller must change something before trying again. */
export class IntakeConflictError extends Error {
  constructor(message: string, readonly field: string) {
    super(message);
    this.name = 'IntakeConflictError';
  }
}

/** Stores a new plan (idempotent on its id) and starts its workflow. */
export async function registerPlan(deps: IntakeDeps, plan: NewPlan): Promise<void> {
  const policy = getPolicy(plan.policyId);
  await deps.prisma.$transaction(async (tx) => {
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
        startedOn: new Date(`${plan.startedOn}T00:00:00.000Z`),
        workflowId: planWorkflowId(plan.id),
        initialCategory: plan.annexA?.initialCategory ?? null,
        latestCategory: plan.annexA?.initialCategory ?? null,
        emergencyProtectionLast6Months: plan.annexA?.emergencyProtectionLast6Months ?? null,
        previousPlans: plan.annexA?.previousPlans ?? 0,
        roles: { create: plan.roles.map((r) => ({ personId: r.personId, role: r.role, agency: r.agency ?? null })) },
      },
    });
  });
  await startPlanWorkflow(deps, plan.id);
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
 * Records an event in the append-only log and delivers it to the plan's workflow. Recording the same event id again
 * is a no-op (the delivery is repeated, which the workflow de-duplicates); the same id with different content is
 * refused rather than silently dropped.
 */
export async function submitEvent(deps: IntakeDeps, planId: string, event: IdentifiedEvent): Promise<'recorded' | 'duplicate'> {
  const plan = await deps.prisma.plan.findUnique({ where: { id: planId }, select: { id: true } });
  if (!plan) throw new IntakeConflictError(`plan ${planId} does not exist`, 'planId');

  const inserted = await deps.prisma.$executeRaw`
    INSERT INTO "PlanEvent" (id, "planId", type, "on", payload)
    VALUES (${event.id}, ${planId}, ${event.type}, ${event.on}::date, ${JSON.stringify(event)}::jsonb)
    ON CONFLICT (id) DO NOTHING`;
  if (inserted === 0) {
    const stored = await deps.prisma.planEvent.findUniqueOrThrow({ where: { id: event.id } });
    if (stored.planId !== planId || canonicalJson(stored.payload) !== canonicalJson(event)) {
      throw new IntakeConflictError(`event ${event.id} was already recorded with different content`, 'id');
    }
  }

  await deps.temporal.workflow.signalWithStart(planWorkflow, {
    workflowId: planWorkflowId(planId),
    taskQueue: deps.taskQueue,
    args: [workflowInput(deps, planId)],
    signal: planEventSignal,
    signalArgs: [event],
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
  });
  return inserted === 0 ? 'duplicate' : 'recorded';
}

function workflowInput(deps: IntakeDeps, planId: string): PlanWorkflowInput {
  return { planId, settings: deps.settings };
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
