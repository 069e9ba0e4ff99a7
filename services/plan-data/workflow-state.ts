/**
 * What the plan workflow's activities read: the plan's facts, its whole event log and the notifications already
 * sent (the workflow's starting state after a fresh start), who holds a role on the plan today, whether a
 * notification is still owed by the stored facts, and who administers the plan's partnership.
 */
import { normaliseAgency } from '../../domain/attendance';
import { isPolicyId } from '../../domain/policies';
import { Refusal } from '../../domain/refusal';
import type { IdentifiedEvent, IsoDate, PlanType, PolicyId } from '../../domain/types';
import type { PrismaClient } from '../../platform/database';
import type { SentNotification } from '../../workflows/contracts';
import { Prisma } from '../../prisma/generated/client';
import { domainEvent, EVENT_ORDER, isoDay } from './rows';

/** The administrators' alert about an undeliverable notification (activities/plan-activities.ts): not the plan's. */
const ADMIN_ALERT_LEVEL = 'undeliverable';

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
  const sent = await db.notification.findMany({
    where: { planId, status: 'sent', level: { not: ADMIN_ALERT_LEVEL } },
    orderBy: { sentAt: 'asc' },
  });
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
  /** Copied (Cc) rather than addressed: the team manager on a notice to the core group. */
  copy?: true;
};

/** Who a notification is for: roles, stand-ins for a role no one holds, and an agency not written to. */
export interface RecipientSpec {
  recipients: readonly string[];
  /** Role -> the role written to when no active person holds it ("in their absence", 002). */
  inAbsenceOf?: Readonly<Record<string, string>>;
  /** People of this agency (as their role on the plan, or else their own, records it) are left out. */
  exceptAgency?: string;
  /** Roles copied (Cc) rather than addressed. */
  copy?: readonly string[];
}

/**
 * The active people holding the roles asked for on the plan today (the plan's people are kept current as workers are
 * allocated and members join or leave), each once; undefined when there is no such plan.
 */
export async function planRecipients(
  db: PrismaClient,
  planId: string,
  spec: RecipientSpec,
): Promise<Recipient[] | undefined> {
  const plan = await db.plan.findUnique({ where: { id: planId }, include: { roles: { include: { person: true } } } });
  if (!plan) return undefined;
  const except = spec.exceptAgency === undefined ? undefined : normaliseAgency(spec.exceptAgency);
  const holders = (role: string) =>
    plan.roles.filter(
      (r) =>
        r.role === role &&
        r.person.active &&
        (except === undefined || normaliseAgency(r.agency ?? r.person.agency ?? '') !== except),
    );
  const found = new Map<string, Recipient>();
  const add = (roles: readonly string[], copy: boolean) => {
    for (const role of roles) {
      let people = holders(role);
      const standIn = spec.inAbsenceOf?.[role];
      if (people.length === 0 && standIn !== undefined) people = holders(standIn);
      for (const r of people) {
        if (found.has(r.personId)) continue;
        found.set(r.personId, {
          personId: r.personId,
          role: r.role,
          email: r.person.email,
          ...(copy ? { copy: true } : {}),
        });
      }
    }
  };
  add(spec.recipients, false);
  add(spec.copy ?? [], true);
  return [...found.values()];
}

/** A person's name as emails give it (the new social worker named to the core group), or undefined. */
export async function personName(db: PrismaClient, personId: string): Promise<string | undefined> {
  return (await db.person.findUnique({ where: { id: personId }, select: { name: true } }))?.name;
}

/**
 * Whether the stored facts still owe a notification about `subject` (an obligation key, or an event-derived subject)
 * firing on `fireOn`. The event log and the obligations read model are written in one transaction when an event is
 * accepted (events.ts), so they know of an event the workflow may not have been signalled yet (the relay delivers it
 * after an outage). Not owed: the obligation is met (on time or late: either ends its ladder, as
 * domain/notifications.ts says), or the plan ended before the notification fell due. Anything else is owed: a
 * missing read-model row never suppresses an email.
 */
export async function notificationOwed(
  db: PrismaClient,
  planId: string,
  subject: string,
  fireOn: IsoDate,
  sameDeadline?: { key: string; level: string; deadline: string },
): Promise<{ owed: true } | { owed: false; reason: string }> {
  if (sameDeadline !== undefined) {
    // The same deadline already written to at this level under another key (a chain renumbered by a meeting recorded
    // late): one email per deadline.
    const [earlier] = await db.$queryRaw<Array<{ obligationKey: string }>>(Prisma.sql`
      SELECT "obligationKey" FROM "Notification"
      WHERE "planId" = ${planId} AND level = ${sameDeadline.level} AND deadline = ${sameDeadline.deadline}
        AND status = 'sent' AND key <> ${sameDeadline.key}
      LIMIT 1`);
    if (earlier)
      return {
        owed: false,
        reason: `already sent for this deadline (${sameDeadline.deadline}) as ${earlier.obligationKey}`,
      };
  }
  const [row] = await db.$queryRaw<Array<{ endedOn: Date | null; metOn: Date | null }>>(Prisma.sql`
    SELECT p."endedOn", o."metOn" FROM "Plan" p
    LEFT JOIN "Obligation" o ON o."planId" = p.id AND o.key = ${subject}
    WHERE p.id = ${planId}`);
  if (!row) return { owed: true };
  if (row.metOn !== null) return { owed: false, reason: `no longer owed: ${subject} was met on ${isoDay(row.metOn)}` };
  if (row.endedOn !== null && isoDay(row.endedOn) < fireOn)
    return { owed: false, reason: `no longer owed: the plan ended on ${isoDay(row.endedOn)}` };
  return { owed: true };
}

/** The active administrators (PartnershipMember role `administrator`) of the plan's partnership. */
export async function planAdministrators(db: PrismaClient, planId: string): Promise<Recipient[]> {
  return db.$queryRaw<Recipient[]>(Prisma.sql`
    SELECT m."personId", m.role, pe.email FROM "Plan" p
    JOIN "PartnershipMember" m ON m."partnershipId" = p."partnershipId" AND m.role = 'administrator'
    JOIN "Person" pe ON pe.id = m."personId" AND pe.active
    WHERE p.id = ${planId} ORDER BY m."personId"`);
}
