/**
 * What the plan workflow's activities read: the plan's facts, its whole event log and the notifications already
 * sent (the workflow's starting state after a fresh start), and who holds a role on the plan today.
 */
import { isPolicyId } from '../../domain/policies';
import { Refusal } from '../../domain/refusal';
import type { IdentifiedEvent, PlanType, PolicyId } from '../../domain/types';
import type { PrismaClient } from '../../platform/database';
import type { SentNotification } from '../../workflows/contracts';
import { domainEvent, EVENT_ORDER, isoDay } from './rows';

export interface StoredPlanState {
  policyId: PolicyId;
  rulesVersion: string;
  plan: { type: PlanType; startedOn: string };
  events: IdentifiedEvent[];
  sent: SentNotification[];
}

/** The plan as its workflow starts from it. A missing plan or an unknown policy is a Refusal (not retried). */
export async function loadPlanState(db: PrismaClient, planId: string): Promise<StoredPlanState> {
  const plan = await db.plan.findUnique({ where: { id: planId }, include: { events: { orderBy: EVENT_ORDER } } });
  if (!plan) throw new Refusal('not-found', 'planId', `plan ${planId} does not exist`);
  if (!isPolicyId(plan.policyId))
    throw new Refusal('contradiction', 'policy', `plan ${planId} has unknown policy ${plan.policyId}`);
  const sent = await db.notification.findMany({ where: { planId, status: 'sent' }, orderBy: { sentAt: 'asc' } });
  return {
    policyId: plan.policyId,
    rulesVersion: plan.rulesVersion,
    plan: { type: plan.type as PlanType, startedOn: isoDay(plan.startedOn) },
    events: plan.events.map(domainEvent),
    sent: sent.map((n) => ({
      key: `${n.obligationKey}|${n.level}`,
      subject: n.obligationKey,
      level: n.level as SentNotification['level'],
      on: isoDay(n.sentAt ?? n.createdAt),
    })),
  };
}

/** A `type`, not an interface, so it can be stored as JSON (`Notification.recipients`). */
export type Recipient = {
  personId: string;
  role: string;
  email: string;
};

/** The active people holding any of `roles` on the plan, or undefined when there is no such plan. */
export async function planRecipients(
  db: PrismaClient,
  planId: string,
  roles: readonly string[],
): Promise<Recipient[] | undefined> {
  const plan = await db.plan.findUnique({ where: { id: planId }, include: { roles: { include: { person: true } } } });
  if (!plan) return undefined;
  return plan.roles
    .filter((r) => roles.includes(r.role) && r.person.active)
    .map((r) => ({ personId: r.personId, role: r.role, email: r.person.email }));
}
