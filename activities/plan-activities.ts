/**
 * Everything the plan workflow does to the outside world: read the plan and its event log (through
 * services/plan-data), and send notifications through the outbox. Built by a factory that receives its dependencies, so tests
 * hand in a real database and a real SMTP server on loopback without module mocking.
 *
 * Errors: a plain Error means "transient, retry" (the workflow's retry policy backs off for as long as it takes);
 * a business refusal is a non-retryable ApplicationFailure.
 */
import { ApplicationFailure } from '@temporalio/common';
import { deadlineOf, type NotificationIntent } from '../domain/notifications';
import { isRefusal } from '../domain/refusal';
import { loadPlanState, notificationOwed, personName, planAdministrators, planRecipients } from '../services/plan-data';
import type { CarriedState, PlanActivities, SendOutcome } from '../workflows/contracts';
import { renderNotification, renderUndeliverableAlert } from './email/render-notification';
import { keepAlive } from './heartbeat';
import { deliverOnce, type OutboxDeps } from './outbox';

export interface PlanActivityDeps extends OutboxDeps {
  publicBaseUrl: string;
}

export function createPlanActivities(deps: PlanActivityDeps): PlanActivities {
  const { prisma } = deps;

  /** A notification the stored facts no longer owe: recorded as withdrawn (if it had a row) and not sent. */
  async function withdraw(key: string, reason: string): Promise<SendOutcome> {
    await prisma.notification.updateMany({
      where: { key, status: { in: ['pending', 'failed'] } },
      data: { status: 'withdrawn', lastError: reason, undeliverable: false },
    });
    const row = await prisma.notification.findUnique({ where: { key }, select: { status: true } });
    return row?.status === 'sent' ? 'already-sent' : 'not-owed';
  }

  /**
   * Tells the plan's partnership's administrators, once, that a notification could not be delivered: the alert is
   * an outbox row of its own (level `undeliverable`, key + `|undeliverable`), so it too is sent at most once, and a
   * failed alert is retried with the activity. An alert nobody can receive is recorded and goes no further.
   */
  async function alertAdministrators(planId: string, intent: NotificationIntent, problem: string): Promise<void> {
    await deliverOnce(deps, {
      key: `${planId}|${intent.key}|undeliverable`,
      planId,
      obligationKey: intent.subject,
      level: 'undeliverable',
      recipients: await planAdministrators(prisma, planId),
      noRecipients: 'the partnership has no active administrator',
      email: renderUndeliverableAlert({
        planRef: planId,
        intent,
        problem,
        escalationsUrl: `${deps.publicBaseUrl}/escalations`,
      }),
    });
  }

  return {
    /** The plan's facts, its whole event log and the notifications already sent: the workflow's starting state. */
    async loadPlan(planId: string): Promise<CarriedState> {
      try {
        return { ...(await keepAlive(() => loadPlanState(prisma, planId))), generation: 0 };
      } catch (error) {
        // A missing plan or an unknown policy will not mend itself: fail the workflow task's activity for good.
        if (isRefusal(error))
          throw ApplicationFailure.nonRetryable(
            error.message,
            error.field === 'policy' ? 'UnknownPolicy' : 'PlanNotFound',
          );
        throw error;
      }
    },

    /**
     * The read model is written when events are stored (services/plan-data/read-model.ts), not by the workflow.
     * Workflows recorded before that change still schedule this activity when they replay or resume: it succeeds and
     * writes nothing.
     */
    async saveObligations(): Promise<void> {
      return undefined;
    },

    /**
     * Sends one notification at most once per outbox key (plan, subject, level), through the outbox's lease
     * (activities/outbox.ts): a retried, replayed or concurrently duplicated activity finds it sent, or waits while
     * another copy holds the lease, and never sends it a second time. Every attempt is recorded with its outcome.
     *
     * Before sending, the stored facts are asked whether it is still owed (an event accepted while Temporal was away
     * may have met the obligation or ended the plan before its signal arrives): if not, nothing is sent.
     * A notification nobody can receive (no active person holds the role; the mail server refused the address)
     * is recorded as undeliverable and the partnership's administrators are told, once.
     */
    async sendNotification(args: { planId: string; intent: NotificationIntent }): Promise<SendOutcome> {
      return keepAlive(async () => {
        const { planId, intent } = args;
        const key = `${planId}|${intent.key}`;
        const recipients = await planRecipients(prisma, planId, intent);
        if (!recipients) throw ApplicationFailure.nonRetryable(`plan ${planId} does not exist`, 'PlanNotFound');

        const deadline = deadlineOf(intent);
        const owed = await notificationOwed(
          prisma,
          planId,
          intent.subject,
          intent.fireOn,
          deadline === undefined ? undefined : { key, level: intent.level, deadline },
        );
        if (!owed.owed) return withdraw(key, owed.reason);

        // A notice about a person (the new social worker) names them: looked up when sent, never carried in history.
        const aboutName = intent.person === undefined ? undefined : await personName(prisma, intent.person.personId);
        const email = renderNotification({
          ...(aboutName === undefined ? {} : { personName: aboutName }),
          planRef: planId,
          intent,
          planUrl: `${deps.publicBaseUrl}/plans/${encodeURIComponent(planId)}`,
        });
        const delivery = await deliverOnce(deps, {
          key,
          planId,
          obligationKey: intent.subject,
          level: intent.level,
          ...(deadline === undefined ? {} : { deadline }),
          recipients,
          // No plan reference in the reason: analysts see this list with plans under pseudonyms.
          noRecipients: `no active person holds the role(s) ${intent.recipients.join(', ')}`,
          email,
        });
        if (delivery.undeliverable) await alertAdministrators(planId, intent, delivery.problem ?? 'not delivered');
        return delivery.outcome;
      });
    },
  };
}

export type { PlanActivities, SendOutcome };
