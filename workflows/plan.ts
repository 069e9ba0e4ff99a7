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

/**
 * What bounds how soon an escalation goes out after its worker dies (test/faults/worker-kill.test.ts measures it).
 * A SIGKILLed worker cannot report its activities: Temporal learns of each one's death only when a timeout passes,
 * then schedules a retry after the backoff, and every such timeout counts as a failed attempt. With the previous
 * options (no heartbeat, start-to-close 1 minute, backoff 5 s doubling to 10 minutes) an activity caught by several
 * kills waited a minute to be noticed each time, then 40-320 s before its next attempt: issue 9 saw the last emails
 * about five minutes after the final restart, and the fault suite, 1,000 plans and six kills, 69 s (31 s with these
 * options, the worker's in worker/create-worker.ts and the outbox's short lease). Now:
 *  - heartbeatTimeout 10 s: the activities heartbeat every second (activities/heartbeat.ts keepAlive), so a dead worker's
 *    activity is retried about 10 s after it died. Long enough not to fire on a live worker whose event loop is busy.
 *  - startToCloseTimeout 1 minute stays the bound on a live but stuck attempt: a send takes at most SMTP's 20 s
 *    deadline (platform/mail-transport.ts) plus a wait on another copy's 30 s lease (activities/outbox.ts).
 *  - retry from 1 s, doubling to at most 30 s: after any number of kills the next attempt is at most 30 s away.
 *    Transient failures (database or SMTP down) still retry for as long as it takes, so an escalation is never
 *    dropped because the mail relay was out for an afternoon; the price is one recorded attempt per pending email
 *    every 30 s during an outage, and mail flows again within 30 s of the relay's return. Business refusals are
 *    non-retryable ApplicationFailures thrown by the activities.
 * Activity options are not part of the history's determinism check: running plans pick them up on their next
 * activity (test/workflows/replay.test.ts replays the recorded histories).
 */
const io = proxyActivities<PlanActivities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
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
