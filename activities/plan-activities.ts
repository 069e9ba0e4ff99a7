/**
 * Everything the plan workflow does to the outside world: read the plan and its event log (through
 * services/plan-data), and send notifications through the outbox. Built by a factory that receives its dependencies, so tests
 * hand in a real database and a real SMTP server on loopback without module mocking.
 *
 * Errors: a plain Error means "transient, retry" (the workflow's retry policy backs off for as long as it takes);
 * a business refusal is a non-retryable ApplicationFailure.
 */
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { Transporter } from 'nodemailer';
import type { NotificationIntent } from '../domain/notifications';
import { isRefusal } from '../domain/refusal';
import type { PrismaClient } from '../platform/database';
import { loadPlanState, personName, planRecipients } from '../services/plan-data';
import type { CarriedState, PlanActivities, SendOutcome } from '../workflows/contracts';
import { renderNotification } from './email/render-notification';

export interface PlanActivityDeps {
  prisma: PrismaClient;
  mailer: Pick<Transporter, 'sendMail'>;
  mailFrom: string;
  publicBaseUrl: string;
}

export function createPlanActivities(deps: PlanActivityDeps): PlanActivities {
  const { prisma } = deps;

  return {
    /** The plan's facts, its whole event log and the notifications already sent: the workflow's starting state. */
    async loadPlan(planId: string): Promise<CarriedState> {
      try {
        return { ...(await loadPlanState(prisma, planId)), generation: 0 };
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
     * Sends one notification at most once. The outbox row's unique key (plan, subject, level) is locked for the
     * duration of the send, so a retried, replayed or concurrently duplicated activity finds it already sent.
     * Every attempt, failed or not, is recorded with its outcome.
     */
    async sendNotification(args: { planId: string; intent: NotificationIntent }): Promise<SendOutcome> {
      const { planId, intent } = args;
      const key = `${planId}|${intent.key}`;
      const recipients = await planRecipients(prisma, planId, intent);
      if (!recipients) throw ApplicationFailure.nonRetryable(`plan ${planId} does not exist`, 'PlanNotFound');
      // A notice about a person (the new social worker) names them: looked up when sent, never carried in history.
      const aboutName = intent.person === undefined ? undefined : await personName(prisma, intent.person.personId);
      const email = renderNotification({
        ...(aboutName === undefined ? {} : { personName: aboutName }),
        planRef: planId,
        intent,
        planUrl: `${deps.publicBaseUrl}/plans/${encodeURIComponent(planId)}`,
      });

      // INSERT ... ON CONFLICT DO NOTHING. Not upsert: Prisma runs that as a SELECT then an INSERT, so concurrent
      // copies of this activity would race to insert and all but one fail on the unique key.
      await prisma.notification.createMany({
        data: [
          {
            key,
            planId,
            obligationKey: intent.subject,
            level: intent.level,
            recipients,
            subject: email.subject,
          },
        ],
        skipDuplicates: true,
      });

      let failure: unknown;
      const outcome = await prisma.$transaction(
        async (tx) => {
          // Row lock: a second copy of this activity waits here, then sees `sent` and does nothing.
          const [row] = await tx.$queryRaw<Array<{ id: string; status: string; attempts: number }>>`
            SELECT id, status, attempts FROM "Notification" WHERE key = ${key} FOR UPDATE`;
          if (!row) throw new Error(`outbox row ${key} vanished`);
          if (row.status === 'sent') return 'already-sent' as const;

          if (recipients.length === 0) {
            const error = `no active person holds the role(s) ${intent.recipients.join(', ')} on plan ${planId}`;
            await tx.notificationAttempt.create({ data: { notificationId: row.id, outcome: 'failed', error } });
            await tx.notification.update({
              where: { key },
              data: { status: 'failed', attempts: { increment: 1 }, lastError: error },
            });
            return 'no-recipients' as const;
          }

          const messageId = `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@corewatch>`;
          try {
            const info = await deps.mailer.sendMail({
              from: deps.mailFrom,
              to: recipients.map((r) => r.email),
              subject: email.subject,
              text: email.text,
              html: email.html,
              // Stable per key: should a send ever be repeated after an outage, mail systems can recognise it.
              messageId,
              headers: { 'X-Corewatch-Key': key },
            });
            await tx.notificationAttempt.create({
              data: { notificationId: row.id, outcome: 'sent', smtpResponse: String(info.response ?? '') },
            });
            await tx.notification.update({
              where: { key },
              data: {
                status: 'sent',
                attempts: { increment: 1 },
                sentAt: new Date(),
                messageId,
                recipients,
                lastError: null,
              },
            });
            return 'sent' as const;
          } catch (error) {
            failure = error;
            const message = error instanceof Error ? error.message : String(error);
            await tx.notificationAttempt.create({
              data: { notificationId: row.id, outcome: 'failed', error: message },
            });
            await tx.notification.update({
              where: { key },
              data: { status: 'failed', attempts: { increment: 1 }, lastError: message },
            });
            return 'failed' as const;
          }
        },
        { timeout: 60_000, maxWait: 30_000 },
      );
      // The failed attempt is committed above; rethrowing makes Temporal retry the send with backoff.
      if (outcome === 'failed') throw failure instanceof Error ? failure : new Error(String(failure));
      return outcome;
    },
  };
}

export type { PlanActivities, SendOutcome };
