/**
 * Everything the plan workflow does to the outside world: read the plan and its event log, store the obligations it
 * computed, and send notifications through the outbox. Built by a factory that receives its dependencies, so tests
 * hand in a real database and a real SMTP server on loopback without module mocking.
 *
 * Errors: a plain Error means "transient, retry" (the workflow's retry policy backs off for as long as it takes);
 * a business refusal is a non-retryable ApplicationFailure.
 */
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { Transporter } from 'nodemailer';
import type { PrismaClient } from '../platform/database';
import { dateColumn, domainEvent, EVENT_ORDER, isoDay } from '../services/plan-data/rows';
import type { NotificationIntent } from '../domain/notifications';
import { isPolicyId } from '../domain/policies';
import type { IdentifiedEvent, Obligation, PlanType } from '../domain/types';
import { renderNotification } from './email/render-notification';
import type { CarriedState, PlanActivities, SendOutcome, SentNotification } from '../workflows/contracts';

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
      const plan = await prisma.plan.findUnique({
        where: { id: planId },
        include: { events: { orderBy: EVENT_ORDER } },
      });
      if (!plan) throw ApplicationFailure.nonRetryable(`plan ${planId} does not exist`, 'PlanNotFound');
      if (!isPolicyId(plan.policyId)) {
        throw ApplicationFailure.nonRetryable(`plan ${planId} has unknown policy ${plan.policyId}`, 'UnknownPolicy');
      }
      const sent = await prisma.notification.findMany({
        where: { planId, status: 'sent' },
        orderBy: { sentAt: 'asc' },
      });
      return {
        policyId: plan.policyId,
        rulesVersion: plan.rulesVersion,
        plan: { type: plan.type as PlanType, startedOn: isoDay(plan.startedOn) },
        events: plan.events.map((row): IdentifiedEvent => domainEvent(row)),
        sent: sent.map(
          (n): SentNotification => ({
            key: `${n.obligationKey}|${n.level}`,
            subject: n.obligationKey,
            level: n.level as SentNotification['level'],
            on: isoDay(n.sentAt ?? n.createdAt),
          }),
        ),
        generation: 0,
      };
    },

    /** Replaces the plan's stored obligations with the freshly computed set, in one transaction. */
    async saveObligations(args: { planId: string; obligations: Obligation[] }): Promise<void> {
      const { planId, obligations } = args;
      const computedAt = new Date();
      await prisma.$transaction([
        prisma.obligation.deleteMany({ where: { planId, key: { notIn: obligations.map((o) => o.key) } } }),
        ...obligations.map((o) => {
          const row = {
            kind: o.kind,
            due: dateColumn(o.due),
            status: o.status,
            metOn: o.metOn === undefined ? null : dateColumn(o.metOn),
            fromDate: dateColumn(o.from),
            ruleId: o.rule.id,
            rulesVersion: o.rulesVersion,
            computedAt,
          };
          return prisma.obligation.upsert({
            where: { planId_key: { planId, key: o.key } },
            create: { planId, key: o.key, ...row },
            update: row,
          });
        }),
      ]);
    },

    /**
     * Sends one notification at most once. The outbox row's unique key (plan, subject, level) is locked for the
     * duration of the send, so a retried, replayed or concurrently duplicated activity finds it already sent.
     * Every attempt, failed or not, is recorded with its outcome.
     */
    async sendNotification(args: { planId: string; intent: NotificationIntent }): Promise<SendOutcome> {
      const { planId, intent } = args;
      const key = `${planId}|${intent.key}`;
      const plan = await prisma.plan.findUnique({
        where: { id: planId },
        include: { roles: { include: { person: true } } },
      });
      if (!plan) throw ApplicationFailure.nonRetryable(`plan ${planId} does not exist`, 'PlanNotFound');

      const recipients = plan.roles
        .filter((r) => intent.recipients.includes(r.role) && r.person.active)
        .map((r) => ({ personId: r.personId, role: r.role, email: r.person.email }));
      const email = renderNotification({
        planRef: plan.id,
        intent,
        planUrl: `${deps.publicBaseUrl}/plans/${encodeURIComponent(plan.id)}`,
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
              data: { status: 'sent', attempts: { increment: 1 }, sentAt: new Date(), messageId, recipients, lastError: null },
            });
            return 'sent' as const;
          } catch (error) {
            failure = error;
            const message = error instanceof Error ? error.message : String(error);
            await tx.notificationAttempt.create({ data: { notificationId: row.id, outcome: 'failed', error: message } });
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



