/**
 * One durable workflow per plan. It sleeps until the next thing that can happen (a reminder, an escalation, a
 * second-level escalation) or until an event arrives, then re-derives what is owed from the facts.
 *
 * Deterministic and free of I/O: the rules are the pure domain engine, the clock is workflow time, and everything
 * that touches the database or SMTP is an activity reached through `proxyActivities`. The database is the source of
 * truth; the workflow's own state (events, keys sent) is a cache that a fresh run reloads with `loadPlan`.
 */
import {
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  log,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { londonDateAt, londonStartOfDay } from '../domain/calendar';
import { dueNow, nextWakeDate, planNotifications, type NotificationLevel } from '../domain/notifications';
import { evaluatePlan, planEndedOn } from '../domain/obligations';
import { getPolicyVersion } from '../domain/policies';
import type { IdentifiedEvent, IsoDate, Obligation } from '../domain/types';
import {
  planWorkflowId,
  type CarriedState,
  type PlanActivities,
  type PlanStatus,
  type PlanWorkflowInput,
  type SentNotification,
} from './contracts';

export { planWorkflowId };
export type { CarriedState, PlanStatus, PlanWorkflowInput, SentNotification } from './contracts';

export const planEventSignal = defineSignal<[IdentifiedEvent]>('planEvent');
export const planStatusQuery = defineQuery<PlanStatus>('planStatus');

const io = proxyActivities<PlanActivities>({
  startToCloseTimeout: '1 minute',
  // Transient failures (database or SMTP down) retry for as long as it takes, backing off to 10 minutes: an
  // escalation must not be dropped because the mail relay was out for an afternoon. Business refusals are thrown
  // as non-retryable ApplicationFailures by the activities.
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/** The patch id of the change that moved the obligations read model out of the workflow (issue 8). */
const READ_MODEL_AT_INTAKE = 'read-model-at-intake';

// A notice (a new social worker's name) is information, not a rung: it ranks with reminders.
const LEVEL_ORDER: Record<NotificationLevel, number> = { notice: 0, reminder: 0, escalation: 1, 'second-level': 2 };

export async function planWorkflow(input: PlanWorkflowInput): Promise<PlanStatus> {
  const state: CarriedState = input.carried ?? (await io.loadPlan(input.planId));
  const policy = getPolicyVersion(state.policyId, state.rulesVersion);
  const eventIds = new Set(state.events.map((e) => e.id));
  const sentKeys = new Set(state.sent.map((s) => s.key));
  const inbox: IdentifiedEvent[] = [];
  let lastSavedObligations = '';

  const today = (): IsoDate => londonDateAt(Date.now());
  const obligationsAsOf = (asOf: IsoDate): Obligation[] =>
    evaluatePlan({ policy, plan: state.plan, events: state.events }, asOf);
  const ended = (): boolean => planEndedOn(state.events) !== undefined;

  setHandler(planEventSignal, (event) => {
    // De-duplicate on the client's event id: a retried delivery or a replayed import changes nothing.
    if (eventIds.has(event.id)) return;
    eventIds.add(event.id);
    inbox.push(event);
  });
  setHandler(planStatusQuery, () => {
    const asOf = today();
    return statusOf(input.planId, state, asOf, obligationsAsOf(asOf));
  });

  for (let iteration = 1; ; iteration++) {
    state.events.push(...inbox.splice(0));
    const asOf = today();
    const obligations = obligationsAsOf(asOf);

    // The obligations read model is written when events are stored (services/plan-data/read-model.ts). Runs
    // recorded before that change wrote it from here; they take this path when they replay, so their histories
    // still match (test/workflows/histories/plan-workflow-v1.json).
    if (!patched(READ_MODEL_AT_INTAKE)) {
      const snapshot = JSON.stringify(obligations);
      if (snapshot !== lastSavedObligations) {
        await io.saveObligations({ planId: input.planId, obligations });
        lastSavedObligations = snapshot;
      }
    }

    const intents = planNotifications(obligations, state.events, input.settings, { policy, planType: state.plan.type });
    for (const intent of dueNow(intents, asOf, sentKeys)) {
      const outcome = await io.sendNotification({ planId: input.planId, intent });
      // Settled either way: `not-owed` means the stored facts met the obligation or ended the plan (permanent), and
      // the event saying so is on its way to this workflow; it is not a rung reached.
      sentKeys.add(intent.key);
      if (outcome !== 'not-owed')
        state.sent.push({ key: intent.key, subject: intent.subject, level: intent.level, on: asOf });
    }

    const wakeOn = nextWakeDate(intents, asOf, sentKeys);
    if (ended() && wakeOn === undefined && inbox.length === 0) {
      log.info('plan ended; nothing further can fall due', { planId: input.planId });
      return statusOf(input.planId, state, asOf, obligations);
    }

    if (shouldContinueAsNew(input, iteration)) {
      await continueAsNew<typeof planWorkflow>({
        ...input,
        carried: { ...state, events: [...state.events, ...inbox.splice(0)], generation: state.generation + 1 },
      });
    }

    // Sleep until the start of the next day something is owed (Europe/London), or until an event arrives.
    const timeout = wakeOn === undefined ? undefined : Math.max(londonStartOfDay(wakeOn) - Date.now(), 1);
    if (timeout === undefined) await condition(() => inbox.length > 0);
    else await condition(() => inbox.length > 0, timeout);
  }
}

function shouldContinueAsNew(input: PlanWorkflowInput, iteration: number): boolean {
  if (input.continueAsNewAfter !== undefined && iteration >= input.continueAsNewAfter) return true;
  return workflowInfo().continueAsNewSuggested;
}

function highestRungs(sent: readonly SentNotification[]): Record<string, NotificationLevel> {
  const rungs: Record<string, NotificationLevel> = {};
  for (const s of sent) {
    const current = rungs[s.subject];
    if (current === undefined || LEVEL_ORDER[s.level] > LEVEL_ORDER[current]) rungs[s.subject] = s.level;
  }
  return rungs;
}

function statusOf(planId: string, state: CarriedState, asOf: IsoDate, obligations: Obligation[]): PlanStatus {
  return {
    planId,
    policyId: state.policyId,
    asOf,
    ended: planEndedOn(state.events) !== undefined,
    obligations,
    escalation: highestRungs(state.sent),
    sent: [...state.sent],
    eventCount: state.events.length,
    generation: state.generation,
  };
}
