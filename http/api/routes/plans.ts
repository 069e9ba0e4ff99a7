/**
 * Plans over HTTP: create (idempotent on the plan reference), list with filters, and one plan's timeline. Obligations
 * come from evaluatePlan over the stored events, the one engine the workflows and reports use. Responses never carry
 * the child's name.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { PrismaClient } from '../../../platform/database';
import { daysBetween, londonDateAt } from '../../../domain/calendar';
import { ABUSE_CATEGORIES, IsoDateSchema, PlanFactsSchema, PolicyIdSchema } from '../../../domain/evaluate-input';
import type { IsoDate } from '../../../domain/types';
import { dateColumn, domainEvent, EVENT_ORDER, isoDay, recipientRoles, storedObligations, type StoredPlan } from '../../../services/plan-data/rows';
import { Refusal } from '../../../domain/refusal';
import { storePlan } from '../../../services/plan-intake';
import type { HttpDeps } from '../../deps';
import { logTokenRead, principalOf, requireScope } from '../auth';

const text = z.string().min(1, { error: 'must not be empty' });

export const CreatePlanSchema = z.strictObject({
  reference: text.max(100),
  teamId: text,
  child: z.strictObject({
    localChildId: text,
    name: text.exactOptional(),
    dateOfBirth: IsoDateSchema.exactOptional(),
    gender: text.exactOptional(),
    ethnicity: text.exactOptional(),
    disability: text.exactOptional(),
  }),
  policy: PolicyIdSchema,
  type: PlanFactsSchema.shape.type,
  startedOn: IsoDateSchema,
  people: z.array(z.strictObject({ personId: text, role: text, agency: text.exactOptional() })).min(1),
  annexA: z
    .strictObject({
      initialCategory: z.enum(ABUSE_CATEGORIES).exactOptional(),
      emergencyProtectionLast6Months: z.boolean().exactOptional(),
      previousPlans: z.number().int().min(0).exactOptional(),
    })
    .exactOptional(),
});
type CreatePlan = z.infer<typeof CreatePlanSchema>;

const PlanParams = z.object({ planId: z.string().min(1) });

const ListQuery = z.strictObject({
  team: z.string().min(1).optional(),
  policy: PolicyIdSchema.optional(),
  status: z.enum(['open', 'ended']).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).optional(),
});

const ObligationOut = z.object({
  key: z.string(),
  kind: z.string(),
  due: z.string(),
  status: z.string(),
  metOn: z.string().optional(),
  from: z.string(),
  rulesVersion: z.string(),
  rule: z.object({ id: z.string(), source: z.string(), section: z.string(), quote: z.string(), note: z.string().optional() }),
});

const CreatedOut = z.object({ reference: z.string(), outcome: z.enum(['created', 'existing']) });

const PlanSummaryOut = z.object({
  reference: z.string(),
  teamId: z.string(),
  policy: z.string(),
  type: z.string(),
  startedOn: z.string(),
  endedOn: z.string().nullable(),
  nextDue: z.object({ key: z.string(), kind: z.string(), due: z.string(), status: z.string() }).nullable(),
  daysOverdue: z.number().int(),
});

function endedOn(plan: StoredPlan): IsoDate | null {
  const ended = plan.events.find((e) => e.type === 'plan-ended');
  return ended ? isoDay(ended.on) : null;
}

function summarise(plan: StoredPlan & { id: string; teamId: string }, today: IsoDate) {
  const obligations = storedObligations(plan, today);
  const open = obligations.filter((o) => o.status === 'pending' || o.status === 'overdue');
  const next = open[0];
  const overdue = obligations.filter((o) => o.status === 'overdue');
  const daysOverdue = overdue.length === 0 ? 0 : Math.max(...overdue.map((o) => daysBetween(o.due, today)));
  return {
    reference: plan.id,
    teamId: plan.teamId,
    policy: plan.policyId,
    type: plan.type,
    startedOn: isoDay(plan.startedOn),
    endedOn: endedOn(plan),
    nextDue: next ? { key: next.key, kind: next.kind, due: next.due, status: next.status } : null,
    daysOverdue,
  };
}

/** Whether a stored plan says the same as the request (a retried create), so it can answer 200 rather than 409. */
async function sameAsStored(prisma: PrismaClient, reference: string, body: CreatePlan): Promise<boolean> {
  const plan = await prisma.plan.findUnique({ where: { id: reference }, include: { child: true, roles: true } });
  if (!plan) return false;
  const roles = (rs: Array<{ personId: string; role: string; agency?: string | null | undefined }>) =>
    rs.map((r) => `${r.personId}|${r.role}|${r.agency ?? ''}`).sort().join('\n');
  return (
    plan.teamId === body.teamId &&
    plan.child.localChildId === body.child.localChildId &&
    plan.policyId === body.policy &&
    plan.type === body.type &&
    isoDay(plan.startedOn) === body.startedOn &&
    roles(plan.roles) === roles(body.people) &&
    plan.initialCategory === (body.annexA?.initialCategory ?? null) &&
    plan.emergencyProtectionLast6Months === (body.annexA?.emergencyProtectionLast6Months ?? null) &&
    plan.previousPlans === (body.annexA?.previousPlans ?? 0)
  );
}

export function planRoutes(deps: HttpDeps): FastifyPluginAsyncZod {
  const today = deps.today ?? (() => londonDateAt(Date.now()));
  const { prisma } = deps;

  return async (app) => {
    app.post(
      '/plans',
      {
        onRequest: requireScope(prisma, 'plans:write'),
        schema: {
          summary: 'Register a plan decided at an ICPC (idempotent on its reference)',
          tags: ['plans'],
          body: CreatePlanSchema,
          response: { 200: CreatedOut, 201: CreatedOut },
        },
      },
      async (request, reply) => {
        const partnershipId = principalOf(request).partnershipId;
        const body = request.body;
        const existing = await prisma.plan.findUnique({ where: { id: body.reference }, select: { partnershipId: true } });
        if (existing) {
          // Another partnership's reference is a conflict too, but say nothing more about it.
          if (existing.partnershipId === partnershipId && (await sameAsStored(prisma, body.reference, body))) {
            return reply.code(200).send({ reference: body.reference, outcome: 'existing' });
          }
          throw new Refusal('conflict', 'reference', `plan ${body.reference} already exists with different details`);
        }
        const team = await prisma.team.findFirst({ where: { id: body.teamId, partnershipId } });
        if (!team) throw new Refusal('contradiction', 'teamId', `team ${body.teamId} is not a team of this partnership`);
        const people = await prisma.person.findMany({ where: { partnershipId, id: { in: body.people.map((p) => p.personId) } } });
        const known = new Set(people.map((p) => p.id));
        const unknown = body.people.findIndex((p) => !known.has(p.personId));
        if (unknown >= 0) {
          throw new Refusal('contradiction', `people[${unknown}].personId`, `person ${body.people[unknown]!.personId} is not known in this partnership`);
        }
        const c = body.child;
        const child = await prisma.child.upsert({
          where: { partnershipId_localChildId: { partnershipId, localChildId: c.localChildId } },
          create: {
            partnershipId,
            localChildId: c.localChildId,
            name: c.name ?? '',
            dateOfBirth: c.dateOfBirth ? dateColumn(c.dateOfBirth) : null,
            gender: c.gender ?? null,
            ethnicity: c.ethnicity ?? null,
            disability: c.disability ?? null,
          },
          update: {},
        });
        await storePlan(prisma, {
          id: body.reference,
          partnershipId,
          teamId: body.teamId,
          childId: child.id,
          policyId: body.policy,
          type: body.type,
          startedOn: body.startedOn,
          roles: body.people,
          ...(body.annexA ? { annexA: body.annexA } : {}),
        });
        if (deps.startPlan) {
          // Best effort: the plan is stored; if Temporal is down its first relayed event starts the workflow.
          await deps.startPlan(body.reference).catch((error: unknown) => request.log.warn({ err: error }, 'could not start plan workflow now'));
        }
        return reply.code(201).send({ reference: body.reference, outcome: 'created' });
      },
    );

    app.get(
      '/plans',
      {
        onRequest: requireScope(prisma, 'plans:read'),
        schema: {
          summary: "List the partnership's plans (no child names)",
          tags: ['plans'],
          querystring: ListQuery,
          response: { 200: z.object({ plans: z.array(PlanSummaryOut), nextCursor: z.string().nullable(), asOf: z.string() }) },
        },
      },
      async (request) => {
        const q = request.query;
        const partnershipId = principalOf(request).partnershipId;
        const asOf = today();
        const where = {
          partnershipId,
          ...(q.team ? { teamId: q.team } : {}),
          ...(q.policy ? { policyId: q.policy } : {}),
          ...(q.status === 'open' ? { events: { none: { type: 'plan-ended' } } } : {}),
          ...(q.status === 'ended' ? { events: { some: { type: 'plan-ended' } } } : {}),
          ...(q.cursor ? { id: { gt: q.cursor } } : {}),
        };
        const items: Array<ReturnType<typeof summarise>> = [];
        let after: string | undefined;
        let exhausted = false;
        // Overdue is computed by the engine, not stored: scan in pages until the page is full.
        while (items.length < q.limit && !exhausted) {
          const batch = await prisma.plan.findMany({
            where: after ? { ...where, id: { gt: after } } : where,
            orderBy: { id: 'asc' },
            take: 200,
            include: { events: { orderBy: EVENT_ORDER } },
          });
          exhausted = batch.length < 200;
          for (const plan of batch) {
            after = plan.id;
            const summary = summarise(plan, asOf);
            if (q.overdue === 'true' && summary.daysOverdue === 0) continue;
            if (q.overdue === 'false' && summary.daysOverdue > 0) continue;
            items.push(summary);
            if (items.length === q.limit) break;
          }
        }
        const last = items.at(-1);
        return { plans: items, nextCursor: items.length === q.limit && last ? last.reference : null, asOf };
      },
    );

    app.get(
      '/plans/:planId',
      {
        onRequest: requireScope(prisma, 'plans:read'),
        schema: {
          summary: "One plan's timeline: events, obligations with citations, notifications sent",
          tags: ['plans'],
          params: PlanParams,
          querystring: z.strictObject({ asOf: IsoDateSchema.optional() }),
          response: {
            200: z.object({
              reference: z.string(),
              teamId: z.string(),
              policy: z.string(),
              rulesVersion: z.string(),
              type: z.string(),
              startedOn: z.string(),
              endedOn: z.string().nullable(),
              asOf: z.string(),
              events: z.array(z.record(z.string(), z.unknown())),
              obligations: z.array(ObligationOut),
              notifications: z.array(z.object({ level: z.string(), subject: z.string(), sentAt: z.string().nullable(), roles: z.array(z.string()) })),
            }),
          },
        },
      },
      async (request) => {
        const partnershipId = principalOf(request).partnershipId;
        const plan = await prisma.plan.findFirst({
          where: { id: request.params.planId, partnershipId },
          include: {
            events: { orderBy: EVENT_ORDER },
            notifications: { where: { status: 'sent' }, orderBy: { sentAt: 'asc' } },
          },
        });
        if (!plan) throw new Refusal('not-found', 'planId', `plan ${request.params.planId} does not exist`);
        // A read of a child's record: logged before anything is returned.
        await logTokenRead(prisma, request, 'plan-read', { planId: plan.id });
        const asOf = request.query.asOf ?? today();
        return {
          reference: plan.id,
          teamId: plan.teamId,
          policy: plan.policyId,
          rulesVersion: plan.rulesVersion,
          type: plan.type,
          startedOn: isoDay(plan.startedOn),
          endedOn: endedOn(plan),
          asOf,
          events: plan.events.map(domainEvent) as unknown as Array<Record<string, unknown>>,
          obligations: storedObligations(plan, asOf),
          notifications: plan.notifications.map((n) => ({
            level: n.level,
            subject: n.subject,
            sentAt: n.sentAt ? n.sentAt.toISOString() : null,
            roles: recipientRoles(n.recipients),
          })),
        };
      },
    );
  };
}
